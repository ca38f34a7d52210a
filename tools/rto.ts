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
import type { Plan } from "./plan/record";
import { isUserError, planStack } from "./plan/planStack";
import { Args, UsageError, parseArgs, readBase, readEventLog, readPlan } from "./rto/args";
import { CALIBRATION_SCHEMA, calibrate, measuredCreations, renderCalibration } from "./rto/calibrate";
import { delta } from "./rto/delta";
import { RtoInputError, estimate, prepare } from "./rto/estimate";
import { renderDelta, renderEstimate, renderTable } from "./rto/render";
import { CycleError } from "./rto/schedule";

async function headPlan(args: Args): Promise<Plan> {
    if (args.plan !== undefined) return readPlan(args.plan);
    const plan = await planStack(args.stack!);
    if (plan.standIns.length > 0) {
        // As the plan tool says it: the estimate does not depend on these values.
        process.stderr.write(`Note: the plan stood in for what stack "${args.stack}" requires but does not hold: ${plan.standIns.join(", ")}.\n`);
    }
    return plan;
}

async function run(args: Args): Promise<string> {
    if (args.table) return renderTable();
    const plan = await headPlan(args);
    if (args.calibrate !== undefined) {
        const rows = calibrate(measuredCreations(readEventLog(args.calibrate), args.calibrate), prepare(plan));
        return args.json ? JSON.stringify({ schema: CALIBRATION_SCHEMA, stack: plan.stack, rows }, null, 2) : renderCalibration(rows, args.calibrate);
    }
    const head = estimate(plan, args.until === undefined ? {} : { until: args.until });
    if (args.base !== undefined) {
        const x = delta(readBase(args.base, args.until), head);
        return args.json ? JSON.stringify(x, null, 2) : renderDelta(x);
    }
    return args.json ? JSON.stringify(head, null, 2) : renderEstimate(head);
}

async function main(): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`${e.message}\n`);
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
