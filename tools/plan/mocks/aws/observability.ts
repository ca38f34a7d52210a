import type { MockFn } from "../kit";

/**
 * Logs, alarms, dashboards, events, schedules, topics and chat: log groups `…:log-group:<name>`
 * (the provider's `arn` has no `:*`), alarms `…:alarm:<name>`, dashboards global, EventBridge
 * rules `…:rule/<name>` on the default bus (`rule/<bus>/<name>` otherwise), schedules
 * `…:schedule/<group>/<name>` with id `<group>/<name>`, topics `…:<name>` (the id is the ARN),
 * subscriptions `<topic ARN>:<UUID>`.
 */

const DEFAULT_BUS = "default";

export const OBSERVABILITY: Record<string, MockFn> = {
    "aws:cloudwatch/logGroup:LogGroup": (r) => {
        const name = r.autoname("name", 512);
        return { id: name, outputs: { name, arn: r.arn("logs", `log-group:${name}`) } };
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => {
        const name = r.autoname("name", 255);
        return { id: name, outputs: { name, arn: r.arn("cloudwatch", `alarm:${name}`) } };
    },
    "aws:cloudwatch/dashboard:Dashboard": (r) => {
        const name = r.need("dashboardName");
        return { id: name, outputs: { dashboardArn: r.globalArn("cloudwatch", `dashboard/${name}`) } };
    },
    // The import id is the policy's name (@pulumi/aws cloudwatch/logResourcePolicy); it has no ARN.
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": (r) => ({ id: r.need("policyName") }),
    "aws:cloudwatch/queryDefinition:QueryDefinition": (r) => {
        const queryDefinitionId = r.uuid();
        return { id: queryDefinitionId, outputs: { queryDefinitionId, arn: r.arn("logs", `query-definition:${queryDefinitionId}`) } };
    },
    "aws:cloudwatch/eventRule:EventRule": (r) => {
        const name = r.autoname("name", 64);
        const bus = r.str("eventBusName") ?? DEFAULT_BUS;
        const path = bus === DEFAULT_BUS ? name : `${bus}/${name}`;
        return { id: path, outputs: { name, arn: r.arn("events", `rule/${path}`) } };
    },
    // terraform-provider-aws events/target.go: `<rule>-<target id>`, `<bus>/` first on a custom bus;
    // a target without an id gets the SDK's unique id (`terraform-<26 characters>`).
    "aws:cloudwatch/eventTarget:EventTarget": (r) => {
        const targetId = r.str("targetId") ?? `terraform-${r.hex(26)}`;
        const bus = r.str("eventBusName") ?? DEFAULT_BUS;
        const id = `${r.need("rule")}-${targetId}`;
        return { id: bus === DEFAULT_BUS ? id : `${bus}/${id}`, outputs: { targetId } };
    },
    "aws:scheduler/schedule:Schedule": (r) => {
        const name = r.autoname("name", 64);
        const group = r.str("groupName") ?? DEFAULT_BUS;
        return { id: `${group}/${name}`, outputs: { name, groupName: group, arn: r.arn("scheduler", `schedule/${group}/${name}`) } };
    },
    "aws:sns/topic:Topic": (r) => {
        const fifo = r.inputs["fifoTopic"] === true;
        const autonamed = r.autoname("name", fifo ? 251 : 256);
        const name = fifo && !autonamed.endsWith(".fifo") ? `${autonamed}.fifo` : autonamed;
        const arn = r.arn("sns", name);
        return { id: arn, outputs: { name, arn, owner: r.account } };
    },
    "aws:sns/topicPolicy:TopicPolicy": (r) => ({ id: r.need("arn"), outputs: { owner: r.account } }),
    "aws:sns/topicSubscription:TopicSubscription": (r) => {
        const arn = `${r.need("topic")}:${r.uuid()}`;
        return { id: arn, outputs: { arn, ownerId: r.account } };
    },
    "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": (r) => {
        const chatConfigurationArn = r.globalArn("chatbot", `chat-configuration/slack-channel/${r.need("configurationName")}`);
        return { id: chatConfigurationArn, outputs: { chatConfigurationArn } };
    },
};
