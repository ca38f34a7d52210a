import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../aws/iam";

/** AWS WAF delivers logs only to destinations whose name starts with this (PutLoggingConfiguration). */
export const WAF_LOG_PREFIX = "aws-waf-logs-";

/** The log group of a web ACL's logs: `aws-waf-logs-<name>`. */
export function wafLogGroupName(name: string): string {
    return `${WAF_LOG_PREFIX}${name}`;
}

/**
 * Request headers never written to the WAF log: they carry the users' credentials (a bearer
 * token, a session cookie), and a log is no place for a secret.
 */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

export interface WafLoggingArgs {
    /** The web ACL whose inspected requests are logged. */
    webAclArn: pulumi.Input<string>;
    /** Days the log is kept (the stack's log retention). */
    retentionDays: number;
    /** The `logs` customer-managed key (modules/keys): encrypts the log group. */
    logsKeyArn: pulumi.Input<string>;
    region: string;
    accountId: pulumi.Input<string>;
    opts: pulumi.CustomResourceOptions;
}

/**
 * Full logging of a web ACL (Security Hub WAF.11) to a CloudWatch Logs group named
 * `aws-waf-logs-<name>`, encrypted with the logs key, kept the stack's retention, with the
 * credential headers redacted.
 *
 * WAF writes through the log delivery service, which needs a resource policy on the group. Left to
 * itself WAF adds this group to one account-wide policy, `AWSWAF-LOGS`, which outgrows the policy
 * size limit in an account with many web ACLs and then fails the logging configuration (the
 * provider's WebAclLoggingConfiguration docs); the program writes a policy of its own, for this
 * group only, and only for deliveries on behalf of this account (the confused-deputy conditions
 * AWS documents for vended logs).
 */
export function wafLogging(name: string, args: WafLoggingArgs): aws.wafv2.WebAclLoggingConfiguration {
    const group = new aws.cloudwatch.LogGroup(`${name}-waf-logs`, { name: wafLogGroupName(name), retentionInDays: args.retentionDays, kmsKeyId: args.logsKeyArn }, args.opts);
    const policy = new aws.cloudwatch.LogResourcePolicy(
        `${name}-waf-logs`,
        {
            policyName: `${wafLogGroupName(name)}-delivery`,
            policyDocument: policyJson([
                {
                    Sid: "WafLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: "delivery.logs.amazonaws.com" },
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: pulumi.interpolate`${group.arn}:log-stream:*`,
                    Condition: {
                        ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:logs:${args.region}:${args.accountId}:*` },
                        StringEquals: { "aws:SourceAccount": args.accountId },
                    },
                },
            ]),
        },
        args.opts,
    );
    return new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-waf`,
        {
            resourceArn: args.webAclArn,
            // The group's ARN without `:*`, as WAF takes a log group destination.
            logDestinationConfigs: [group.arn],
            redactedFields: REDACTED_HEADERS.map((h) => ({ singleHeader: { name: h } })),
        },
        { ...args.opts, dependsOn: [policy] },
    );
}
