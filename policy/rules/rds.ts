/**
 * RDS database instances (`aws:rds/instance:Instance`, @pulumi/aws 7 input names).
 */
import { EVERYWHERE, PolicyRule, productionOnly } from "../rule";
import { asArray, at, isFalse, isTrue, num, refersTo, regionOf, shown, str } from "../values";

const INSTANCE = "aws:rds/instance:Instance";
const REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";

/** Runbook 3.9: "Database: automated daily backups, 30-day retention". */
export const PRODUCTION_BACKUP_RETENTION_DAYS = 30;
/** Security Hub RDS.11's default minimum (`backupRetentionMinimum`), for the other environments. */
export const MINIMUM_BACKUP_RETENTION_DAYS = 7;

/** The logs RDS.9 requires each engine to publish to CloudWatch Logs. */
export const REQUIRED_LOG_EXPORTS: Record<string, readonly string[]> = {
    postgres: ["postgresql", "upgrade"],
    "aurora-postgresql": ["postgresql"],
    mysql: ["audit", "error", "general", "slowquery"],
    mariadb: ["audit", "error", "general", "slowquery"],
};

/** Default administrator names, public knowledge (RDS.25, AWS Config rds-instance-default-admin-check). */
export const DEFAULT_ADMIN_USERNAMES = ["admin", "postgres"] as const;

const PRODUCTION_ONLY_WHY = "the staging profile runs a single-AZ, unprotected instance with short retention: its data is anonymised production data, rebuilt at will.";

/** The major version of an engine version string (`16.4` → 16). */
function major(version: unknown): number | undefined {
    return num(String(version ?? "").split(".")[0]);
}

export const rdsRules: PolicyRule[] = [
    {
        name: "rds-storage-encrypted",
        service: "RDS",
        description: "RDS storage is encrypted, with a customer-managed KMS key.",
        rationale:
            "Storage, automated backups, snapshots and read replicas inherit the instance's encryption, which cannot be added later without restoring a snapshot; snapshots under the AWS managed key cannot be shared or copied across accounts.",
        controls: [
            { framework: "Security Hub FSBP", id: "RDS.3" },
            { framework: "CIS AWS Foundations 1.4.0", id: "2.3.1" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-RDS2" },
        ],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => {
            const out: string[] = [];
            if (!isTrue(r.inputs["storageEncrypted"])) out.push(`storageEncrypted is ${shown(r.inputs["storageEncrypted"])}: set storageEncrypted: true`);
            if (!str(r.inputs["kmsKeyId"])) out.push("no kmsKeyId: encrypt with the stack's data key, not the AWS managed aws/rds key");
            return out;
        },
    },
    {
        name: "rds-not-publicly-accessible",
        service: "RDS",
        description: "RDS instances are never publicly accessible.",
        rationale: "A public instance gets an internet-resolvable address; the database belongs in the isolated subnets, reachable from the app tier only. RDS's default is private.",
        controls: [
            { framework: "Security Hub FSBP", id: "RDS.2" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-RDSInstancePublicAccess" },
        ],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => (isTrue(r.inputs["publiclyAccessible"]) ? ["publiclyAccessible is true: set it to false"] : []),
    },
    {
        name: "rds-deletion-protection",
        service: "RDS",
        description: "Production RDS instances have deletion protection.",
        rationale: "Deletion protection stops an API call, a console click or a replacing `pulumi up` from deleting the database; it is off by default.",
        controls: [
            { framework: "Security Hub FSBP", id: "RDS.8" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-RDS10" },
        ],
        enforcement: productionOnly(PRODUCTION_ONLY_WHY),
        types: [INSTANCE],
        check: (r) => (isTrue(r.inputs["deletionProtection"]) ? [] : [`deletionProtection is ${shown(r.inputs["deletionProtection"])}: set deletionProtection: true`]),
    },
    {
        name: "rds-multi-az",
        service: "RDS",
        description: "Production RDS instances are Multi-AZ.",
        rationale: "A standby in another Availability Zone takes over in one to two minutes when the primary's zone or host fails; a single-AZ instance waits for a restore.",
        controls: [
            { framework: "Security Hub FSBP", id: "RDS.5" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-RDS3" },
        ],
        enforcement: productionOnly(PRODUCTION_ONLY_WHY),
        types: [INSTANCE],
        check: (r) => (isTrue(r.inputs["multiAz"]) ? [] : [`multiAz is ${shown(r.inputs["multiAz"])}: set multiAz: true`]),
    },
    {
        name: "rds-backup-retention",
        service: "RDS",
        description: `Automated backups are kept ${PRODUCTION_BACKUP_RETENTION_DAYS} days in production and at least ${MINIMUM_BACKUP_RETENTION_DAYS} elsewhere.`,
        rationale: "Automated backups give point-in-time recovery within the retention period (the RPO of runbook 3.9); 0 turns them off.",
        controls: [
            { framework: "Security Hub FSBP", id: "RDS.11" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-RDS13" },
            { framework: "Runbook", id: "3.9 database: automated daily backups, 30-day retention" },
        ],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r, stack) => {
            const want = stack.environment === "production" ? PRODUCTION_BACKUP_RETENTION_DAYS : MINIMUM_BACKUP_RETENTION_DAYS;
            const days = num(r.inputs["backupRetentionPeriod"]);
            return days !== undefined && days >= want ? [] : [`backupRetentionPeriod is ${shown(r.inputs["backupRetentionPeriod"])}: ${stack.environment} needs at least ${want} days`];
        },
    },
    {
        name: "rds-backups-survive-deletion",
        service: "RDS",
        description: "Deleting a production instance keeps a final snapshot and its automated backups.",
        rationale: "Backups come before anything else: a deletion, deliberate or not, must leave something to restore from.",
        controls: [{ framework: "Runbook", id: "3.9 backup strategy" }],
        enforcement: productionOnly(PRODUCTION_ONLY_WHY),
        types: [INSTANCE],
        check: (r) => {
            const out: string[] = [];
            // RDS takes no final snapshot of a read replica (DeleteDBInstance refuses one): its source's keep the data.
            const replica = r.inputs["replicateSourceDb"] !== undefined;
            if (!replica && isTrue(r.inputs["skipFinalSnapshot"])) out.push("skipFinalSnapshot is true: set it to false");
            if (!replica && !str(r.inputs["finalSnapshotIdentifier"])) out.push("no finalSnapshotIdentifier: RDS requires one to take the final snapshot");
            if (replica && str(r.inputs["finalSnapshotIdentifier"])) out.push("a finalSnapshotIdentifier on a read replica: RDS refuses it when the replica is deleted; set skipFinalSnapshot true");
            if (!isFalse(r.inputs["deleteAutomatedBackups"])) out.push(`deleteAutomatedBackups is ${shown(r.inputs["deleteAutomatedBackups"])} (RDS's default deletes them): set it to false`);
            return out;
        },
    },
    {
        name: "rds-backups-replicated-to-dr",
        service: "RDS",
        description: "Production instances replicate their automated backups to another region.",
        rationale: "After a regional outage the DR rebuild restores the database from these replicated backups (runbook 3.9, docs/disaster-recovery.md); without them the RPO is the last cross-region copy of the daily backup.",
        controls: [{ framework: "Runbook", id: "3.9 regional outage: failover to the secondary region" }],
        enforcement: productionOnly("only production has a DR copy; staging is rebuilt from scratch after a regional outage."),
        types: [INSTANCE],
        check: (r, stack) => {
            // A cross-region read replica is itself the DR copy (modules/dr/standby.ts): its data is its source's.
            if (r.inputs["replicateSourceDb"] !== undefined) return [];
            const own = regionOf(r, stack.resources);
            const replications = stack.ofType(REPLICATION).filter((x) => refersTo(x, "sourceDbInstanceArn", r));
            if (replications.length === 0) return ["no aws.rds.InstanceAutomatedBackupsReplication replicates its automated backups to the DR region"];
            return replications.some((x) => regionOf(x, stack.resources) !== own) ? [] : [`its automated backups are replicated within its own region (${String(own)}) only`];
        },
    },
    {
        name: "rds-enhanced-monitoring",
        service: "RDS",
        description: "Enhanced Monitoring is on, with its role.",
        rationale: "OS-level metrics (per-process CPU and memory, disk queue) are what tells a slow query from a starved host in the worst hour of an incident.",
        controls: [
            { framework: "Security Hub FSBP", id: "RDS.6" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-RDSEnhancedMonitoringEnabled" },
        ],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => {
            const interval = num(r.inputs["monitoringInterval"]);
            if (interval === undefined || interval <= 0) return [`monitoringInterval is ${shown(r.inputs["monitoringInterval"])}: set 1, 5, 10, 15, 30 or 60 seconds`];
            return str(r.inputs["monitoringRoleArn"]) ? [] : ["no monitoringRoleArn: Enhanced Monitoring needs a role trusting monitoring.rds.amazonaws.com"];
        },
    },
    {
        name: "rds-log-exports",
        service: "RDS",
        description: "The engine's logs are published to CloudWatch Logs (PostgreSQL: postgresql and upgrade).",
        rationale: "Without exports the logs live only on the instance, rotate within days and are gone with it.",
        controls: [
            { framework: "Security Hub FSBP", id: "RDS.9" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-RDSLoggingEnabled" },
        ],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => {
            const required = REQUIRED_LOG_EXPORTS[String(r.inputs["engine"])] ?? [];
            const exported = asArray<unknown>(r.inputs["enabledCloudwatchLogsExports"]);
            const missing = required.filter((l) => !exported.includes(l));
            return missing.length > 0 ? [`enabledCloudwatchLogsExports lacks ${missing.join(", ")}`] : [];
        },
    },
    {
        name: "rds-iam-authentication",
        service: "RDS",
        description: "IAM database authentication is enabled.",
        rationale: "Operators and tools can connect with short-lived IAM tokens instead of sharing the master password.",
        controls: [{ framework: "Security Hub FSBP", id: "RDS.10" }],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => (isTrue(r.inputs["iamDatabaseAuthenticationEnabled"]) ? [] : [`iamDatabaseAuthenticationEnabled is ${shown(r.inputs["iamDatabaseAuthenticationEnabled"])}: set it to true`]),
    },
    {
        name: "rds-auto-minor-version-upgrade",
        service: "RDS",
        description: "Minor engine versions are applied automatically in the maintenance window.",
        rationale: "Minor versions carry the security fixes (runbook 4.3: critical patches within 24 hours); RDS's default is on.",
        controls: [{ framework: "Security Hub FSBP", id: "RDS.13" }],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => (isFalse(r.inputs["autoMinorVersionUpgrade"]) ? ["autoMinorVersionUpgrade is false: set it to true"] : []),
    },
    {
        name: "rds-copy-tags-to-snapshots",
        service: "RDS",
        description: "Snapshots carry the instance's tags.",
        rationale: "Tags on snapshots keep cost allocation and ownership, and let tag-based access policies and backup selections apply to them.",
        controls: [{ framework: "Security Hub FSBP", id: "RDS.17" }],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => (isTrue(r.inputs["copyTagsToSnapshot"]) ? [] : [`copyTagsToSnapshot is ${shown(r.inputs["copyTagsToSnapshot"])} (RDS's default is false): set it to true`]),
    },
    {
        name: "rds-custom-admin-username",
        service: "RDS",
        description: "The master user is not named after the engine's default.",
        rationale: "Default administrator names are public knowledge: a guessed name is half a credential.",
        controls: [{ framework: "Security Hub FSBP", id: "RDS.25" }],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r) => {
            const user = r.inputs["username"];
            if (user === undefined && r.inputs["snapshotIdentifier"] === undefined && r.inputs["replicateSourceDb"] === undefined && r.inputs["restoreToPointInTime"] === undefined)
                return ["no username: name the master user (not admin or postgres)"];
            return typeof user === "string" && (DEFAULT_ADMIN_USERNAMES as readonly string[]).includes(user.toLowerCase()) ? [`username is the default "${user}": choose another name`] : [];
        },
    },
    {
        name: "rds-tls-required",
        service: "RDS",
        description: "PostgreSQL instances refuse connections without TLS (rds.force_ssl = 1).",
        rationale:
            "DATABASE_URL carries the password; without TLS it crosses the VPC in the clear. RDS for PostgreSQL 15 and later default rds.force_ssl to 1, older versions to 0, and a custom parameter group can turn it off.",
        controls: [{ framework: "Project", id: "docs/data.md: TLS only (parameter group rds.force_ssl)" }],
        enforcement: EVERYWHERE,
        types: [INSTANCE],
        check: (r, stack) => {
            if (r.inputs["engine"] !== "postgres") return [];
            const group = stack.ofType(PARAMETER_GROUP).find((g) => refersTo(r, "parameterGroupName", g));
            const setting = asArray<unknown>(group?.inputs["parameters"]).find((p) => at(p, "name") === "rds.force_ssl");
            const value = at(setting, "value");
            if (setting !== undefined) return String(value) === "1" ? [] : [`its parameter group sets rds.force_ssl to ${shown(value)}: set it to 1`];
            const version = major(r.inputs["engineVersion"]);
            return version !== undefined && version >= 15 ? [] : [`engine version ${shown(r.inputs["engineVersion"])} defaults rds.force_ssl to 0: set it to 1 in the instance's parameter group`];
        },
    },
];
