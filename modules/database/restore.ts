import type * as aws from "@pulumi/aws";

/**
 * Where a new database starts from. Pure, so the inputs each mode yields are tested alone.
 *
 * - `none`: an empty database.
 * - `replicatedBackup`: point-in-time restore from automated backups replicated to this region
 *   (the DR rebuild): the latest restorable time, or `restoreTime` when given.
 * - `snapshot`: an RDS snapshot, by name or ARN; an AWS Backup recovery point of an RDS instance
 *   is an RDS snapshot, so its ARN works here too.
 */
export type RestoreSource =
    | { mode: "none" }
    | { mode: "replicatedBackup"; sourceAutomatedBackupsArn: string; restoreTime?: string }
    | { mode: "snapshot"; snapshotIdentifier: string };

/** The RDS instance inputs a restore source sets. */
export interface RestoreInputs {
    snapshotIdentifier?: string;
    restoreToPointInTime?: aws.types.input.rds.InstanceRestoreToPointInTime;
}

/**
 * The inputs RDS reads only at creation. Both force a replacement if they change on an existing
 * instance, so the instance ignores later changes to them (`RESTORE_ONLY_INPUTS`).
 */
export const RESTORE_ONLY_INPUTS = ["snapshotIdentifier", "restoreToPointInTime"] as const;

export function restoreInputs(source: RestoreSource): RestoreInputs {
    switch (source.mode) {
        case "none":
            return {};
        case "replicatedBackup":
            return {
                restoreToPointInTime: {
                    sourceDbInstanceAutomatedBackupsArn: source.sourceAutomatedBackupsArn,
                    ...(source.restoreTime !== undefined ? { restoreTime: source.restoreTime } : { useLatestRestorableTime: true }),
                },
            };
        case "snapshot":
            return { snapshotIdentifier: source.snapshotIdentifier };
    }
}

/** The settings' `restore` section as a RestoreSource (the schema has checked the fields each mode needs). */
export function restoreSourceOf(restore: {
    mode: RestoreSource["mode"];
    sourceAutomatedBackupsArn?: string;
    restoreTime?: string;
    snapshotIdentifier?: string;
}): RestoreSource {
    switch (restore.mode) {
        case "none":
            return { mode: "none" };
        case "replicatedBackup":
            if (!restore.sourceAutomatedBackupsArn) throw new Error("restore.sourceAutomatedBackupsArn is required when restore.mode is replicatedBackup");
            return { mode: "replicatedBackup", sourceAutomatedBackupsArn: restore.sourceAutomatedBackupsArn, restoreTime: restore.restoreTime };
        case "snapshot":
            if (!restore.snapshotIdentifier) throw new Error("restore.snapshotIdentifier is required when restore.mode is snapshot");
            return { mode: "snapshot", snapshotIdentifier: restore.snapshotIdentifier };
    }
}
