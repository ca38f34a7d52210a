/**
 * Mutation testing of the pure modules, the Lambdas and the policy rules (StrykerJS over the
 * rows of tools/mutate/targets.ts), then each file's score against its row's floor.
 *
 *   npm run mutate                                          # every row
 *   npm run mutate -- --mutate modules/network/cidr.ts      # one file (or a comma-separated list, globs)
 *   npm run mutate -- --mutate policy/rules.ts --concurrency 1
 *
 * Every other option goes to `stryker run` as given (`--concurrency`, `--incremental`, ...).
 * Exit codes: 0 every file at or above its floor, 1 a file below it, else Stryker's own.
 * Reports: reports/mutation/mutation.html and mutation.json (gitignored). See docs/mutation.md.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { narrowMutateEntries, rowOf } from "./mutate/resolve";
import { HTML_REPORT, JSON_REPORT, MutationReport, renderVerdicts, fileScores, verdicts } from "./mutate/scores";
import { TARGETS } from "./mutate/targets";

const ROOT = path.resolve(__dirname, "..");

/** Splits a `--mutate` value on the commas that are not inside a glob's `{a,b}`. */
export function splitMutateList(value: string): string[] {
    const entries: string[] = [];
    let depth = 0;
    let current = "";
    for (const ch of value) {
        if (ch === "{") depth += 1;
        if (ch === "}") depth = Math.max(0, depth - 1);
        if (ch === "," && depth === 0) {
            entries.push(current);
            current = "";
        } else {
            current += ch;
        }
    }
    entries.push(current);
    return entries.map((e) => e.trim()).filter((e) => e.length > 0);
}

/** The `stryker run` arguments: the user's, with each `--mutate` file of a declarations row narrowed to its declarations. */
export function strykerArgs(args: string[], narrow: (entries: string[]) => string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i += 1) {
        const arg = args[i]!;
        const inline = /^--mutate=(.*)$/.exec(arg);
        if (inline) {
            out.push(`--mutate=${narrow(splitMutateList(inline[1]!)).join(",")}`);
        } else if ((arg === "--mutate" || arg === "-m") && i + 1 < args.length) {
            out.push(arg, narrow(splitMutateList(args[i + 1]!)).join(","));
            i += 1;
        } else {
            out.push(arg);
        }
    }
    return out;
}

/** The `--mutate` entries that name a file (no glob) the project does not have. */
export function missingMutateFiles(args: readonly string[], root: string): string[] {
    const entries: string[] = [];
    for (let i = 0; i < args.length; i += 1) {
        const inline = /^--mutate=(.*)$/.exec(args[i]!);
        if (inline) entries.push(...splitMutateList(inline[1]!));
        else if ((args[i] === "--mutate" || args[i] === "-m") && i + 1 < args.length) entries.push(...splitMutateList(args[++i]!));
    }
    return entries.filter((e) => !/[*?{[]/.test(e) && !fs.existsSync(path.join(root, e.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, ""))));
}

function main(): number {
    const missing = missingMutateFiles(process.argv.slice(2), ROOT);
    if (missing.length > 0) {
        process.stderr.write(`--mutate names no such file: ${missing.join(", ")} (paths are relative to the project root, such as modules/network/cidr.ts; the rows are in tools/mutate/targets.ts)\n`);
        return 2;
    }
    const stryker = path.join(path.dirname(require.resolve("@stryker-mutator/core/package.json")), "bin", "stryker.js");
    const args = strykerArgs(process.argv.slice(2), (entries) => narrowMutateEntries(ROOT, TARGETS, entries));
    const started = Date.now();
    const run = spawnSync(process.execPath, [stryker, "run", ...args], { cwd: ROOT, stdio: "inherit" });
    if (run.status !== 0) return run.status ?? 1;
    const reportPath = path.join(ROOT, JSON_REPORT);
    if (!fs.existsSync(reportPath) || fs.statSync(reportPath).mtimeMs < started) {
        process.stderr.write(`Stryker wrote no ${JSON_REPORT} (is the json reporter still configured?): no score to check.\n`);
        return 1;
    }
    const report = JSON.parse(fs.readFileSync(reportPath, "utf8")) as MutationReport;
    const rows = verdicts(fileScores(report), (file) => rowOf(ROOT, TARGETS, file)?.minScore);
    process.stdout.write(`\nMutation score per file (tools/mutate/targets.ts sets the floors; survivors in ${HTML_REPORT}):\n\n${renderVerdicts(rows)}\n`);
    const below = rows.filter((r) => r.below);
    if (below.length > 0) {
        process.stdout.write(`\n${below.length} file(s) below their floor: ${below.map((r) => r.file).join(", ")}. Kill the survivors with tests, or mark an equivalent mutant "// Stryker disable next-line <mutator>: <reason>".\n`);
        return 1;
    }
    return 0;
}

if (require.main === module) process.exit(main());
