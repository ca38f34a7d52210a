import type * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import { StackBudget } from "../modules/budget";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";

/**
 * The budget layer of a cloud stack (issue 13; docs/cost.md, "Budgets"): when the stack sets
 * `cost.monthlyBudgetUsd`, an AWS Budgets budget on the primary-region provider that alerts the
 * low-severity topic. AWS Budgets is global: a shape that must compose no global resource (the
 * DR rebuild) leaves this layer out (settings/shape.ts).
 */
export function composeBudget(
    settings: Settings,
    names: StackNames,
    deps: { providers: AwsProviders; lowSeverityTopicArn: pulumi.Input<string> },
): Record<string, pulumi.Input<unknown>> {
    const monthlyUsd = settings.cost.monthlyBudgetUsd;
    if (monthlyUsd === undefined) return {};
    const budget = new StackBudget(names.budget, {
        namePrefix: names.perStack,
        monthlyUsd,
        environment: settings.environment,
        topicArn: deps.lowSeverityTopicArn,
        provider: deps.providers.primary,
    });
    return { budgetName: budget.name };
}
