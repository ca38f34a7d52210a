import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppSecretName, secretName } from "./names";

/** ESO's API version: external-secrets.io/v1 (served by the charts of ESO 0.17 and later; v1beta1 is gone there). */
export const ESO_API_VERSION = "external-secrets.io/v1";

/** Each key of the app's Kubernetes Secret and where it comes from in Secrets Manager. */
export const SECRET_KEYS: ReadonlyArray<{ key: string; secret: AppSecretName; property?: string }> = [
    { key: "DATABASE_URL", secret: "DATABASE_URL" },
    { key: "REDIS_URL", secret: "REDIS_URL" },
    // The JWT keys (lambdas/jwt-signing-key/key.ts): the app signs with SECRET_KEY and verifies
    // with SECRET_KEY, SECRET_KEY_NEXT (published a rotation period before it signs) and
    // SECRET_KEY_PREVIOUS (the key that signed until the last rotation).
    { key: "SECRET_KEY", secret: "SECRET_KEY", property: "current" },
    { key: "SECRET_KEY_NEXT", secret: "SECRET_KEY", property: "next" },
    { key: "SECRET_KEY_PREVIOUS", secret: "SECRET_KEY", property: "previous" },
    { key: "EXTERNAL_API_KEY", secret: "EXTERNAL_API_KEY" },
];

export interface SecretDeliveryArgs {
    appName: string;
    environment: string;
    region: string;
    /** The workload's namespace (its output, so the store waits for the namespace). */
    namespace: pulumi.Input<string>;
    /** Name of the Kubernetes Secret the app reads (`envFrom`). */
    targetSecretName: string;
    /** How often ESO re-reads Secrets Manager, e.g. `1h`. */
    refreshInterval: string;
    /** Resources the store waits for: ESO's Helm release (its CRDs) and its Pod Identity association. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    k8sProvider: k8s.Provider;
}

/**
 * Delivery of the environment's secrets to the pods: External Secrets Operator syncs them into the
 * app's Kubernetes Secret every `refreshInterval`, so a rotation reaches the Secret without a
 * deploy; the Reloader then rolls the Deployments that name it (`reloadAnnotations`, reload.ts),
 * since pods read it at start (docs/secrets.md, "How a rotation reaches the app").
 *
 * ESO reads with its controller's Pod Identity role, which the cluster's controllers create
 * (modules/cluster/controllers.ts) with `secretsReaderPolicy` scope: this environment's
 * `<app>/<environment>/*` only. EKS allows one association per service account, so this
 * component makes no second one.
 */
export class SecretDelivery extends pulumi.ComponentResource {
    readonly externalSecret: k8s.apiextensions.CustomResource;

    constructor(name: string, args: SecretDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:secrets:SecretDelivery", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.k8sProvider };

        const store = new k8s.apiextensions.CustomResource(
            `${name}-store`,
            {
                apiVersion: ESO_API_VERSION,
                kind: "SecretStore",
                metadata: { name: `${args.appName}-secrets-manager`, namespace: args.namespace },
                // No auth block: the controller's Pod Identity credentials.
                spec: { provider: { aws: { service: "SecretsManager", region: args.region } } },
            },
            { ...k8sOpts, dependsOn: args.dependsOn },
        );

        this.externalSecret = new k8s.apiextensions.CustomResource(
            `${name}-external-secret`,
            {
                apiVersion: ESO_API_VERSION,
                kind: "ExternalSecret",
                metadata: { name: args.targetSecretName, namespace: args.namespace },
                spec: {
                    refreshInterval: args.refreshInterval,
                    secretStoreRef: { kind: "SecretStore", name: store.metadata.name },
                    target: { name: args.targetSecretName, creationPolicy: "Owner", deletionPolicy: "Retain" },
                    data: SECRET_KEYS.map((k) => ({
                        secretKey: k.key,
                        remoteRef: { key: secretName(args.appName, args.environment, k.secret), ...(k.property ? { property: k.property } : {}) },
                    })),
                },
            },
            k8sOpts,
        );
        this.registerOutputs({});
    }
}
