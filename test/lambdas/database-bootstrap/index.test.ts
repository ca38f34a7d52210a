import * as pgModule from "pg";
import { runBootstrap } from "../../../lambdas/database-bootstrap";
import type { Connect, DbParams, DbSession } from "../../../lambdas/shared/postgres";
import { FakeSecretsManager } from "../fakeSecretsManager";
import { lambdaWithEnv, secretsManagerOf, withEnv } from "../lambdaEnv";

/** What the bootstrap Lambda reads, where it logs in, and what it passes on; bootstrap.test.ts has the statements. */

const URL_SECRET = "myapp/production/DATABASE_URL";
const MASTER_SECRET = "myapp/production/DATABASE_MASTER";
const MASTER = JSON.stringify({ username: "app_admin", password: "master-pw" });

/** A PostgreSQL 16 session as the master user, answering the bootstrap's reads with nothing found. */
function masterSession(statements: string[]): DbSession {
    return {
        escapeIdentifier: (n) => `"${n}"`,
        escapeLiteral: (v) => `'${v}'`,
        end: async () => undefined,
        query: async (sql) => {
            statements.push(sql.replace(/\s+/g, " ").trim());
            if (sql.includes("server_version_num")) return { rows: [{ v: "160004" }] };
            if (sql === "SELECT session_user AS u") return { rows: [{ u: "app_admin" }] };
            return { rows: [] };
        },
    };
}

function setup(url: string, master = MASTER) {
    const sm = new FakeSecretsManager();
    sm.create(MASTER_SECRET, master);
    sm.create(URL_SECRET, url);
    const logins: DbParams[] = [];
    const statements: string[] = [];
    const connect: Connect = async (p) => (logins.push(p), masterSession(statements));
    return { sm, logins, statements, deps: { sm: sm.client, masterSecretArn: MASTER_SECRET, appSecretArn: URL_SECRET, connect } };
}

describe("runBootstrap", () => {
    it("logs in as the master user where DATABASE_URL points, and sets the app login's password from it", async () => {
        const { deps, logins, statements } = setup("postgresql://myapp_app:app-pw@db.internal:5433/app");
        const report = await runBootstrap({ appRole: "myapp_app", schema: "app_data" }, deps);
        expect(logins).toEqual([{ host: "db.internal", port: 5433, database: "app", user: "app_admin", password: "master-pw" }]);
        expect(report).toEqual({ appRole: "myapp_app", clone: "myapp_app_clone", schema: "app_data", created: ["myapp_app", "myapp_app_clone"], adopted: [], passwordSetFor: "myapp_app" });
        expect(statements).toContain('GRANT CONNECT, TEMPORARY ON DATABASE "app" TO "myapp_app"');
    });

    it("sets no password while DATABASE_URL is still on the master user, and uses the public schema by default", async () => {
        const { deps } = setup("postgresql://app_admin:master-pw@db.internal:5432/app");
        expect(await runBootstrap({ appRole: "myapp_app" }, deps)).toEqual({ appRole: "myapp_app", clone: "myapp_app_clone", schema: "public", created: ["myapp_app", "myapp_app_clone"], adopted: [] });
    });

    it("refuses a master secret without a username", async () => {
        const { deps, logins } = setup("postgresql://myapp_app:app-pw@db.internal:5432/app", JSON.stringify({ password: "master-pw" }));
        await expect(runBootstrap({ appRole: "myapp_app" }, deps)).rejects.toThrow("The master user secret lacks username or password.");
        expect(logins).toEqual([]);
    });

    it("passes on an error reading a secret as it is", async () => {
        const { sm, deps } = setup("postgresql://myapp_app:app-pw@db.internal:5432/app");
        const e = new Error("KMS said no");
        sm.failNext("GetSecretValueCommand", e);
        await expect(runBootstrap({ appRole: "myapp_app" }, deps)).rejects.toBe(e);
    });
});

describe("the handler", () => {
    /** `pg`'s Client as a master session, recording its settings. */
    function pgPackage(configs: Record<string, unknown>[], statements: string[]) {
        class Client {
            private readonly session = masterSession(statements);
            constructor(config: Record<string, unknown>) {
                configs.push(config);
            }
            async connect() {}
            query(sql: string) {
                return this.session.query(sql);
            }
            escapeIdentifier(n: string) {
                return this.session.escapeIdentifier(n);
            }
            escapeLiteral(v: string) {
                return this.session.escapeLiteral(v);
            }
            async end() {}
        }
        return { name: "pg", module: pgModule, classes: { Client } };
    }

    it("reads MASTER_SECRET_ARN and APP_SECRET_ARN, and allows a migration-sized 60 s a statement", async () => {
        const { sm } = setup("postgresql://myapp_app:app-pw@db.internal:5432/app");
        const configs: Record<string, unknown>[] = [];
        const env = { MASTER_SECRET_ARN: MASTER_SECRET, APP_SECRET_ARN: URL_SECRET };
        const { handler } = lambdaWithEnv<typeof import("../../../lambdas/database-bootstrap")>("database-bootstrap", env, [secretsManagerOf(sm.client), pgPackage(configs, [])]);
        await expect(withEnv(env, () => handler({ appRole: "myapp_app" }))).resolves.toMatchObject({ appRole: "myapp_app", passwordSetFor: "myapp_app" });
        expect(configs).toEqual([
            { host: "db.internal", port: 5432, database: "app", user: "app_admin", password: "master-pw", ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 5000, statement_timeout: 60000 },
        ]);
    });

    it.each([
        [{ APP_SECRET_ARN: URL_SECRET }, "The master user secret's ARN is not set (MASTER_SECRET_ARN, APP_SECRET_ARN)."],
        [{ MASTER_SECRET_ARN: MASTER_SECRET }, "The DATABASE_URL secret's ARN is not set (MASTER_SECRET_ARN, APP_SECRET_ARN)."],
    ])("refuses to run without its environment (%j)", async (env, message) => {
        const { sm } = setup("postgresql://myapp_app:app-pw@db.internal:5432/app");
        const { handler } = lambdaWithEnv<typeof import("../../../lambdas/database-bootstrap")>("database-bootstrap", env, [secretsManagerOf(sm.client), pgPackage([], [])]);
        await expect(withEnv(env, () => handler({ appRole: "myapp_app" }))).rejects.toThrow(message);
    });
});
