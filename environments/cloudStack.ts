import { Keys } from "../modules/keys";
import { runbookUrl } from "../modules/observability/alarms";
import { SERVICE_PORT } from "../modules/workload";
import type { Settings } from "../settings/load";
import { composeBudget } from "./budget";
import { composeData } from "./data";
import { composeFlags, flagsSidecar } from "./flags";
import { composeAppIdentity } from "./identity";
import type { StackNames } from "./names";
import { appOtlpEndpoint, composeAlerting, composeObservability, containerInsightsLogGroups } from "./observability";
import { composePlatform } from "./platform";
import { awsProviders } from "./providers";
import { composeRoles, rebuildRoleOutputs } from "./roles";
import { composeSecrets } from "./secrets";
import { composeStandby } from "./standby";
import type { Outputs } from "./stack";
import { composeWorkload } from "./workload";

/**
 * A cloud stack: the AWS layers in the order they depend on each other (keys, platform, alerting,
 * data, secrets), then the workload on the stack's own cluster, reading the Secret that External
 * Secrets Operator keeps in step with Secrets Manager, then observability over what exists, and
 * the stack's budget (global: the one layer a DR rebuild will leave out).
 */
export function composeCloudStack(settings: Settings, names: StackNames): Outputs {
    const aws = awsProviders(settings, names);
    // Every role the layers use: created here, or (a DR rebuild) created ahead by the primary stack.
    const roles = composeRoles(settings, aws);
    // The stack's keys first: the platform encrypts its log groups with `logs` and lets External
    // Secrets decrypt with `secrets`; the data and secrets layers use them too.
    const keys = new Keys(names.keys.component, {
        region: settings.region,
        // A DR rebuild's DR region is the failed one: no keys there (it copies nothing out).
        ...(settings.dr.rebuildOf === undefined ? { drRegion: settings.drRegion } : {}),
        aliasPrefix: names.keys.aliasPrefix,
        deletionWindowDays: settings.secrets.keyDeletionWindowDays,
        // The one intent for stateful resources: data under a deleted key is lost.
        protect: settings.protectStatefulResources,
        providers: aws,
    });
    // Log groups before their producers: the cluster's CloudWatch observability add-on writes these.
    const clusterLogGroups = containerInsightsLogGroups(settings, names, { logsKeyArn: keys.logs.arn, provider: aws.primary });
    const platform = composePlatform(settings, names, aws, { keys, roles, containerInsightsLogGroups: Object.values(clusterLogGroups.groups) });
    // Alert topics before the data layer, which routes failed backup jobs to them.
    const alerting = composeAlerting(settings, names, { providers: aws, logsKeyArn: keys.logs.arn, roles });
    const data = composeData(settings, names, { providers: aws, network: platform.network, keys, roles, alertTopicArn: alerting.primary.topicArns.medium });
    // The standby footprint in the DR region, once the primary's edge and database exist (dr.standby).
    const standby = settings.dr.standby && platform.edge.own && keys.dr && alerting.drRegion && data.database.monitoringRoleArn
        ? composeStandby(settings, names, {
              providers: aws,
              edge: { component: platform.edge.own, zoneId: platform.edge.own.zoneId, loadBalancerDnsName: platform.edge.own.loadBalancerDnsName, loadBalancerZoneId: platform.edge.own.loadBalancerZoneId },
              database: { arn: data.database.arn, monitoringRoleArn: data.database.monitoringRoleArn },
              drDataKeyArn: keys.dr.data.arn,
              drTopicArns: { high: alerting.drRegion.topicArns.high },
          })
        : {};
    const secrets = composeSecrets(settings, names, {
        providers: aws,
        keys,
        network: platform.network,
        data,
        lowSeverityTopicArn: alerting.primary.topicArns.low,
        runbookUrl: runbookUrl(settings.alerts.runbookBaseUrl, "secret-overdue"),
        roles,
    });
    // The app's own AWS role (Pod Identity), with a policy per purpose: other layers attach theirs.
    const appIdentity = composeAppIdentity(settings, names, { providers: aws, clusterName: platform.cluster.name, roles });
    const workload = composeWorkload(settings, names, {
        kubernetes: platform.kubernetes,
        secrets: {
            kind: "external",
            secretName: names.appSecret,
            // The ExternalSecret in the workload's namespace, after ESO's release (its CRDs); the
            // migrations Job waits for it, since it reads the Secret it fills. It waits for the app's
            // Pod Identity association too: a pod gets its AWS credentials only if created after it.
            inNamespace: (namespace) => [
                secrets.deliver({ namespace, secretName: names.appSecret, k8sProvider: platform.kubernetes, dependsOn: [platform.externalSecrets] }).externalSecret,
                appIdentity.association,
            ],
        },
        // The app's traces go to the cluster's collector (runbook 3.4), which samples and exports them.
        config: { OTEL_EXPORTER_OTLP_ENDPOINT: appOtlpEndpoint(names), OTEL_SERVICE_NAME: settings.appName },
        flags: flagsSidecar(settings, names, "cloud", platform.imageCacheHost),
        // Each track's TargetGroupBinding between its Service and its pods, in a namespace labelled
        // for readiness gates: pods are Ready only once healthy in the ALB (modules/edge/bindings.ts).
        loadBalancer: {
            namespaceLabels: platform.podBinding.namespaceLabels,
            beforePods: (namespace, track, service) => [platform.podBinding.bind({ namespace, track: track.track, service, servicePort: SERVICE_PORT })],
        },
        registryHost: platform.registryHost,
        // The context the cluster's kubeconfig output creates (and `aws eks update-kubeconfig --alias <cluster>`, docs/deployment.md).
        kubeContext: names.cluster,
    });
    const observability = composeObservability(settings, names, alerting, {
        providers: aws,
        roles,
        logsKeyArn: keys.logs.arn,
        cluster: { name: names.cluster, kubernetes: platform.kubernetes, ...(platform.imageCacheHost ? { imageCacheHost: platform.imageCacheHost } : {}) },
        loadBalancer: { arn: platform.edge.loadBalancerArn, targetGroupArns: Object.values(platform.edge.targetGroupArns).filter((a) => a !== undefined) },
        certificateArn: platform.edge.certificateArn,
        database: { identifier: data.database.identifier },
        cache: { replicationGroupId: data.cache.replicationGroupId, nodes: settings.cache.nodes },
        backupVaultNames: [data.backup.vaultName],
        ...(data.restoreValidationMetric ? { restoreValidation: data.restoreValidationMetric } : {}),
    });
    const budget = composeBudget(settings, names, { providers: aws, lowSeverityTopicArn: alerting.primary.topicArns.low });
    // After the alarms: a flags rollout watches error-rate-high and latency-p95-high.
    const flags = composeFlags(settings, names, { providers: aws, roles, alarmArns: observability.alarms.arns, appIdentity, logsKeyArn: keys.logs.arn });
    return {
        region: settings.region,
        drRegion: settings.drRegion,
        appRoleArn: appIdentity.role.arn,
        ...budget,
        ...platform.outputs,
        ...data.outputs,
        ...secrets.outputs,
        ...observability.outputs,
        ...workload.outputs,
        ...flags.outputs,
        ...standby,
        ...rebuildRoleOutputs(settings, roles),
    };
}
