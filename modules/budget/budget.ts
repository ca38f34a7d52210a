import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUDGET_THRESHOLDS, budgetCostFilters, budgetLimitAmount, budgetName } from "./notifications";

export interface StackBudgetArgs {
    /** `<appName>-<stack>`: the budget is `<prefix>-monthly`. */
    namePrefix: string;
    /** The monthly limit in USD (`cost.monthlyBudgetUsd`). */
    monthlyUsd: number;
    /** The value of the `environment` tag the budget counts (docs/cost.md, "Budgets"). */
    environment: string;
    /**
     * The low-severity alert topic (email). Its policy and its key must let AWS Budgets publish
     * (modules/observability `topicPolicyDocument`, modules/keys `budgetsPublishStatement`).
     */
    topicArn: pulumi.Input<string>;
    /**
     * The primary region's provider. AWS Budgets is a global service (its API is in us-east-1 and
     * the resource has no region): a DR rebuild, which must work while us-east-1's control planes
     * are down, composes no budget (settings/shape.ts).
     */
    provider: aws.Provider;
}

/**
 * A stack's monthly cost budget in AWS Budgets, on unblended cost of the resources tagged with
 * the stack's environment, notifying the low-severity topic at 80% of actual and 100% of
 * forecast spend (`BUDGET_THRESHOLDS`). Budgets without actions cost nothing.
 */
export class StackBudget extends pulumi.ComponentResource {
    readonly budget: aws.budgets.Budget;
    readonly name: string;

    constructor(name: string, args: StackBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:budget:StackBudget", name, {}, opts);
        this.name = budgetName(args.namePrefix);
        this.budget = new aws.budgets.Budget(
            name,
            {
                name: this.name,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: budgetLimitAmount(args.monthlyUsd),
                limitUnit: "USD",
                costFilters: budgetCostFilters(args.environment),
                notifications: BUDGET_THRESHOLDS.map((t) => ({
                    comparisonOperator: "GREATER_THAN",
                    notificationType: t.notificationType,
                    threshold: t.percent,
                    thresholdType: "PERCENTAGE",
                    subscriberSnsTopicArns: [args.topicArn],
                })),
            },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({ name: this.name });
    }
}
