import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { POD_SECURITY_LEVEL } from "./security";

export interface AppNamespaceArgs {
    /** The namespace's name. Changing it replaces the namespace and everything in it. */
    name: string;
    /** Labels added to the Pod Security ones. */
    labels?: Record<string, string>;
}

/**
 * A namespace that enforces the `restricted` Pod Security Standard (and warns and audits at the
 * same level), pinned to the `latest` policy version of the cluster it runs on.
 */
export class AppNamespace extends pulumi.ComponentResource {
    /** The Namespace object. */
    readonly namespace: k8s.core.v1.Namespace;
    /** Its name, known once the namespace exists: depend on it to create objects inside. */
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:workload:Namespace", name, {}, opts);
        const podSecurity = Object.fromEntries(
            ["enforce", "audit", "warn"].flatMap((mode) => [
                [`pod-security.kubernetes.io/${mode}`, POD_SECURITY_LEVEL],
                [`pod-security.kubernetes.io/${mode}-version`, "latest"],
            ]),
        );
        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: args.name, labels: { ...args.labels, ...podSecurity } } },
            { parent: this },
        );
        this.name = this.namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
