/**
 * The offline plan: runs this project's real program (`index.ts`) for a stack under Pulumi's
 * mocks, with that stack's config (`Pulumi.yaml`, `Pulumi.<stack>.yaml`) and environment
 * variables, and prints what it would create. Needs no Pulumi CLI, plugin or cloud credentials.
 *
 *   npm run plan -- --stack production
 *   npm run plan -- --stack production --json plan.json
 *   npm run plan -- --stack production --debug       # full stack traces if the program fails
 *
 * A settings error prints every problem, exits 1, and writes no plan file; a usage error exits 2.
 */
// First: zod's locales load lazily (./plan/zodLocales.ts).
import "./plan/zodLocales";
import * as fs from "fs";
import { unwritableReason } from "./cli/outputFile";
import { isUserError, planStack, standInNote } from "./plan/planStack";
import { renderPlan } from "./plan/render";

const USAGE = "usage: npm run plan -- --stack <name> [--json <file>] [--quiet] [--debug]";

interface Args {
    stack: string;
    json?: string;
    quiet: boolean;
    debug: boolean;
}

/** The value of an option: the next argument, which must not be another option. */
function valueOf(argv: readonly string[], i: number, flag: string, what: string): string {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs ${what}${v ? `, got the option ${v}` : ""}`);
    return v;
}

/** Parses the command line; throws a UsageError naming what is wrong. */
export function parseArgs(argv: readonly string[]): Args {
    let stack: string | undefined;
    let json: string | undefined;
    let quiet = false;
    let debug = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (a === "--stack" || a === "-s") stack = valueOf(argv, i++, a, "a stack name");
        else if (a === "--json") json = valueOf(argv, i++, a, "a file name");
        else if (a === "--quiet") quiet = true;
        else if (a === "--debug") debug = true;
        else if (a.startsWith("--stack=")) stack = a.slice("--stack=".length);
        else if (a.startsWith("--json=")) json = a.slice("--json=".length);
        else throw new UsageError(`unknown argument ${a}`);
    }
    if (!stack) throw new UsageError("--stack is required");
    if (json !== undefined) {
        const why = unwritableReason(json);
        if (why) throw new UsageError(`--json ${json}: ${why}`);
    }
    return { stack, json, quiet, debug };
}

class UsageError extends Error {}

async function main(): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
        return 2;
    }
    // The SDK captures a stack trace for every promise it creates (for its leak report), which
    // costs a production plan about 15% of its time; the plan needs none unless it is debugged.
    if (!args.debug) Error.stackTraceLimit = 0;
    try {
        const plan = await planStack(args.stack);
        if (!args.quiet) process.stdout.write(`${renderPlan(plan)}\n`);
        const note = standInNote(plan);
        if (note) process.stderr.write(`\n${note}`);
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

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: unknown) => {
            const debugging = process.argv.includes("--debug");
            process.stderr.write(`The plan failed: ${e instanceof Error ? (debugging ? (e.stack ?? e.message) : e.message) : String(e)}\n`);
            if (!debugging) process.stderr.write("Run again with --debug for the stack trace.\n");
            process.exit(3);
        },
    );
}
