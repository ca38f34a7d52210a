/**
 * Checks a stack's offline plan against the policy rules (policy/rules.ts), without the Pulumi
 * CLI. The same rules run under the real CLI with `pulumi preview --policy-pack policy`.
 *
 *   npm run policy -- --stack production
 *
 * Exits 1 when a mandatory rule is violated (or the stack's settings are invalid).
 */
import { contextFromPlan } from "../policy/context";
import { checkPolicies, rules } from "../policy/rules";
import { isUserError, planStack } from "./plan/planStack";

async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const i = argv.indexOf("--stack");
    const stack = i >= 0 ? argv[i + 1] : undefined;
    if (!stack) {
        process.stderr.write("usage: npm run policy -- --stack <name>\n");
        return 2;
    }
    let plan;
    try {
        plan = await planStack(stack);
    } catch (e) {
        if (isUserError(e)) {
            process.stderr.write(`${e.message}\n`);
            return 1;
        }
        throw e;
    }
    const ctx = contextFromPlan(plan);
    const { mandatory, advisory } = checkPolicies(ctx);
    const lines = [`Policy check of stack "${stack}" (${ctx.environment}), ${rules.length} rules, ${plan.resources.length} resources:`];
    for (const v of mandatory) lines.push(`  mandatory  ${v.rule}: ${v.message}\n             ${v.urn}`);
    for (const v of advisory) lines.push(`  advisory   ${v.rule}: ${v.message}\n             ${v.urn}`);
    lines.push(mandatory.length === 0 ? "No mandatory violation." : `${mandatory.length} mandatory violation(s).`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return mandatory.length === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`The policy check failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(3);
    },
);
