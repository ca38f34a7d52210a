import { GetSecretValueCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import { Connect, DbSession, databaseSteps } from "../../../lambdas/database-password";
import { parseDatabaseUrl } from "../../../lambdas/database-password/url";
import { rotationHandler } from "../../../lambdas/shared/rotation";
import { scramVerifier } from "../../../lambdas/shared/scram";
import { FakeSecretsManager } from "../fakeSecretsManager";
import { lambdaWithEnv, secretsManagerOf } from "../lambdaEnv";

/**
 * The rotation's statements and guards, exactly, against a scripted database that keeps roles,
 * their SCRAM verifiers and role settings. database.postgres.test.ts runs it against PostgreSQL 16.
 */

const URL_SECRET = "myapp/production/DATABASE_URL";
const MASTER_SECRET = "myapp/production/DATABASE_MASTER";
const MASTER_JSON = JSON.stringify({ username: "app_admin", password: "master-pw" });
const url = (user: string, password: string, where = "db.internal:5432/app") => `postgresql://${user}:${password}@${where}?sslmode=require`;

class FakeDatabase {
    readonly roles = new Map<string, { verifier: string; setRole?: string }>();
    readonly statements: string[] = [];
    readonly logins: string[] = [];
    /** When set, every session says it is this user; null: the server answers no row. */
    sessionUser?: string | null;

    constructor() {
        this.setPassword("app_admin", "master-pw");
    }

    setPassword(role: string, password: string): void {
        this.roles.set(role, { ...this.roles.get(role), verifier: scramVerifier(password) });
    }

    private passwordMatches(role: string, password: string): boolean {
        const v = this.roles.get(role)?.verifier;
        if (!v) return false;
        const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(v)!;
        return scramVerifier(password, Buffer.from(salt!, "base64"), Number(iterations)) === v;
    }

    readonly connect: Connect = async (p) => {
        this.logins.push(`${p.user}@${p.host}:${p.port}/${p.database}`);
        if (!this.passwordMatches(p.user, p.password)) throw Object.assign(new Error(`password authentication failed for user "${p.user}"`), { code: "28P01" });
        const session: DbSession = {
            escapeIdentifier: (n) => `"${n}"`,
            escapeLiteral: (v) => `'${v}'`,
            end: async () => undefined,
            query: async (sql, params) => {
                this.statements.push(sql);
                if (sql === "SELECT 1 FROM pg_roles WHERE rolname = $1") return { rows: this.roles.has(String(params?.[0])) ? [{ "?column?": 1 }] : [] };
                if (sql === "SELECT current_user AS login, session_user AS session") {
                    if (this.sessionUser === null) return { rows: [] };
                    const user = this.sessionUser ?? p.user;
                    return { rows: [{ login: this.roles.get(user)?.setRole ?? user, session: user }] };
                }
                let m = /^(?:CREATE|ALTER) ROLE "([^"]+)" WITH LOGIN PASSWORD '([^']+)'/.exec(sql);
                if (m) this.roles.set(m[1]!, { ...this.roles.get(m[1]!), verifier: m[2]! });
                m = /^ALTER ROLE "([^"]+)" SET role = '([^']+)'$/.exec(sql);
                if (m) this.roles.set(m[1]!, { ...this.roles.get(m[1]!)!, setRole: m[2]! });
                return { rows: [] };
            },
        };
        return session;
    };
}

function setup(current = url("myapp_app", "app-pw"), master: string | undefined = MASTER_JSON) {
    const sm = new FakeSecretsManager();
    sm.create(URL_SECRET, current);
    if (master !== undefined) sm.create(MASTER_SECRET, master);
    const db = new FakeDatabase();
    db.setPassword("myapp_app", "app-pw");
    const steps = databaseSteps({ masterSecretArn: MASTER_SECRET, appRole: "myapp_app", connect: db.connect });
    const handler = rotationHandler(sm.client, steps);
    const step = (Step: "createSecret" | "setSecret" | "testSecret" | "finishSecret", token = "t1") => handler({ SecretId: URL_SECRET, ClientRequestToken: token, Step });
    /** Starts a rotation whose AWSPENDING value is `pending`, as if createSecret had written it. */
    const pendingIs = async (pending: string) => {
        sm.startRotation(URL_SECRET, "t1");
        await sm.client.send(new PutSecretValueCommand({ SecretId: URL_SECRET, ClientRequestToken: "t1", SecretString: pending, VersionStages: ["AWSPENDING"] }));
    };
    return { sm, db, handler, step, pendingIs };
}

/** A statement with its SCRAM verifier shown as <verifier>. */
const shown = (sql: string) => sql.replace(/'SCRAM-SHA-256\$[^']+'/g, "<verifier>");

describe("a rotation, statement by statement", () => {
    it("creates the clone on the first rotation, acting as the app role, and logs in with it", async () => {
        const { sm, db, handler } = setup();
        // A dash never occurs in a SCRAM verifier (base64), so the plain password cannot appear in one by chance.
        sm.nextPasswords("plain-P1");
        await sm.rotate(handler, URL_SECRET, "t1");
        expect(db.statements.map(shown)).toEqual([
            "BEGIN",
            "SELECT 1 FROM pg_roles WHERE rolname = $1",
            `CREATE ROLE "myapp_app_clone" WITH LOGIN PASSWORD <verifier> IN ROLE "myapp_app"`,
            `ALTER ROLE "myapp_app_clone" SET role = 'myapp_app'`,
            "COMMIT",
            "SELECT current_user AS login, session_user AS session",
        ]);
        expect(db.logins).toEqual(["myapp_app@db.internal:5432/app", "app_admin@db.internal:5432/app", "myapp_app_clone@db.internal:5432/app"]);
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(url("myapp_app_clone", "plain-P1"));
        expect(db.statements.join("\n")).not.toContain("plain-P1");
    });

    it("sets the app role's own password on the way back, without a role setting", async () => {
        const { sm, db, handler } = setup();
        sm.nextPasswords("P1", "P2");
        await sm.rotate(handler, URL_SECRET, "t1");
        db.statements.length = 0;
        await sm.rotate(handler, URL_SECRET, "t2");
        expect(db.statements.map(shown)).toEqual([
            "BEGIN",
            "SELECT 1 FROM pg_roles WHERE rolname = $1",
            `ALTER ROLE "myapp_app" WITH LOGIN PASSWORD <verifier>`,
            "COMMIT",
            "SELECT current_user AS login, session_user AS session",
        ]);
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(url("myapp_app", "P2"));
    });

    it("moves a DATABASE_URL on the master user to the app role, then takes AWSPREVIOUS off the master's credentials", async () => {
        const { sm, db, handler } = setup(url("app_admin", "master-pw"));
        sm.nextPasswords("P1");
        await sm.rotate(handler, URL_SECRET, "t1");
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(url("myapp_app", "P1"));
        expect(sm.mock.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([
            { SecretId: URL_SECRET, VersionStage: "AWSCURRENT", MoveToVersionId: "t1", RemoveFromVersionId: "v0" },
            { SecretId: URL_SECRET, VersionStage: "AWSPREVIOUS", RemoveFromVersionId: "v0" },
        ]);
        expect(sm.stages(URL_SECRET)).toEqual({ t1: ["AWSCURRENT"] });
        expect(db.statements.map(shown)).toContain(`ALTER ROLE "myapp_app" WITH LOGIN PASSWORD <verifier>`);
    });

    it("keeps AWSPREVIOUS on the app's own roles, and on a previous value that is not a DATABASE_URL", async () => {
        const a = setup();
        a.sm.nextPasswords("P1");
        await a.sm.rotate(a.handler, URL_SECRET, "t1");
        expect(a.sm.stages(URL_SECRET)).toEqual({ v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT"] });
        const b = setup("not a url");
        await b.pendingIs(url("myapp_app", "P1"));
        b.sm.mock.resetHistory();
        await b.step("finishSecret");
        expect(b.sm.stages(URL_SECRET)).toEqual({ v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT", "AWSPENDING"] });
        // Nothing to compare with the master user: its secret is not even read.
        expect(b.sm.mock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId)).toEqual([URL_SECRET]);
    });
});

describe("setSecret's guards", () => {
    it.each([
        ["host", url("myapp_app_clone", "P1", "other.internal:5432/app")],
        ["port", url("myapp_app_clone", "P1", "db.internal:5433/app")],
        ["database", url("myapp_app_clone", "P1", "db.internal:5432/other")],
    ])("refuses a pending DATABASE_URL with another %s, touching no database", async (_what, pending) => {
        const { db, step, pendingIs } = setup();
        await pendingIs(pending);
        await expect(step("setSecret")).rejects.toThrow("The pending DATABASE_URL names another host, port or database than the current one; refusing to set a password there.");
        expect(db.logins).toEqual([]);
    });

    it("refuses a pending user that is not the alternate of the current one", async () => {
        const { db, step, pendingIs } = setup();
        await pendingIs(url("app_admin", "P1"));
        await expect(step("setSecret")).rejects.toThrow(
            "The pending DATABASE_URL names app_admin, but the alternate of the current user myapp_app is myapp_app_clone; refusing to set its password.",
        );
        expect(db.logins).toEqual([]);
    });

    it("refuses to rotate a DATABASE_URL that does not log in", async () => {
        const { db, step, pendingIs } = setup(url("myapp_app", "stale"));
        await pendingIs(url("myapp_app_clone", "P1"));
        await expect(step("setSecret")).rejects.toThrow(
            'The current DATABASE_URL does not log in (password authentication failed for user "myapp_app"); refusing to rotate a secret that is not the one in use.',
        );
        expect(db.statements).toEqual([]);
    });

    it("refuses to create the app role (the bootstrap's job), rolling back", async () => {
        const { db, step, pendingIs } = setup(url("app_admin", "master-pw"));
        db.roles.delete("myapp_app");
        await pendingIs(url("myapp_app", "P1"));
        await expect(step("setSecret")).rejects.toThrow("The app role myapp_app does not exist: the bootstrap creates it (run `pulumi up`; docs/secrets.md).");
        expect(db.statements).toEqual(["BEGIN", "SELECT 1 FROM pg_roles WHERE rolname = $1", "ROLLBACK"]);
    });
});

describe("testSecret", () => {
    it("refuses a login that is another session user than the URL names", async () => {
        const { db, step, pendingIs } = setup();
        await pendingIs(url("myapp_app", "app-pw"));
        db.sessionUser = "app_admin";
        await expect(step("testSecret")).rejects.toThrow("The pending DATABASE_URL logged in as another user than it names.");
        db.sessionUser = null;
        await expect(step("testSecret")).rejects.toThrow("The pending DATABASE_URL logged in as another user than it names.");
    });

    it("refuses a clone that does not act as the app role", async () => {
        const { db, step, pendingIs } = setup();
        db.setPassword("myapp_app_clone", "P1");
        await pendingIs(url("myapp_app_clone", "P1"));
        await expect(step("testSecret")).rejects.toThrow("The pending DATABASE_URL's user does not act as myapp_app: objects it created would belong to another role.");
        db.roles.get("myapp_app_clone")!.setRole = "myapp_app";
        await expect(step("testSecret")).resolves.toBeUndefined();
    });
});

describe("the master user secret", () => {
    it("must have a current value", async () => {
        const { sm, step } = setup();
        await sm.client.send(new UpdateSecretVersionStageCommand({ SecretId: MASTER_SECRET, VersionStage: "AWSCURRENT", RemoveFromVersionId: "v0" }));
        sm.startRotation(URL_SECRET, "t1");
        await expect(step("createSecret")).rejects.toThrow(`The master user secret ${MASTER_SECRET} has no current value.`);
    });

    it("must name a username as well as a password", async () => {
        const { sm, step } = setup(undefined, JSON.stringify({ password: "master-pw" }));
        sm.startRotation(URL_SECRET, "t1");
        await expect(step("createSecret")).rejects.toThrow("The master user secret lacks username or password.");
    });
});

describe("the handler", () => {
    const load = (env: Record<string, string>, sm: FakeSecretsManager) => lambdaWithEnv<typeof import("../../../lambdas/database-password")>("database-password", env, [secretsManagerOf(sm.client)]);

    it("takes the master secret and the app role from MASTER_SECRET_ARN and APP_ROLE", async () => {
        const { sm } = setup();
        const { handler } = load({ MASTER_SECRET_ARN: MASTER_SECRET, APP_ROLE: "myapp_app" }, sm);
        sm.startRotation(URL_SECRET, "t1");
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        expect(parseDatabaseUrl(sm.valueAt(URL_SECRET, "AWSPENDING")!).user).toBe("myapp_app_clone");
    });

    it.each([
        [{ APP_ROLE: "myapp_app" }, "MASTER_SECRET_ARN is not set: the rotation needs the master user to set the clone's password."],
        [{ MASTER_SECRET_ARN: MASTER_SECRET }, "APP_ROLE is not set: the rotation needs the app role the bootstrap created."],
    ])("refuses to rotate without its environment (%j)", async (env, message) => {
        const { sm } = setup();
        const { handler } = load(env, sm);
        sm.startRotation(URL_SECRET, "t1");
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toThrow(message);
    });
});
