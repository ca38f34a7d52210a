import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { managedPolicy, serviceTrust } from "../aws/iam";
import { RoleSpec, Roles, StackRole } from "../aws/roles";
import { EXPORTED_LOGS, dbParameters, parameterFamily, rdsEngineVersion } from "./parameters";
import { RESTORE_ONLY_INPUTS, RestoreSource, restoreInputs } from "./restore";

/**
 * RDS inputs whose change destroys the instance and creates a new one (the provider marks them
 * ForceNew). A new instance starts empty unless `restore` points it at a backup, so each of
 * these is a data-loss change; docs/data.md repeats this list (a test keeps them in step).
 */
export const REPLACING_INPUTS: Record<string, string> = {
    identifier: "the instance's name: derived from the app name and environment",
    engine: "always postgres",
    username: "database.username",
    dbName: "database.name",
    kmsKeyId: "the data key of modules/keys: replacing or changing that key replaces the database",
    storageEncrypted: "always true",
    snapshotIdentifier: "restore.snapshotIdentifier: ignored after creation",
    restoreToPointInTime: "restore.sourceAutomatedBackupsArn, restore.restoreTime: ignored after creation",
};

export interface PostgresDatabaseArgs {
    /** Instance identifier, `<app>-<environment>`. Changing it replaces the database. */
    identifier: string;
    /** PostgreSQL version, `16.4`: its major version picks the parameter group family. */
    engineVersion: string;
    /** Instance class; changed in place in the maintenance window. Cost: the main line of the bill. */
    instanceClass: string;
    /** Initial gp3 storage, GiB. */
    allocatedStorageGiB: number;
    /** Storage autoscaling ceiling, GiB. */
    maxAllocatedStorageGiB: number;
    /** A synchronous standby in another zone. Cost: doubles the instance. */
    multiAz: boolean;
    /** Database created in the instance. Changing it replaces the database. */
    dbName: string;
    /** Master user. Changing it replaces the database. */
    username: string;
    /** Automated backups (point-in-time recovery) kept, days. */
    backupRetentionDays: number;
    /** `hh24:mi-hh24:mi`, UTC. */
    backupWindow: string;
    /** `ddd:hh24:mi-ddd:hh24:mi`, UTC; the schema checks it clears the backup window. */
    maintenanceWindow: string;
    /** Statements slower than this are logged, ms. */
    slowStatementMs: number;
    performanceInsightsRetentionDays: number;
    monitoringIntervalSeconds: number;
    /** Isolated subnets: no route to the internet. */
    subnetIds: pulumi.Input<string>[];
    /** The `database` tier's group (ingress from the app tier on 5432 only). */
    securityGroupIds: pulumi.Input<string>[];
    /** Key for storage, snapshots and Performance Insights. Changing it replaces the database. */
    kmsKeyArn: pulumi.Input<string>;
    /** Key for the exported log groups. */
    logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the exported logs, days. */
    logRetentionDays: number;
    /**
     * One intent for the linked safety knobs: RDS deletion protection, a final snapshot, automated
     * backups kept after deletion, Pulumi `protect` and retain-on-delete.
     */
    deletionProtection: boolean;
    /** Where a new instance starts from; read at creation only. */
    restore: RestoreSource;
    /** Tags added to the instance (and copied to its snapshots), e.g. the backup selection tag. */
    tags?: Record<string, string>;
    /**
     * Replicate the automated backups (snapshots and transaction logs) to the DR region, so a
     * DR rebuild restores to within minutes of the outage. The key must be in the DR region.
     */
    replicateBackups?: { retentionDays: number; kmsKeyArn: pulumi.Input<string>; provider: aws.Provider };
    provider: aws.Provider;
    /** Where the Enhanced Monitoring role comes from. @default created here */
    roles?: Roles;
}

const PORT = 5432;

/**
 * PostgreSQL on RDS: encrypted gp3 storage with autoscaling, isolated subnets, IAM
 * authentication, TLS forced, slow statements logged and exported, Performance Insights and
 * Enhanced Monitoring, automatic minor upgrades in the maintenance window.
 */
/** How long `pulumi up` waits for a restored instance to be available (the RTO estimate reads it as the deadline). */
export const RESTORE_CREATE_TIMEOUT = "90m";

export class PostgresDatabase extends pulumi.ComponentResource {
    readonly instance: aws.rds.Instance;
    /** The instance identifier (alarms' `DBInstanceIdentifier` dimension). */
    readonly identifier: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly arn: pulumi.Output<string>;
    readonly subnetGroupName: pulumi.Output<string>;
    /** ARN of the automated backups replicated to the DR region (`restore.sourceAutomatedBackupsArn` of a DR rebuild). */
    readonly drAutomatedBackupsArn?: pulumi.Output<string>;
    /** The Enhanced Monitoring role (IAM is global: a cross-region replica of this instance uses it too). */
    readonly monitoringRoleArn: pulumi.Output<string>;
    /** Master password, secret. */
    readonly password: pulumi.Output<string>;
    /** `postgresql://user:password@host:5432/db?sslmode=require`, secret. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, private readonly args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:database:PostgresDatabase", name, {}, opts);
        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { description: `${args.identifier}: isolated subnets`, subnetIds: args.subnetIds },
            this.opts(),
        );
        const parameterGroup = this.createParameterGroup(name);
        const logGroups = this.createLogGroups(name);
        const monitoringRole = this.createMonitoringRole(name);
        const password = new random.RandomPassword(
            `${name}-password`,
            // Letters and digits only: nothing to escape in a URL, nothing RDS refuses (/ @ " space).
            { length: 40, special: false },
            { parent: this },
        );

        this.instance = new aws.rds.Instance(
            name,
            {
                identifier: args.identifier,
                engine: "postgres",
                engineVersion: rdsEngineVersion(args.engineVersion, true),
                autoMinorVersionUpgrade: true,
                allowMajorVersionUpgrade: false,
                instanceClass: args.instanceClass,
                storageType: "gp3",
                allocatedStorage: args.allocatedStorageGiB,
                maxAllocatedStorage: args.maxAllocatedStorageGiB,
                storageEncrypted: true,
                kmsKeyId: args.kmsKeyArn,
                multiAz: args.multiAz,
                dbName: args.dbName,
                username: args.username,
                password: password.result,
                port: PORT,
                iamDatabaseAuthenticationEnabled: true,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: args.securityGroupIds,
                publiclyAccessible: false,
                parameterGroupName: parameterGroup.name,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: args.backupWindow,
                maintenanceWindow: args.maintenanceWindow,
                copyTagsToSnapshot: true,
                enabledCloudwatchLogsExports: [...EXPORTED_LOGS],
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.kmsKeyArn,
                performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays,
                monitoringInterval: args.monitoringIntervalSeconds,
                monitoringRoleArn: monitoringRole.arn,
                deletionProtection: args.deletionProtection,
                skipFinalSnapshot: !args.deletionProtection,
                finalSnapshotIdentifier: args.deletionProtection ? `${args.identifier}-final` : undefined,
                deleteAutomatedBackups: !args.deletionProtection,
                applyImmediately: false,
                tags: { Name: args.identifier, ...args.tags },
                ...restoreInputs(args.restore),
            },
            this.opts({
                protect: args.deletionProtection,
                retainOnDelete: args.deletionProtection,
                // A restore source is read once, at creation; a later edit must never replace the database.
                ignoreChanges: [...RESTORE_ONLY_INPUTS],
                // The log groups exist first, so RDS does not create them without retention or key.
                dependsOn: logGroups,
                // A restore replays up to a day of transaction logs: 40 minutes (the provider's
                // default) is short of it for a large database; a new empty instance keeps the default.
                ...(args.restore.mode !== "none" ? { customTimeouts: { create: RESTORE_CREATE_TIMEOUT } } : {}),
            }),
        );

        if (args.replicateBackups) {
            const replication = new aws.rds.InstanceAutomatedBackupsReplication(
                `${name}-dr-backups`,
                { sourceDbInstanceArn: this.instance.arn, retentionPeriod: args.replicateBackups.retentionDays, kmsKeyId: args.replicateBackups.kmsKeyArn },
                { parent: this, provider: args.replicateBackups.provider, protect: args.deletionProtection, retainOnDelete: args.deletionProtection },
            );
            // Its id is the ARN of the replicated automated backups in the DR region.
            this.drAutomatedBackupsArn = replication.id;
        }

        this.monitoringRoleArn = monitoringRole.arn;
        this.identifier = this.instance.identifier;
        this.subnetGroupName = subnetGroup.name;
        this.address = this.instance.address;
        this.port = this.instance.port;
        this.arn = this.instance.arn;
        this.password = pulumi.secret(password.result);
        this.url = pulumi.secret(
            pulumi.interpolate`postgresql://${args.username}:${password.result}@${this.instance.address}:${this.instance.port}/${args.dbName}?sslmode=require`,
        );
        this.registerOutputs({ identifier: this.identifier, address: this.address, port: this.port });
    }

    private opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider, ...extra };
    }

    private createParameterGroup(name: string): aws.rds.ParameterGroup {
        const family = parameterFamily(this.args.engineVersion);
        // The family is in the resource name: a major upgrade creates the new group before the
        // instance moves to it, and the old one goes after.
        return new aws.rds.ParameterGroup(
            `${name}-${family}`,
            { family, description: `${this.args.identifier}: TLS only, slow statements logged`, parameters: dbParameters(this.args.slowStatementMs) },
            this.opts(),
        );
    }

    private createLogGroups(name: string): aws.cloudwatch.LogGroup[] {
        return EXPORTED_LOGS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${log}-logs`,
                    { name: `/aws/rds/instance/${this.args.identifier}/${log}`, retentionInDays: this.args.logRetentionDays, kmsKeyId: this.args.logsKmsKeyArn },
                    this.opts(),
                ),
        );
    }

    private createMonitoringRole(name: string): StackRole {
        return (this.args.roles ?? new Roles()).role(monitoringRoleSpec(), { role: `${name}-monitoring`, attachment: () => `${name}-monitoring` }, this.opts());
    }
}

/** RDS Enhanced Monitoring's role (the managed policy: write the OS metrics to CloudWatch Logs). */
export function monitoringRoleSpec(): RoleSpec {
    return { purpose: "rds-monitoring", trustPolicy: serviceTrust("monitoring.rds.amazonaws.com"), managedPolicyArns: [managedPolicy("service-role/AmazonRDSEnhancedMonitoringRole")], inlinePolicies: {} };
}
