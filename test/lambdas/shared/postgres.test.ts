import type { DbSession } from "../../../lambdas/shared/postgres";

/**
 * The sessions' settings and life cycle, with `pg`'s Client replaced by a recording fake: what the
 * connector asks for (verified TLS, timeouts) and that a session is always closed. What a real
 * server makes of them is tested in database.postgres.test.ts.
 */

interface FakeClient {
    config: Record<string, unknown>;
    calls: string[];
}

const clients: FakeClient[] = [];
const behaviour = { connectError: undefined as Error | undefined, endError: undefined as Error | undefined };

jest.mock("pg", () => ({
    Client: class {
        readonly record: FakeClient;
        constructor(config: Record<string, unknown>) {
            this.record = { config, calls: [] };
            clients.push(this.record);
        }
        async connect(): Promise<void> {
            this.record.calls.push("connect");
            if (behaviour.connectError) throw behaviour.connectError;
        }
        async query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
            this.record.calls.push(`query ${sql} ${JSON.stringify(values ?? null)}`);
            return { rows: [{ sql }] };
        }
        escapeIdentifier(name: string): string {
            return `I(${name})`;
        }
        escapeLiteral(value: string): string {
            return `L(${value})`;
        }
        async end(): Promise<void> {
            this.record.calls.push("end");
            if (behaviour.endError) throw behaviour.endError;
        }
    },
}));

// After the mock: the module under test imports the fake `pg`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inTransaction, pgConnector, withSession } = require("../../../lambdas/shared/postgres") as typeof import("../../../lambdas/shared/postgres");

const PARAMS = { host: "db.internal", port: 5432, database: "app", user: "myapp_app", password: "pw" };

beforeEach(() => {
    clients.length = 0;
    behaviour.connectError = undefined;
    behaviour.endError = undefined;
});

describe("pgConnector", () => {
    it("verifies the server's certificate with Node's trust store, with 5 s to connect and 10 s per statement by default", async () => {
        await pgConnector()(PARAMS);
        expect(clients.map((c) => c.config)).toEqual([{ ...PARAMS, ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 5000, statement_timeout: 10000 }]);
        expect(clients[0]!.calls).toEqual(["connect"]);
    });

    it("trusts the given CA, still verifying, and takes the given timeouts", async () => {
        await pgConnector({ ca: "PEM", connectionTimeoutMillis: 7000, statementTimeoutMillis: 60000 })(PARAMS);
        expect(clients.map((c) => c.config)).toEqual([{ ...PARAMS, ssl: { rejectUnauthorized: true, ca: "PEM" }, connectionTimeoutMillis: 7000, statement_timeout: 60000 }]);
    });

    it("gives a session that queries with parameters, escapes through pg and ends the client", async () => {
        const db = await pgConnector()(PARAMS);
        expect(await db.query("SELECT $1", [1])).toEqual({ rows: [{ sql: "SELECT $1" }] });
        expect(db.escapeIdentifier("a")).toBe("I(a)");
        expect(db.escapeLiteral("b")).toBe("L(b)");
        await db.end();
        expect(clients[0]!.calls).toEqual(["connect", 'query SELECT $1 [1]', "end"]);
    });

    it("closes the client when connecting fails, and throws the connection's error (not a failure to close)", async () => {
        const refused = new Error("password authentication failed");
        behaviour.connectError = refused;
        behaviour.endError = new Error("not connected");
        await expect(pgConnector()(PARAMS)).rejects.toBe(refused);
        expect(clients[0]!.calls).toEqual(["connect", "end"]);
    });
});

/** A session that records what it is asked, failing the queries `fail` names. */
function recordingSession(fail: { query?: string; end?: boolean } = {}): DbSession & { calls: string[] } {
    const calls: string[] = [];
    return {
        calls,
        query: async (sql) => {
            calls.push(sql);
            if (sql === fail.query) throw new Error(`${sql} failed`);
            return { rows: [] };
        },
        escapeIdentifier: (n) => n,
        escapeLiteral: (v) => v,
        end: async () => {
            calls.push("end");
            if (fail.end) throw new Error("end failed");
        },
    };
}

describe("withSession", () => {
    it("returns what the function returns and closes the session", async () => {
        const db = recordingSession();
        const seen: unknown[] = [];
        const out = await withSession(async (p) => (seen.push(p), db), PARAMS, async (s) => {
            await s.query("SELECT 1");
            return 42;
        });
        expect([out, seen, db.calls]).toEqual([42, [PARAMS], ["SELECT 1", "end"]]);
    });

    it("closes the session when the function throws, and throws the function's error", async () => {
        const db = recordingSession({ end: true });
        const e = new Error("boom");
        await expect(
            withSession(async () => db, PARAMS, async () => {
                throw e;
            }),
        ).rejects.toBe(e);
        expect(db.calls).toEqual(["end"]);
    });

    it("ignores a failure to close after a success", async () => {
        const db = recordingSession({ end: true });
        await expect(withSession(async () => db, PARAMS, async () => "ok")).resolves.toBe("ok");
    });
});

describe("inTransaction", () => {
    it("commits after the function, and returns its result", async () => {
        const db = recordingSession();
        const out = await inTransaction(db, async () => {
            await db.query("UPDATE t");
            return "done";
        });
        expect([out, db.calls]).toEqual(["done", ["BEGIN", "UPDATE t", "COMMIT"]]);
    });

    it("rolls back on any error and throws it, even when the rollback fails too", async () => {
        const db = recordingSession({ query: "ROLLBACK" });
        const e = new Error("constraint");
        await expect(
            inTransaction(db, async () => {
                await db.query("UPDATE t");
                throw e;
            }),
        ).rejects.toBe(e);
        expect(db.calls).toEqual(["BEGIN", "UPDATE t", "ROLLBACK"]);
    });

    it("rolls back when the commit fails", async () => {
        const db = recordingSession({ query: "COMMIT" });
        await expect(inTransaction(db, async () => 1)).rejects.toThrow("COMMIT failed");
        expect(db.calls).toEqual(["BEGIN", "COMMIT", "ROLLBACK"]);
    });
});
