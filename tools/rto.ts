/**
 * The RTO estimate: how long `pulumi up` takes to create a stack from nothing, from the offline
 * plan's creation graph and the duration table (tools/rto/durations.ts). docs/rto.md explains it.
 *
 *   npm run rto -- --stack production-dr               # plans the stack, prints the estimate
 *   npm run rto -- --plan plan.json                    # a plan from `npm run plan -- --json plan.json`
 *   npm run rto -- --plan head.json --base base.json   # compares with a base (plan or estimate JSON)
 *   npm run rto -- --stack production --json           # the estimate as JSON, for machines
 *   npm run rto -- --plan plan.json --until myapp-stable-deployment
 *   npm run rto -- --plan plan.json --calibrate events.json   # `pulumi up --event-log` vs the table
 *   npm run rto -- --table                             # the duration table as markdown (docs/rto.md)
 *
 * Exit 0 with an estimate (whatever its verdict), 1 on bad input or a settings error, 2 on bad
 * arguments.
 */
import * as fs from "fs";
import type { Plan } from "./plan/record";
import { isUserError, planStack } from "./plan/planStack";
import { CALIBRATION_SCHEMA, calibrate, measuredCreations, renderCalibration } from "./rto/calibrate";
import { delta, isEstimate } from "./rto/delta";
import { RtoEstimate, RtoInputError, estimate, prepare } from "./rto/estimate";
import { renderDelta, renderEstimate, renderTable } from "./rto/render";
import { CycleError } from "./rto/schedule";

const USAGE =
    "usage: npm run rto -- (--stack <name> | --plan <plan.json>) [--json] [--base <plan or estimate JSON>] [--until <resource>] [--calibrate <event log>] [--debug]\n" +
    "       npm run rto -- --table";

interface Args {
    stack?: string;
    plan?: string;
    base?: string;
    until?: string;
    calibrate?: string;
    json: boolean;
    table: boolean;
    debug: boolean;
}

class UsageError extends Error {}

/** A problem with what the user gave: reported as is, exit 1. */
class InputError extends RtoInputError {}

const VALUED = ["--stack", "--plan", "--base", "--until", "--calibrate"] as const;

function parseArgs(argv: string[]): Args {
    const args: Args = { json: false, table: false, debug: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        if (flag === "--json") args.json = true;
        else if (flag === "--table") args.table = true;
        else if (flag === "--debug") args.debug = true;
        else if ((VALUED as readonly string[]).includes(flag)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value === "" || value.startsWith("--")) throw new UsageError(`${flag} needs a value\n${USAGE}`);
            args[flag.slice(2) as "stack" | "plan" | "base" | "until" | "calibrate"] = value;
        } else throw new UsageError(`unknown argument ${a}\n${USAGE}`);
    }
    if (args.table) return args;
    if ((args.stack === undefined) === (args.plan === undefined)) throw new UsageError(`give exactly one of --stack and --plan\n${USAGE}`);
    return args;
}

function readJson(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`Cannot read ${what} ${file}: ${(e as Error).message}. Write one with \`npm run plan -- --stack <name> --json <file>\`.`);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new InputError(`The file ${file} (${what}) is not JSON. Expected the file \`npm run plan -- --stack <name> --json <file>\` writes.`);
    }
}

function asPlan(value: unknown, file: string): Plan {
    const p = value as Partial<Plan>;
    if (typeof p !== "object" || p === null || !Array.isArray(p.resources) || typeof p.stack !== "string") {
        throw new InputError(
            `${file} is not a plan: it has no "stack" and "resources". Expected the file \`npm run plan -- --stack <name> --json <file>\` writes.`,
        );
    }
    return p as Plan;
}

async function headPlan(args: Args): Promise<Plan> {
    if (args.plan !== undefined) return asPlan(readJson(args.plan, "the plan"), args.plan);
    const plan = await planStack(args.stack!);
    if (plan.standIns.length > 0) {
        // As the plan tool says it: the estimate does not depend on a secret's value.
        process.stderr.write(`Note: the plan stood in for secrets stack "${args.stack}" requires but does not hold: ${plan.standIns.join(", ")}.\n`);
    }
    return plan;
}

function baseEstimate(file: string, until: string | undefined): RtoEstimate {
    const value = readJson(file, "the base");
    return isEstimate(value) ? value : estimate(asPlan(value, file), until === undefined ? {} : { until });
}

async function run(args: Args): Promise<string> {
    if (args.table) return renderTable();
    const plan = await headPlan(args);
    if (args.calibrate !== undefined) {
        let log: string;
        try {
            log = fs.readFileSync(args.calibrate, "utf8");
        } catch (e) {
            throw new InputError(`Cannot read the event log ${args.calibrate}: ${(e as Error).message}. Record one with \`pulumi up --event-log <file>\`.`);
        }
        const rows = calibrate(measuredCreations(log, args.calibrate), prepare(plan));
        return args.json ? JSON.stringify({ schema: CALIBRATION_SCHEMA, stack: plan.stack, rows }, null, 2) : renderCalibration(rows, args.calibrate);
    }
    const head = estimate(plan, args.until === undefined ? {} : { until: args.until });
    if (args.base !== undefined) {
        const x = delta(baseEstimate(args.base, args.until), head);
        return args.json ? JSON.stringify(x, null, 2) : renderDelta(x);
    }
    return args.json ? JSON.stringify(head, null, 2) : renderEstimate(head);
}

async function main(): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        return 2;
    }
    if (!args.debug) Error.stackTraceLimit = 0;
    try {
        process.stdout.write(`${await run(args)}\n`);
        return 0;
    } catch (e) {
        if (isUserError(e) || e instanceof RtoInputError || e instanceof CycleError) {
            process.stderr.write(`${(e as Error).message}\n`);
            return 1;
        }
        throw e;
    }
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`The RTO estimate failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        if (!process.argv.includes("--debug")) process.stderr.write("Run again with --debug for the stack trace.\n");
        process.exit(3);
    },
);
