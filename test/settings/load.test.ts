import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { SettingsError } from "../../settings/errors";
import { allKeys, envVarName } from "../../settings/configKeys";
import { Settings, SettingsSource, loadSettings, loadStackSettings, withSources } from "../../settings/load";
import { base, profileForStack, profiles } from "../../settings/profiles";
import { projectFiles } from "../../settings/stackFiles";
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
        const s = loadSettings(source("sandbox-alex", { config: { "ops:environment": "development", "ops:platform": "aws", "ops:hostname": "app.sandbox-alex.example.com", "ops:edge": JSON.stringify({ zone: { name: "sandbox-alex.example.com" } }), "ops:app": JSON.stringify({ image: { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/backend", tag: "1.2.3" } }) } }));
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
        // Empty says nothing of a value; anything else is redacted.
        expect(e.problems.find((p) => p.key === "ops:externalApiKey")!.received).toBe("an empty value");
        const short = problemsOf(source("staging", { env: { OPS_EXTERNAL_API_KEY: "" , OPS_PAGER_DUTY_INTEGRATION_URL: "not-a-url-secret-value" } }));
        expect(short.message).not.toContain("not-a-url-secret-value");
        expect(short.problems.find((p) => p.key === "ops:pagerDutyIntegrationUrl")!.received).toBe("[secret]");
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
        ["OPS_APP__EXTERNAL_API_URL", "http://api.example.com", "ops:app.externalApiUrl", /^an https URL such as https:\/\/api.example.com/],
        ["OPS_DATABASE__BACKUP_WINDOW", "3am", "ops:database.backupWindow", /hh24:mi-hh24:mi/],
        ["OPS_DATABASE__MAINTENANCE_WINDOW", "sun:03:30-sun:04:30", "ops:database.maintenanceWindow", /does not overlap the daily backup window 03:00-04:00 \(they share sun:03:30-sun:04:00\)/],
        ["OPS_DATABASE__MAX_ALLOCATED_STORAGE_GI_B", "50", "ops:database.maxAllocatedStorageGiB", /at or above database.allocatedStorageGiB \(100\)/],
        ["OPS_DEPLOYMENT__STRATEGY", "canary", "ops:deployment.canary", /since strategy is canary/],
        ["OPS_DEPLOYMENT__STRATEGY", "blue-green", "ops:deployment.strategy", /"rolling", "canary", "blueGreen"/],
        [
            "OPS_DEPLOYMENT",
            '{"strategy":"canary","canary":{"image":{"repository":"123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/backend","tag":"1.1.0"},"weights":{"stable":90,"canary":20}}}',
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
        expect(e.problems[0]).toMatchObject({ key: "ops:loging", source: "Pulumi.staging.yaml or Pulumi.yaml", fix: "rename it to ops:logging in Pulumi.staging.yaml" });
    });

    it("ignores other namespaces (provider config such as aws:region)", () => {
        expect(() => loadSettings(source("staging", { config: { "aws:region": "eu-west-1", "kubernetes:context": "x" } }))).not.toThrow();
    });
});

/** A stack's config from the files, with the project's files known, as `pulumi up` and the plan load it. */
function fromFiles(stack: string, overrides: { config?: Record<string, string>; env?: Record<string, string> } = {}): SettingsSource {
    return { ...source(stack, overrides), files: projectFiles(ROOT, stack) };
}

describe("the stack name", () => {
    it.each(["pr-abc", "pr-", "pr-0", "pr-042"])("refuses %s: pr- is followed by a pull request's number", (stack) => {
        // GIVEN a stack named like a preview, even with an environment set (the fix the old message gave)
        const e = problemsOf(fromFiles(stack, { config: { "ops:environment": "staging" } }));
        // THEN one problem, about the name, and no advice to set the environment of a pr- stack
        expect(e.problems).toEqual([
            expect.objectContaining({ key: "the stack name", received: JSON.stringify(stack), source: "the selected stack: pulumi stack select, or npm run plan -- --stack" }),
        ]);
        expect(e.problems[0]!.allowed).toMatch(/^pr-<N>, N the number of a pull request/);
        expect(e.problems[0]!.fix).toContain("pulumi stack init pr-42");
    });
});

describe("where a value came from (runbook 2.1's layers, each named as itself)", () => {
    it("tells the stack file's value from Pulumi.yaml's", () => {
        // GIVEN an invalid appName in the stack file, and a DR region the same as Pulumi.yaml's region
        const e = problemsOf(fromFiles("staging", { config: { "ops:appName": "My App", "ops:drRegion": "us-east-1" } }));
        const app = e.problems.find((p) => p.key === "ops:appName")!;
        expect(app.source).toBe("Pulumi.staging.yaml");
        expect(app.fix).toMatch(/^pulumi config set appName <value>/);
        const dr = e.problems.find((p) => p.key === "ops:drRegion")!;
        expect(dr.source).toBe("Pulumi.staging.yaml");
    });

    it("names Pulumi.yaml for a value it gave, with a fix that works from there", () => {
        // GIVEN a Pulumi.yaml whose owner default is empty: Pulumi passes it to every stack
        const files = projectFiles(ROOT, "staging")!;
        const e = problemsOf({ ...fromFiles("staging", { config: { "ops:owner": "" } }), files: { ...files, project: { ...files.project, "ops:owner": "" } } });
        expect(e.problems).toEqual([
            {
                key: "ops:owner",
                received: '"" (an empty value)',
                source: "Pulumi.yaml (the project's default)",
                allowed: "at least 1 character(s)",
                fix: "pulumi config set owner <value> (overrides Pulumi.yaml's default for this stack), or change config.owner.default in Pulumi.yaml   (or set OPS_OWNER)",
            },
        ]);
    });

    it("names the code default for a value a profile gave, with an override as the fix", () => {
        // GIVEN storage above the production profile's ceiling (500 GiB from the base profile)
        const e = problemsOf(fromFiles("production", { env: { OPS_DATABASE__ALLOCATED_STORAGE_GI_B: "600" } }));
        const p = e.problems.find((x) => x.key === "ops:database.maxAllocatedStorageGiB")!;
        expect(p.source).toBe("the base profile (defaults in code, settings/profiles.ts)");
        expect(p.fix).toMatch(/^pulumi config set --path database.maxAllocatedStorageGiB <value> {3}\(overrides the default in code/);
    });

    it("names the one variable of a leaf set inside an object variable's JSON, and fixes it there", () => {
        const e = problemsOf(fromFiles("staging", { env: { OPS_APP: '{"port":80}' } }));
        expect(e.problems).toEqual([
            expect.objectContaining({
                key: "ops:app.port",
                source: "environment variable OPS_APP",
                fix: "correct port in OPS_APP's JSON, or unset OPS_APP",
            }),
        ]);
    });

    it("lets a leaf variable win over the object variable that contains it, whatever their order", () => {
        const leafFirst = loadSettings(fromFiles("staging", { env: { OPS_APP__PORT: "9000", OPS_APP: '{"port":9100}' } }));
        const objectFirst = loadSettings(fromFiles("staging", { env: { OPS_APP: '{"port":9100}', OPS_APP__PORT: "9000" } }));
        expect([leafFirst.app.port, objectFirst.app.port]).toEqual([9000, 9000]);
    });

    it("reports an environment that contradicts the stack name where it was set: the variable", () => {
        // GIVEN OPS_ENVIRONMENT=staging on production, whose stack file has no environment key
        const e = problemsOf(fromFiles("production", { env: { OPS_ENVIRONMENT: "staging" } }));
        expect(e.problems).toEqual([
            {
                key: "ops:environment",
                received: '"staging"',
                source: "environment variable OPS_ENVIRONMENT",
                allowed: '"production" (the stack name "production" implies it), or no value',
                fix: "unset OPS_ENVIRONMENT; or give the stack another name",
            },
        ]);
    });

    it("reports a contradicting environment in the stack file, and in the variable too when both say it", () => {
        const e = problemsOf(fromFiles("dev", { config: { "ops:environment": "production" }, env: { OPS_ENVIRONMENT: "staging" } }));
        expect(e.problems.map((p) => [p.source, p.fix])).toEqual([
            ["environment variable OPS_ENVIRONMENT", "unset OPS_ENVIRONMENT; or give the stack another name"],
            ["Pulumi.dev.yaml", "pulumi config rm environment; or give the stack another name"],
        ]);
    });

    it("names where an invalid environment of another stack came from", () => {
        const e = problemsOf(fromFiles("sandbox-alex", { env: { OPS_ENVIRONMENT: "prod" } }));
        expect(e.problems[0]).toMatchObject({ key: "ops:environment", received: '"prod"', source: "environment variable OPS_ENVIRONMENT", fix: "OPS_ENVIRONMENT=development   (or staging, production)" });
    });

    it("says an empty variable is empty (a failed command substitution exports one)", () => {
        const e = problemsOf(fromFiles("production-dr", { env: { OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: "" } }));
        expect(e.problems.find((p) => p.key === "ops:restore.sourceAutomatedBackupsArn")).toMatchObject({
            received: '"" (an empty value)',
            source: "environment variable OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN",
        });
    });
});

describe("list and object values that are not JSON", () => {
    it("says the JSON did not parse, where, and the value that would", () => {
        // GIVEN the example: a list without quotes, and no closing bracket
        const e = problemsOf(fromFiles("production", { env: { OPS_ALERTS__EMAILS: "[oncall@example.com" } }));
        expect(e.problems).toEqual([
            {
                key: "ops:alerts.emails",
                received: '"[oncall@example.com"',
                source: "environment variable OPS_ALERTS__EMAILS",
                allowed: expect.stringMatching(/^a list in JSON \(Addresses subscribed to low-severity alerts \(runbook 3\.5\)\); the value did not parse as JSON at column 2 \("oncall@examp"\): Unexpected token 'o'/),
                fix: `give OPS_ALERTS__EMAILS JSON, quoted for the shell, for example OPS_ALERTS__EMAILS='["oncall@example.com"]'`,
            },
        ]);
    });

    it.each([
        ["OPS_APP__REPLICAS", "{min:2}", "an object in JSON", 2, `OPS_APP__REPLICAS='{"min":3,"max":10}'`],
        ["OPS_APP__REPLICAS", '{"min":2,', "an object in JSON", 10, `OPS_APP__REPLICAS='{"min":3,"max":10}'`],
        ["OPS_ALERTS__EMAILS", '["a@example.com", "b@example.com"', "a list in JSON", 34, `OPS_ALERTS__EMAILS='["a@example.com","b@example.com"]'`],
        ["OPS_APP__MIGRATION_COMMAND", "alembic upgrade head", "a list in JSON", 1, `OPS_APP__MIGRATION_COMMAND='["alembic","upgrade","head"]'`],
    ])("%s=%s: %s, column %d", (name, value, kind, column, example) => {
        const key = allKeys().find((k) => k.envVar === name)!;
        const e = problemsOf(fromFiles("production", { env: { [name]: value } }));
        const p = e.problems.find((x) => x.key === `ops:${key.dotted}`)!;
        expect(p.allowed.startsWith(kind)).toBe(true);
        expect(p.allowed).toContain(`did not parse as JSON at column ${column}`);
        expect(p.fix).toContain(example);
    });

    it("reports a JSON string in the stack file that does not parse, where it is", () => {
        const e = problemsOf(fromFiles("staging", { config: { "ops:app": '{"image": {"repository": "myapp/backend", "tag": "1.0.0"}' } }));
        expect(e.problems[0]).toMatchObject({ key: "ops:app", source: "Pulumi.staging.yaml", fix: "write app as YAML in Pulumi.staging.yaml (pulumi config set --path app.<key> <value> sets one key)" });
        expect(e.problems[0]!.allowed).toContain("did not parse as JSON at column 58 (its end): Expected ',' or '}' after property value");
    });
});

describe("keys only some shapes read", () => {
    it("ignores the development profile's local-cluster values on a sandbox on AWS (the README's example plans)", () => {
        // GIVEN the README's sandbox: development sizes on AWS
        const s = loadSettings(
            fromFiles("sandbox-alex", { config: { "ops:environment": "development", "ops:platform": "aws", "ops:hostname": "app.sandbox-alex.example.com", "ops:edge": JSON.stringify({ zone: { name: "sandbox-alex.example.com" } }), "ops:app": JSON.stringify({ image: { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/backend", tag: "1.2.3" } }) } }),
        );
        // THEN the node port and kube context kind's cluster needs are not the sandbox's
        expect(s.kubernetes.nodePort).toBeUndefined();
        expect(s.kubernetes.context).toBeUndefined();
        expect(s.database.instanceClass).toBe(profiles.development.database.instanceClass);
    });

    it.each([
        ["an environment variable", { env: { OPS_KUBERNETES__NODE_PORT: "30800" } }, "environment variable OPS_KUBERNETES__NODE_PORT", "unset OPS_KUBERNETES__NODE_PORT"],
        ["the stack file", { config: { "ops:kubernetes": JSON.stringify({ nodePort: 30800 }) } }, "Pulumi.staging.yaml", "pulumi config rm --path kubernetes.nodePort"],
        ["an object variable", { env: { OPS_KUBERNETES: '{"nodePort":30800}' } }, "environment variable OPS_KUBERNETES", "remove nodePort from OPS_KUBERNETES's JSON, or unset OPS_KUBERNETES"],
    ])("refuses a node port a cloud stack sets in %s, with the fix that removes it there", (_, overrides, from, fix) => {
        const e = problemsOf(fromFiles("staging", overrides));
        expect(e.problems).toEqual([
            {
                key: "ops:kubernetes.nodePort",
                received: "30800",
                source: from,
                allowed: 'no value: stack "staging" is a cloud stack, and only local stacks read kubernetes.nodePort (settings/shape.ts)',
                fix,
            },
        ]);
    });

    it("declares which shapes read each such key", () => {
        const readBy = Object.fromEntries(allKeys().filter((k) => k.readBy).map((k) => [k.dotted, k.readBy]));
        expect(readBy).toEqual({
            "kubernetes.context": ["local"],
            "kubernetes.kubeconfig": ["local"],
            "kubernetes.clusterStack": ["preview"],
            "kubernetes.nodePort": ["local"],
        });
    });
});

describe("problems the layers find", () => {
    it("carry the source of the value they name", () => {
        // GIVEN requests above limits, the limit from the profile and the request from a variable
        const s = loadSettings(fromFiles("staging", { env: { OPS_APP__RESOURCES__REQUESTS__CPU: "2" } }));
        const [p] = withSources(s, [{ key: "ops:app.resources.requests.cpu", received: '"2"', allowed: "at most the limit", fix: "lower it" }]);
        expect(p!.source).toBe("environment variable OPS_APP__RESOURCES__REQUESTS__CPU");
        // and leave an absent value's problem as it was
        const [absent] = withSources(s, [{ key: "ops:externalApiKey", received: "nothing (the key is not set)", allowed: "a key", fix: "set it" }]);
        expect(absent!.source).toBeUndefined();
    });
});
