import { loadSettings, type SettingsSource } from "../../settings/load";
import { SettingsError } from "../../settings/errors";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { ROOT, deployEnv } from "../helpers/stacks";

function source(stack: string, env: Record<string, string> = {}): SettingsSource {
    return { project: "ops", stack, config: readStackConfig(ROOT, stack).config, env: { ...deployEnv(stack), ...env } };
}

function problems(stack: string, env: Record<string, string> = {}): SettingsError["problems"] {
    try {
        loadSettings(source(stack, env));
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.problems;
        throw e;
    }
    return [];
}

describe("the DR settings of the committed stacks", () => {
    it("keep production's standby on by its profile, and off on staging", () => {
        expect(loadSettings(source("production")).dr).toEqual({ standby: true, database: "promoteReplica" });
        expect(loadSettings(source("staging")).dr.standby).toBe(false);
    });

    it.each(["production-dr", "production-dr-drill"])("load %s without a problem", (stack) => {
        expect(problems(stack)).toEqual([]);
    });
});

describe("a DR rebuild that would depend on the failed region", () => {
    it("is refused in the failed region itself", () => {
        const found = problems("production-dr", { OPS_REGION: "us-east-1", OPS_DR_REGION: "us-west-2" });
        expect(found).toEqual(
            expect.arrayContaining([expect.objectContaining({ key: "ops:region", received: '"us-east-1"', allowed: expect.stringMatching(/^a region other than dr\.rebuildOf us-east-1: a DR rebuild runs while us-east-1 is down/) })]),
        );
    });

    it.each([
        ["OPS_SECRETS__REPLICATE_TO_DR", "ops:secrets.replicateToDr"],
        ["OPS_FILES__REPLICATE_TO_DR", "ops:files.replicateToDr"],
        ["OPS_BACKUP__COPY_TO_DR", "ops:backup.copyToDr"],
        ["OPS_BACKUP__REPLICATE_AUTOMATED_BACKUPS", "ops:backup.replicateAutomatedBackups"],
    ])("is refused a cross-region copy into it (%s)", (variable, key) => {
        const found = problems("production-dr", { [variable]: "true" });
        expect(found).toEqual([
            expect.objectContaining({
                key,
                received: "true",
                source: `environment variable ${variable}`,
                allowed: "false on a DR rebuild (dr.rebuildOf us-east-1): drRegion us-east-1 is the failed region (dr.rebuildOf); copies resume at failback, from the primary stack",
                fix: expect.stringContaining(variable),
            }),
        ]);
    });

    it("is refused a standby of its own", () => {
        expect(problems("production-dr", { OPS_DR__STANDBY: "true" })).toEqual([expect.objectContaining({ key: "ops:dr.standby", allowed: expect.stringMatching(/^false on a DR rebuild/) })]);
    });

    it("is refused a restore section that contradicts its database mode", () => {
        const found = problems("production-dr", { OPS_DR__DATABASE: "restoreReplicatedBackups" });
        expect(found).toEqual([expect.objectContaining({ key: "ops:restore.mode", received: '"none"', allowed: expect.stringMatching(/^replicatedBackup with dr\.database restoreReplicatedBackups/) })]);
        const other = problems("production-dr-drill", { OPS_DR__DATABASE: "promoteReplica" });
        expect(other).toEqual([expect.objectContaining({ key: "ops:restore.mode", allowed: expect.stringMatching(/^none with dr\.database promoteReplica/) })]);
    });

    it("lets only a drill (names of its own) opt out of protection in production", () => {
        expect(problems("production-dr", { OPS_PROTECT_STATEFUL_RESOURCES: "false" }).map((p) => p.key)).toEqual(["ops:protectStatefulResources"]);
        expect(problems("production-dr-drill")).toEqual([]);
    });
});

describe("where a cloud stack's image comes from", () => {
    it.each([
        ["myapp/backend", "a bare Docker Hub name"],
        ["123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp/production/app", "an ECR repository in us-west-2, not this stack's region us-east-1"],
        ["ghcr.io/octo-org/app", "a registry other than ECR in us-east-1"],
        ["myapp/staging/app", "a bare Docker Hub name"],
    ])("refuses %s on production (%s)", (repository, why) => {
        const found = problems("production", { OPS_APP__IMAGE__REPOSITORY: repository });
        expect(found).toEqual([
            expect.objectContaining({
                key: "ops:app.image.repository",
                received: JSON.stringify(repository),
                source: "environment variable OPS_APP__IMAGE__REPOSITORY",
                allowed: expect.stringContaining(`or the bare name myapp/production/app (the stack's registry repository, pulled from its own region's registry); got ${why}`),
            }),
        ]);
    });

    it.each([
        ["production", "myapp/production/app"],
        ["production", "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/production/app"],
        ["production-dr", "123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp/production/app"],
        ["staging", "myapp/staging/app"],
    ])("lets %s pull %s", (stack, repository) => {
        expect(problems(stack, { OPS_APP__IMAGE__REPOSITORY: repository })).toEqual([]);
    });

    it("checks the canary's image too", () => {
        const canary = JSON.stringify({ strategy: "canary", canary: { image: { repository: "myapp/backend", tag: "1.1.0" }, weights: { stable: 90, canary: 10 } } });
        expect(problems("production", { OPS_DEPLOYMENT: canary }).map((p) => p.key)).toEqual(["ops:deployment.canary.image.repository"]);
    });

    it("lets a pr-<N> preview pull staging's repository, not a Docker Hub name", () => {
        expect(problems("pr-42")).toEqual([]);
        expect(problems("pr-42", { OPS_APP__IMAGE__REPOSITORY: "myapp/backend" }).map((p) => p.key)).toEqual(["ops:app.image.repository"]);
    });
});

describe("a refused boolean", () => {
    it("is fixed by its other value", () => {
        const found = problems("production-dr", { OPS_SECRETS__REPLICATE_TO_DR: "true" }).find((p) => p.key === "ops:secrets.replicateToDr");
        expect(found?.fix).toContain("OPS_SECRETS__REPLICATE_TO_DR=false");
    });
});
