import { loadStackSettings } from "../../settings/load";
import { LAYERS, SHAPE_LAYERS, STACK_SHAPES, composes, stackShape } from "../../settings/shape";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { PlanQuery } from "../helpers/plan";
import { PREVIEW_STACK, ROOT, SECRET_SENTINELS, deployEnv, plannedStacks } from "../helpers/stacks";
import { SettingsError } from "../../settings/errors";

const load = (stack: string, env: Record<string, string> = {}) =>
    loadStackSettings({ project: "ops", stack, config: readStackConfig(ROOT, stack).config, env: { ...deployEnv(stack), ...SECRET_SENTINELS, ...env } });

function problemKeys(stack: string, env: Record<string, string>): string[] {
    try {
        load(stack, env);
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.problems.map((p) => p.key);
        throw e;
    }
    return [];
}

/** A component of each layer, as the plans show it: where a layer is composed, one of its components is there. */
const LAYER_COMPONENT: Record<(typeof LAYERS)[number], string | string[]> = {
    keys: "ops:keys:Keys",
    platform: "ops:cluster:Cluster",
    alerting: "ops:observability:AlertRouting",
    // Its database, or on a DR rebuild that promotes the standby's replica its cache (the database is found, not made).
    data: ["ops:database:PostgresDatabase", "ops:cache:RedisCache"],
    secrets: "ops:secrets:AppSecrets",
    workload: "ops:workload:App",
    observability: "ops:observability:Alarms",
    budget: "ops:budget:StackBudget",
    // AppConfig on a cloud stack, the agent's ConfigMap on dev and pr-<N>.
    flags: ["ops:flags:FeatureFlags", "ops:flags:LocalFlags"],
    bootstrap: "ops:stateBackend:StateBackend",
};

/** The budget layer composes a budget only when the stack sets one (cost.monthlyBudgetUsd). */
const composedLayers = (stack: string): readonly string[] => SHAPE_LAYERS[stackShape(load(stack))].filter((l) => { const s = load(stack); return l !== "budget" || ("cost" in s && s.cost.monthlyBudgetUsd !== undefined); });

describe("the stack shape, decided once from the settings", () => {
    it.each([
        ["dev", "local"],
        ["staging", "cloud"],
        ["production", "cloud"],
        ["production-dr", "cloud"],
        [PREVIEW_STACK, "preview"],
        ["bootstrap", "bootstrap"],
    ])("%s is a %s stack", (stack, shape) => {
        expect(stackShape(load(stack))).toBe(shape);
    });

    it("is local on a local platform whatever the profile, a preview for the preview profile on AWS, cloud otherwise", () => {
        expect(stackShape({ platform: "local", profile: "preview" })).toBe("local");
        expect(stackShape({ platform: "aws", profile: "preview" })).toBe("preview");
        // An engineer's sandbox on AWS with development sizes.
        expect(stackShape({ platform: "aws", profile: "development" })).toBe("cloud");
        expect(stackShape({ platform: "aws", profile: "bootstrap" })).toBe("bootstrap");
    });

    it("lists each shape's layers in composition order", () => {
        for (const shape of STACK_SHAPES) expect(SHAPE_LAYERS[shape]).toEqual(LAYERS.filter((l) => SHAPE_LAYERS[shape].includes(l)));
        expect(composes("preview", "platform")).toBe(false);
        expect(composes("cloud", "data")).toBe(true);
    });

    it.each(plannedStacks())("%s's plan holds the layers of its shape, and no other", (stack) => {
        const q = PlanQuery.of(stack);
        const present = LAYERS.filter((layer) => [LAYER_COMPONENT[layer]].flat().some((type) => q.ofType(type).length > 0));
        expect(present).toEqual(composedLayers(stack));
    });
});

describe("a layer's rules apply to the shapes that compose it", () => {
    it("checks a cloud stack's VPC block against the CIDR plan, not a preview's, which builds no VPC", () => {
        expect(problemKeys("staging", { OPS_NETWORK__CIDR: "10.30.0.0/16" })).toEqual(["ops:network.cidr"]);
        expect(problemKeys(PREVIEW_STACK, { OPS_NETWORK__CIDR: "10.30.0.0/16" })).toEqual([]);
    });

    it("checks a cloud stack's database windows, not dev's, whose database is in the cluster", () => {
        const overlapping = { OPS_DATABASE__MAINTENANCE_WINDOW: "sun:03:30-sun:04:30" };
        expect(problemKeys("staging", overlapping)).toEqual(["ops:database.maintenanceWindow"]);
        expect(problemKeys("dev", overlapping)).toEqual([]);
    });

    it("still checks every key's own type and format on every shape", () => {
        expect(problemKeys(PREVIEW_STACK, { OPS_NETWORK__CIDR: "not-a-cidr" })).toEqual(["ops:network.cidr"]);
        expect(problemKeys("dev", { OPS_DATABASE__BACKUP_WINDOW: "3am" })).toEqual(["ops:database.backupWindow"]);
    });
});
