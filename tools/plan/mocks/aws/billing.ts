import type { MockFn } from "../kit";

/**
 * Billing and cost management: AWS Budgets budgets, global (no region), id `<account>:<name>`
 * (terraform-provider-aws budgets/budget.go, the `AccountID:BudgetName` import id), ARN
 * `arn:aws:budgets::<account>:budget/<name>` (Service Authorization Reference, AWS Budgets).
 */
export const BILLING: Record<string, MockFn> = {
    "aws:budgets/budget:Budget": (r) => {
        const name = r.autoname("name", 100);
        return { id: `${r.account}:${name}`, outputs: { name, accountId: r.account, arn: r.globalArn("budgets", `budget/${name}`) } };
    },
};
