import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { SettingsError } from "../../settings/errors";
import { allKeys, envVarName } from "../../settings/configKeys";
import { loadSettings, loadStackSettings, Settings, SettingsSource } from "../../settings/load";
import { base, profileForStack, profiles } from "../../settings/profiles";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { nonEmpty } from "../helpers/nonEmpty";
import { deployEnv, ROOT } from "../helpers/stacks";

// GIVEN a stack's config as the Pulumi CLI passes it (Pulumi.yaml defaults + stack file).
function source(stack: string, overrides: Partial<SettingsSource> = {}): SettingsSource {
    const files = readStackConfig(ROOT, stack);
    return {
        project: "ops",
        stack,
        config: { ...files.config, ...overrides.config },
        env: overrides.env ?? deployEnv(stack),
        isSecret: overrides.isSecret,
    };
}

function problemsOf(src: SettingsSource): SettingsError {
    try {
        loadSettings(src);
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e;
        throw e;
    }
    throw new Error("expected a SettingsError, but the settings loaded");
}

function secretValue(o: pulumi.Output<string> | undefined): Promise<string | undefined> {
    return new Promise((resolve) => (o ? o.apply(resolve) : resolve(undefined)));
}

describe("profiles by stack name", () => {
    it.each([
        ["dev", "development", "development", "local"],
        ["staging", "staging", "staging", "aws"],
        ["production", "production", "production", "aws"],
        ["pr-7", "preview", "staging", "aws"],
    ])("stack %s takes the %s profile", (stack, profile, environment, platform) => {
        // WHEN
        const s = loadSettings(source(stack));
        // THEN
        expect(s.profile).toBe(profile);
        expect(s.environment).toBe(environment);
        expect(s.platform).toBe(platform);
        expect(s.stack).toBe(stack);
    });

    it("gives each environment the runbook's log retention and level", () => {
        const retention = (stack: string): [number, string] => {
            const s = loadSettings(source(stack));
            return [s.logging.retentionDays, s.logging.level];
        };
        expect(retention("dev")).toEqual([7, "DEBUG"]);
        expect(retention("staging")).toEqual([30, "INFO"]);
        expect(retention("production")).toEqual([90, "INFO"]);
    });

    it("gives each environment the runbook's host (1.1) and rotation periods (2.3)", () => {
        expect(loadSettings(source("dev")).hostname).toBe("localhost");
        expect(loadSettings(source("staging")).hostname).toBe("staging.example.com");
        expect(loadSettings(source("production")).hostname).toBe("api.example.com");
        expect(loadSettings(source("pr-7")).hostname).toBe("pr-7.staging.example.com");
        expect(loadSettings(source("production")).rotation).toEqual({ databasePasswordDays: 90, apiKeyDays: 180, jwtSigningKeyDays: 365 });
    });

    it("keeps production's backups at the runbook's 30 days with Multi-AZ", () => {
        const db = loadSettings(source("production")).database;
        expect(db.backupRetentionDays).toBe(30);
        expect(db.multiAz).toBe(true);
    });

    it("maps only the architecture's stack names to profiles", () => {
        expect(profileForStack("pr-0")).toBeUndefined();
        expect(profileForStack("pr-")).toBeUndefined();
        expect(profileForStack("production-dr")).toBeUndefined();
        expect(profileForStack("pr-123")).toBe("preview");
    });

    it("lets another stack name choose its profile with an explicit environment", () => {
        // GIVEN an engineer's sandbox on AWS with development sizes
        const s = loadSettings(source("sandbox-alex", { config: { "ops:environment": "development", "ops:platform": "aws", "ops:app": JSON.stringify({ image: { repository: "myapp/backend", tag: "1.2.3" } }) } }));
        // THEN it takes the development profile but runs on AWS
        expect(s.profile).toBe("development");
        expect(s.platform).toBe("aws");
        expect(s.logging.retentionDays).toBe(7);
        expect(s.database.instanceClass).toBe(profiles.development.database.instanceClass);
    });

    it("refuses an unknown stack without an environment key", () => {
        const e = problemsOf(source("sandbox-alex"));
        expect(e.problems).toHaveLength(1);
        expect(e.problems[0]).toMatchObject({
            key: "ops:environment",
            received: "nothing (the key is not set)",
        });
        expect(e.problems[0]!.allowed).toContain("development, staging, production");
        expect(e.problems[0]!.fix).toContain("pulumi config set environment development");
    });

    it("refuses an environment key that contradicts the stack name", () => {
        const e = problemsOf(source("dev", { config: { "ops:environment": "production" } }));
        expect(e.problems.map((p) => p.key)).toEqual(["ops:environment"]);
        expect(e.problems[0]!.allowed).toContain('"development"');
    });
});

describe("the configuration hierarchy (runbook 2.1)", () => {
    it("orders code defaults < profile < Pulumi.yaml < stack file < environment", () => {
        // code default (base) only
        expect(loadSettings(source("production")).app.port).toBe(base.app.port);
        // profile beats base
        expect(loadSettings(source("staging")).app.replicas).toEqual(profiles.staging.app.replicas);
        // Pulumi.yaml default beats code (appName has no code default; region's comes from Pulumi.yaml)
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default: unknown }> };
        expect(loadSettings(source("production")).region).toBe(project.config["region"]!.default);
        // stack file beats Pulumi.yaml
        const stackFile = source("production", { config: { "ops:region": "eu-west-1" } });
        expect(loadSettings(stackFile).region).toBe("eu-west-1");
        // environment beats the stack file
        expect(loadSettings({ ...stackFile, env: { OPS_REGION: "eu-central-1" } }).region).toBe("eu-central-1");
    });

    it("deep-merges nested objects, so a stack file sets one leaf and keeps its siblings", () => {
        const s = loadSettings(source("production", { config: { "ops:database": JSON.stringify({ instanceClass: "db.r6g.xlarge" }) } }));
        expect(s.database.instanceClass).toBe("db.r6g.xlarge");
        expect(s.database.backupRetentionDays).toBe(30);
    });

    it("reaches every key of the schema from an environment variable", () => {
        for (const key of nonEmpty(allKeys(), "the settings keys")) {
            expect(key.envVar).toBe(envVarName(key.path));
            expect(key.envVar).toMatch(/^OPS_[A-Z0-9_]+$/);
        }
        // names are unique: no two keys share a variable
        const names = allKeys().map((k) => k.envVar);
        expect(new Set(names).size).toBe(names.length);
        expect(envVarName(["rotation", "databasePasswordDays"])).toBe("OPS_ROTATION__DATABASE_PASSWORD_DAYS");
    });

    it.each([
        ["OPS_APP__PORT", "9000", (s: Settings) => s.app.port, 9000],
        ["OPS_DATABASE__MULTI_AZ", "false", (s: Settings) => s.database.multiAz, false],
        ["OPS_ALERTS__EMAILS", '["oncall@example.com"]', (s: Settings) => s.alerts.emails, ["oncall@example.com"]],
        ["OPS_APP__REPLICAS", '{"min":2,"max":3}', (s: Settings) => s.app.replicas, { min: 2, max: 3 }],
        ["OPS_LOGGING__LEVEL", "WARNING", (s: Settings) => s.logging.level, "WARNING"],
    ])("parses %s=%s to the key's type", (name, value, read, expected) => {
        expect(read(loadSettings(source("staging", { env: { [name]: value } })))).toEqual(expected);
    });

    it("keeps Pulumi.yaml defaults to keys that no profile varies (a profile value there would be dead)", () => {
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> };
        const profileKeys = new Set([...Object.keys(base), ...Object.values(profiles).flatMap((p) => Object.keys(p))]);
        for (const key of nonEmpty(Object.keys(project.config), "the keys of Pulumi.yaml")) expect(profileKeys.has(key)).toBe(false);
    });

    it("declares every Pulumi.yaml key with a type, a description and a default", () => {
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, { type: string; description: string; default: unknown }>;
        };
        for (const [key, decl] of nonEmpty(Object.entries(project.config), "the keys of Pulumi.yaml")) {
            expect({ key, type: decl.type, hasDescription: decl.description.length > 10, hasDefault: decl.default !== undefined }).toEqual({
                key,
                type: "string",
                hasDescription: true,
                hasDefault: true,
            });
        }
    });
});

describe("every stack file", () => {
    const stackFiles = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

    it.each(stackFiles)("%s loads without problems", (file) => {
        const stack = file.slice("Pulumi.".length, -".yaml".length);
        expect(() => loadStackSettings(source(stack))).not.toThrow();
    });
    // A plain-text secret in a stack file: test/settings/stackFiles.test.ts.
});

describe("secrets", () => {
    it("holds a secret from the environment as a Pulumi secret", async () => {
        const s = loadSettings(source("staging", { env: { OPS_EXTERNAL_API_KEY: "k-123" } }));
        expect(pulumi.Output.isInstance(s.externalApiKey)).toBe(true);
        expect(await secretValue(s.externalApiKey)).toBe("k-123");
        expect(JSON.stringify(Object.keys(s))).not.toContain("k-123");
    });

    it("refuses a secret key stored in plain text in the stack file", () => {
        const e = problemsOf(source("staging", { config: { "ops:externalApiKey": "plain" }, isSecret: () => false }));
        expect(e.problems).toHaveLength(1);
        expect(e.problems[0]!.fix).toContain("pulumi config set --secret externalApiKey");
        expect(e.message).not.toContain("plain\n");
        expect(e.problems[0]!.received).toBe("a plain-text value (not shown)");
    });

    it("refuses an encrypted value for a key that is not secret (it would be used in plain text)", () => {
        const e = problemsOf(source("staging", { config: { "ops:owner": "team-a" }, isSecret: (k) => k === "ops:owner" }));
        expect(e.problems.map((p) => p.key)).toEqual(["ops:owner"]);
        expect(e.problems[0]!.fix).toBe("pulumi config set owner <value>   (without --secret)");
    });

    it("never prints a secret value in an error", () => {
        const e = problemsOf(source("staging", { env: { OPS_EXTERNAL_API_KEY: "", OPS_EXTRNAL_API_KEY: "typo-secret-value" } }));
        expect(e.message).not.toContain("typo-secret-value");
        expect(e.problems.map((p) => p.key).sort()).toEqual(["OPS_EXTRNAL_API_KEY", "ops:externalApiKey"]);
        expect(e.problems.find((p) => p.key === "ops:externalApiKey")!.received).toBe("[secret]");
    });
});

describe("validation errors", () => {
    it("lists every problem at once, each with key, value received, source, what is allowed and the fix", () => {
        // GIVEN four independent mistakes, one of them a cross-field rule
        const e = problemsOf(
            source("production", {
                env: {
                    OPS_LOGGING__LEVEL: "VERBOSE",
                    OPS_LOGGING__RETENTION_DAYS: "45",
                    OPS_DATABASE__MULTI_AZ: "false",
                    OPS_APP__REPLICAS__MIN: "0",
                },
            }),
        );
        // THEN
        expect(e.problems.map((p) => p.key).sort()).toEqual(
            ["ops:app.replicas.min", "ops:database.multiAz", "ops:logging.level", "ops:logging.retentionDays"].sort(),
        );
        const level = e.problems.find((p) => p.key === "ops:logging.level")!;
        expect(level).toEqual({
            key: "ops:logging.level",
            received: '"VERBOSE"',
            source: "environment variable OPS_LOGGING__LEVEL",
            allowed: 'one of "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"',
            fix: "change or unset OPS_LOGGING__LEVEL (for example OPS_LOGGING__LEVEL=DEBUG)",
        });
        expect(e.message).toMatch(/^Stack "production" has 4 configuration problems; nothing was created/);
        expect(e.message).not.toMatch(/\n\s+at /); // no stack trace in the message
    });

    it("is a RunError, so the Pulumi CLI prints it without a stack trace", () => {
        expect(pulumi.RunError.isInstance(problemsOf(source("sandbox")))).toBe(true);
    });

    it.each([
        ["OPS_APP__IMAGE__TAG", "latest", "ops:app.image.tag", /pinned tag/],
        ["OPS_APP__REPLICAS", '{"min":5,"max":2}', "ops:app.replicas.min", /no greater than app.replicas.max/],
        ["OPS_LOGGING__RETENTION_DAYS", "45", "ops:logging.retentionDays", /one of CloudWatch's retention periods: 1, 3, 5, 7/],
        ["OPS_DRREGION", "x", "OPS_DRREGION", /did you mean OPS_DR_REGION/],
        ["OPS_DR_REGION", "us-east-1", "ops:drRegion", /other than the primary region us-east-1/],
        ["OPS_APP__EXTERNAL_API_URL", "http://api.example.com", "ops:app.externalApiUrl", /^Invalid URL/],
        ["OPS_DATABASE__BACKUP_WINDOW", "3am", "ops:database.backupWindow", /hh24:mi-hh24:mi/],
        ["OPS_DATABASE__MAINTENANCE_WINDOW", "sun:03:30-sun:04:30", "ops:database.maintenanceWindow", /does not overlap the daily backup window 03:00-04:00 \(they share sun:03:30-sun:04:00\)/],
        ["OPS_DATABASE__MAX_ALLOCATED_STORAGE_GI_B", "50", "ops:database.maxAllocatedStorageGiB", /at or above database.allocatedStorageGiB \(100\)/],
        ["OPS_DEPLOYMENT__STRATEGY", "canary", "ops:deployment.canary", /since strategy is canary/],
        ["OPS_DEPLOYMENT__STRATEGY", "blue-green", "ops:deployment.strategy", /"rolling", "canary", "blueGreen"/],
        [
            "OPS_DEPLOYMENT",
            '{"strategy":"canary","canary":{"image":{"repository":"myapp/backend","tag":"1.1.0"},"weights":{"stable":90,"canary":20}}}',
            "ops:deployment.canary.weights.canary",
            /add up to 100/,
        ],
        ["OPS_APP", '{"imag":{}}', "ops:app.imag", /did you mean image/],
    ])("%s=%s is reported on %s", (name, value, key, allowed) => {
        const e = problemsOf(source("production", { env: { [name]: value } }));
        const p = e.problems.find((x) => x.key === key);
        expect(p).toBeDefined();
        expect(p!.allowed).toMatch(allowed);
    });

    it("requires a waiver with a reason to run production without Multi-AZ", () => {
        const waived = loadSettings(
            source("production", { env: { OPS_DATABASE__MULTI_AZ: "false", OPS_DATABASE__MULTI_AZ_WAIVER: "cost review 2026-Q4 accepted single-AZ" } }),
        );
        expect(waived.database.multiAz).toBe(false);
        const shortReason = problemsOf(source("production", { env: { OPS_DATABASE__MULTI_AZ: "false", OPS_DATABASE__MULTI_AZ_WAIVER: "no" } }));
        expect(shortReason.problems.map((p) => p.key)).toEqual(["ops:database.multiAzWaiver"]);
    });

    it("names a typo'd stack config key and suggests the right one", () => {
        const e = problemsOf(source("staging", { config: { "ops:loging": '{"level":"INFO"}' } }));
        expect(e.problems[0]).toMatchObject({ key: "ops:loging", fix: "rename it to ops:logging" });
    });

    it("ignores other namespaces (provider config such as aws:region)", () => {
        expect(() => loadSettings(source("staging", { config: { "aws:region": "eu-west-1", "kubernetes:context": "x" } }))).not.toThrow();
    });
});
