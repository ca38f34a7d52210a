import type { Plan } from "../plan/record";
import { CostEstimate, formatUsd } from "./model";

/** Where a stack's own budget comes from: its settings, which the plan records as a stack output. */
export const SETTINGS_BUDGET_SOURCE = "cost.monthlyBudgetUsd in the stack's settings";

/**
 * The budget a plan's stack sets (`cost.monthlyBudgetUsd`, exported by the program as the stack
 * output `monthlyBudgetUsd`), or undefined when it sets none.
 */
export function planBudgetUsd(plan: Pick<Plan, "outputs">): number | undefined {
    const value = (plan.outputs as Record<string, unknown> | undefined)?.["monthlyBudgetUsd"];
    return typeof value === "number" ? value : undefined;
}

/**
 * The budget to check an estimate against: `--budget` when given (it wins, for a what-if), else
 * the stack's own; with its source for the message.
 */
export function budgetToCheck(plan: Pick<Plan, "outputs">, flag?: number): { usd: number; source: string } | undefined {
    if (flag !== undefined) return { usd: flag, source: "--budget" };
    const own = planBudgetUsd(plan);
    return own === undefined ? undefined : { usd: own, source: SETTINGS_BUDGET_SOURCE };
}

/** The verdict of an estimate against a monthly budget. */
export interface BudgetCheck {
    budgetUsd: number;
    estimateUsd: number;
    overBudget: boolean;
    /** Positive when over. */
    overByUsd: number;
    message: string;
}

/**
 * Checks an estimate against a monthly budget in USD. The message names the stack, both figures,
 * the largest cost lines and what to do; an estimate with unpriced resources says so, since the
 * real bill can only be higher.
 */
export function checkBudget(estimate: CostEstimate, budgetUsd: number, source = "--budget"): BudgetCheck {
    if (!Number.isFinite(budgetUsd) || budgetUsd <= 0) {
        throw new Error(`The monthly budget ${source} must be a number of USD above 0, got ${String(budgetUsd)}.`);
    }
    const over = estimate.totalMonthlyUsd - budgetUsd;
    const top = estimate.resources
        .filter((r) => r.monthlyUsd > 0)
        .sort((a, b) => b.monthlyUsd - a.monthlyUsd)
        .slice(0, 3)
        .map((r) => `${r.name} (${r.type.split(":").pop()}) ${formatUsd(r.monthlyUsd)}`)
        .join(", ");
    const unpriced = estimate.unpriced.reduce((s, u) => s + u.count, 0);
    const caveat = unpriced > 0 ? ` ${unpriced} resource(s) are not priced, so the real bill is higher still.` : "";
    const message =
        over > 0
            ? `Stack "${estimate.stack}" is estimated at ${formatUsd(estimate.totalMonthlyUsd)} a month, ${formatUsd(over)} over its budget of ${formatUsd(budgetUsd)} (${source}).` +
              ` The largest costs: ${top}. Lower them (sizes, counts, Multi-AZ, NAT gateways) or raise the budget.${caveat}`
            : `Stack "${estimate.stack}" is estimated at ${formatUsd(estimate.totalMonthlyUsd)} a month, within its budget of ${formatUsd(budgetUsd)} (${source}).${caveat}`;
    return { budgetUsd, estimateUsd: estimate.totalMonthlyUsd, overBudget: over > 0, overByUsd: Math.max(0, over), message };
}
