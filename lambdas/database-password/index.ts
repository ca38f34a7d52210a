import { GetRandomPasswordCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Client } from "pg";
import { RotationContext, RotationSteps, createPendingOnce, currentValue, getSecretString, pendingValue, rotationHandler } from "../shared/rotation";
import { DbParams, alternateUser, baseUser, parseDatabaseUrl, withCredentials } from "./url";

/**
 * Rotation of the database password (`<app>/<environment>/DATABASE_URL`) by alternating users
 * (see url.ts): the RDS master user, read from `MASTER_SECRET_ARN` (JSON with `username` and
 * `password`, as RDS writes it), creates the clone role on the first rotation and sets the
 * new password; the app's connection string never carries the master user.
 */

/** A connected database session: only what the rotation uses. */
export interface DbSession {
    query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    escapeIdentifier(name: string): string;
    escapeLiteral(value: string): string;
    end(): Promise<void>;
}

export type Connect = (params: DbParams) => Promise<DbSession>;

export interface DatabaseRotationDeps {
    /** Secret of the RDS master user: JSON `{"username", "password"}`. */
    masterSecretArn: string;
    connect: Connect;
}

/** Opens a session, runs `fn`, and always closes it. */
async function withSession<T>(connect: Connect, params: DbParams, fn: (db: DbSession) => Promise<T>): Promise<T> {
    const db = await connect(params);
    try {
        return await fn(db);
    } finally {
        await db.end();
    }
}

async function masterUser(ctx: RotationContext, deps: DatabaseRotationDeps): Promise<{ username: string; password: string }> {
    if (!deps.masterSecretArn) throw new Error("MASTER_SECRET_ARN is not set: the rotation needs the master user to set the clone's password.");
    const raw = await getSecretString(ctx.sm, deps.masterSecretArn, "AWSCURRENT");
    if (raw === undefined) throw new Error(`The master user secret ${deps.masterSecretArn} has no current value.`);
    const m = JSON.parse(raw) as { username?: unknown; password?: unknown };
    if (typeof m.username !== "string" || typeof m.password !== "string") throw new Error("The master user secret lacks username or password.");
    return { username: m.username, password: m.password };
}

/** The rotation steps, with the database connection injected (tests pass a fake). */
export function databaseSteps(deps: DatabaseRotationDeps): RotationSteps {
    return {
        async createSecret(ctx) {
            await createPendingOnce(ctx, async (current) => {
                const { user } = parseDatabaseUrl(current);
                const master = await masterUser(ctx, deps);
                const out = await ctx.sm.send(new GetRandomPasswordCommand({ PasswordLength: 32, ExcludePunctuation: true }));
                if (!out.RandomPassword) throw new Error("GetRandomPassword returned no password.");
                return withCredentials(current, alternateUser(user, master.username), out.RandomPassword);
            });
        },
        async setSecret(ctx) {
            const current = parseDatabaseUrl(await currentValue(ctx));
            const pending = parseDatabaseUrl(await pendingValue(ctx));
            if (pending.host !== current.host || pending.database !== current.database) {
                throw new Error("The pending DATABASE_URL names another host or database than the current one; refusing to set a password there.");
            }
            // Every statement is safe to repeat, so a retry after a failure anywhere in here
            // converges on the same roles (the pending password is fixed by createSecret).
            const master = await masterUser(ctx, deps);
            if (pending.user === master.username) {
                throw new Error("The pending DATABASE_URL names the master user; its password belongs to DATABASE_MASTER and is not rotated here.");
            }
            const base = baseUser(current.user);
            await withSession(deps.connect, { ...current, user: master.username, password: master.password }, async (db) => {
                const role = db.escapeIdentifier(pending.user);
                const password = db.escapeLiteral(pending.password);
                const exists = await db.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [pending.user]);
                if (exists.rows.length === 0) {
                    // The clone: a login role in the app role...
                    await db.query(`CREATE ROLE ${role} WITH LOGIN PASSWORD ${password} IN ROLE ${db.escapeIdentifier(base)}`);
                } else {
                    await db.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${password}`);
                }
                // ...acting as the app role, so that what it creates (migrations) belongs to the app role.
                if (pending.user !== base) await db.query(`ALTER ROLE ${role} SET role = ${db.escapeLiteral(base)}`);
            });
        },
        async testSecret(ctx) {
            const pending = parseDatabaseUrl(await pendingValue(ctx));
            await withSession(deps.connect, pending, async (db) => {
                const row = (await db.query("SELECT current_user AS login, session_user AS session")).rows[0];
                if (row?.["session"] !== pending.user) throw new Error("The pending DATABASE_URL logged in as another user than it names.");
                const base = baseUser(pending.user);
                if (row["login"] !== base) throw new Error(`The pending DATABASE_URL's user does not act as ${base}: objects it created would belong to another role.`);
            });
        },
    };
}

/** A pg session over TLS, verified against the RDS CA bundle the Lambda runtime ships. */
export const pgConnect: Connect = async (params) => {
    const client = new Client({ ...params, ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 5000, statement_timeout: 10000 });
    await client.connect();
    return {
        query: async (sql, values) => ({ rows: (await client.query(sql, values)).rows as Record<string, unknown>[] }),
        escapeIdentifier: (name) => client.escapeIdentifier(name),
        escapeLiteral: (value) => client.escapeLiteral(value),
        end: () => client.end(),
    };
};

export const handler = rotationHandler(
    new SecretsManagerClient({}),
    databaseSteps({ masterSecretArn: process.env["MASTER_SECRET_ARN"] ?? "", connect: pgConnect }),
);
