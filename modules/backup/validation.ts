import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrust } from "../aws/iam";
import { KeyRef, RoleSpec, RoleStatement, Roles, arnOf, secretArnByName } from "../aws/roles";
import { LAMBDA_RUNTIME, lambdaCode } from "../secrets/bundle";
import { logStatement, secretsKeyStatement, vpcStatements } from "../secrets/policies";
import { restoreValidationPattern } from "./schedule";

export interface RestoreValidationArgs {
    /** Function, role and rule names: `<prefix>-restore-validation`. */
    namePrefix: string;
    region: string;
    /** The restore testing plan whose completed restore jobs are validated. */
    restoreTestingPlanArn: pulumi.Input<string>;
    /** Its name: the `RestoreTestingPlan` dimension of the result metric. */
    restoreTestingPlanName: pulumi.Input<string>;
    /** CloudWatch namespace of the `RestoreValidationFailed` metric (`<app>/Backup`). */
    metricNamespace: string;
    /**
     * Name of the secret the function logs in with: the app's `<app>/<environment>/DATABASE_URL`
     * (AWSCURRENT, then AWSPREVIOUS: the restored snapshot may predate the last rotation). The
     * master user's secret is readable only by the password rotation and the database bootstrap.
     */
    appSecretName: string;
    /** The key the secret is encrypted with (modules/keys `secrets`), by alias. */
    secretsKey: KeyRef;
    /** The key of the function's log group (modules/keys `logs`). */
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** The database the app uses, when the restored instance names none. */
    databaseName: string;
    /**
     * The schema that must hold tables.
     * @default "public"
     */
    expectedSchema?: string;
    /**
     * A table that must hold at least this many rows.
     * @default - no row count check
     */
    minRows?: { table: string; rows: number };
    /**
     * Subnets that reach the restored instance and the AWS APIs (the private tier: Backup and RDS
     * have no VPC endpoint here, so through NAT), and a security group the database's group admits
     * on 5432 (the restored instance gets the database's group from the restore metadata).
     */
    vpc: { subnetIds: pulumi.Input<string>[]; securityGroupIds: pulumi.Input<string>[] };
    provider: aws.Provider;
    /** Where the function's role comes from. @default created here */
    roles?: Roles;
}

/**
 * The automated validation of the weekly restore test (runbook 4.1): a Lambda of
 * lambdas/restore-validation run by an EventBridge rule on this plan's completed restore jobs,
 * which checks the restored database, records SUCCESSFUL or FAILED on the restore job, and
 * publishes the result as the metric `<metricNamespace> RestoreValidationFailed`.
 */
export class RestoreValidation extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly rule: aws.cloudwatch.EventRule;
    readonly functionName: string;

    constructor(name: string, args: RestoreValidationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:backup:RestoreValidation", name, {}, opts);
        const o = (extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({ parent: this, provider: args.provider, ...extra });
        this.functionName = `${args.namePrefix}-restore-validation`;

        // The log group first, with the environment's retention and key: Lambda would otherwise
        // create one that never expires and is not encrypted with ours.
        const logGroupName = `/aws/lambda/${this.functionName}`;
        const logGroup = new aws.cloudwatch.LogGroup(name, { name: logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn }, o());
        const role = (args.roles ?? new Roles()).role(restoreValidationRoleSpec({ ...args, logGroupName }), { role: name, policy: () => name }, o());

        this.function = new aws.lambda.Function(
            name,
            {
                name: this.functionName,
                description: "Validates the weekly restore test's database and records the result on the restore job (runbook 4.1).",
                runtime: LAMBDA_RUNTIME,
                architectures: ["arm64"],
                handler: "index.handler",
                code: lambdaCode("restore-validation"),
                role: role.arn,
                timeout: 120,
                memorySize: 256,
                // Plain lines: the embedded-metric-format records must reach CloudWatch as they are written.
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                environment: {
                    variables: {
                        RESTORE_TESTING_PLAN_ARN: args.restoreTestingPlanArn,
                        RESTORE_TESTING_PLAN_NAME: args.restoreTestingPlanName,
                        METRIC_NAMESPACE: args.metricNamespace,
                        APP_SECRET_ID: args.appSecretName,
                        DATABASE_NAME: args.databaseName,
                        EXPECTED_SCHEMA: args.expectedSchema ?? "public",
                        ...(args.minRows ? { MIN_ROWS_TABLE: args.minRows.table, MIN_ROWS: String(args.minRows.rows) } : {}),
                        NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
                    },
                },
                vpcConfig: { subnetIds: args.vpc.subnetIds, securityGroupIds: args.vpc.securityGroupIds },
            },
            // The role's policy first: a function created before it fails its first invocation.
            o({ dependsOn: [...role.ready, logGroup] }),
        );

        this.rule = new aws.cloudwatch.EventRule(
            name,
            {
                name: this.functionName,
                description: `${args.namePrefix}: completed restore jobs of the weekly restore test, to validate`,
                eventPattern: pulumi.output(args.restoreTestingPlanArn).apply((arn) => JSON.stringify(restoreValidationPattern(arn))),
            },
            o(),
        );
        const permission = new aws.lambda.Permission(
            name,
            { action: "lambda:InvokeFunction", function: this.function.name, principal: "events.amazonaws.com", sourceArn: this.rule.arn },
            o(),
        );
        new aws.cloudwatch.EventTarget(name, { rule: this.rule.name, arn: this.function.arn }, o({ dependsOn: [permission] }));
        this.registerOutputs({ functionName: this.functionName });
    }
}

/**
 * The function's policy, least privilege: the restore job's two Backup calls (no resource-level
 * permissions exist for them), describing this account's DB instances in this region (the
 * restored instance's name is AWS Backup's choice), reading the one secret it logs in with
 * (the app's DATABASE_URL, never the master user's) and decrypting it only through Secrets
 * Manager, its own log group, and its network interfaces.
 */
export function restoreValidationPolicy(args: { region: string; appSecretName: string; secretsKey: KeyRef; logGroupName: string }): RoleStatement[] {
    return [
        { Sid: "RestoreJobValidation", Effect: "Allow", Action: ["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"], Resource: "*" },
        { Sid: "DescribeRestoredInstance", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: arnOf("rds", args.region, "db:*") },
        {
            Sid: "ReadAppLogin",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            // Secrets Manager appends `-` and six characters to a secret's ARN.
            Resource: secretArnByName(args.region, args.appSecretName),
        },
        secretsKeyStatement(args.secretsKey, args.region, false),
        logStatement(args.region, args.logGroupName),
        ...vpcStatements(args.region),
    ];
}

/** The validation function's role. */
export function restoreValidationRoleSpec(args: { region: string; appSecretName: string; secretsKey: KeyRef; logGroupName: string }): RoleSpec {
    return { purpose: "restore-validation", trustPolicy: serviceTrust("lambda.amazonaws.com"), managedPolicyArns: [], inlinePolicies: { "restore-validation": restoreValidationPolicy(args) } };
}
