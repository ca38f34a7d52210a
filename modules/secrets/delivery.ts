import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { POD_IDENTITY_TRUST } from "../aws/iam";
import { AppSecretName, secretName } from "./names";
import { secretsReaderPolicy } from "./policies";

/** ESO's API version: external-secrets.io/v1 (served by the charts of ESO 0.17 and later; v1beta1 is gone there). */
export const ESO_API_VERSION = "external-secrets.io/v1";

/** Each key of the app's Kubernetes Secret and where it comes from in Secrets Manager. */
export const SECRET_KEYS: ReadonlyArray<{ key: string; secret: AppSecretName; property?: string }> = [
    { key: "DATABASE_URL", secret: "DATABASE_URL" },
    { key: "REDIS_URL", secret: "REDIS_URL" },
    // The JWT keys: the app signs with SECRET_KEY and also verifies with SECRET_KEY_PREVIOUS.
    { key: "SECRET_KEY", secret: "SECRET_KEY", property: "current" },
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
    /** This environment's secrets, `arn:aws:secretsmanager:<region>:<account>:secret:<app>/<environment>/*`. */
    secretsArnPattern: pulumi.Input<string>;
    secretsKeyArn: pulumi.Input<string>;
    /** The ESO controller's service account, which Pod Identity gives the reader role. */
    podIdentity: { clusterName: pulumi.Input<string>; namespace: string; serviceAccount: string };
    awsProvider: aws.Provider;
    k8sProvider: k8s.Provider;
}

/**
 * Delivery of the environment's secrets to the pods: External Secrets Operator, through a Pod
 * Identity role that reads only `<app>/<environment>/*` (and decrypts only through Secrets
 * Manager with the secrets key), syncs them into the app's Kubernetes Secret every
 * `refreshInterval`. A rotation therefore reaches the Secret without a deploy; pods read it at
 * start (docs/secrets.md, "How a rotation reaches the app").
 */
export class SecretDelivery extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly externalSecret: k8s.apiextensions.CustomResource;

    constructor(name: string, args: SecretDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:secrets:SecretDelivery", name, {}, opts);
        const awsOpts = { parent: this, provider: args.awsProvider };
        const k8sOpts = { parent: this, provider: args.k8sProvider };

        this.role = new aws.iam.Role(`${name}-reader`, { assumeRolePolicy: POD_IDENTITY_TRUST }, awsOpts);
        const policy = new aws.iam.RolePolicy(
            `${name}-reader`,
            { role: this.role.id, policy: secretsReaderPolicy(args.secretsArnPattern, args.secretsKeyArn, args.region) },
            awsOpts,
        );
        const association = new aws.eks.PodIdentityAssociation(
            `${name}-reader`,
            { clusterName: args.podIdentity.clusterName, namespace: args.podIdentity.namespace, serviceAccount: args.podIdentity.serviceAccount, roleArn: this.role.arn },
            { ...awsOpts, dependsOn: [policy] },
        );

        const store = new k8s.apiextensions.CustomResource(
            `${name}-store`,
            {
                apiVersion: ESO_API_VERSION,
                kind: "SecretStore",
                metadata: { name: `${args.appName}-secrets-manager`, namespace: args.namespace },
                // No auth block: the controller's Pod Identity credentials, i.e. the reader role.
                spec: { provider: { aws: { service: "SecretsManager", region: args.region } } },
            },
            { ...k8sOpts, dependsOn: [association] },
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
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
