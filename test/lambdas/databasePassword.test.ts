import { GetRandomPasswordCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { databaseSteps } from "../../lambdas/database-password";
import { alternateUser, baseUser, parseDatabaseUrl, withCredentials } from "../../lambdas/database-password/url";
import { rotationHandler } from "../../lambdas/shared/rotation";
import { FakePostgres } from "./fakePostgres";
import { FakeSecretsManager, runRotation } from "./fakeSecretsManager";

const URL_SECRET = "myapp/production/DATABASE_URL";
const MASTER_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234";
const INITIAL_URL = "postgresql://myapp:initial-pw@db.internal:5432/myapp?sslmode=verify-full";

function setup(): { sm: FakeSecretsManager; pg: FakePostgres; handler: ReturnType<typeof rotationHandler> } {
    const sm = new FakeSecretsManager();
    sm.create(URL_SECRET, INITIAL_URL);
    sm.create(MASTER_SECRET, JSON.stringify({ username: "postgres", password: "master-pw" }));
    const pg = new FakePostgres();
    pg.addRole("postgres", "master-pw");
    pg.addRole("myapp", "initial-pw");
    const handler = rotationHandler(sm.client, databaseSteps({ masterSecretArn: MASTER_SECRET, connect: pg.connect }));
    return { sm, pg, handler };
}

describe("DATABASE_URL helpers", () => {
    it("parses the parts of a URL, percent-decoded", () => {
        expect(parseDatabaseUrl("postgresql://app%40x:p%2Fw@h.example:6543/db")).toEqual({
            host: "h.example",
            port: 6543,
            database: "db",
            user: "app@x",
            password: "p/w",
        });
        expect(parseDatabaseUrl("postgres://u:p@h/db").port).toBe(5432);
    });

    it("refuses URLs without credentials or of another scheme, without echoing them", () => {
        expect(() => parseDatabaseUrl("postgresql://h/db")).toThrow("DATABASE_URL has no user, password.");
        expect(() => parseDatabaseUrl("mysql://u:p@h/db")).toThrow("DATABASE_URL has scheme mysql:, not postgresql:.");
        expect(() => parseDatabaseUrl("not a url with secret-pw")).toThrow(/^DATABASE_URL is not a URL/);
        expect(() => parseDatabaseUrl("not a url with secret-pw")).not.toThrow(/secret-pw/);
    });

    it("alternates between the app role and its clone", () => {
        expect(alternateUser("myapp")).toBe("myapp_clone");
        expect(alternateUser("myapp_clone")).toBe("myapp");
        expect(baseUser("myapp_clone")).toBe("myapp");
        expect(baseUser("myapp_clone2")).toBe("myapp");
        expect(baseUser("myapp")).toBe("myapp");
        expect(alternateUser("myapp_clone2")).toBe("myapp");
    });

    it("never alternates back onto the master user", () => {
        expect(alternateUser("postgres", "postgres")).toBe("postgres_clone");
        expect(alternateUser("postgres_clone", "postgres")).toBe("postgres_clone2");
        expect(alternateUser("postgres_clone2", "postgres")).toBe("postgres_clone");
        expect(alternateUser("myapp", "postgres")).toBe("myapp_clone");
    });

    it("swaps credentials and keeps host, database and query", () => {
        expect(withCredentials(INITIAL_URL, "myapp_clone", "n3w")).toBe("postgresql://myapp_clone:n3w@db.internal:5432/myapp?sslmode=verify-full");
    });
});

describe("database password rotation", () => {
    it("creates the clone role with a new password and moves DATABASE_URL to it", async () => {
        const { sm, pg, handler } = setup();
        sm.nextPasswords("Pw1AAAAbbbbCCCCddddEEEEffffGGGG1");
        sm.startRotation(URL_SECRET, "t1");
        await runRotation(handler, URL_SECRET, "t1");

        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe("postgresql://myapp_clone:Pw1AAAAbbbbCCCCddddEEEEffffGGGG1@db.internal:5432/myapp?sslmode=verify-full");
        expect(sm.valueAt(URL_SECRET, "AWSPREVIOUS")).toBe(INITIAL_URL);
        expect(pg.roles.get("myapp_clone")).toEqual({ password: "Pw1AAAAbbbbCCCCddddEEEEffffGGGG1", login: true, memberOf: ["myapp"], setRole: "myapp" });
        // The role the pods still use keeps its password: nothing breaks before they pick up the new URL.
        expect(pg.roles.get("myapp")?.password).toBe("initial-pw");
        expect(pg.log.filter((l) => l.user === "postgres").map((l) => l.sql)).toEqual([
            "SELECT 1 FROM pg_roles WHERE rolname = $1",
            "CREATE ROLE \"myapp_clone\" WITH LOGIN PASSWORD 'Pw1AAAAbbbbCCCCddddEEEEffffGGGG1' IN ROLE \"myapp\"",
            "ALTER ROLE \"myapp_clone\" SET role = 'myapp'",
        ]);
        // GetRandomPassword is asked for a URL-safe password of 32 characters.
        expect(sm.mock.commandCalls(GetRandomPasswordCommand)[0]!.args[0].input).toEqual({
            PasswordLength: 32,
            ExcludePunctuation: true,
        });
    });

    it("on the next rotation sets a new password on the original role and switches back", async () => {
        const { sm, pg, handler } = setup();
        sm.nextPasswords("first", "second");
        sm.startRotation(URL_SECRET, "t1");
        await runRotation(handler, URL_SECRET, "t1");
        sm.startRotation(URL_SECRET, "t2");
        await runRotation(handler, URL_SECRET, "t2");

        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe("postgresql://myapp:second@db.internal:5432/myapp?sslmode=verify-full");
        expect(sm.valueAt(URL_SECRET, "AWSPREVIOUS")).toBe("postgresql://myapp_clone:first@db.internal:5432/myapp?sslmode=verify-full");
        expect(pg.roles.get("myapp")?.password).toBe("second");
        expect(pg.roles.get("myapp_clone")?.password).toBe("first");
        expect(pg.log.filter((l) => l.user === "postgres").map((l) => l.sql).slice(-1)).toEqual(["ALTER ROLE \"myapp\" WITH LOGIN PASSWORD 'second'"]);
    });

    it("leaves AWSCURRENT and the database untouched when the database is down at setSecret, and a retry finishes with the same password", async () => {
        const { sm, pg, handler } = setup();
        sm.nextPasswords("only-once");
        sm.startRotation(URL_SECRET, "t1");
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        pg.down = "connect ETIMEDOUT";
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow("connect ETIMEDOUT");

        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(INITIAL_URL);
        expect(sm.stages(URL_SECRET)).toEqual({ v0: ["AWSCURRENT"], t1: ["AWSPENDING"] });
        expect(pg.roles.has("myapp_clone")).toBe(false);

        // Secrets Manager retries the rotation with the same token, from the first step.
        pg.down = undefined;
        await runRotation(handler, URL_SECRET, "t1");
        expect(sm.issuedPasswords).toEqual(["only-once"]);
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe("postgresql://myapp_clone:only-once@db.internal:5432/myapp?sslmode=verify-full");
    });

    it("converges on the same roles when setSecret is retried after it succeeded", async () => {
        const { sm, pg, handler } = setup();
        sm.startRotation(URL_SECRET, "t1");
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" });
        const after = structuredClone([...pg.roles]);
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" });
        expect([...pg.roles]).toEqual(after);
        expect(pg.log.filter((l) => l.user === "postgres").map((l) => l.sql).slice(-3)).toEqual([
            "SELECT 1 FROM pg_roles WHERE rolname = $1",
            "ALTER ROLE \"myapp_clone\" WITH LOGIN PASSWORD 'generated1'",
            "ALTER ROLE \"myapp_clone\" SET role = 'myapp'",
        ]);
    });

    it("finishes correctly when the connection dropped after the clone was created but before its role setting", async () => {
        const { sm, pg, handler } = setup();
        sm.startRotation(URL_SECRET, "t1");
        pg.failOnce = /^ALTER ROLE "myapp_clone" SET role/;
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow("connection terminated unexpectedly");
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(INITIAL_URL);
        // Half-made clone: it logs in but acts as itself, so testSecret refuses it.
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "testSecret" })).rejects.toThrow(
            "The pending DATABASE_URL's user does not act as myapp: objects it created would belong to another role.",
        );
        await runRotation(handler, URL_SECRET, "t1");
        expect(pg.roles.get("myapp_clone")).toEqual({ password: "generated1", login: true, memberOf: ["myapp"], setRole: "myapp" });
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe("postgresql://myapp_clone:generated1@db.internal:5432/myapp?sslmode=verify-full");
    });

    it("fails testSecret, and never reaches finishSecret, when the pending credentials do not log in", async () => {
        const { sm, pg, handler } = setup();
        sm.startRotation(URL_SECRET, "t1");
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        await handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" });
        pg.roles.get("myapp_clone")!.password = "changed-behind-our-back";
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "testSecret" })).rejects.toThrow(
            'password authentication failed for user "myapp_clone"',
        );
        expect(sm.valueAt(URL_SECRET, "AWSCURRENT")).toBe(INITIAL_URL);
        expect(sm.calls()).not.toContain("UpdateSecretVersionStageCommand");
    });

    it("refuses to set a password on another host than the current URL names", async () => {
        const { sm, handler } = setup();
        sm.startRotation(URL_SECRET, "t1");
        await sm.client.send(
            new PutSecretValueCommand({
                SecretId: URL_SECRET,
                ClientRequestToken: "t1",
                SecretString: "postgresql://myapp_clone:x@evil.example:5432/myapp",
                VersionStages: ["AWSPENDING"],
            }),
        );
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow(
            "The pending DATABASE_URL names another host or database than the current one; refusing to set a password there.",
        );
    });

    it("fails at createSecret, before any change, when the master secret is not configured", async () => {
        const { sm, pg } = setup();
        const handler = rotationHandler(sm.client, databaseSteps({ masterSecretArn: "", connect: pg.connect }));
        sm.startRotation(URL_SECRET, "t1");
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toThrow(
            "MASTER_SECRET_ARN is not set: the rotation needs the master user to set the clone's password.",
        );
        expect(sm.stages(URL_SECRET)).toEqual({ v0: ["AWSCURRENT"], t1: ["AWSPENDING"] });
        expect(sm.valueAt(URL_SECRET, "AWSPENDING")).toBeUndefined();
    });

    it("moves an app that connects as the master user off it for good, and never changes the master's password", async () => {
        const sm = new FakeSecretsManager();
        const url = "postgresql://postgres:master-pw@db.internal:5432/myapp?sslmode=require";
        sm.create(URL_SECRET, url);
        sm.create(MASTER_SECRET, JSON.stringify({ username: "postgres", password: "master-pw" }));
        const pg = new FakePostgres();
        pg.addRole("postgres", "master-pw");
        const handler = rotationHandler(sm.client, databaseSteps({ masterSecretArn: MASTER_SECRET, connect: pg.connect }));
        const users: string[] = [];
        for (const token of ["t1", "t2", "t3"]) {
            sm.startRotation(URL_SECRET, token);
            await runRotation(handler, URL_SECRET, token);
            users.push(parseDatabaseUrl(sm.valueAt(URL_SECRET, "AWSCURRENT")!).user);
        }
        expect(users).toEqual(["postgres_clone", "postgres_clone2", "postgres_clone"]);
        expect(pg.roles.get("postgres")?.password).toBe("master-pw");
        expect(pg.roles.get("postgres_clone2")).toEqual({ password: "generated2", login: true, memberOf: ["postgres"], setRole: "postgres" });
    });

    it("refuses a pending value that would set the master user's password", async () => {
        const { sm, handler } = setup();
        sm.startRotation(URL_SECRET, "t1");
        await sm.client.send(
            new PutSecretValueCommand({
                SecretId: URL_SECRET,
                ClientRequestToken: "t1",
                SecretString: "postgresql://postgres:x@db.internal:5432/myapp",
                VersionStages: ["AWSPENDING"],
            }),
        );
        await expect(handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "setSecret" })).rejects.toThrow(
            "The pending DATABASE_URL names the master user; its password belongs to DATABASE_MASTER and is not rotated here.",
        );
    });
});
