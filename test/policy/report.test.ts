import { REPORT_SCHEMA_VERSION, evaluate, runRule } from "../../policy/report";
import { PolicyRule, StackView } from "../../policy/rule";
import { rules } from "../../policy/rules";
import { res } from "./fixtures";

const instance = (inputs: Record<string, unknown>) => res("aws:rds/instance:Instance", inputs, { name: "db" });

describe("the policy report", () => {
    it("says pass, fail, waived or not applicable for every rule, at the stack's level", () => {
        const stack = [instance({ multiAz: false, storageEncrypted: true, kmsKeyId: "k" })];
        const report = evaluate({ stack: "staging", tier: "staging", resources: stack }, rules);
        const byName = Object.fromEntries(report.rules.map((r) => [r.name, r]));
        expect(report.rules).toHaveLength(rules.length);
        expect(byName["rds-storage-encrypted"]).toMatchObject({ status: "pass", level: "mandatory", checked: 1, violations: [], waived: [] });
        expect(byName["rds-multi-az"]).toMatchObject({ status: "fail", level: "advisory", relaxed: expect.stringContaining("staging profile") as unknown });
        expect(byName["rds-iam-authentication"]).toMatchObject({ status: "fail", level: "mandatory" });
        expect(byName["rds-iam-authentication"]?.relaxed).toBeUndefined();
        expect(byName["vpc-flow-logs"]).toMatchObject({ status: "not-applicable", checked: 0 });
    });

    it("fails the check on a mandatory violation only", () => {
        // An internal ALB without deletion protection: advisory in staging, mandatory in production.
        const lb = () => [res("aws:lb/loadBalancer:LoadBalancer", { subnets: ["a", "b"], dropInvalidHeaderFields: true, accessLogs: { enabled: true, bucket: "l" }, internal: true })];
        const staging = evaluate({ stack: "staging", tier: "staging", resources: lb() }, rules);
        expect(staging.summary).toMatchObject({ failedMandatory: 0, failedAdvisory: 1, mandatoryViolations: 0, advisoryViolations: 1 });
        expect(staging.ok).toBe(true);
        const production = evaluate({ stack: "production", tier: "production", resources: lb() }, rules);
        expect(production.summary).toMatchObject({ failedMandatory: 1, failedAdvisory: 0, mandatoryViolations: 1, advisoryViolations: 0 });
        expect(production.ok).toBe(false);
    });

    it("counts consistently", () => {
        const report = evaluate({ stack: "production", tier: "production", resources: [instance({})] }, rules);
        const s = report.summary;
        expect(s.rules).toBe(rules.length);
        expect(s.passed + s.failedMandatory + s.failedAdvisory + s.waived + s.notApplicable).toBe(s.rules);
        expect(s.mandatoryViolations).toBe(report.rules.filter((r) => r.level === "mandatory").reduce((n, r) => n + r.violations.length, 0));
        expect(s.mandatoryViolations).toBeGreaterThan(s.failedMandatory);
    });

    it("keeps its documented shape (docs/policy.md, JSON output)", () => {
        const report = evaluate({ stack: "dev", tier: "development", resources: [] }, rules);
        expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
        expect(REPORT_SCHEMA_VERSION).toBe(1);
        expect(Object.keys(report)).toEqual(["schemaVersion", "stack", "tier", "environment", "ok", "summary", "rules", "waiverErrors"]);
        expect(Object.keys(report.summary)).toEqual(["rules", "passed", "failedMandatory", "failedAdvisory", "waived", "notApplicable", "mandatoryViolations", "advisoryViolations", "waivedViolations", "waiverErrors"]);
        expect(Object.keys(report.rules[0]!)).toEqual(["name", "service", "description", "rationale", "controls", "level", "status", "checked", "violations", "waived"]);
        expect(report).toMatchObject({ stack: "dev", tier: "development", environment: "development", ok: true });
    });

    it("runs a rule only on the types it judges, and over the stack's every resource of them", () => {
        const seen: string[] = [];
        const probe: PolicyRule = { ...rules[0]!, types: ["aws:sns/*"], check: (r) => (seen.push(r.name), []) };
        const stack = [res("aws:sns/topic:Topic", {}, { name: "t" }), res("aws:sns/topicPolicy:TopicPolicy", {}, { name: "p" }), res("aws:sqs/queue:Queue", {}, { name: "q" })];
        expect(runRule(probe, new StackView({ stack: "s", tier: "production", resources: stack }))).toEqual({ checked: 2, findings: [] });
        expect(seen).toEqual(["t", "p"]);
    });
});
