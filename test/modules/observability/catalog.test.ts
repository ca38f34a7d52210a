import {
    AlarmDefinition,
    type AlarmMetric,
    FULL_EXAMPLE_TARGETS,
    INCIDENT_SEVERITY,
    alarmCatalog,
    CATALOG_SLUGS,
    postgresMaxConnections,
} from "../../../modules/observability/catalog";
import { base } from "../../../settings/profiles";
import { nonEmpty } from "../../helpers/nonEmpty";

/** The runbook's thresholds: the base profile's. */
const THRESHOLDS = base.alerts.thresholds;

const catalog = alarmCatalog(THRESHOLDS, FULL_EXAMPLE_TARGETS);
const bySlug = (slug: string): AlarmDefinition => {
    const d = catalog.find((x) => x.slug === slug);
    if (!d) throw new Error(`no alarm ${slug}`);
    return d;
};
/** The metric names an alarm reads, whatever its kind. */
const metricNames = (d: AlarmDefinition): string[] =>
    d.metric.kind === "math" ? [...new Set(d.metric.metrics.map((m) => `${m.namespace} ${m.metricName} ${m.stat}`))] : [`${d.metric.metric.namespace} ${d.metric.metric.metricName} ${d.metric.metric.stat}`];

describe("the alarm catalogue against the runbook's tables (3.2, 3.5, 1.4, 4.2)", () => {
    // slug, severity, metrics (namespace name stat), comparison, threshold, seconds the condition must hold
    it.each([
        ["service-down", "critical", ["AWS/Route53 HealthCheckStatus Minimum"], "LessThanThreshold", 1, 60],
        ["database-down", "critical", ["AWS/RDS CPUUtilization SampleCount"], "LessThanThreshold", 1, 60],
        ["error-rate-high", "high", ["AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum", "AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum", "AWS/ApplicationELB RequestCount Sum"], "GreaterThanThreshold", 5, 300],
        ["error-rate-elevated", "medium", ["AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum", "AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum", "AWS/ApplicationELB RequestCount Sum"], "GreaterThanThreshold", 1, 300],
        ["latency-p95-high", "high", ["AWS/ApplicationELB TargetResponseTime p95"], "GreaterThanThreshold", 0.5, 300],
        ["latency-p99-high", "medium", ["AWS/ApplicationELB TargetResponseTime p99"], "GreaterThanThreshold", 1, 300],
        ["unhealthy-targets", "medium", ["AWS/ApplicationELB UnHealthyHostCount Maximum"], "GreaterThanThreshold", 0, 300],
        // 90% of the example's max_connections (1802): 1621.
        ["database-connections-high", "high", ["AWS/RDS DatabaseConnections Maximum"], "GreaterThanThreshold", 1621, 300],
        ["database-cpu-high", "medium", ["AWS/RDS CPUUtilization Average"], "GreaterThanThreshold", 85, 600],
        ["cache-hit-rate-low", "medium", ["AWS/ElastiCache CacheHits Sum", "AWS/ElastiCache CacheMisses Sum"], "LessThanThreshold", 60, 600],
        ["node-cpu-high", "medium", ["ContainerInsights node_cpu_utilization Maximum"], "GreaterThanThreshold", 85, 600],
        ["node-memory-high", "high", ["ContainerInsights node_memory_utilization Maximum"], "GreaterThanThreshold", 90, 300],
        ["node-disk-high", "medium", ["ContainerInsights node_filesystem_utilization Maximum"], "GreaterThanThreshold", 85, 300],
        ["node-disk-warning", "low", ["ContainerInsights node_filesystem_utilization Maximum"], "GreaterThanThreshold", 70, 300],
        ["network-anomaly", "medium", ["ContainerInsights node_network_total_bytes Average"], "LessThanLowerOrGreaterThanUpperThreshold", 0, 900],
        ["certificate-expiring", "medium", ["AWS/CertificateManager DaysToExpiry Minimum"], "LessThanOrEqualToThreshold", 30, 86400],
        ["backup-job-failed", "medium", ["AWS/Backup NumberOfBackupJobsFailed Sum"], "GreaterThanOrEqualToThreshold", 1, 3600],
        ["backup-copy-failed", "medium", ["AWS/Backup NumberOfCopyJobsFailed Sum"], "GreaterThanOrEqualToThreshold", 1, 3600],
        ["restore-test-failed", "medium", ["AWS/Backup NumberOfRestoreJobsFailed Sum", "myapp/Backup RestoreValidationFailed Sum"], "GreaterThanOrEqualToThreshold", 1, 3600],
        ["secret-overdue", "low", ["myapp/Secrets OverdueSecrets Maximum"], "GreaterThanThreshold", 0, 172800],
    ] as const)("%s: %s, %j %s %d, held %d s", (slug, severity, metrics, comparison, threshold, heldSeconds) => {
        const d = bySlug(slug);
        expect(d.severity).toBe(severity);
        expect(metricNames(d)).toEqual(metrics);
        expect(d.comparison).toBe(comparison);
        expect(d.threshold).toBe(threshold);
        expect(d.periodSeconds * d.evaluationPeriods).toBe(heldSeconds);
        // Every datapoint of the window must breach: "for 5 minutes" means the whole 5 minutes.
        expect(d.datapointsToAlarm).toBe(d.evaluationPeriods);
    });

    it("has exactly those alarms, each slug once, in CATALOG_SLUGS order when every group is present", () => {
        expect(CATALOG_SLUGS).toHaveLength(20);
        expect(new Set(CATALOG_SLUGS).size).toBe(20);
        expect(catalog.map((d) => d.slug)).toEqual([...CATALOG_SLUGS]);
    });

    it("counts failed restore jobs and failed validations of the weekly restore test together", () => {
        expect(bySlug("restore-test-failed").metric).toEqual({
            kind: "math",
            expression: "FILL(failed, 0) + FILL(invalid, 0)",
            label: "Failed restore jobs and validations",
            metrics: [
                { id: "failed", namespace: "AWS/Backup", metricName: "NumberOfRestoreJobsFailed", dimensions: { BackupVaultName: "myapp-production", ResourceType: "RDS" }, stat: "Sum" },
                { id: "invalid", namespace: "myapp/Backup", metricName: "RestoreValidationFailed", dimensions: { RestoreTestingPlan: "myapp_production_weekly" }, stat: "Sum" },
            ],
        });
        const backup = { vaultNames: FULL_EXAMPLE_TARGETS.backup!.vaultNames, restoreTestResourceType: "RDS" };
        const plain = alarmCatalog(THRESHOLDS, { ...FULL_EXAMPLE_TARGETS, backup }).find((d) => d.slug === "restore-test-failed")!;
        expect(plain.metric).toEqual({
            kind: "metric",
            metric: { namespace: "AWS/Backup", metricName: "NumberOfRestoreJobsFailed", dimensions: { BackupVaultName: "myapp-production", ResourceType: "RDS" }, stat: "Sum" },
        });
    });

    // AWS Backup publishes its job metrics by BackupVaultName, and by BackupVaultName and
    // ResourceType (AWS Backup Developer Guide, "Monitoring AWS Backup metrics with CloudWatch"):
    // a metric by ResourceType alone does not exist, and an alarm on it would never fire.
    it("reads failed restore jobs by a dimension set AWS Backup publishes: vault, or vault and resource type", () => {
        const published = [["BackupVaultName"], ["BackupVaultName", "ResourceType"]].map((d) => d.join(","));
        const metrics = (d: AlarmMetric<string>) => (d.kind === "math" ? d.metrics : d.kind === "metric" ? [d.metric] : []);
        const jobMetrics = catalog.filter((d) => d.requires === "backup").flatMap((d) => metrics(d.metric)).filter((m) => m.namespace === "AWS/Backup");
        expect(jobMetrics.length).toBeGreaterThanOrEqual(3);
        for (const m of jobMetrics) expect(published).toContain(Object.keys(m.dimensions).sort().join(","));
    });

    it("adds up every watched vault's failed restores", () => {
        const backup = { vaultNames: ["primary", "other"], restoreTestResourceType: "RDS" };
        expect(alarmCatalog(THRESHOLDS, { ...FULL_EXAMPLE_TARGETS, backup }).find((d) => d.slug === "restore-test-failed")!.metric).toEqual({
            kind: "math",
            expression: "FILL(failed1, 0) + FILL(failed2, 0)",
            label: "Failed restore jobs",
            metrics: ["primary", "other"].map((v, i) => ({ id: `failed${i + 1}`, namespace: "AWS/Backup", metricName: "NumberOfRestoreJobsFailed", dimensions: { BackupVaultName: v, ResourceType: "RDS" }, stat: "Sum" })),
        });
    });

    it("computes the error rate as 5XX (targets and load balancer) over requests, in percent", () => {
        const d = bySlug("error-rate-high");
        expect(d.metric).toMatchObject({ kind: "math", expression: "100 * (FILL(t5xx, 0) + FILL(elb5xx, 0)) / FILL(requests, 1)" });
    });

    it("computes the cache hit rate over every node, hits over hits plus misses", () => {
        const d = bySlug("cache-hit-rate-low");
        expect(d.metric).toMatchObject({ kind: "math", expression: "100 * (h1 + h2) / ((h1 + h2) + (m1 + m2))" });
        if (d.metric.kind !== "math") throw new Error("math expected");
        expect(d.metric.metrics.map((m) => [m.id, m.dimensions])).toEqual([
            ["h1", { CacheClusterId: "myapp-production-001" }],
            ["m1", { CacheClusterId: "myapp-production-001" }],
            ["h2", { CacheClusterId: "myapp-production-002" }],
            ["m2", { CacheClusterId: "myapp-production-002" }],
        ]);
    });

    it("watches the worst target group of all tracks, and every backup vault", () => {
        const targets = {
            ...FULL_EXAMPLE_TARGETS,
            loadBalancer: { arnSuffix: "app/lb/1", targetGroupArnSuffixes: ["targetgroup/blue/1", "targetgroup/green/2"] },
            backup: { vaultNames: ["primary", "dr"], restoreTestResourceType: "RDS" },
        };
        const defs = alarmCatalog(THRESHOLDS, targets);
        expect(defs.find((d) => d.slug === "unhealthy-targets")!.metric).toMatchObject({ expression: "MAX([FILL(u1, 0), FILL(u2, 0)])" });
        expect(defs.find((d) => d.slug === "backup-job-failed")!.metric).toMatchObject({ expression: "SUM([FILL(v1, 0), FILL(v2, 0)])" });
    });

    it("anomaly-detects network I/O with the configured band width", () => {
        expect(bySlug("network-anomaly").metric).toMatchObject({ kind: "anomaly", bandWidth: 2 });
    });

    it("treats missing data deliberately, with a reason, and breaches only where silence is the failure", () => {
        for (const d of nonEmpty(catalog, "the catalogue")) expect(d.missingDataReason.length).toBeGreaterThan(30);
        expect(catalog.filter((d) => d.treatMissingData === "breaching").map((d) => d.slug)).toEqual(["service-down", "database-down", "secret-overdue"]);
    });

    it("maps every severity to an incident level of runbook 3.8", () => {
        expect(INCIDENT_SEVERITY).toEqual({ critical: "SEV-1", high: "SEV-2", medium: "SEV-3", low: "SEV-4" });
    });
});

describe("thresholds come from settings", () => {
    it("defaults to the runbook's values (the base profile)", () => {
        expect(base.alerts.thresholds).toEqual({
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
        });
    });

    it("moves each alarm with its setting", () => {
        const t = { ...THRESHOLDS, errorRateHighPercent: 7, latencyP95Ms: 800, cacheHitRatePercent: 50, databaseConnectionsPercent: 80, certificateExpiryDays: 45 };
        const defs = alarmCatalog(t, FULL_EXAMPLE_TARGETS);
        const th = (slug: string): number => defs.find((d) => d.slug === slug)!.threshold;
        expect(th("error-rate-high")).toBe(7);
        expect(th("latency-p95-high")).toBe(0.8);
        expect(th("cache-hit-rate-low")).toBe(50);
        expect(th("database-connections-high")).toBe(Math.floor(1802 * 0.8));
        expect(th("certificate-expiring")).toBe(45);
    });
});

describe("alarms need their resources", () => {
    it("leaves out the alarms of absent resource groups", () => {
        const defs = alarmCatalog(THRESHOLDS, { loadBalancer: FULL_EXAMPLE_TARGETS.loadBalancer! });
        expect(defs.map((d) => d.slug)).toEqual(["error-rate-high", "error-rate-elevated", "latency-p95-high", "latency-p99-high", "unhealthy-targets"]);
        expect(alarmCatalog(THRESHOLDS, {})).toEqual([]);
    });
});

describe("postgresMaxConnections", () => {
    it("is RDS's LEAST(memory / 9531392, 5000)", () => {
        expect(postgresMaxConnections("db.t4g.micro")).toBe(112);
        expect(postgresMaxConnections("db.t4g.medium")).toBe(450);
        expect(postgresMaxConnections("db.r6g.large")).toBe(1802);
        expect(postgresMaxConnections("db.r7g.2xlarge")).toBe(5000);
    });

    it("takes the setting when given", () => {
        expect(postgresMaxConnections("db.x2g.large", 400)).toBe(400);
    });

    it("says what to set for an unknown class", () => {
        expect(() => postgresMaxConnections("db.x2g.large")).toThrow(/db\.x2g\.large.*pulumi config set --path alerts\.databaseMaxConnections/s);
    });
});

describe("what each alarm watches, exactly as CloudWatch names it", () => {
    // Identifiers no two groups share, so that a dimension fed from the wrong target shows.
    const targets = {
        loadBalancer: { arnSuffix: "app/lb/1", targetGroupArnSuffixes: ["targetgroup/blue/1", "targetgroup/green/2"] },
        healthCheck: { id: "hc-1" },
        database: { identifier: "db-1", maxConnections: 1000 },
        cache: { cacheClusterIds: ["cache-001"] },
        cluster: { name: "cluster-1" },
        certificate: { arn: "arn:aws:acm:us-east-1:123456789012:certificate/cert-1" },
        backup: { vaultNames: ["vault-1", "vault-dr"], restoreTestResourceType: "RDS" },
        secrets: { namespace: "app/Secrets", secretsPrefix: "app/env/" },
    };
    const defs = new Map(alarmCatalog(THRESHOLDS, targets).map((d) => [d.slug, d]));
    const alb = (metricName: string, stat: string) => ({ namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: "app/lb/1" }, stat });
    const errorRate = {
        kind: "math",
        expression: "100 * (FILL(t5xx, 0) + FILL(elb5xx, 0)) / FILL(requests, 1)",
        label: "Error rate (%)",
        metrics: [
            { id: "t5xx", ...alb("HTTPCode_Target_5XX_Count", "Sum") },
            { id: "elb5xx", ...alb("HTTPCode_ELB_5XX_Count", "Sum") },
            { id: "requests", ...alb("RequestCount", "Sum") },
        ],
    };
    const rds = (metricName: string, stat: string) => ({ kind: "metric", metric: { namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: "db-1" }, stat } });
    const node = (metricName: string, stat: string) => ({ namespace: "ContainerInsights", metricName, dimensions: { ClusterName: "cluster-1" }, stat });
    const backupSum = (metricName: string) => ({
        kind: "math",
        expression: "SUM([FILL(v1, 0), FILL(v2, 0)])",
        label: `${metricName} (all vaults)`,
        metrics: [
            { id: "v1", namespace: "AWS/Backup", metricName, dimensions: { BackupVaultName: "vault-1" }, stat: "Sum" },
            { id: "v2", namespace: "AWS/Backup", metricName, dimensions: { BackupVaultName: "vault-dr" }, stat: "Sum" },
        ],
    });

    it.each([
        ["service-down", { kind: "metric", metric: { namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: "hc-1" }, stat: "Minimum" } }],
        ["database-down", rds("CPUUtilization", "SampleCount")],
        ["error-rate-high", errorRate],
        ["error-rate-elevated", errorRate],
        ["latency-p95-high", { kind: "metric", metric: alb("TargetResponseTime", "p95") }],
        ["latency-p99-high", { kind: "metric", metric: alb("TargetResponseTime", "p99") }],
        [
            "unhealthy-targets",
            {
                kind: "math",
                expression: "MAX([FILL(u1, 0), FILL(u2, 0)])",
                label: "Unhealthy targets (worst target group)",
                metrics: [
                    { id: "u1", namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: { TargetGroup: "targetgroup/blue/1", LoadBalancer: "app/lb/1" }, stat: "Maximum" },
                    { id: "u2", namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: { TargetGroup: "targetgroup/green/2", LoadBalancer: "app/lb/1" }, stat: "Maximum" },
                ],
            },
        ],
        ["database-connections-high", rds("DatabaseConnections", "Maximum")],
        ["database-cpu-high", rds("CPUUtilization", "Average")],
        [
            "cache-hit-rate-low",
            {
                kind: "math",
                expression: "100 * (h1) / ((h1) + (m1))",
                label: "Cache hit rate (%)",
                metrics: [
                    { id: "h1", namespace: "AWS/ElastiCache", metricName: "CacheHits", dimensions: { CacheClusterId: "cache-001" }, stat: "Sum" },
                    { id: "m1", namespace: "AWS/ElastiCache", metricName: "CacheMisses", dimensions: { CacheClusterId: "cache-001" }, stat: "Sum" },
                ],
            },
        ],
        ["node-cpu-high", { kind: "metric", metric: node("node_cpu_utilization", "Maximum") }],
        ["node-memory-high", { kind: "metric", metric: node("node_memory_utilization", "Maximum") }],
        ["node-disk-high", { kind: "metric", metric: node("node_filesystem_utilization", "Maximum") }],
        ["node-disk-warning", { kind: "metric", metric: node("node_filesystem_utilization", "Maximum") }],
        ["network-anomaly", { kind: "anomaly", metric: node("node_network_total_bytes", "Average"), bandWidth: 2 }],
        [
            "certificate-expiring",
            {
                kind: "metric",
                metric: { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/cert-1" }, stat: "Minimum" },
            },
        ],
        ["backup-job-failed", backupSum("NumberOfBackupJobsFailed")],
        ["backup-copy-failed", backupSum("NumberOfCopyJobsFailed")],
        [
            "restore-test-failed",
            {
                kind: "math",
                expression: "FILL(failed1, 0) + FILL(failed2, 0)",
                label: "Failed restore jobs",
                metrics: ["vault-1", "vault-dr"].map((v, i) => ({ id: `failed${i + 1}`, namespace: "AWS/Backup", metricName: "NumberOfRestoreJobsFailed", dimensions: { BackupVaultName: v, ResourceType: "RDS" }, stat: "Sum" })),
            },
        ],
        ["secret-overdue", { kind: "metric", metric: { namespace: "app/Secrets", metricName: "OverdueSecrets", dimensions: { SecretsPrefix: "app/env/" }, stat: "Maximum" } }],
    ] as const)("%s", (slug, metric) => {
        expect(defs.get(slug)?.metric).toStrictEqual(metric);
    });

    it("covers every alarm of the catalogue", () => {
        expect([...defs.keys()]).toEqual([...CATALOG_SLUGS]);
    });
});

describe("each alarm's treatment of missing data", () => {
    it("is the one its reason argues for", () => {
        expect(Object.fromEntries(catalog.map((d) => [d.slug, d.treatMissingData]))).toEqual({
            "service-down": "breaching",
            "database-down": "breaching",
            "error-rate-high": "notBreaching",
            "error-rate-elevated": "notBreaching",
            "latency-p95-high": "notBreaching",
            "latency-p99-high": "notBreaching",
            "unhealthy-targets": "notBreaching",
            "database-connections-high": "notBreaching",
            "database-cpu-high": "notBreaching",
            "cache-hit-rate-low": "notBreaching",
            "node-cpu-high": "missing",
            "node-memory-high": "missing",
            "node-disk-high": "missing",
            "node-disk-warning": "missing",
            "network-anomaly": "ignore",
            "certificate-expiring": "missing",
            "backup-job-failed": "notBreaching",
            "backup-copy-failed": "notBreaching",
            "restore-test-failed": "notBreaching",
            "secret-overdue": "breaching",
        });
    });
});

describe("the resources each alarm requires", () => {
    const groups = Object.keys(FULL_EXAMPLE_TARGETS) as Array<keyof typeof FULL_EXAMPLE_TARGETS>;

    it("are the group whose absence leaves it out", () => {
        expect(groups).toHaveLength(8);
        for (const group of groups) {
            const without = { ...FULL_EXAMPLE_TARGETS, [group]: undefined };
            const kept = alarmCatalog(THRESHOLDS, without).map((d) => d.slug);
            expect(kept).toEqual(catalog.filter((d) => d.requires !== group).map((d) => d.slug));
            expect(kept.length).toBeLessThan(catalog.length);
        }
    });
});

describe("what an alarm says", () => {
    it("is a sentence for each alarm: the first words of its description", () => {
        for (const d of catalog) expect(d.message).toMatch(/^[A-Z].{30,}\.$/);
    });

    it("cites the runbook section that asks for it", () => {
        for (const d of catalog) expect(d.source).toMatch(/^\d\.\d+ \S/);
    });

    it("states the thresholds it is set to", () => {
        const t = { ...THRESHOLDS, errorRateHighPercent: 7, errorRateElevatedPercent: 2, latencyP95Ms: 800, latencyP99Ms: 1500, diskPercent: 88, diskWarningPercent: 75, certificateExpiryDays: 45 };
        const said = new Map(alarmCatalog(t, FULL_EXAMPLE_TARGETS).map((d) => [d.slug, d.message]));
        expect(said.get("error-rate-high")).toContain("More than 7% of requests failed");
        expect(said.get("error-rate-elevated")).toContain("More than 2% of requests failed");
        expect(said.get("latency-p95-high")).toContain("above 800 ms");
        expect(said.get("latency-p99-high")).toContain("above 1500 ms");
        expect(said.get("database-connections-high")).toContain("above 90% of max_connections (1802)");
        expect(said.get("node-disk-high")).toContain("more than 88% full");
        expect(said.get("node-disk-warning")).toContain("more than 75% full");
        expect(said.get("certificate-expiring")).toContain("within 45 days");
    });
});

describe("the example targets that list the whole catalogue", () => {
    // The formats CloudWatch's dimensions take: docs and runbooks show these identifiers.
    it("look like the identifiers they stand for", () => {
        const t = FULL_EXAMPLE_TARGETS;
        expect(t.loadBalancer?.arnSuffix).toMatch(/^app\/[\w-]+\/[0-9a-f]{16}$/);
        expect(t.loadBalancer?.targetGroupArnSuffixes).toEqual([expect.stringMatching(/^targetgroup\/[\w-]+\/[0-9a-f]{16}$/)]);
        expect(t.healthCheck?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(t.database).toEqual({ identifier: "myapp-production", maxConnections: postgresMaxConnections("db.r6g.large") });
        expect(t.cache?.cacheClusterIds).toEqual(["myapp-production-001", "myapp-production-002"]);
        expect(t.cluster).toEqual({ name: "myapp-production" });
        expect(t.certificate?.arn).toMatch(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/);
        expect(t.backup?.vaultNames).toEqual(["myapp-production"]);
        expect(t.secrets).toEqual({ namespace: "myapp/Secrets", secretsPrefix: "myapp/production/" });
    });
});

describe("an unknown instance class", () => {
    it("lists the classes that are known", () => {
        expect(() => postgresMaxConnections("db.x2g.large")).toThrow("Known classes: db.t4g.micro, db.t4g.small, db.t4g.medium,");
        expect(() => postgresMaxConnections("db.x2g.large")).toThrow(/db\.r7g\.2xlarge\. Fix:/);
    });
});
