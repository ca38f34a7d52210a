/**
 * The offline plan: runs this project's real program (`index.ts`) for a stack under Pulumi's
 * mocks, with that stack's config (`Pulumi.yaml`, `Pulumi.<stack>.yaml`) and environment
 * variables, and prints what it would create. Needs no Pulumi CLI, plugin or cloud credentials.
 *
 *   npm run plan -- --stack production
 *   npm run plan -- --stack production --json plan.json
 *   npm run plan -- --stack production --debug       # full stack traces if the program fails
 *
 * A settings error prints every problem, exits 1, and writes no plan file.
 */
import { keyAt } from "../settings/configKeys";
import * as fs from "fs";
import { isUserError, planStack } from "./plan/planStack";
import { renderPlan } from "./plan/render";

const USAGE = "usage: npm run plan -- --stack <name> [--json <file>] [--quiet] [--debug]";

interface Args {
    stack: string;
    json?: string;
    quiet: boolean;
    debug: boolean;
}

function parseArgs(argv: string[]): Args {
    let stack: string | undefined;
    let json: string | undefined;
    let quiet = false;
    let debug = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--stack" || a === "-s") stack = argv[++i];
        else if (a === "--json") json = argv[++i];
        else if (a === "--quiet") quiet = true;
        else if (a === "--debug") debug = true;
        else if (a?.startsWith("--stack=")) stack = a.slice("--stack=".length);
        else if (a?.startsWith("--json=")) json = a.slice("--json=".length);
        else throw new UsageError(`unknown argument ${a}\n${USAGE}`);
    }
    if (!stack) throw new UsageError(`--stack is required\n${USAGE}`);
    if (json === undefined && argv.includes("--json")) throw new UsageError(`--json needs a file name\n${USAGE}`);
    return { stack, json, quiet, debug };
}

class UsageError extends Error {}

async function main(): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        return 2;
    }
    // The SDK captures a stack trace for every promise it creates (for its leak report), which
    // costs a production plan about 15% of its time; the plan needs none unless it is debugged.
    if (!args.debug) Error.stackTraceLimit = 0;
    try {
        const plan = await planStack(args.stack);
        if (!args.quiet) process.stdout.write(`${renderPlan(plan)}\n`);
        if (plan.standIns.length > 0) {
            const set = (k: string) => `pulumi config set${keyAt(k.slice(k.indexOf(":") + 1))?.secret ? " --secret" : ""} ${k.slice(k.indexOf(":") + 1)} <value>`;
            process.stderr.write(
                `\nNote: the plan stood in for what stack "${args.stack}" requires but does not hold: ${plan.standIns.join(", ")}.\n` +
                    `\`pulumi up\` needs them: ${plan.standIns.map(set).join("; ")}\n`,
            );
        }
        if (args.json) {
            fs.writeFileSync(args.json, `${JSON.stringify(plan, null, 2)}\n`);
            if (!args.quiet) process.stdout.write(`\nPlan written to ${args.json}\n`);
        }
        return 0;
    } catch (e) {
        if (isUserError(e)) {
            process.stderr.write(`${e.message}\n`);
            return 1;
        }
        throw e;
    }
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        const debugging = process.argv.includes("--debug");
        process.stderr.write(`The plan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        if (!debugging) process.stderr.write("Run again with --debug for the stack trace.\n");
        process.exit(3);
    },
);
