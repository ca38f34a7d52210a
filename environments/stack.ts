import * as pulumi from "@pulumi/pulumi";
import { createAwsProviders } from "../modules/aws/providers";
import { SERVICE_PORT } from "../modules/workload";
import type { Settings } from "./load";
import { buildsPlatform, composePlatform } from "./platform";
import { buildsDataStores, composeData } from "./data";
import { Keys } from "../modules/keys";
import { composeWorkload, kubernetesProviderFor } from "./workload";
import { composeSecrets } from "./secrets";
import { clusterNameOf, composeAlerting, composeObservability, containerInsightsLogGroups } from "./observability";

/**
 * Composes the layers of a stack from its settings: the AWS platform layer for cloud stacks,
 * then the workload every stack deploys. Returns the stack outputs.
 */
export function composeStack(settings: Settings): Record<string, pulumi.Input<unknown>> {
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

    // The workload runs on dev's local cluster, or for pr-<N> on the staging cluster (by
    // StackReference). Cloud stacks build their own cluster (environments/platform.ts); its
    // provider deploys the workload, which reads the Secret External Secrets Operator keeps.
    // The stack's keys (modules/keys) come first: the platform encrypts its log groups with `logs`
    // and lets External Secrets decrypt with `secrets`; the data and secrets layers use them too.
    const keys =
        aws && buildsPlatform(settings)
            ? new Keys(`${settings.appName}-${settings.environment}-keys`, {
                  region: settings.region,
                  drRegion: settings.drRegion,
                  aliasPrefix: `${settings.appName}/${settings.environment}`,
                  deletionWindowDays: settings.secrets.keyDeletionWindowDays,
                  // The one intent for stateful resources: data under a deleted key is lost.
                  protect: settings.database.deletionProtection,
                  providers: aws,
              })
            : undefined;
    // Log groups before their producers: the cluster's CloudWatch observability add-on writes these.
    const clusterLogGroups = aws && keys ? containerInsightsLogGroups(settings, { logsKeyArn: keys.logs.arn, provider: aws.primary }) : undefined;
    const platform = aws && keys && clusterLogGroups ? composePlatform(settings, aws, { keys, containerInsightsLogGroups: Object.values(clusterLogGroups.groups) }) : undefined;
    // Alert topics first (environments/observability.ts): the data layer routes failed backup jobs there.
    const alerting = platform && aws && keys ? composeAlerting(settings, { providers: aws, logsKeyArn: keys.logs.arn }) : undefined;
    // The data layer (environments/data.ts): RDS, ElastiCache, files, AWS Backup, on the platform's
    // network, encrypted with the stack's keys.
    const data =
        platform && aws && keys && buildsDataStores(settings)
            ? composeData(settings, { providers: aws, network: platform.network, keys, alertTopicArn: alerting?.primary.topicArns.medium })
            : undefined;
    // The secrets layer (environments/secrets.ts): Secrets Manager with rotation, and the
    // ExternalSecret that keeps the workload's Secret (platform.appSecretName) in step with it.
    const secretsLayer =
        platform && aws && keys && data && alerting
            ? composeSecrets(settings, {
                  providers: aws,
                  keys,
                  network: platform.network,
                  data,
                  lowSeverityTopicArn: alerting.primary.topicArns.low,
                  runbookUrl: `${settings.alerts.runbookBaseUrl}/secret-overdue`,
              })
            : undefined;
    const kubernetes = platform?.kubernetes ?? kubernetesProviderFor(settings);
    const workload = kubernetes
        ? composeWorkload(
              settings,
              kubernetes,
              platform
                  ? {
                        existingSecretName: platform.appSecretName,
                        // The ExternalSecret in the workload's namespace, after ESO's release (its CRDs);
                        // the migrations Job waits for it, since it reads the Secret it fills.
                        inNamespace: (namespace) =>
                            secretsLayer
                                ? [
                                      secretsLayer.deliver({
                                          namespace,
                                          secretName: platform.appSecretName,
                                          k8sProvider: platform.kubernetes,
                                          dependsOn: [platform.externalSecrets],
                                      }).externalSecret,
                                  ]
                                : [],
                    }
                  : undefined,
          )
        : undefined;
    if (platform && workload) {
        platform.bind({ namespace: workload.namespace.name, servicePort: SERVICE_PORT, serviceNames: workload.app.serviceNames, dependsOn: [workload.app] });
    }
    // Alarms, logs, dashboards, health check and tracing over what the layers above built.
    const observability =
        platform && aws && keys && alerting
            ? composeObservability(settings, alerting, {
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
                        }
                      : {}),
              })
            : undefined;

    return {
        environment: settings.environment,
        profile: settings.profile,
        url: appUrl(settings),
        ...(aws ? { region: settings.region, drRegion: settings.drRegion } : {}),
        ...(platform ? platform.outputs : {}),
        ...(data ? data.outputs : {}),
        ...(secretsLayer ? secretsLayer.outputs : {}),
        ...(observability ? observability.outputs : {}),
        ...(workload ? workload.outputs : {}),
    };
}

/** The app's URL (runbook 1.1): `http://localhost:<port>` in development, `https://<host>` elsewhere. */
export function appUrl(settings: Pick<Settings, "hostname" | "app">): string {
    return settings.hostname === "localhost" ? `http://localhost:${settings.app.port}` : `https://${settings.hostname}`;
}
