import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmDefinition, INCIDENT_SEVERITY, MetricSpec, Severity } from "./catalog";

/** An alarm's name: `<appName>-<stack>-<slug>`. */
export function alarmName(namePrefix: string, slug: string): string {
    return `${namePrefix}-${slug}`;
}

/** The runbook of an alarm: `<runbookBaseUrl>/<slug>` (docs/runbooks/<slug>.md, published). */
export function runbookUrl(runbookBaseUrl: string, slug: string): string {
    return `${runbookBaseUrl.replace(/\/+$/, "")}/${slug}`;
}

/** The alarm description: what happened, its severity and incident level, and the runbook link. */
export function alarmDescription(def: Pick<AlarmDefinition<unknown>, "message" | "severity" | "slug">, runbookBaseUrl: string): string {
    return `${def.message} Severity: ${def.severity} (${INCIDENT_SEVERITY[def.severity]}). Runbook: ${runbookUrl(runbookBaseUrl, def.slug)}`;
}

const PERCENTILE = /^p\d+(\.\d+)?$/;

/**
 * The inputs of one CloudWatch alarm for a catalogue definition. Pure, so tests read exactly what
 * the component creates. Alarm and OK notifications both go to the severity's topic: PagerDuty
 * resolves its incident on OK, Slack shows the recovery.
 */
export function metricAlarmArgs<V>(
    def: AlarmDefinition<V>,
    ctx: { namePrefix: string; runbookBaseUrl: string; topicArn: V },
): Record<string, unknown> {
    const common = {
        name: alarmName(ctx.namePrefix, def.slug),
        alarmDescription: alarmDescription(def, ctx.runbookBaseUrl),
        comparisonOperator: def.comparison,
        evaluationPeriods: def.evaluationPeriods,
        datapointsToAlarm: def.datapointsToAlarm,
        treatMissingData: def.treatMissingData,
        alarmActions: [ctx.topicArn],
        okActions: [ctx.topicArn],
        actionsEnabled: true,
        tags: { severity: def.severity, runbook: def.slug },
    };
    const query = (id: string, m: MetricSpec<V>, returnData: boolean): Record<string, unknown> => ({
        id,
        returnData,
        metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, stat: m.stat, period: def.periodSeconds },
    });
    switch (def.metric.kind) {
        case "metric": {
            const m = def.metric.metric;
            return {
                ...common,
                namespace: m.namespace,
                metricName: m.metricName,
                dimensions: m.dimensions,
                ...(PERCENTILE.test(m.stat) ? { extendedStatistic: m.stat } : { statistic: m.stat }),
                period: def.periodSeconds,
                threshold: def.threshold,
            };
        }
        case "math":
            return {
                ...common,
                threshold: def.threshold,
                metricQueries: [
                    ...def.metric.metrics.map(({ id, ...m }) => query(id, m, false)),
                    { id: "e1", expression: def.metric.expression, label: def.metric.label, returnData: true },
                ],
            };
        case "anomaly":
            return {
                ...common,
                thresholdMetricId: "band",
                metricQueries: [
                    query("m1", def.metric.metric, true),
                    { id: "band", expression: `ANOMALY_DETECTION_BAND(m1, ${def.metric.bandWidth})`, label: "Expected range", returnData: true },
                ],
            };
    }
}

export interface AlarmsArgs {
    /** `<appName>-<stack>`. */
    namePrefix: string;
    definitions: Array<AlarmDefinition<pulumi.Input<string>>>;
    /** The severity topics (same region as the alarms). */
    topicArns: Record<Severity, pulumi.Input<string>>;
    runbookBaseUrl: string;
    /** Region of the alarms when not the provider's (Route53 health-check metrics exist in us-east-1 only). */
    region?: string;
    provider: aws.Provider;
}

/** One CloudWatch alarm per catalogue definition, routed to its severity's topic. */
export class Alarms extends pulumi.ComponentResource {
    /** Alarm ARNs by slug. */
    readonly arns: Record<string, pulumi.Output<string>>;
    /** Alarm names by slug. */
    readonly names: Record<string, string>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:observability:Alarms", name, {}, opts);
        const slugs = args.definitions.map((d) => d.slug);
        const dup = slugs.find((s, i) => slugs.indexOf(s) !== i);
        if (dup) throw new Error(`Alarms ${name}: the alarm ${dup} is defined twice; each slug names one alarm and one runbook.`);
        this.arns = {};
        this.names = {};
        for (const def of args.definitions) {
            const alarmArgs = metricAlarmArgs(def, { namePrefix: args.namePrefix, runbookBaseUrl: args.runbookBaseUrl, topicArn: args.topicArns[def.severity] });
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${def.slug}`,
                { ...(alarmArgs as aws.cloudwatch.MetricAlarmArgs), ...(args.region ? { region: args.region } : {}) },
                { parent: this, provider: args.provider },
            );
            this.arns[def.slug] = alarm.arn;
            this.names[def.slug] = alarmName(args.namePrefix, def.slug);
        }
        this.registerOutputs({ arns: this.arns });
    }
}
