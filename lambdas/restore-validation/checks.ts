/**
 * The checks a restored database must pass (runbook 4.1), the automated part of
 * scripts/verify_database.sh: pure over a session, so tests run them against a fake.
 */

/** A connected database session: only what the checks use. */
export interface CheckSession {
    query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    escapeIdentifier(name: string): string;
    end(): Promise<void>;
}

export interface CheckOptions {
    /** The schema the app's tables live in. */
    schema: string;
    /** A table that must hold at least `rows` rows, when set. */
    minRows?: { table: string; rows: number };
}

/** One check's outcome: `detail` says what was found, in words a person can act on. */
export interface CheckResult {
    name: string;
    ok: boolean;
    detail: string;
}

/** Runs every check in order and stops at the first failure (later checks assume earlier ones). */
export async function runChecks(db: CheckSession, options: CheckOptions): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const checks: Array<[string, () => Promise<[boolean, string]>]> = [
        [
            "answers a query",
            async () => {
                const rows = (await db.query("SELECT 1 AS ok")).rows;
                return [Number(rows[0]?.["ok"]) === 1, "SELECT 1"];
            },
        ],
        [
            "the session is encrypted",
            async () => {
                const rows = (await db.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows;
                return [rows[0]?.["ssl"] === true, rows[0]?.["ssl"] === true ? "TLS" : "no TLS"];
            },
        ],
        [
            "has the app's tables",
            async () => {
                const rows = (
                    await db.query("SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'", [
                        options.schema,
                    ])
                ).rows;
                const n = Number(rows[0]?.["tables"] ?? 0);
                return [n > 0, `${n} tables in schema ${options.schema}`];
            },
        ],
    ];
    const min = options.minRows;
    if (min) {
        checks.push([
            `${min.table} holds at least ${min.rows} rows`,
            async () => {
                const table = `${db.escapeIdentifier(options.schema)}.${db.escapeIdentifier(min.table)}`;
                const n = Number((await db.query(`SELECT count(*)::bigint AS n FROM ${table}`)).rows[0]?.["n"] ?? 0);
                return [n >= min.rows, `${n} rows in ${options.schema}.${min.table}`];
            },
        ]);
    }
    for (const [name, check] of checks) {
        let ok: boolean;
        let detail: string;
        try {
            [ok, detail] = await check();
        } catch (e) {
            [ok, detail] = [false, errorText(e)];
        }
        results.push({ name, ok, detail });
        if (!ok) break;
    }
    return results;
}

/** An error's message, never its stack (it goes into a validation message and the logs). */
export function errorText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
