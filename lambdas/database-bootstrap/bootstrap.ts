import type { DbSession } from "../shared/postgres";
import { inTransaction } from "../shared/postgres";
import { scramVerifier } from "../shared/scram";
import { cloneOf, isAppRoleName } from "../database-password/url";

/**
 * What the master user sets up, once, so that the app never runs as the master (issue 16): the
 * app role and its clone (the pair the password rotation alternates between), the app's schema
 * owned by the app role, and the master's membership in the app role. Pure over a session, so the
 * tests run it against a real PostgreSQL 16 set up like RDS.
 *
 * Every statement is safe to repeat: a second run changes nothing (and reports nothing created).
 * PostgreSQL 16 matters here: a CREATEROLE user may change only roles it holds ADMIN OPTION on,
 * which the creator of a role gets; so the roles are the master's own from the start, and the
 * rotation (which logs in as the master) can set their passwords. A role made by someone else is
 * refused with the reason.
 */

/** The attributes of both login roles: nothing beyond logging in. */
const LOGIN_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

export interface BootstrapInput {
    /** The app role to create (`<app>_app`). */
    appRole: string;
    /** The master user (DATABASE_MASTER's username): the session's user. */
    master: string;
    /** The app's database (DATABASE_URL's). */
    database: string;
    /**
     * The schema the app role owns.
     * @default "public"
     */
    schema?: string;
    /**
     * DATABASE_URL's current user and password, when that user is the app role or its clone: its
     * password is set to this one (a new stack, or a DR rebuild whose restored roles carry the
     * old passwords). A DATABASE_URL still on the master user sets nothing (see docs/secrets.md,
     * "Moving an existing database to the app role").
     */
    currentLogin?: { user: string; password: string };
}

/** What a run did: names and counts only, never a password (the Invocation keeps this in state). */
export interface BootstrapReport {
    appRole: string;
    clone: string;
    schema: string;
    /** Roles this run created. */
    created: string[];
    /** Objects in the schema the master owned and the app role now owns. */
    adopted: string[];
    /** The role whose password was set to DATABASE_URL's, if any. */
    passwordSetFor?: string;
}

/** The major version the statements below need (GRANT ... WITH INHERIT, SET; ADMIN OPTION rules). */
export const MIN_SERVER_VERSION_NUM = 160000;

/** Checks the input before anything runs; every problem at once. */
export function inputProblems(input: BootstrapInput): string[] {
    const problems: string[] = [];
    if (!isAppRoleName(input.appRole)) {
        problems.push(`appRole ${JSON.stringify(input.appRole)} is not a role name this program uses: lower-case letters, digits and _, at most 57 characters, not ending in _clone`);
    }
    if (input.appRole === input.master) problems.push(`appRole is the master user ${input.master}: the app needs a role of its own`);
    const schema = input.schema ?? "public";
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) problems.push(`schema ${JSON.stringify(schema)} is not a plain lower-case identifier`);
    const login = input.currentLogin;
    if (login && login.user !== input.appRole && login.user !== cloneOf(input.appRole)) {
        problems.push(`the current login ${login.user} is neither the app role nor its clone: its password is not set here`);
    }
    return problems;
}

/** Runs the bootstrap as the master user, in one transaction. */
export async function bootstrap(db: DbSession, input: BootstrapInput): Promise<BootstrapReport> {
    const problems = inputProblems(input);
    if (problems.length > 0) throw new Error(`Database bootstrap refused: ${problems.join("; ")}.`);
    const version = Number((await db.query("SELECT current_setting('server_version_num') AS v")).rows[0]?.["v"]);
    if (!(version >= MIN_SERVER_VERSION_NUM)) throw new Error(`Database bootstrap needs PostgreSQL 16 or later (database.engineVersion); the server is ${version}.`);
    const session = String((await db.query("SELECT session_user AS u")).rows[0]?.["u"]);
    if (session !== input.master) throw new Error(`Database bootstrap must run as the master user ${input.master}, not ${session}.`);

    const schema = input.schema ?? "public";
    const app = input.appRole;
    const clone = cloneOf(app);
    const id = (name: string) => db.escapeIdentifier(name);
    const report: BootstrapReport = { appRole: app, clone, schema, created: [], adopted: [] };

    return inTransaction(db, async () => {
        // A busy table must fail the run (and `pulumi up`) quickly, not queue every query behind it.
        await db.query("SET LOCAL lock_timeout = '5s'");
        if (await ensureLoginRole(db, app)) report.created.push(app);
        if (await ensureLoginRole(db, clone, app)) report.created.push(clone);
        // The clone acts as the app role: what it creates belongs to the app role.
        await db.query(`ALTER ROLE ${id(clone)} SET role = ${db.escapeLiteral(app)}`);
        // The master may act as the app role (to hand it the schema) and reads what the app owns
        // (pods still on the master user keep working while an existing database moves over).
        await db.query(`GRANT ${id(app)} TO ${id(input.master)} WITH INHERIT TRUE, SET TRUE`);
        await db.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${id(input.database)} TO ${id(app)}`);

        const owner = (await db.query("SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1", [schema])).rows[0]?.["owner"];
        if (owner === undefined) await db.query(`CREATE SCHEMA ${id(schema)} AUTHORIZATION ${id(app)}`);
        else if (owner !== app) await db.query(`ALTER SCHEMA ${id(schema)} OWNER TO ${id(app)}`);
        report.adopted = await adoptMasterObjects(db, schema, input.master, app);

        const login = input.currentLogin;
        if (login) {
            await db.query(`ALTER ROLE ${id(login.user)} WITH PASSWORD ${db.escapeLiteral(scramVerifier(login.password))}`);
            report.passwordSetFor = login.user;
        }
        return report;
    });
}

/** Creates a login role (in `memberOf`), or checks and tightens an existing one. True when created. */
async function ensureLoginRole(db: DbSession, name: string, memberOf?: string): Promise<boolean> {
    const rows = (
        await db.query(
            `SELECT r.rolsuper, r.rolreplication, r.rolbypassrls,
                    EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = r.oid AND m.member = (SELECT oid FROM pg_roles WHERE rolname = session_user) AND m.admin_option) AS administered
               FROM pg_roles r WHERE r.rolname = $1`,
            [name],
        )
    ).rows;
    const id = db.escapeIdentifier(name);
    if (rows.length === 0) {
        // No password yet: the clone gets one at its first rotation, the app role from DATABASE_URL.
        await db.query(`CREATE ROLE ${id} WITH ${LOGIN_ATTRIBUTES} PASSWORD NULL${memberOf ? ` IN ROLE ${db.escapeIdentifier(memberOf)}` : ""}`);
        return true;
    }
    const r = rows[0]!;
    if (r["rolsuper"] === true || r["rolreplication"] === true || r["rolbypassrls"] === true) {
        throw new Error(`Role ${name} exists with SUPERUSER, REPLICATION or BYPASSRLS, which the app must not have and the master user cannot remove: drop or alter it as an administrator first.`);
    }
    if (r["administered"] !== true) {
        throw new Error(`Role ${name} exists but the master user does not hold ADMIN OPTION on it (someone else created it), so the rotation could not set its password: grant it WITH ADMIN OPTION to the master user, or drop it.`);
    }
    await db.query(`ALTER ROLE ${id} WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT`);
    if (memberOf) await db.query(`GRANT ${db.escapeIdentifier(memberOf)} TO ${id}`);
    return false;
}

/**
 * Hands the app role what the master owns in the schema (an existing database, whose tables the
 * master's migrations created): tables, views, materialized views, standalone sequences
 * (a column's sequence follows its table), routines and types. Each ALTER ... OWNER holds its
 * table's lock for an instant; with `lock_timeout` a busy table fails the run rather than queueing.
 */
async function adoptMasterObjects(db: DbSession, schema: string, master: string, app: string): Promise<string[]> {
    const objects = (
        await db.query(
            `SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind,
                    quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relowner = $2::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
             UNION ALL
             SELECT 'ROUTINE', p.oid::regprocedure::text
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = $1 AND p.proowner = $2::regrole
             UNION ALL
             SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype::text
               FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname = $1 AND t.typowner = $2::regrole
                AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
              ORDER BY 1, 2`,
            [schema, master],
        )
    ).rows.map((r) => ({ kind: String(r["kind"]), name: String(r["name"]) }));
    for (const o of objects) await db.query(`ALTER ${o.kind} ${o.name} OWNER TO ${db.escapeIdentifier(app)}`);
    return objects.map((o) => `${o.kind.toLowerCase()} ${o.name}`);
}
