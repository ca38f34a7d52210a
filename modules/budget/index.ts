/** A stack's monthly cost budget in AWS Budgets, and what it watches. */
export { StackBudget, type StackBudgetArgs } from "./budget";
export { BUDGET_TAG, BUDGET_THRESHOLDS, budgetCostFilters, budgetLimitAmount, budgetName, type BudgetThreshold } from "./notifications";
