import { SettingsError } from "../../settings/errors";
import { allKeys } from "../../settings/configKeys";
import { SettingsSource, loadSettings } from "../../settings/load";
import { REPLACES_DATABASE } from "../../settings/dataSchema";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { deployEnv, ROOT } from "../helpers/stacks";

function source(stack: string, env: Record<string, string> = {}): SettingsSource {
    const files = readStackConfig(ROOT, stack);
    return { project: "ops", stack, config: files.config, env: { ...deployEnv(stack), ...env } };
}

function problemKeys(stack: string, env: Record<string, string>): string[] {
    try {
        loadSettings(source(stack, env));
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.problems.map((p) => p.key).sort();
        throw e;
    }
    throw new Error("expected a SettingsError, but the settings loaded");
}

function problemText(stack: string, env: Record<string, string>): string {
    try {
        loadSettings(source(stack, env));
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.message;
        throw e;
    }
    throw new Error("expected a SettingsError, but the settings loaded");
}

describe("data settings per environment (runbook 3.9, 4.1)", () => {
    it("production: 30-day backups, daily at 05:00 UTC, copied to the DR vault, compliance lock, Multi-AZ everywhere, weekly restore test", () => {
        const s = loadSettings(source("production"));
        expect(s.database).toMatchObject({ multiAz: true, backupRetentionDays: 30, backupWindow: "03:00-04:00", maintenanceWindow: "sun:05:00-sun:06:00" });
        expect(s.protectStatefulResources).toBe(true);
        expect(s.backup).toEqual({
            schedule: "cron(0 5 * * ? *)",
            retentionDays: 30,
            startWindowMinutes: 60,
            completionWindowMinutes: 360,
            copyToDr: true,
            vaultLock: "compliance",
            vaultLockChangeableForDays: 3,
            replicateAutomatedBackups: true,
            replicatedRetentionDays: 7,
            restoreTesting: { enabled: true, schedule: "cron(0 8 ? * MON *)", validationWindowHours: 4 },
        });
        expect(s.cache).toMatchObject({ engineVersion: "7.1", nodes: 2, multiAz: true, snapshotRetentionDays: 7 });
        expect(s.files).toEqual({ noncurrentVersionExpirationDays: 90, abortIncompleteUploadDays: 7, replicateToDr: true });
        expect(s.restore).toEqual({ mode: "none" });
    });

    it("staging: smaller, single-AZ, 7-day backups kept in-region, no lock, no restore test, no protection of stateful resources", () => {
        const s = loadSettings(source("staging"));
        expect(s.database).toMatchObject({ multiAz: false, backupRetentionDays: 7 });
        expect(s.protectStatefulResources).toBe(false);
        expect(s.cache).toMatchObject({ nodeType: "cache.t4g.small", nodes: 1, multiAz: false, snapshotRetentionDays: 1 });
        expect(s.backup).toMatchObject({ retentionDays: 7, copyToDr: false, vaultLock: "none", replicateAutomatedBackups: false, restoreTesting: { enabled: false } });
        expect(s.files.replicateToDr).toBe(false);
    });

    it("production-dr: production's settings in us-west-2, restoring the replicated automated backups there", () => {
        const s = loadSettings(source("production-dr"));
        const prod = loadSettings(source("production"));
        expect([s.environment, s.profile, s.region, s.drRegion]).toEqual(["production", "production", "us-west-2", "us-east-1"]);
        expect(s.restore).toEqual({ mode: "replicatedBackup", sourceAutomatedBackupsArn: expect.stringMatching(/^arn:aws:rds:us-west-2:\d{12}:auto-backup:ab-/) });
        for (const k of ["database", "cache", "files", "backup", "app", "logging"] as const) expect(s[k]).toEqual(prod[k]);
    });
});

describe("data settings rules", () => {
    it.each<[string, string, Record<string, string>, string[], RegExp]>([
        ["production without protected stateful resources", "production", { OPS_PROTECT_STATEFUL_RESOURCES: "false" }, ["ops:protectStatefulResources"], /true in production \(the data must survive a mistaken destroy\)/],
        ["production Redis without failover", "production", { OPS_CACHE__MULTI_AZ: "false" }, ["ops:cache.multiAz"], /true in production \(automatic failover\)/],
        ["failover with one node", "staging", { OPS_CACHE__MULTI_AZ: "true" }, ["ops:cache.nodes"], /2 or more while cache.multiAz is true/],
        ["production backups under 30 days", "production", { OPS_BACKUP__RETENTION_DAYS: "14" }, ["ops:backup.retentionDays"], /30 or more in production \(runbook 3.9\)/],
        ["production PITR under 30 days", "production", { OPS_DATABASE__BACKUP_RETENTION_DAYS: "7" }, ["ops:database.backupRetentionDays"], /30 or more in production/],
        ["production without DR copies", "production", { OPS_BACKUP__COPY_TO_DR: "false" }, ["ops:backup.copyToDr"], /regional outage/],
        ["a completion window too short", "staging", { OPS_BACKUP__COMPLETION_WINDOW_MINUTES: "120", OPS_BACKUP__START_WINDOW_MINUTES: "90" }, ["ops:backup.completionWindowMinutes"], /at least backup.startWindowMinutes \+ 60 \(150\)/],
        ["cache windows overlapping", "staging", { OPS_CACHE__MAINTENANCE_WINDOW: "tue:02:30-tue:03:30" }, ["ops:cache.maintenanceWindow"], /does not overlap the daily snapshot window 02:00-03:00 \(they share tue:02:30-tue:03:00\)/],
        ["a point-in-time restore without its source", "staging", { OPS_RESTORE__MODE: "replicatedBackup" }, ["ops:restore.sourceAutomatedBackupsArn"], /a value, since restore.mode is replicatedBackup/],
        ["a snapshot restore without a snapshot", "staging", { OPS_RESTORE__MODE: "snapshot" }, ["ops:restore.snapshotIdentifier"], /a value, since restore.mode is snapshot/],
        [
            "backups from another region",
            "staging",
            { OPS_RESTORE__MODE: "replicatedBackup", OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-abc" },
            ["ops:restore.sourceAutomatedBackupsArn"],
            /backups in this stack's region us-east-1/,
        ],
        ["a snapshot name with mode none", "staging", { OPS_RESTORE__SNAPSHOT_IDENTIFIER: "before-migration" }, ["ops:restore.snapshotIdentifier"], /no value while restore.mode is none/],
        ["a reserved master user", "staging", { OPS_DATABASE__USERNAME: "rdsadmin" }, ["ops:database.username"], /a name RDS does not reserve/],
        ["no enhanced monitoring", "staging", { OPS_DATABASE__MONITORING_INTERVAL_SECONDS: "0" }, ["ops:database.monitoringIntervalSeconds"], /one of 1, 5, 10, 15, 30, 60/],
        ["a vault lock shorter than AWS allows", "staging", { OPS_BACKUP__VAULT_LOCK_CHANGEABLE_FOR_DAYS: "1" }, ["ops:backup.vaultLockChangeableForDays"], /at least 3/],
    ])("refuses %s", (_what, stack, env, keys, message) => {
        expect(problemKeys(stack, env)).toEqual(keys);
        expect(problemText(stack, env)).toMatch(message);
    });

    it("accepts each restore mode with what it needs", () => {
        const pitr = loadSettings(
            source("staging", {
                OPS_RESTORE__MODE: "replicatedBackup",
                OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-abc123",
                OPS_RESTORE__RESTORE_TIME: "2026-01-15T10:30:00Z",
            }),
        );
        expect(pitr.restore).toEqual({ mode: "replicatedBackup", sourceAutomatedBackupsArn: "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-abc123", restoreTime: "2026-01-15T10:30:00Z" });
        const recoveryPoint = "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-1eb3b5e7-9eb0-435a-a80b-108b488b0d45";
        expect(loadSettings(source("staging", { OPS_RESTORE__MODE: "snapshot", OPS_RESTORE__SNAPSHOT_IDENTIFIER: recoveryPoint })).restore).toEqual({ mode: "snapshot", snapshotIdentifier: recoveryPoint });
    });
});

describe("cautions on settings that replace the database", () => {
    it.each(["database.name", "database.username"])("%s says that changing it replaces the database", (dotted) => {
        expect(allKeys().find((k) => k.dotted === dotted)?.description).toContain(REPLACES_DATABASE);
    });

    it("no other data setting claims it (the caution means something)", () => {
        const claiming = allKeys().filter((k) => k.description.includes(REPLACES_DATABASE)).map((k) => k.dotted);
        expect(claiming.sort()).toEqual(["database.name", "database.username"]);
    });
});
