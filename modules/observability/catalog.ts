/**
 * The alarm catalogue: every alarm of runbook section 3 (3.2 metric tables, 3.5 alert
 * definitions, 3.7 health checks) plus the ones sections 1.4, 3.9, 4.2 and 2.3 imply, as data.
 *
 * Pure: no resources are created here. `alarmCatalog` takes the thresholds (settings, with the
 * runbook's values as defaults) and the identifiers of the monitored resources, and returns one
 * definition per alarm; `Alarms` (alarms.ts) turns each into one CloudWatch alarm. Tests read the
 * same definitions, and `docs/runbooks/<slug>.md` exists for each slug.
 *
 * The identifier type `V` is a string in tests and a `pulumi.Input<string>` in the component, so
 * the one function serves both without creating anything.
 */

/** Alert severities of runbook 3.5, most urgent first. */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The incident severity (runbook 3.8) an alarm of each alert severity opens. */
export const INCIDENT_SEVERITY: Record<Severity, "SEV-1" | "SEV-2" | "SEV-3" | "SEV-4"> = {
    critical: "SEV-1",
    high: "SEV-2",
    medium: "SEV-3",
    low: "SEV-4",
};

/** CloudWatch's treatments of missing data. */
export type MissingData = "breaching" | "notBreaching" | "ignore" | "missing";

export type Comparison =
    | "GreaterThanThreshold"
    | "GreaterThanOrEqualToThreshold"
    | "LessThanThreshold"
    | "LessThanOrEqualToThreshold"
    | "LessThanLowerOrGreaterThanUpperThreshold";

/** Thresholds, from settings (`alerts.thresholds`); the defaults are the runbook's values. */
export interface Thresholds {
    /** 3.5 high / 1.4 rollback trigger: 5. */
    errorRateHighPercent: number;
    /** 3.2 / 3.5 medium: 1. */
    errorRateElevatedPercent: number;
    /** 3.2 / 3.5: 500. */
    latencyP95Ms: number;
    /** 3.2: 1000. */
    latencyP99Ms: number;
    /** 3.2: 90 (of the instance's max_connections). */
    databaseConnectionsPercent: number;
    /** 3.2: 60. */
    cacheHitRatePercent: number;
    /** 3.2: 85. */
    cpuPercent: number;
    /** 3.2: 90. */
    memoryPercent: number;
    /** 3.2: 85. */
    diskPercent: number;
    /** 3.5 low: 70. */
    diskWarningPercent: number;
    /** 4.2: 30. */
    certificateExpiryDays: number;
    /** Width of the network anomaly band, in standard deviations: 2. */
    networkAnomalyBandWidth: number;
}

/** The runbook's thresholds: the defaults of `alerts.thresholds`. */
export const RUNBOOK_THRESHOLDS: Thresholds = {
    errorRateHighPercent: 5,
    errorRateElevatedPercent: 1,
    latencyP95Ms: 500,
    latencyP99Ms: 1000,
    databaseConnectionsPercent: 90,
    cacheHitRatePercent: 60,
    cpuPercent: 85,
    memoryPercent: 90,
    diskPercent: 85,
    diskWarningPercent: 70,
    certificateExpiryDays: 30,
    networkAnomalyBandWidth: 2,
};

/** The identifiers of what is monitored. A group left out leaves its alarms unwired. */
export interface MonitoredTargets<V = string> {
    /** The ALB (its `arnSuffix`) and the target groups of the app's tracks (their `arnSuffix`). */
    loadBalancer?: { arnSuffix: V; targetGroupArnSuffixes: V[] };
    /** The Route53 health check on `https://<host>/health`. */
    healthCheck?: { id: V };
    /** The RDS instance and its max_connections (see `postgresMaxConnections`). */
    database?: { identifier: V; maxConnections: number };
    /** The cache nodes (ElastiCache `CacheClusterId`s, one per node of the replication group). */
    cache?: { cacheClusterIds: V[] };
    /** The EKS cluster, as Container Insights names it. */
    cluster?: { name: V };
    /** The ACM certificate the load balancer serves. */
    certificate?: { arn: V };
    /** Vaults whose backup and copy jobs are watched (copy jobs report in their source vault). */
    backup?: {
        vaultNames: V[];
        restoreTestResourceType: string;
        /**
         * The restore test's automated validation (modules/backup/validation.ts): it publishes
         * `RestoreValidationFailed` (1 or 0) per restore testing plan. A restore that completes but
         * fails validation is not a failed restore job, so the alarm watches both.
         */
        restoreValidation?: { namespace: string; restoreTestingPlan: V };
    };
    /**
     * The daily secret age check (lambdas/secret-age): it publishes `OverdueSecrets`, the number of
     * secrets under the prefix older than their `rotation-period-days` tag, to this namespace.
     */
    secrets?: { namespace: string; secretsPrefix: V };
}

export type TargetGroup = keyof MonitoredTargets;

/** One metric, as CloudWatch identifies it. */
export interface MetricSpec<V = string> {
    namespace: string;
    metricName: string;
    /** Identifiers of monitored resources (`V`), or fixed values such as a resource type. */
    dimensions: Record<string, V | string>;
    /** `Average`, `Sum`, `Maximum`, `Minimum`, `SampleCount`, or a percentile `p95`. */
    stat: string;
}

/** What an alarm watches: one metric, a math expression over several, or an anomaly band. */
export type AlarmMetric<V = string> =
    | { kind: "metric"; metric: MetricSpec<V> }
    | { kind: "math"; expression: string; label: string; metrics: Array<{ id: string } & MetricSpec<V>> }
    | { kind: "anomaly"; metric: MetricSpec<V>; bandWidth: number };

export interface AlarmDefinition<V = string> {
    /** Runbook file name (`docs/runbooks/<slug>.md`) and alarm name suffix. */
    slug: string;
    /** What the alarm says when it fires. */
    message: string;
    severity: Severity;
    /** The monitored resources it needs. */
    requires: TargetGroup;
    /** Where the runbook asks for it. */
    source: string;
    metric: AlarmMetric<V>;
    comparison: Comparison;
    /** In the metric's unit (seconds for latency, percent for ratios, count...). For an anomaly band, unused (0). */
    threshold: number;
    /** Seconds per datapoint. */
    periodSeconds: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    treatMissingData: MissingData;
    /** Why that treatment of missing data. */
    missingDataReason: string;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** The PostgreSQL max_connections default on RDS: LEAST(DBInstanceClassMemory / 9531392, 5000). */
export const RDS_POSTGRES_BYTES_PER_CONNECTION = 9531392;

/** Memory of the RDS instance classes this project uses or suggests, GiB. */
export const RDS_INSTANCE_MEMORY_GIB: Readonly<Record<string, number>> = {
    "db.t4g.micro": 1,
    "db.t4g.small": 2,
    "db.t4g.medium": 4,
    "db.t4g.large": 8,
    "db.t4g.xlarge": 16,
    "db.m6g.large": 8,
    "db.m6g.xlarge": 16,
    "db.m6g.2xlarge": 32,
    "db.m7g.large": 8,
    "db.m7g.xlarge": 16,
    "db.m7g.2xlarge": 32,
    "db.r6g.large": 16,
    "db.r6g.xlarge": 32,
    "db.r6g.2xlarge": 64,
    "db.r7g.large": 16,
    "db.r7g.xlarge": 32,
    "db.r7g.2xlarge": 64,
};

/**
 * RDS for PostgreSQL's default max_connections for an instance class. An upper estimate: RDS
 * computes it from DBInstanceClassMemory, which is the class's memory less what the OS and RDS
 * keep, so the real value is somewhat lower (and the alarm fires slightly later than 90% of it).
 * Set `alerts.databaseMaxConnections` to the exact `SHOW max_connections` when it matters, or when
 * the class is not in the table.
 */
export function postgresMaxConnections(instanceClass: string, override?: number): number {
    if (override !== undefined) return override;
    const gib = RDS_INSTANCE_MEMORY_GIB[instanceClass];
    if (gib === undefined) {
        throw new Error(
            `No memory size known for the RDS instance class ${instanceClass}, so the database connections alarm has no maximum. ` +
                `Known classes: ${Object.keys(RDS_INSTANCE_MEMORY_GIB).join(", ")}. ` +
                `Fix: pulumi config set --path alerts.databaseMaxConnections <SHOW max_connections of the instance>.`,
        );
    }
    return Math.min(Math.floor((gib * 1024 ** 3) / RDS_POSTGRES_BYTES_PER_CONNECTION), 5000);
}

type Defs<V> = Array<AlarmDefinition<V> | undefined>;

/** ALB request metrics, per load balancer. */
function albMetric<V>(lb: V, metricName: string, stat: string): MetricSpec<V> {
    return { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: lb }, stat };
}

/** Failed restore jobs, plus failed validations of completed ones where the validation runs. */
function restoreTestMetric<V>(backup: NonNullable<MonitoredTargets<V>["backup"]>): AlarmMetric<V> {
    const failedJobs: MetricSpec<V> = {
        namespace: "AWS/Backup",
        metricName: "NumberOfRestoreJobsFailed",
        dimensions: { ResourceType: backup.restoreTestResourceType },
        stat: "Sum",
    };
    if (!backup.restoreValidation) return { kind: "metric", metric: failedJobs };
    return {
        kind: "math",
        // Either kind of failure counts; an hour without restores has neither.
        expression: "FILL(failed, 0) + FILL(invalid, 0)",
        label: "Failed restore jobs and validations",
        metrics: [
            { id: "failed", ...failedJobs },
            {
                id: "invalid",
                namespace: backup.restoreValidation.namespace,
                metricName: "RestoreValidationFailed",
                dimensions: { RestoreTestingPlan: backup.restoreValidation.restoreTestingPlan },
                stat: "Sum",
            },
        ],
    };
}

function errorRate<V>(lb: V): AlarmMetric<V> {
    return {
        kind: "math",
        // 5XX answered by the targets plus 5XX the load balancer itself returned (502/503/504: no
        // healthy target, target reset or timed out), over the requests. A minute without requests
        // reads as no errors rather than no data.
        expression: "100 * (FILL(t5xx, 0) + FILL(elb5xx, 0)) / FILL(requests, 1)",
        label: "Error rate (%)",
        metrics: [
            { id: "t5xx", ...albMetric(lb, "HTTPCode_Target_5XX_Count", "Sum") },
            { id: "elb5xx", ...albMetric(lb, "HTTPCode_ELB_5XX_Count", "Sum") },
            { id: "requests", ...albMetric(lb, "RequestCount", "Sum") },
        ],
    };
}

const NO_TRAFFIC = "no requests in a minute means no failed requests: quiet nights must not page (the service-down alarm covers a dead service)";

/**
 * The alarms the given targets allow: a definition whose resources are absent is left out (its
 * alarm is "not wired"). `catalogSlugs()` lists the whole catalogue, every group present.
 */
export function alarmCatalog<V>(t: Thresholds, targets: MonitoredTargets<V>): Array<AlarmDefinition<V>> {
    const lb = targets.loadBalancer;
    const db = targets.database;
    const cluster = targets.cluster;
    const ci = (metricName: string, stat: string): MetricSpec<V> => ({
        namespace: "ContainerInsights",
        metricName,
        // The ClusterName-only series carries every node's datapoints, so Maximum is the busiest node.
        dimensions: { ClusterName: cluster?.name as V },
        stat,
    });
    const rds = (metricName: string, stat: string): MetricSpec<V> => ({
        namespace: "AWS/RDS",
        metricName,
        dimensions: { DBInstanceIdentifier: db?.identifier as V },
        stat,
    });
    // Stryker disable next-line ArrayDeclaration: the fallback is never read; only the backup alarms use vaults, and they exist only with targets.backup
    const vaults = targets.backup?.vaultNames ?? [];
    const backupSum = (metricName: string): AlarmMetric<V> => ({
        kind: "math",
        expression: `SUM([${vaults.map((_, i) => `FILL(v${i + 1}, 0)`).join(", ")}])`,
        label: `${metricName} (all vaults)`,
        metrics: vaults.map((name, i) => ({ id: `v${i + 1}`, namespace: "AWS/Backup", metricName, dimensions: { BackupVaultName: name }, stat: "Sum" })),
    });
    // Stryker disable next-line ArrayDeclaration: the fallback is never read; only the cache alarm uses cacheIds, and it exists only with targets.cache
    const cacheIds = targets.cache?.cacheClusterIds ?? [];

    const defs: Defs<V> = [
        targets.healthCheck && {
            slug: "service-down",
            message: "The app's /health check is failing from the Route53 checkers: the service is down for users.",
            severity: "critical",
            requires: "healthCheck",
            source: "3.5 ServiceDown (for 1m), 3.7",
            metric: {
                kind: "metric",
                metric: { namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: targets.healthCheck?.id as V }, stat: "Minimum" },
            },
            comparison: "LessThanThreshold",
            threshold: 1,
            periodSeconds: MINUTE,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "breaching",
            missingDataReason: "Route53 reports the status every minute while the check exists; silence means the check (or the service behind it) is gone",
        },
        db && {
            slug: "database-down",
            message: "The RDS instance stopped reporting metrics: the database is unavailable.",
            severity: "critical",
            requires: "database",
            source: "3.5 DatabaseUnavailable (for 1m)",
            // A running instance reports CPUUtilization every minute, whether or not anyone is
            // connected; a stopped, failed or deleted one reports nothing.
            metric: { kind: "metric", metric: rds("CPUUtilization", "SampleCount") },
            comparison: "LessThanThreshold",
            threshold: 1,
            periodSeconds: MINUTE,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "breaching",
            missingDataReason: "the absence of the instance's own metrics is the very signal: an unavailable instance publishes nothing",
        },
        lb && {
            slug: "error-rate-high",
            message: `More than ${t.errorRateHighPercent}% of requests failed (5XX) for 5 minutes: the rollback trigger of runbook 1.4.`,
            severity: "high",
            requires: "loadBalancer",
            source: "3.5 HighErrorRate (> 5% for 5m), 1.4 rollback trigger",
            metric: errorRate(lb.arnSuffix),
            comparison: "GreaterThanThreshold",
            threshold: t.errorRateHighPercent,
            periodSeconds: MINUTE,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
            missingDataReason: NO_TRAFFIC,
        },
        lb && {
            slug: "error-rate-elevated",
            message: `More than ${t.errorRateElevatedPercent}% of requests failed (5XX) for 5 minutes.`,
            severity: "medium",
            requires: "loadBalancer",
            source: "3.2 Error Rate (> 1% for 5 min)",
            metric: errorRate(lb.arnSuffix),
            comparison: "GreaterThanThreshold",
            threshold: t.errorRateElevatedPercent,
            periodSeconds: MINUTE,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
            missingDataReason: NO_TRAFFIC,
        },
        lb && {
            slug: "latency-p95-high",
            message: `The 95th percentile response time is above ${t.latencyP95Ms} ms for 5 minutes.`,
            severity: "high",
            requires: "loadBalancer",
            source: "3.2 Response Time p95 (> 500ms for 5 min), 3.5 SlowResponseTime",
            metric: { kind: "metric", metric: albMetric(lb.arnSuffix, "TargetResponseTime", "p95") },
            comparison: "GreaterThanThreshold",
            threshold: t.latencyP95Ms / 1000,
            periodSeconds: MINUTE,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
            missingDataReason: "TargetResponseTime has no datapoint in a minute without requests; no requests are not slow requests",
        },
        lb && {
            slug: "latency-p99-high",
            message: `The 99th percentile response time is above ${t.latencyP99Ms} ms for 5 minutes.`,
            severity: "medium",
            requires: "loadBalancer",
            source: "3.2 Response Time p99 (> 1000ms for 5 min)",
            metric: { kind: "metric", metric: albMetric(lb.arnSuffix, "TargetResponseTime", "p99") },
            comparison: "GreaterThanThreshold",
            threshold: t.latencyP99Ms / 1000,
            periodSeconds: MINUTE,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
            missingDataReason: "TargetResponseTime has no datapoint in a minute without requests; no requests are not slow requests",
        },
        lb && {
            slug: "unhealthy-targets",
            message: "App pods registered in a target group fail the load balancer's health check for 5 minutes.",
            severity: "medium",
            requires: "loadBalancer",
            source: "3.7 target group health",
            metric: {
                kind: "math",
                expression: `MAX([${lb.targetGroupArnSuffixes.map((_, i) => `FILL(u${i + 1}, 0)`).join(", ")}])`,
                label: "Unhealthy targets (worst target group)",
                metrics: lb.targetGroupArnSuffixes.map((tg, i) => ({
                    id: `u${i + 1}`,
                    namespace: "AWS/ApplicationELB",
                    metricName: "UnHealthyHostCount",
                    dimensions: { TargetGroup: tg, LoadBalancer: lb.arnSuffix },
                    stat: "Maximum",
                })),
            },
            comparison: "GreaterThanThreshold",
            threshold: 0,
            periodSeconds: MINUTE,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
            missingDataReason: "an idle target group (a blue-green track at weight 0) may report nothing; nothing is not unhealthy",
        },
        db && {
            slug: "database-connections-high",
            message: `Database connections are above ${t.databaseConnectionsPercent}% of max_connections (${db.maxConnections}) for 5 minutes.`,
            severity: "high",
            requires: "database",
            source: "3.2 Database Connection Pool (> 90% for 5 min)",
            metric: { kind: "metric", metric: rds("DatabaseConnections", "Maximum") },
            comparison: "GreaterThanThreshold",
            threshold: Math.floor((db.maxConnections * t.databaseConnectionsPercent) / 100),
            periodSeconds: MINUTE,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
            missingDataReason: "a silent instance is the database-down alarm's business; this one judges only the connections it sees",
        },
        db && {
            slug: "database-cpu-high",
            message: `The database's CPU is above ${t.cpuPercent}% for 10 minutes.`,
            severity: "medium",
            requires: "database",
            source: "3.2 CPU Usage (> 85% for 10 min)",
            metric: { kind: "metric", metric: rds("CPUUtilization", "Average") },
            comparison: "GreaterThanThreshold",
            threshold: t.cpuPercent,
            periodSeconds: MINUTE,
            evaluationPeriods: 10,
            datapointsToAlarm: 10,
            treatMissingData: "notBreaching",
            missingDataReason: "a silent instance is the database-down alarm's business; this one judges only the load it sees",
        },
        targets.cache && {
            slug: "cache-hit-rate-low",
            message: `The cache hit rate is below ${t.cacheHitRatePercent}% for 10 minutes.`,
            severity: "medium",
            requires: "cache",
            source: "3.2 Cache Hit Rate (< 60% for 10 min), 3.5 medium",
            metric: {
                kind: "math",
                // Hits over lookups across every node: reads may be served by the replicas.
                expression: `100 * ${sumOf(cacheIds, "h")} / (${sumOf(cacheIds, "h")} + ${sumOf(cacheIds, "m")})`,
                label: "Cache hit rate (%)",
                metrics: cacheIds.flatMap((id, i) => [
                    { id: `h${i + 1}`, namespace: "AWS/ElastiCache", metricName: "CacheHits", dimensions: { CacheClusterId: id }, stat: "Sum" },
                    { id: `m${i + 1}`, namespace: "AWS/ElastiCache", metricName: "CacheMisses", dimensions: { CacheClusterId: id }, stat: "Sum" },
                ]),
            },
            comparison: "LessThanThreshold",
            threshold: t.cacheHitRatePercent,
            periodSeconds: MINUTE,
            evaluationPeriods: 10,
            datapointsToAlarm: 10,
            treatMissingData: "notBreaching",
            missingDataReason: "without lookups the ratio is 0/0 (no datapoint): an idle cache is not a cold cache",
        },
        cluster && {
            slug: "node-cpu-high",
            message: `A cluster node's CPU is above ${t.cpuPercent}% for 10 minutes.`,
            severity: "medium",
            requires: "cluster",
            source: "3.2 CPU Usage (> 85% for 10 min)",
            metric: { kind: "metric", metric: ci("node_cpu_utilization", "Maximum") },
            comparison: "GreaterThanThreshold",
            threshold: t.cpuPercent,
            periodSeconds: MINUTE,
            evaluationPeriods: 10,
            datapointsToAlarm: 10,
            treatMissingData: "missing",
            missingDataReason:
                "gaps come from the CloudWatch agent restarting, not from the nodes: keep the last state rather than clear or raise it (the Infrastructure dashboard shows the agent's health)",
        },
        cluster && {
            slug: "node-memory-high",
            message: `A cluster node's memory is above ${t.memoryPercent}% for 5 minutes: pods are about to be OOM-killed or evicted.`,
            severity: "high",
            requires: "cluster",
            source: "3.2 Memory Usage (> 90% for 5 min)",
            metric: { kind: "metric", metric: ci("node_memory_utilization", "Maximum") },
            comparison: "GreaterThanThreshold",
            threshold: t.memoryPercent,
            periodSeconds: MINUTE,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "missing",
            missingDataReason: "gaps come from the CloudWatch agent restarting, not from the nodes: keep the last state",
        },
        cluster && {
            slug: "node-disk-high",
            message: `A cluster node's filesystem is more than ${t.diskPercent}% full.`,
            severity: "medium",
            requires: "cluster",
            source: "3.2 Disk Usage (> 85%)",
            metric: { kind: "metric", metric: ci("node_filesystem_utilization", "Maximum") },
            comparison: "GreaterThanThreshold",
            threshold: t.diskPercent,
            periodSeconds: 5 * MINUTE,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "missing",
            missingDataReason: "disks fill slowly and do not empty when the agent is silent: keep the last state",
        },
        cluster && {
            slug: "node-disk-warning",
            message: `A cluster node's filesystem is more than ${t.diskWarningPercent}% full.`,
            severity: "low",
            requires: "cluster",
            source: "3.5 low (Disk usage > 70%), 3.2 target (< 70%)",
            metric: { kind: "metric", metric: ci("node_filesystem_utilization", "Maximum") },
            comparison: "GreaterThanThreshold",
            threshold: t.diskWarningPercent,
            periodSeconds: 5 * MINUTE,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "missing",
            missingDataReason: "disks fill slowly and do not empty when the agent is silent: keep the last state",
        },
        cluster && {
            slug: "network-anomaly",
            message: "The cluster's network traffic is outside its usual band (anomaly detection) for 15 minutes.",
            severity: "medium",
            requires: "cluster",
            source: "3.2 Network I/O (anomaly detection)",
            metric: { kind: "anomaly", metric: ci("node_network_total_bytes", "Average"), bandWidth: t.networkAnomalyBandWidth },
            comparison: "LessThanLowerOrGreaterThanUpperThreshold",
            threshold: 0,
            periodSeconds: 5 * MINUTE,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "ignore",
            missingDataReason: "the model needs traffic to judge; a gap neither proves nor disproves an anomaly, so the alarm waits for data",
        },
        targets.certificate && {
            slug: "certificate-expiring",
            message: `The load balancer's ACM certificate expires within ${t.certificateExpiryDays} days: managed renewal has not happened.`,
            severity: "medium",
            requires: "certificate",
            source: "4.2 (alert 30 days before expiration)",
            metric: {
                kind: "metric",
                metric: { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: targets.certificate.arn }, stat: "Minimum" },
            },
            comparison: "LessThanOrEqualToThreshold",
            threshold: t.certificateExpiryDays,
            periodSeconds: DAY,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "missing",
            missingDataReason: "ACM publishes DaysToExpiry once a day at no fixed time; a late datapoint is jitter, not an expiry",
        },
        targets.backup && {
            slug: "backup-job-failed",
            message: "An AWS Backup job of the database or files failed in the last hour.",
            severity: "medium",
            requires: "backup",
            source: "3.9 (daily backups), 4.1 weekly verification",
            metric: backupSum("NumberOfBackupJobsFailed"),
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            periodSeconds: HOUR,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
            missingDataReason: "AWS Backup publishes job counts only when jobs run; an hour without jobs has no failures",
        },
        targets.backup && {
            slug: "backup-copy-failed",
            message: "A cross-region copy of a recovery point to the DR vault failed in the last hour.",
            severity: "medium",
            requires: "backup",
            source: "3.9 (regional outage: DR copies)",
            metric: backupSum("NumberOfCopyJobsFailed"),
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            periodSeconds: HOUR,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
            missingDataReason: "AWS Backup publishes job counts only when jobs run; an hour without copy jobs has no failures",
        },
        targets.backup && {
            slug: "restore-test-failed",
            message: "A restore job (the scheduled restore test of 4.1, or a manual restore) failed, or the restored database failed its validation, in the last hour.",
            severity: "medium",
            requires: "backup",
            source: "4.1 (backup can be restored to test database), 3.9 DR testing",
            metric: restoreTestMetric(targets.backup),
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            periodSeconds: HOUR,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
            missingDataReason: "AWS Backup publishes job counts only when jobs run; an hour without restores has no failures",
        },
        // Created by the secrets layer with its age check (modules/secrets), to these very values;
        // catalogued here so that it has a runbook and the plan tests hold it to them.
        targets.secrets && {
            slug: "secret-overdue",
            message: "A secret is older than its rotation period (runbook 2.3): its rotation failed or nobody rotated it, or the daily age check stopped reporting.",
            severity: "low",
            requires: "secrets",
            source: "2.3 rotation periods (90 / 180 / 365 days)",
            metric: {
                kind: "metric",
                metric: {
                    namespace: targets.secrets.namespace,
                    metricName: SECRET_AGE_METRIC,
                    dimensions: { SecretsPrefix: targets.secrets.secretsPrefix },
                    stat: "Maximum",
                },
            },
            comparison: "GreaterThanThreshold",
            threshold: 0,
            periodSeconds: DAY,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            treatMissingData: "breaching",
            missingDataReason: "the age check runs daily; two days without its count mean the check itself stopped, and an unmeasured age cannot be trusted to be fresh",
        },
    ];
    return defs.filter((d): d is AlarmDefinition<V> => d !== undefined);
}

/** The metric the secret age check (lambdas/secret-age) publishes per `SecretsPrefix`: how many secrets are overdue. */
export const SECRET_AGE_METRIC = "OverdueSecrets";

/** Every slug of the catalogue, in order: what `docs/runbooks/` must hold. */
export function catalogSlugs(): string[] {
    return alarmCatalog<string>(RUNBOOK_THRESHOLDS, FULL_EXAMPLE_TARGETS).map((d) => d.slug);
}

/** Targets with every group present: to list the whole catalogue (docs, tests). */
export const FULL_EXAMPLE_TARGETS: MonitoredTargets<string> = {
    loadBalancer: { arnSuffix: "app/myapp-production/0123456789abcdef", targetGroupArnSuffixes: ["targetgroup/myapp-stable/0123456789abcdef"] },
    healthCheck: { id: "abcdef01-2345-6789-abcd-ef0123456789" },
    database: { identifier: "myapp-production", maxConnections: 1802 },
    cache: { cacheClusterIds: ["myapp-production-001", "myapp-production-002"] },
    cluster: { name: "myapp-production" },
    certificate: { arn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" },
    backup: {
        vaultNames: ["myapp-production"],
        restoreTestResourceType: "RDS",
        restoreValidation: { namespace: "myapp/Backup", restoreTestingPlan: "myapp_production_weekly" },
    },
    secrets: { namespace: "myapp/Secrets", secretsPrefix: "myapp/production/" },
};

/** `(h1 + h2 + ...)`: ElastiCache publishes CacheHits and CacheMisses every minute, zeros included, so no FILL. */
function sumOf(ids: readonly unknown[], prefix: string): string {
    return `(${ids.map((_, i) => `${prefix}${i + 1}`).join(" + ")})`;
}
