import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicy, serviceTrust } from "../aws/iam";
import { KeyRef, RoleSpec, Roles, StackRole, arnOf } from "../aws/roles";
import { BACKUP_TAG_KEY, failedJobsPattern, restoreTestingName } from "./schedule";

export type VaultLockMode = "compliance" | "governance" | "none";

export interface RestoreTestingArgs {
    /** Weekly cron, UTC. */
    schedule: string;
    /** Hours the restored database is kept for validation. */
    validationWindowHours: number;
    /** The database under test. */
    databaseArn: pulumi.Input<string>;
    /** Where the test instance is restored: the database's subnet group and security group. */
    dbSubnetGroupName: pulumi.Input<string>;
    securityGroupIds: pulumi.Input<string>[];
}

export interface BackupArgs {
    /** Vault and plan names: `<app>-<environment>`; the DR vault adds `-dr`. Changing it replaces the vaults (a vault holding recovery points cannot be deleted). */
    namePrefix: string;
    /** Daily schedule, AWS cron, UTC. */
    schedule: string;
    /** Days each recovery point is kept, in both vaults. */
    retentionDays: number;
    startWindowMinutes: number;
    completionWindowMinutes: number;
    /** Copy each recovery point to the DR-region vault. */
    copyToDr: boolean;
    /** Vault Lock of both vaults. */
    vaultLock: VaultLockMode;
    /** Grace period of a compliance lock, days. */
    vaultLockChangeableForDays: number;
    /** Data key of the primary region (vault, and the backed-up resources' key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Data key of the DR region (the DR vault); with `drProvider`, or neither (no DR vault: a DR rebuild). */
    drKmsKeyArn?: pulumi.Input<string>;
    /** The data keys by alias and region (the DR one only where there is a DR vault): the backup role's grant names them so. */
    keyRefs: { primary: KeyRef; dr?: KeyRef };
    /** Where the backup role comes from. @default created here */
    roles?: Roles;
    /** Weekly restore test of the database, or none. */
    restoreTesting?: RestoreTestingArgs;
    /** SNS topic that failed jobs are sent to (the observability layer's); without it, only the rule exists. */
    alertTopicArn?: pulumi.Input<string>;
    /** `protect` and retain-on-delete on the vaults. */
    deletionProtection: boolean;
    primaryProvider: aws.Provider;
    /** The DR region's provider: the DR vault. Without it, no DR vault and `copyToDr` must be false. */
    drProvider?: aws.Provider;
}

/**
 * AWS Backup (runbook 3.9): a vault per region on a customer-managed key (locked where
 * configured), a daily plan whose recovery points are kept `retentionDays` and copied to the DR
 * vault, a selection by tag (`backup-plan=<prefix>-daily`), failed jobs sent to an alert topic,
 * and a weekly restore test of the database (runbook 4.1).
 */
export class Backup extends pulumi.ComponentResource {
    readonly vault: aws.backup.Vault;
    readonly drVault?: aws.backup.Vault;
    readonly plan: aws.backup.Plan;
    /** The tag that puts a resource in the daily plan: `{ "backup-plan": "<prefix>-daily" }`. */
    readonly selectionTag: Record<string, string>;
    readonly vaultName: pulumi.Output<string>;
    readonly drVaultName?: pulumi.Output<string>;
    readonly failedJobsRule: aws.cloudwatch.EventRule;
    readonly restoreTestingPlanName?: pulumi.Output<string>;
    /** The restore testing plan's ARN: its restore jobs' events carry it (`restoreTestingPlanArn`). */
    readonly restoreTestingPlanArn?: pulumi.Output<string>;

    constructor(name: string, private readonly args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:backup:Backup", name, {}, opts);
        const planName = `${args.namePrefix}-daily`;
        this.selectionTag = { [BACKUP_TAG_KEY]: planName };

        this.vault = this.createVault(`${name}-vault`, args.namePrefix, args.kmsKeyArn, args.primaryProvider);
        if (args.drProvider !== undefined && args.drKmsKeyArn !== undefined) {
            this.drVault = this.createVault(`${name}-dr-vault`, `${args.namePrefix}-dr`, args.drKmsKeyArn, args.drProvider);
        } else if (args.copyToDr) {
            throw new Error(`Backup ${name}: copyToDr needs the DR region's provider and data key (drProvider, drKmsKeyArn).`);
        }
        const drVault = this.drVault;
        this.vaultName = this.vault.name;
        this.drVaultName = drVault?.name;
        const role = this.createRole(name);

        this.plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name: planName,
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: this.vault.name,
                        schedule: args.schedule,
                        startWindow: args.startWindowMinutes,
                        completionWindow: args.completionWindowMinutes,
                        lifecycle: { deleteAfter: args.retentionDays },
                        recoveryPointTags: { [BACKUP_TAG_KEY]: planName },
                        copyActions: args.copyToDr && drVault ? [{ destinationVaultArn: drVault.arn, lifecycle: { deleteAfter: args.retentionDays } }] : [],
                    },
                ],
            },
            this.opts(args.primaryProvider),
        );
        new aws.backup.Selection(
            `${name}-selection`,
            {
                name: `${args.namePrefix}-tagged`,
                planId: this.plan.id,
                iamRoleArn: role.arn,
                selectionTags: [{ type: "STRINGEQUALS", key: BACKUP_TAG_KEY, value: planName }],
            },
            this.opts(args.primaryProvider),
        );

        this.failedJobsRule = this.notifyFailures(name);
        if (args.restoreTesting) {
            const restoreTestingPlan = this.createRestoreTest(name, role, args.restoreTesting);
            this.restoreTestingPlanName = restoreTestingPlan.name;
            this.restoreTestingPlanArn = restoreTestingPlan.arn;
        }
        this.registerOutputs({ vaultName: this.vaultName, drVaultName: this.drVaultName, planId: this.plan.id });
    }

    private opts(provider: aws.Provider, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider, ...extra };
    }

    private createVault(resourceName: string, vaultName: string, kmsKeyArn: pulumi.Input<string>, provider: aws.Provider): aws.backup.Vault {
        const protect = this.args.deletionProtection;
        const vault = new aws.backup.Vault(
            resourceName,
            { name: vaultName, kmsKeyArn, forceDestroy: false },
            this.opts(provider, { protect, retainOnDelete: protect }),
        );
        if (this.args.vaultLock !== "none") {
            new aws.backup.VaultLockConfiguration(
                `${resourceName}-lock`,
                {
                    backupVaultName: vault.name,
                    // No recovery point may be set to expire before the runbook's retention.
                    minRetentionDays: this.args.retentionDays,
                    // Compliance mode: removable only during this grace period, then immutable.
                    changeableForDays: this.args.vaultLock === "compliance" ? this.args.vaultLockChangeableForDays : undefined,
                },
                this.opts(provider, { protect, retainOnDelete: protect }),
            );
        }
        return vault;
    }

    private createRole(name: string): StackRole {
        const opts = this.opts(this.args.primaryProvider);
        return (this.args.roles ?? new Roles()).role(
            backupRoleSpec(this.args.keyRefs),
            {
                role: `${name}-role`,
                attachment: (arn) => `${name}-role-${arn.split("/").pop()!.replace("AWSBackupServiceRolePolicyFor", "").toLowerCase()}`,
                policy: () => `${name}-role-keys`,
            },
            opts,
        );
    }

    private notifyFailures(name: string): aws.cloudwatch.EventRule {
        const opts = this.opts(this.args.primaryProvider);
        const rule = new aws.cloudwatch.EventRule(
            `${name}-failed-jobs`,
            { description: `${this.args.namePrefix}: failed backup, copy and restore (test) jobs`, eventPattern: JSON.stringify(failedJobsPattern()) },
            opts,
        );
        if (this.args.alertTopicArn !== undefined) {
            new aws.cloudwatch.EventTarget(`${name}-failed-jobs`, { rule: rule.name, arn: this.args.alertTopicArn }, opts);
        }
        return rule;
    }

    private createRestoreTest(name: string, role: StackRole, t: RestoreTestingArgs): aws.backup.RestoreTestingPlan {
        const opts = this.opts(this.args.primaryProvider);
        const plan = new aws.backup.RestoreTestingPlan(
            `${name}-restore-test`,
            {
                name: restoreTestingName(this.args.namePrefix, "weekly"),
                scheduleExpression: t.schedule,
                scheduleExpressionTimezone: "Etc/UTC",
                startWindowHours: 4,
                recoveryPointSelection: {
                    // The newest recovery point of the week, from the primary vault.
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: [this.vault.arn],
                    recoveryPointTypes: ["SNAPSHOT"],
                    selectionWindowDays: 7,
                },
            },
            opts,
        );
        new aws.backup.RestoreTestingSelection(
            `${name}-restore-test-database`,
            {
                name: restoreTestingName(this.args.namePrefix, "database"),
                restoreTestingPlanName: plan.name,
                protectedResourceType: "RDS",
                protectedResourceArns: [t.databaseArn],
                iamRoleArn: role.arn,
                validationWindowHours: t.validationWindowHours,
                // Restore into the database's own isolated subnets and security group: the
                // account's default VPC may not exist, and must not be where the data lands.
                restoreMetadataOverrides: {
                    dbsubnetgroupname: t.dbSubnetGroupName,
                    vpcsecuritygroupids: pulumi.output(t.securityGroupIds).apply((ids) => JSON.stringify(ids)),
                },
            },
            opts,
        );
        return plan;
    }
}

/**
 * AWS Backup's role: the managed policies for backups and restores (RDS and S3), and the data keys
 * of both regions. The backed-up data and both vaults are under customer-managed keys: AWS Backup
 * works with them through grants, which the role must be allowed to create.
 */
export function backupRoleSpec(keys: { primary: KeyRef; dr?: KeyRef }): RoleSpec {
    const all = [keys.primary, ...(keys.dr ? [keys.dr] : [])];
    const regions = [...new Set(all.map((k) => k.region))];
    return {
        purpose: "backup",
        trustPolicy: serviceTrust("backup.amazonaws.com"),
        managedPolicyArns: [
            "service-role/AWSBackupServiceRolePolicyForBackup",
            "service-role/AWSBackupServiceRolePolicyForRestores",
            "AWSBackupServiceRolePolicyForS3Backup",
            "AWSBackupServiceRolePolicyForS3Restore",
        ].map(managedPolicy),
        inlinePolicies: {
            keys: [
                {
                    Sid: "UseDataKeys",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"],
                    Resource: regions.map((r) => arnOf("kms", r, "key/*")),
                    Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": all.map((k) => k.alias) } },
                },
            ],
        },
    };
}
