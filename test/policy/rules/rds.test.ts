import { rdsRules } from "../../../policy/rules/rds";
import { DR_PROVIDER_URN, findings, providers, res, ruleSuite } from "../fixtures";

const INSTANCE = "aws:rds/instance:Instance";

/** An instance as the production profile makes it (the plan's inputs, trimmed). */
const good = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    engine: "postgres",
    engineVersion: "16",
    identifier: "myapp-production",
    storageEncrypted: true,
    kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
    publiclyAccessible: false,
    deletionProtection: true,
    multiAz: true,
    backupRetentionPeriod: 30,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "myapp-production-final",
    deleteAutomatedBackups: false,
    monitoringInterval: 60,
    monitoringRoleArn: "arn:aws:iam::123456789012:role/monitoring",
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    iamDatabaseAuthenticationEnabled: true,
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    username: "app_admin",
    ...over,
});
const db = (over: Record<string, unknown> = {}) => res(INSTANCE, good(over), { name: "db", id: "myapp-production" });
const without = (...keys: string[]) => {
    const inputs = good();
    for (const k of keys) delete inputs[k];
    return res(INSTANCE, inputs, { name: "db", id: "myapp-production" });
};
const replication = (source: string, provider = DR_PROVIDER_URN) =>
    res("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", { sourceDbInstanceArn: source, retentionPeriod: 7 }, { name: "dr-backups", provider });
const ARN = "arn:aws:rds:us-east-1:123456789012:db:myapp-production";
const group = (parameters: unknown[]) => res("aws:rds/parameterGroup:ParameterGroup", { family: "postgres16", parameters }, { name: "pg", id: "myapp-pg-1" });

describe("RDS rules", () => {
    const rule = ruleSuite(rdsRules);

    rule("rds-storage-encrypted", {
        compliant: () => [db()],
        missing: () => [without("storageEncrypted", "kmsKeyId")],
        missingFindings: ["db: storageEncrypted is unset: set storageEncrypted: true", "db: no kmsKeyId: encrypt with the stack's data key, not the AWS managed aws/rds key"],
        wrong: () => [db({ storageEncrypted: false })],
        wrongFindings: ["db: storageEncrypted is false: set storageEncrypted: true"],
    });

    rule("rds-not-publicly-accessible", {
        compliant: () => [db()],
        missing: () => [without("publiclyAccessible")],
        missingFindings: [],
        safeDefault: "RDS creates instances private unless told otherwise",
        wrong: () => [db({ publiclyAccessible: true })],
        wrongFindings: ["db: publiclyAccessible is true: set it to false"],
    });

    rule("rds-deletion-protection", {
        compliant: () => [db()],
        missing: () => [without("deletionProtection")],
        missingFindings: ["db: deletionProtection is unset: set deletionProtection: true"],
        wrong: () => [db({ deletionProtection: false })],
        wrongFindings: ["db: deletionProtection is false: set deletionProtection: true"],
    });

    rule("rds-multi-az", {
        compliant: () => [db()],
        missing: () => [without("multiAz")],
        missingFindings: ["db: multiAz is unset: set multiAz: true"],
        wrong: () => [db({ multiAz: false })],
        wrongFindings: ["db: multiAz is false: set multiAz: true"],
    });

    rule("rds-backup-retention", {
        compliant: () => [db()],
        missing: () => [without("backupRetentionPeriod")],
        missingFindings: ["db: backupRetentionPeriod is unset: production needs at least 30 days"],
        wrong: () => [db({ backupRetentionPeriod: 29 })],
        wrongFindings: ["db: backupRetentionPeriod is 29: production needs at least 30 days"],
    });

    rule("rds-backups-survive-deletion", {
        compliant: () => [db()],
        missing: () => [without("skipFinalSnapshot", "finalSnapshotIdentifier", "deleteAutomatedBackups")],
        missingFindings: ["db: no finalSnapshotIdentifier: RDS requires one to take the final snapshot", "db: deleteAutomatedBackups is unset (RDS's default deletes them): set it to false"],
        wrong: () => [db({ skipFinalSnapshot: true, deleteAutomatedBackups: true })],
        wrongFindings: ["db: skipFinalSnapshot is true: set it to false", "db: deleteAutomatedBackups is true (RDS's default deletes them): set it to false"],
    });

    it("rds-backups-survive-deletion: a read replica takes no final snapshot (RDS refuses one) but keeps its automated backups", () => {
        const replica = (over: Record<string, unknown>) => {
            const inputs = good({ replicateSourceDb: ARN, skipFinalSnapshot: true, ...over });
            delete inputs["finalSnapshotIdentifier"];
            delete inputs["username"];
            return res(INSTANCE, { ...inputs, ...over }, { name: "replica", id: "myapp-production-dr" });
        };
        expect(findings("rds-backups-survive-deletion", [replica({})])).toEqual([]);
        expect(findings("rds-backups-survive-deletion", [replica({ finalSnapshotIdentifier: "x-final", deleteAutomatedBackups: true })])).toEqual([
            "replica: a finalSnapshotIdentifier on a read replica: RDS refuses it when the replica is deleted; set skipFinalSnapshot true",
            "replica: deleteAutomatedBackups is true (RDS's default deletes them): set it to false",
        ]);
    });

    rule("rds-backups-replicated-to-dr", {
        compliant: () => [...providers(), db(), replication(ARN)],
        missing: () => [...providers(), db()],
        missingFindings: ["db: no aws.rds.InstanceAutomatedBackupsReplication replicates its automated backups to the DR region"],
        wrong: () => [...providers(), db(), replication(ARN, "urn:pulumi:test::ops::pulumi:providers:aws::primary")],
        wrongFindings: ["db: its automated backups are replicated within its own region (us-east-1) only"],
    });

    rule("rds-enhanced-monitoring", {
        compliant: () => [db()],
        missing: () => [without("monitoringInterval", "monitoringRoleArn")],
        missingFindings: ["db: monitoringInterval is unset: set 1, 5, 10, 15, 30 or 60 seconds"],
        wrong: () => [db({ monitoringInterval: 0 }), res(INSTANCE, good({ monitoringRoleArn: undefined }), { name: "norole" })],
        wrongFindings: ["db: monitoringInterval is 0: set 1, 5, 10, 15, 30 or 60 seconds", "norole: no monitoringRoleArn: Enhanced Monitoring needs a role trusting monitoring.rds.amazonaws.com"],
    });

    rule("rds-log-exports", {
        compliant: () => [db()],
        missing: () => [without("enabledCloudwatchLogsExports")],
        missingFindings: ["db: enabledCloudwatchLogsExports lacks postgresql, upgrade"],
        wrong: () => [db({ enabledCloudwatchLogsExports: ["postgresql"] }), res(INSTANCE, good({ engine: "mysql", enabledCloudwatchLogsExports: ["error"] }), { name: "my" })],
        wrongFindings: ["db: enabledCloudwatchLogsExports lacks upgrade", "my: enabledCloudwatchLogsExports lacks audit, general, slowquery"],
    });

    rule("rds-iam-authentication", {
        compliant: () => [db()],
        missing: () => [without("iamDatabaseAuthenticationEnabled")],
        missingFindings: ["db: iamDatabaseAuthenticationEnabled is unset: set it to true"],
        wrong: () => [db({ iamDatabaseAuthenticationEnabled: false })],
        wrongFindings: ["db: iamDatabaseAuthenticationEnabled is false: set it to true"],
    });

    rule("rds-auto-minor-version-upgrade", {
        compliant: () => [db()],
        missing: () => [without("autoMinorVersionUpgrade")],
        missingFindings: [],
        safeDefault: "RDS applies minor versions automatically by default",
        wrong: () => [db({ autoMinorVersionUpgrade: false })],
        wrongFindings: ["db: autoMinorVersionUpgrade is false: set it to true"],
    });

    rule("rds-copy-tags-to-snapshots", {
        compliant: () => [db()],
        missing: () => [without("copyTagsToSnapshot")],
        missingFindings: ["db: copyTagsToSnapshot is unset (RDS's default is false): set it to true"],
        wrong: () => [db({ copyTagsToSnapshot: false })],
        wrongFindings: ["db: copyTagsToSnapshot is false (RDS's default is false): set it to true"],
    });

    rule("rds-custom-admin-username", {
        compliant: () => [db()],
        missing: () => [without("username")],
        missingFindings: ["db: no username: name the master user (not admin or postgres)"],
        wrong: () => [db({ username: "postgres" }), res(INSTANCE, good({ username: "Admin" }), { name: "other" })],
        wrongFindings: ['db: username is the default "postgres": choose another name', 'other: username is the default "Admin": choose another name'],
    });

    rule("rds-tls-required", {
        compliant: () => [db({ parameterGroupName: "myapp-pg-1" }), group([{ name: "rds.force_ssl", value: "1" }])],
        missing: () => [db({ engineVersion: "14.9" })],
        missingFindings: ['db: engine version "14.9" defaults rds.force_ssl to 0: set it to 1 in the instance\'s parameter group'],
        wrong: () => [db({ parameterGroupName: "myapp-pg-1" }), group([{ name: "log_lock_waits", value: "1" }, { name: "rds.force_ssl", value: "0" }])],
        wrongFindings: ['db: its parameter group sets rds.force_ssl to "0": set it to 1'],
    });

    describe("edge cases", () => {
        it("requires 7 days of backups outside production, 30 in production", () => {
            expect(findings("rds-backup-retention", [db({ backupRetentionPeriod: 7 })], "staging")).toEqual([]);
            expect(findings("rds-backup-retention", [db({ backupRetentionPeriod: 6 })], "staging")).toEqual(["db: backupRetentionPeriod is 6: staging needs at least 7 days"]);
            expect(findings("rds-backup-retention", [db({ backupRetentionPeriod: 7 })], "production")).toEqual(["db: backupRetentionPeriod is 7: production needs at least 30 days"]);
        });

        it("accepts PostgreSQL 15 and later with the default parameter group (rds.force_ssl defaults to 1)", () => {
            expect(findings("rds-tls-required", [db({ engineVersion: "15" })])).toEqual([]);
            expect(findings("rds-tls-required", [db({ engineVersion: "16.4" })])).toEqual([]);
            expect(findings("rds-tls-required", [db({ engine: "mysql", engineVersion: "8.0" })])).toEqual([]);
        });

        it("judges the parameter group the instance names, not another one", () => {
            expect(findings("rds-tls-required", [db({ parameterGroupName: "myapp-pg-1" }), group([{ name: "rds.force_ssl", value: "0" }]), res("aws:rds/parameterGroup:ParameterGroup", { parameters: [{ name: "rds.force_ssl", value: "1" }] }, { name: "other", id: "other-pg" })])).toEqual([
                'db: its parameter group sets rds.force_ssl to "0": set it to 1',
            ]);
        });

        it("does not take another instance's backup replication for this one", () => {
            expect(findings("rds-backups-replicated-to-dr", [...providers(), db(), replication("arn:aws:rds:us-east-1:123456789012:db:myapp-production-2")])).toEqual([
                "db: no aws.rds.InstanceAutomatedBackupsReplication replicates its automated backups to the DR region",
            ]);
        });

        it("needs no username for an instance restored from a snapshot or a point in time, or for a read replica", () => {
            expect(findings("rds-custom-admin-username", [res(INSTANCE, { ...good(), username: undefined, snapshotIdentifier: "snap" })])).toEqual([]);
            expect(findings("rds-custom-admin-username", [res(INSTANCE, { ...good(), username: undefined, restoreToPointInTime: { useLatestRestorableTime: true } })])).toEqual([]);
            expect(findings("rds-custom-admin-username", [res(INSTANCE, { ...good(), username: undefined, replicateSourceDb: ARN })])).toEqual([]);
        });

        it("falls back to the engine version's default when the parameter group leaves rds.force_ssl alone", () => {
            expect(findings("rds-tls-required", [db({ parameterGroupName: "myapp-pg-1", engineVersion: "14.9" }), group([{ name: "log_lock_waits", value: "1" }])])).toEqual([
                'db: engine version "14.9" defaults rds.force_ssl to 0: set it to 1 in the instance\'s parameter group',
            ]);
            expect(findings("rds-tls-required", [db({ parameterGroupName: "myapp-pg-1", engineVersion: "16.4" }), group([{ name: "log_lock_waits", value: "1" }])])).toEqual([]);
            expect(findings("rds-tls-required", [without("engineVersion")])).toEqual(["db: engine version unset defaults rds.force_ssl to 0: set it to 1 in the instance's parameter group"]);
            expect(findings("rds-tls-required", [db({ parameterGroupName: "myapp-pg-1", engineVersion: "14.9" }), group([{ name: "rds.force_ssl", value: 1 }])])).toEqual([]);
        });

        it("takes a cross-region read replica for its own DR copy, and any replication to another region for enough", () => {
            expect(findings("rds-backups-replicated-to-dr", [...providers(), db({ replicateSourceDb: ARN })])).toEqual([]);
            expect(findings("rds-backups-replicated-to-dr", [...providers(), db(), replication(ARN, "urn:pulumi:test::ops::pulumi:providers:aws::primary"), replication(ARN)])).toEqual([]);
        });

        it("knows the logs of each engine, and asks none of an engine it does not know", () => {
            const instance = (engine: string, logs: string[]) => res(INSTANCE, good({ engine, enabledCloudwatchLogsExports: logs }), { name: engine });
            expect(findings("rds-log-exports", [instance("aurora-postgresql", ["postgresql"]), instance("mariadb", ["audit", "error", "general", "slowquery"]), instance("sqlserver-ex", [])])).toEqual([]);
            expect(findings("rds-log-exports", [instance("aurora-postgresql", []), instance("mariadb", ["error"])])).toEqual(["aurora-postgresql: enabledCloudwatchLogsExports lacks postgresql", "mariadb: enabledCloudwatchLogsExports lacks audit, general, slowquery"]);
        });

        it("refuses a negative monitoring interval and an empty role", () => {
            expect(findings("rds-enhanced-monitoring", [db({ monitoringInterval: -1 }), res(INSTANCE, good({ monitoringRoleArn: "" }), { name: "norole" })])).toEqual([
                "db: monitoringInterval is -1: set 1, 5, 10, 15, 30 or 60 seconds",
                "norole: no monitoringRoleArn: Enhanced Monitoring needs a role trusting monitoring.rds.amazonaws.com",
            ]);
        });
    });
});
