import type { PlannedResource } from "../../plan/record";
import { DAYS_PER_MONTH, PricingContext, num } from "../context";
import { Priced, arr, obj } from "./types";

/** Alarm metrics an alarm is billed for: each metric it queries; an anomaly detection alarm counts 3 (the metric and its band). */
export function alarmMetrics(inputs: Record<string, unknown>): { metrics: number; highResolution: boolean; anomaly: boolean } {
    const queries = arr(inputs["metricQueries"]).map(obj);
    const anomaly = queries.some((q) => /ANOMALY_DETECTION_BAND/.test(String(q["expression"] ?? "")));
    const periods = [num(inputs["period"], 60), ...queries.map((q) => num(obj(q["metric"])["period"], 60))];
    const highResolution = Math.min(...periods) < 60;
    const queried = queries.filter((q) => q["metric"] !== undefined).length;
    const metrics = anomaly ? 3 * Math.max(1, queried) : Math.max(1, queried);
    return { metrics, highResolution, anomaly };
}

/** CloudWatch metric alarm: per alarm metric, at the standard or high-resolution rate. */
export function metricAlarm(r: PlannedResource, ctx: PricingContext): Priced {
    const { metrics, highResolution, anomaly } = alarmMetrics(r.inputs);
    const kind = `${highResolution ? "high-resolution" : "standard"}${anomaly ? " anomaly detection" : ""} alarm`;
    return {
        lines: [
            ctx.line(`${kind}, ${metrics} alarm metrics`, metrics, highResolution ? "cloudwatch.alarm.highResolution" : "cloudwatch.alarm.standard", ctx.regionOf(r)!, {
                note: "the account's 10 free alarm metrics are not deducted: several stacks share them",
            }),
        ],
    };
}

/** CloudWatch dashboard: the first `cloudwatch.freeDashboards` of the plan are the account's free ones. */
export function dashboard(r: PlannedResource, ctx: PricingContext): Priced {
    const free = ctx.assume("cloudwatch.freeDashboards");
    const before = ctx.counters.get("dashboards") ?? 0;
    ctx.counters.set("dashboards", before + 1);
    const isFree = before < free;
    return {
        lines: [
            ctx.line(isFree ? "dashboard (one of the account's free ones)" : "dashboard", isFree ? 0 : 1, "cloudwatch.dashboard", ctx.regionOf(r)!, {
                assumptions: ["cloudwatch.freeDashboards"],
                note: "free dashboards hold up to 50 metrics each",
            }),
        ],
    };
}

/** Which ingestion assumption a log group's name falls under. */
export function logClass(name: string): string {
    if (name.startsWith("/aws/eks/")) return "logs.controlPlaneGiBPerMonth";
    if (name.startsWith("/aws/vpc/") || name.includes("flow-log")) return "logs.flowLogsGiBPerMonth";
    if (name.startsWith("/aws/containerinsights/") && name.endsWith("/application")) return "logs.containerApplicationGiBPerMonth";
    if (name.startsWith("/aws/containerinsights/")) return "logs.containerOtherGiBPerMonth";
    if (name.startsWith("/aws/rds/")) return "logs.databaseGiBPerMonth";
    if (name.startsWith("/aws/lambda/")) return "logs.lambdaGiBPerMonth";
    return "logs.otherGiBPerMonth";
}

/**
 * An AWS WAF log record, one per inspected request: JSON with the request's headers and the rules
 * that matched, about 1.5 KiB (the AWS WAF Developer Guide's log examples).
 */
export const WAF_LOG_KIB_PER_REQUEST = 1.5;

/** GiB a month a log group takes in, and the assumption it rests on: a web ACL's log follows the ALB's requests. */
function ingestion(name: string, ctx: PricingContext): { gib: number; key: string } {
    if (name.startsWith("aws-waf-logs-")) {
        const key = "alb.requestsMillionsPerMonth";
        return { gib: (ctx.assume(key) * 1e6 * WAF_LOG_KIB_PER_REQUEST) / 1024 ** 2, key };
    }
    const key = logClass(name);
    return { gib: ctx.assume(key), key };
}

/** CloudWatch Logs group: assumed ingestion, and storage of what its retention keeps. */
export function logGroup(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const name = String(r.inputs["name"] ?? r.name);
    const { gib: ingested, key } = ingestion(name, ctx);
    const retention = num(r.inputs["retentionInDays"], 0);
    if (retention === 0) ctx.warn(`${r.name}: log group ${name} never expires; its storage is priced at 12 months and keeps growing.`);
    const days = retention || 365;
    return {
        lines: [
            ctx.line(`ingestion into ${name}`, ingested, "logs.ingestion", region, { assumptions: [key] }),
            ctx.line(`storage of ${days} days of logs`, (ingested * days) / DAYS_PER_MONTH, "logs.storage", region, {
                assumptions: [key],
                note: "at the ingested size: CloudWatch stores logs compressed, so this is an upper bound",
            }),
        ],
    };
}

/** KMS customer managed key. */
export function kmsKey(r: PlannedResource, ctx: PricingContext): Priced {
    const rotates = r.inputs["enableKeyRotation"] === true;
    return {
        lines: [
            ctx.line("customer managed key", 1, "kms.key", ctx.regionOf(r)!, {
                note: `requests ($0.03 per 10,000) are not estimated${rotates ? "; each of the first two automatic rotations adds $1 a month" : ""}`,
            }),
        ],
    };
}

/** Secrets Manager secret, and each replica in another Region (billed as a secret there). */
export function secret(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const replicas = arr(r.inputs["replicas"]).map((x) => String(obj(x)["region"] ?? ""));
    return {
        lines: [
            ctx.line("secret", 1, "secretsmanager.secret", region, { note: "API calls ($0.05 per 10,000) are not estimated" }),
            ...replicas.map((to) => ctx.line(`replica in ${to}`, 1, "secretsmanager.secret", to)),
        ],
    };
}

/** Lambda function: assumed invocations × duration × memory, and the requests. */
export function lambdaFunction(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const arch = String(arr(r.inputs["architectures"])[0] ?? "x86_64");
    if (arch !== "arm64") return { unpriced: `architecture ${arch}: only arm64 duration is in the price table` };
    const invocations = ctx.assume("lambda.invocationsPerMonth");
    const seconds = ctx.assume("lambda.averageDurationMs") / 1000;
    const memoryGb = num(r.inputs["memorySize"], 128) / 1024;
    const assumptions = ["lambda.invocationsPerMonth", "lambda.averageDurationMs"];
    return {
        lines: [
            ctx.line(`duration at ${num(r.inputs["memorySize"], 128)} MB`, invocations * seconds * memoryGb, "lambda.arm64.duration", region, {
                assumptions,
                note: "the account's free tier (400,000 GB-seconds) is not deducted",
            }),
            ctx.line("requests", invocations / 1e6, "lambda.requests", region, { assumptions: ["lambda.invocationsPerMonth"] }),
        ],
    };
}

/** Runs a month of a schedule expression: `rate(n unit)`, `cron(...)` (daily, or weekly when it names week days), `at(...)` once. */
export function runsPerMonth(expression: string): number {
    const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
    if (rate) {
        const minutes = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 }[rate[2] as "day"] * Number(rate[1]);
        return (DAYS_PER_MONTH * 1440) / minutes;
    }
    const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/.exec(expression.trim());
    if (cron) {
        const [, minute, hour, , , weekDays] = cron;
        const perDay = (minute === "*" ? 60 : 1) * (hour === "*" ? 24 : 1);
        const days = weekDays && weekDays !== "*" && weekDays !== "?" ? (DAYS_PER_MONTH / 7) * weekDays.split(",").length : DAYS_PER_MONTH;
        return perDay * days;
    }
    return expression.startsWith("at(") ? 0 : DAYS_PER_MONTH;
}

/** EventBridge Scheduler schedule: its invocations a month. */
export function schedule(r: PlannedResource, ctx: PricingContext): Priced {
    const runs = runsPerMonth(String(r.inputs["scheduleExpression"] ?? ""));
    return {
        lines: [
            ctx.line(`${runs.toFixed(1)} invocations (${String(r.inputs["scheduleExpression"])})`, runs / 1e6, "scheduler.invocations", ctx.regionOf(r)!, {
                note: "the account's first 14 million invocations a month are free",
            }),
        ],
    };
}
