import { Problem, SettingsError } from "../../settings/errors";
import { loadStackSettings } from "../../settings/load";
import { projectFiles } from "../../settings/stackFiles";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { wellFormed } from "./fuzz/oracle";
import { ROOT, SECRET_SENTINELS, deployEnv } from "../helpers/stacks";

/**
 * What the settings fuzzer (test/settings/fuzz.test.ts) found, one case each, as the loader must
 * now answer it.
 */

interface Change {
    config?: Record<string, string>;
    env?: Record<string, string>;
    secretKeys?: string[];
}

function problemsOf(stack: string, change: Change = {}): { problems: readonly Problem[]; message: string } {
    const secret = new Set(change.secretKeys ?? []);
    try {
        loadStackSettings({
            project: "ops",
            stack,
            config: { ...readStackConfig(ROOT, stack).config, ...change.config },
            env: { ...SECRET_SENTINELS, ...deployEnv(stack), ...change.env },
            isSecret: (k) => secret.has(k),
            files: projectFiles(ROOT, stack),
        });
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return { problems: e.problems, message: e.message };
        throw e;
    }
    throw new Error("expected a SettingsError, but the settings loaded");
}

function one(problems: readonly Problem[], key: string): Problem {
    const found = problems.filter((p) => p.key === key);
    if (found.length !== 1) throw new Error(`expected one problem of ${key}, got: ${problems.map((p) => p.key).join(", ")}`);
    return found[0]!;
}

describe("numbers in variables", () => {
    it.each(["0x1F40", "0b101", "0o17"])("refuses %s, which Number() would read as a number, as not a decimal", (raw) => {
        const p = one(problemsOf("staging", { env: { OPS_APP__PORT: raw } }).problems, "ops:app.port");
        expect(p.received).toBe(JSON.stringify(raw));
        expect(p.source).toBe("environment variable OPS_APP__PORT");
        expect(p.allowed).toMatch(/a value of type number/);
    });

    it("still reads a decimal with spaces around it, and an exponent", () => {
        expect(() => problemsOf("staging", { env: { OPS_APP__PORT: " 8080 ", OPS_APP__JWT_EXPIRATION_MINUTES: "1.2e2" } })).toThrow(/but the settings loaded/);
    });
});

describe("a value meant for a secret key", () => {
    const value = "sentinel-misspelt-secret-9c1d";

    it.each([
        ["in plain text", []],
        ["encrypted", ["ops:externalApiKy"]],
    ])("is not printed when its key is misspelt (%s)", (_how, secretKeys) => {
        const { problems, message } = problemsOf("staging", { config: { "ops:externalApiKy": value }, secretKeys });
        const p = one(problems, "ops:externalApiKy");
        expect(p.received).toBe("[secret]");
        expect(p.allowed).toMatch(/did you mean ops:externalApiKey\?/);
        expect(message).not.toContain(value);
    });

    it("is not printed when it sits inside another key's JSON", () => {
        const { problems, message } = problemsOf("staging", { env: { OPS_APP: JSON.stringify({ externalApiKey: value }) } });
        expect(one(problems, "ops:app.externalApiKey").received).toBe("[secret]");
        expect(message).not.toContain(value);
    });

    it("leaves the values of other unknown keys shown", () => {
        expect(one(problemsOf("staging", { config: { "ops:ownr": "team-a" } }).problems, "ops:ownr").received).toBe('"team-a"');
    });
});

describe("characters outside the Basic Multilingual Plane", () => {
    it("are never cut in half where a message shortens a value", () => {
        // 117 UTF-16 units into a run of emoji is the middle of one.
        const { problems, message } = problemsOf("staging", { env: { OPS_HOSTNAME: "😀".repeat(70) } });
        const p = one(problems, "ops:hostname");
        expect(p.received.endsWith("...")).toBe(true);
        expect(wellFormed(message)).toBe(true);
    });

    it("are named whole where a variable is not JSON", () => {
        const { problems, message } = problemsOf("staging", { env: { OPS_LOGGING: "😀".repeat(50) } });
        expect(one(problems, "ops:logging").allowed).toMatch(/Unexpected token '😀'/);
        expect(wellFormed(message)).toBe(true);
    });
});

describe("an item of a list", () => {
    it("is named as pulumi config set --path names it, with its value and the stack file it came from", () => {
        const { problems } = problemsOf("staging", { config: { "ops:onCall": JSON.stringify({ responders: ["alice@example.com", "not-an-address"] }) } });
        const p = one(problems, "ops:onCall.responders[1]");
        expect(p.received).toBe('"not-an-address"');
        expect(p.source).toBe("Pulumi.staging.yaml");
        expect(p.allowed).toMatch(/^a PagerDuty user's e-mail address/);
        expect(p.fix).toMatch(/^pulumi config set --path 'onCall\.responders\[1\]' <value>/);
    });

    it("set by a variable names the variable, and the item inside its JSON", () => {
        const p = one(problemsOf("staging", { env: { OPS_ALERTS__EMAILS: '["ops@example.com", "x"]' } }).problems, "ops:alerts.emails[1]");
        expect(p.received).toBe('"x"');
        expect(p.source).toBe("environment variable OPS_ALERTS__EMAILS");
        expect(p.fix).toBe("correct [1] in OPS_ALERTS__EMAILS's JSON, or unset OPS_ALERTS__EMAILS");
    });
});

describe("an object key given something else", () => {
    it("is reported where it was set, not as every key below it missing, when a variable sets a key inside it", () => {
        // A preview's image comes from CI's variables, inside ops:app.
        const { problems } = problemsOf("pr-7", { config: { "ops:app": "5" } });
        const p = one(problems, "ops:app");
        expect(p.received).toBe("5");
        expect(p.source).toBe("Pulumi.pr-7.yaml");
        expect(p.allowed).toMatch(/^an object with the keys image, port, replicas/);
        expect(problems.filter((x) => x.received.startsWith("nothing"))).toEqual([]);
    });

    it("is reported on the variable that gave it", () => {
        const p = one(problemsOf("staging", { env: { OPS_APP__REPLICAS: "3" } }).problems, "ops:app.replicas");
        expect(p.received).toBe("3");
        expect(p.source).toBe("environment variable OPS_APP__REPLICAS");
        expect(p.fix).toMatch(/^give OPS_APP__REPLICAS a JSON object, for example OPS_APP__REPLICAS='\{"min": \.\.\.\}'/);
    });
});

describe("the bootstrap stack", () => {
    it("refuses a key it does not read from its stack file also when a variable sets the same key", () => {
        const value = "sentinel-bootstrap-file-secret-4e2a";
        const { problems, message } = problemsOf("bootstrap", { config: { "ops:externalApiKey": value }, secretKeys: ["ops:externalApiKey"], env: { OPS_EXTERNAL_API_KEY: "from-the-shell" } });
        const p = one(problems, "ops:externalApiKey");
        expect(p.source).toBe("Pulumi.bootstrap.yaml");
        expect(p.received).toBe("[secret]");
        expect(message).not.toContain(value);
    });
});

describe("a rule across keys", () => {
    it("does not echo another key's invalid value (a DR rebuild's backups ARN against a region that is not one)", () => {
        const { problems } = problemsOf("production-dr", { config: { "ops:region": "h".repeat(5000) } });
        expect(one(problems, "ops:region").received.length).toBeLessThan(130);
        expect(problems.filter((p) => p.key === "ops:restore.sourceAutomatedBackupsArn")).toEqual([]);
        for (const p of problems) expect(p.allowed.length).toBeLessThan(1000);
    });

    it("shows no field of a problem longer than a screenful, whatever value a rule quotes", () => {
        const { problems, message } = problemsOf("staging", { config: { "ops:kubernetes": JSON.stringify({ version: "h".repeat(5000) }) } });
        expect(problems.map((p) => p.key)).toContain("ops:cluster.version");
        for (const p of problems) for (const field of [p.key, p.received, p.source ?? "", p.allowed]) expect(field.length).toBeLessThanOrEqual(1000);
        expect(message.length).toBeLessThan(5000);
    });

    it("does not echo a host name longer than DNS allows in the zone's problem", () => {
        const { problems } = problemsOf("production", { config: { "ops:hostname": "h".repeat(5000) } });
        expect(one(problems, "ops:hostname").received.length).toBeLessThan(130);
        for (const p of problems) expect(p.allowed.length).toBeLessThan(1000);
    });
});

describe("a list variable that is not JSON", () => {
    it("gets a fix that quotes its items when they are few and short, and a skeleton when the value is huge", () => {
        const short = one(problemsOf("staging", { env: { OPS_ALERTS__EMAILS: "a@example.com,b@example.com" } }).problems, "ops:alerts.emails");
        expect(short.fix).toBe(`give OPS_ALERTS__EMAILS JSON, quoted for the shell, for example OPS_ALERTS__EMAILS='["a@example.com","b@example.com"]'`);
        const huge = one(problemsOf("staging", { env: { OPS_ON_CALL__ESCALATE_TO: "h".repeat(5000) } }).problems, "ops:onCall.escalateTo");
        expect(huge.fix.length).toBeLessThan(300);
    });
});

describe("formats the schema checks", () => {
    it.each([
        ["ops:restore", { restoreTime: "yesterday" }, "ops:restore.restoreTime", /^a UTC date and time in ISO 8601, such as 2026-01-15T10:30:00Z/],
        ["ops:app", { image: { repository: "myapp/backend", tag: "1.0.0" }, externalApiUrl: "ftp://api.example.com" }, "ops:app.externalApiUrl", /^an https URL such as https:\/\/api\.example\.com/],
        ["ops:alerts", { emails: ["ops"] }, "ops:alerts.emails[0]", /^an e-mail address such as oncall@example\.com/],
    ])("words %s's format in the project's terms, not the validator's", (top, value, key, allowed) => {
        const problems = problemsOf("staging", { config: { [top]: JSON.stringify(value) } }).problems.filter((p) => p.key === key);
        expect(problems.map((p) => p.allowed)).toContainEqual(expect.stringMatching(allowed));
    });
});

describe("an invalid appName on a cloud stack", () => {
    it("is its own problem: the image rule names no repository made of it", () => {
        const { problems, message } = problemsOf("staging", { config: { "ops:appName": "not=valid", "ops:app": JSON.stringify({ image: { repository: "myapp/backend", tag: "1.0.0" } }) } });
        expect(one(problems, "ops:appName").received).toContain("not=valid");
        expect(message).not.toMatch(/\bundefined\//);
    });
});
