/**
 * The alarm catalogue's types (catalog.ts assembles it): every alarm of runbook section 3 (3.2 metric tables, 3.5 alert
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

/**
 * Every alarm of the catalogue, in the order it is created: what `docs/runbooks/` holds, one
 * file per slug. The slug is the alarm name's suffix (a contract: renaming replaces the alarm).
 */
export const CATALOG_SLUGS = [
    "service-down",
    "database-down",
    "error-rate-high",
    "error-rate-elevated",
    "latency-p95-high",
    "latency-p99-high",
    "unhealthy-targets",
    "database-connections-high",
    "database-cpu-high",
    "cache-hit-rate-low",
    "node-cpu-high",
    "node-memory-high",
    "node-disk-high",
    "node-disk-warning",
    "network-anomaly",
    "certificate-expiring",
    "backup-job-failed",
    "backup-copy-failed",
    "restore-test-failed",
    "secret-overdue",
] as const;
export type AlarmSlug = (typeof CATALOG_SLUGS)[number];

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

/** Thresholds, from settings (`alerts.thresholds`); the defaults, the runbook's values, are in settings/profiles.ts. */
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
    slug: AlarmSlug;
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

/** A group's definitions: `undefined` where its monitored resources are absent (the alarm is not wired). */
export type Defs<V> = Array<AlarmDefinition<V> | undefined>;

/** Seconds in a minute, an hour and a day: alarm periods. */
export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
