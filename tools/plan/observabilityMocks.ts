import type * as pulumi from "@pulumi/pulumi";
import { digest } from "./mocks";

type State = Record<string, unknown>;

/**
 * Outputs of the observability layer's resources in the shapes AWS gives them: topic and alarm
 * ARNs with the resource's own region (a per-resource `region` input wins over the provider's, as
 * in @pulumi/aws 7), Route53 health-check ids as UUIDs. Keys returned replace the generic state
 * (and `id`, the id).
 */
export function observabilityResourceOutputs(args: pulumi.runtime.MockResourceArgs, ctx: { region: string; pname: string; account: string }): State {
    const region = typeof args.inputs["region"] === "string" ? args.inputs["region"] : ctx.region;
    const { pname, account } = ctx;
    switch (args.type) {
        case "aws:sns/topic:Topic": {
            const arn = `arn:aws:sns:${region}:${account}:${pname}`;
            return { id: arn, arn, name: pname, region };
        }
        case "aws:sns/topicSubscription:TopicSubscription": {
            const topic = String(args.inputs["topic"] ?? `arn:aws:sns:${region}:${account}:topic`);
            const arn = `${topic}:${uuid(args.type, args.name)}`;
            return { id: arn, arn };
        }
        case "aws:cloudwatch/metricAlarm:MetricAlarm": {
            const arn = `arn:aws:cloudwatch:${region}:${account}:alarm:${pname}`;
            return { id: pname, arn, region };
        }
        case "aws:cloudwatch/dashboard:Dashboard": {
            const dashboardName = String(args.inputs["dashboardName"]);
            return { id: dashboardName, dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${dashboardName}` };
        }
        case "aws:cloudwatch/queryDefinition:QueryDefinition": {
            const queryDefinitionId = uuid(args.type, args.name);
            return { id: queryDefinitionId, queryDefinitionId };
        }
        case "aws:route53/healthCheck:HealthCheck": {
            const id = uuid(args.type, args.name);
            return { id, arn: `arn:aws:route53:::healthcheck/${id}` };
        }
        case "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": {
            const chatConfigurationArn = `arn:aws:chatbot::${account}:chat-configuration/slack-channel/${pname}`;
            return { id: chatConfigurationArn, chatConfigurationArn };
        }
        default:
            return {};
    }
}

function uuid(...parts: string[]): string {
    const h = digest(32, ...parts);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
