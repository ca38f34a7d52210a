import { z } from "zod";
import { dailyWindow, weeklyWindow } from "./primitives";
import { MINUTES_PER_WEEK, parseAwsCron } from "./cron";
import { firstStartClash, formatWeekMinute, windowIntervals, windowsOverlap } from "./windows";

/**
 * The settings of the data layer (issue 5): the managed PostgreSQL's extra knobs, Redis, the
 * files bucket, AWS Backup and the DR restore. Declared here and composed into the one schema in
 * `schema.ts`; defaults live in `profiles.ts`. Only AWS stacks other than previews read them: dev
 * and pr-<N> keep the in-cluster stores (`inClusterStores`).
 *
 * A description that says "Changing it replaces the database" marks a setting whose change makes
 * `pulumi up` destroy the instance and create a new, empty one (from the final snapshot only if
 * someone restores it). docs/data.md lists them; a test keeps the two in step.
 */

/** The caution every replacing setting carries in its description (tested). */
export const REPLACES_DATABASE = "Changing it replaces the database";

/** Enhanced Monitoring intervals RDS accepts, seconds (0, which turns it off, is not offered). */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;

/** Vault Lock modes: `compliance` cannot be removed once its grace period ends, not even by root. */
export const VAULT_LOCK_MODES = ["compliance", "governance", "none"] as const;

/** Where a DR rebuild's database starts from (runbook 3.9). */
export const RESTORE_MODES = ["none", "replicatedBackup", "snapshot"] as const;

/** AWS Backup's schedule syntax: a six-field cron in UTC, `cron(0 5 * * ? *)`, each field as AWS reads it (settings/cron.ts). */
const backupCron = z.string().superRefine((v, ctx) => {
    const parsed = parseAwsCron(v);
    if ("error" in parsed) ctx.addIssue({ code: "custom", input: v, message: `an AWS cron expression with six fields such as cron(0 5 * * ? *): ${parsed.error}` });
});

/**
 * How long before an RDS instance's maintenance window and automated backup window AWS Backup
 * cannot start a backup of it, in minutes (AWS Backup Developer Guide, "Backup plan options and
 * configuration", https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html:
 * it cannot start a backup of an RDS database one hour before or during either window; Aurora is
 * exempt, FSx has four hours).
 */
export const RDS_BACKUP_LEAD_MINUTES = 60;

export const databaseSchema = z
    .strictObject({
        engineVersion: z
            .string()
            .regex(/^\d+\.\d+$/, "a pinned PostgreSQL major.minor version such as 16.4")
            .meta({ description: "PostgreSQL engine version, pinned." }),
        instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.r6g.large").meta({
            description: "RDS instance class. Changing it modifies the instance in place during the maintenance window.",
        }),
        allocatedStorageGiB: z.number().int().min(20).max(65536).meta({ description: "Initial gp3 storage in GiB." }),
        maxAllocatedStorageGiB: z.number().int().min(20).max(65536).meta({ description: "Storage autoscaling ceiling in GiB." }),
        multiAz: z.boolean().meta({ description: "Multi-AZ standby. Production requires it unless `multiAzWaiver` says why not." }),
        multiAzWaiver: z
            .string()
            .min(10)
            .optional()
            .meta({ description: "Reason production runs without Multi-AZ (at least 10 characters); required to turn it off there." }),
        backupRetentionDays: z.number().int().min(1).max(35).meta({ description: "Automated backup retention (runbook 3.9: 30 in production)." }),
        backupWindow: dailyWindow.meta({ description: "Daily automated backup window, UTC." }),
        maintenanceWindow: weeklyWindow.meta({
            description: "Weekly maintenance window, UTC; must not overlap the backup window (runbook 4.3), and AWS Backup's start windows (backup.schedule) must clear it and the hour before it.",
        }),
        name: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,62}$/, "a PostgreSQL identifier: a lower-case letter, then letters, digits or underscores (at most 63)")
            .meta({ description: `Database created in the instance, the path of DATABASE_URL. ${REPLACES_DATABASE}.` }),
        username: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,62}$/, "a PostgreSQL role name: a lower-case letter, then letters, digits or underscores")
            .refine((u) => !["postgres", "rdsadmin", "admin", "rdsrepladmin"].includes(u), "a name RDS does not reserve (not postgres, rdsadmin, admin)")
            .meta({ description: `Master user name (DATABASE_URL's user). ${REPLACES_DATABASE}.` }),
        slowStatementMs: z
            .number()
            .int()
            .min(0)
            .max(3_600_000)
            .meta({ description: "Statements slower than this are logged (log_min_duration_statement), in milliseconds; 0 logs every statement." }),
        performanceInsightsRetentionDays: z
            .number()
            .int()
            .refine((d) => d === 7 || (d % 31 === 0 && d >= 31 && d <= 713) || d === 731, "7 (free), a multiple of 31 up to 713, or 731")
            .meta({ description: "Performance Insights retention in days (7 is the free tier)." }),
        monitoringIntervalSeconds: z
            .number()
            .refine((n) => (MONITORING_INTERVALS as readonly number[]).includes(n), `one of ${MONITORING_INTERVALS.join(", ")}`)
            .meta({ description: "Enhanced Monitoring granularity in seconds." }),
    })
    .meta({ description: "PostgreSQL on RDS (staging and production; dev and pr-<N> run PostgreSQL in the cluster)." });

export const cacheSchema = z
    .strictObject({
        engineVersion: z
            .string()
            .regex(/^\d+\.\d+$/, "a pinned Redis major.minor version such as 7.1")
            .meta({ description: "Redis engine version on ElastiCache, pinned (major.minor; AWS applies patch releases)." }),
        nodeType: z
            .string()
            .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.r7g.large")
            .meta({ description: "ElastiCache node type. Changing it resizes the group online." }),
        nodes: z
            .number()
            .int()
            .min(1)
            .max(6)
            .meta({ description: "Nodes in the replication group: one primary and nodes-1 replicas. Automatic failover needs 2 or more." }),
        multiAz: z.boolean().meta({ description: "Automatic failover and Multi-AZ placement. Production requires it." }),
        snapshotRetentionDays: z.number().int().min(0).max(35).meta({ description: "Daily snapshots kept, in days (0: none)." }),
        snapshotWindow: dailyWindow.meta({ description: "Daily snapshot window, UTC." }),
        maintenanceWindow: weeklyWindow.meta({ description: "Weekly maintenance window, UTC; must not overlap the snapshot window." }),
        authTokenVersion: z
            .number()
            .int()
            .min(1)
            .meta({ description: "Bump to rotate the Redis AUTH token (docs/data.md, \"Rotating the Redis AUTH token\")." }),
        authTokenUpdateStrategy: z.enum(["ROTATE", "SET"]).meta({
            description: "`ROTATE`: a new token is added and the old one still accepted. `SET`: only the current token is accepted (the second step of a rotation).",
        }),
    })
    .meta({ description: "Redis on ElastiCache (staging and production; dev and pr-<N> run Redis in the cluster)." });

export const filesSchema = z
    .strictObject({
        noncurrentVersionExpirationDays: z
            .number()
            .int()
            .min(1)
            .max(3650)
            .meta({ description: "Days a replaced or deleted object's old version is kept before it expires (runbook 3.9 lifecycle policy)." }),
        abortIncompleteUploadDays: z.number().int().min(1).max(30).meta({ description: "Days after which an unfinished multipart upload is aborted." }),
        replicateToDr: z.boolean().meta({ description: "Replicate every object to a bucket in the DR region." }),
    })
    .meta({ description: "The files bucket (runbook 3.9: versioning and a lifecycle policy)." });

export const backupSchema = z
    .strictObject({
        schedule: backupCron.meta({
            description:
                "When the daily AWS Backup job starts, UTC (runbook 3.9: daily). Every start window must clear database.maintenanceWindow, database.backupWindow and the hour before each: AWS Backup cannot start an RDS backup then.",
        }),
        retentionDays: z.number().int().min(1).max(36500).meta({ description: "Days each recovery point is kept, in both regions (runbook 3.9: 30)." }),
        startWindowMinutes: z.number().int().min(60).max(720).meta({ description: "Minutes a scheduled job may wait to start before it counts as missed." }),
        completionWindowMinutes: z.number().int().min(120).max(10080).meta({ description: "Minutes a job may run before AWS Backup cancels it." }),
        copyToDr: z.boolean().meta({ description: "Copy every recovery point to the DR-region vault." }),
        vaultLock: z.enum(VAULT_LOCK_MODES).meta({
            description:
                "Vault Lock on both vaults. `compliance`: after the grace period nobody, root included, can delete recovery points early or remove the lock. `governance`: privileged IAM users can. `none`: no lock.",
        }),
        vaultLockChangeableForDays: z
            .number()
            .int()
            .min(3)
            .max(36500)
            .meta({ description: "Grace period of a compliance lock, days (at least 3): until it ends the lock can still be removed." }),
        replicateAutomatedBackups: z.boolean().meta({
            description: "Replicate RDS automated backups (snapshots and transaction logs) to the DR region: point-in-time restore there, RPO of minutes.",
        }),
        replicatedRetentionDays: z.number().int().min(1).max(35).meta({ description: "Retention of the replicated automated backups in the DR region, days." }),
        restoreTesting: z
            .strictObject({
                enabled: z.boolean().meta({ description: "Run the weekly restore test (runbook 4.1 backup verification)." }),
                schedule: backupCron.meta({ description: "When the restore test runs, UTC (weekly)." }),
                validationWindowHours: z
                    .number()
                    .int()
                    .min(0)
                    .max(168)
                    .meta({ description: "Hours the restored test database is kept for validation before AWS Backup deletes it." }),
            })
            .meta({ description: "AWS Backup restore testing of the database's latest recovery point." }),
    })
    .meta({ description: "AWS Backup: vaults in both regions, the daily plan, copies to the DR region, restore testing." });

export const restoreSchema = z
    .strictObject({
        mode: z.enum(RESTORE_MODES).meta({
            description: `Where a new database starts from. \`none\`: empty. \`replicatedBackup\`: the latest restorable time of the automated backups replicated to this region (DR rebuild, runbook 3.9). \`snapshot\`: a named snapshot or AWS Backup recovery point. Read only when the instance is created: later changes are ignored, so they never replace a running database.`,
        }),
        sourceAutomatedBackupsArn: z
            .string()
            .regex(/^arn:aws(-[a-z]+)*:rds:[a-z0-9-]+:\d{12}:auto-backup:ab-[a-z0-9]+$/, "an automated backups ARN such as arn:aws:rds:us-west-2:123456789012:auto-backup:ab-abc123")
            .optional()
            .meta({
                description:
                    "ARN of the replicated automated backups (mode replicatedBackup): the production stack's `databaseDrAutomatedBackupsArn` output, or `aws rds describe-db-instance-automated-backups --region <drRegion>`.",
                // They exist only once the primary has run: a checkout plans the rebuild with the example account's.
                planStandIn: {
                    value: ({ region }: { region: string }) => `arn:aws:rds:${region}:123456789012:auto-backup:ab-planstandin`,
                    realRun:
                        'the ARN of the primary\'s automated backups replicated to this region: arn="$(./scripts/restore_database.sh --dr-arn)" && export OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN="$arn" (docs/disaster-recovery.md, step 2)',
                },
            }),
        restoreTime: z
            .iso.datetime()
            .optional()
            .meta({ description: "Point in time, UTC ISO 8601 (mode replicatedBackup); unset: the latest restorable time." }),
        snapshotIdentifier: z
            .string()
            .regex(/^(arn:aws(-[a-z]+)*:rds:[a-z0-9-]+:\d{12}:snapshot:[A-Za-z0-9:-]+|[a-z][a-z0-9-]{0,254})$/, "a DB snapshot identifier or ARN (an AWS Backup recovery point of RDS is a snapshot ARN)")
            .optional()
            .meta({ description: "Snapshot name or ARN to start from (mode snapshot): an RDS snapshot or an AWS Backup recovery point of the database." }),
    })
    .meta({ description: "DR rebuild: where the database starts from (docs/disaster-recovery.md)." });

interface RuleContext {
    addIssue(issue: { code: "custom"; path: (string | number)[]; input: unknown; message: string }): void;
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
}

/**
 * Cross-field rules of the data layer. Like the schema's other rules they run even when some
 * fields are invalid, so each checks the types of what it reads.
 */
export function dataRules(s: Record<string, unknown>, ctx: RuleContext): void {
    databaseRules(s, ctx);
    const production = s["environment"] === "production";
    const db = obj(s["database"]);
    const cache = obj(s["cache"]);
    if (cache) {
        if (cache["multiAz"] === true && typeof cache["nodes"] === "number" && cache["nodes"] < 2) {
            ctx.addIssue({ code: "custom", path: ["cache", "nodes"], input: cache["nodes"], message: "2 or more while cache.multiAz is true (failover needs a replica)" });
        }
        if (production && cache["multiAz"] === false) {
            ctx.addIssue({ code: "custom", path: ["cache", "multiAz"], input: false, message: "true in production (automatic failover)" });
        }
        if (typeof cache["snapshotWindow"] === "string" && typeof cache["maintenanceWindow"] === "string") {
            const shared = windowsOverlap(cache["snapshotWindow"], cache["maintenanceWindow"]);
            if (shared) {
                ctx.addIssue({
                    code: "custom",
                    path: ["cache", "maintenanceWindow"],
                    input: cache["maintenanceWindow"],
                    message: `a window that does not overlap the daily snapshot window ${cache["snapshotWindow"]} (they share ${shared})`,
                });
            }
        }
    }
    const backup = obj(s["backup"]);
    if (backup) {
        if (typeof backup["startWindowMinutes"] === "number" && typeof backup["completionWindowMinutes"] === "number" && backup["completionWindowMinutes"] < backup["startWindowMinutes"] + 60) {
            ctx.addIssue({
                code: "custom",
                path: ["backup", "completionWindowMinutes"],
                input: backup["completionWindowMinutes"],
                message: `at least backup.startWindowMinutes + 60 (${backup["startWindowMinutes"] + 60}), as AWS Backup requires`,
            });
        }
        if (db) backupStartRule(backup, db, ctx);
        if (production && typeof backup["retentionDays"] === "number" && backup["retentionDays"] < 30) {
            ctx.addIssue({ code: "custom", path: ["backup", "retentionDays"], input: backup["retentionDays"], message: "30 or more in production (runbook 3.9)" });
        }
        // A DR rebuild (dr.rebuildOf) copies nothing while its DR region is the failed one (drSchema.ts).
        if (production && backup["copyToDr"] === false && obj(s["dr"])?.["rebuildOf"] === undefined) {
            ctx.addIssue({ code: "custom", path: ["backup", "copyToDr"], input: false, message: "true in production (a regional outage must not take the backups with it)" });
        }
    }
    if (production && db && typeof db["backupRetentionDays"] === "number" && db["backupRetentionDays"] < 30) {
        ctx.addIssue({ code: "custom", path: ["database", "backupRetentionDays"], input: db["backupRetentionDays"], message: "30 or more in production (runbook 3.9)" });
    }
    const restore = obj(s["restore"]);
    if (restore) {
        const mode = restore["mode"];
        const need = (field: string, forMode: string): void => {
            if (mode === forMode && restore[field] === undefined) {
                ctx.addIssue({ code: "custom", path: ["restore", field], input: undefined, message: `a value, since restore.mode is ${forMode}` });
            }
            if (mode !== forMode && restore[field] !== undefined) {
                ctx.addIssue({ code: "custom", path: ["restore", field], input: restore[field], message: `no value while restore.mode is ${String(mode)} (remove it, or set mode ${forMode})` });
            }
        };
        if (mode === "replicatedBackup" && restore["sourceAutomatedBackupsArn"] === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["restore", "sourceAutomatedBackupsArn"],
                input: undefined,
                message:
                    "a value, since restore.mode is replicatedBackup: the ARN of the primary's automated backups replicated to this region (`./scripts/restore_database.sh --dr-arn` prints it; docs/disaster-recovery.md)",
            });
        } else {
            need("sourceAutomatedBackupsArn", "replicatedBackup");
        }
        need("snapshotIdentifier", "snapshot");
        if (mode !== "replicatedBackup" && restore["restoreTime"] !== undefined) {
            ctx.addIssue({ code: "custom", path: ["restore", "restoreTime"], input: restore["restoreTime"], message: "no value unless restore.mode is replicatedBackup" });
        }
        const arn = restore["sourceAutomatedBackupsArn"];
        // Against a region code only: a region that is not one is a problem of its own key, and is not echoed here.
        if (typeof arn === "string" && typeof s["region"] === "string" && /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(s["region"]) && arn.split(":")[3] !== s["region"]) {
            ctx.addIssue({
                code: "custom",
                path: ["restore", "sourceAutomatedBackupsArn"],
                input: arn,
                message: `automated backups in this stack's region ${s["region"]} (RDS restores a point in time only from backups in its own region)`,
            });
        }
    }
}

/** The managed database's own rules: storage, windows, Multi-AZ in production. */
function databaseRules(s: Record<string, unknown>, ctx: RuleContext): void {
    const db = obj(s["database"]);
    if (!db) return;
    if (typeof db["maxAllocatedStorageGiB"] === "number" && typeof db["allocatedStorageGiB"] === "number" && db["maxAllocatedStorageGiB"] < db["allocatedStorageGiB"]) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "maxAllocatedStorageGiB"],
            input: db["maxAllocatedStorageGiB"],
            message: `a ceiling at or above database.allocatedStorageGiB (${db["allocatedStorageGiB"]})`,
        });
    }
    const overlap =
        typeof db["backupWindow"] === "string" && typeof db["maintenanceWindow"] === "string" ? windowsOverlap(db["backupWindow"], db["maintenanceWindow"]) : undefined;
    if (overlap) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "maintenanceWindow"],
            input: db["maintenanceWindow"],
            message: `a window that does not overlap the daily backup window ${String(db["backupWindow"])} (they share ${overlap})`,
        });
    }
    if (s["environment"] === "production" && db["multiAz"] === false && db["multiAzWaiver"] === undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "multiAz"],
            input: false,
            message: "true in production, or false together with database.multiAzWaiver giving the reason",
        });
    }
}

/**
 * AWS Backup's daily job must be able to start at any moment of its start window: a job that may
 * only start in the hour before or during the database's maintenance window or automated backup
 * window fails (every Sunday's recovery point and DR copy, with production's old defaults). The
 * schedule's start windows are checked against both windows, an hour wider at the front.
 */
function backupStartRule(backup: Record<string, unknown>, db: Record<string, unknown>, ctx: RuleContext): void {
    const schedule = backup["schedule"];
    const startWindow = backup["startWindowMinutes"];
    if (typeof schedule !== "string" || typeof startWindow !== "number") return;
    const parsed = parseAwsCron(schedule);
    if ("error" in parsed) return;
    const windows = (["maintenanceWindow", "backupWindow"] as const)
        .map((k) => ({ key: k, value: db[k], intervals: typeof db[k] === "string" ? windowIntervals(db[k]) : undefined }))
        .filter((w): w is { key: "maintenanceWindow" | "backupWindow"; value: string; intervals: Array<[number, number]> } => w.intervals !== undefined);
    const clashes = windows.flatMap((w) => {
        const clash = firstStartClash(parsed.startsOfWeek, startWindow, w.intervals, RDS_BACKUP_LEAD_MINUTES);
        return clash ? [{ ...w, clash }] : [];
    });
    const first = clashes[0];
    if (!first) return;
    const all = windows.flatMap((w) => w.intervals);
    // The first whole hour from the scheduled one on whose daily jobs every window leaves room.
    const fromHour = Math.floor((first.clash.start % 1440) / 60);
    const clearHour = Array.from({ length: 24 }, (_, i) => (fromHour + i) % 24).find((h) => !firstStartClash(Array.from({ length: 7 }, (_, d) => d * 1440 + h * 60), startWindow, all, RDS_BACKUP_LEAD_MINUTES));
    const named = windows.map((w) => `database.${w.key} ${w.value}`).join(" and ");
    const { start, from, to } = first.clash;
    ctx.addIssue({
        code: "custom",
        path: ["backup", "schedule"],
        input: schedule,
        message:
            `a schedule whose every start window (backup.startWindowMinutes ${startWindow}) lies outside ${named} and the hour before each: ` +
            `AWS Backup cannot start an RDS backup one hour before or during either (AWS Backup Developer Guide, "Backup plan options and configuration"). ` +
            `The job of ${formatWeekMinute(start)}, which may start until ${formatWeekMinute((start + startWindow) % MINUTES_PER_WEEK)}, meets database.${first.key} or the hour before it at ${formatWeekMinute(from)}-${formatWeekMinute(to)}` +
            (clearHour === undefined ? "; no daily start hour is clear: move database.maintenanceWindow or database.backupWindow" : `; cron(0 ${clearHour} * * ? *) would be clear, or move database.${first.key}`),
    });
}
