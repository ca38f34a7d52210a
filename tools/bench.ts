/**
 * Benchmark: wall time and peak memory of planning each stack, beside the time of merely loading
 * @pulumi/pulumi, @pulumi/aws and @pulumi/kubernetes in a bare node process, measured in the same
 * run on the same machine; then the test suite's time.
 *
 *   npm run bench                 # every stack, 3 runs each, then `npm test`
 *   npm run bench -- --runs 5 --skip-tests
 *
 * Targets (issue "Foundation"): planning a stack takes at most 2x the library load time; `npm test`
 * stays under 90 s on a 2-core machine.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { SECRET_SENTINELS, deployEnv, plannedStacks } from "../test/helpers/stacks";

const ROOT = path.resolve(__dirname, "..");
const RSS = path.join(__dirname, "bench", "reportRss.js");

interface Sample {
    ms: number;
    rssMiB: number;
}

function measure(args: string[], env: NodeJS.ProcessEnv = process.env): Sample {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["-r", RSS, ...args], { cwd: ROOT, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
    const kb = Number(/BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
    return { ms, rssMiB: kb / 1024 };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)]!;
}

function summarise(samples: Sample[]): Sample {
    return { ms: median(samples.map((s) => s.ms)), rssMiB: Math.max(...samples.map((s) => s.rssMiB)) };
}

function main(): void {
    const argv = process.argv.slice(2);
    const runs = Number(argv[argv.indexOf("--runs") + 1] ?? 3) || 3;
    const skipTests = argv.includes("--skip-tests");
    // Each stack as its deployment runs it: its secrets set, and what CI or the on-call adds.
    const envFor = (stack: string): NodeJS.ProcessEnv => ({ ...process.env, ...SECRET_SENTINELS, ...deployEnv(stack) });
    const stacks = plannedStacks();

    const load = summarise(
        Array.from({ length: runs }, () => measure(["-e", "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/kubernetes');"])),
    );
    const rows: Array<[string, Sample]> = [["load @pulumi/{pulumi,aws,kubernetes}", load]];
    const plan = (stack: string, env: NodeJS.ProcessEnv): Sample =>
        summarise(Array.from({ length: runs }, () => measure(["-r", "./tools/register.js", "tools/plan.ts", "--stack", stack, "--quiet"], env)));
    for (const stack of stacks) rows.push([`plan ${stack}`, plan(stack, envFor(stack))]);
    // A fresh checkout holds no secrets: the plan first finds them missing, then stands in for them.
    const bare = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPS_")));
    rows.push(["plan production, no secrets (stand-ins)", plan("production", bare)]);
    const lines = [`Benchmark (${runs} runs each, median wall time, peak RSS), node ${process.version}, ${os.cpus().length} cores`, ""];
    lines.push(`${"what".padEnd(40)} ${"wall ms".padStart(9)} ${"x load".padStart(7)} ${"peak MiB".padStart(9)}`);
    for (const [name, s] of rows) {
        lines.push(`${name.padEnd(40)} ${s.ms.toFixed(0).padStart(9)} ${(s.ms / load.ms).toFixed(2).padStart(7)} ${s.rssMiB.toFixed(0).padStart(9)}`);
    }
    const worst = Math.max(...rows.slice(1).map(([, s]) => s.ms / load.ms));
    lines.push("", `Slowest plan: ${worst.toFixed(2)}x the library load time (target: at most 2x) -> ${worst <= 2 ? "within target" : "OVER TARGET"}`);
    process.stdout.write(`${lines.join("\n")}\n`);

    if (!skipTests) {
        const start = process.hrtime.bigint();
        const r = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
        const s = Number(process.hrtime.bigint() - start) / 1e9;
        process.stdout.write(`npm test: ${s.toFixed(1)} s, exit ${r.status} (target: under 90 s) -> ${s < 90 && r.status === 0 ? "within target" : "OVER TARGET OR FAILED"}\n`);
    }
}

main();
