import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import type { Roles } from "../modules/aws/roles";
import { controlPlaneLogGroupName } from "../modules/cluster/cluster";
import { RegionalKey } from "../modules/keys";
import { rebuildImage } from "../modules/dr/imageCache";
import { StandbyAlerting } from "../modules/dr/standby";
import { OnCall } from "../modules/oncall";
import {
    AlarmDefinition,
    Alarms,
    AlertRouting,
    type AlertRoutingArgs,
    Dashboards,
    HEALTH_CHECK_METRICS_REGION,
    LogGroups,
    MonitoredTargets,
    SavedQueries,
    ServiceHealthCheck,
    TracingCollector,
    collectorOtlpEndpoint,
    alarmCatalog,
    CATALOG_SLUGS,
    applicationLogGroupName,
    containerInsightsLogGroupNames,
    postgresMaxConnections,
    RDS_INSTANCE_MEMORY_GIB,
    cacheNodeIds,
    loadBalancerArnSuffix,
    targetGroupArnSuffix,
} from "../modules/observability";
import type { Problem } from "../settings/errors";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";


/** Where the app on a cloud stack sends its traces: the collector's OTLP gRPC endpoint. */
export function appOtlpEndpoint(names: StackNames): string {
    return collectorOtlpEndpoint(names.observability.tracingNamespace);
}

/**
 * The observability layer of a cloud stack (runbook section 3): alert routing first (the data
 * layer routes its backup events there too), then log groups, the health check, alarms,
 * dashboards and the tracing collector over whatever the other layers built. A resource group
 * that does not exist yet leaves its alarms and widgets out: `notWired` lists them.
 */

/** Where alerts go: the severity topics of the primary region, and of us-east-1 for the health check. */
export interface Alerting {
    primary: AlertRouting;
    /** The topics the service-down alarm (us-east-1, where Route53 metrics are) publishes to. */
    healthCheckRegion: AlertRouting;
    /** The DR region's topics, with a standby (`dr.standby`): its alarms (replica lag) live there. */
    drRegion?: AlertRouting;
}

export interface AlertingDeps {
    providers: AwsProviders;
    /** The `logs` key (modules/keys): its policy lets CloudWatch and EventBridge publish to encrypted topics. */
    logsKeyArn: pulumi.Input<string>;
    /** Where AWS Chatbot's role comes from (modules/aws/roles.ts). */
    roles: Roles;
}

/** The alert topics and their subscriptions (runbook 3.5). */
export function composeAlerting(settings: Settings, names: StackNames, deps: AlertingDeps): Alerting {
    const prefix = names.perStack;
    const accountId = aws.getCallerIdentityOutput({}, { provider: deps.providers.primary }).accountId;
    const common = {
        namePrefix: prefix,
        kmsKeyArn: deps.logsKeyArn,
        pagerDutyUrl: pagerDutyUrl(settings, names),
        slack: settings.alerts.slack,
        emails: settings.alerts.emails,
        accountId,
        provider: deps.providers.primary,
        roles: deps.roles,
    };
    // The stack's budget (modules/budget) alerts the primary low topic.
    const primary = new AlertRouting(names.observability.alerts, { ...common, budgetsPublishToLow: true });
    const drRegion = settings.dr.standby ? regionalRouting(settings, names, common, settings.drRegion, { parent: new StandbyAlerting(`${prefix}-dr-alerting`) }) : undefined;
    // A DR rebuild has no public health check of its own (no Route 53): its region's topics serve all.
    if (settings.region === HEALTH_CHECK_METRICS_REGION || settings.dr.rebuildOf !== undefined) return { primary, healthCheckRegion: primary, ...(drRegion ? { drRegion } : {}) };
    // KMS keys are regional: the us-east-1 topics get a key of their own there, protected like the
    // stack's other keys. It was a bare key of the stack before it came from modules/keys: the alias
    // keeps that key rather than replace it.
    const key = new RegionalKey(names.observability.alertsInHealthCheckRegion, {
        purpose: "alerts",
        region: HEALTH_CHECK_METRICS_REGION,
        aliasPrefix: names.observability.alertsKeyAliasPrefix,
        deletionWindowDays: settings.secrets.keyDeletionWindowDays,
        protect: settings.protectStatefulResources,
        provider: deps.providers.primary,
        keyAliases: [{ parent: pulumi.rootStackResource }],
    });
    const healthCheckRegion = new AlertRouting(names.observability.alertsInHealthCheckRegion, {
        ...common,
        kmsKeyArn: key.arn,
        region: HEALTH_CHECK_METRICS_REGION,
        // One Slack configuration (the primary's) is enough; email and PagerDuty subscribe to both.
        slack: undefined,
    });
    return { primary, healthCheckRegion, ...(drRegion ? { drRegion } : {}) };
}

/** The severity topics in another region, on a key of their own there (KMS keys are regional). */
function regionalRouting(settings: Settings, names: StackNames, common: Omit<AlertRoutingArgs, "region">, region: string, opts: pulumi.ComponentResourceOptions): AlertRouting {
    const name = `${names.perStack}-alerts-${region}`;
    const key = new RegionalKey(name, {
        purpose: "alerts",
        region,
        aliasPrefix: names.observability.alertsKeyAliasPrefix,
        deletionWindowDays: settings.secrets.keyDeletionWindowDays,
        protect: settings.protectStatefulResources,
        provider: common.provider,
    }, opts);
    return new AlertRouting(name, { ...common, kmsKeyArn: key.arn, region, slack: undefined }, opts);
}

/**
 * Where critical and high alerts reach PagerDuty: with `pagerDutyToken`, the CloudWatch integration
 * of the on-call the program manages (modules/oncall); else `pagerDutyIntegrationUrl` as pasted in;
 * else nowhere (the pre-check refuses both at once).
 */
function pagerDutyUrl(settings: Settings, names: StackNames): pulumi.Input<string> | undefined {
    if (settings.pagerDutyToken === undefined) return settings.pagerDutyIntegrationUrl;
    const onCall = new OnCall(names.observability.onCall, {
        namePrefix: names.perStack,
        token: settings.pagerDutyToken,
        responders: settings.onCall.responders,
        escalateTo: settings.onCall.escalateTo,
        escalateAfterMinutes: settings.onCall.escalateAfterMinutes,
        handoff: settings.onCall.handoff,
        timeZone: settings.onCall.timeZone,
    });
    return onCall.integrationUrl;
}

/** What the other layers built, as far as they exist. */
export interface ObservedResources {
    providers: AwsProviders;
    /** Where the collector's role comes from (modules/aws/roles.ts). */
    roles: Roles;
    logsKeyArn: pulumi.Input<string>;
    /** The EKS cluster (platform layer): name, its Kubernetes provider for the collector, and (a DR rebuild) its own ECR host, whose pull-through cache serves the collector image. */
    cluster?: { name: string; kubernetes: k8s.Provider; imageCacheHost?: pulumi.Input<string> };
    /** The ALB and the tracks' target groups (platform layer), by ARN. */
    loadBalancer?: { arn: pulumi.Input<string>; targetGroupArns: pulumi.Input<string>[] };
    /** The ACM certificate the ALB serves (platform layer). */
    certificateArn?: pulumi.Input<string>;
    /** The RDS instance (data layer). */
    database?: { identifier: pulumi.Input<string> };
    /** The ElastiCache replication group (data layer) and its node count. */
    cache?: { replicationGroupId: pulumi.Input<string>; nodes: number };
    /** AWS Backup vaults whose jobs are watched (data layer). */
    backupVaultNames?: Array<pulumi.Input<string>>;
    /** The restore test's automated validation (data layer), whose failures the restore alarm counts. */
    restoreValidation?: { namespace: string; restoreTestingPlan: pulumi.Input<string> };
}

/**
 * Catalogue alarms another layer creates beside what it watches, to the catalogue's values (the
 * plan tests hold them to it): the secrets layer's age check alarm, on the low topic.
 */
export const ALARMS_OF_OTHER_LAYERS: Readonly<Record<string, string>> = { "secret-overdue": "environments/secrets.ts (modules/secrets)" };

export interface ObservabilityLayer {
    alarms: Alarms;
    /** Catalogue alarms whose resources do not exist in this stack yet (and no other layer creates). */
    notWired: string[];
    outputs: Record<string, pulumi.Input<unknown>>;
}

/**
 * Settings the observability layer needs that the schema cannot check alone: a maximum for the
 * database connections alarm when the instance class's memory is not known.
 */
export function observabilitySettingsProblems(settings: Pick<Settings, "database" | "alerts" | "pagerDutyToken" | "pagerDutyIntegrationUrl" | "onCall">): Problem[] {
    return [...onCallProblems(settings), ...maxConnectionsProblems(settings)];
}

/** With a PagerDuty token the program makes the integration: a pasted URL beside it, or nobody on call, is a mistake. */
function onCallProblems(settings: Pick<Settings, "pagerDutyToken" | "pagerDutyIntegrationUrl" | "onCall">): Problem[] {
    if (settings.pagerDutyToken === undefined) return [];
    const problems: Problem[] = [];
    if (settings.pagerDutyIntegrationUrl !== undefined) {
        problems.push({
            key: "ops:pagerDutyIntegrationUrl",
            received: "[secret], beside pagerDutyToken",
            allowed: "one of the two: pagerDutyToken (the program creates the on-call and its CloudWatch integration, and uses its URL) or pagerDutyIntegrationUrl (an integration made by hand)",
            fix: "pulumi config rm pagerDutyIntegrationUrl   (or unset OPS_PAGER_DUTY_INTEGRATION_URL), or remove pagerDutyToken",
        });
    }
    if (settings.onCall.responders.length === 0) {
        problems.push({
            key: "ops:onCall.responders",
            received: "[] (nobody), with pagerDutyToken set",
            allowed: "the weekly rotation in order: the e-mail addresses of at least one PagerDuty user",
            fix: `pulumi config set --path 'onCall.responders[0]' oncall-1@example.com   (or OPS_ON_CALL__RESPONDERS='["oncall-1@example.com","oncall-2@example.com"]')`,
        });
    }
    return problems;
}

function maxConnectionsProblems(settings: Pick<Settings, "database" | "alerts">): Problem[] {
    const cls = settings.database.instanceClass;
    if (settings.alerts.databaseMaxConnections !== undefined || RDS_INSTANCE_MEMORY_GIB[cls] !== undefined) return [];
    return [
        {
            key: "ops:alerts.databaseMaxConnections",
            received: `nothing (the key is not set), and database.instanceClass ${cls} is not in the table of known classes`,
            allowed: `the instance's max_connections (SHOW max_connections), so that the connections alarm fires at ${settings.alerts.thresholds.databaseConnectionsPercent}% of it; or one of the known classes: ${Object.keys(RDS_INSTANCE_MEMORY_GIB).join(", ")}`,
            fix: "pulumi config set --path alerts.databaseMaxConnections <max_connections>",
        },
    ];
}

/**
 * The Container Insights log groups of the stack's cluster (`/aws/containerinsights/<cluster>/*`),
 * with the environment's retention and the logs key. Composed before the platform: the cluster's
 * CloudWatch observability add-on waits for them, or its agents would create them on first write
 * with no retention and no key, and Pulumi could then not create them. The component keeps the
 * name it had when the observability layer made it (`<prefix>-logs`), so nothing is replaced.
 */
export function containerInsightsLogGroups(settings: Settings, names: StackNames, deps: { logsKeyArn: pulumi.Input<string>; provider: aws.Provider }): LogGroups {
    return new LogGroups(names.observability.containerInsightsLogs, {
        names: containerInsightsLogGroupNames(names.cluster),
        retentionDays: settings.logging.retentionDays,
        kmsKeyArn: deps.logsKeyArn,
        provider: deps.provider,
    });
}

export function composeObservability(settings: Settings, names: StackNames, alerting: Alerting, r: ObservedResources): ObservabilityLayer {
    const n = names.observability;
    const prefix = names.perStack;
    const provider = r.providers.primary;

    // The cluster's Container Insights groups come before the cluster (containerInsightsLogGroups).
    if (r.cluster) {
        new SavedQueries(n.queries, { namePrefix: prefix, applicationLogGroup: applicationLogGroupName(r.cluster.name), namespace: names.workload.namespace, provider });
    }
    // The app is published at https://<hostname> wherever the load balancer is: the health check probes it.
    // Not on a DR rebuild: Route 53 is a global control plane, and its metrics live in us-east-1;
    // the standby's failover health checks, made by the primary stack, watch the standby ALB, and
    // the rebuild's own ALB alarms (unhealthy targets, 5xx) watch it in its region.
    const healthCheck = r.loadBalancer && settings.dr.rebuildOf === undefined
        ? new ServiceHealthCheck(n.healthCheck, { hostname: settings.hostname, searchString: settings.alerts.healthCheckSearchString, requestIntervalSeconds: 10, failureThreshold: 3, provider })
        : undefined;
    const targets = monitoredTargets(settings, r, healthCheck);
    const definitions = alarmCatalog(settings.alerts.thresholds, targets);
    const { alarms, alarmArns } = createAlarms(settings, names, alerting, definitions, provider);

    new Dashboards(n.dashboards, {
        namePrefix: prefix,
        targets: {
            region: settings.region,
            environment: settings.environment,
            appName: settings.appName,
            namespace: names.workload.namespace,
            ...(targets.loadBalancer ? { loadBalancer: targets.loadBalancer } : {}),
            ...(targets.database ? { database: targets.database } : {}),
            ...(targets.cache ? { cache: targets.cache } : {}),
            ...(r.cluster ? { cluster: { name: r.cluster.name, controlPlaneLogGroup: controlPlaneLogGroupName(r.cluster.name) } } : {}),
            alarmArns,
            // The feature flags' deployments (environments/flags.ts), beside the error rate.
            flagDeploymentsLogGroup: names.flags.deploymentsLogGroup,
        },
        provider,
    });

    const collector = r.cluster
        ? new TracingCollector(n.tracing, {
              namespace: n.tracingNamespace,
              clusterName: r.cluster.name,
              region: settings.region,
              image: rebuildImage(r.cluster.imageCacheHost, settings.tracing.collectorImage, settings.region),
              sampling: { sampledPercent: settings.tracing.sampledPercent, slowRequestMs: settings.tracing.slowRequestMs },
              awsProvider: provider,
              k8sProvider: r.cluster.kubernetes,
              roles: r.roles,
          })
        : undefined;

    const wired = new Set(definitions.map((d) => d.slug));
    return {
        alarms,
        notWired: CATALOG_SLUGS.filter((s) => !wired.has(s) && ALARMS_OF_OTHER_LAYERS[s] === undefined),
        outputs: {
            alertTopics: alerting.primary.topicArns,
            alarmsWired: [...wired],
            ...(collector ? { otlpEndpoint: collector.otlpEndpoint } : {}),
        },
    };
}

/** The identifiers the alarms and dashboards watch, as far as the resources exist. */
function monitoredTargets(settings: Settings, r: ObservedResources, healthCheck: ServiceHealthCheck | undefined): MonitoredTargets<pulumi.Input<string>> {
    const maxConnections = postgresMaxConnections(settings.database.instanceClass, settings.alerts.databaseMaxConnections);
    return {
        ...(r.loadBalancer
            ? {
                  loadBalancer: {
                      arnSuffix: pulumi.output(r.loadBalancer.arn).apply(loadBalancerArnSuffix),
                      targetGroupArnSuffixes: r.loadBalancer.targetGroupArns.map((a) => pulumi.output(a).apply(targetGroupArnSuffix)),
                  },
              }
            : {}),
        ...(healthCheck ? { healthCheck: { id: healthCheck.id } } : {}),
        ...(r.database ? { database: { identifier: r.database.identifier, maxConnections } } : {}),
        ...(r.cache ? { cache: { cacheClusterIds: cacheNodeIds(r.cache.replicationGroupId, r.cache.nodes) } } : {}),
        ...(r.cluster ? { cluster: { name: r.cluster.name } } : {}),
        ...(r.certificateArn ? { certificate: { arn: r.certificateArn } } : {}),
        ...(r.backupVaultNames?.length
            ? {
                  backup: {
                      vaultNames: r.backupVaultNames,
                      restoreTestResourceType: "RDS",
                      ...(r.restoreValidation ? { restoreValidation: r.restoreValidation } : {}),
                  },
              }
            : {}),
    };
}

/**
 * The catalogue's alarms: in the stack's region on the primary topics, except the health
 * check's, which live in us-east-1 (where Route53 publishes its metrics) on the topics there.
 */
function createAlarms(
    settings: Settings,
    names: StackNames,
    alerting: Alerting,
    definitions: Array<AlarmDefinition<pulumi.Input<string>>>,
    provider: aws.Provider,
): { alarms: Alarms; alarmArns: pulumi.Output<string>[] } {
    const inHealthCheckRegion = (d: AlarmDefinition<unknown>): boolean => d.requires === "healthCheck" && settings.region !== HEALTH_CHECK_METRICS_REGION;
    const alarms = new Alarms(names.observability.alarms, {
        namePrefix: names.perStack,
        definitions: definitions.filter((d) => !inHealthCheckRegion(d)),
        topicArns: alerting.primary.topicArns,
        runbookBaseUrl: settings.alerts.runbookBaseUrl,
        provider,
    });
    const remote = definitions.filter(inHealthCheckRegion);
    const remoteAlarms =
        remote.length > 0
            ? new Alarms(names.observability.alarmsInHealthCheckRegion, {
                  namePrefix: names.perStack,
                  definitions: remote,
                  topicArns: alerting.healthCheckRegion.topicArns,
                  runbookBaseUrl: settings.alerts.runbookBaseUrl,
                  region: HEALTH_CHECK_METRICS_REGION,
                  provider,
              })
            : undefined;
    return { alarms, alarmArns: [...Object.values(alarms.arns), ...Object.values(remoteAlarms?.arns ?? {})] };
}
