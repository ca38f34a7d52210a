import type { AlarmMetric, Defs, MetricSpec, MonitoredTargets, Thresholds } from "./catalogTypes";
import { HOUR, MINUTE } from "./catalogTypes";

/** The alarms of the data stores: the database, the cache, the backups and their restore test. */

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

/**
 * Failed restore jobs of the watched vaults, plus failed validations of completed ones where the
 * validation runs. AWS Backup publishes its job metrics by `BackupVaultName`, and by
 * `BackupVaultName, ResourceType` (AWS Backup Developer Guide, "Monitoring AWS Backup metrics with
 * CloudWatch"); by `ResourceType` alone there is no such metric, and an alarm on it never fires.
 */
function restoreTestMetric<V>(backup: NonNullable<MonitoredTargets<V>["backup"]>): AlarmMetric<V> {
    const failedJobs: Array<MetricSpec<V> & { id: string }> = backup.vaultNames.map((vault, i, all) => ({
        id: all.length === 1 ? "failed" : `failed${i + 1}`,
        namespace: "AWS/Backup",
        metricName: "NumberOfRestoreJobsFailed",
        dimensions: { BackupVaultName: vault, ResourceType: backup.restoreTestResourceType },
        stat: "Sum",
    }));
    if (!backup.restoreValidation && failedJobs.length === 1) {
        const { namespace, metricName, dimensions, stat } = failedJobs[0]!;
        return { kind: "metric", metric: { namespace, metricName, dimensions, stat } };
    }
    return {
        kind: "math",
        // Either kind of failure counts; an hour without restores has neither.
        expression: [...failedJobs.map((m) => `FILL(${m.id}, 0)`), ...(backup.restoreValidation ? ["FILL(invalid, 0)"] : [])].join(" + "),
        label: backup.restoreValidation ? "Failed restore jobs and validations" : "Failed restore jobs",
        metrics: [
            ...failedJobs,
            ...(backup.restoreValidation
                ? [
                      {
                          id: "invalid",
                          namespace: backup.restoreValidation.namespace,
                          metricName: "RestoreValidationFailed",
                          dimensions: { RestoreTestingPlan: backup.restoreValidation.restoreTestingPlan },
                          stat: "Sum",
                      },
                  ]
                : []),
        ],
    };
}

/** The database's availability, connections and CPU (runbook 3.2, 3.5). */
export function databaseAlarms<V>(t: Thresholds, targets: MonitoredTargets<V>): Defs<V> {
    const db = targets.database;
    const rds = (metricName: string, stat: string): MetricSpec<V> => ({
        namespace: "AWS/RDS",
        metricName,
        dimensions: { DBInstanceIdentifier: db?.identifier as V },
        stat,
    });
    return [
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
    ];
}

/** The cache's hit rate over every node (runbook 3.2). */
export function cacheAlarms<V>(t: Thresholds, targets: MonitoredTargets<V>): Defs<V> {
    // Stryker disable next-line ArrayDeclaration: the fallback is never read; only the cache alarm uses cacheIds, and it exists only with targets.cache
    const cacheIds = targets.cache?.cacheClusterIds ?? [];
    return [
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
    ];
}

/** Failed backup, copy and restore (test) jobs, across the vaults (runbook 3.9, 4.1). */
export function backupAlarms<V>(targets: MonitoredTargets<V>): Defs<V> {
    // Stryker disable next-line ArrayDeclaration: the fallback is never read; only the backup alarms use vaults, and they exist only with targets.backup
    const vaults = targets.backup?.vaultNames ?? [];
    const backupSum = (metricName: string): AlarmMetric<V> => ({
        kind: "math",
        expression: `SUM([${vaults.map((_, i) => `FILL(v${i + 1}, 0)`).join(", ")}])`,
        label: `${metricName} (all vaults)`,
        metrics: vaults.map((name, i) => ({ id: `v${i + 1}`, namespace: "AWS/Backup", metricName, dimensions: { BackupVaultName: name }, stat: "Sum" })),
    });
    return [
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
    ];
}

/** `(h1 + h2 + ...)`: ElastiCache publishes CacheHits and CacheMisses every minute, zeros included, so no FILL. */
function sumOf(ids: readonly unknown[], prefix: string): string {
    return `(${ids.map((_, i) => `${prefix}${i + 1}`).join(" + ")})`;
}
