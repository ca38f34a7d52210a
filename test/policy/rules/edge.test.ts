import { acmRules, wafRules } from "../../../policy/rules/edge";
import { findings, res, ruleSuite } from "../fixtures";

const ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/waf/abc";
const CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/c";
const acl = (rules: unknown[] = [{ name: "rate-limit", priority: 0 }]) => res("aws:wafv2/webAcl:WebAcl", { scope: "REGIONAL", defaultAction: { allow: {} }, rules }, { name: "waf", id: "abc" });
const aclWith = (rules: unknown[] = [{ name: "rate-limit", priority: 0 }]) => res("aws:wafv2/webAcl:WebAcl", { scope: "REGIONAL", defaultAction: { allow: {} }, rules, arn: ACL_ARN }, { name: "waf", id: "abc" });
const logging = (resourceArn = ACL_ARN) => res("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", { resourceArn, logDestinationConfigs: ["arn:aws:logs:us-east-1:1:log-group:aws-waf-logs-x"] }, { name: "waf-logs" });
const cert = (inputs: Record<string, unknown> = { domainName: "api.example.com", validationMethod: "DNS" }) => res("aws:acm/certificate:Certificate", inputs, { name: "cert", id: CERT_ARN });
const expiryAlarm = (threshold: number, certificateArn = CERT_ARN) =>
    res("aws:cloudwatch/metricAlarm:MetricAlarm", { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: certificateArn }, comparisonOperator: "LessThanOrEqualToThreshold", threshold }, { name: "expiring" });

describe("WAF rules", () => {
    const rule = ruleSuite(wafRules);

    rule("waf-has-rules", {
        compliant: () => [aclWith()],
        missing: () => [res("aws:wafv2/webAcl:WebAcl", { scope: "REGIONAL", defaultAction: { allow: {} } }, { name: "waf" })],
        missingFindings: ["waf: rules is empty: the web ACL allows every request"],
        wrong: () => [aclWith([])],
        wrongFindings: ["waf: rules is empty: the web ACL allows every request"],
    });

    rule("waf-logging", {
        compliant: () => [aclWith(), logging()],
        missing: () => [aclWith()],
        missingFindings: ["waf: no aws.wafv2.WebAclLoggingConfiguration for this web ACL"],
        wrong: () => [aclWith(), logging("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/other/def")],
        wrongFindings: ["waf: no aws.wafv2.WebAclLoggingConfiguration for this web ACL"],
    });

    it("counts rules given as ruleJson", () => {
        expect(findings("waf-has-rules", [res("aws:wafv2/webAcl:WebAcl", { ruleJson: JSON.stringify([{ Name: "r", Priority: 0 }]) }, { name: "waf" })])).toEqual([]);
        expect(findings("waf-has-rules", [res("aws:wafv2/webAcl:WebAcl", { ruleJson: "[]" }, { name: "waf" })])).toEqual(["waf: rules is empty: the web ACL allows every request"]);
    });

    // AWS WAF PutLoggingConfiguration: the log group, bucket or delivery stream's name must start with aws-waf-logs-.
    it("refuses a destination WAF would refuse, whatever its kind, and accepts each kind named aws-waf-logs-", () => {
        const to = (...destinations: string[]) => res("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", { resourceArn: ACL_ARN, logDestinationConfigs: destinations }, { name: "waf-logs" });
        expect(findings("waf-logging", [aclWith(), to("arn:aws:logs:us-east-1:123456789012:log-group:/aws/waf/myapp")])).toEqual([
            "waf: logs to arn:aws:logs:us-east-1:123456789012:log-group:/aws/waf/myapp, whose name does not start with aws-waf-logs- (WAF refuses it): name the destination aws-waf-logs-<name>",
        ]);
        expect(findings("waf-logging", [aclWith(), to("arn:aws:s3:::aws-waf-logs-myapp"), to("arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-myapp")])).toEqual([]);
        expect(findings("waf-logging", [aclWith(), to("arn:aws:s3:::myapp-waf")])).toHaveLength(1);
    });

    it("judges only the destinations given as strings, of every logging configuration of the web ACL", () => {
        const to = (...destinations: unknown[]) => res("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", { resourceArn: ACL_ARN, logDestinationConfigs: destinations }, { name: "waf-logs" });
        expect(findings("waf-logging", [aclWith(), to(42)])).toEqual([]);
        expect(findings("waf-logging", [aclWith(), to("arn:aws:s3:::aws-waf-logs-a"), to("arn:aws:s3:::b", "arn:aws:s3:::c")])).toEqual([
            "waf: logs to arn:aws:s3:::b, whose name does not start with aws-waf-logs- (WAF refuses it): name the destination aws-waf-logs-<name>",
            "waf: logs to arn:aws:s3:::c, whose name does not start with aws-waf-logs- (WAF refuses it): name the destination aws-waf-logs-<name>",
        ]);
    });

    it("strips an ARN's prefix and a log-group: or deliverystream/ only at the start of the destination", () => {
        const to = (destination: string) => res("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", { resourceArn: ACL_ARN, logDestinationConfigs: [destination] }, { name: "waf-logs" });
        expect(findings("waf-logging", [aclWith(), to("aws-waf-arn:aws:s3:::logs-x")])).toEqual([
            "waf: logs to aws-waf-arn:aws:s3:::logs-x, whose name does not start with aws-waf-logs- (WAF refuses it): name the destination aws-waf-logs-<name>",
        ]);
        expect(findings("waf-logging", [aclWith(), to("arn:aws:s3:::aws-waf-log-group:logs-x")])).toEqual([
            "waf: logs to arn:aws:s3:::aws-waf-log-group:logs-x, whose name does not start with aws-waf-logs- (WAF refuses it): name the destination aws-waf-logs-<name>",
        ]);
    });

    it("matches a logging configuration by the web ACL's id inside its ARN, as the plan records it", () => {
        expect(findings("waf-logging", [acl(), logging()])).toEqual([]);
    });
});

describe("ACM rules", () => {
    const rule = ruleSuite(acmRules);

    rule("acm-managed-renewal", {
        compliant: () => [cert()],
        missing: () => [cert({ domainName: "api.example.com" })],
        missingFindings: ["cert: validationMethod is unset: set \"DNS\""],
        wrong: () => [cert({ domainName: "api.example.com", validationMethod: "EMAIL" }), res("aws:acm/certificate:Certificate", { certificateBody: "-----BEGIN", privateKey: "[secret]" }, { name: "imported" })],
        wrongFindings: ['cert: validationMethod is "EMAIL": set "DNS"', "imported: an imported certificate: ACM never renews it; request one with validationMethod DNS"],
    });

    rule("acm-expiry-alarm", {
        compliant: () => [cert(), expiryAlarm(30)],
        missing: () => [cert()],
        missingFindings: ["cert: no alarm on AWS/CertificateManager DaysToExpiry for this certificate"],
        wrong: () => [cert(), expiryAlarm(14), expiryAlarm(45, "arn:aws:acm:us-east-1:123456789012:certificate/other")],
        wrongFindings: ["cert: its DaysToExpiry alarm fires later than 30 days before expiry"],
    });

    it("calls a certificate imported when it has either a body or a private key", () => {
        const imported = ["imported: an imported certificate: ACM never renews it; request one with validationMethod DNS"];
        expect(findings("acm-managed-renewal", [res("aws:acm/certificate:Certificate", { certificateBody: "-----BEGIN", validationMethod: "DNS" }, { name: "imported" })])).toEqual(imported);
        expect(findings("acm-managed-renewal", [res("aws:acm/certificate:Certificate", { privateKey: "[secret]", validationMethod: "DNS" }, { name: "imported" })])).toEqual(imported);
    });

    it("counts only alarms on DaysToExpiry in AWS/CertificateManager, and any of them at the threshold", () => {
        const none = ["cert: no alarm on AWS/CertificateManager DaysToExpiry for this certificate"];
        const alarm = (namespace: string, metricName: string) => res("aws:cloudwatch/metricAlarm:MetricAlarm", { namespace, metricName, dimensions: { CertificateArn: CERT_ARN }, threshold: 30 }, { name: "a" });
        expect(findings("acm-expiry-alarm", [cert(), alarm("AWS/Other", "DaysToExpiry")])).toEqual(none);
        expect(findings("acm-expiry-alarm", [cert(), alarm("AWS/CertificateManager", "Other")])).toEqual(none);
        expect(findings("acm-expiry-alarm", [cert(), expiryAlarm(14), expiryAlarm(30)])).toEqual([]);
        expect(findings("acm-expiry-alarm", [cert(), res("aws:cloudwatch/metricAlarm:MetricAlarm", { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: CERT_ARN } })])).toEqual([
            "cert: its DaysToExpiry alarm fires later than 30 days before expiry",
        ]);
    });

    it("does not take the validation of another certificate for this one's", () => {
        const c = res("aws:acm/certificate:Certificate", { domainName: "api.example.com", validationMethod: "DNS" }, { name: "cert", id: undefined, urn: "urn:cert" });
        const other = res("aws:acm/certificateValidation:CertificateValidation", { certificateArn: "[unknown]" }, { name: "validation", urn: "urn:validation", propertyDependencies: { certificateArn: ["urn:other"] } });
        const alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: "[unknown]" }, threshold: 30 }, { propertyDependencies: { dimensions: ["urn:validation"] } });
        expect(findings("acm-expiry-alarm", [c, other, alarm])).toEqual(["cert: no alarm on AWS/CertificateManager DaysToExpiry for this certificate"]);
    });

    it("accepts a private CA's certificate (ACM renews it without validation)", () => {
        expect(findings("acm-managed-renewal", [cert({ domainName: "internal", certificateAuthorityArn: "arn:aws:acm-pca:us-east-1:1:certificate-authority/x" })])).toEqual([]);
    });

    it("finds the alarm through the certificate's validation, as the engine links them before the ARN is known", () => {
        const c = res("aws:acm/certificate:Certificate", { domainName: "api.example.com", validationMethod: "DNS" }, { name: "cert", id: undefined, urn: "urn:cert" });
        const validation = res("aws:acm/certificateValidation:CertificateValidation", { certificateArn: "[unknown]" }, { name: "validation", urn: "urn:validation", propertyDependencies: { certificateArn: ["urn:cert"] } });
        const alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: "[unknown]" }, threshold: 30 }, { propertyDependencies: { dimensions: ["urn:validation"] } });
        expect(findings("acm-expiry-alarm", [c, validation, alarm])).toEqual([]);
        expect(findings("acm-expiry-alarm", [c, alarm])).toEqual(["cert: no alarm on AWS/CertificateManager DaysToExpiry for this certificate"]);
    });

    it("finds the metric inside a metric query too", () => {
        const alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", { threshold: 30, metricQueries: [{ id: "d", metric: { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: CERT_ARN } } }] });
        expect(findings("acm-expiry-alarm", [cert(), alarm])).toEqual([]);
    });
});
