import { stackSettingsProblems } from "../../../environments/stack";
import { SettingsError } from "../../../settings/errors";
import { loadSettings } from "../../../settings/load";
import { INVOKE_MOCKS, isMockMade, mockAnswer } from "../../../tools/plan/mocks";
import { readStackConfig } from "../../../tools/plan/stackConfig";
import type { Plan } from "../../helpers/plan";
import { PlanQuery } from "../../helpers/plan";
import { planWith } from "../../helpers/planWith";
import { ROOT, SECRET_SENTINELS, deployEnv } from "../../helpers/stacks";

/**
 * On-call as code (modules/oncall): production planned with a PagerDuty token instead of a pasted
 * integration URL, the rotation, the escalation contacts and a time zone of its own.
 */

const TOKEN = "u+sentinel-pagerduty-token-5c8e1f";
const ON_CALL_ENV = {
    OPS_EXTERNAL_API_KEY: SECRET_SENTINELS["OPS_EXTERNAL_API_KEY"]!,
    OPS_PAGER_DUTY_TOKEN: TOKEN,
    OPS_ON_CALL__RESPONDERS: '["ana@example.com","ben@example.com","chloe@example.com"]',
    OPS_ON_CALL__ESCALATE_TO: '["lead@example.com"]',
    OPS_ON_CALL__TIME_ZONE: "Europe/Berlin",
};
const userId = (email: string): string => String(INVOKE_MOCKS["pagerduty:index/getUser:getUser"]!({ inputs: { email }, region: "us-east-1" })["id"]);

describe("production with a PagerDuty token", () => {
    let raw: Plan;
    let q: PlanQuery;
    beforeAll(async () => {
        raw = await planWith({ stack: "production", env: ON_CALL_ENV });
        q = new PlanQuery(raw);
    }, 60000);
    const one = (kind: string) => q.one(`pagerduty:index/${kind}`);

    it("has a weekly schedule of the responders in order, handing over on Monday at 09:00 in its time zone", () => {
        expect(one("schedule:Schedule").inputs).toMatchObject({
            name: "myapp-production on-call",
            timeZone: "Europe/Berlin",
            layers: [
                {
                    name: "Weekly rotation",
                    start: "2026-01-05T09:00:00+01:00",
                    rotationVirtualStart: "2026-01-05T09:00:00+01:00",
                    rotationTurnLengthSeconds: 604800,
                    users: ["ana@example.com", "ben@example.com", "chloe@example.com"].map(userId),
                },
            ],
        });
    });

    it("escalates from the schedule to the escalation contact after 5 minutes, twice round", () => {
        expect(one("escalationPolicy:EscalationPolicy").inputs).toMatchObject({
            name: "myapp-production escalation",
            numLoops: 2,
            rules: [
                { escalationDelayInMinutes: 5, targets: [{ type: "schedule_reference", id: one("schedule:Schedule").id }] },
                { escalationDelayInMinutes: 5, targets: [{ type: "user_reference", id: userId("lead@example.com") }] },
            ],
        });
    });

    it("has the service on that policy, and its Amazon CloudWatch integration", () => {
        const service = one("service:Service");
        expect(service.inputs).toMatchObject({ name: "myapp-production", escalationPolicy: one("escalationPolicy:EscalationPolicy").id, alertCreation: "create_alerts_and_incidents" });
        const vendor = String(INVOKE_MOCKS["pagerduty:index/getVendor:getVendor"]!({ inputs: { name: "Amazon CloudWatch" }, region: "us-east-1" })["id"]);
        expect(one("serviceIntegration:ServiceIntegration").inputs).toEqual({ name: "Amazon CloudWatch", service: service.id, vendor });
        expect(one("serviceIntegration:ServiceIntegration").options).toMatchObject({ additionalSecretOutputs: ["integrationKey"] });
    });

    it("subscribes the critical and high topics to the integration's URL, and only those", () => {
        const integration = one("serviceIntegration:ServiceIntegration");
        const subs = q.ofType("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs["protocol"] === "https");
        // The DR region's topics too (the standby's alarms live there: environments/observability.ts).
        expect(subs.map((s) => s.name)).toEqual([
            "myapp-production-alerts-critical-pagerduty",
            "myapp-production-alerts-high-pagerduty",
            "myapp-production-alerts-us-west-2-critical-pagerduty",
            "myapp-production-alerts-us-west-2-high-pagerduty",
        ]);
        for (const s of subs) {
            expect(s.inputs["endpoint"]).toBe("[secret]");
            expect(s.dependencies).toContain(integration.urn);
        }
    });

    it("runs every PagerDuty resource on a provider of its own, with the token as a secret", () => {
        const provider = q.one("pulumi:providers:pagerduty");
        expect(provider.inputs["token"]).toBe("[secret]");
        for (const r of q.plan.resources.filter((x) => x.type.startsWith("pagerduty:"))) expect(r.provider).toBe(provider.urn);
    });

    it("shows neither the token nor the integration key, anywhere", () => {
        const integration = one("serviceIntegration:ServiceIntegration");
        const key = String(mockAnswer({ type: integration.type, name: integration.name, inputs: integration.inputs, region: "us-east-1" }).outputs["integrationKey"]);
        expect(key).toMatch(/^[0-9a-f]{32}$/);
        const text = JSON.stringify(raw);
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(key);
    });

    it("gives PagerDuty's resources their seven-character ids, marked as the mocks'", () => {
        const ids = q.plan.resources.filter((r) => r.type.startsWith("pagerduty:")).map((r) => r.id!);
        expect(ids).toHaveLength(4);
        for (const id of ids) {
            expect(id).toMatch(/^P[A-Z0-9]{6}$/);
            expect(isMockMade(id)).toBe(true);
        }
        expect(new Set(ids).size).toBe(4);
    });
});

describe("production without a token", () => {
    it("routes to the integration URL pasted in by hand, and creates nothing in PagerDuty", () => {
        const q = PlanQuery.of("production");
        expect(q.plan.resources.filter((r) => r.type.startsWith("pagerduty:") || r.type === "pulumi:providers:pagerduty")).toEqual([]);
        // Critical and high, in the primary region and in the DR region (the standby's alarms).
        expect(q.ofType("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs["protocol"] === "https")).toHaveLength(4);
    });
});

describe("the on-call settings", () => {
    const settings = (env: Record<string, string>) =>
        loadSettings({ project: "ops", stack: "production", config: readStackConfig(ROOT, "production").config, env: { ...deployEnv("production"), ...env } });

    it("default to the runbook's Monday 09:00 handoff and a 5-minute escalation", () => {
        expect(settings({}).onCall).toEqual({ responders: [], escalateTo: [], escalateAfterMinutes: 5, handoff: { day: "monday", time: "09:00" }, timeZone: "UTC" });
    });

    it("refuse a token beside a pasted URL, and a token with nobody on call, with the fix", () => {
        const problems = stackSettingsProblems(settings({ ...SECRET_SENTINELS, OPS_PAGER_DUTY_TOKEN: TOKEN }));
        expect(problems.map((p) => p.key)).toEqual(["ops:pagerDutyIntegrationUrl", "ops:onCall.responders"]);
        expect(problems[0]!.fix).toBe("pulumi config rm pagerDutyIntegrationUrl   (or unset OPS_PAGER_DUTY_INTEGRATION_URL), or remove pagerDutyToken");
        expect(problems[1]!.allowed).toBe("the weekly rotation in order: the e-mail addresses of at least one PagerDuty user");
        expect(JSON.stringify(problems)).not.toContain(TOKEN);
    });

    it.each([
        ["OPS_ON_CALL__TIME_ZONE", "Mars/Olympus", "an IANA time zone such as Europe/London or America/New_York"],
        ["OPS_ON_CALL__HANDOFF__TIME", "9am", "a time of day such as 09:00 (24-hour)"],
        ["OPS_ON_CALL__HANDOFF__DAY", "mon", 'one of "monday"'],
        ["OPS_ON_CALL__ESCALATE_AFTER_MINUTES", "0", "at least 1"],
        ["OPS_ON_CALL__RESPONDERS", '["not-an-email"]', "e-mail address"],
        ["OPS_PAGER_DUTY_TOKEN", "short", "at least 20 character(s)"],
    ])("refuse %s=%s", (name, value, allowed) => {
        let error: unknown;
        try {
            settings({ [name]: value });
        } catch (e) {
            error = e;
        }
        expect(SettingsError.isSettingsError(error)).toBe(true);
        const [problem, ...others] = (error as SettingsError).problems;
        expect(others).toEqual([]);
        expect(problem!.allowed).toContain(allowed);
        if (name === "OPS_PAGER_DUTY_TOKEN") expect(problem!.received).toBe("[secret]");
    });
});
