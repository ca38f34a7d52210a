import type { Defs, MetricSpec, MonitoredTargets, Thresholds } from "./catalogTypes";
import { MINUTE } from "./catalogTypes";

/** The alarms of the cluster's nodes (Container Insights): CPU, memory, disk, network (runbook 3.2, 3.5). */
export function clusterAlarms<V>(t: Thresholds, targets: MonitoredTargets<V>): Defs<V> {
    const cluster = targets.cluster;
    const ci = (metricName: string, stat: string): MetricSpec<V> => ({
        namespace: "ContainerInsights",
        metricName,
        // The ClusterName-only series carries every node's datapoints, so Maximum is the busiest node.
        dimensions: { ClusterName: cluster?.name as V },
        stat,
    });
    return [
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
    ];
}
