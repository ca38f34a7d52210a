/**
 * The pure parts of the backup layer: names AWS Backup accepts, and the event pattern of the
 * jobs that must reach a person.
 */

/** Restore testing plan and selection names: letters, digits and underscores, at most 50. */
export function restoreTestingName(prefix: string, suffix: string): string {
    const name = `${prefix}_${suffix}`.replace(/[^A-Za-z0-9_]/g, "_");
    if (name.length > 50) throw new Error(`A restore testing name has at most 50 characters. Got ${name} (${name.length}).`);
    return name;
}

/** The tag that puts a resource into the daily backup plan's selection. */
export const BACKUP_TAG_KEY = "backup-plan";

/** Job states that mean a backup, a copy to the DR region or a restore (test) did not happen. */
export const FAILED_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;

/**
 * The EventBridge pattern of failed backup, copy and restore jobs (restore tests included) of
 * this account and region. A restore test whose validation fails is reported by its restore job
 * too (`validationStatus`).
 */
export function failedJobsPattern(): Record<string, unknown> {
    return {
        source: ["aws.backup"],
        "detail-type": ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"],
        detail: { $or: [{ state: [...FAILED_JOB_STATES] }, { status: [...FAILED_JOB_STATES] }, { validationStatus: ["FAILED", "TIMED_OUT"] }] },
    };
}

/**
 * The EventBridge pattern of the restore jobs to validate: completed RDS restores created by one
 * restore testing plan (the event's `restoreTestingPlanArn`), in this account and region.
 */
export function restoreValidationPattern(restoreTestingPlanArn: string): Record<string, unknown> {
    return {
        source: ["aws.backup"],
        "detail-type": ["Restore Job State Change"],
        detail: { status: ["COMPLETED"], resourceType: ["RDS"], restoreTestingPlanArn: [restoreTestingPlanArn] },
    };
}
