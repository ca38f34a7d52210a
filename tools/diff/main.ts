/**
 * The offline plan diff: what would change between two offline plans (a branch's base and head),
 * per stack, without the Pulumi CLI or credentials.
 *
 *   npm run plan:diff -- base.json head.json                 # one stack, text
 *   npm run plan:diff -- plans/base plans/head --markdown    # a directory of plans per side
 *   npm run plan:diff -- base.json head.json --json          # machine-readable
 *
 * Exit codes: 0 no data loss; 1 a change replaces or deletes a protected or stateful resource
 * (data loss); 2 bad arguments or unreadable input; 3 an unexpected failure.
 */
import * as fs from "fs";
import { PlanDiff, dataLossChanges, diffPlans } from "./diff";
import { unwritableReason } from "../cli/outputFile";
import { InputError, loadSide } from "./load";
import { renderMarkdown, renderText } from "./render";
import { ReportPaths, loadReports } from "./reports";

export const USAGE = `usage: npm run plan:diff -- <base plan or dir> <head plan or dir> [--markdown | --json] [--out <file>]
       [--policy-base <f|dir> --policy-head <f|dir>] [--cost-base <f|dir> --cost-head <f|dir>]
       [--rto-base <f|dir> --rto-head <f|dir>] [--base-label <text>] [--head-label <text>] [--max-chars <n>]
exit: 0 no data loss, 1 data loss, 2 bad input`;

/** Exit codes, documented in README "Delivery". */
export const EXIT = { ok: 0, dataLoss: 1, usage: 2, failure: 3 } as const;

export interface DiffArgs extends ReportPaths {
    base: string;
    head: string;
    format: "text" | "markdown" | "json";
    out?: string;
    baseLabel?: string;
    headLabel?: string;
    maxChars?: number;
}

const VALUE_FLAGS: Record<string, keyof DiffArgs> = {
    "--out": "out",
    "--policy-base": "policyBase",
    "--policy-head": "policyHead",
    "--cost-base": "costBase",
    "--cost-head": "costHead",
    "--rto-base": "rtoBase",
    "--rto-head": "rtoHead",
    "--base-label": "baseLabel",
    "--head-label": "headLabel",
    "--max-chars": "maxChars",
};

/** Parses the command line; throws an InputError naming the problem. */
export function parseArgs(argv: string[]): DiffArgs {
    const positional: string[] = [];
    const args: Partial<DiffArgs> & Record<string, unknown> = { format: "text" };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (a === "--markdown" || a === "--json") {
            const format = a === "--json" ? "json" : "markdown";
            if (args.format !== "text" && args.format !== format) throw new InputError(`--markdown and --json exclude each other\n${USAGE}`);
            args.format = format;
        } else if (a in VALUE_FLAGS) {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new InputError(`${a} needs a value\n${USAGE}`);
            const key = VALUE_FLAGS[a]!;
            if (key === "maxChars") {
                const n = Number(v);
                if (!Number.isInteger(n) || n < 1000) throw new InputError(`--max-chars must be a whole number of at least 1000, got ${v}`);
                args.maxChars = n;
            } else (args as Record<string, unknown>)[key] = v;
        } else if (a.startsWith("--")) throw new InputError(`unknown option ${a}\n${USAGE}`);
        else positional.push(a);
    }
    if (positional.length !== 2) throw new InputError(`expected a base and a head, got ${positional.length} path(s)\n${USAGE}`);
    const unwritable = typeof args.out === "string" ? unwritableReason(args.out) : undefined;
    if (unwritable) throw new InputError(`--out ${String(args.out)}: ${unwritable}\n${USAGE}`);
    return { ...(args as DiffArgs), base: positional[0]!, head: positional[1]! };
}

/** Runs the diff; returns what to print and the exit code. */
export function run(args: DiffArgs): { output: string; code: number; diff: PlanDiff } {
    const diff = diffPlans(loadSide(args.base), loadSide(args.head));
    const reports = loadReports(args);
    const losses = dataLossChanges(diff);
    let output: string;
    if (args.format === "json") output = JSON.stringify({ ...diff, dataLoss: losses.length }, null, 2);
    else if (args.format === "markdown") {
        output = renderMarkdown(diff, reports, {
            ...(args.baseLabel ? { baseLabel: args.baseLabel } : {}),
            ...(args.headLabel ? { headLabel: args.headLabel } : {}),
            ...(args.maxChars ? { maxChars: args.maxChars } : {}),
        });
    } else output = renderText(diff);
    return { output, code: losses.length > 0 ? EXIT.dataLoss : EXIT.ok, diff };
}

function main(): number {
    let args: DiffArgs;
    try {
        args = parseArgs(process.argv.slice(2));
        const { output, code } = run(args);
        if (args.out) fs.writeFileSync(args.out, `${output}\n`);
        else process.stdout.write(`${output}\n`);
        return code;
    } catch (e) {
        if (e instanceof InputError) {
            process.stderr.write(`${e.message}\n`);
            return EXIT.usage;
        }
        throw e;
    }
}

if (require.main === module) {
    try {
        process.exit(main());
    } catch (e) {
        process.stderr.write(`The plan diff failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(EXIT.failure);
    }
}
