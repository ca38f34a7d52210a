import type { AlarmMetric, Defs, MetricSpec, MonitoredTargets, Thresholds } from "./catalogTypes";
import { DAY, MINUTE } from "./catalogTypes";

/** The alarms of what users meet: the health check, the load balancer's requests, the certificate. */

/** ALB request metrics, per load balancer. */
function albMetric<V>(lb: V, metricName: string, stat: string): MetricSpec<V> {
    return { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: lb }, stat };
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

/** The service-down alarm over the Route53 health check (runbook 3.5, 3.7). */
export function healthCheckAlarms<V>(targets: MonitoredTargets<V>): Defs<V> {
    return [
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
    ];
}

/** Error rates, latency and target health at the load balancer (runbook 1.4, 3.2, 3.5, 3.7). */
export function loadBalancerAlarms<V>(t: Thresholds, targets: MonitoredTargets<V>): Defs<V> {
    const lb = targets.loadBalancer;
    return [
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
    ];
}

/** The certificate's expiry (runbook 4.2). */
export function certificateAlarms<V>(t: Thresholds, targets: MonitoredTargets<V>): Defs<V> {
    return [
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
    ];
}
