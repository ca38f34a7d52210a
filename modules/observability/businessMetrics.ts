/**
 * The business metrics the app publishes (runbook 3.2 "Business Metrics", 3.6 "Business Metrics
 * Dashboard"): the one table the Business dashboard, the app's IAM policy, the docs for the app's
 * developers and the tests all read, so a metric name or a dimension cannot drift between what
 * the app writes and what the dashboard reads. Pure.
 *
 * The app publishes them with `PutMetricData` under its own Pod Identity role, which may write to
 * this namespace only (`businessMetricsStatement`). Not the embedded metric format: the cluster's
 * Fluent Bit nests each log line under `log_processed`, and CloudWatch extracts EMF only from a
 * log event whose root is the EMF object, so EMF lines on stdout would never become metrics.
 */

/** The namespace of the app's business metrics: `<appName>/Business`. */
export function businessNamespace(appName: string): string {
    return `${appName}/Business`;
}

/** The windows `ActiveUsers` is published for: real time, hourly and daily distinct users. */
export const ACTIVE_USER_WINDOWS = ["5m", "1h", "1d"] as const;
export type ActiveUserWindow = (typeof ACTIVE_USER_WINDOWS)[number];

/** One dimension of a business metric: its name, and the values it takes. */
export interface BusinessDimension {
    name: string;
    /** What the app sets it to. */
    value: string;
    /** The only values allowed, when it is an enumeration. */
    values?: readonly string[];
}

/** One business metric, as the app publishes it. */
export interface BusinessMetric {
    /** The CloudWatch metric name. */
    name: string;
    /** The CloudWatch unit the app gives every datum. */
    unit: "Count";
    /** Every dimension, in the order the dashboard names them; the app sets all of them on every datum. */
    dimensions: readonly BusinessDimension[];
    /** The statistic that reads it right: a sum of events, or the largest count of a minute. */
    statistic: "Sum" | "Maximum";
    /** What one datum is and when the app sends it. */
    publish: string;
}

const ENVIRONMENT: BusinessDimension = { name: "Environment", value: "the app's `ENVIRONMENT` (development, staging, production)" };

/** The table: every business metric, its unit and its dimensions. */
export const BUSINESS_METRICS = {
    signups: {
        name: "Signups",
        unit: "Count",
        dimensions: [ENVIRONMENT],
        statistic: "Sum",
        publish: "1 per completed registration; the app may add them up and send one datum a minute with the sum",
    },
    activeUsers: {
        name: "ActiveUsers",
        unit: "Count",
        dimensions: [ENVIRONMENT, { name: "Window", value: "the trailing window counted", values: ACTIVE_USER_WINDOWS }],
        statistic: "Maximum",
        publish: "every minute, one datum per `Window`: the distinct users seen in that trailing window",
    },
} as const satisfies Record<string, BusinessMetric>;

export type BusinessMetricKey = keyof typeof BUSINESS_METRICS;

/**
 * The metric's namespace, name and dimension pairs, as a dashboard's metric array starts: the
 * values must name exactly the metric's dimensions, in the table's order, and an enumerated
 * dimension only one of its values.
 */
export function businessMetricSeries(appName: string, key: BusinessMetricKey, values: Readonly<Record<string, string>>): string[] {
    const metric: BusinessMetric = BUSINESS_METRICS[key];
    const names = metric.dimensions.map((d) => d.name);
    const given = Object.keys(values);
    if (given.length !== names.length || names.some((n) => values[n] === undefined)) {
        throw new Error(`${metric.name} has the dimensions ${names.join(", ")}; got ${given.join(", ") || "none"}.`);
    }
    for (const d of metric.dimensions) {
        if (d.values && !d.values.includes(values[d.name]!)) throw new Error(`${metric.name} ${d.name} is one of ${d.values.join(", ")}; got ${values[d.name]!}.`);
    }
    return [businessNamespace(appName), metric.name, ...metric.dimensions.flatMap((d) => [d.name, values[d.name]!])];
}

/**
 * What the app's role needs to publish them: `cloudwatch:PutMetricData`, which has no resource
 * type (Resource `*`), limited by its condition key `cloudwatch:namespace` to this namespace only
 * (Service Authorization Reference, Amazon CloudWatch).
 */
export function businessMetricsStatement(appName: string): {
    Sid: string;
    Effect: "Allow";
    Action: string;
    Resource: string;
    Condition: { StringEquals: { "cloudwatch:namespace": string } };
} {
    return {
        Sid: "PublishBusinessMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": businessNamespace(appName) } },
    };
}
