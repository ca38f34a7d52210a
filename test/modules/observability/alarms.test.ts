import type { AlarmDefinition } from "../../../modules/observability/catalog";
import { alarmDescription, alarmName, metricAlarmArgs, runbookUrl } from "../../../modules/observability/alarms";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:myapp-production-high";
const ctx = { namePrefix: "myapp-production", runbookBaseUrl: "https://docs.example.com/runbooks", topicArn: TOPIC };

/** A definition with every field set, each to a value no other field has. */
function definition(metric: AlarmDefinition["metric"], overrides: Partial<AlarmDefinition> = {}): AlarmDefinition {
    return {
        slug: "latency-p95-high",
        message: "The 95th percentile response time is above 500 ms for 5 minutes.",
        severity: "high",
        requires: "loadBalancer",
        source: "3.2",
        metric,
        comparison: "GreaterThanThreshold",
        threshold: 0.5,
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 4,
        treatMissingData: "notBreaching",
        missingDataReason: "no requests are not slow requests",
        ...overrides,
    };
}

const LB = { LoadBalancer: "app/myapp-production/0123456789abcdef" };
const latency = (stat: string): AlarmDefinition["metric"] => ({
    kind: "metric",
    metric: { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: LB, stat },
});

/** What every alarm carries, whatever it watches. */
const common = {
    name: "myapp-production-latency-p95-high",
    alarmDescription: "The 95th percentile response time is above 500 ms for 5 minutes. Severity: high (SEV-2). Runbook: https://docs.example.com/runbooks/latency-p95-high",
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 5,
    datapointsToAlarm: 4,
    treatMissingData: "notBreaching",
    alarmActions: [TOPIC],
    okActions: [TOPIC],
    actionsEnabled: true,
    tags: { severity: "high", runbook: "latency-p95-high" },
};

describe("alarm names and runbooks", () => {
    it("name an alarm <prefix>-<slug>", () => {
        expect(alarmName("myapp-staging", "service-down")).toBe("myapp-staging-service-down");
    });

    it.each(["https://docs.example.com/runbooks", "https://docs.example.com/runbooks/", "https://docs.example.com/runbooks///"])(
        "link the runbook under %s with exactly one slash",
        (base) => {
            expect(runbookUrl(base, "service-down")).toBe("https://docs.example.com/runbooks/service-down");
        },
    );

    it("keep slashes inside the base", () => {
        expect(runbookUrl("https://example.com//a/", "x")).toBe("https://example.com//a/x");
    });

    it("describe an alarm by its message, severity, incident level and runbook", () => {
        const def = { message: "The service is down.", severity: "critical" as const, slug: "service-down" as const };
        expect(alarmDescription(def, "https://docs.example.com/runbooks/")).toBe(
            "The service is down. Severity: critical (SEV-1). Runbook: https://docs.example.com/runbooks/service-down",
        );
        expect(alarmDescription({ ...def, severity: "low" }, "https://r")).toBe("The service is down. Severity: low (SEV-4). Runbook: https://r/service-down");
    });
});

describe("metricAlarmArgs of one metric", () => {
    it("gives a plain statistic as statistic, with the definition's period and threshold", () => {
        expect(metricAlarmArgs(definition(latency("Average")), ctx)).toStrictEqual({
            ...common,
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions: LB,
            statistic: "Average",
            period: 60,
            threshold: 0.5,
        });
    });

    // CloudWatch PutMetricAlarm: Statistic is one of SampleCount, Average, Sum, Minimum, Maximum;
    // a percentile (p0.0 to p100) goes in ExtendedStatistic, and the two are exclusive.
    it.each(["p95", "p99", "p99.9", "p99.99", "p100", "p0.5"])("gives the percentile %s as extendedStatistic", (stat) => {
        const args = metricAlarmArgs(definition(latency(stat)), ctx);
        expect(args["extendedStatistic"]).toBe(stat);
        expect(args).not.toHaveProperty("statistic");
    });

    it.each(["Maximum", "SampleCount", "p", "p95x", "xp95", "p99.", "p.9", "P95"])("does not take %s for a percentile: it goes in statistic", (stat) => {
        const args = metricAlarmArgs(definition(latency(stat)), ctx);
        expect(args["statistic"]).toBe(stat);
        expect(args).not.toHaveProperty("extendedStatistic");
    });
});

describe("metricAlarmArgs of metric math", () => {
    it("queries each metric hidden at the alarm's period, and returns one expression", () => {
        const def = definition(
            {
                kind: "math",
                expression: "100 * FILL(e, 0) / FILL(r, 1)",
                label: "Error rate (%)",
                metrics: [
                    { id: "e", namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: LB, stat: "Sum" },
                    { id: "r", namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: LB, stat: "Sum" },
                ],
            },
            { periodSeconds: 300, threshold: 5 },
        );
        expect(metricAlarmArgs(def, ctx)).toStrictEqual({
            ...common,
            threshold: 5,
            metricQueries: [
                { id: "e", returnData: false, metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: LB, stat: "Sum", period: 300 } },
                { id: "r", returnData: false, metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: LB, stat: "Sum", period: 300 } },
                { id: "e1", expression: "100 * FILL(e, 0) / FILL(r, 1)", label: "Error rate (%)", returnData: true },
            ],
        });
    });
});

describe("metricAlarmArgs of an anomaly band", () => {
    it("returns the metric and its band, and alarms on the band rather than a threshold", () => {
        const def = definition(
            { kind: "anomaly", metric: { namespace: "ContainerInsights", metricName: "node_network_total_bytes", dimensions: { ClusterName: "myapp-production" }, stat: "Average" }, bandWidth: 3 },
            { comparison: "LessThanLowerOrGreaterThanUpperThreshold", periodSeconds: 300 },
        );
        expect(metricAlarmArgs(def, ctx)).toStrictEqual({
            ...common,
            comparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold",
            thresholdMetricId: "band",
            metricQueries: [
                { id: "m1", returnData: true, metric: { namespace: "ContainerInsights", metricName: "node_network_total_bytes", dimensions: { ClusterName: "myapp-production" }, stat: "Average", period: 300 } },
                { id: "band", expression: "ANOMALY_DETECTION_BAND(m1, 3)", label: "Expected range", returnData: true },
            ],
        });
    });
});
