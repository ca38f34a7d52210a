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
        expect(s.database).toMatchObject({ multiAz: true, backupRetentionDays: 30, backupWindow: "03:00-04:00", maintenanceWindow: "sun:08:00-sun:09:00" });
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

    it("production-dr: production's settings in us-west-2, promoting the standby's replica, with no copies into the failed region", () => {
        const s = loadSettings(source("production-dr"));
        const prod = loadSettings(source("production"));
        expect([s.environment, s.profile, s.region, s.drRegion]).toEqual(["production", "production", "us-west-2", "us-east-1"]);
        expect(s.dr).toEqual({ standby: false, rebuildOf: "us-east-1", database: "promoteReplica" });
        expect(s.restore).toEqual({ mode: "none" });
        for (const k of ["database", "cache", "app", "logging"] as const) expect(s[k]).toEqual(prod[k]);
        // The copies resume at failback, from production: the rebuild's differ only there.
        expect(s.files).toEqual({ ...prod.files, replicateToDr: false });
        expect(s.backup).toEqual({ ...prod.backup, copyToDr: false, replicateAutomatedBackups: false });
    });

    it("production-dr-drill: the rebuild's shape restoring the replicated automated backups, never promoting the replica", () => {
        const s = loadSettings(source("production-dr-drill"));
        expect(s.dr).toEqual({ standby: false, rebuildOf: "us-east-1", database: "restoreReplicatedBackups", regionalName: "myapp-production-drill" });
        expect(s.restore).toEqual({ mode: "replicatedBackup", sourceAutomatedBackupsArn: expect.stringMatching(/^arn:aws:rds:us-west-2:\d{12}:auto-backup:ab-/) });
        expect([s.protectStatefulResources, s.edge.deletionProtection, s.hostname, s.secrets.pathScope]).toEqual([false, false, "dr-drill.example.com", "production-drill"]);
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

// AWS Backup Developer Guide, "Backup plan options and configuration": AWS Backup cannot start a
// backup of an RDS database one hour before or during its maintenance window or its automated
// backup window. A job may start at any moment of its start window.
describe("the daily backup's start window against the database's windows", () => {
    it("refuses production's former Sunday maintenance window at the backup's hour, naming both windows and a clear hour", () => {
        const env = { OPS_DATABASE__MAINTENANCE_WINDOW: "sun:05:00-sun:06:00" };
        expect(problemKeys("production", env)).toEqual(["ops:backup.schedule"]);
        expect(problemText("production", env)).toContain(
            [
                "  1. ops:backup.schedule",
                '     received: "cron(0 5 * * ? *)"  (from the base profile (defaults in code, settings/profiles.ts))',
                "     allowed:  a schedule whose every start window (backup.startWindowMinutes 60) lies outside database.maintenanceWindow sun:05:00-sun:06:00 and database.backupWindow 03:00-04:00 and the hour before each: " +
                    'AWS Backup cannot start an RDS backup one hour before or during either (AWS Backup Developer Guide, "Backup plan options and configuration"). ' +
                    "The job of sun:05:00, which may start until sun:06:00, meets database.maintenanceWindow or the hour before it at sun:05:00-sun:06:00; cron(0 6 * * ? *) would be clear, or move database.maintenanceWindow",
                "     fix:      pulumi config set --path backup.schedule <value>   (overrides the default in code, or set OPS_BACKUP__SCHEDULE)",
            ].join("\n"),
        );
    });

    it.each<[string, Record<string, string>, RegExp]>([
        ["a start in the hour before the maintenance window", { OPS_BACKUP__SCHEDULE: "cron(30 7 * * ? *)" }, /The job of sun:07:30, which may start until sun:08:30, meets database.maintenanceWindow or the hour before it at sun:07:30-sun:08:30; cron\(0 9 \* \* \? \*\) would be clear/],
        ["a start window that runs into the hour before it", { OPS_BACKUP__SCHEDULE: "cron(0 6 * * ? *)", OPS_BACKUP__START_WINDOW_MINUTES: "90" }, /The job of sun:06:00, which may start until sun:07:30, meets database.maintenanceWindow or the hour before it at sun:07:00-sun:07:30/],
        ["a start during the automated backup window", { OPS_BACKUP__SCHEDULE: "cron(30 3 * * ? *)" }, /The job of mon:03:30, which may start until mon:04:30, meets database.backupWindow or the hour before it at mon:03:30-mon:04:00/],
        ["a start window reaching the hour before the automated backup window", { OPS_BACKUP__SCHEDULE: "cron(30 1 * * ? *)" }, /The job of mon:01:30, which may start until mon:02:30, meets database.backupWindow or the hour before it at mon:02:00-mon:02:30/],
        ["a longer start window", { OPS_BACKUP__START_WINDOW_MINUTES: "180" }, /The job of sun:05:00, which may start until sun:08:00, meets database.maintenanceWindow or the hour before it at sun:07:00-sun:08:00/],
        ["a monthly job, whose day may be a Sunday", { OPS_BACKUP__SCHEDULE: "cron(0 7 1 * ? *)" }, /The job of sun:07:00, which may start until sun:08:00, meets database.maintenanceWindow/],
    ])("refuses %s", (_what, env, message) => {
        for (const stack of ["production", "staging"]) {
            expect(problemKeys(stack, env)).toEqual(["ops:backup.schedule"]);
            expect(problemText(stack, env)).toMatch(message);
        }
    });

    it("says when no daily hour is clear", () => {
        // A 22-hour backup window leaves 08:00-10:00 a day, and on Sundays the maintenance window takes it.
        const env = { OPS_DATABASE__BACKUP_WINDOW: "10:00-08:00" };
        expect(problemText("staging", env)).toMatch(/; no daily start hour is clear: move database.maintenanceWindow or database.backupWindow$/m);
    });

    it("accepts start windows clear of both, and does not check a stack without a managed database", () => {
        // 06:00 with 60 minutes ends just as the hour before Sunday's 08:00 begins (AWS's "one hour before").
        for (const schedule of ["cron(0 5 * * ? *)", "cron(0 0 * * ? *)", "cron(0 6 * * ? *)", "cron(0 9 * * ? *)", "cron(0 7 ? * MON-SAT *)"]) {
            expect(loadSettings(source("production", { OPS_BACKUP__SCHEDULE: schedule })).backup.schedule).toBe(schedule);
        }
        expect(() => loadSettings(source("pr-42", { OPS_BACKUP__SCHEDULE: "cron(30 3 * * ? *)" }))).not.toThrow();
    });

    it("refuses a schedule AWS would refuse, saying which field is wrong", () => {
        expect(problemKeys("staging", { OPS_BACKUP__SCHEDULE: "cron(0 25 * * ? *)" })).toEqual(["ops:backup.schedule"]);
        expect(problemText("staging", { OPS_BACKUP__SCHEDULE: "cron(0 25 * * ? *)" })).toContain('allowed:  an AWS cron expression with six fields such as cron(0 5 * * ? *): hours "25" is not a value from 0 to 23');
        expect(problemText("staging", { OPS_BACKUP__RESTORE_TESTING__SCHEDULE: "cron(0 8 * * MON *)" })).toMatch(
            /ops:backup.restoreTesting.schedule[\s\S]*exactly one of day-of-month and day-of-week must be \?/,
        );
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
