import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, managedPolicy, serviceTrust } from "../aws/iam";
import { Roles } from "../aws/roles";
import { SEVERITIES, Severity } from "./catalog";

/** Where each severity's alerts go (runbook 3.5, ARCHITECTURE "Decisions already taken"). */
export const ROUTES: Record<Severity, ReadonlyArray<"pagerduty" | "slack" | "email">> = {
    critical: ["pagerduty"],
    high: ["pagerduty", "slack"],
    medium: ["slack"],
    low: ["email"],
};

/**
 * AWS Chatbot's control plane answers in us-west-2 only (there is no chatbot.us-east-1 endpoint);
 * the channel configuration is global and subscribes to topics of any region.
 */
export const CHATBOT_REGION = "us-west-2";

/** The policy Chatbot may act under in the channel: read CloudWatch to render the alarm, nothing else. */
export const CHATBOT_GUARDRAIL_POLICY = managedPolicy("CloudWatchReadOnlyAccess");

export interface AlertRoutingArgs {
    /** `<appName>-<stack>`: topics are `<prefix>-alerts-<severity>`. */
    namePrefix: string;
    /** Customer-managed key the topics are encrypted with; its policy must let CloudWatch and EventBridge use it. */
    kmsKeyArn: pulumi.Input<string>;
    /** PagerDuty Amazon CloudWatch integration URL (a secret); without it critical and high reach no pager. */
    pagerDutyUrl?: pulumi.Input<string>;
    /** Slack workspace and channel, authorised with AWS Chatbot. */
    slack?: { workspaceId: string; channelId: string };
    /** Addresses for low alerts (each confirms its subscription by email). */
    emails: string[];
    accountId: pulumi.Input<string>;
    /** Region of the topics when not the provider's (the us-east-1 copy for Route53 health-check alarms). */
    region?: string;
    /**
     * Whether this account's AWS Budgets may publish to the low topic (the stack's budget alerts
     * there; the key must allow it too: modules/keys `budgetsPublishStatement`).
     * @default false
     */
    budgetsPublishToLow?: boolean;
    provider: aws.Provider;
    /** Where AWS Chatbot's role comes from. @default created here */
    roles?: Roles;
}

/**
 * One SNS topic per severity, KMS-encrypted, refusing anything but TLS, subscribed according to
 * `ROUTES`: PagerDuty by an HTTPS subscription to its CloudWatch integration (which confirms
 * itself and resolves incidents on OK), Slack through AWS Chatbot, email for low.
 */
export class AlertRouting extends pulumi.ComponentResource {
    readonly topicArns: Record<Severity, pulumi.Output<string>>;

    constructor(name: string, private readonly args: AlertRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:observability:AlertRouting", name, {}, opts);
        const topics = Object.fromEntries(SEVERITIES.map((s) => [s, this.topic(name, s)])) as Record<Severity, aws.sns.Topic>;
        this.topicArns = Object.fromEntries(SEVERITIES.map((s) => [s, topics[s].arn])) as Record<Severity, pulumi.Output<string>>;
        for (const severity of SEVERITIES) {
            for (const route of ROUTES[severity]) {
                if (route === "pagerduty" && args.pagerDutyUrl !== undefined) this.pagerDuty(name, severity, topics[severity], args.pagerDutyUrl);
                if (route === "email") args.emails.forEach((email, i) => this.email(name, severity, topics[severity], email, i));
            }
        }
        if (args.slack) this.slack(name, args.slack, SEVERITIES.filter((s) => ROUTES[s].includes("slack")).map((s) => topics[s].arn));
        this.registerOutputs({ topicArns: this.topicArns });
    }

    private opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider, ...extra };
    }

    private get region(): { region?: string } {
        return this.args.region ? { region: this.args.region } : {};
    }

    private topic(name: string, severity: Severity): aws.sns.Topic {
        const topic = new aws.sns.Topic(
            `${name}-${severity}`,
            { name: alertTopicName(this.args.namePrefix, severity), kmsMasterKeyId: this.args.kmsKeyArn, ...this.region },
            this.opts(),
        );
        const budgets = severity === "low" && this.args.budgetsPublishToLow === true;
        new aws.sns.TopicPolicy(`${name}-${severity}`, { arn: topic.arn, policy: topicPolicy(topic.arn, this.args.accountId, budgets), ...this.region }, this.opts());
        return topic;
    }

    private pagerDuty(name: string, severity: Severity, topic: aws.sns.Topic, url: pulumi.Input<string>): void {
        new aws.sns.TopicSubscription(
            `${name}-${severity}-pagerduty`,
            // PagerDuty's CloudWatch integration confirms the subscription itself.
            { topic: topic.arn, protocol: "https", endpoint: pulumi.secret(url), endpointAutoConfirms: true, ...this.region },
            this.opts(),
        );
    }

    private email(name: string, severity: Severity, topic: aws.sns.Topic, address: string, i: number): void {
        new aws.sns.TopicSubscription(`${name}-${severity}-email-${i + 1}`, { topic: topic.arn, protocol: "email", endpoint: address, ...this.region }, this.opts());
    }

    private slack(name: string, slack: { workspaceId: string; channelId: string }, topicArns: pulumi.Output<string>[]): void {
        const spec = { purpose: "chatbot", trustPolicy: serviceTrust("chatbot.amazonaws.com"), managedPolicyArns: [CHATBOT_GUARDRAIL_POLICY], inlinePolicies: {} };
        const role = (this.args.roles ?? new Roles()).role(spec, { role: `${name}-chatbot`, attachment: () => `${name}-chatbot` }, this.opts());
        new aws.chatbot.SlackChannelConfiguration(
            `${name}-slack`,
            {
                configurationName: `${this.args.namePrefix}-alerts`,
                iamRoleArn: role.arn,
                slackTeamId: slack.workspaceId,
                slackChannelId: slack.channelId,
                snsTopicArns: topicArns,
                guardrailPolicyArns: [CHATBOT_GUARDRAIL_POLICY],
                loggingLevel: "ERROR",
                region: CHATBOT_REGION,
            },
            this.opts(),
        );
    }
}

/**
 * The topic policy: the account (through IAM) and the services that raise alerts, for this
 * account only, may publish; nobody may use the topic without TLS (`aws:SecureTransport` false is
 * denied for every action, to every principal). With `budgets`, this account's AWS Budgets may
 * publish too, as AWS documents it (Cost Management User Guide, "Creating an Amazon SNS topic for
 * budget notifications": `aws:SourceAccount`, and `aws:SourceArn` like `arn:aws:budgets::<account>:*`).
 */
export function topicPolicyDocument(topicArn: string, accountId: string, budgets = false): { Version: string; Statement: Statement[] } {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountManagesTopic",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:ListSubscriptionsByTopic"],
                Resource: topicArn,
            },
            {
                Sid: "AlarmsAndEventsPublish",
                Effect: "Allow",
                Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                Action: "SNS:Publish",
                Resource: topicArn,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
            ...(budgets
                ? [
                      {
                          Sid: "BudgetsPublish",
                          Effect: "Allow" as const,
                          Principal: { Service: "budgets.amazonaws.com" },
                          Action: "SNS:Publish",
                          Resource: topicArn,
                          Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:aws:budgets::${accountId}:*` } },
                      },
                  ]
                : []),
            {
                Sid: "TlsOnly",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "SNS:*",
                Resource: topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

function topicPolicy(topicArn: pulumi.Input<string>, accountId: pulumi.Input<string>, budgets: boolean): pulumi.Output<string> {
    return pulumi.all([topicArn, accountId]).apply(([arn, account]) => JSON.stringify(topicPolicyDocument(arn, account, budgets)));
}

/** An alert topic's name: `<prefix>-alerts-<severity>`. */
export function alertTopicName(namePrefix: string, severity: Severity): string {
    return `${namePrefix}-alerts-${severity}`;
}
