import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../helpers/stacks";

/**
 * Runs the scripts of scripts/ against recorded answers: `aws`, `pulumi`, `kubectl`, `curl`,
 * `psql`, `helm` and `skopeo` are test/scripts/fake/cli.sh, linked under each name in a directory put first on a
 * PATH that holds only the system's own tools (no real AWS CLI or kubectl can be reached).
 */

/** What a recorded call prints and returns. `out` objects are printed as the AWS CLI prints JSON. */
export interface Answer {
    out?: string | object;
    err?: string;
    rc?: number;
    /** The call reads its stdin to the end, and what it read is in `RunResult.stdin`. */
    stdin?: true;
}

/** The first route whose pattern (an extended regex over "<tool> <arguments>") matches answers. */
export type Route = [pattern: string, answer: Answer];

/** The tools faked by default; a test leaves one out to see the script without it. */
export const FAKED_TOOLS = ["aws", "pulumi", "kubectl", "curl", "psql", "helm", "skopeo"] as const;

export interface RunOptions {
    env?: Record<string, string>;
    /** The tools faked (default FAKED_TOOLS); jq too, when a test needs a jq that answers as another version would. */
    tools?: ReadonlyArray<(typeof FAKED_TOOLS)[number] | "jq">;
    /**
     * Only these of the machine's own tools (and bash) are on PATH, instead of its system
     * directories: a test sees a script without a tool the machine has (GitHub's runners have
     * helm and skopeo).
     */
    systemTools?: readonly string[];
}

export interface RunResult {
    status: number | null;
    stdout: string;
    stderr: string;
    /** Every call the script made, one "<tool> <shell-quoted arguments>" each. */
    calls: string[];
    /** What the calls whose answer has `stdin` read, one "<tool>: <text>" each. */
    stdin: string[];
}

/**
 * The AWS CLI's JSON output: Python's json.dumps with indent 4, timestamps as
 * datetime.isoformat() of a UTC time (CLI v2's default `cli_timestamp_format = iso8601`).
 */
export function cliJson(value: unknown): string {
    return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" && ISO_DATE.test(v) ? isoformat(new Date(v)) : v), 4)}\n`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** `2026-01-15T10:30:00+00:00`, or `...:00.123000+00:00` with milliseconds, as Python prints it. */
function isoformat(d: Date): string {
    const ms = d.getUTCMilliseconds();
    const base = d.toISOString().slice(0, 19);
    return `${base}${ms ? `.${String(ms * 1000).padStart(6, "0")}` : ""}+00:00`;
}

/** A temp directory holding the fake tools, their routes and answers, and the environment a script runs in. */
interface Sandbox {
    dir: string;
    env: NodeJS.ProcessEnv;
}

function sandbox(routes: Route[], opts: RunOptions): Sandbox {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-scripts-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(dir, "answers"));
    for (const tool of opts.tools ?? FAKED_TOOLS) fs.symlinkSync(path.join(ROOT, "test", "scripts", "fake", "cli.sh"), path.join(bin, tool));
    const lines = routes.map(([pattern, answer], i) => {
        const base = path.join(dir, "answers", String(i));
        if (answer.out !== undefined) fs.writeFileSync(`${base}.out`, typeof answer.out === "string" ? answer.out : cliJson(answer.out));
        if (answer.err !== undefined) fs.writeFileSync(`${base}.err`, answer.err);
        if (answer.rc !== undefined) fs.writeFileSync(`${base}.rc`, String(answer.rc));
        if (answer.stdin) fs.writeFileSync(`${base}.stdin`, "");
        if (pattern.includes("\t")) throw new Error(`a route's pattern cannot hold a tab: ${pattern}`);
        return `${pattern}\t${i}\n`;
    });
    fs.writeFileSync(path.join(dir, "routes.tsv"), lines.join(""));
    fs.writeFileSync(path.join(dir, "calls.log"), "");
    let system = SYSTEM_PATH;
    if (opts.systemTools) {
        system = path.join(dir, "system");
        fs.mkdirSync(system);
        for (const tool of ["bash", ...opts.systemTools]) {
            const found = SYSTEM_PATH.split(":").map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
            if (!found) throw new Error(`${tool} is not installed on this machine`);
            fs.symlinkSync(found, path.join(system, tool));
        }
    }
    return { dir, env: { PATH: `${bin}:${system}`, HOME: dir, TMPDIR: dir, FAKE_CLI_DIR: dir, ...opts.env } };
}

/** The system's directories a script's PATH holds after the fakes. */
const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

function calls(box: Sandbox): string[] {
    return fs.readFileSync(path.join(box.dir, "calls.log"), "utf8").split("\n").filter((l) => l !== "");
}

function stdin(box: Sandbox): string[] {
    const file = path.join(box.dir, "stdin.log");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : [];
}

/** Runs `scripts/<script>` with the routes answering its calls. The temp directory is removed. */
export function runScript(script: string, args: string[], routes: Route[], opts: RunOptions = {}): RunResult {
    const box = sandbox(routes, opts);
    try {
        const r = spawnSync("bash", [path.join(ROOT, "scripts", script), ...args], { encoding: "utf8", cwd: ROOT, env: box.env });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: calls(box), stdin: stdin(box) };
    } finally {
        fs.rmSync(box.dir, { recursive: true, force: true });
    }
}

/**
 * `runScript` without blocking the test file's process, so that `test.concurrent` cases overlap:
 * a run is mostly waiting for its shell, jq and the fake tools.
 */
export async function runScriptAsync(script: string, args: string[], routes: Route[], opts: RunOptions = {}): Promise<RunResult> {
    const box = sandbox(routes, opts);
    try {
        const child = spawn("bash", [path.join(ROOT, "scripts", script), ...args], { cwd: ROOT, env: box.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const status = await new Promise<number | null>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code) => resolve(code));
        });
        return { status, stdout, stderr, calls: calls(box), stdin: stdin(box) };
    } finally {
        fs.rmSync(box.dir, { recursive: true, force: true });
    }
}

/** The JSON report a verify script prints with --json. */
export interface Report {
    script: string;
    stack: string;
    checkedAt: string;
    ok: boolean;
    checks: Array<{ name: string; status: "pass" | "fail" | "skip"; detail: string }>;
}

/** Parses a --json report and asserts its exact shape (keys and their types). */
export function parseReport(stdout: string): Report {
    const report = JSON.parse(stdout) as Report;
    expect(Object.keys(report)).toEqual(["script", "stack", "checkedAt", "ok", "checks"]);
    expect(report.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(typeof report.ok).toBe("boolean");
    expect(report.checks.length).toBeGreaterThan(0);
    for (const c of report.checks) {
        expect(Object.keys(c)).toEqual(["name", "status", "detail"]);
        expect(["pass", "fail", "skip"]).toContain(c.status);
        expect(c.detail.length).toBeGreaterThan(0);
    }
    return report;
}

/** The status of each check by name. */
export function statuses(report: Report): Record<string, string> {
    return Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
}
