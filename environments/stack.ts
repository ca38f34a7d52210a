import { getCallerIdentityOutput } from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecrRegistryHost } from "../modules/registry/imageSource";
import { AwsProviders, createAwsProviders } from "../modules/aws/providers";
import { Keys } from "../modules/keys";
import { runbookUrl } from "../modules/observability/alarms";
import { SERVICE_PORT } from "../modules/workload";
import { Problem, SettingsError } from "../settings/errors";
import { type Settings, type StackSettings, isBootstrap, withSources } from "../settings/load";
import { Layer, SHAPE_LAYERS, StackShape, stackShape } from "../settings/shape";
import { bootstrapSettingsProblems, composeBootstrapStack } from "./bootstrap";
import { composeBudget } from "./budget";
import { composeRoles, rebuildRoleOutputs } from "./roles";
import { composeData } from "./data";
import { composeAppIdentity } from "./identity";
import { composeFlags, flagsSettingsProblems, flagsSidecar } from "./flags";
import { StackNames, stackNames } from "./names";
import { appOtlpEndpoint, composeAlerting, composeObservability, containerInsightsLogGroups, observabilitySettingsProblems } from "./observability";
import { ciRunnerSettingsProblems, composePlatform } from "./platform";
import { composeSecrets, secretsSettingsProblems } from "./secrets";
import { composeStandby } from "./standby";
import { composeWorkload, localAccessOutputs, localCluster, previewCluster, workloadSettingsProblems } from "./workload";

/** A stack's outputs, as `index.ts` exports them. */
type Outputs = Record<string, pulumi.Input<unknown>>;

/**
 * Composes a stack from its settings: checks every layer's settings first (nothing is created
 * when one is wrong), then composes the layers of the stack's shape (settings/shape.ts).
 * Returns the stack outputs.
 */
export function composeStack(settings: StackSettings): Outputs {
    if (isBootstrap(settings)) {
        // The bootstrap stack has settings of its own, and one layer (settings/shape.ts).
        const problems = bootstrapSettingsProblems(settings);
        if (problems.length > 0) throw new SettingsError(settings.stack, problems);
        return composeBootstrapStack(settings);
    }
    const shape = stackShape(settings);
    if (shape === "bootstrap") throw new Error(`stack ${settings.stack}: only the bootstrap profile has the bootstrap shape`);
    const problems = stackSettingsProblems(settings, shape);
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    const names = stackNames(settings, shape);
    return {
        environment: settings.environment,
        profile: settings.profile,
        url: appUrl(settings),
        // What `npm run cost` holds the estimate to, whatever the shape (tools/cost.ts reads it from the plan).
        ...(settings.cost.monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd: settings.cost.monthlyBudgetUsd } : {}),
        ...COMPOSERS[shape](settings, names),
    };
}

/** The layers' own checks of the settings, beyond the schema (they depend on the stack's shape). */
const LAYER_PROBLEMS: Partial<Record<Layer, (settings: Settings, shape: StackShape) => Problem[]>> = {
    platform: ciRunnerSettingsProblems,
    secrets: secretsSettingsProblems,
    workload: workloadSettingsProblems,
    observability: observabilitySettingsProblems,
    flags: flagsSettingsProblems,
};

/**
 * What the layers this stack composes need of its settings beyond the schema (a secret a cloud
 * stack must have, a kube context for dev...), all of it, before any resource is registered: a
 * user sees every problem at once, and nothing is half-created. The layers themselves check
 * nothing again.
 */
export function stackSettingsProblems(settings: Settings, shape: StackShape = stackShape(settings)): Problem[] {
    return withSources(settings, SHAPE_LAYERS[shape].flatMap((layer) => LAYER_PROBLEMS[layer]?.(settings, shape) ?? []));
}

/** One composer per shape: the layers of `SHAPE_LAYERS`, in that order (the bootstrap stack's: environments/bootstrap.ts). */
const COMPOSERS: Record<Exclude<StackShape, "bootstrap">, (settings: Settings, names: StackNames) => Outputs> = {
    local: composeLocalStack,
    preview: composePreviewStack,
    cloud: composeCloudStack,
};

/** dev: the workload and its in-cluster stores on a local cluster; no AWS at all. */
function composeLocalStack(settings: Settings, names: StackNames): Outputs {
    const workload = composeWorkload(settings, names, { kubernetes: localCluster(settings, names), secrets: { kind: "inCluster" }, flags: flagsSidecar(settings, names, "local") });
    return { ...workload.outputs, ...localAccessOutputs(settings, workload) };
}

/** pr-<N>: the workload and its in-cluster stores in a namespace of the staging cluster (by StackReference). */
function composePreviewStack(settings: Settings, names: StackNames): Outputs {
    // Declared as on every AWS-platform stack: the account the preview pulls staging's repository from.
    const aws = awsProviders(settings, names);
    const workload = composeWorkload(settings, names, {
        kubernetes: previewCluster(settings, names),
        secrets: { kind: "inCluster" },
        flags: flagsSidecar(settings, names, "preview"),
        // Staging's ECR (same account and region), where CI pushes the pull request's image.
        registryHost: ecrRegistryHost(getCallerIdentityOutput({}, { provider: aws.primary }).accountId, settings.region),
    });
    return { region: settings.region, drRegion: settings.drRegion, ...workload.outputs };
}

/**
 * A cloud stack: the AWS layers in the order they depend on each other (keys, platform, alerting,
 * data, secrets), then the workload on the stack's own cluster, reading the Secret that External
 * Secrets Operator keeps in step with Secrets Manager, then observability over what exists, and
 * the stack's budget (global: the one layer a DR rebuild will leave out).
 */
function composeCloudStack(settings: Settings, names: StackNames): Outputs {
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

/**
 * The AWS providers of the primary and DR regions, with the tags every AWS resource carries. A DR
 * rebuild (`dr.rebuildOf`) has its own region's only: its DR region is the one that failed.
 */
function awsProviders(settings: Settings, names: StackNames): AwsProviders {
    return createAwsProviders(names.awsProviders, {
        region: settings.region,
        ...(settings.dr.rebuildOf === undefined ? { drRegion: settings.drRegion } : {}),
        tags: { environment: settings.environment, project: settings.appName, owner: settings.owner, costCenter: settings.costCenter },
    });
}

/** The app's URL (runbook 1.1): `http://localhost:<port>` in development, `https://<host>` elsewhere. */
export function appUrl(settings: Pick<Settings, "hostname" | "app">): string {
    return settings.hostname === "localhost" ? `http://localhost:${settings.app.port}` : `https://${settings.hostname}`;
}
