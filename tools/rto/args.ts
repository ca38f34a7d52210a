import * as fs from "fs";
import type { Plan } from "../plan/record";
import { isEstimate } from "./delta";
import { RtoEstimate, RtoInputError, estimate } from "./estimate";

/** The command line of `npm run rto` (tools/rto.ts): its arguments and the files it reads. */

export const USAGE =
    "usage: npm run rto -- (--stack <name> | --plan <plan.json>) [--json] [--base <plan or estimate JSON>] [--until <resource>] [--calibrate <event log>] [--debug]\n" +
    "       npm run rto -- --table";

/** What the command line asks for. */
export interface Args {
    stack?: string;
    plan?: string;
    base?: string;
    until?: string;
    calibrate?: string;
    json: boolean;
    table: boolean;
    debug: boolean;
}

/** Bad arguments: the CLI prints the message and the usage, exit 2. */
export class UsageError extends Error {}


const VALUED = ["--stack", "--plan", "--base", "--until", "--calibrate"] as const;

/** Parses the arguments after `npm run rto --`. */
export function parseArgs(argv: string[]): Args {
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
        throw new RtoInputError(`Cannot read ${what} ${file}: ${(e as Error).message}. Write one with \`npm run plan -- --stack <name> --json <file>\`.`);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new RtoInputError(`The file ${file} (${what}) is not JSON. Expected the file \`npm run plan -- --stack <name> --json <file>\` writes.`);
    }
}

function asPlan(value: unknown, file: string): Plan {
    const p = value as Partial<Plan>;
    if (typeof p !== "object" || p === null || !Array.isArray(p.resources) || typeof p.stack !== "string") {
        throw new RtoInputError(
            `${file} is not a plan: it has no "stack" and "resources". Expected the file \`npm run plan -- --stack <name> --json <file>\` writes.`,
        );
    }
    return p as Plan;
}

/** Reads a plan file as `npm run plan -- --json <file>` writes it. */
export function readPlan(file: string): Plan {
    return asPlan(readJson(file, "the plan"), file);
}

/** Reads a base for a comparison: an estimate JSON as is, or a plan, estimated (to `until`, as the head). */
export function readBase(file: string, until: string | undefined): RtoEstimate {
    const value = readJson(file, "the base");
    return isEstimate(value) ? value : estimate(asPlan(value, file), until === undefined ? {} : { until });
}

/** Reads an event log as `pulumi up --event-log <file>` writes it. */
export function readEventLog(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new RtoInputError(`Cannot read the event log ${file}: ${(e as Error).message}. Record one with \`pulumi up --event-log <file>\`.`);
    }
}
