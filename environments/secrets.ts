import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import type { Roles } from "../modules/aws/roles";
import type { Keys } from "../modules/keys";
import { alertTopicName } from "../modules/observability";
import { AppSecrets, SecretDelivery } from "../modules/secrets";
import type { Problem } from "../settings/errors";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";

/**
 * The secrets layer of a cloud stack (issue 6; runbook 2.2, 2.3): the app's secrets in Secrets
 * Manager with their rotation, and their delivery to the pods through External Secrets Operator.
 * Staging and production only: dev and pr-<N> get Kubernetes Secrets from @pulumi/random and
 * development defaults in the workload layer, and touch no AWS.
 */

/** What the secrets layer takes from the other layers. */
export interface SecretsDeps {
    providers: AwsProviders;
    /** modules/keys `Keys`: `secrets` encrypts the secrets, `logs` the functions' logs, `dr.secrets` the DR replicas. */
    keys: { secrets: aws.kms.Key; logs: aws.kms.Key; dr?: { secrets: aws.kms.Key }; refs: Keys["refs"] };
    /** Where the database password rotation runs: private subnets, and a security group the database admits (the app tier's). */
    network: { privateSubnetIds: pulumi.Input<string>[]; securityGroupIds: { app: pulumi.Input<string> } };
    /** The data layer's connection strings and master user, each a secret Output. */
    data: { databaseUrl: pulumi.Input<string>; redisUrl: pulumi.Input<string>; databaseMasterCredentials: pulumi.Input<string> };
    /** The low-severity alert topic (the observability layer's; email). */
    lowSeverityTopicArn: pulumi.Input<string>;
    /** Runbook of the secret-overdue alarm. */
    runbookUrl: string;
    /** Where the layer's roles come from (modules/aws/roles.ts). */
    roles: Roles;
}

/** What the layer made, and how the workload gets its Secret. */
export interface SecretsLayer {
    secrets: AppSecrets;
    /** Creates the ExternalSecret and its store in the workload's namespace, on the cluster. */
    deliver(target: {
        namespace: pulumi.Input<string>;
        secretName: string;
        k8sProvider: k8s.Provider;
        /** ESO's Helm release and Pod Identity association, when the platform exposes them. */
        dependsOn?: pulumi.Input<pulumi.Resource>[];
    }): SecretDelivery;
    /** Stack outputs: names, never values. */
    outputs: Record<string, pulumi.Input<unknown>>;
}

/** Settings the secrets layer needs that the schema cannot require of every stack. */
export function secretsSettingsProblems(settings: Settings): Problem[] {
    if (settings.externalApiKey !== undefined) return [];
    return [
        {
            key: "ops:externalApiKey",
            received: "nothing (the key is not set)",
            allowed: `the EXTERNAL_API_KEY of the ${settings.environment} external API, as a secret: stack ${settings.stack} stores it in Secrets Manager`,
            fix: "pulumi config set --secret externalApiKey <value>   (or set OPS_EXTERNAL_API_KEY in CI)",
        },
    ];
}

export function composeSecrets(settings: Settings, names: StackNames, deps: SecretsDeps): SecretsLayer {
    const secrets = new AppSecrets(names.regional, {
        appName: settings.appName,
        environment: names.secrets.scope,
        region: settings.region,
        values: {
            databaseUrl: deps.data.databaseUrl,
            redisUrl: deps.data.redisUrl,
            databaseMasterCredentials: deps.data.databaseMasterCredentials,
            // Set: the pre-check (secretsSettingsProblems) stops a stack without it.
            externalApiKey: settings.externalApiKey!,
        },
        rotation: settings.rotation,
        recoveryWindowDays: settings.secrets.recoveryWindowDays,
        ...(settings.secrets.replicateToDr && deps.keys.dr ? { replica: { region: settings.drRegion, kmsKeyArn: deps.keys.dr.secrets.arn, key: deps.keys.refs.dr.secrets } } : {}),
        keys: { secrets: { arn: deps.keys.secrets.arn, ref: deps.keys.refs.secrets }, logs: { arn: deps.keys.logs.arn, ref: deps.keys.refs.logs } },
        vpc: { subnetIds: deps.network.privateSubnetIds, securityGroupIds: [deps.network.securityGroupIds.app] },
        lowSeverityTopicArn: deps.lowSeverityTopicArn,
        lowSeverityTopicName: alertTopicName(names.perStack, "low"),
        roles: deps.roles,
        runbookUrl: deps.runbookUrl,
        logRetentionDays: settings.logging.retentionDays,
        // The JWT rotation publishes a next key this long (plus a rollout) before it signs.
        refreshInterval: settings.secrets.refreshInterval,
        provider: deps.providers.primary,
    });
    return {
        secrets,
        deliver: (target) =>
            new SecretDelivery(names.secrets.deliveryComponent, {
                appName: settings.appName,
                environment: names.secrets.scope,
                region: settings.region,
                namespace: target.namespace,
                targetSecretName: target.secretName,
                refreshInterval: settings.secrets.refreshInterval,
                // The store, and so the ExternalSecret and the migrations Job that reads its Secret,
                // waits for the bootstrap: DATABASE_URL names the app role, which the bootstrap creates.
                dependsOn: [...(target.dependsOn ?? []), secrets.databaseBootstrap.invocation],
                k8sProvider: target.k8sProvider,
            }),
        outputs: { secretsPrefix: secrets.prefix },
    };
}
