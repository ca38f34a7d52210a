import { z } from "zod";

/**
 * Settings of a stack's cost: its monthly budget, which the cost estimate (`npm run cost`) is
 * held to and which a cloud stack also keeps in AWS Budgets (modules/budget). Declared here and
 * composed into the one schema in `schema.ts`; no profile sets a budget: each stack says its own.
 */
export const costSchema = z
    .strictObject({
        monthlyBudgetUsd: z
            .number()
            .positive()
            .max(1_000_000_000)
            .optional()
            .meta({
                description:
                    "The stack's monthly budget in USD. `npm run cost -- --stack <name>` fails when the estimate is over it; a cloud stack also gets an AWS Budgets budget that alerts the low-severity topic at 80% of actual and 100% of forecast spend (docs/cost.md, \"Budgets\").",
            }),
    })
    .meta({ description: "The stack's cost budget." });
