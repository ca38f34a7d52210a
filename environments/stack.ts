import * as pulumi from "@pulumi/pulumi";
import { AwsProviders, createAwsProviders } from "../modules/aws/providers";
import { SERVICE_PORT } from "../modules/workload";
import type { Settings } from "../settings/load";
import { Platform, buildsPlatform, composePlatform } from "./platform";
import { buildsDataStores, composeData } from "./data";
import { Keys } from "../modules/keys";
import { composeWorkload, kubernetesProviderFor, workloadSettingsProblems } from "./workload";
import { composeSecrets, secretsSettingsProblems } from "./secrets";
import { appOtlpEndpoint, clusterNameOf, composeAlerting, composeObservability, containerInsightsLogGroups, observabilitySettingsProblems } from "./observability";
import { Problem, SettingsError } from "../settings/errors";

/**
 * Composes the layers of a stack from its settings: on cloud stacks the AWS layers (keys,
 * platform, alerting, data, secrets), then the workload every stack deploys, then observability
 * over what exists. Returns the stack outputs.
 */
export function composeStack(settings: Settings): Record<string, pulumi.Input<unknown>> {
    const problems = stackSettingsProblems(settings);
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    const aws =
        settings.platform === "aws"
            ? createAwsProviders(settings.appName, {
                  region: settings.region,
                  drRegion: settings.drRegion,
                  tags: {
                      environment: settings.environment,
                      project: settings.appName,
                      owner: settings.owner,
                      costCenter: settings.costCenter,
                  },
              })
            : undefined;
    const cloud = aws && buildsPlatform(settings) ? composeCloudLayers(settings, aws) : undefined;

    // The workload runs on dev's local cluster, on the staging cluster for pr-<N> (by
    // StackReference), or on the cloud stack's own cluster, reading the Secret that External
    // Secrets Operator keeps in step with Secrets Manager.
    const kubernetes = cloud?.platform.kubernetes ?? kubernetesProviderFor(settings);
    const workload = kubernetes ? composeWorkload(settings, kubernetes, cloud ? cloudWorkloadExtras(settings, cloud) : undefined) : undefined;
    if (cloud && workload) {
        cloud.platform.bind({ namespace: workload.namespace.name, servicePort: SERVICE_PORT, serviceNames: workload.app.serviceNames, dependsOn: [workload.app] });
    }
    const observability = cloud ? composeCloudObservability(settings, cloud) : undefined;

    return {
        environment: settings.environment,
        profile: settings.profile,
        url: appUrl(settings),
        ...(aws ? { region: settings.region, drRegion: settings.drRegion } : {}),
        ...(cloud?.platform.outputs ?? {}),
        ...(cloud?.data?.outputs ?? {}),
        ...(cloud?.secrets?.outputs ?? {}),
        ...(observability?.outputs ?? {}),
        ...(workload?.outputs ?? {}),
    };
}

/**
 * What the layers this stack composes need of its settings beyond the schema (a secret a cloud
 * stack must have, a kube context for dev...), all of it, before any resource is registered: a
 * user sees every problem at once, and nothing is half-created.
 */
export function stackSettingsProblems(settings: Settings): Problem[] {
    const cloudData = settings.platform === "aws" && buildsPlatform(settings) && buildsDataStores(settings);
    return [
        ...workloadSettingsProblems(settings),
        ...(cloudData ? secretsSettingsProblems(settings) : []),
        ...(cloudData ? observabilitySettingsProblems(settings) : []),
    ];
}

/** The AWS layers of a cloud stack, in the order they depend on each other. */
interface CloudLayers {
    aws: AwsProviders;
    keys: Keys;
    platform: Platform;
    alerting: ReturnType<typeof composeAlerting>;
    /** Managed data stores: every cloud stack that builds a platform (not previews). */
    data?: ReturnType<typeof composeData>;
    /** Secrets Manager with rotation; needs the data layer's connection strings. */
    secrets?: ReturnType<typeof composeSecrets>;
}

function composeCloudLayers(settings: Settings, aws: AwsProviders): CloudLayers {
    // The stack's keys first: the platform encrypts its log groups with `logs` and lets External
    // Secrets decrypt with `secrets`; the data and secrets layers use them too.
    const keys = new Keys(`${settings.appName}-${settings.environment}-keys`, {
        region: settings.region,
        drRegion: settings.drRegion,
        aliasPrefix: `${settings.appName}/${settings.environment}`,
        deletionWindowDays: settings.secrets.keyDeletionWindowDays,
        // The one intent for stateful resources: data under a deleted key is lost.
        protect: settings.database.deletionProtection,
        providers: aws,
    });
    // Log groups before their producers: the cluster's CloudWatch observability add-on writes these.
    const clusterLogGroups = containerInsightsLogGroups(settings, { logsKeyArn: keys.logs.arn, provider: aws.primary });
    const platform = composePlatform(settings, aws, { keys, containerInsightsLogGroups: Object.values(clusterLogGroups.groups) });
    // Alert topics before the data layer, which routes failed backup jobs to them.
    const alerting = composeAlerting(settings, { providers: aws, logsKeyArn: keys.logs.arn });
    const data = buildsDataStores(settings)
        ? composeData(settings, { providers: aws, network: platform.network, keys, alertTopicArn: alerting.primary.topicArns.medium })
        : undefined;
    const secrets = data
        ? composeSecrets(settings, {
              providers: aws,
              keys,
              network: platform.network,
              data,
              lowSeverityTopicArn: alerting.primary.topicArns.low,
              runbookUrl: `${settings.alerts.runbookBaseUrl}/secret-overdue`,
          })
        : undefined;
    return { aws, keys, platform, alerting, data, secrets };
}

/** How the workload joins a cloud stack: the Secret External Secrets fills, and the ExternalSecret itself. */
function cloudWorkloadExtras(settings: Settings, { platform, secrets }: CloudLayers): Parameters<typeof composeWorkload>[2] {
    return {
        existingSecretName: platform.appSecretName,
        // The app's traces go to the cluster's collector (runbook 3.4), which samples and exports them.
        config: { OTEL_EXPORTER_OTLP_ENDPOINT: appOtlpEndpoint(), OTEL_SERVICE_NAME: settings.appName },
        // The ExternalSecret in the workload's namespace, after ESO's release (its CRDs); the
        // migrations Job waits for it, since it reads the Secret it fills.
        inNamespace: (namespace) =>
            secrets
                ? [
                      secrets.deliver({
                          namespace,
                          secretName: platform.appSecretName,
                          k8sProvider: platform.kubernetes,
                          dependsOn: [platform.externalSecrets],
                      }).externalSecret,
                  ]
                : [],
    };
}

/** Alarms, logs, dashboards, health check and tracing over what the cloud layers built. */
function composeCloudObservability(settings: Settings, { aws, keys, platform, alerting, data }: CloudLayers): ReturnType<typeof composeObservability> {
    return composeObservability(settings, alerting, {
        providers: aws,
        logsKeyArn: keys.logs.arn,
        cluster: { name: clusterNameOf(settings), kubernetes: platform.kubernetes },
        loadBalancer: { arn: platform.edge.loadBalancerArn, targetGroupArns: Object.values(platform.edge.targetGroupArns).filter((a) => a !== undefined) },
        certificateArn: platform.edge.certificateArn,
        publicHostname: true,
        ...(data
            ? {
                  database: { identifier: data.alarmTargets.databaseIdentifier },
                  cache: { replicationGroupId: data.alarmTargets.replicationGroupId, nodes: settings.cache.nodes },
                  backupVaultNames: [data.alarmTargets.backupVaultName],
                  ...(data.alarmTargets.restoreValidation ? { restoreValidation: data.alarmTargets.restoreValidation } : {}),
              }
            : {}),
    });
}

/** The app's URL (runbook 1.1): `http://localhost:<port>` in development, `https://<host>` elsewhere. */
export function appUrl(settings: Pick<Settings, "hostname" | "app">): string {
    return settings.hostname === "localhost" ? `http://localhost:${settings.app.port}` : `https://${settings.hostname}`;
}
