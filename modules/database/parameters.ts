/**
 * The PostgreSQL parameter group's contents and the engine version RDS is given. Pure, tested
 * alone.
 */

/** `16.4` → `16`. */
export function majorVersion(engineVersion: string): string {
    const major = engineVersion.split(".")[0];
    if (!major || !/^\d+$/.test(major)) throw new Error(`An engine version such as 16.4 is needed. Got ${engineVersion}.`);
    return major;
}

/** The parameter group family of a PostgreSQL version: `postgres16`. */
export function parameterFamily(engineVersion: string): string {
    return `postgres${majorVersion(engineVersion)}`;
}

/**
 * The `engineVersion` input RDS gets. With automatic minor upgrades on, only the major version:
 * RDS moves the minor version forward in the maintenance window, and the provider treats a major
 * prefix as satisfied by any minor of it. A full `16.4` would make the next `pulumi up` after an
 * automatic upgrade ask RDS to downgrade to 16.4, which it refuses.
 */
export function rdsEngineVersion(engineVersion: string, autoMinorVersionUpgrade: boolean): string {
    return autoMinorVersionUpgrade ? majorVersion(engineVersion) : engineVersion;
}

export interface DbParameter {
    name: string;
    value: string;
    applyMethod: "immediate" | "pending-reboot";
}

/**
 * Parameters: TLS required for every connection, slow statements logged, lock waits logged (the
 * usual cause of a slow statement that is not slow on its own).
 */
export function dbParameters(slowStatementMs: number): DbParameter[] {
    return [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        { name: "log_min_duration_statement", value: String(slowStatementMs), applyMethod: "immediate" },
        { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
    ];
}

/** The log types exported to CloudWatch Logs. */
export const EXPORTED_LOGS = ["postgresql", "upgrade"] as const;
