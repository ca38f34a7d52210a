import { PlanQuery, loadPlan, loadPlanText } from "../helpers/plan";
import { SECRET_SENTINELS, plannedStacks } from "../helpers/stacks";

describe("the offline plan", () => {
    it.each(plannedStacks())("writes the documented JSON shape for %s", (stack) => {
        const plan = loadPlan(stack);
        expect(plan.project).toBe("ops");
        expect(plan.stack).toBe(stack);
        expect(plan.resources.length).toBeGreaterThan(0);
        for (const r of plan.resources) {
            expect(Object.keys(r).sort()).toEqual(
                ["custom", "dependencies", "dependsOn", "id", "inputs", "name", "options", "parent", "protect", "provider", "retainOnDelete", "type", "urn"].sort(),
            );
            expect(r.urn).toBe(`urn:pulumi:${stack}::ops::${r.urn.split("::")[2]}::${r.name}`);
            if (r.parent !== null) expect(PlanQuery.of(stack).byUrn(r.parent)).toBeDefined();
        }
        expect(plan.resources.filter((r) => r.parent === null).map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });

    it.each(plannedStacks())("never shows a secret value in plain text for %s", (stack) => {
        const text = JSON.stringify(loadPlan(stack)) + loadPlanText(stack);
        for (const value of Object.values(SECRET_SENTINELS)) expect(text).not.toContain(value);
    });
});
