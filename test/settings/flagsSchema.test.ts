import { flagsSettingsProblems } from "../../environments/flags";
import { SettingsError } from "../../settings/errors";
import { agentVersionSupported } from "../../settings/flagsSchema";
import { Settings, loadSettings } from "../../settings/load";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { planWith } from "../helpers/planWith";
import { ROOT } from "../helpers/stacks";

/** The feature-flags settings (settings/flagsSchema.ts) and the flags file in the stack's pre-check: every message. */

function load(stack: string, env: Record<string, string> = {}): Settings {
    const { project, config } = readStackConfig(ROOT, stack);
    return loadSettings({ project, stack, config, env });
}

function problems(stack: string, env: Record<string, string>): Array<[string, string]> {
    try {
        load(stack, env);
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.problems.map((p) => [p.key, p.allowed]);
        throw e;
    }
    return [];
}

describe("feature-flags settings", () => {
    it("give production a gradual rollout watched 10 minutes after the last step, staging a quick one", () => {
        expect(load("production").flags).toEqual({
            file: "flags/flags.yaml",
            agentImage: "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147",
            pollIntervalSeconds: 30,
            rollout: { growthType: "LINEAR", growthPercent: 20, durationMinutes: 20, bakeMinutes: 10 },
        });
        expect(load("staging").flags.rollout).toEqual({ growthType: "LINEAR", growthPercent: 50, durationMinutes: 2, bakeMinutes: 5 });
    });

    it.each([
        ["public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147", true],
        ["123456789012.dkr.ecr.us-west-2.amazonaws.com/mirror/aws-appconfig-agent:2.0.4416", true],
        [`public.ecr.aws/aws-appconfig/aws-appconfig-agent@sha256:${"a".repeat(64)}`, true],
        ["public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.4415", false],
        ["public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.4417", true],
        ["public.ecr.aws/aws-appconfig/aws-appconfig-agent:1.9.99999", false],
        ["public.ecr.aws/aws-appconfig/aws-appconfig-agent:3.0.0", true],
    ])("knows whether %s can evaluate multi-variant flags: %s", (image, ok) => {
        expect(agentVersionSupported(image)).toBe(ok);
    });

    it.each<[string, string, Record<string, string>, string, RegExp]>([
        ["a floating agent tag", "dev", { OPS_FLAGS__AGENT_IMAGE: "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.x" }, "ops:flags.agentImage", /pinned to a version or digest/],
        ["an agent too old for variants", "dev", { OPS_FLAGS__AGENT_IMAGE: "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.100" }, "ops:flags.agentImage", /2\.0\.4416 or later/],
        ["a poll interval under AppConfig's minimum", "staging", { OPS_FLAGS__POLL_INTERVAL_SECONDS: "5" }, "ops:flags.pollIntervalSeconds", /at least 15/],
        ["a flags file outside the project", "dev", { OPS_FLAGS__FILE: "../other/flags.yaml" }, "ops:flags.file", /a path inside the project/],
        ["a flags file that is not YAML", "dev", { OPS_FLAGS__FILE: "flags/flags.json" }, "ops:flags.file", /\.yaml file/],
        ["an all-at-once rollout in production", "production", { OPS_FLAGS__ROLLOUT__GROWTH_PERCENT: "100" }, "ops:flags.rollout.growthPercent", /less than 100 in production/],
        ["no bake in production", "production", { OPS_FLAGS__ROLLOUT__BAKE_MINUTES: "0" }, "ops:flags.rollout.bakeMinutes", /at least 5 in production/],
        ["a rollout longer than a day", "staging", { OPS_FLAGS__ROLLOUT__DURATION_MINUTES: "1441" }, "ops:flags.rollout.durationMinutes", /at most 1440/],
        ["an unknown growth type", "staging", { OPS_FLAGS__ROLLOUT__GROWTH_TYPE: "STEP" }, "ops:flags.rollout.growthType", /LINEAR.*EXPONENTIAL/],
    ])("refuses %s", (_what, stack, env, key, allowed) => {
        const found = problems(stack, env);
        expect(found.map(([k]) => k)).toEqual([key]);
        expect(found[0]![1]).toMatch(allowed);
    });

    it("lets staging roll out all at once with no bake", () => {
        expect(problems("staging", { OPS_FLAGS__ROLLOUT__GROWTH_PERCENT: "100", OPS_FLAGS__ROLLOUT__BAKE_MINUTES: "0" })).toEqual([]);
    });
});

describe("the flags file in the stack's pre-check", () => {
    it("names a missing file", () => {
        const p = flagsSettingsProblems(load("dev", { OPS_FLAGS__FILE: "flags/missing.yaml" }));
        expect(p).toEqual([
            { key: "ops:flags.file", received: '"flags/missing.yaml" (no such file)', allowed: "the flags file, relative to the project root (flags/flags.yaml)", fix: "create flags/missing.yaml with `flags: {}`, or set flags.file to the file" },
        ]);
    });

    it("passes the repository's file", () => {
        expect(flagsSettingsProblems(load("production"))).toEqual([]);
    });

    it("stops the plan, with every problem of the file and nothing created", async () => {
        const file = "test/settings/fixtures/flags-bad.yaml";
        const error = await planWith({ stack: "dev", env: { OPS_FLAGS__FILE: file } }).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(SettingsError.isSettingsError(error)).toBe(true);
        expect((error as SettingsError).problems.map((p) => [p.key, p.source])).toEqual([
            // The first line of the flag's definition.
            [`${file}: flags.NewCheckout`, `${file}, line 4`],
            [`${file}: flags.no_owner.owner`, `${file}, line 11`],
        ]);
    }, 60000);
});
