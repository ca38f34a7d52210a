import { SettingsError } from "../../settings/errors";
import { loadSettings } from "../../settings/load";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { ROOT, deployEnv } from "../helpers/stacks";

/** cost.monthlyBudgetUsd: optional, a number of USD above 0, each stack's own. */

const load = (stack: string, env: Record<string, string> = {}) =>
    loadSettings({ project: "ops", stack, config: readStackConfig(ROOT, stack).config, env: { ...deployEnv(stack), ...env } });

function problemOf(stack: string, env: Record<string, string>): SettingsError {
    try {
        load(stack, env);
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e;
        throw e;
    }
    throw new Error("expected a SettingsError, but the settings loaded");
}

describe("cost.monthlyBudgetUsd", () => {
    it("is each stack's own: staging and production set one, the DR rebuild and the local and preview stacks none", () => {
        expect(load("staging").cost.monthlyBudgetUsd).toBe(800);
        expect(load("production").cost.monthlyBudgetUsd).toBe(2500);
        for (const stack of ["production-dr", "dev", "pr-42"]) expect([stack, load(stack).cost.monthlyBudgetUsd]).toEqual([stack, undefined]);
    });

    it("takes a number from OPS_COST__MONTHLY_BUDGET_USD", () => {
        expect(load("dev", { OPS_COST__MONTHLY_BUDGET_USD: "12.5" }).cost.monthlyBudgetUsd).toBe(12.5);
    });

    it.each([
        ["0", "more than 0"],
        ["-20", "more than 0"],
        ["lots", "a value of type number"],
        ["2000000000", "at most 1000000000"],
    ])("refuses %s, naming the key, the value, its source and the fix", (value, allowed) => {
        const [problem, ...others] = problemOf("staging", { OPS_COST__MONTHLY_BUDGET_USD: value }).problems;
        expect(others).toEqual([]);
        expect(problem).toMatchObject({
            key: "ops:cost.monthlyBudgetUsd",
            source: "environment variable OPS_COST__MONTHLY_BUDGET_USD",
            fix: expect.stringContaining("OPS_COST__MONTHLY_BUDGET_USD") as unknown,
        });
        expect(problem!.allowed).toContain(allowed);
        expect(problem!.received).toContain(value === "lots" ? '"lots"' : value);
    });
});
