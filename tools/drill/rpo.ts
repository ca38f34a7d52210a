/**
 * The RPO a drill actually achieved. The drill starts at the moment it stands for the outage; the
 * data it gets back is what the DR region could restore at that moment: the replicated automated
 * backups' latest restorable time, read then, which the drill also pins as the restore's point in
 * time (so the restored instance holds exactly that). Everything written between that time and
 * the drill's start is what a real outage at that moment would have lost.
 */

/** The runbook's objective (3.9): 15 minutes. */
export const RPO_OBJECTIVE_SECONDS = 15 * 60;

export interface RpoResult {
    /** The drill's start, ISO 8601 UTC. */
    drillStartedAt: string;
    /** The source's latest restorable time read at the drill's start, ISO 8601 UTC. */
    latestRestorableTime: string;
    /** Seconds of writes that would be lost: drill start minus latest restorable time (0 if the restore point is ahead). */
    rpoSeconds: number;
    objectiveSeconds: number;
    met: boolean;
}

/** Thrown when the time AWS gave cannot be read: the drill cannot tell its RPO. */
export class RpoInputError extends Error {}

/** Reads an AWS CLI timestamp: ISO 8601 with or without fraction and offset, or epoch seconds (CLI v1). */
export function parseAwsTime(value: unknown): Date {
    if (typeof value === "number" && Number.isFinite(value)) return new Date(value * 1000);
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) {
        const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
        const d = new Date(withZone);
        if (!Number.isNaN(d.getTime())) return d;
    }
    throw new RpoInputError(`not a timestamp AWS prints: ${JSON.stringify(value)}`);
}

/** The RPO of a drill that started at `drillStart`, the source restorable up to `latestRestorable`. */
export function achievedRpo(drillStart: Date, latestRestorable: Date, objectiveSeconds = RPO_OBJECTIVE_SECONDS): RpoResult {
    const lost = Math.max(0, Math.round((drillStart.getTime() - latestRestorable.getTime()) / 1000));
    return {
        drillStartedAt: drillStart.toISOString(),
        latestRestorableTime: latestRestorable.toISOString(),
        rpoSeconds: lost,
        objectiveSeconds,
        met: lost <= objectiveSeconds,
    };
}

/** The replicated automated backups the DR region holds of one instance, as `describe-db-instance-automated-backups` lists them. */
interface AutomatedBackup {
    DBInstanceIdentifier?: string;
    DBInstanceAutomatedBackupsArn?: string;
    Region?: string;
    Status?: string;
    RestoreWindow?: { LatestTime?: unknown };
}

/** The source a drill restores from: the replicated automated backups of the primary instance. */
export interface RestoreSource {
    arn: string;
    status: string;
    latestRestorableTime: Date;
}

/**
 * Picks the primary's replicated automated backups in the DR region from
 * `aws rds describe-db-instance-automated-backups --region <dr>` (the same choice as
 * `scripts/restore_database.sh --dr-arn`: the instance's identifier, replicated from another
 * region, one still replicating preferred, the latest restorable time last). Throws saying why
 * when there is none to restore from.
 */
export function pickRestoreSource(listing: unknown, identifier: string, drRegion: string): RestoreSource {
    const all = ((listing as { DBInstanceAutomatedBackups?: AutomatedBackup[] } | null)?.DBInstanceAutomatedBackups ?? []).filter(
        (b) => b.DBInstanceIdentifier === identifier && b.Region !== drRegion && (b.DBInstanceAutomatedBackupsArn ?? "") !== "",
    );
    const live = all.filter((b) => b.Status === "replicating");
    const pool = live.length > 0 ? live : all;
    const withTime = pool.filter((b) => b.RestoreWindow?.LatestTime !== undefined && b.RestoreWindow.LatestTime !== null);
    if (all.length === 0) {
        throw new RpoInputError(`no automated backups of ${identifier} replicated to ${drRegion}: is backup.replicateAutomatedBackups on in production? (./scripts/verify_backups.sh --stack production checks it)`);
    }
    if (withTime.length === 0) throw new RpoInputError(`the automated backups of ${identifier} in ${drRegion} have no restorable time yet (status ${pool[0]!.Status ?? "unknown"})`);
    const chosen = withTime.map((b) => ({ b, t: parseAwsTime(b.RestoreWindow!.LatestTime) })).sort((x, y) => x.t.getTime() - y.t.getTime()).pop()!;
    return { arn: chosen.b.DBInstanceAutomatedBackupsArn!, status: chosen.b.Status ?? "unknown", latestRestorableTime: chosen.t };
}
