import { runSimulation } from "@cloud-copilot/iam-simulate";
import { keyPolicy } from "../../modules/keys";
import { topicPolicyDocument } from "../../modules/observability/routing";
import { PlanQuery } from "../helpers/plan";
import { PREVIEW_STACK } from "../helpers/stacks";

/**
 * The budget layer (environments/budget.ts, modules/budget): an AWS Budgets budget where the stack
 * sets cost.monthlyBudgetUsd, on the primary provider, alerting the low topic, whose policy and key
 * let AWS Budgets publish (checked by @cloud-copilot/iam-simulate, an independent evaluator).
 */

const ACCOUNT = "123456789012";

describe.each([
    ["staging", "800.00", "staging"],
    ["production", "2500.00", "production"],
])("the budget of %s", (stack, limitAmount, environment) => {
    const q = PlanQuery.of(stack);

    it("is one AWS Budgets budget of the stack's monthly limit, on the environment's tagged costs, alerting the low topic at 80% actual and 100% forecast", () => {
        const budget = q.one("aws:budgets/budget:Budget");
        const low = q.allOf("aws:sns/topic:Topic").find((t) => t.inputs["name"] === `myapp-${stack}-alerts-low`)!;
        expect(budget.inputs).toEqual({
            name: `myapp-${stack}-monthly`,
            budgetType: "COST",
            timeUnit: "MONTHLY",
            limitAmount,
            limitUnit: "USD",
            costFilters: [{ name: "TagKeyValue", values: [`user:environment$${environment}`] }],
            notifications: [
                { comparisonOperator: "GREATER_THAN", notificationType: "ACTUAL", threshold: 80, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: [low.id] },
                { comparisonOperator: "GREATER_THAN", notificationType: "FORECASTED", threshold: 100, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: [low.id] },
            ],
        });
        // The primary region's provider (AWS Budgets is global: the resource has no region of its own).
        expect(q.byUrn(budget.provider!)?.inputs["region"]).toBe("us-east-1");
        expect(q.plan.outputs).toMatchObject({ monthlyBudgetUsd: Number(limitAmount), budgetName: `myapp-${stack}-monthly` });
    });

    it("may publish to the low topic only, and the low topic's key lets it", () => {
        const policies = q.allOf("aws:sns/topicPolicy:TopicPolicy");
        const withBudgets = policies.filter((p) => String(p.inputs["policy"]).includes("budgets.amazonaws.com")).map((p) => p.inputs["arn"]);
        expect(withBudgets).toEqual([`arn:aws:sns:us-east-1:${ACCOUNT}:myapp-${stack}-alerts-low`]);
        const logsKey = q.one("aws:kms/key:Key", `myapp-${stack}-keys-logs`);
        expect(String(logsKey.inputs["policy"])).toContain("BudgetsPublishToEncryptedTopics");
    });
});

describe.each(["production-dr", "dev", PREVIEW_STACK])("%s", (stack) => {
    it("has no budget: the DR rebuild and the stacks without a budget of their own create none", () => {
        const q = PlanQuery.of(stack);
        expect(q.ofType("aws:budgets/budget:Budget")).toEqual([]);
        expect(q.plan.outputs["monthlyBudgetUsd"]).toBeUndefined();
    });
});

describe("AWS Budgets publishing to the encrypted low topic, as IAM evaluates it", () => {
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:myapp-production-alerts-low`;
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-1111-1111-1111-111111111111`;
    const ours = { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": `arn:aws:budgets::${ACCOUNT}:budget/myapp-production-monthly`, "aws:SecureTransport": "true" };
    const theirs = { "aws:SourceAccount": "210987654321", "aws:SourceArn": "arn:aws:budgets::210987654321:budget/theirs", "aws:SecureTransport": "true" };

    async function decide(resourcePolicy: unknown, action: string, resource: string, context: Record<string, string>): Promise<string> {
        const result = await runSimulation(
            {
                identityPolicies: [],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                resourcePolicy: resourcePolicy as Record<string, unknown>,
                request: { action, principal: "budgets.amazonaws.com", resource: { accountId: ACCOUNT, resource }, contextVariables: context },
            },
            {},
        );
        if (result.resultType === "error") throw new Error(`iam-simulate refused the request: ${JSON.stringify(result.errors)}`);
        return result.overallResult;
    }

    it("lets this account's budgets publish, and nobody else's; a topic without the grant refuses them", async () => {
        expect(await decide(topicPolicyDocument(topic, ACCOUNT, true), "sns:Publish", topic, ours)).toBe("Allowed");
        expect(await decide(topicPolicyDocument(topic, ACCOUNT, true), "sns:Publish", topic, theirs)).toBe("ImplicitlyDenied");
        expect(await decide(topicPolicyDocument(topic, ACCOUNT, true), "sns:Publish", topic, { ...ours, "aws:SecureTransport": "false" })).toBe("ExplicitlyDenied");
        expect(await decide(topicPolicyDocument(topic, ACCOUNT, false), "sns:Publish", topic, ours)).toBe("ImplicitlyDenied");
    });

    it("lets this account's budgets use the logs key for the topic's data keys, and nobody else's", async () => {
        const policy = JSON.parse(keyPolicy("logs", { accountId: ACCOUNT, region: "us-east-1" })) as unknown;
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
            expect(await decide(policy, action, key, ours)).toBe("Allowed");
            expect(await decide(policy, action, key, theirs)).toBe("ImplicitlyDenied");
        }
        expect(await decide(policy, "kms:Encrypt", key, ours)).toBe("ImplicitlyDenied");
        // The us-east-1 alert topics' own key (purpose alerts) carries no budget: the budget alerts the primary low topic.
        expect(await decide(JSON.parse(keyPolicy("alerts", { accountId: ACCOUNT, region: "us-east-1" })) as unknown, "kms:GenerateDataKey", key, ours)).toBe("ImplicitlyDenied");
    });
});
