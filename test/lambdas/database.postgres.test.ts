import { InternalServiceError, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { BootstrapReport, bootstrap as bootstrapAsMaster } from "../../lambdas/database-bootstrap/bootstrap";
import { runBootstrap } from "../../lambdas/database-bootstrap";
import { databaseSteps, pgConnect } from "../../lambdas/database-password";
import { parseDatabaseUrl, withCredentials } from "../../lambdas/database-password/url";
import { pgConnect as restoreValidationConnect } from "../../lambdas/restore-validation";
import { runChecks } from "../../lambdas/restore-validation/checks";
import { Connect, DbParams, pgConnector, withSession } from "../../lambdas/shared/postgres";
import { rotationHandler } from "../../lambdas/shared/rotation";
import { FakeSecretsManager } from "./fakeSecretsManager";
import { EXPECTED_MAJOR, MASTER, PostgresServer, startPostgres } from "./realPostgres";

/**
 * The database bootstrap and the password rotation against a real PostgreSQL server of the
 * configured major version (16, `database.engineVersion` 16.4), set up like RDS: a master user
 * with CREATEROLE that is not a superuser, TLS only, SCRAM. Secrets Manager is the strict fake.
 * Nothing skips this file: without the binaries `startPostgres` throws and every test fails,
 * saying how to get them (`npm ci`).
 */

let pg: PostgresServer;
let connect: Connect;
let n = 0;

beforeAll(async () => {
    pg = await startPostgres();
    connect = pgConnector({ ca: pg.ca });
}, 30000);

afterAll(async () => {
    await pg?.stop();
});

const URL_SECRET = "myapp/production/DATABASE_URL";
const MASTER_SECRET = "myapp/production/DATABASE_MASTER";
const meta = { $metadata: {} };

/** A fresh database and app role per test: roles are global to the server, so names carry the test's number. */
async function setup(opts: { initialUser?: "app" | "master"; bootstrap?: boolean } = {}) {
    const i = ++n;
    const database = `app${i}`;
    const appRole = `myapp${i}_app`;
    const clone = `${appRole}_clone`;
    await pg.createDatabase(database);
    const base = `postgresql://x:y@localhost:${pg.port}/${database}?sslmode=verify-full`;
    const initialUrl = opts.initialUser === "master" ? withCredentials(base, MASTER.user, MASTER.password) : withCredentials(base, appRole, `Initial${i}Pw`);
    const sm = new FakeSecretsManager();
    sm.create(URL_SECRET, initialUrl);
    sm.create(MASTER_SECRET, JSON.stringify({ username: MASTER.user, password: MASTER.password }));
    const bootstrap = (): Promise<BootstrapReport> => runBootstrap({ appRole }, { sm: sm.client, masterSecretArn: MASTER_SECRET, appSecretArn: URL_SECRET, connect });
    const report = opts.bootstrap === false ? undefined : await bootstrap();
    const steps = (c: Connect = connect) => databaseSteps({ masterSecretArn: MASTER_SECRET, appRole, connect: c });
    const handler = rotationHandler(sm.client, steps());
    return { i, database, appRole, clone, sm, initialUrl, report, bootstrap, steps, handler };
}

/** Who a URL logs in as (session user, then the role it acts as), or the error's message. */
async function login(url: string): Promise<string> {
    try {
        return await withSession(connect, parseDatabaseUrl(url), async (db) => {
            const row = (await db.query("SELECT session_user AS s, current_user AS c")).rows[0]!;
            return `${String(row["s"])} as ${String(row["c"])}`;
        });
    } catch (e) {
        return (e as Error).message;
    }
}

const asMaster = (database: string): DbParams => ({ host: "localhost", port: pg.port, database, user: MASTER.user, password: MASTER.password });
const query = async (params: DbParams, sql: string) => withSession(connect, params, async (db) => (await db.query(sql)).rows);
const verifiers = async (roles: string[]) =>
    pg.asSuperuser("postgres", async (c) => Object.fromEntries((await c.query("SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)", [roles])).rows.map((r) => [r.rolname, r.rolpassword])));

/** A connection whose sessions fail the first statement matching `pattern`, as a dropped connection would. */
function failingOnce(pattern: RegExp): Connect {
    let armed = true;
    return async (p) => {
        const db = await connect(p);
        return {
            ...db,
            query: async (sql, params) => {
                if (armed && pattern.test(sql)) {
                    armed = false;
                    throw new Error("Connection terminated unexpectedly");
                }
                return db.query(sql, params);
            },
        };
    };
}

describe("the server", () => {
    it(`is PostgreSQL ${EXPECTED_MAJOR}, the major of database.engineVersion`, () => {
        expect(Math.floor(pg.versionNum / 10000)).toBe(EXPECTED_MAJOR);
    });

    it("has an RDS-like master: CREATEROLE and CREATEDB, not a superuser, in rds_superuser", async () => {
        const rows = await pg.asSuperuser("postgres", async (c) => (await c.query("SELECT rolsuper, rolcreaterole, rolcreatedb, pg_has_role(rolname, 'rds_superuser', 'MEMBER') AS rds FROM pg_roles WHERE rolname = $1", [MASTER.user])).rows);
        expect(rows).toEqual([{ rolsuper: false, rolcreaterole: true, rolcreatedb: true, rds: true }]);
    });

    it("shows why the master cannot clone itself on PostgreSQL 16: granting membership needs ADMIN OPTION", async () => {
        const { database } = await setup({ bootstrap: false });
        await expect(query(asMaster(database), `CREATE ROLE master_clone_${n} LOGIN IN ROLE ${MASTER.user}`)).rejects.toThrow(`permission denied to grant role "${MASTER.user}"`);
    });
});

/** Node's words for a certificate whose issuer it does not trust. */
const UNTRUSTED = /unable to verify the first certificate|self[- ]signed certificate|unable to get local issuer certificate/;

describe("verified TLS", () => {
    it("is what the Lambdas' own connections use: without the server's CA in the trust store, they refuse to connect", async () => {
        const params = asMaster("postgres");
        await expect(pgConnect(params)).rejects.toThrow(UNTRUSTED);
        await expect(restoreValidationConnect(params)).rejects.toThrow(UNTRUSTED);
    });

    it("checks the host name, not just the chain: the certificate is for localhost, so 127.0.0.1 is refused", async () => {
        await expect(connect({ ...asMaster("postgres"), host: "127.0.0.1" })).rejects.toThrow(/does not match certificate's altnames|IP: 127\.0\.0\.1 is not in the cert's list/);
        expect(await query(asMaster("postgres"), "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).toEqual([{ ssl: true }]);
    });
});

describe("database bootstrap", () => {
    it("creates the app role and its clone as the master, with nothing beyond logging in, and the app role owns the schema", async () => {
        const { database, appRole, clone, initialUrl, report } = await setup();
        expect(report).toEqual({ appRole, clone, schema: "public", created: [appRole, clone], adopted: [], passwordSetFor: appRole });
        const roles = await pg.asSuperuser(database, async (c) =>
            (
                await c.query(
                    `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin, rolpassword IS NULL AS no_password,
                            ARRAY(SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid WHERE m.member = a.oid ORDER BY 1)::text[] AS member_of
                       FROM pg_authid a WHERE rolname = ANY($1) ORDER BY rolname`,
                    [[appRole, clone]],
                )
            ).rows,
        );
        const attrs = { rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false, rolcanlogin: true };
        expect(roles).toEqual([
            { rolname: appRole, ...attrs, no_password: false, member_of: [] },
            { rolname: clone, ...attrs, no_password: true, member_of: [appRole] },
        ]);
        expect(await query(asMaster(database), "SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'public'")).toEqual([{ owner: appRole }]);
        // DATABASE_URL logs in from the first deploy, as the app role, which can build its schema.
        expect(await login(initialUrl)).toBe(`${appRole} as ${appRole}`);
        await query(parseDatabaseUrl(initialUrl), "CREATE TABLE public.users (id int)");
        expect(await query(asMaster(database), "SELECT tableowner FROM pg_tables WHERE tablename = 'users'")).toEqual([{ tableowner: appRole }]);
        // The app cannot create roles or databases, nor read what the master keeps elsewhere.
        await expect(query(parseDatabaseUrl(initialUrl), "CREATE ROLE intruder")).rejects.toThrow("permission denied to create role");
        await expect(query(parseDatabaseUrl(initialUrl), "CREATE DATABASE other")).rejects.toThrow("permission denied to create database");
    });

    it("is idempotent: a second run creates and adopts nothing, and the app's login keeps working", async () => {
        const { database, appRole, clone, initialUrl, bootstrap } = await setup();
        const catalog = () =>
            pg.asSuperuser(database, async (c) => ({
                roles: (await c.query("SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolconfig FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1", [[appRole, clone]])).rows,
                members: (await c.query("SELECT roleid::regrole::text, member::regrole::text, admin_option, inherit_option, set_option FROM pg_auth_members WHERE roleid::regrole::text = ANY($1) ORDER BY 1, 2, 3", [[appRole, clone]])).rows,
            }));
        const before = await catalog();
        expect(await bootstrap()).toEqual({ appRole, clone, schema: "public", created: [], adopted: [], passwordSetFor: appRole });
        expect(await catalog()).toEqual(before);
        expect(await login(initialUrl)).toBe(`${appRole} as ${appRole}`);
    });

    it("moves an existing database over without downtime: what the master owned goes to the app role, and sessions as the master keep working", async () => {
        const { database, appRole, clone, initialUrl, bootstrap } = await setup({ initialUser: "master", bootstrap: false });
        const master = asMaster(database);
        await query(master, "CREATE TABLE orders (id serial PRIMARY KEY, total numeric)");
        await query(master, "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100");
        await query(master, "CREATE SEQUENCE invoice_numbers");
        await query(master, "CREATE TYPE order_state AS ENUM ('new', 'paid')");
        await query(master, "CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM orders'");
        await query(master, "INSERT INTO orders (total) VALUES (150)");

        const report = await bootstrap();
        expect(report).toEqual({
            appRole,
            clone,
            schema: "public",
            created: [appRole, clone],
            adopted: ["routine order_count()", "sequence public.invoice_numbers", "table public.orders", "type order_state", "view public.big_orders"],
        });
        const owners = await query(master, `SELECT c.relname, c.relowner::regrole::text AS owner FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r','v','S','i') ORDER BY 1`);
        expect(owners.every((o) => o["owner"] === appRole)).toBe(true);
        expect(owners.map((o) => o["relname"])).toEqual(["big_orders", "invoice_numbers", "orders", "orders_id_seq", "orders_pkey"]);
        // Pods still on the master's DATABASE_URL keep reading and writing.
        expect(await login(initialUrl)).toBe(`${MASTER.user} as ${MASTER.user}`);
        await query(master, "INSERT INTO orders (total) VALUES (7)");
        expect(await query(master, "SELECT order_count() AS n, nextval('invoice_numbers') AS v")).toEqual([{ n: "2", v: "1" }]);
        // No password was set: DATABASE_URL still names the master, and the rotation moves it (below).
        expect(await verifiers([appRole, clone])).toEqual({ [appRole]: null, [clone]: null });
    });

    it("sets the app role's password from DATABASE_URL when the roles already exist (a DR rebuild from a restored snapshot)", async () => {
        const { database, appRole, sm, bootstrap } = await setup();
        // The rebuild's DATABASE_URL carries a new password; the restored role has the old one.
        const rebuilt = withCredentials(`postgresql://x:y@localhost:${pg.port}/${database}`, appRole, "Rebuilt'Pw\\1");
        sm.create(URL_SECRET, rebuilt);
        expect(await login(rebuilt)).toMatch(/password authentication failed/);
        expect((await bootstrap()).passwordSetFor).toBe(appRole);
        expect(await login(rebuilt)).toBe(`${appRole} as ${appRole}`);
    });

    it("refuses a role the master does not administer (made by someone else), changing nothing", async () => {
        const i = ++n;
        const appRole = `myapp${i}_app`;
        await pg.createDatabase(`app${i}`);
        await pg.asSuperuser("postgres", (c) => c.query(`CREATE ROLE ${appRole} LOGIN`));
        const sm = new FakeSecretsManager();
        sm.create(URL_SECRET, `postgresql://${appRole}:pw@localhost:${pg.port}/app${i}`);
        sm.create(MASTER_SECRET, JSON.stringify({ username: MASTER.user, password: MASTER.password }));
        await expect(runBootstrap({ appRole }, { sm: sm.client, masterSecretArn: MASTER_SECRET, appSecretArn: URL_SECRET, connect })).rejects.toThrow(
            `Role ${appRole} exists but the master user does not hold ADMIN OPTION on it (someone else created it), so the rotation could not set its password: grant it WITH ADMIN OPTION to the master user, or drop it.`,
        );
        expect(await pg.asSuperuser("postgres", async (c) => (await c.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1", [`${appRole}_clone`])).rows)).toEqual([{ n: 0 }]);
    });

    it("refuses an existing role with SUPERUSER, which the master could not take away", async () => {
        const i = ++n;
        const appRole = `myapp${i}_app`;
        await pg.createDatabase(`app${i}`);
        await pg.asSuperuser("postgres", (c) => c.query(`CREATE ROLE ${appRole} LOGIN SUPERUSER`));
        const sm = new FakeSecretsManager();
        sm.create(URL_SECRET, `postgresql://${appRole}:pw@localhost:${pg.port}/app${i}`);
        sm.create(MASTER_SECRET, JSON.stringify({ username: MASTER.user, password: MASTER.password }));
        await expect(runBootstrap({ appRole }, { sm: sm.client, masterSecretArn: MASTER_SECRET, appSecretArn: URL_SECRET, connect })).rejects.toThrow(
            `Role ${appRole} exists with SUPERUSER, REPLICATION or BYPASSRLS, which the app must not have and the master user cannot remove: drop or alter it as an administrator first.`,
        );
    });

    it("runs only as the master user", async () => {
        const { database, appRole, initialUrl } = await setup();
        const app = parseDatabaseUrl(initialUrl);
        await expect(withSession(connect, app, (db) => bootstrapAsMaster(db, { appRole, master: MASTER.user, database }))).rejects.toThrow(`Database bootstrap must run as the master user ${MASTER.user}, not ${appRole}.`);
    });

    it("refuses input that would make the master or any other role the app's", async () => {
        const { sm } = await setup();
        const run = (appRole: string) => runBootstrap({ appRole }, { sm: sm.client, masterSecretArn: MASTER_SECRET, appSecretArn: URL_SECRET, connect });
        await expect(run(MASTER.user)).rejects.toThrow(`Database bootstrap refused: appRole is the master user ${MASTER.user}: the app needs a role of its own; the current login`);
        await expect(run("Robert'); DROP TABLE students;--")).rejects.toThrow(/^Database bootstrap refused: appRole "Robert'\); DROP TABLE students;--" is not a role name/);
    });
});

describe("database password rotation", () => {
    it("alternates over three rotations; each new login works, the one before keeps working until the next rotation, the master never moves", async () => {
        const { appRole, clone, sm, handler } = await setup();
        // Passwords GetRandomPassword never makes, to prove nothing depends on it: quotes, backslashes, URL delimiters.
        const passwords = ["it's a \\ pass'word", "p@ss:w/rd%#?&'\"\\", "Plain0Password"];
        sm.nextPasswords(...passwords);
        const users: string[] = [];
        let before = sm.valueAt(URL_SECRET, "AWSCURRENT")!;
        for (const [k, token] of ["t1", "t2", "t3"].entries()) {
            await sm.rotate(handler, URL_SECRET, token);
            const current = sm.valueAt(URL_SECRET, "AWSCURRENT")!;
            const { user, password } = parseDatabaseUrl(current);
            users.push(user);
            expect(password).toBe(passwords[k]);
            expect(await login(current)).toBe(`${user} as ${appRole}`);
            // Pods that have not restarted yet still connect with the value before.
            expect(sm.valueAt(URL_SECRET, "AWSPREVIOUS")).toBe(before);
            expect(await login(before)).toMatch(new RegExp(`^${parseDatabaseUrl(before).user} as ${appRole}$`));
            expect(parseDatabaseUrl(sm.valueAt(URL_SECRET, "AWSPREVIOUS")!).user).not.toBe(MASTER.user);
            expect(sm.stages(URL_SECRET)[token]).toEqual(["AWSCURRENT"]);
            before = current;
        }
        expect(users).toEqual([clone, appRole, clone]);
        // The value from two rotations ago no longer logs in: its role got a new password.
        expect(await login(withCredentials(sm.valueAt(URL_SECRET, "AWSCURRENT")!, clone, passwords[0]!))).toMatch(/password authentication failed/);
        expect(await login(withCredentials(sm.valueAt(URL_SECRET, "AWSCURRENT")!, MASTER.user, MASTER.password))).toBe(`${MASTER.user} as ${MASTER.user}`);
        expect(sm.allValues(URL_SECRET).some((v) => parseDatabaseUrl(v).user === MASTER.user)).toBe(false);
    });

    it("gives what either login creates to the app role: migrations through the clone build the same schema", async () => {
        const { database, appRole, sm, handler, initialUrl } = await setup();
        await sm.rotate(handler, URL_SECRET, "t1");
        const viaClone = parseDatabaseUrl(sm.valueAt(URL_SECRET, "AWSCURRENT")!);
        await query(viaClone, "CREATE TABLE made_by_clone (id int)");
        await query(parseDatabaseUrl(initialUrl), "DROP TABLE made_by_clone");
        await query(viaClone, "CREATE TABLE again (id int)");
        expect(await query(asMaster(database), "SELECT tableowner FROM pg_tables WHERE tablename = 'again'")).toEqual([{ tableowner: appRole }]);
    });

    it("moves an app still on the master user to the app role, takes AWSPREVIOUS off the master's value, and leaves the master's password alone", async () => {
        const { appRole, clone, sm, handler } = await setup({ initialUser: "master" });
        await sm.rotate(handler, URL_SECRET, "t1");
        const current = sm.valueAt(URL_SECRET, "AWSCURRENT")!;
        expect(await login(current)).toBe(`${appRole} as ${appRole}`);
        expect(sm.stages(URL_SECRET)).toEqual({ t1: ["AWSCURRENT"] });
        expect(sm.valueAt(URL_SECRET, "AWSPREVIOUS")).toBeUndefined();
        expect(await login(withCredentials(current, MASTER.user, MASTER.password))).toBe(`${MASTER.user} as ${MASTER.user}`);
        await sm.rotate(handler, URL_SECRET, "t2");
        expect(parseDatabaseUrl(sm.valueAt(URL_SECRET, "AWSCURRENT")!).user).toBe(clone);
        expect(sm.stages(URL_SECRET)).toEqual({ t1: ["AWSPREVIOUS"], t2: ["AWSCURRENT"] });
    });

    it("fails at createSecret (Secrets Manager unavailable) before touching anything; the retry finishes", async () => {
        const { appRole, clone, sm, handler, initialUrl } = await setup();
        const before = await verifiers([appRole, clone]);
        sm.failNext("PutSecretValueCommand", new InternalServiceError({ message: "An error occurred on the server side.", ...meta }));
        await expect(sm.rotate(handler, URL_SECRET, "t1")).rejects.toThrow("An error occurred on the server side.");
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(initialUrl);
        expect(await verifiers([appRole, clone])).toEqual(before);
        await sm.resume(handler, URL_SECRET, "t1");
        expect(await login(sm.valueAt(URL_SECRET, "AWSCURRENT")!)).toBe(`${clone} as ${appRole}`);
    });

    it("fails at setSecret (connection lost midway) without a half-made change: one transaction; the retry finishes with the same password", async () => {
        const { appRole, clone, sm, steps, handler, initialUrl } = await setup();
        const before = await verifiers([clone]);
        const flaky = rotationHandler(sm.client, steps(failingOnce(/SET role/)));
        await expect(sm.rotate(flaky, URL_SECRET, "t1")).rejects.toThrow("Connection terminated unexpectedly");
        expect(await verifiers([clone])).toEqual(before);
        expect(await login(initialUrl)).toBe(`${appRole} as ${appRole}`);
        const pending = sm.valueAt(URL_SECRET, "AWSPENDING");
        await sm.resume(handler, URL_SECRET, "t1");
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(pending);
        expect(sm.issuedPasswords).toHaveLength(1);
    });

    it("fails at testSecret (database unreachable) leaving AWSCURRENT in use and working; the retry finishes", async () => {
        const { appRole, sm, steps, handler, initialUrl } = await setup();
        let down = false;
        const outage: Connect = async (p) => {
            if (down) throw new Error("connect ETIMEDOUT");
            return connect(p);
        };
        const h = rotationHandler(sm.client, steps(outage));
        sm.startRotation(URL_SECRET, "t1");
        for (const Step of ["createSecret", "setSecret"] as const) await h({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step });
        down = true;
        await expect(h({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "testSecret" })).rejects.toThrow("connect ETIMEDOUT");
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(initialUrl);
        expect(await login(initialUrl)).toBe(`${appRole} as ${appRole}`);
        await sm.resume(handler, URL_SECRET, "t1");
        expect(sm.stages(URL_SECRET)).toEqual({ v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT"] });
    });

    it("fails at finishSecret (the label cannot move) with both logins working; the retry finishes", async () => {
        const { appRole, clone, sm, handler, initialUrl } = await setup();
        sm.failNext("UpdateSecretVersionStageCommand", new InternalServiceError({ message: "An error occurred on the server side.", ...meta }));
        await expect(sm.rotate(handler, URL_SECRET, "t1")).rejects.toThrow("An error occurred on the server side.");
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(initialUrl);
        expect(await login(initialUrl)).toBe(`${appRole} as ${appRole}`);
        expect(await login(sm.valueAt(URL_SECRET, "AWSPENDING")!)).toBe(`${clone} as ${appRole}`);
        await sm.resume(handler, URL_SECRET, "t1");
        expect(sm.stages(URL_SECRET)).toEqual({ v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT"] });
    });

    it.each([
        ["the app role itself (not its alternate)", (c: { appRole: string }) => c.appRole, (c: { appRole: string; clone: string }) => `The pending DATABASE_URL names ${c.appRole}, but the alternate of the current user ${c.appRole} is ${c.clone}; refusing to set its password.`],
        ["the master user", () => MASTER.user, (c: { appRole: string; clone: string }) => `The pending DATABASE_URL names ${MASTER.user}, but the alternate of the current user ${c.appRole} is ${c.clone}; refusing to set its password.`],
        ["the bootstrap superuser", () => "postgres", (c: { appRole: string; clone: string }) => `The pending DATABASE_URL names postgres, but the alternate of the current user ${c.appRole} is ${c.clone}; refusing to set its password.`],
    ])("setSecret refuses a pending value naming %s, before the master changes anything", async (_what, userOf, message) => {
        const c = await setup();
        const roles = [c.appRole, c.clone, MASTER.user];
        const before = await verifiers(roles);
        c.sm.startRotation(URL_SECRET, "t1");
        await c.sm.client.send(new PutSecretValueCommand({ SecretId: URL_SECRET, ClientRequestToken: "t1", SecretString: withCredentials(c.initialUrl, userOf(c), "Hijack1"), VersionStages: ["AWSPENDING"] }));
        await expect(c.handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow(message(c));
        expect(await verifiers(roles)).toEqual(before);
    });

    it.each([
        ["another host", (u: URL) => (u.hostname = "evil.example")],
        ["another port", (u: URL) => (u.port = String(Number(u.port) + 1))],
        ["another database", (u: URL) => (u.pathname = "/postgres")],
    ])("setSecret refuses a pending value pointing at %s, before the master changes anything", async (_what, change) => {
        const c = await setup();
        const before = await verifiers([c.clone]);
        c.sm.startRotation(URL_SECRET, "t1");
        const u = new URL(withCredentials(c.initialUrl, c.clone, "Elsewhere1"));
        change(u);
        await c.sm.client.send(new PutSecretValueCommand({ SecretId: URL_SECRET, ClientRequestToken: "t1", SecretString: u.toString(), VersionStages: ["AWSPENDING"] }));
        await expect(c.handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow(
            "The pending DATABASE_URL names another host, port or database than the current one; refusing to set a password there.",
        );
        expect(await verifiers([c.clone])).toEqual(before);
    });

    it("setSecret refuses when the current credentials do not log in (the secret is not the one in use), before the master changes anything", async () => {
        const { database, appRole, clone, sm, handler } = await setup();
        await query(asMaster(database), `ALTER ROLE ${appRole} PASSWORD 'changed behind its back'`);
        const before = await verifiers([clone]);
        sm.startRotation(URL_SECRET, "t1");
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow(
            `The current DATABASE_URL does not log in (password authentication failed for user "${appRole}"); refusing to rotate a secret that is not the one in use.`,
        );
        expect(await verifiers([clone])).toEqual(before);
    });

    it("refuses to move an app off the master when the bootstrap has not made the app role", async () => {
        const { sm, handler } = await setup({ initialUser: "master", bootstrap: false });
        sm.startRotation(URL_SECRET, "t1");
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow(/^The app role myapp\d+_app does not exist: the bootstrap creates it \(run `pulumi up`; docs\/secrets.md\)\.$/);
    });

    it("testSecret refuses a login that does not act as the app role (its role setting lost), leaving AWSCURRENT alone", async () => {
        const { database, appRole, clone, sm, handler, initialUrl } = await setup();
        sm.startRotation(URL_SECRET, "t1");
        for (const Step of ["createSecret", "setSecret"] as const) await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step });
        await query(asMaster(database), `ALTER ROLE ${clone} RESET role`);
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "testSecret" })).rejects.toThrow(
            `The pending DATABASE_URL's user does not act as ${appRole}: objects it created would belong to another role.`,
        );
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(initialUrl);
    });

    it("testSecret refuses a session that is not the user the pending value names", async () => {
        const { sm, steps } = await setup();
        // A connection pool or proxy handing back someone else's session.
        const otherSession: Connect = async (p) => {
            const db = await connect(p);
            return { ...db, query: async (sql, params) => (sql.startsWith("SELECT current_user") ? { rows: [{ login: "someone", session: "someone" }] } : db.query(sql, params)) };
        };
        const h = rotationHandler(sm.client, steps(otherSession));
        sm.startRotation(URL_SECRET, "t1");
        for (const Step of ["createSecret", "setSecret"] as const) await h({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step });
        await expect(h({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "testSecret" })).rejects.toThrow("The pending DATABASE_URL logged in as another user than it names.");
    });

    it("refuses, at createSecret, a DATABASE_URL naming a role it does not own", async () => {
        const c = await setup();
        c.sm.create(URL_SECRET, withCredentials(c.initialUrl, "postgres", "x"));
        c.sm.startRotation(URL_SECRET, "t1");
        await expect(c.handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toThrow(/^DATABASE_URL names the user postgres, which is neither/);
        expect(c.sm.valueAt(URL_SECRET, "AWSPENDING")).toBeUndefined();
    });

    it("sends PostgreSQL only a SCRAM verifier: a failed ALTER ROLE is logged with the verifier, never the password", async () => {
        const { database, appRole, clone, sm, handler } = await setup();
        // Take the master's ADMIN OPTION on the clone away: its ALTER ROLE now fails, and PostgreSQL logs it.
        await pg.asSuperuser(database, (c) => c.query(`REVOKE ${clone} FROM ${MASTER.user}`));
        sm.nextPasswords("Leak'Canary\\Pw42");
        await expect(sm.rotate(handler, URL_SECRET, "t1")).rejects.toThrow(`permission denied to alter role`);
        const log = pg.log();
        expect(log).toContain(`ALTER ROLE "${clone}" WITH LOGIN PASSWORD 'SCRAM-SHA-256$4096:`);
        expect(log).not.toContain("Leak'Canary");
        expect(log).not.toContain("Leak''Canary");
        expect((await verifiers([appRole]))[appRole]).toMatch(/^SCRAM-SHA-256\$4096:/);
    });

    it("passes the configuration test Secrets Manager runs when rotation is set up without rotating", async () => {
        const { sm, handler } = await setup();
        await sm.configurationTest(handler, URL_SECRET, "probe");
        expect(sm.stages(URL_SECRET)).toEqual({ v0: ["AWSCURRENT"] });
    });
});

describe("restore validation checks on PostgreSQL 16, as the app role", () => {
    it("find the app's tables and rows over TLS", async () => {
        const { initialUrl } = await setup();
        const app = parseDatabaseUrl(initialUrl);
        await query(app, "CREATE TABLE users (id int); INSERT INTO users SELECT generate_series(1, 5)");
        const results = await withSession(connect, app, (db) => runChecks(db, { schema: "public", minRows: { table: "users", rows: 5 } }));
        expect(results).toEqual([
            { name: "answers a query", ok: true, detail: "SELECT 1" },
            { name: "the session is encrypted", ok: true, detail: "TLS" },
            { name: "has the app's tables", ok: true, detail: "1 tables in schema public" },
            { name: "users holds at least 5 rows", ok: true, detail: "5 rows in public.users" },
        ]);
    });
});
