import { cloudwatchRules, snsRules } from "../../../policy/rules/observability";
import { findings, res, ruleSuite } from "../fixtures";

const TOPIC = "aws:sns/topic:Topic";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const topicArn = (severity: string) => `arn:aws:sns:us-east-1:123456789012:myapp-production-alerts-${severity}`;
const topic = (severity = "critical", inputs: Record<string, unknown> = {}) =>
    res(TOPIC, { name: `myapp-production-alerts-${severity}`, kmsMasterKeyId: "arn:aws:kms:us-east-1:1:key/logs", ...inputs }, { name: `topic-${severity}`, id: topicArn(severity) });
const topicPolicy = (severity: string, statements: unknown[]) =>
    res("aws:sns/topicPolicy:TopicPolicy", { arn: topicArn(severity), policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, { name: `policy-${severity}` });
const tlsDeny = (severity: string) => ({ Sid: "TlsOnly", Effect: "Deny", Principal: { AWS: "*" }, Action: "SNS:*", Resource: topicArn(severity), Condition: { Bool: { "aws:SecureTransport": "false" } } });
const alarm = (inputs: Record<string, unknown> = {}, name = "a") =>
    res(
        ALARM,
        {
            alarmActions: [topicArn("critical")],
            alarmDescription: "The service is down. Severity: critical (SEV-1). Runbook: https://docs.example.com/runbooks/service-down",
            tags: { severity: "critical" },
            ...inputs,
        },
        { name },
    );
const logGroup = (inputs: Record<string, unknown> = {}) => res("aws:cloudwatch/logGroup:LogGroup", { name: "/aws/eks/c/cluster", kmsKeyId: "arn:aws:kms:us-east-1:1:key/logs", retentionInDays: 90, ...inputs }, { name: "lg" });

describe("SNS rules", () => {
    const rule = ruleSuite(snsRules);

    rule("sns-encrypted", {
        compliant: () => [topic()],
        missing: () => [topic("critical", { kmsMasterKeyId: undefined })],
        missingFindings: ["topic-critical: no kmsMasterKeyId: encrypt with the stack's logs key"],
        wrong: () => [topic("critical", { kmsMasterKeyId: "alias/aws/sns" })],
        wrongFindings: ['topic-critical: kmsMasterKeyId is "alias/aws/sns": CloudWatch alarms cannot publish to it; use a customer-managed key'],
    });

    rule("sns-tls-only", {
        compliant: () => [topic(), topicPolicy("critical", [{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "SNS:Publish", Resource: topicArn("critical") }, tlsDeny("critical")])],
        missing: () => [topic()],
        missingFindings: ['topic-critical: no topic policy statement denies requests when "aws:SecureTransport" is "false"'],
        wrong: () => [topic(), topic("high"), topicPolicy("high", [tlsDeny("high")]), topicPolicy("critical", [{ ...tlsDeny("critical"), Effect: "Allow" }])],
        wrongFindings: ['topic-critical: no topic policy statement denies requests when "aws:SecureTransport" is "false"'],
    });

    rule("sns-policy-not-public", {
        compliant: () => [topic(), topicPolicy("critical", [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "SNS:Publish", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "1" } } }, tlsDeny("critical")])],
        missing: () => [topic()],
        missingFindings: [],
        safeDefault: "a topic without a policy accepts its own account only",
        wrong: () => [topic(), topicPolicy("critical", [tlsDeny("critical"), { Effect: "Allow", Principal: { AWS: "*" }, Action: ["SNS:Publish", "SNS:Subscribe"], Resource: topicArn("critical") }])],
        wrongFindings: ["topic-critical: its policy allows SNS:Publish, SNS:Subscribe to any principal without a condition"],
    });
});

describe("CloudWatch rules", () => {
    const rule = ruleSuite(cloudwatchRules);

    rule("log-group-retention", {
        compliant: () => [logGroup(), logGroup({ retentionInDays: 365 })],
        missing: () => [logGroup({ retentionInDays: undefined })],
        missingFindings: ["lg: retentionInDays is unset: logs would be kept forever; set 90"],
        wrong: () => [logGroup({ retentionInDays: 30 }), logGroup({ retentionInDays: 0 })],
        wrongFindings: ["lg: retentionInDays is 30: production keeps logs 90 days", "lg: retentionInDays is 0: logs would be kept forever; set 90"],
    });

    rule("log-group-encrypted", {
        compliant: () => [logGroup()],
        missing: () => [logGroup({ kmsKeyId: undefined })],
        missingFindings: ["lg: no kmsKeyId: encrypt with the stack's logs key"],
        wrong: () => [logGroup({ kmsKeyId: "" })],
        wrongFindings: ["lg: no kmsKeyId: encrypt with the stack's logs key"],
    });

    rule("alarm-routed", {
        compliant: () => [topic(), alarm(), alarm({ alarmActions: ["[unknown]"] }, "b")],
        missing: () => [topic(), alarm({ alarmActions: undefined })],
        missingFindings: ["a: alarmActions is empty: route it to the topic of its severity"],
        wrong: () => [topic(), alarm({ actionsEnabled: false }), alarm({ alarmActions: ["arn:aws:sns:us-east-1:999999999999:someone-else"] }, "b")],
        wrongFindings: ["a: actionsEnabled is false: set it to true", "b: alarmActions names no SNS topic of this stack"],
    });

    rule("alarm-runbook-link", {
        compliant: () => [alarm()],
        missing: () => [alarm({ alarmDescription: undefined })],
        missingFindings: ['a: alarmDescription has no "Runbook: https://..." link'],
        wrong: () => [alarm({ alarmDescription: "The service is down. See the runbook." })],
        wrongFindings: ['a: alarmDescription has no "Runbook: https://..." link'],
    });

    rule("alarm-severity-routing", {
        compliant: () => [topic(), topic("low"), alarm(), alarm({ tags: { severity: "low" }, alarmActions: [topicArn("low")] }, "b")],
        missing: () => [topic(), alarm({ tags: undefined })],
        missingFindings: ["a: tags.severity is unset: one of critical, high, medium, low"],
        wrong: () => [topic(), topic("low"), alarm({ alarmActions: [topicArn("critical"), topicArn("low")] }), alarm({ tags: { severity: "urgent" } }, "b")],
        wrongFindings: ['a: a critical alarm notifies "myapp-production-alerts-low", not the critical topic', 'b: tags.severity is "urgent": one of critical, high, medium, low'],
    });

    it("keeps logs 7 days in development and 30 in staging and previews (runbook 3.3)", () => {
        expect(findings("log-group-retention", [logGroup({ retentionInDays: 7 })], "development")).toEqual([]);
        expect(findings("log-group-retention", [logGroup({ retentionInDays: 6 })], "development")).toEqual(["lg: retentionInDays is 6: development keeps logs 7 days"]);
        expect(findings("log-group-retention", [logGroup({ retentionInDays: 30 })], "staging")).toEqual([]);
        expect(findings("log-group-retention", [logGroup({ retentionInDays: 29 })], "preview")).toEqual(["lg: retentionInDays is 29: staging keeps logs 30 days"]);
        expect(findings("log-group-retention", [logGroup({ retentionInDays: 89 })], "production")).toEqual(["lg: retentionInDays is 89: production keeps logs 90 days"]);
    });
});

describe("topic policies", () => {
    const inline = (statements: unknown[]) => topic("critical", { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });

    it("reads a topic's inline policy as well as its TopicPolicy resources", () => {
        expect(findings("sns-tls-only", [inline([tlsDeny("critical")])])).toEqual([]);
        expect(findings("sns-policy-not-public", [inline([{ Effect: "Allow", Principal: "*", Action: "SNS:Publish", Resource: "*" }])])).toEqual([
            "topic-critical: its policy allows SNS:Publish to any principal without a condition",
        ]);
    });

    it("counts a deny to any principal as the TLS deny only under aws:SecureTransport false", () => {
        const other = { ...tlsDeny("critical"), Condition: { StringNotEquals: { "aws:SourceAccount": "123456789012" } } };
        const tlsTrue = { ...tlsDeny("critical"), Condition: { Bool: { "aws:SecureTransport": "true" } } };
        expect(findings("sns-tls-only", [topic(), topicPolicy("critical", [other, tlsTrue])])).toEqual(['topic-critical: no topic policy statement denies requests when "aws:SecureTransport" is "false"']);
    });

    it("flags only an Allow to any principal without a condition: a named principal or a Deny is not public", () => {
        const account = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "SNS:Subscribe", Resource: topicArn("critical") };
        const denyAll = { Effect: "Deny", Principal: { AWS: "*" }, Action: "SNS:DeleteTopic", Resource: topicArn("critical") };
        expect(findings("sns-policy-not-public", [topic(), topicPolicy("critical", [account, denyAll, tlsDeny("critical")])])).toEqual([]);
    });

    it("says actions when an Allow to any principal names none (NotAction only)", () => {
        const notAction = { Effect: "Allow", Principal: { AWS: "*" }, NotAction: "SNS:DeleteTopic", Resource: topicArn("critical") };
        expect(findings("sns-policy-not-public", [topic(), topicPolicy("critical", [notAction])])).toEqual(["topic-critical: its policy allows actions to any principal without a condition"]);
    });
});

describe("alarm routing", () => {
    it("judges composite alarms as metric alarms", () => {
        const composite = res("aws:cloudwatch/compositeAlarm:CompositeAlarm", { alarmRule: 'ALARM("a")', alarmActions: [topicArn("low")], tags: { severity: "critical" } }, { name: "composite" });
        expect(findings("alarm-routed", [topic("low"), { ...composite, inputs: { ...composite.inputs, alarmActions: [] } }])).toEqual(["composite: alarmActions is empty: route it to the topic of its severity"]);
        expect(findings("alarm-runbook-link", [composite])).toEqual(['composite: alarmDescription has no "Runbook: https://..." link']);
        expect(findings("alarm-severity-routing", [topic("low"), composite])).toEqual(['composite: a critical alarm notifies "myapp-production-alerts-low", not the critical topic']);
    });

    it("passes an alarm with any unknown action, even beside a topic of another account", () => {
        expect(findings("alarm-routed", [topic(), alarm({ alarmActions: ["[unknown]", "arn:aws:sns:us-east-1:999999999999:someone-else"] })])).toEqual([]);
    });

    it("names a topic without a name input as unset when it is not the alarm's severity", () => {
        const unnamed = res(TOPIC, { kmsMasterKeyId: "arn:aws:kms:us-east-1:1:key/logs" }, { name: "unnamed", id: topicArn("low") });
        expect(findings("alarm-severity-routing", [unnamed, alarm({ alarmActions: [topicArn("low")] })])).toEqual(["a: a critical alarm notifies unset, not the critical topic"]);
    });
});
