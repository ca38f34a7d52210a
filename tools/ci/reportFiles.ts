import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { committedStacks, offlinePlanEnv, previewStack } from "./stacks";

/**
 * Plans every stack of one checkout (the pull request's base or head) offline, with that
 * checkout's own tools, and runs the reports that checkout has: the policy check, and the cost and
 * RTO estimates once their npm scripts exist. Writes `<out>/plans/<stack>.json` and
 * `<out>/{policy,cost,rto}/<stack>.json`; a report a checkout cannot make is noted, not fatal.
 */

export interface SideResult {
    stacks: string[];
    /** Stacks whose plan failed (a settings error on that side): the reason, first lines. */
    failed: Record<string, string>;
    notes: string[];
}

/** The npm scripts a checkout defines. */
export function scriptsOf(projectDir: string): Set<string> {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    return new Set(Object.keys(pkg.scripts ?? {}));
}

type Runner = (projectDir: string, args: string[], env: NodeJS.ProcessEnv) => { status: number | null; stdout: string; stderr: string };

/** Runs `npm run --silent <args>` in a checkout. */
export const npmRun: Runner = (projectDir, args, env) => {
    const r = spawnSync("npm", ["run", "--silent", ...args], { cwd: projectDir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
};

/** The environment a plan runs with: the job's, minus any OPS_ override, plus the stack's own. */
function planEnv(stack: string, pr: number | undefined, sha: string | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) env[k] = v;
    return { ...env, ...offlinePlanEnv(stack, pr, sha) };
}

function firstLines(s: string, n = 12): string {
    return s.trim().split("\n").slice(0, n).join("\n");
}

/** A report command's JSON, or a note saying why there is none. */
function report(run: Runner, projectDir: string, args: string[], env: NodeJS.ProcessEnv): { json?: unknown; note?: string } {
    const r = run(projectDir, args, env);
    // The policy check exits 1 when a mandatory rule fails and still prints its report.
    if (r.status === 0 || r.status === 1) {
        try {
            return { json: JSON.parse(r.stdout) as unknown };
        } catch {
            /* not JSON: an older version of the tool */
        }
    }
    return { note: `\`npm run ${args.join(" ")}\` gave no JSON report (exit ${r.status}): ${firstLines(r.stderr || r.stdout, 1)}` };
}

/** Plans and reports one side. */
export function planSide(projectDir: string, outDir: string, opts: { pr?: number; sha?: string; run?: Runner } = {}): SideResult {
    const run = opts.run ?? npmRun;
    const stacks = [...committedStacks(projectDir), ...(opts.pr ? [previewStack(opts.pr)] : [])];
    const scripts = scriptsOf(projectDir);
    const result: SideResult = { stacks: [], failed: {}, notes: [] };
    for (const d of ["plans", "policy", "cost", "rto"]) fs.mkdirSync(path.join(outDir, d), { recursive: true });
    for (const stack of stacks) {
        const env = planEnv(stack, opts.pr, opts.sha);
        const planFile = path.resolve(outDir, "plans", `${stack}.json`);
        const r = run(projectDir, ["plan", "--", "--stack", stack, "--json", planFile, "--quiet"], env);
        if (r.status !== 0 || !fs.existsSync(planFile)) {
            result.failed[stack] = firstLines(r.stderr || r.stdout);
            continue;
        }
        result.stacks.push(stack);
        const reports: [string, string, string[]][] = [
            ["policy", "policy", ["policy", "--", "--stack", stack, "--json"]],
            ["cost", "cost", ["cost", "--", "--plan", planFile, "--json"]],
            ["rto", "rto", ["rto", "--", "--plan", planFile, "--json"]],
        ];
        for (const [dir, script, args] of reports) {
            if (!scripts.has(script)) continue;
            const { json, note } = report(run, projectDir, args, env);
            if (json !== undefined) fs.writeFileSync(path.join(outDir, dir, `${stack}.json`), JSON.stringify(json));
            else result.notes.push(`${stack}: ${note}`);
        }
    }
    for (const d of ["policy", "cost", "rto"]) {
        const p = path.join(outDir, d);
        if (fs.readdirSync(p).length === 0) fs.rmdirSync(p);
    }
    fs.writeFileSync(path.join(outDir, "side.json"), JSON.stringify(result, null, 2));
    return result;
}
