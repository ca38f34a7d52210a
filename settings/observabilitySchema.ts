import { z } from "zod";

/**
 * Settings of the observability layer (runbook section 3): alert routing, alarm thresholds,
 * health check, tracing. Defaults live in `profiles.ts` (the runbook's values); the alarms
 * themselves are `modules/observability/catalog.ts`.
 */

const percent = z.number().min(0).max(100);
const positiveInt = z.number().int().positive();

export const thresholdsSchema = z
    .strictObject({
        errorRateHighPercent: percent.meta({ description: "High alert and rollback trigger: 5XX share of requests over 5 minutes (runbook 1.4, 3.5: 5)." }),
        errorRateElevatedPercent: percent.meta({ description: "Medium alert: 5XX share of requests over 5 minutes (runbook 3.2: 1)." }),
        latencyP95Ms: positiveInt.max(60000).meta({ description: "p95 response time over 5 minutes, ms (runbook 3.2: 500)." }),
        latencyP99Ms: positiveInt.max(60000).meta({ description: "p99 response time over 5 minutes, ms (runbook 3.2: 1000)." }),
        databaseConnectionsPercent: percent.meta({ description: "Database connections as a share of max_connections, over 5 minutes (runbook 3.2: 90)." }),
        cacheHitRatePercent: percent.meta({ description: "Cache hit rate floor over 10 minutes (runbook 3.2: 60)." }),
        cpuPercent: percent.meta({ description: "CPU of a node or of the database over 10 minutes (runbook 3.2: 85)." }),
        memoryPercent: percent.meta({ description: "Memory of a node over 5 minutes (runbook 3.2: 90)." }),
        diskPercent: percent.meta({ description: "Filesystem use of a node, medium alert (runbook 3.2: 85)." }),
        diskWarningPercent: percent.meta({ description: "Filesystem use of a node, low alert (runbook 3.5: 70)." }),
        certificateExpiryDays: positiveInt.max(365).meta({ description: "Alert when the certificate expires within this many days (runbook 4.2: 30)." }),
        networkAnomalyBandWidth: z.number().positive().max(10).meta({ description: "Network I/O anomaly band width, in standard deviations (runbook 3.2: anomaly detection; 2)." }),
    })
    .refine((t) => t.errorRateElevatedPercent < t.errorRateHighPercent, {
        message: "an elevated (medium) error rate below the high one",
        path: ["errorRateElevatedPercent"],
    })
    .refine((t) => t.diskWarningPercent < t.diskPercent, { message: "a disk warning (low) below the disk alert (medium)", path: ["diskWarningPercent"] })
    .refine((t) => t.latencyP95Ms <= t.latencyP99Ms, { message: "a p95 threshold no higher than the p99 one", path: ["latencyP95Ms"] })
    .meta({ description: "Alarm thresholds (docs/observability.md); the defaults are the runbook's values." });

export const alertsSchema = z.strictObject({
    emails: z.array(z.email("an e-mail address such as oncall@example.com")).meta({ description: "Addresses subscribed to low-severity alerts (runbook 3.5)." }),
    runbookBaseUrl: z
        .url({ protocol: /^https$/, error: "an https URL such as https://github.com/example-org/ops/blob/main/docs/runbooks" })
        .meta({ description: "Where docs/runbooks is published: each alarm's description links `<runbookBaseUrl>/<alarm>`." }),
    thresholds: thresholdsSchema,
    databaseMaxConnections: positiveInt
        .max(100000)
        .optional()
        .meta({ description: "The database's max_connections, when the instance class is not in the known table or the parameter group changes it." }),
    slack: z
        .strictObject({
            workspaceId: z
                .string()
                .regex(/^T[A-Z0-9]{6,}$/, "a Slack workspace (team) id such as T07EA123LEP")
                .meta({ description: "Slack workspace id, authorised once with AWS Chatbot in the console." }),
            channelId: z.string().regex(/^[CG][A-Z0-9]{6,}$/, "a Slack channel id such as C07EZ1ABC23").meta({ description: "Channel that gets high and medium alerts." }),
        })
        .optional()
        .meta({ description: "Slack channel for high and medium alerts, through AWS Chatbot. Without it, those alerts reach PagerDuty (high) or nobody (medium)." }),
    healthCheckSearchString: z
        .string()
        .min(1)
        .max(255)
        .meta({ description: "Text the Route53 health check requires in the first 5,120 bytes of a 2xx /health body." }),
});

export const tracingSchema = z
    .strictObject({
        collectorImage: z
            .string()
            .regex(/^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/, "a pinned ADOT collector image such as public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0")
            .meta({ description: "ADOT collector image, pinned." }),
        sampledPercent: percent.meta({ description: "Share of ordinary traces kept (runbook 3.4: 10); errors and slow requests are always kept." }),
        slowRequestMs: positiveInt.max(60000).meta({ description: "Traces at least this long are always kept (runbook 3.4: 1000)." }),
    })
    .meta({ description: "Distributed tracing (runbook 3.4): the in-cluster OpenTelemetry collector and its tail sampling." });

/** The PagerDuty integration URL: a secret (the URL itself is the credential). */
export const pagerDutyIntegrationUrlSchema = z
    .url({ protocol: /^https$/, hostname: /(^|\.)pagerduty\.com$/, error: "an https URL on pagerduty.com: the integration's URL, such as https://events.pagerduty.com/integration/<integration key>/enqueue" })
    .optional()
    .meta({
        secret: true,
        planStandIn: "https://events.pagerduty.com/integration/offline-plan-stand-in/enqueue",
        description:
            "PagerDuty Amazon CloudWatch integration URL (https://events.pagerduty.com/integration/<key>/enqueue) for critical and high alerts. Secret: `pulumi config set --secret pagerDutyIntegrationUrl ...`.",
    });

/**
 * A PagerDuty REST API key (account or user token): a secret. With it the program manages the
 * on-call itself (modules/oncall): the service, its escalation policy, the weekly schedule and the
 * Amazon CloudWatch integration whose URL the alert routing uses.
 */
export const pagerDutyTokenSchema = z
    .string()
    // PagerDuty's REST API keys are 20 characters (Integrations, API Access Keys).
    .min(20)
    .optional()
    .meta({
        secret: true,
        description:
            "PagerDuty REST API key: with it the program creates the on-call (service, escalation policy, weekly schedule, CloudWatch integration) and routes critical and high alerts there; without it, pagerDutyIntegrationUrl is used as given. Secret: `pulumi config set --secret pagerDutyToken ...`.",
    });

/** PagerDuty user e-mail addresses, as they log in (the program looks their ids up). */
const pagerDutyUsers = z.array(z.email("a PagerDuty user's e-mail address, as they log in, such as alice@example.com")).max(50);

/** The weekdays a handoff can fall on, as the runbook writes them. */
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

export const onCallSchema = z
    .strictObject({
        responders: pagerDutyUsers.meta({
            description: "The weekly rotation, in order: PagerDuty users' e-mail addresses (runbook 3.8). Required with pagerDutyToken.",
        }),
        escalateTo: pagerDutyUsers.meta({
            description: "Who is paged when the on-call does not acknowledge in time (runbook 3.8: escalate if needed): PagerDuty users' e-mail addresses. Empty: the rotation is paged again.",
        }),
        escalateAfterMinutes: z
            .number()
            .int()
            .min(1)
            .max(60)
            .meta({ description: "Minutes an unacknowledged incident waits before it escalates (runbook 3.8: respond within 5 minutes)." }),
        handoff: z
            .strictObject({
                day: z.enum(WEEKDAYS).meta({ description: "Weekday of the weekly handoff (runbook 3.8: Monday)." }),
                time: z
                    .string()
                    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day such as 09:00 (24-hour)")
                    .meta({ description: "Time of the handoff in onCall.timeZone (runbook 3.8: 9am)." }),
            })
            .meta({ description: "When the weekly rotation hands over (runbook 3.8: Monday 9am, with a runbook review)." }),
        timeZone: z
            .string()
            .refine((tz) => isTimeZone(tz), "an IANA time zone such as Europe/London or America/New_York")
            .meta({ description: "The schedule's time zone: the handoff happens at onCall.handoff.time there, summer time included." }),
    })
    .meta({ description: "On-call as code (runbook 3.5, 3.8), used when pagerDutyToken is set." });

/** True for a time zone the runtime knows (IANA names, as PagerDuty takes them). */
export function isTimeZone(tz: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz);
    } catch {
        return false;
    }
}
