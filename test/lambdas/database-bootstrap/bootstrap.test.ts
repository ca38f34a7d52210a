import { BootstrapInput, MIN_SERVER_VERSION_NUM, bootstrap, inputProblems } from "../../../lambdas/database-bootstrap/bootstrap";
import type { DbSession } from "../../../lambdas/shared/postgres";

/**
 * The bootstrap's statements, exactly, against a scripted session: what it reads decides what it
 * runs. database.postgres.test.ts runs the same against a real PostgreSQL 16 set up like RDS.
 */

interface Role {
    rolsuper?: boolean;
    rolreplication?: boolean;
    rolbypassrls?: boolean;
    administered?: boolean;
}

interface Server {
    version?: string;
    /** The session user; null: the server answers no row. */
    session?: string | null;
    roles?: Record<string, Role>;
    /** The schema's owner; absent: no such schema. */
    schemaOwner?: string;
    objects?: { kind: string; name: string }[];
}

/** A session that answers the bootstrap's reads from `server` and records every statement. */
function scripted(server: Server): DbSession & { statements: string[]; reads: unknown[][] } {
    const statements: string[] = [];
    const reads: unknown[][] = [];
    return {
        statements,
        reads,
        query: async (sql, params) => {
            const text = sql.replace(/\s+/g, " ").trim();
            if (text.startsWith("SELECT current_setting('server_version_num')")) return { rows: server.version === undefined ? [] : [{ v: server.version }] };
            if (text === "SELECT session_user AS u") return { rows: server.session === null ? [] : [{ u: server.session ?? "app_admin" }] };
            if (text.startsWith("SELECT r.rolsuper")) {
                reads.push(["role", ...(params ?? [])]);
                const r = server.roles?.[String(params?.[0])];
                return { rows: r ? [{ rolsuper: false, rolreplication: false, rolbypassrls: false, administered: true, ...r }] : [] };
            }
            if (text.startsWith("SELECT nspowner")) {
                reads.push(["schema", ...(params ?? [])]);
                return { rows: server.schemaOwner === undefined ? [] : [{ owner: server.schemaOwner }] };
            }
            if (text.startsWith("SELECT CASE c.relkind")) {
                reads.push(["objects", ...(params ?? [])]);
                return { rows: server.objects ?? [] };
            }
            statements.push(text);
            return { rows: [] };
        },
        escapeIdentifier: (n) => `"${n}"`,
        escapeLiteral: (v) => `'${v}'`,
        end: async () => undefined,
    };
}

const INPUT: BootstrapInput = { appRole: "myapp_app", master: "app_admin", database: "app" };
const FRESH: Server = { version: "160004", session: "app_admin" };
const ATTRS = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

describe("inputProblems", () => {
    it("accepts the program's input, with or without a schema and with the app role or its clone as the current login", () => {
        expect(inputProblems(INPUT)).toEqual([]);
        expect(inputProblems({ ...INPUT, schema: "app_data", currentLogin: { user: "myapp_app", password: "x" } })).toEqual([]);
        expect(inputProblems({ ...INPUT, currentLogin: { user: "myapp_app_clone", password: "x" } })).toEqual([]);
    });

    it("lists every problem at once", () => {
        expect(inputProblems({ appRole: "Bad-Name", master: "Bad-Name", database: "app", schema: "Public", currentLogin: { user: "someone", password: "x" } })).toEqual([
            'appRole "Bad-Name" is not a role name this program uses: lower-case letters, digits and _, at most 57 characters, not ending in _clone',
            "appRole is the master user Bad-Name: the app needs a role of its own",
            'schema "Public" is not a plain lower-case identifier',
            "the current login someone is neither the app role nor its clone: its password is not set here",
        ]);
    });

    it("checks the whole schema name, first character to last", () => {
        expect(inputProblems({ ...INPUT, schema: "1app" })).toEqual(['schema "1app" is not a plain lower-case identifier']);
        expect(inputProblems({ ...INPUT, schema: "app-1" })).toEqual(['schema "app-1" is not a plain lower-case identifier']);
        expect(inputProblems({ ...INPUT, schema: "_app_1" })).toEqual([]);
    });
});

describe("bootstrap, statement by statement", () => {
    it("on a new database: creates both roles without passwords, the clone in the app role, the schema owned by the app role", async () => {
        const db = scripted(FRESH);
        const report = await bootstrap(db, INPUT);
        expect(report).toEqual({ appRole: "myapp_app", clone: "myapp_app_clone", schema: "public", created: ["myapp_app", "myapp_app_clone"], adopted: [] });
        expect(db.statements).toEqual([
            "BEGIN",
            "SET LOCAL lock_timeout = '5s'",
            `CREATE ROLE "myapp_app" WITH ${ATTRS} PASSWORD NULL`,
            `CREATE ROLE "myapp_app_clone" WITH ${ATTRS} PASSWORD NULL IN ROLE "myapp_app"`,
            `ALTER ROLE "myapp_app_clone" SET role = 'myapp_app'`,
            `GRANT "myapp_app" TO "app_admin" WITH INHERIT TRUE, SET TRUE`,
            `GRANT CONNECT, TEMPORARY ON DATABASE "app" TO "myapp_app"`,
            `CREATE SCHEMA "public" AUTHORIZATION "myapp_app"`,
            "COMMIT",
        ]);
        expect(db.reads).toEqual([
            ["role", "myapp_app"],
            ["role", "myapp_app_clone"],
            ["schema", "public"],
            ["objects", "public", "app_admin"],
        ]);
    });

    it("on an existing database: tightens the roles it administers, hands over the schema and the master's objects, sets the current login's password", async () => {
        const db = scripted({
            ...FRESH,
            roles: { myapp_app: {}, myapp_app_clone: {} },
            schemaOwner: "app_admin",
            objects: [
                { kind: "TABLE", name: "app_data.users" },
                { kind: "MATERIALIZED VIEW", name: "app_data.stats" },
            ],
        });
        const report = await bootstrap(db, { ...INPUT, schema: "app_data", currentLogin: { user: "myapp_app_clone", password: "secret" } });
        expect(report).toEqual({
            appRole: "myapp_app",
            clone: "myapp_app_clone",
            schema: "app_data",
            created: [],
            adopted: ["table app_data.users", "materialized view app_data.stats"],
            passwordSetFor: "myapp_app_clone",
        });
        const setPassword = db.statements.find((s) => s.startsWith(`ALTER ROLE "myapp_app_clone" WITH PASSWORD`));
        expect(setPassword).toMatch(/^ALTER ROLE "myapp_app_clone" WITH PASSWORD 'SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+'$/);
        expect(setPassword).not.toContain("secret");
        expect(db.statements).toEqual([
            "BEGIN",
            "SET LOCAL lock_timeout = '5s'",
            `ALTER ROLE "myapp_app" WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT`,
            `ALTER ROLE "myapp_app_clone" WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT`,
            `GRANT "myapp_app" TO "myapp_app_clone"`,
            `ALTER ROLE "myapp_app_clone" SET role = 'myapp_app'`,
            `GRANT "myapp_app" TO "app_admin" WITH INHERIT TRUE, SET TRUE`,
            `GRANT CONNECT, TEMPORARY ON DATABASE "app" TO "myapp_app"`,
            `ALTER SCHEMA "app_data" OWNER TO "myapp_app"`,
            `ALTER TABLE app_data.users OWNER TO "myapp_app"`,
            `ALTER MATERIALIZED VIEW app_data.stats OWNER TO "myapp_app"`,
            setPassword,
            "COMMIT",
        ]);
    });

    it("leaves a schema the app role already owns alone, and a second run creates nothing", async () => {
        const db = scripted({ ...FRESH, roles: { myapp_app: {}, myapp_app_clone: {} }, schemaOwner: "myapp_app" });
        const report = await bootstrap(db, INPUT);
        expect(report.created).toEqual([]);
        expect(report).not.toHaveProperty("passwordSetFor");
        expect(db.statements.filter((s) => s.includes("SCHEMA"))).toEqual([]);
    });

    it.each<[string, Role]>([
        ["SUPERUSER", { rolsuper: true }],
        ["REPLICATION", { rolreplication: true }],
        ["BYPASSRLS", { rolbypassrls: true }],
    ])("refuses an existing role with %s, and rolls back", async (_what, role) => {
        const db = scripted({ ...FRESH, roles: { myapp_app: role } });
        await expect(bootstrap(db, INPUT)).rejects.toThrow(
            "Role myapp_app exists with SUPERUSER, REPLICATION or BYPASSRLS, which the app must not have and the master user cannot remove: drop or alter it as an administrator first.",
        );
        expect(db.statements).toEqual(["BEGIN", "SET LOCAL lock_timeout = '5s'", "ROLLBACK"]);
    });

    it("refuses an existing role the master does not administer", async () => {
        const db = scripted({ ...FRESH, roles: { myapp_app: {}, myapp_app_clone: { administered: false } } });
        await expect(bootstrap(db, INPUT)).rejects.toThrow(
            "Role myapp_app_clone exists but the master user does not hold ADMIN OPTION on it (someone else created it), so the rotation could not set its password: grant it WITH ADMIN OPTION to the master user, or drop it.",
        );
        expect(db.statements.at(-1)).toBe("ROLLBACK");
    });
});

describe("bootstrap's refusals before the transaction", () => {
    it("refuses bad input, listing every problem, before reading anything", async () => {
        const db = scripted(FRESH);
        await expect(bootstrap(db, { ...INPUT, master: "myapp_app" })).rejects.toThrow("Database bootstrap refused: appRole is the master user myapp_app: the app needs a role of its own.");
        expect(db.statements).toEqual([]);
    });

    it(`needs server_version_num ${MIN_SERVER_VERSION_NUM} or later`, async () => {
        expect(MIN_SERVER_VERSION_NUM).toBe(160000);
        await expect(bootstrap(scripted({ ...FRESH, version: "159999" }), INPUT)).rejects.toThrow(
            "Database bootstrap needs PostgreSQL 16 or later (database.engineVersion); the server is 159999.",
        );
        await expect(bootstrap(scripted({ ...FRESH, version: undefined }), INPUT)).rejects.toThrow("the server is NaN.");
        await expect(bootstrap(scripted({ ...FRESH, version: "160000" }), INPUT)).resolves.toMatchObject({ appRole: "myapp_app" });
    });

    it("must run as the master user", async () => {
        const db = scripted({ ...FRESH, session: "someone" });
        await expect(bootstrap(db, INPUT)).rejects.toThrow("Database bootstrap must run as the master user app_admin, not someone.");
        expect(db.statements).toEqual([]);
        await expect(bootstrap(scripted({ ...FRESH, session: null }), INPUT)).rejects.toThrow("Database bootstrap must run as the master user app_admin, not undefined.");
    });

    it("refuses with every problem of the input, joined", async () => {
        await expect(bootstrap(scripted(FRESH), { ...INPUT, schema: "Public", master: "myapp_app" })).rejects.toThrow(
            'Database bootstrap refused: appRole is the master user myapp_app: the app needs a role of its own; schema "Public" is not a plain lower-case identifier.',
        );
    });
});
