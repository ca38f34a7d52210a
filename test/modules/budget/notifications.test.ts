import { BUDGET_TAG, BUDGET_THRESHOLDS, budgetCostFilters, budgetLimitAmount, budgetName } from "../../../modules/budget";

describe("what a stack's budget watches", () => {
    it("speaks at 80% of actual spend and 100% of forecast spend", () => {
        expect(BUDGET_THRESHOLDS).toEqual([
            { notificationType: "ACTUAL", percent: 80 },
            { notificationType: "FORECASTED", percent: 100 },
        ]);
    });

    it("counts the resources tagged with the stack's environment, as a user-defined cost allocation tag", () => {
        expect(BUDGET_TAG).toBe("environment");
        expect(budgetCostFilters("production")).toEqual([{ name: "TagKeyValue", values: ["user:environment$production"] }]);
    });

    it("gives AWS Budgets its limit as a decimal string in USD", () => {
        expect(budgetLimitAmount(2500)).toBe("2500.00");
        expect(budgetLimitAmount(12.5)).toBe("12.50");
        for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => budgetLimitAmount(bad)).toThrow(`A budget needs a monthly limit above 0 USD, got ${String(bad)}.`);
    });

    it("names the budget after the stack, within AWS Budgets' rules", () => {
        expect(budgetName("myapp-production")).toBe("myapp-production-monthly");
        expect(() => budgetName("a".repeat(93))).toThrow(/is not one AWS Budgets accepts \(at most 100 characters/);
        expect(() => budgetName("myapp:prod")).toThrow('The budget name myapp:prod-monthly is not one AWS Budgets accepts (at most 100 characters, no ":" or "\\").');
    });
});
