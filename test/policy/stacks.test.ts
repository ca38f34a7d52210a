import { contextFromPlan } from "../../policy/context";
import { checkPolicies } from "../../policy/rules";
import { loadPlan } from "../helpers/plan";
import { plannedStacks } from "../helpers/stacks";

describe("every stack's plan", () => {
    it.each(plannedStacks())("%s violates no mandatory policy", (stack) => {
        const { mandatory } = checkPolicies(contextFromPlan(loadPlan(stack)));
        expect(mandatory.map((v) => `${v.rule}: ${v.message}`)).toEqual([]);
    });

    it.each([
        ["dev", "development"],
        ["staging", "staging"],
        ["production", "production"],
        ["production-dr", "production"],
        ["pr-42", "staging"],
    ])("%s is judged as %s", (stack, environment) => {
        expect(contextFromPlan(loadPlan(stack)).environment).toBe(environment);
    });
});
