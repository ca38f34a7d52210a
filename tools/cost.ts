/**
 * The monthly on-demand cost of a stack, from its offline plan: per resource, per component and
 * in total, with the usage assumptions printed beside the figures that rest on them.
 *
 *   npm run cost -- --stack production
 *   npm run cost -- --plan plan.json [--json out.json]
 *   npm run cost -- --stack staging --base base-plan.json          # the change from a base plan
 *   npm run cost -- --stack pr-42                                   # what one preview adds to staging
 *   npm run cost -- --stack production                              # exit 1 when over its cost.monthlyBudgetUsd
 *   npm run cost -- --stack production --budget 2000                # or over this budget instead
 *   npm run cost -- --stack staging --assume natGateway.dataProcessedGiBPerMonth=200
 *
 * Exit codes: 0 fine, 1 over budget or a settings error, 2 bad arguments, 3 an unexpected failure.
 */
import * as fs from "fs";
import { AssumptionFile, loadAssumptionFile, parseOverrides } from "./cost/assumptions";
import { budgetToCheck, checkBudget } from "./cost/budget";
import { diffEstimates } from "./cost/delta";
import { estimateCost } from "./cost/estimate";
import { Prices, loadPriceTable } from "./cost/priceTable";
import { clusterNodeOf, clusterStackOf } from "./cost/preview";
import { renderDelta, renderEstimate } from "./cost/render";
import { unwritableReason } from "./cli/outputFile";
import { isUserError, planStack } from "./plan/planStack";
import type { Plan } from "./plan/record";

const USAGE =
    "usage: npm run cost -- (--stack <name> | --plan <plan.json>) [--base <plan.json>] [--cluster-plan <plan.json>] [--budget <USD>] [--assume key=value]... [--as-of YYYY-MM-DD] [--json [file]]";

class UsageError extends Error {}

/** Writes and waits until the text is flushed: the process exits right after, and a pipe would lose the rest. */
function write(text: string, stream: NodeJS.WriteStream = process.stdout): Promise<void> {
    return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}

interface Args {
    stack?: string;
    plan?: string;
    base?: string;
    clusterPlan?: string;
    budget?: number;
    assume: string[];
    asOf?: string;
    json?: string;
}

/** A calendar day written YYYY-MM-DD (2024-13-45 is none). */
function isDay(s: string): boolean {
    const day = new Date(`${s}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === s;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { assume: [] };
    const value = (i: number, flag: string): string => {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value\n${USAGE}`);
        return v;
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (a === "--stack") args.stack = value(i++, a);
        else if (a === "--plan") args.plan = value(i++, a);
        else if (a === "--base") args.base = value(i++, a);
        else if (a === "--cluster-plan") args.clusterPlan = value(i++, a);
        else if (a === "--assume") args.assume.push(value(i++, a));
        else if (a === "--as-of") args.asOf = value(i++, a);
        else if (a === "--budget") {
            const raw = value(i++, a);
            args.budget = Number(raw);
            if (!Number.isFinite(args.budget) || args.budget <= 0) throw new UsageError(`--budget ${raw}: the monthly budget must be a number of USD above 0, such as --budget 1500`);
        } else if (a === "--json") args.json = argv[i + 1] && !argv[i + 1]!.startsWith("--") ? argv[++i]! : "-";
        else throw new UsageError(`unknown argument ${a}\n${USAGE}`);
    }
    if (!args.stack === !args.plan) throw new UsageError(`give one of --stack or --plan\n${USAGE}`);
    if (args.asOf !== undefined && !isDay(args.asOf)) throw new UsageError(`--as-of ${args.asOf}: expected a day such as 2026-12-01`);
    const unwritable = args.json !== undefined && args.json !== "-" ? unwritableReason(args.json) : undefined;
    if (unwritable) throw new UsageError(`--json ${args.json}: ${unwritable}\n${USAGE}`);
    return args;
}

function readPlan(file: string, flag: string): Plan {
    try {
        const plan = JSON.parse(fs.readFileSync(file, "utf8")) as Plan;
        if (!Array.isArray(plan.resources) || typeof plan.stack !== "string") throw new Error("not a plan: it has no stack and resources");
        return plan;
    } catch (e) {
        throw new UsageError(`${flag} ${file}: ${(e as Error).message}. Write one with npm run plan -- --stack <name> --json ${file}`);
    }
}

async function loadPlans(args: Args): Promise<{ head: Plan; cluster?: Plan; base?: Plan }> {
    const head = args.plan ? readPlan(args.plan, "--plan") : await planStack(args.stack!);
    const base = args.base ? readPlan(args.base, "--base") : undefined;
    const clusterStack = clusterStackOf(head);
    if (!clusterStack) return { head, base };
    if (args.clusterPlan) return { head, base, cluster: readPlan(args.clusterPlan, "--cluster-plan") };
    if (args.plan) throw new UsageError(`${args.plan} is a preview on stack ${clusterStack}'s cluster: give that stack's plan with --cluster-plan <plan.json>`);
    return { head, base, cluster: await planStack(clusterStack) };
}

async function main(): Promise<number> {
    Error.stackTraceLimit = 0;
    let args: Args;
    let file: AssumptionFile;
    let overrides: Record<string, number>;
    try {
        args = parseArgs(process.argv.slice(2));
        file = loadAssumptionFile();
        overrides = parseOverrides(args.assume, file);
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        return 2;
    }
    const prices = new Prices(loadPriceTable());
    const { head, base, cluster } = await loadPlans(args);
    const clusterNode = cluster ? clusterNodeOf(cluster, prices) : undefined;
    const opts = { prices, assumptionFile: file, overrides, asOf: args.asOf, clusterNode };
    const estimate = estimateCost(head, opts);
    const delta = base ? diffEstimates(estimateCost(base, opts), estimate) : undefined;
    const limit = budgetToCheck(head, args.budget);
    const budget = limit ? checkBudget(estimate, limit.usd, limit.source) : undefined;
    const text = [
        renderEstimate(estimate),
        ...(clusterNode ? [`\nThis stack runs on stack ${clusterNode.stack}'s cluster: its total is what it adds there (its pods' share of ${clusterNode.instanceType} nodes and its volumes).`] : []),
        ...(delta ? ["", renderDelta(delta)] : []),
        ...(budget ? ["", budget.message] : []),
    ].join("\n");
    if (args.json === undefined) await write(`${text}\n`);
    else {
        const json = `${JSON.stringify({ estimate, ...(delta ? { delta } : {}), ...(budget ? { budget } : {}) }, null, 2)}\n`;
        if (args.json === "-") await write(json);
        else {
            fs.writeFileSync(args.json, json);
            await write(`${text}\n\nEstimate written to ${args.json}\n`);
        }
    }
    if (budget?.overBudget) await write(`${budget.message}\n`, process.stderr);
    return budget?.overBudget ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        if (e instanceof UsageError) {
            process.stderr.write(`${e.message}\n`);
            process.exit(2);
        }
        if (isUserError(e)) {
            process.stderr.write(`${e.message}\n`);
            process.exit(1);
        }
        process.stderr.write(`The cost estimate failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(3);
    },
);
