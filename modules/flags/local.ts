import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LOCAL_FLAGS_KEY } from "./agent";

export interface LocalFlagsArgs {
    /** The app's namespace (it must exist: pass its output). */
    namespace: pulumi.Input<string>;
    /** The ConfigMap's name, fixed: the agent's volume names it. */
    name: string;
    /** The file the agent serves (modules/flags/content `localContent`). */
    text: string;
    labels: Record<string, string>;
}

/**
 * The flags of a stack without AppConfig (dev, pr-<N>): a ConfigMap the agent's local development
 * mode reads. Mutable on purpose, unlike the app's configuration: a changed flag is an update of
 * the mounted file, which the kubelet refreshes in the running pods and the agent rereads, the way
 * an AppConfig deployment reaches running agents; no pod restarts.
 */
export class LocalFlags extends pulumi.ComponentResource {
    readonly configMap: k8s.core.v1.ConfigMap;

    constructor(name: string, args: LocalFlagsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:flags:LocalFlags", name, {}, opts);
        this.configMap = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            { metadata: { name: args.name, namespace: args.namespace, labels: args.labels }, data: { [LOCAL_FLAGS_KEY]: args.text } },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
