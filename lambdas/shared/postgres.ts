import { Client } from "pg";

/**
 * PostgreSQL sessions for the Lambdas that log in to the database (rotation, bootstrap, restore
 * validation): always over TLS with the server's certificate verified, chain and host name, the
 * way `sslmode=verify-full` does. In Lambda the RDS CA bundle comes from the runtime
 * (`NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem`, set on each function); tests pass their own CA.
 */

/** Where to log in. */
export interface DbParams {
    host: string;
    port: number;
    database: string;
    user: string;
    password: string;
}

/** A connected database session: only what the Lambdas use. */
export interface DbSession {
    query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    escapeIdentifier(name: string): string;
    escapeLiteral(value: string): string;
    end(): Promise<void>;
}

export type Connect = (params: DbParams) => Promise<DbSession>;

export interface ConnectorOptions {
    /**
     * PEM of the CA to trust instead of the default store (tests). Verification is never turned
     * off: there is no option for it.
     * @default - Node's trust store plus NODE_EXTRA_CA_CERTS (the RDS bundle in Lambda)
     */
    ca?: string;
    /** @default 5000 */
    connectionTimeoutMillis?: number;
    /** @default 10000 */
    statementTimeoutMillis?: number;
}

/** A `Connect` over verified TLS. */
export function pgConnector(options: ConnectorOptions = {}): Connect {
    return async (params) => {
        const client = new Client({
            ...params,
            ssl: { rejectUnauthorized: true, ...(options.ca ? { ca: options.ca } : {}) },
            connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
            statement_timeout: options.statementTimeoutMillis ?? 10000,
        });
        try {
            await client.connect();
        } catch (e) {
            await client.end().catch(() => undefined);
            throw e;
        }
        return {
            query: async (sql, values) => ({ rows: (await client.query(sql, values)).rows as Record<string, unknown>[] }),
            escapeIdentifier: (name) => client.escapeIdentifier(name),
            escapeLiteral: (value) => client.escapeLiteral(value),
            end: () => client.end(),
        };
    };
}

/** Opens a session, runs `fn`, and always closes it. */
export async function withSession<T>(connect: Connect, params: DbParams, fn: (db: DbSession) => Promise<T>): Promise<T> {
    const db = await connect(params);
    try {
        return await fn(db);
    } finally {
        await db.end().catch(() => undefined);
    }
}

/** Runs `fn` in one transaction: all of it, or (on any error) none of it. */
export async function inTransaction<T>(db: DbSession, fn: () => Promise<T>): Promise<T> {
    await db.query("BEGIN");
    try {
        const out = await fn();
        await db.query("COMMIT");
        return out;
    } catch (e) {
        await db.query("ROLLBACK").catch(() => undefined);
        throw e;
    }
}
