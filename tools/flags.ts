/**
 * Feature flags (runbook 2.4, 3.8 step 4; docs/flags.md):
 *
 *   npm run flags                                              # every flag, its state per environment, days to removal
 *   npm run flags -- --json                                    # the same, for machines
 *   npm run flags -- kill <flag> --stack production --reason "INC-123: checkout 5XX"
 *
 * `kill` turns the flag off in the stack's AppConfig environment at once (the immediate
 * strategy), with the AWS credentials of the shell, and says what to commit so that the next
 * `pulumi up` keeps it off. Exit 0 done, 1 a refused kill or a settings error, 2 bad arguments.
 */
import * as fs from "fs";
import * as path from "path";
import { AppConfigClient } from "@aws-sdk/client-appconfig";
import { stackNames } from "../environments/names";
import { isoDate, parseFlags } from "../modules/flags";
import { SettingsError } from "../settings/errors";
import { loadSettings } from "../settings/load";
import { stackShape } from "../settings/shape";
import { KillError, killFlag } from "./flags/kill";
import { flagRows, renderFlagList } from "./flags/list";
import { readStackConfig } from "./plan/stackConfig";

const ROOT = path.resolve(__dirname, "..");
const DEFAULT_FILE = "flags/flags.yaml";

const USAGE = `Usage:
  npm run flags [-- --file flags/flags.yaml] [--json] [--today YYYY-MM-DD]
  npm run flags -- kill <flag> --stack <cloud stack> [--reason "<incident>"]`;

/** Bad arguments: exit 2 with the usage. */
export class UsageError extends Error {}

export type Args =
    | { command: "list"; file: string; json: boolean; today: string }
    | { command: "kill"; flag: string; stack: string; reason: string };

export function parseArgs(argv: readonly string[], now = new Date()): Args {
    const [first, ...rest] = argv;
    const opts = new Map<string, string | true>();
    const positional: string[] = [];
    const words = first === "kill" ? rest : argv;
    for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (!w.startsWith("--")) positional.push(w);
        else if (w === "--json") opts.set("json", true);
        else if (["--file", "--today", "--stack", "--reason"].includes(w)) {
            const v = words[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${w} needs a value.\n${USAGE}`);
            opts.set(w.slice(2), v);
        } else throw new UsageError(`Unknown option ${w}.\n${USAGE}`);
    }
    if (first === "kill") {
        const stack = opts.get("stack");
        if (positional.length !== 1 || typeof stack !== "string") throw new UsageError(`kill needs one flag and --stack.\n${USAGE}`);
        return { command: "kill", flag: positional[0]!, stack, reason: typeof opts.get("reason") === "string" ? (opts.get("reason") as string) : "killed with npm run flags -- kill" };
    }
    if (positional.length > 0) throw new UsageError(`Unknown command ${positional[0]}.\n${USAGE}`);
    const today = opts.get("today");
    if (today !== undefined && (typeof today !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(today))) throw new UsageError(`--today takes a date, YYYY-MM-DD.\n${USAGE}`);
    return { command: "list", file: typeof opts.get("file") === "string" ? (opts.get("file") as string) : DEFAULT_FILE, json: opts.get("json") === true, today: (today as string | undefined) ?? isoDate(now) };
}

function readFlagsFile(file: string): ReturnType<typeof parseFlags> {
    return parseFlags(fs.readFileSync(path.join(ROOT, file), "utf8"), file);
}

function list(args: Extract<Args, { command: "list" }>, out: (s: string) => void): number {
    const parsed = readFlagsFile(args.file);
    if (!parsed.flags) throw new SettingsError(args.file, parsed.problems);
    const rows = flagRows(parsed.flags, args.today);
    out(args.json ? JSON.stringify({ file: args.file, today: args.today, flags: rows }, null, 2) + "\n" : renderFlagList(rows, args.file));
    return 0;
}

async function kill(args: Extract<Args, { command: "kill" }>, out: (s: string) => void, client?: AppConfigClient): Promise<number> {
    const files = readStackConfig(ROOT, args.stack);
    const settings = loadSettings({ project: files.project, stack: args.stack, config: files.config, env: process.env });
    const shape = stackShape(settings);
    if (shape !== "cloud") {
        throw new KillError(`Stack ${args.stack} has no AppConfig (a ${shape} stack serves the flags from a ConfigMap): set the flag's ${settings.environment} value in ${settings.flags.file} and run pulumi up -s ${args.stack}.`);
    }
    const parsed = readFlagsFile(settings.flags.file);
    const flag = parsed.flags?.find((f) => f.key === args.flag);
    if (!flag) throw new KillError(`No flag ${args.flag} in ${settings.flags.file}${parsed.flags ? `: its flags are ${parsed.flags.map((f) => f.key).join(", ")}` : ""}.`);
    const names = stackNames(settings, shape).flags;
    const started = Date.now();
    out(`Killing ${args.flag} in ${args.stack} (${settings.region}): ${flag.description}\n`);
    const result = await killFlag(client ?? new AppConfigClient({ region: settings.region }), { endpoint: names.endpoint, immediateStrategy: `${names.namePrefix}-immediate`, flag: args.flag, reason: args.reason }, (line) => out(`  ${line}\n`));
    out(
        [
            ``,
            `${args.flag} is off in AppConfig (deployment ${result.deploymentNumber}, version ${result.newVersion}) after ${((Date.now() - started) / 1000).toFixed(1)} s.`,
            `Every pod's agent serves it within ${settings.flags.pollIntervalSeconds} s (its poll interval). Check one:`,
            `  kubectl -n ${stackNames(settings, shape).workload.namespace} exec deploy/app-deployment -c app -- curl -s "$FEATURE_FLAGS_URL?flag=${args.flag}"`,
            ``,
            `Now commit the same change, or the next pulumi up that changes ${settings.flags.file} turns it back on:`,
            `  ${settings.flags.file}: flags.${args.flag}.environments.${settings.environment}: { enabled: false }`,
            ``,
        ].join("\n"),
    );
    return 0;
}

/** Runs the command; returns the exit code. `client` is for tests. */
export async function main(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void }, client?: AppConfigClient): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.err(`${e.message}\n`);
        return 2;
    }
    try {
        return args.command === "list" ? list(args, io.out) : await kill(args, io.out, client);
    } catch (e) {
        if (e instanceof KillError || SettingsError.isSettingsError(e)) {
            io.err(`${e.message}\n`);
            return 1;
        }
        if (e instanceof Error && "$metadata" in e) {
            io.err(`AppConfig refused: ${e.name}: ${e.message}\nThe AWS CLI steps of docs/flags.md ("Kill a flag by hand") do the same by hand.\n`);
            return 1;
        }
        throw e;
    }
}

if (require.main === module) {
    main(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }).then(
        (code) => process.exit(code),
        (e: unknown) => {
            process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
            process.exit(3);
        },
    );
}
