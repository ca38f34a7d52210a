/**
 * The edge in front of the load balancer: WAF web ACLs and ACM certificates.
 */
import { EVERYWHERE, PolicyRule, sharedEnvironments } from "../rule";
import { asArray, at, num, parseJson, refersTo, shown } from "../values";

const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const CERTIFICATE_VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** Runbook 4.2: "Expiration monitoring: alert 30 days before expiration". */
export const CERTIFICATE_ALERT_DAYS = 30;

export const wafRules: PolicyRule[] = [
    {
        name: "waf-has-rules",
        service: "WAF",
        description: "Every web ACL has at least one rule or rule group.",
        rationale: "A web ACL without rules applies its default action, allow, to everything: it protects nothing while looking as if it did.",
        controls: [{ framework: "Security Hub FSBP", id: "WAF.10" }],
        enforcement: EVERYWHERE,
        types: [WEB_ACL],
        // `ruleJson` is the provider's escape hatch for deeply nested rules: a JSON list of rules.
        check: (acl) => (asArray(acl.inputs["rules"]).length > 0 || asArray(parseJson(acl.inputs["ruleJson"])).length > 0 ? [] : ["rules is empty: the web ACL allows every request"]),
    },
    {
        name: "waf-logging",
        service: "WAF",
        description: "Every web ACL logs the requests it inspects.",
        rationale:
            "Sampled requests keep three hours of a fraction of the traffic; when a managed rule starts blocking real users, or an attack needs tracing, only the full log says which rule matched which request.",
        controls: [
            { framework: "Security Hub NIST 800-53", id: "WAF.11" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-WAFv2LoggingEnabled" },
        ],
        enforcement: sharedEnvironments("previews and development stacks have no web ACL of their own."),
        types: [WEB_ACL],
        check: (acl, stack) => {
            const logging = stack.ofType(WAF_LOGGING).filter((l) => refersTo(l, "resourceArn", acl));
            if (logging.length === 0) return ["no aws.wafv2.WebAclLoggingConfiguration for this web ACL"];
            // PutLoggingConfiguration refuses a destination whose name does not start with aws-waf-logs-.
            const named = (arn: string): string => arn.replace(/^arn:[^:]+:[^:]+:[^:]*:[^:]*:/, "").replace(/^(log-group:|deliverystream\/)/, "");
            return logging.flatMap((l) =>
                asArray(l.inputs["logDestinationConfigs"])
                    .filter((d): d is string => typeof d === "string" && !named(d).startsWith("aws-waf-logs-"))
                    .map((d) => `logs to ${d}, whose name does not start with aws-waf-logs- (WAF refuses it): name the destination aws-waf-logs-<name>`),
            );
        },
    },
];

export const acmRules: PolicyRule[] = [
    {
        name: "acm-managed-renewal",
        service: "ACM",
        description: "Certificates are issued by ACM and validated through DNS, so ACM renews them on its own.",
        rationale: "ACM renews DNS-validated certificates automatically; imported ones, and email-validated ones nobody answers, expire (runbook 4.2).",
        controls: [
            { framework: "Security Hub FSBP", id: "ACM.1" },
            { framework: "Runbook", id: "4.2 certificates renewed automatically via ACM" },
        ],
        enforcement: EVERYWHERE,
        types: [CERTIFICATE],
        check: (c) => {
            if (c.inputs["certificateBody"] !== undefined || c.inputs["privateKey"] !== undefined) return ["an imported certificate: ACM never renews it; request one with validationMethod DNS"];
            if (c.inputs["certificateAuthorityArn"] !== undefined) return [];
            return c.inputs["validationMethod"] === "DNS" ? [] : [`validationMethod is ${shown(c.inputs["validationMethod"])}: set "DNS"`];
        },
    },
    {
        name: "acm-expiry-alarm",
        service: "ACM",
        description: `An alarm fires when a certificate has ${CERTIFICATE_ALERT_DAYS} days or less left (AWS/CertificateManager DaysToExpiry).`,
        rationale: "Renewal fails silently when the validation record is gone; the alarm leaves a month to fix it.",
        controls: [{ framework: "Runbook", id: "4.2 expiration monitoring: alert 30 days before expiration" }],
        enforcement: EVERYWHERE,
        types: [CERTIFICATE],
        check: (c, stack) => {
            // The alarm may name the certificate through its validation (validation.certificateArn).
            const subjects = [c, ...stack.ofType(CERTIFICATE_VALIDATION).filter((v) => refersTo(v, "certificateArn", c))];
            const watched = stack.ofType(ALARM).filter((a) => {
                const metrics = [a.inputs, ...asArray(a.inputs["metricQueries"]).map((q) => at(q, "metric"))];
                const onExpiry = metrics.some((m) => at(m, "namespace") === "AWS/CertificateManager" && at(m, "metricName") === "DaysToExpiry");
                return onExpiry && subjects.some((s) => refersTo(a, "dimensions", s) || refersTo(a, "metricQueries", s));
            });
            if (watched.length === 0) return ["no alarm on AWS/CertificateManager DaysToExpiry for this certificate"];
            return watched.some((a) => (num(a.inputs["threshold"]) ?? 0) >= CERTIFICATE_ALERT_DAYS) ? [] : [`its DaysToExpiry alarm fires later than ${CERTIFICATE_ALERT_DAYS} days before expiry`];
        },
    },
];
