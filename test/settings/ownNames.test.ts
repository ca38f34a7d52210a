import { stackNames } from "../../environments/names";
import { SettingsError } from "../../settings/errors";
import { Settings, SettingsSource, loadSettings } from "../../settings/load";
import { ownNameFrom } from "../../settings/ownNames";
import { projectFiles } from "../../settings/stackFiles";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { ROOT, SECRET_SENTINELS, deployEnv } from "../helpers/stacks";

/** An app image in a region's ECR (settings/drSchema.ts imageSourceRules: a cloud stack pulls from its own region). */
const imageIn = (region: string): string => JSON.stringify({ image: { repository: `123456789012.dkr.ecr.${region}.amazonaws.com/myapp/app`, tag: "1.2.3" } });
const image = imageIn("us-east-1");

/** A stack as `pulumi up` loads it: its files (a stack without one: only `config`), the project's files, the secrets set. */
function stack(name: string, config: Record<string, string> = {}, env: Record<string, string> = {}): SettingsSource {
    return {
        project: "ops",
        stack: name,
        config: { ...readStackConfig(ROOT, name).config, ...config },
        env: { ...SECRET_SENTINELS, ...deployEnv(name), ...env },
        files: projectFiles(ROOT, name),
    };
}

function problems(src: SettingsSource): SettingsError["problems"] {
    try {
        loadSettings(src);
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.problems;
        throw e;
    }
    return [];
}

describe("a stack that would take the names of another", () => {
    it("refuses a sandbox with staging's environment in staging's region: its cluster, database and secrets", () => {
        // GIVEN the case: a sandbox that says environment staging, on AWS (the staging profile's platform)
        const found = problems(stack("sandbox-alex", { "ops:environment": "staging", "ops:app": image }));
        // THEN both the regional names and the secret names are named, each with the fix
        expect(found.map((p) => p.key)).toEqual(["ops:environment", "ops:secrets.pathScope"]);
        const [regional, secrets] = found;
        expect(regional).toMatchObject({ received: '"staging"', source: "Pulumi.sandbox-alex.yaml" });
        expect(regional!.allowed).toContain('stack "staging" runs staging in us-east-1, and its cluster, database, cache, backup vaults, keys and registry there are named myapp-staging');
        expect(regional!.fix).toBe(
            "pulumi config set environment development (a stack of its own, names myapp-development), or names of its own: pulumi config set appName myapp-sandbox-alex (names myapp-sandbox-alex-staging); a rebuild of staging elsewhere sets another region (as production-dr does)",
        );
        expect(secrets).toMatchObject({ received: "nothing (the key is not set)", allowed: 'a scope no other stack\'s secrets use: stack "staging" holds the secrets myapp/staging/* in us-east-1, its region' });
        expect(secrets!.fix).toMatch(/^pulumi config set --path secrets.pathScope sandbox-alex /);
    });

    it("gives the fix from where the environment came from: the variable", () => {
        const found = problems(stack("sandbox-alex", { "ops:app": image }, { OPS_ENVIRONMENT: "production" }));
        expect(found[0]).toMatchObject({ key: "ops:environment", source: "environment variable OPS_ENVIRONMENT" });
        expect(found[0]!.fix).toMatch(/^OPS_ENVIRONMENT=development /);
    });

    it.each([
        ["another environment, its own zone and host", { "ops:environment": "development", "ops:platform": "aws", "ops:hostname": "app.sandbox-alex.example.com", "ops:edge": '{"zone":{"name":"sandbox-alex.example.com"}}' }],
        ["its own appName", { "ops:environment": "staging", "ops:appName": "myapp-sandbox-alex" }],
        ["another region and its own secrets", { "ops:environment": "staging", "ops:region": "eu-west-1", "ops:drRegion": "eu-central-1", "ops:secrets": '{"pathScope":"staging-eu"}' }],
    ])("lets it plan with %s, the fixes the message gives", (_, config) => {
        expect(problems(stack("sandbox-alex", { ...config, "ops:app": imageIn((config as Record<string, string>)["ops:region"] ?? "us-east-1") }))).toEqual([]);
    });

    it("refuses a sandbox on AWS the zone production creates, and the development profile's localhost", () => {
        // GIVEN the README's sandbox without a host of its own
        const found = problems(stack("sandbox-alex", { "ops:environment": "development", "ops:platform": "aws", "ops:app": image }));
        expect(found.map((p) => [p.key, p.source])).toEqual([
            ["ops:hostname", "the development profile (defaults in code, settings/profiles.ts)"],
            ["ops:edge.zone.name", "the base profile (defaults in code, settings/profiles.ts)"],
        ]);
        expect(found[0]!.fix).toBe("pulumi config set hostname <value>   (overrides the default in code, or set OPS_HOSTNAME)");
        expect(found[1]!.allowed).toMatch(/^a zone no other stack creates: stack "production" creates the public zone example.com/);
        expect(found[1]!.fix).toMatch(/^pulumi config set --path edge.zone.name sandbox-alex.example.com and pulumi config set hostname app.sandbox-alex.example.com/);
        // and an existing zone is the user's to share
        expect(problems(stack("sandbox-alex", { "ops:environment": "development", "ops:platform": "aws", "ops:hostname": "alex.example.com", "ops:edge": '{"zone":{"name":"example.com","existingZoneId":"Z0123456789ABCDEFGHIJ"}}', "ops:app": image }))).toEqual([]);
    });

    it("lets production-dr take production's regional names in the DR region, with secrets of its own", () => {
        expect(problems(stack("production-dr"))).toEqual([]);
    });

    it("refuses a rebuild without a secrets scope of its own: production replicates its secrets into that region", () => {
        // Without its secrets section it also replicates its secrets (the base's), which a rebuild refuses (settings/drSchema.ts).
        const found = problems(stack("production-dr", { "ops:secrets": "{}" }));
        expect(found.map((p) => p.key)).toEqual(["ops:secrets.replicateToDr", "ops:secrets.pathScope"]);
        expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ key: "ops:secrets.pathScope", allowed: 'a scope no other stack\'s secrets use: stack "production" holds the secrets myapp/production/* in us-west-2, its DR region, where it replicates them' })]));
    });

    it("refuses a second stack in dev's namespace on dev's cluster", () => {
        const found = problems(stack("sandbox-alex", { "ops:environment": "development", "ops:app": image }));
        expect(found).toEqual([
            {
                key: "ops:kubernetes.namespace",
                received: "nothing (the key is not set: the app's name, myapp)",
                source: undefined,
                allowed: 'a namespace no other stack uses on kube context kind-ops: stack "dev" runs the app in namespace myapp there',
                fix: "pulumi config set --path kubernetes.namespace myapp-sandbox-alex, or another cluster: pulumi config set --path kubernetes.context <context>",
            },
        ]);
        expect(problems(stack("sandbox-alex", { "ops:environment": "development", "ops:app": image, "ops:kubernetes": '{"namespace":"myapp-sandbox-alex"}' }))).toEqual([]);
    });

    it("says nothing of the committed stacks, which hold their own names", () => {
        for (const name of ["dev", "staging", "production", "production-dr", "production-dr-drill", "pr-42"]) expect(problems(stack(name))).toEqual([]);
    });
});

describe("the names the check protects are the names environments/names.ts gives", () => {
    const settingsOf = (over: Partial<Settings>): Settings =>
        ({ ...loadSettings(stack("staging")), ...over }) as Settings;

    it("gives a sandbox with staging's environment staging's physical names, and one with its own appName none of them", () => {
        const staging = stackNames(settingsOf({}), "cloud");
        const sandbox = stackNames(settingsOf({ stack: "sandbox-alex" }), "cloud");
        const own = stackNames(settingsOf({ stack: "sandbox-alex", appName: "myapp-sandbox-alex" }), "cloud");
        const physical = (n: typeof staging): string[] => [n.cluster, n.data.databaseIdentifier, n.data.cacheReplicationGroupId, n.registryRepository, n.keys.aliasPrefix, n.secrets.prefix];
        expect(physical(sandbox)).toEqual(physical(staging));
        for (const [a, b] of physical(own).map((n, i) => [n, physical(staging)[i]!])) expect(a).not.toBe(b);
    });

    it("makes names of its own that fit appName, secrets.pathScope and a namespace", () => {
        for (const [stackName, prefix] of [["sandbox-alex", "myapp-"], ["A_very.Long_stack.name-with-many-parts-2026", ""], ["x", ""], ["42", ""]] as const) {
            expect(ownNameFrom(stackName, prefix)).toMatch(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/);
        }
    });
});
