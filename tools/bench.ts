/**
 * Benchmark: planning each stack against the SDK floor, a trivial program registering as many
 * resources of the same types under the same mocks (tools/bench/floor.ts), measured in the same
 * run, one after the other (plan, floor, plan, floor...), so that a machine slowing down mid-run
 * moves both; then the test suite's time. Exits 1 when a figure is over its target.
 *
 *   npm run bench                              # every stack, 5 runs each, then `npm test`
 *   npm run bench -- --runs 9 --skip-tests
 *   npm run bench -- --stack production --skip-tests
 *
 * Targets: planning a stack takes at most 1.2x its floor (the median of the pairs' ratios of CPU
 * time, user + system: on a machine shared with other work, wall time mostly measures the
 * neighbours); `npm test` takes under 90 s. Both times are shown.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECRET_SENTINELS, deployEnv, plannedStacks } from "../test/helpers/stacks";

const ROOT = path.resolve(__dirname, "..");
const PROBE = path.join(__dirname, "bench", "reportRss.js");
const USAGE = "usage: npm run bench -- [--runs <n>] [--stack <name>]... [--skip-tests]";

/** The most a plan may take, as a multiple of its floor. */
export const PLAN_TARGET = 1.2;
/** The most `npm test` may take, in seconds. */
export const TEST_TARGET_S = 90;

/** One run of a process: wall and CPU milliseconds, peak memory. */
export interface Sample {
    wallMs: number;
    cpuMs: number;
    rssMiB: number;
}

export interface BenchArgs {
    runs: number;
    stacks: string[];
    skipTests: boolean;
}

/** Parses the command line; throws an Error naming what is wrong. */
export function parseBenchArgs(argv: readonly string[], known: readonly string[]): BenchArgs {
    let runs = 5;
    const stacks: string[] = [];
    let skipTests = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (a === "--skip-tests") skipTests = true;
        else if (a === "--runs") {
            const v = argv[++i];
            if (v === undefined || !/^[1-9]\d*$/.test(v) || Number(v) > 50) throw new Error(`--runs needs a whole number from 1 to 50, got ${v === undefined ? "nothing" : JSON.stringify(v)}`);
            runs = Number(v);
        } else if (a === "--stack") {
            const v = argv[++i];
            if (v === undefined || !known.includes(v)) throw new Error(`--stack needs one of ${known.join(", ")}, got ${v === undefined ? "nothing" : JSON.stringify(v)}`);
            stacks.push(v);
        } else throw new Error(`unknown argument ${a}`);
    }
    return { runs, stacks: stacks.length > 0 ? stacks : [...known], skipTests };
}

/** The median (the upper one of an even count). */
export function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)]!;
}

/** A stack's verdict: the median of the paired CPU ratios against the target. */
export function planVerdict(plans: readonly Sample[], floors: readonly Sample[]): { ratio: number; wallRatio: number; within: boolean } {
    const ratio = median(plans.map((p, i) => p.cpuMs / floors[i]!.cpuMs));
    const wallRatio = median(plans.map((p, i) => p.wallMs / floors[i]!.wallMs));
    return { ratio, wallRatio, within: ratio <= PLAN_TARGET };
}

function measure(args: string[], env: NodeJS.ProcessEnv): Sample {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["-r", PROBE, ...args], { cwd: ROOT, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
    const kb = Number(/BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
    const cpuUs = Number(/BENCH_CPU_US=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
    return { wallMs, cpuMs: cpuUs / 1000, rssMiB: kb / 1024 };
}

/** Each stack as its deployment runs it: its secrets set, and what CI or the on-call adds. */
function envFor(stack: string): NodeJS.ProcessEnv {
    return { ...process.env, ...SECRET_SENTINELS, ...deployEnv(stack) };
}

interface Row {
    stack: string;
    plan: Sample[];
    floor: Sample[];
    resources: number;
}

function benchStack(stack: string, runs: number, dir: string): Row {
    const env = envFor(stack);
    const json = path.join(dir, `${stack}.json`);
    const planArgs = ["-r", "./tools/register.js", "tools/plan.ts", "--stack", stack, "--quiet"];
    // The floor registers what this very plan holds; the first plan also warms the caches.
    measure([...planArgs, "--json", json], env);
    const floorArgs = ["-r", "./tools/register.js", "tools/bench/floor.ts", json];
    measure(floorArgs, env);
    const plan: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < runs; i++) {
        plan.push(measure(planArgs, env));
        floor.push(measure(floorArgs, env));
    }
    const resources = (JSON.parse(fs.readFileSync(json, "utf8")) as { resources: unknown[] }).resources.length;
    return { stack, plan, floor, resources };
}

function report(rows: readonly Row[], runs: number): { text: string; within: boolean } {
    const lines = [`Benchmark: each plan beside its SDK floor, ${runs} pairs each, medians; node ${process.version}, ${os.cpus().length} cores`, ""];
    lines.push(`${"stack".padEnd(15)} ${"resources".padStart(9)} ${"plan cpu ms".padStart(12)} ${"floor cpu ms".padStart(13)} ${"x floor".padStart(8)} ${"plan wall ms".padStart(13)} ${"floor wall ms".padStart(14)} ${"x floor".padStart(8)} ${"peak MiB".padStart(9)}`);
    let within = true;
    for (const r of rows) {
        const v = planVerdict(r.plan, r.floor);
        within &&= v.within;
        const peak = Math.max(...r.plan.map((s) => s.rssMiB));
        lines.push(
            `${r.stack.padEnd(15)} ${String(r.resources).padStart(9)} ${median(r.plan.map((s) => s.cpuMs)).toFixed(0).padStart(12)} ${median(r.floor.map((s) => s.cpuMs)).toFixed(0).padStart(13)} ${v.ratio.toFixed(2).padStart(8)} ` +
                `${median(r.plan.map((s) => s.wallMs)).toFixed(0).padStart(13)} ${median(r.floor.map((s) => s.wallMs)).toFixed(0).padStart(14)} ${v.wallRatio.toFixed(2).padStart(8)} ${peak.toFixed(0).padStart(9)}${v.within ? "" : "  OVER TARGET"}`,
        );
    }
    const worst = Math.max(...rows.map((r) => planVerdict(r.plan, r.floor).ratio));
    lines.push("", `Slowest plan: ${worst.toFixed(2)}x its SDK floor in CPU time (target: at most ${PLAN_TARGET}x) -> ${within ? "within target" : "OVER TARGET"}`);
    return { text: lines.join("\n"), within };
}

function main(): number {
    let args: BenchArgs;
    try {
        args = parseBenchArgs(process.argv.slice(2), plannedStacks());
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
        return 2;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-bench-"));
    let within: boolean;
    try {
        const rows = args.stacks.map((s) => benchStack(s, args.runs, dir));
        const result = report(rows, args.runs);
        within = result.within;
        process.stdout.write(`${result.text}\n`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    if (!args.skipTests) {
        const start = process.hrtime.bigint();
        const r = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
        const s = Number(process.hrtime.bigint() - start) / 1e9;
        const ok = s < TEST_TARGET_S && r.status === 0;
        process.stdout.write(`npm test: ${s.toFixed(1)} s, exit ${r.status} (target: under ${TEST_TARGET_S} s and exit 0) -> ${ok ? "within target" : "OVER TARGET OR FAILED"}\n`);
        within &&= ok;
    }
    return within ? 0 : 1;
}

if (require.main === module) {
    try {
        process.exitCode = main();
    } catch (e) {
        process.stderr.write(`The benchmark failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 3;
    }
}
