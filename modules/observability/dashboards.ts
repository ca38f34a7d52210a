import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The three CloudWatch dashboards of runbook 3.6, as pure body builders (tests parse exactly what
 * is deployed) and a component that creates them.
 */

import { ActiveUserWindow, BUSINESS_METRICS, businessMetricSeries, businessNamespace } from "./businessMetrics";

/** What the dashboards show; a group left out drops its widgets. */
export interface DashboardTargets<V = string> {
    region: string;
    environment: string;
    appName: string;
    /** The app's Kubernetes namespace. */
    namespace: string;
    loadBalancer?: { arnSuffix: V; targetGroupArnSuffixes: V[] };
    database?: { identifier: V; maxConnections: number };
    cache?: { cacheClusterIds: V[] };
    /** Plain strings: they go inside SEARCH expressions and a Logs Insights query. */
    cluster?: { name: string; controlPlaneLogGroup: string };
    /** Every alarm of the stack, for the active alarms widget. */
    alarmArns: V[];
    /** The log group of AppConfig's feature-flag deployment events (modules/flags), shown beside the error rate. */
    flagDeploymentsLogGroup?: string;
}

type Metric<V> = Array<V | string | Record<string, unknown>>;
interface Widget {
    type: "metric" | "log" | "alarm" | "text";
    width: number;
    height: number;
    properties: Record<string, unknown>;
    /** Placement, filled by `layout`. */
    x?: number;
    y?: number;
}

const W = 24;

/** Places widgets left to right, wrapping at the dashboard's 24 columns. */
export function layout(widgets: Widget[]): Widget[] {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    return widgets.map((w) => {
        if (x + w.width > W) {
            x = 0;
            y += rowHeight;
            rowHeight = 0;
        }
        const placed = { ...w, x, y };
        x += w.width;
        rowHeight = Math.max(rowHeight, w.height);
        return placed;
    });
}

function metricWidget<V>(title: string, metrics: Array<Metric<V>>, region: string, extra: Record<string, unknown> = {}, width = 8): Widget {
    return { type: "metric", width, height: 6, properties: { title, region, view: "timeSeries", stacked: false, metrics, ...extra } };
}

function text(markdown: string): Widget {
    return { type: "text", width: W, height: 2, properties: { markdown } };
}

const errorRateMetrics = <V>(lb: V): Array<Metric<V>> => [
    ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb, { id: "t5xx", stat: "Sum", visible: false }],
    ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb, { id: "elb5xx", stat: "Sum", visible: false }],
    ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { id: "requests", stat: "Sum", visible: false }],
    [{ expression: "100 * (FILL(t5xx, 0) + FILL(elb5xx, 0)) / FILL(requests, 1)", label: "Error rate (%)", id: "rate" }],
];

const searchPerNode = (cluster: string, metric: string): string =>
    `SEARCH('{ContainerInsights,ClusterName,InstanceId,NodeName} MetricName="${metric}" ClusterName="${cluster}"', 'Average', 60)`;

/** AppConfig's deployment events of the feature flags: started, completed, rolled back (runbook 2.4). */
export function flagDeploymentsWidget(logGroup: string, region: string): Widget {
    return {
        type: "log",
        width: 12,
        height: 6,
        properties: {
            title: "Feature flag deployments, last hour (AppConfig: started, completed, rolled back)",
            region,
            view: "table",
            query: [
                `SOURCE '${logGroup}'`,
                "fields @timestamp, detail.Type as event, detail.ConfigurationVersion as version, detail.DeploymentNumber as deployment",
                "sort @timestamp desc",
                "limit 20",
            ].join(" | "),
        },
    };
}

/** Production dashboard (runbook 3.6). */
export function productionDashboard<V>(t: DashboardTargets<V>): { widgets: Array<Widget> } {
    const w: Array<Widget> = [text(`# ${t.appName} ${t.environment}: production view\nRequests, errors and latency at the load balancer; users; data stores; deployments and alarms. Runbooks: docs/runbooks.`)];
    const lb = t.loadBalancer;
    if (lb) {
        const requests: Metric<V> = ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb.arnSuffix, { stat: "Sum", label: "Requests" }];
        w.push(
            metricWidget("Request rate, last hour (per minute)", [requests], t.region, { start: "-PT1H", period: 60 }),
            metricWidget("Request rate, last 24 hours (per 5 minutes)", [requests], t.region, { start: "-PT24H", period: 300 }),
            metricWidget("Request rate, last 7 days (per hour)", [requests], t.region, { start: "-P7D", period: 3600 }),
            metricWidget("Error rate (%), last hour", errorRateMetrics(lb.arnSuffix), t.region, { start: "-PT1H", period: 60 }, 12),
            // Beside the error rate: a flag change that raised it shows here at the same time (and a rollback after).
            ...(t.flagDeploymentsLogGroup ? [flagDeploymentsWidget(t.flagDeploymentsLogGroup, t.region)] : []),
            metricWidget("Error rate (%), last 24 hours", errorRateMetrics(lb.arnSuffix), t.region, { start: "-PT24H", period: 300 }, 12),
            metricWidget(
                "Response time (seconds): p50, p95, p99",
                ["p50", "p95", "p99"].map((stat) => ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb.arnSuffix, { stat, label: stat }]),
                t.region,
                { period: 60 },
                12,
            ),
        );
    }
    w.push(
        metricWidget(
            "Active users (last 5 minutes)",
            [[...businessMetricSeries(t.appName, "activeUsers", { Environment: t.environment, Window: "5m" }), { stat: BUSINESS_METRICS.activeUsers.statistic, label: "Active users" }] as Metric<V>],
            t.region,
            { period: 60, view: "singleValue", sparkline: true },
            12,
        ),
    );
    if (t.database) {
        w.push(
            metricWidget(
                "Database connections",
                [["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", t.database.identifier, { stat: "Maximum", label: "Connections" }]],
                t.region,
                { period: 60, annotations: { horizontal: [{ label: "max_connections", value: t.database.maxConnections }] } },
                12,
            ),
        );
    }
    if (t.cache) {
        const ids = t.cache.cacheClusterIds;
        const hits = ids.map((id, i): Metric<V> => ["AWS/ElastiCache", "CacheHits", "CacheClusterId", id, { id: `h${i + 1}`, stat: "Sum", visible: false }]);
        const misses = ids.map((id, i): Metric<V> => ["AWS/ElastiCache", "CacheMisses", "CacheClusterId", id, { id: `m${i + 1}`, stat: "Sum", visible: false }]);
        const sum = (p: string): string => `(${ids.map((_, i) => `${p}${i + 1}`).join(" + ")})`;
        w.push(
            metricWidget(
                "Cache hit rate (%)",
                [...hits, ...misses, [{ expression: `100 * ${sum("h")} / (${sum("h")} + ${sum("m")})`, label: "Hit rate (%)", id: "rate" }]],
                t.region,
                { period: 60, yAxis: { left: { min: 0, max: 100 } } },
                12,
            ),
        );
    }
    if (t.cluster) {
        w.push({
            type: "log",
            width: 12,
            height: 6,
            properties: {
                title: "Recent deployments (changes to Deployments in the app namespace, EKS audit log)",
                region: t.region,
                view: "table",
                query: [
                    `SOURCE '${t.cluster.controlPlaneLogGroup}'`,
                    `filter objectRef.resource = "deployments" and objectRef.namespace = "${t.namespace}"`,
                    `filter verb in ["create", "update", "patch", "delete"] and not ispresent(objectRef.subresource) and responseStatus.code < 300`,
                    "fields @timestamp, objectRef.name, verb, user.username",
                    "sort @timestamp desc",
                    "limit 20",
                ].join(" | "),
            },
        });
    }
    w.push({ type: "alarm", width: W, height: 6, properties: { title: "Active alarms", alarms: t.alarmArns, sortBy: "stateUpdatedTimestamp", states: ["ALARM", "INSUFFICIENT_DATA"] } });
    return { widgets: layout(w) };
}

/** Infrastructure dashboard (runbook 3.6). */
export function infrastructureDashboard<V>(t: DashboardTargets<V>): { widgets: Array<Widget> } {
    const w: Array<Widget> = [text(`# ${t.appName} ${t.environment}: infrastructure\nNodes, containers and data stores. Node series are found by SEARCH, so new nodes appear without a change here.`)];
    if (t.cluster) {
        const c = t.cluster.name;
        w.push(
            metricWidget("CPU per node (%)", [[{ expression: searchPerNode(c, "node_cpu_utilization"), id: "cpu", label: "" }]], t.region, { period: 60 }),
            metricWidget("Memory per node (%)", [[{ expression: searchPerNode(c, "node_memory_utilization"), id: "mem", label: "" }]], t.region, { period: 60 }),
            metricWidget("Filesystem per node (%)", [[{ expression: searchPerNode(c, "node_filesystem_utilization"), id: "fs", label: "" }]], t.region, { period: 300 }),
            metricWidget("Disk I/O per node (bytes)", [[{ expression: searchPerNode(c, "node_diskio_io_service_bytes_total"), id: "disk", label: "" }]], t.region, { period: 300 }),
            metricWidget(
                "Network I/O (bytes/s) and its expected band",
                [
                    ["ContainerInsights", "node_network_total_bytes", "ClusterName", c, { id: "net", stat: "Average", label: "Cluster average" }],
                    [{ expression: "ANOMALY_DETECTION_BAND(net, 2)", id: "band", label: "Expected" }],
                ],
                t.region,
                { period: 300 },
            ),
            metricWidget(
                "Container health",
                [
                    ["ContainerInsights", "cluster_node_count", "ClusterName", c, { stat: "Minimum", label: "Nodes" }],
                    ["ContainerInsights", "cluster_failed_node_count", "ClusterName", c, { stat: "Maximum", label: "Failed nodes" }],
                    ["ContainerInsights", "namespace_number_of_running_pods", "Namespace", t.namespace, "ClusterName", c, { stat: "Minimum", label: "Running app pods" }],
                    [
                        {
                            expression: `SEARCH('{ContainerInsights,ClusterName,Namespace,PodName} MetricName="pod_number_of_container_restarts" ClusterName="${c}" Namespace="${t.namespace}"', 'Maximum', 300)`,
                            id: "restarts",
                            label: "Restarts",
                        },
                    ],
                ],
                t.region,
                { period: 300 },
            ),
        );
    }
    if (t.database) {
        const db = (metric: string, stat: string, label: string): Metric<V> => ["AWS/RDS", metric, "DBInstanceIdentifier", t.database!.identifier, { stat, label }];
        w.push(
            metricWidget("Database CPU (%) and connections", [db("CPUUtilization", "Average", "CPU %"), [...db("DatabaseConnections", "Maximum", "Connections").slice(0, 4), { stat: "Maximum", label: "Connections", yAxis: "right" }]], t.region, { period: 60 }),
            metricWidget("Database free memory and storage (bytes)", [db("FreeableMemory", "Minimum", "Freeable memory"), db("FreeStorageSpace", "Minimum", "Free storage")], t.region, { period: 300 }),
            metricWidget("Database I/O latency (seconds) and IOPS", [db("ReadLatency", "Average", "Read latency"), db("WriteLatency", "Average", "Write latency"), [...db("ReadIOPS", "Average", "").slice(0, 4), { stat: "Average", label: "Read IOPS", yAxis: "right" }], [...db("WriteIOPS", "Average", "").slice(0, 4), { stat: "Average", label: "Write IOPS", yAxis: "right" }]], t.region, { period: 60 }),
        );
    }
    if (t.cache) {
        w.push(
            metricWidget(
                "Cache engine CPU (%) and evictions",
                t.cache.cacheClusterIds.flatMap((id): Array<Metric<V>> => [
                    ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id, { stat: "Average" }],
                    ["AWS/ElastiCache", "Evictions", "CacheClusterId", id, { stat: "Sum", yAxis: "right" }],
                ]),
                t.region,
                { period: 60 },
            ),
        );
    }
    return { widgets: layout(w) };
}

/** Business dashboard (runbook 3.6), from the app's custom metrics. */
export function businessDashboard<V>(t: DashboardTargets<V>): { widgets: Array<Widget> } {
    // Exactly what the app publishes: the names and dimensions of modules/observability/businessMetrics.ts.
    const ns = businessNamespace(t.appName);
    const signups = [...businessMetricSeries(t.appName, "signups", { Environment: t.environment }), { stat: BUSINESS_METRICS.signups.statistic, label: "Signups" }] as Metric<V>;
    const active = (window: ActiveUserWindow, label: string): Metric<V> =>
        [...businessMetricSeries(t.appName, "activeUsers", { Environment: t.environment, Window: window }), { stat: BUSINESS_METRICS.activeUsers.statistic, label }] as Metric<V>;
    const w: Array<Widget> = [
        text(`# ${t.appName} ${t.environment}: business\nFrom the app's custom metrics in the \`${ns}\` namespace (docs/observability.md, "Business metrics").`),
        metricWidget("User signups per day (30 days)", [signups], t.region, { start: "-P30D", period: 86400, view: "bar" }),
        metricWidget("User signups per week (6 months)", [signups], t.region, { start: "-P182D", period: 604800, view: "bar" }),
        metricWidget("User signups per month (1 year)", [signups], t.region, { start: "-P365D", period: 2592000, view: "bar" }),
        metricWidget("Active users per hour (distinct, 7 days)", [active("1h", "Hourly active users")], t.region, { start: "-P7D", period: 3600 }, 12),
        metricWidget("Active users per day (distinct, 90 days)", [active("1d", "Daily active users")], t.region, { start: "-P90D", period: 86400 }, 12),
    ];
    return { widgets: layout(w) };
}

/** The dashboards of a stack, by suffix. */
export const DASHBOARDS = { production: productionDashboard, infrastructure: infrastructureDashboard, business: businessDashboard } as const;
export type DashboardKind = keyof typeof DASHBOARDS;

export interface DashboardsArgs {
    /** `<appName>-<stack>`: dashboards are `<prefix>-<kind>`. */
    namePrefix: string;
    targets: DashboardTargets<pulumi.Input<string>>;
    provider: aws.Provider;
}

/** The Production, Infrastructure and Business dashboards. */
export class Dashboards extends pulumi.ComponentResource {
    readonly names: Record<DashboardKind, string>;

    constructor(name: string, args: DashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:observability:Dashboards", name, {}, opts);
        this.names = {} as Record<DashboardKind, string>;
        for (const kind of Object.keys(DASHBOARDS) as DashboardKind[]) {
            const dashboardName = `${args.namePrefix}-${kind}`;
            new aws.cloudwatch.Dashboard(
                `${name}-${kind}`,
                { dashboardName, dashboardBody: pulumi.jsonStringify(pulumi.output(DASHBOARDS[kind](args.targets))) },
                { parent: this, provider: args.provider },
            );
            this.names[kind] = dashboardName;
        }
        this.registerOutputs({});
    }
}
