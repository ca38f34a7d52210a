/**
 * DATABASE_URL handling for the password rotation: `postgresql://user:password@host:port/db?...`.
 *
 * Alternating users: the app's login role and its clone (`<role>_clone`) take turns. A rotation
 * sets a new password on the role the app is *not* using, and the new DATABASE_URL names that
 * role; the role in use keeps its password. So pods that have not yet picked up the new
 * DATABASE_URL keep connecting, and a rotation that fails midway breaks nothing.
 */

export const CLONE_SUFFIX = "_clone";

/** The connection parameters of a DATABASE_URL. */
export interface DbParams {
    host: string;
    port: number;
    database: string;
    user: string;
    password: string;
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

/** The app's own role, whose privileges the clones take through membership. */
export function baseUser(user: string): string {
    return user.replace(new RegExp(`${CLONE_SUFFIX}2?$`), "");
}

/**
 * The login role the app uses after the next rotation: the other one of the pair. When the app's
 * role is the master user itself (DATABASE_URL made with the master credentials), the app moves
 * off it for good and alternates between two clones: the master's password belongs to
 * DATABASE_MASTER and is never changed by this rotation.
 */
export function alternateUser(user: string, masterUser?: string): string {
    const base = baseUser(user);
    if (base !== masterUser) return user === base ? `${base}${CLONE_SUFFIX}` : base;
    return user === `${base}${CLONE_SUFFIX}` ? `${base}${CLONE_SUFFIX}2` : `${base}${CLONE_SUFFIX}`;
}
