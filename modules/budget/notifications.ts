/**
 * What a stack's AWS Budgets budget watches and when it speaks. Pure: the component, the tests
 * and docs/cost.md read the same values.
 */

/** One notification of a budget: a share of the limit, reached by actual or by forecast spend. */
export interface BudgetThreshold {
    notificationType: "ACTUAL" | "FORECASTED";
    /** Percent of the monthly limit. */
    percent: number;
}

/**
 * 80% of the month's limit actually spent (time to look), and 100% forecast (the month will end
 * over it unless something changes). AWS sends each at most once per budget period.
 */
export const BUDGET_THRESHOLDS: readonly BudgetThreshold[] = [
    { notificationType: "ACTUAL", percent: 80 },
    { notificationType: "FORECASTED", percent: 100 },
];

/**
 * The cost-allocation tag a stack's budget filters on: `environment`, which the AWS provider puts
 * on every resource the program creates. AWS Budgets sees a tag only after it is activated as a
 * cost allocation tag (once per payer account, docs/cost.md "Budgets"), and only from then on.
 */
export const BUDGET_TAG = "environment";

/**
 * The budget's cost filter: the legacy `CostFilters` form, whose tag values are `user:<key>$<value>`
 * for user-defined tags (the AWS provider's documentation of `aws_budgets_budget`, "cost filter using
 * resource tags"; AWS Budgets API `CostFilters`). One filter, so a budget of a shared account counts
 * this environment's resources only.
 */
export function budgetCostFilters(environment: string): Array<{ name: string; values: string[] }> {
    return [{ name: "TagKeyValue", values: [`user:${BUDGET_TAG}$${environment}`] }];
}

/**
 * The limit as AWS Budgets takes it: a decimal string in USD (the API's `Spend.Amount`), two places,
 * so 1500 and 1500.0 plan alike.
 */
export function budgetLimitAmount(monthlyUsd: number): string {
    if (!Number.isFinite(monthlyUsd) || monthlyUsd <= 0) throw new Error(`A budget needs a monthly limit above 0 USD, got ${String(monthlyUsd)}.`);
    return monthlyUsd.toFixed(2);
}

/** A budget's name: unique in the account, at most 100 characters, no `:` or `\` (AWS Budgets API `BudgetName`). */
export function budgetName(namePrefix: string): string {
    const name = `${namePrefix}-monthly`;
    if (name.length > 100 || /[:\\]/.test(name)) throw new Error(`The budget name ${name} is not one AWS Budgets accepts (at most 100 characters, no ":" or "\\").`);
    return name;
}
