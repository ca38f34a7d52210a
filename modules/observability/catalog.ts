/**
 * The alarm catalogue: every alarm of runbook section 3 (3.2 metric tables, 3.5 alert
 * definitions, 3.7 health checks) plus the ones sections 1.4, 3.9, 4.2 and 2.3 imply, as data.
 *
 * Pure: no resources are created here. `alarmCatalog` takes the thresholds (settings, with the
 * runbook's values as defaults) and the identifiers of the monitored resources, and returns one
 * definition per alarm; `Alarms` (alarms.ts) turns each into one CloudWatch alarm. Tests read the
 * same definitions, and `docs/runbooks/<slug>.md` exists for each slug. The definitions live by
 * what they watch: catalogTraffic.ts (health check, load balancer, certificate), catalogData.ts
 * (database, cache, backups), catalogCluster.ts (nodes); the types in catalogTypes.ts.
 *
 * The identifier type `V` is a string in tests and a `pulumi.Input<string>` in the component, so
 * the one function serves both without creating anything.
 */
import { backupAlarms, cacheAlarms, databaseAlarms } from "./catalogData";
import { clusterAlarms } from "./catalogCluster";
import { certificateAlarms, healthCheckAlarms, loadBalancerAlarms } from "./catalogTraffic";
import { AlarmDefinition, AlarmSlug, CATALOG_SLUGS, DAY, Defs, MonitoredTargets, Thresholds } from "./catalogTypes";

export {
    CATALOG_SLUGS,
    INCIDENT_SEVERITY,
    SEVERITIES,
    type AlarmDefinition,
    type AlarmMetric,
    type AlarmSlug,
    type Comparison,
    type MetricSpec,
    type MissingData,
    type MonitoredTargets,
    type Severity,
    type TargetGroup,
    type Thresholds,
} from "./catalogTypes";
export { RDS_INSTANCE_MEMORY_GIB, RDS_POSTGRES_BYTES_PER_CONNECTION, postgresMaxConnections } from "./catalogData";

/**
 * The alarms the given targets allow, in `CATALOG_SLUGS` order: a definition whose resources are
 * absent is left out (its alarm is "not wired").
 */
export function alarmCatalog<V>(t: Thresholds, targets: MonitoredTargets<V>): Array<AlarmDefinition<V>> {
    const groups: Defs<V> = [
        ...healthCheckAlarms(targets),
        ...loadBalancerAlarms(t, targets),
        ...certificateAlarms(t, targets),
        ...databaseAlarms(t, targets),
        ...cacheAlarms(t, targets),
        ...backupAlarms(targets),
        ...clusterAlarms(t, targets),
        ...secretAlarms(targets),
    ];
    const bySlug = new Map<AlarmSlug, AlarmDefinition<V>>();
    for (const d of groups) if (d) bySlug.set(d.slug, d);
    return CATALOG_SLUGS.flatMap((slug) => bySlug.get(slug) ?? []);
}

/** The metric the secret age check (lambdas/secret-age) publishes per `SecretsPrefix`: how many secrets are overdue. */
export const SECRET_AGE_METRIC = "OverdueSecrets";

/** The secrets' age (runbook 2.3). */
function secretAlarms<V>(targets: MonitoredTargets<V>): Defs<V> {
    return [
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
