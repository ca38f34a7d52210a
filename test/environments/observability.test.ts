import { PlanQuery, PlannedResource } from "../helpers/plan";

const KEY = "aws:kms/key:Key";
const ALIAS = "aws:kms/alias:Alias";
const COMPONENT = "ops:keys:RegionalKey";
/** The standby's alert topics' key, in production's DR region (environments/observability.ts, `dr.standby`). */
const NAME = "myapp-production-alerts-us-west-2";

/** The DR region's alert topics' key and what it is made of, in a plan. */
function alertKey(q: PlanQuery): { component: PlannedResource; key: PlannedResource; alias: PlannedResource } {
    const component = q.one(COMPONENT, NAME);
    const children = q.childrenOf(component);
    return { component, key: children.find((r) => r.type === KEY)!, alias: children.find((r) => r.type === ALIAS)! };
}

describe("the alert topics' key in the DR region (production's standby: its alarms live in us-west-2)", () => {
    const q = PlanQuery.of("production");

    it("comes from modules/keys: one key and its alias in us-west-2, under the RegionalKey component, under the standby's alerting", () => {
        const { component, key, alias } = alertKey(q);
        expect(q.childrenOf(component).map((r) => [r.type, r.name])).toEqual([
            [KEY, NAME],
            [ALIAS, `${NAME}-alias`],
        ]);
        expect(key.inputs).toMatchObject({ region: "us-west-2", enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 });
        expect(alias.inputs).toEqual({ name: "alias/myapp/production/alerts", region: "us-west-2", targetKeyId: key.id });
        expect(q.one("ops:dr:StandbyAlerting").urn).toBe(component.parent);
    });

    it("is protected like every key of production", () => {
        const { key } = alertKey(q);
        expect([key.protect, key.retainOnDelete]).toEqual([true, true]);
        expect(q.resources.filter((r) => r.type === KEY && r.parent === null)).toEqual([]);
    });

    it("lets CloudWatch and EventBridge publish with it on this account's behalf, and administers it through IAM", () => {
        const doc = JSON.parse(String(alertKey(q).key.inputs["policy"])) as { Statement: Array<{ Sid: string; Principal: unknown; Condition?: unknown }> };
        expect(doc.Statement.map((s) => [s.Sid, s.Principal])).toEqual([
            ["AccountAdministersThroughIam", { AWS: "arn:aws:iam::123456789012:root" }],
            ["AlarmsAndEventsPublishToEncryptedTopics", { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }],
        ]);
        expect(doc.Statement[1]!.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    });

    it("encrypts the four us-west-2 topics", () => {
        const topics = q.ofType("aws:sns/topic:Topic").filter((t) => t.inputs["region"] === "us-west-2");
        expect(topics).toHaveLength(4);
        for (const t of topics) expect(String(t.inputs["kmsMasterKeyId"])).toMatch(new RegExp(`:key/${alertKey(q).key.id}$`));
    });
});

describe("staging (in us-east-1, no standby)", () => {
    it("needs no key of its own for alerts: its logs key encrypts the topics there", () => {
        expect(PlanQuery.of("staging").ofType(COMPONENT)).toEqual([]);
    });
});

describe.each(["production-dr", "production-dr-drill"])("%s (the DR rebuild, in us-west-2)", (stack) => {
    it("has no alert topics, key or alarm in us-east-1: the service-down alarm there is left to the standby's failover health checks", () => {
        const q = PlanQuery.of(stack);
        expect(q.ofType(COMPONENT)).toEqual([]);
        expect(q.resources.filter((r) => r.inputs["region"] === "us-east-1").map((r) => `${r.type} ${r.name}`)).toEqual([]);
        expect(q.ofType("aws:route53/healthCheck:HealthCheck")).toEqual([]);
    });
});
