import { RESTORE_ONLY_INPUTS, RestoreSource, restoreInputs, restoreSourceOf } from "../../../modules/database/restore";

const BACKUPS_ARN = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-abc123";
const RECOVERY_POINT = "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-1eb3b5e7-9eb0-435a-a80b-108b488b0d45";

describe("restoreInputs", () => {
    it("sets nothing for an empty database", () => {
        expect(restoreInputs({ mode: "none" })).toStrictEqual({});
    });

    it("restores replicated backups to the latest restorable time when no time is given", () => {
        expect(restoreInputs({ mode: "replicatedBackup", sourceAutomatedBackupsArn: BACKUPS_ARN })).toStrictEqual({
            restoreToPointInTime: { sourceDbInstanceAutomatedBackupsArn: BACKUPS_ARN, useLatestRestorableTime: true },
        });
    });

    // RDS refuses RestoreTime together with UseLatestRestorableTime (RestoreDBInstanceToPointInTime).
    it("restores to the given time, and then never asks for the latest one too", () => {
        expect(restoreInputs({ mode: "replicatedBackup", sourceAutomatedBackupsArn: BACKUPS_ARN, restoreTime: "2026-01-15T10:30:00Z" })).toStrictEqual({
            restoreToPointInTime: { sourceDbInstanceAutomatedBackupsArn: BACKUPS_ARN, restoreTime: "2026-01-15T10:30:00Z" },
        });
    });

    it.each([
        ["a named snapshot", "backup-20260115-1030"],
        ["an AWS Backup recovery point", RECOVERY_POINT],
    ])("starts from %s", (_what, snapshotIdentifier) => {
        expect(restoreInputs({ mode: "snapshot", snapshotIdentifier })).toStrictEqual({ snapshotIdentifier });
    });

    it("names exactly the inputs a restore sets as read only at creation", () => {
        const set = new Set<string>();
        const sources: RestoreSource[] = [
            { mode: "none" },
            { mode: "replicatedBackup", sourceAutomatedBackupsArn: BACKUPS_ARN },
            { mode: "snapshot", snapshotIdentifier: "s" },
        ];
        for (const source of sources) for (const key of Object.keys(restoreInputs(source))) set.add(key);
        expect([...set].sort()).toEqual([...RESTORE_ONLY_INPUTS].sort());
        expect(RESTORE_ONLY_INPUTS).toEqual(["snapshotIdentifier", "restoreToPointInTime"]);
    });
});

describe("restoreSourceOf", () => {
    it("reads an empty database, ignoring the other modes' fields", () => {
        expect(restoreSourceOf({ mode: "none", snapshotIdentifier: "left-over", sourceAutomatedBackupsArn: BACKUPS_ARN })).toStrictEqual({ mode: "none" });
    });

    it("reads replicated backups, with or without a time", () => {
        expect(restoreSourceOf({ mode: "replicatedBackup", sourceAutomatedBackupsArn: BACKUPS_ARN, restoreTime: "2026-01-15T10:30:00Z", snapshotIdentifier: "x" })).toStrictEqual({
            mode: "replicatedBackup",
            sourceAutomatedBackupsArn: BACKUPS_ARN,
            restoreTime: "2026-01-15T10:30:00Z",
        });
        expect(restoreSourceOf({ mode: "replicatedBackup", sourceAutomatedBackupsArn: BACKUPS_ARN })).toEqual({ mode: "replicatedBackup", sourceAutomatedBackupsArn: BACKUPS_ARN });
    });

    it("reads a snapshot, ignoring the other modes' fields", () => {
        expect(restoreSourceOf({ mode: "snapshot", snapshotIdentifier: RECOVERY_POINT, sourceAutomatedBackupsArn: BACKUPS_ARN })).toStrictEqual({
            mode: "snapshot",
            snapshotIdentifier: RECOVERY_POINT,
        });
    });

    it.each([
        ["replicatedBackup", "restore.sourceAutomatedBackupsArn is required when restore.mode is replicatedBackup"],
        ["snapshot", "restore.snapshotIdentifier is required when restore.mode is snapshot"],
    ] as const)("refuses %s without its field, naming it", (mode, message) => {
        expect(() => restoreSourceOf({ mode })).toThrow(new Error(message));
        expect(() => restoreSourceOf({ mode, sourceAutomatedBackupsArn: "", snapshotIdentifier: "" })).toThrow(new Error(message));
    });

    it("feeds restoreInputs: a settings section becomes the inputs of the instance", () => {
        expect(restoreInputs(restoreSourceOf({ mode: "replicatedBackup", sourceAutomatedBackupsArn: BACKUPS_ARN }))).toStrictEqual({
            restoreToPointInTime: { sourceDbInstanceAutomatedBackupsArn: BACKUPS_ARN, useLatestRestorableTime: true },
        });
    });
});
