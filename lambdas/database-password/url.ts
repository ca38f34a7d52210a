import type { DbParams } from "../shared/postgres";

/**
 * DATABASE_URL handling for the password rotation: `postgresql://user:password@host:port/db?...`.
 *
 * Alternating users: the app role (created by the bootstrap, lambdas/database-bootstrap) and its
 * clone `<role>_clone` take turns. A rotation sets a new password on the role the app is *not*
 * using, and the new DATABASE_URL names that role; the role in use keeps its password. So pods
 * that have not yet picked up the new DATABASE_URL keep connecting, and a rotation that fails
 * midway breaks nothing.
 */

export type { DbParams };

export const CLONE_SUFFIX = "_clone";

/** Longest PostgreSQL identifier (NAMEDATALEN - 1). */
const MAX_IDENTIFIER = 63;

/**
 * Whether a name can be the app role: lower case letters, digits and `_`, starting with a letter
 * or `_`, short enough that its clone's name fits PostgreSQL's 63 bytes.
 */
export function isAppRoleName(name: string): boolean {
    return /^[a-z_][a-z0-9_]*$/.test(name) && name.length + CLONE_SUFFIX.length <= MAX_IDENTIFIER && !name.endsWith(CLONE_SUFFIX);
}

/** Parses a DATABASE_URL; throws naming what is missing (never the value). */
export function parseDatabaseUrl(url: string): DbParams {
    let u: URL;
    try {
        u = new URL(url);
    } catch {
        throw new Error("DATABASE_URL is not a URL (postgresql://user:password@host:port/database).");
    }
    if (u.protocol !== "postgresql:" && u.protocol !== "postgres:") throw new Error(`DATABASE_URL has scheme ${u.protocol}, not postgresql:.`);
    // Stryker disable next-line Regex: a parsed URL's pathname always starts with "/", so the first "/" is the leading one
    const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
    const params = { host: u.hostname, port: u.port ? Number(u.port) : 5432, database, user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
    const missing = (["host", "database", "user", "password"] as const).filter((k) => params[k] === "");
    if (missing.length > 0) throw new Error(`DATABASE_URL has no ${missing.join(", ")}.`);
    return params;
}

/** The same URL with another user and password (host, database and query unchanged). */
export function withCredentials(url: string, user: string, password: string): string {
    const u = new URL(url);
    u.username = encodeURIComponent(user);
    u.password = encodeURIComponent(password);
    return u.toString();
}

/** The clone of an app role. */
export function cloneOf(appRole: string): string {
    return `${appRole}${CLONE_SUFFIX}`;
}

/** The app's own role, whose privileges the clone takes through membership. */
export function baseUser(user: string): string {
    return user.endsWith(CLONE_SUFFIX) ? user.slice(0, -CLONE_SUFFIX.length) : user;
}

/** The roles one rotation works with. */
export interface RotationRoles {
    /** The app role the bootstrap made (`APP_ROLE` of the function). */
    appRole: string;
    /** The RDS master user (from DATABASE_MASTER). */
    master: string;
}

/**
 * The login role the app uses after the next rotation: the other one of the pair. A DATABASE_URL
 * that still names the master user (a database from before the app role: docs/secrets.md,
 * "Moving an existing database to the app role") moves to the app role, and never back: the
 * master's password belongs to DATABASE_MASTER and is never changed here. Any other user is
 * refused: the rotation never sets the password of a role it does not own.
 */
export function alternateUser(current: string, roles: RotationRoles): string {
    const clone = cloneOf(roles.appRole);
    if (current === roles.master) return roles.appRole;
    if (current === roles.appRole) return clone;
    if (current === clone) return roles.appRole;
    throw new Error(
        `DATABASE_URL names the user ${current}, which is neither the app role ${roles.appRole}, its clone ${clone}, nor the master user: refusing to rotate a role this rotation does not own.`,
    );
}
