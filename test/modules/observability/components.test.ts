import { observabilitySettingsProblems } from "../../../environments/observability";
import {
    FULL_EXAMPLE_TARGETS,
    cacheClusterIds,
    loadBalancerArnSuffix,
    targetGroupArnSuffix,
    ROUTES,
    SEARCHABLE_FIELDS,
    alarmCatalog,
    alarmDescription,
    collectorConfig,
    healthCheckArgs,
    layout,
    metricAlarmArgs,
    savedQuery,
    tailSamplingPolicies,
    topicPolicyDocument,
} from "../../../modules/observability";
import { base } from "../../../settings/profiles";

/** The runbook's thresholds: the base profile's. */
const THRESHOLDS = base.alerts.thresholds;

const defs = new Map(alarmCatalog(THRESHOLDS, FULL_EXAMPLE_TARGETS).map((d) => [d.slug, d]));
const ctx = { namePrefix: "myapp-production", runbookBaseUrl: "https://docs.example.com/runbooks/", topicArn: "arn:aws:sns:us-east-1:123456789012:t" };

describe("metricAlarmArgs", () => {
    it("puts a percentile in extendedStatistic and a statistic in statistic", () => {
        expect(metricAlarmArgs(defs.get("latency-p95-high")!, ctx)).toMatchObject({ extendedStatistic: "p95", threshold: 0.5, period: 60, evaluationPeriods: 5 });
        expect(metricAlarmArgs(defs.get("latency-p95-high")!, ctx)).not.toHaveProperty("statistic");
        expect(metricAlarmArgs(defs.get("node-cpu-high")!, ctx)).toMatchObject({ statistic: "Maximum", metricName: "node_cpu_utilization", dimensions: { ClusterName: "myapp-production" } });
    });

    it("turns metric math into hidden metric queries and one returned expression", () => {
        const args = metricAlarmArgs(defs.get("error-rate-high")!, ctx);
        expect(args).not.toHaveProperty("metricName");
        expect(args["metricQueries"]).toEqual([
            { id: "t5xx", returnData: false, metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: FULL_EXAMPLE_TARGETS.loadBalancer!.arnSuffix }, stat: "Sum", period: 60 } },
            { id: "elb5xx", returnData: false, metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: { LoadBalancer: FULL_EXAMPLE_TARGETS.loadBalancer!.arnSuffix }, stat: "Sum", period: 60 } },
            { id: "requests", returnData: false, metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: { LoadBalancer: FULL_EXAMPLE_TARGETS.loadBalancer!.arnSuffix }, stat: "Sum", period: 60 } },
            { id: "e1", expression: "100 * (FILL(t5xx, 0) + FILL(elb5xx, 0)) / FILL(requests, 1)", label: "Error rate (%)", returnData: true },
        ]);
    });

    it("alarms on an anomaly band by its id, with no fixed threshold", () => {
        const args = metricAlarmArgs(defs.get("network-anomaly")!, ctx);
        expect(args).toMatchObject({ thresholdMetricId: "band", comparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold" });
        expect(args).not.toHaveProperty("threshold");
        expect((args["metricQueries"] as Array<Record<string, unknown>>)[1]).toMatchObject({ expression: "ANOMALY_DETECTION_BAND(m1, 2)", returnData: true });
    });

    it("names the alarm after its runbook, and routes alarm and recovery to the topic", () => {
        expect(metricAlarmArgs(defs.get("service-down")!, ctx)).toMatchObject({
            name: "myapp-production-service-down",
            alarmActions: [ctx.topicArn],
            okActions: [ctx.topicArn],
            tags: { severity: "critical", runbook: "service-down" },
        });
        expect(alarmDescription(defs.get("service-down")!, ctx.runbookBaseUrl)).toMatch(/Severity: critical \(SEV-1\)\. Runbook: https:\/\/docs\.example\.com\/runbooks\/service-down$/);
    });
});

describe("alert routing", () => {
    it("is runbook 3.5's table", () => {
        expect(ROUTES).toEqual({ critical: ["pagerduty"], high: ["pagerduty", "slack"], medium: ["slack"], low: ["email"] });
    });

    it("lets the account and the alarm services publish, and denies anything without TLS", () => {
        const doc = topicPolicyDocument("arn:aws:sns:us-east-1:123456789012:t", "123456789012");
        expect(doc.Statement.map((s) => [s.Sid, s.Effect, s.Principal])).toEqual([
            ["AccountManagesTopic", "Allow", { AWS: "arn:aws:iam::123456789012:root" }],
            ["AlarmsAndEventsPublish", "Allow", { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }],
            ["TlsOnly", "Deny", { AWS: "*" }],
        ]);
        expect(doc.Statement[1]!.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
        expect(doc.Statement[2]).toMatchObject({ Action: "SNS:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });
});

describe("the collector's tail sampling (runbook 3.4)", () => {
    const config = collectorConfig({ region: "eu-west-1", sampling: { sampledPercent: 10, slowRequestMs: 1000 } }) as {
        processors: { tail_sampling: { policies: unknown[] } };
        exporters: { awsxray: { region: string } };
        service: { pipelines: { traces: { receivers: string[]; processors: string[]; exporters: string[] } } };
    };

    it("keeps every error, every trace of 1 s or more, and 10% of the rest", () => {
        expect(config.processors.tail_sampling.policies).toEqual([
            { name: "every-error", type: "status_code", status_code: { status_codes: ["ERROR"] } },
            { name: "every-slow-request", type: "latency", latency: { threshold_ms: 1000 } },
            { name: "share-of-the-rest", type: "probabilistic", probabilistic: { sampling_percentage: 10 } },
        ]);
    });

    it("follows the settings", () => {
        expect(tailSamplingPolicies({ sampledPercent: 25, slowRequestMs: 2000 })).toEqual([
            expect.objectContaining({ status_code: { status_codes: ["ERROR"] } }),
            expect.objectContaining({ latency: { threshold_ms: 2000 } }),
            expect.objectContaining({ probabilistic: { sampling_percentage: 25 } }),
        ]);
    });

    it("batches only after the sampling decision, and exports OTLP traces to X-Ray in the region", () => {
        expect(config.service.pipelines.traces).toEqual({ receivers: ["otlp"], processors: ["memory_limiter", "tail_sampling", "batch"], exporters: ["awsxray"] });
        expect(config.exporters.awsxray.region).toBe("eu-west-1");
    });
});

describe("logs", () => {
    it.each(SEARCHABLE_FIELDS.map((f) => [f]))("saves a query over %s, scoped to the app's namespace", (field) => {
        const q = savedQuery(field, "myapp");
        expect(q.split("\n| ")[0]).toBe('filter kubernetes.namespace_name = "myapp"');
        expect(q).toContain(`log_processed.${field}`);
    });

    it("looks a request up by its id, oldest line first", () => {
        expect(savedQuery("request_id", "myapp")).toContain('filter log_processed.request_id = "REPLACE-WITH-REQUEST-ID"\n| fields');
        expect(savedQuery("request_id", "myapp")).toContain("sort @timestamp asc");
    });
});

describe("the health check", () => {
    it("probes https://<host>/health for the healthy body", () => {
        expect(healthCheckArgs({ hostname: "api.example.com", searchString: '"status":"healthy"', requestIntervalSeconds: 10, failureThreshold: 3 }, "hc")).toEqual({
            type: "HTTPS_STR_MATCH",
            fqdn: "api.example.com",
            port: 443,
            enableSni: true,
            resourcePath: "/health",
            searchString: '"status":"healthy"',
            requestInterval: 10,
            failureThreshold: 3,
            measureLatency: true,
            tags: { Name: "hc" },
        });
    });
});

describe("identifiers", () => {
    it("derives the metric dimensions of a load balancer and a target group from their ARNs", () => {
        expect(loadBalancerArnSuffix("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")).toBe("app/my-alb/50dc6c495c0c9188");
        expect(targetGroupArnSuffix("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-tg/73e2d6bc24d8a067")).toBe("targetgroup/my-tg/73e2d6bc24d8a067");
    });

    it("names a replication group's nodes as ElastiCache does", () => {
        expect(cacheClusterIds("myapp-production", 3)).toEqual(["myapp-production-001", "myapp-production-002", "myapp-production-003"]);
    });
});

describe("dashboard layout", () => {
    it("fills rows of 24 columns and wraps", () => {
        const w = (width: number, height = 6) => ({ type: "metric" as const, width, height, properties: {} });
        expect(layout([w(24, 2), w(8), w(8), w(8), w(12)]).map((x) => [x.x, x.y])).toEqual([
            [0, 0],
            [0, 2],
            [8, 2],
            [16, 2],
            [0, 8],
        ]);
    });
});

describe("observabilitySettingsProblems", () => {
    const settings = (instanceClass: string, databaseMaxConnections?: number) =>
        ({ database: { instanceClass }, alerts: { databaseMaxConnections, thresholds: { databaseConnectionsPercent: 90 } } }) as unknown as Parameters<typeof observabilitySettingsProblems>[0];

    it("accepts a known instance class, or any class with the maximum set", () => {
        expect(observabilitySettingsProblems(settings("db.r6g.large"))).toEqual([]);
        expect(observabilitySettingsProblems(settings("db.x2g.large", 400))).toEqual([]);
    });

    it("asks for alerts.databaseMaxConnections for an unknown class, saying how", () => {
        expect(observabilitySettingsProblems(settings("db.x2g.large"))).toEqual([
            expect.objectContaining({ key: "ops:alerts.databaseMaxConnections", fix: "pulumi config set --path alerts.databaseMaxConnections <max_connections>" }),
        ]);
        expect(observabilitySettingsProblems(settings("db.x2g.large"))[0]!.received).toContain("db.x2g.large");
    });
});
