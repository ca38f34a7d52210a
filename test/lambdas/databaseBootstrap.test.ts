import { BootstrapInput, bootstrap, inputProblems } from "../../lambdas/database-bootstrap/bootstrap";
import { runBootstrap } from "../../lambdas/database-bootstrap";
import type { Connect, DbSession } from "../../lambdas/shared/postgres";
import { FakeSecretsManager } from "./fakeSecretsManager";

/**
 * The bootstrap's refusals that need no database. What it does to one is tested against a real
 * PostgreSQL 16 in database.postgres.test.ts.
 */

const URL_SECRET = "myapp/production/DATABASE_URL";
const MASTER_SECRET = "myapp/production/DATABASE_MASTER";
const unreachable: Connect = async () => {
    throw new Error("no database in this test");
};

function deps(master: string | undefined, url: string | undefined, arns: { master?: string; app?: string } = {}) {
    const sm = new FakeSecretsManager();
    if (master !== undefined) sm.create(MASTER_SECRET, master);
    if (url !== undefined) sm.create(URL_SECRET, url);
    return { sm: sm.client, masterSecretArn: arns.master ?? MASTER_SECRET, appSecretArn: arns.app ?? URL_SECRET, connect: unreachable };
}
const MASTER = JSON.stringify({ username: "app_admin", password: "pw" });
const URL = "postgresql://myapp_app:pw@db.internal:5432/app";

describe("database bootstrap refusals", () => {
    it.each([
        ["no master secret ARN", deps(MASTER, URL, { master: "" }), "The master user secret's ARN is not set (MASTER_SECRET_ARN, APP_SECRET_ARN)."],
        ["no DATABASE_URL ARN", deps(MASTER, URL, { app: "" }), "The DATABASE_URL secret's ARN is not set (MASTER_SECRET_ARN, APP_SECRET_ARN)."],
        ["a master secret that is not JSON", deps("app_admin:pw", URL), `The master user secret ${MASTER_SECRET} is not JSON {"username", "password"}.`],
        ["a master secret without a password", deps(JSON.stringify({ username: "app_admin" }), URL), "The master user secret lacks username or password."],
        ["a DATABASE_URL that is not one", deps(MASTER, "app_admin@db"), "DATABASE_URL is not a URL (postgresql://user:password@host:port/database)."],
    ])("refuses %s before connecting", async (_what, d, message) => {
        await expect(runBootstrap({ appRole: "myapp_app" }, d)).rejects.toThrow(message);
    });

    it("reports a secret without a current value", async () => {
        const d = deps(MASTER, URL);
        const sm = new FakeSecretsManager();
        sm.create(MASTER_SECRET, MASTER);
        await expect(runBootstrap({ appRole: "myapp_app" }, { ...d, sm: sm.client })).rejects.toThrow(`The DATABASE_URL secret ${URL_SECRET} has no current value.`);
    });

    const input: BootstrapInput = { appRole: "myapp_app", master: "app_admin", database: "app" };

    it.each<[string, Partial<BootstrapInput>, string]>([
        ["a role name PostgreSQL would fold or the clone would not fit", { appRole: "MyApp" }, 'appRole "MyApp" is not a role name this program uses: lower-case letters, digits and _, at most 57 characters, not ending in _clone'],
        ["the master as the app", { appRole: "app_admin" }, "appRole is the master user app_admin: the app needs a role of its own"],
        ["a schema that needs quoting", { schema: "App Schema" }, 'schema "App Schema" is not a plain lower-case identifier'],
        ["a login that is neither the app role nor its clone", { currentLogin: { user: "postgres", password: "x" } }, "the current login postgres is neither the app role nor its clone: its password is not set here"],
    ])("refuses %s", (_what, change, problem) => {
        expect(inputProblems({ ...input, ...change })).toEqual([problem]);
    });

    it("lists every problem at once", () => {
        expect(inputProblems({ ...input, appRole: "app_admin", schema: "x y" })).toHaveLength(2);
        expect(inputProblems(input)).toEqual([]);
    });

    it("refuses a server older than PostgreSQL 16, whose grants work otherwise", async () => {
        const statements: string[] = [];
        const old: DbSession = {
            query: async (sql) => {
                statements.push(sql);
                return { rows: [{ v: "150007", u: "app_admin" }] };
            },
            escapeIdentifier: (n) => `"${n}"`,
            escapeLiteral: (v) => `'${v}'`,
            end: async () => undefined,
        };
        await expect(bootstrap(old, input)).rejects.toThrow("Database bootstrap needs PostgreSQL 16 or later (database.engineVersion); the server is 150007.");
        expect(statements).toEqual(["SELECT current_setting('server_version_num') AS v"]);
    });
});
