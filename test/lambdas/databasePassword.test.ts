import { GetRandomPasswordCommand } from "@aws-sdk/client-secrets-manager";
import { createHash, createHmac, pbkdf2Sync } from "crypto";
import { Connect, databaseSteps } from "../../lambdas/database-password";
import { rotationHandler } from "../../lambdas/shared/rotation";
import { FakeSecretsManager } from "./fakeSecretsManager";
import { alternateUser, baseUser, cloneOf, isAppRoleName, parseDatabaseUrl, withCredentials } from "../../lambdas/database-password/url";
import { SCRAM_ITERATIONS, scramVerifier } from "../../lambdas/shared/scram";

/**
 * The pure parts of the database password rotation. What it does to a database is tested against
 * a real PostgreSQL 16 server in database.postgres.test.ts.
 */

const URL0 = "postgresql://myapp_app:initial-pw@db.internal:5432/app?sslmode=require";
const ROLES = { appRole: "myapp_app", master: "app_admin" };

describe("DATABASE_URL helpers", () => {
    it("parses the parts of a URL, percent-decoded", () => {
        expect(parseDatabaseUrl("postgresql://app%40x:p%2Fw@h.example:6543/db")).toEqual({ host: "h.example", port: 6543, database: "db", user: "app@x", password: "p/w" });
        expect(parseDatabaseUrl("postgres://u:p@h/db").port).toBe(5432);
    });

    it("refuses URLs without credentials or of another scheme, without echoing them", () => {
        expect(() => parseDatabaseUrl("postgresql://h/db")).toThrow("DATABASE_URL has no user, password.");
        expect(() => parseDatabaseUrl("postgresql://u:p@h/")).toThrow("DATABASE_URL has no database.");
        expect(() => parseDatabaseUrl("mysql://u:p@h/db")).toThrow("DATABASE_URL has scheme mysql:, not postgresql:.");
        expect(() => parseDatabaseUrl("not a url with secret-pw")).toThrow(/^DATABASE_URL is not a URL/);
        expect(() => parseDatabaseUrl("not a url with secret-pw")).not.toThrow(/secret-pw/);
    });

    it.each(["it's", "back\\slash", "p@ss:w/rd", "100%#?&=", 'quote"d', "sp ace", "'; DROP ROLE x; --"])("round-trips the password %p through the URL", (password) => {
        const url = withCredentials(URL0, "myapp_app_clone", password);
        expect(parseDatabaseUrl(url)).toEqual({ host: "db.internal", port: 5432, database: "app", user: "myapp_app_clone", password });
        expect(url.endsWith("@db.internal:5432/app?sslmode=require")).toBe(true);
    });

    it("swaps credentials and keeps host, database and query", () => {
        expect(withCredentials(URL0, "myapp_app_clone", "n3w")).toBe("postgresql://myapp_app_clone:n3w@db.internal:5432/app?sslmode=require");
    });
});

describe("alternating users", () => {
    it("alternates between the app role and its clone", () => {
        expect(alternateUser("myapp_app", ROLES)).toBe("myapp_app_clone");
        expect(alternateUser("myapp_app_clone", ROLES)).toBe("myapp_app");
        expect(baseUser("myapp_app_clone")).toBe("myapp_app");
        expect(baseUser("myapp_app")).toBe("myapp_app");
        expect(cloneOf("myapp_app")).toBe("myapp_app_clone");
    });

    it("moves a DATABASE_URL on the master user to the app role, and never back onto the master", () => {
        expect(alternateUser("app_admin", ROLES)).toBe("myapp_app");
        for (const u of ["myapp_app", "myapp_app_clone"]) expect(alternateUser(alternateUser(u, ROLES), ROLES)).not.toBe("app_admin");
    });

    it("refuses any other user: the rotation sets passwords only on the roles it owns", () => {
        expect(() => alternateUser("postgres", ROLES)).toThrow(
            "DATABASE_URL names the user postgres, which is neither the app role myapp_app, its clone myapp_app_clone, nor the master user: refusing to rotate a role this rotation does not own.",
        );
        expect(() => alternateUser("myapp_app_clone_clone", ROLES)).toThrow(/neither the app role/);
    });

    it.each([
        ["myapp_app", true],
        ["_x", true],
        ["a".repeat(57), true],
        ["a".repeat(58), false],
        ["MyApp", false],
        ["9app", false],
        ["my-app", false],
        ["my\"app", false],
        ["myapp_clone", false],
        ["", false],
    ])("takes %p as an app role name: %p", (name, ok) => {
        expect(isAppRoleName(name)).toBe(ok);
    });
});

describe("SCRAM verifiers", () => {
    const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");

    it("have PostgreSQL's format and default iteration count", () => {
        expect(scramVerifier("pencil", salt)).toMatch(/^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
        expect(SCRAM_ITERATIONS).toBe(4096);
    });

    it("follow RFC 5802: StoredKey = H(HMAC(SaltedPassword, 'Client Key')), ServerKey = HMAC(SaltedPassword, 'Server Key')", () => {
        const salted = pbkdf2Sync("pencil", salt, 4096, 32, "sha256");
        const stored = createHash("sha256").update(createHmac("sha256", salted).update("Client Key").digest()).digest("base64");
        const server = createHmac("sha256", salted).update("Server Key").digest("base64");
        expect(scramVerifier("pencil", salt)).toBe(`SCRAM-SHA-256$4096:${salt.toString("base64")}$${stored}:${server}`);
    });

    it("never contain the password, and differ per salt", () => {
        const a = scramVerifier("it's a \\ secret");
        expect(a).not.toContain("secret");
        expect(scramVerifier("it's a \\ secret")).not.toBe(a);
    });

    it("refuse passwords PostgreSQL would normalise", () => {
        expect(() => scramVerifier("pässword")).toThrow("Only non-empty printable ASCII passwords can be set here: PostgreSQL would normalise others (SASLprep).");
        expect(() => scramVerifier("")).toThrow(/printable ASCII/);
        expect(() => scramVerifier("tab\there")).toThrow(/printable ASCII/);
    });
});

describe("the rotation's refusals before it touches a database", () => {
    const URL_SECRET = "myapp/production/DATABASE_URL";
    const MASTER_SECRET = "myapp/production/DATABASE_MASTER";
    const unreachable: Connect = async () => {
        throw new Error("no database in this test");
    };

    function setup(master: string | undefined, deps: { masterSecretArn?: string; appRole?: string } = {}) {
        const sm = new FakeSecretsManager();
        sm.create(URL_SECRET, URL0);
        if (master !== undefined) sm.create(MASTER_SECRET, master);
        const handler = rotationHandler(sm.client, databaseSteps({ masterSecretArn: deps.masterSecretArn ?? MASTER_SECRET, appRole: deps.appRole ?? "myapp_app", connect: unreachable }));
        sm.startRotation(URL_SECRET, "t1");
        return { sm, run: () => handler({ SecretId: URL_SECRET, ClientRequestToken: "t1", Step: "createSecret" }) };
    }
    const MASTER_JSON = JSON.stringify({ username: "app_admin", password: "pw" });

    it.each([
        ["MASTER_SECRET_ARN unset", setup(MASTER_JSON, { masterSecretArn: "" }), "MASTER_SECRET_ARN is not set: the rotation needs the master user to set the clone's password."],
        ["APP_ROLE unset", setup(MASTER_JSON, { appRole: "" }), "APP_ROLE is not set: the rotation needs the app role the bootstrap created."],
        ["APP_ROLE naming the master", setup(MASTER_JSON, { appRole: "app_admin" }), "APP_ROLE is the master user app_admin: the app must have a role of its own."],
        ["a master secret that is not JSON", setup("app_admin:pw"), `The master user secret ${MASTER_SECRET} is not JSON {"username", "password"}.`],
        ["a master secret without a password", setup(JSON.stringify({ username: "app_admin" })), "The master user secret lacks username or password."],
    ])("refuses %s, writing nothing", async (_what, { sm, run }, message) => {
        await expect(run()).rejects.toThrow(message);
        expect(sm.valueAt(URL_SECRET, "AWSPENDING")).toBeUndefined();
    });

    it("refuses an empty password from GetRandomPassword", async () => {
        const { sm, run } = setup(MASTER_JSON);
        sm.nextPasswords("");
        await expect(run()).rejects.toThrow("GetRandomPassword returned no password.");
    });

    it("asks GetRandomPassword for 32 characters without punctuation, each kind included", async () => {
        const { sm, run } = setup(MASTER_JSON);
        await run();
        expect(sm.mock.commandCalls(GetRandomPasswordCommand).map((c) => c.args[0].input)).toEqual([{ PasswordLength: 32, ExcludePunctuation: true, RequireEachIncludedType: true }]);
        expect(parseDatabaseUrl(sm.valueAt(URL_SECRET, "AWSPENDING")!)).toMatchObject({ user: "myapp_app_clone", password: "generated1" });
    });
});
