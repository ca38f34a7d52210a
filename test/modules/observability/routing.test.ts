import type { Plan } from "../../helpers/plan";
import { PlanQuery } from "../../helpers/plan";
import { planWith } from "../../helpers/planWith";
import { SECRET_SENTINELS } from "../../helpers/stacks";

/**
 * Routing with every channel configured: production planned in this process with a Slack
 * channel and two email addresses (the stack files set neither).
 */
describe("alert routing with PagerDuty, Slack and email configured", () => {
    let plan: PlanQuery;
    let raw: Plan;

    beforeAll(async () => {
        raw = await planWith({
            stack: "production",
            config: {
                "ops:alerts": JSON.stringify({ slack: { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" }, emails: ["oncall@example.com", "platform@example.com"] }),
            },
            // Every secret the suite injects (a cloud stack requires them), the PagerDuty URL among them.
            env: { ...SECRET_SENTINELS },
        });
        plan = new PlanQuery(raw);
    }, 60000);

    const topic = (severity: string): string => plan.one("aws:sns/topic:Topic", `myapp-production-alerts-${severity}`).id!;

    it("sends critical to PagerDuty, high to PagerDuty and Slack, medium to Slack, low to email", () => {
        const subs = plan.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs["topic"], s.inputs["protocol"], s.inputs["endpoint"]]);
        expect(subs).toEqual([
            [topic("critical"), "https", "[secret]"],
            [topic("high"), "https", "[secret]"],
            [topic("low"), "email", "oncall@example.com"],
            [topic("low"), "email", "platform@example.com"],
            // The standby's topics in the DR region (its replica-lag alarm), subscribed alike but for Slack.
            [topic("critical").replace(":us-east-1:", ":us-west-2:"), "https", "[secret]"],
            [topic("high").replace(":us-east-1:", ":us-west-2:"), "https", "[secret]"],
            [topic("low").replace(":us-east-1:", ":us-west-2:"), "email", "oncall@example.com"],
            [topic("low").replace(":us-east-1:", ":us-west-2:"), "email", "platform@example.com"],
        ]);
        const slack = plan.one("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration");
        expect(slack.inputs).toMatchObject({ slackTeamId: "T07EA123LEP", slackChannelId: "C07EZ1ABC23", snsTopicArns: [topic("high"), topic("medium")], region: "us-west-2" });
        expect(slack.inputs["guardrailPolicyArns"]).toEqual(["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"]);
    });

    it("never writes the PagerDuty URL into the plan", () => {
        expect(JSON.stringify(raw)).not.toContain("sentinel-pagerduty");
    });
});
