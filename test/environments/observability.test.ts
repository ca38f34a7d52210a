import { PlanQuery, PlannedResource } from "../helpers/plan";

const KEY = "aws:kms/key:Key";
const ALIAS = "aws:kms/alias:Alias";
const COMPONENT = "ops:keys:RegionalKey";
const NAME = "myapp-production-dr-alerts-us-east-1";

/** The alert topics' key in us-east-1 and what it is made of, in a plan. */
function alertKey(q: PlanQuery): { component: PlannedResource; key: PlannedResource; alias: PlannedResource } {
    const component = q.one(COMPONENT, NAME);
    const children = q.childrenOf(component);
    return { component, key: children.find((r) => r.type === KEY)!, alias: children.find((r) => r.type === ALIAS)! };
}

describe("the alert topics' key in us-east-1 (a stack outside us-east-1: production-dr)", () => {
    const q = PlanQuery.of("production-dr");

    it("comes from modules/keys: one key and its alias in us-east-1, under the RegionalKey component", () => {
        const { component, key, alias } = alertKey(q);
        expect(q.childrenOf(component).map((r) => [r.type, r.name])).toEqual([
            [KEY, NAME],
            [ALIAS, `${NAME}-alias`],
        ]);
        expect(key.inputs).toMatchObject({ region: "us-east-1", enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 });
        expect(alias.inputs).toEqual({ name: "alias/myapp/production-dr/alerts", region: "us-east-1", targetKeyId: key.id });
    });

    it("keeps the key it was before it moved into the component (an alias, not a replacement), protected like every key of production", () => {
        const { key } = alertKey(q);
        expect(key.options).toEqual({ aliases: ["urn:pulumi:production-dr::ops::aws:kms/key:Key::myapp-production-dr-alerts-us-east-1"] });
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

    it("encrypts the four us-east-1 topics", () => {
        const topics = q.ofType("aws:sns/topic:Topic").filter((t) => t.inputs["region"] === "us-east-1");
        expect(topics).toHaveLength(4);
        for (const t of topics) expect(String(t.inputs["kmsMasterKeyId"])).toMatch(new RegExp(`:key/${alertKey(q).key.id}$`));
    });
});

describe.each(["production", "staging"])("%s (in us-east-1)", (stack) => {
    it("needs no key of its own for alerts: its logs key encrypts the topics there", () => {
        expect(PlanQuery.of(stack).ofType(COMPONENT)).toEqual([]);
    });
});
