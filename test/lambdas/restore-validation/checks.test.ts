import { CheckSession, errorText, runChecks } from "../../../lambdas/restore-validation/checks";

/** The checks over a session that answers each statement with the rows a test gives. */

function session(answers: { ok?: unknown[]; ssl?: unknown[]; tables?: unknown[]; count?: unknown[] }): CheckSession & { statements: string[] } {
    const statements: string[] = [];
    return {
        statements,
        escapeIdentifier: (n) => `"${n}"`,
        end: async () => undefined,
        query: async (sql) => {
            statements.push(sql);
            if (sql === "SELECT 1 AS ok") return { rows: (answers.ok ?? [{ ok: 1 }]) as Record<string, unknown>[] };
            if (sql.startsWith("SELECT ssl FROM pg_stat_ssl")) return { rows: (answers.ssl ?? [{ ssl: true }]) as Record<string, unknown>[] };
            if (sql.includes("information_schema.tables")) return { rows: (answers.tables ?? [{ tables: 3 }]) as Record<string, unknown>[] };
            if (sql.startsWith("SELECT count(*)::bigint AS n FROM")) return { rows: (answers.count ?? [{ n: "10" }]) as Record<string, unknown>[] };
            throw new Error(`unexpected ${sql}`);
        },
    };
}

const PASSED = [
    { name: "answers a query", ok: true, detail: "SELECT 1" },
    { name: "the session is encrypted", ok: true, detail: "TLS" },
    { name: "has the app's tables", ok: true, detail: "3 tables in schema public" },
];

describe("runChecks", () => {
    it("runs every check in order, the row count last and only with a threshold, which a count equal to it meets", async () => {
        expect(await runChecks(session({}), { schema: "public" })).toEqual(PASSED);
        const db = session({});
        expect(await runChecks(db, { schema: "public", minRows: { table: "users", rows: 10 } })).toEqual([...PASSED, { name: "users holds at least 10 rows", ok: true, detail: "10 rows in public.users" }]);
        expect(db.statements.at(-1)).toBe('SELECT count(*)::bigint AS n FROM "public"."users"');
        expect((await runChecks(session({}), { schema: "public", minRows: { table: "users", rows: 11 } })).at(-1)).toEqual({ name: "users holds at least 11 rows", ok: false, detail: "10 rows in public.users" });
    });

    it("stops at the first failure: later checks assume the earlier ones", async () => {
        const db = session({ ok: [{ ok: 0 }] });
        expect(await runChecks(db, { schema: "public" })).toEqual([{ name: "answers a query", ok: false, detail: "SELECT 1" }]);
        expect(db.statements).toEqual(["SELECT 1 AS ok"]);
    });

    it("reads a missing row as a failed check with its usual detail, not an error", async () => {
        expect(await runChecks(session({ ok: [] }), { schema: "public" })).toEqual([{ name: "answers a query", ok: false, detail: "SELECT 1" }]);
        expect((await runChecks(session({ ssl: [] }), { schema: "public" })).at(-1)).toEqual({ name: "the session is encrypted", ok: false, detail: "no TLS" });
        expect((await runChecks(session({ ssl: [{ ssl: false }] }), { schema: "public" })).at(-1)).toEqual({ name: "the session is encrypted", ok: false, detail: "no TLS" });
        expect((await runChecks(session({ tables: [] }), { schema: "app" })).at(-1)).toEqual({ name: "has the app's tables", ok: false, detail: "0 tables in schema app" });
        expect((await runChecks(session({ count: [] }), { schema: "public", minRows: { table: "users", rows: 1 } })).at(-1)).toEqual({ name: "users holds at least 1 rows", ok: false, detail: "0 rows in public.users" });
    });
});

describe("errorText", () => {
    it("gives an error's message, and anything else as a string", () => {
        expect(errorText(new Error("boom"))).toBe("boom");
        expect(errorText("plain")).toBe("plain");
        expect(errorText(42)).toBe("42");
    });
});
