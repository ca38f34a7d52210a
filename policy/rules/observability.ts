/**
 * Alerting and logging: SNS topics, CloudWatch log groups and alarms (runbook section 3).
 */
import { EVERYWHERE, PolicyResource, PolicyRule, StackView } from "../rule";
import { asObject, at, isFalse, isUnknown, num, refersTo, shown, statementsOf, str, stringsIn } from "../values";

const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";

/** Runbook 3.3: development 7 days, staging 30, production 90. */
export const RUNBOOK_LOG_RETENTION_DAYS = { development: 7, staging: 30, production: 90 } as const;

/** Runbook 3.5's severities. */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;

/** The runbook link every alarm description carries (modules/observability/alarms.ts `alarmDescription`). */
export const RUNBOOK_LINK = /Runbook: https:\/\/\S+/;

/** The topics of the stack an alarm notifies. */
function alarmTopics(alarm: PolicyResource, stack: StackView): PolicyResource[] {
    return stack.ofType(TOPIC).filter((t) => refersTo(alarm, "alarmActions", t));
}

/** A topic's policy documents: its TopicPolicy resources and the inline `policy` input. */
function topicPolicies(topic: PolicyResource, stack: StackView): unknown[] {
    const docs = stack
        .ofType(TOPIC_POLICY)
        .filter((p) => refersTo(p, "arn", topic))
        .map((p) => p.inputs["policy"]);
    if (topic.inputs["policy"] !== undefined) docs.push(topic.inputs["policy"]);
    return docs;
}

export const snsRules: PolicyRule[] = [
    {
        name: "sns-encrypted",
        service: "SNS",
        description: "Topics are encrypted with a customer-managed KMS key (not alias/aws/sns).",
        rationale:
            "Alerts carry incident details. CloudWatch and EventBridge can publish to an encrypted topic only if the key policy lets them, which the AWS managed key's policy never does: an alarm on such a topic fails silently.",
        controls: [
            { framework: "Security Hub FSBP", id: "SNS.1" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-SNSEncryptedKMS" },
        ],
        enforcement: EVERYWHERE,
        types: [TOPIC],
        check: (t) => {
            const key = t.inputs["kmsMasterKeyId"];
            if (!str(key)) return ["no kmsMasterKeyId: encrypt with the stack's logs key"];
            return key === "alias/aws/sns" ? ['kmsMasterKeyId is "alias/aws/sns": CloudWatch alarms cannot publish to it; use a customer-managed key'] : [];
        },
    },
    {
        name: "sns-tls-only",
        service: "SNS",
        description: "The topic policy denies publishing and subscribing without TLS (aws:SecureTransport false).",
        rationale: "Without the deny, an HTTP client can publish or subscribe in the clear.",
        controls: [{ framework: "cdk-nag AwsSolutions", id: "AwsSolutions-SNS3" }],
        enforcement: EVERYWHERE,
        types: [TOPIC],
        check: (t, stack) => {
            const denies = topicPolicies(t, stack)
                .flatMap(statementsOf)
                .some((s) => s.effect === "Deny" && s.principals.includes("*") && String(at(s.condition, "Bool", "aws:SecureTransport")) === "false");
            return denies ? [] : ['no topic policy statement denies requests when "aws:SecureTransport" is "false"'];
        },
    },
    {
        name: "sns-policy-not-public",
        service: "SNS",
        description: "No topic policy allows a wildcard principal without a condition.",
        rationale: "An unconditional Allow to * lets anyone publish false alerts or subscribe to the real ones.",
        controls: [{ framework: "Project", id: "alert topics accept the account and its alarms only (modules/observability/routing.ts)" }],
        enforcement: EVERYWHERE,
        types: [TOPIC],
        check: (t, stack) =>
            topicPolicies(t, stack)
                .flatMap(statementsOf)
                .filter((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)
                .map((s) => `its policy allows ${s.actions.join(", ") || "actions"} to any principal without a condition`),
    },
];

export const cloudwatchRules: PolicyRule[] = [
    {
        name: "log-group-retention",
        service: "CloudWatch",
        description: `Log groups keep logs for the runbook's period: ${RUNBOOK_LOG_RETENTION_DAYS.development} days in development, ${RUNBOOK_LOG_RETENTION_DAYS.staging} in staging, ${RUNBOOK_LOG_RETENTION_DAYS.production} in production.`,
        rationale: "Shorter loses the evidence an investigation needs; unset keeps logs forever, at a cost nobody decided.",
        controls: [
            { framework: "Runbook", id: "3.3 log retention: 7 / 30 / 90 days" },
            { framework: "Security Hub NIST 800-53", id: "CloudWatch.16" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod" },
        ],
        enforcement: EVERYWHERE,
        types: [LOG_GROUP],
        check: (g, stack) => {
            const want = RUNBOOK_LOG_RETENTION_DAYS[stack.environment];
            const days = num(g.inputs["retentionInDays"]);
            if (days === undefined || days === 0) return [`retentionInDays is ${shown(g.inputs["retentionInDays"])}: logs would be kept forever; set ${want}`];
            return days >= want ? [] : [`retentionInDays is ${days}: ${stack.environment} keeps logs ${want} days`];
        },
    },
    {
        name: "log-group-encrypted",
        service: "CloudWatch",
        description: "Log groups are encrypted with a customer-managed KMS key.",
        rationale: "Logs carry request ids, user ids and error details (runbook 3.3); the key's policy decides who reads them.",
        controls: [{ framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-CloudWatchLogGroupEncrypted" }],
        enforcement: EVERYWHERE,
        types: [LOG_GROUP],
        check: (g) => (str(g.inputs["kmsKeyId"]) ? [] : ["no kmsKeyId: encrypt with the stack's logs key"]),
    },
    {
        name: "alarm-routed",
        service: "CloudWatch",
        description: "Every alarm has its actions enabled and notifies at least one of the stack's SNS topics.",
        rationale: "An alarm without an action changes colour on a dashboard nobody watches at 3 a.m. (runbook 3.5: alerts reach PagerDuty, Slack or email through the severity topics).",
        controls: [
            { framework: "Runbook", id: "3.5 alerting" },
            { framework: "Security Hub NIST 800-53", id: "CloudWatch.15" },
            { framework: "Security Hub NIST 800-53", id: "CloudWatch.17" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-CloudWatchAlarmAction" },
        ],
        enforcement: EVERYWHERE,
        types: [ALARM, COMPOSITE_ALARM],
        check: (a, stack) => {
            if (isFalse(a.inputs["actionsEnabled"])) return ["actionsEnabled is false: set it to true"];
            const actions = stringsIn(a.inputs["alarmActions"]);
            if (actions.length === 0) return ["alarmActions is empty: route it to the topic of its severity"];
            if (actions.some(isUnknown)) return [];
            return alarmTopics(a, stack).length > 0 ? [] : ["alarmActions names no SNS topic of this stack"];
        },
    },
    {
        name: "alarm-runbook-link",
        service: "CloudWatch",
        description: 'Every alarm description ends with its runbook link ("Runbook: https://...").',
        rationale: "Runbook 3.5: each alert has a runbook with causes, investigation, resolution and escalation; the link in the page is how the on-call finds it.",
        controls: [{ framework: "Runbook", id: "3.5 alert runbooks" }],
        enforcement: EVERYWHERE,
        types: [ALARM, COMPOSITE_ALARM],
        check: (a) => (RUNBOOK_LINK.test(String(a.inputs["alarmDescription"] ?? "")) ? [] : ['alarmDescription has no "Runbook: https://..." link']),
    },
    {
        name: "alarm-severity-routing",
        service: "CloudWatch",
        description: "Every alarm carries a runbook severity tag and notifies only that severity's topic (<app>-<env>-alerts-<severity>).",
        rationale: "Routing by severity is what pages the on-call for critical and high alerts and only emails low ones (runbook 3.5).",
        controls: [
            { framework: "Runbook", id: "3.5 alert severity levels" },
            { framework: "Project", id: "ARCHITECTURE.md: alarms routed by severity to SNS topics" },
        ],
        enforcement: EVERYWHERE,
        types: [ALARM, COMPOSITE_ALARM],
        check: (a, stack) => {
            const severity = asObject(a.inputs["tags"])?.["severity"];
            if (typeof severity !== "string" || !(SEVERITIES as readonly string[]).includes(severity)) return [`tags.severity is ${shown(severity)}: one of ${SEVERITIES.join(", ")}`];
            const wrong = alarmTopics(a, stack).filter((t) => !String(t.inputs["name"] ?? "").endsWith(`-${severity}`));
            return wrong.map((t) => `a ${severity} alarm notifies ${shown(t.inputs["name"])}, not the ${severity} topic`);
        },
    },
];
