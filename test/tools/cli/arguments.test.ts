import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planDir, ROOT } from "../../helpers/stacks";

/**
 * The README's promise for a bad input holds for the command line of every npm script it lists
 * (npm run plan's own: test/tools/plan.test.ts): a message that says what is wrong and what is
 * allowed, a non-zero exit (2 for a bad command line, 1 for bad settings), no stack trace, and
 * nothing written.
 */

const SCRIPTS: Record<string, string> = {
    policy: "tools/policy.ts",
    rto: "tools/rto.ts",
    cost: "tools/cost.ts",
    "plan:diff": "tools/diff/main.ts",
    "docs:config": "tools/configDocs.ts",
    mutate: "tools/mutate.ts",
    bench: "tools/bench.ts",
    ci: "tools/ci/main.ts",
    "dr:drill": "tools/drill.ts",
};

interface Run {
    status: number;
    stdout: string;
    stderr: string;
}

function npmRun(script: string, args: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) env[k] = v;
    return new Promise((resolve) =>
        execFile(process.execPath, ["-r", "./tools/register.js", SCRIPTS[script]!, ...args], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
            resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
    );
}

describe("every npm script the README lists, on a bad command line", () => {
    let tmp: string;
    const runs = new Map<string, Run>();
    let cases: Array<[string, string[], number, string]>;
    let docBefore: string;

    beforeAll(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ops-cli-args-"));
        fs.writeFileSync(path.join(tmp, "not-json.json"), "{bad");
        fs.writeFileSync(path.join(tmp, "not-a-plan.json"), '{"project":"ops"}');
        const plan = path.join(planDir(), "dev.json");
        const nowhere = path.join(tmp, "no-such-dir", "out.json");
        docBefore = fs.readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8");
        cases = [
            ["policy", ["--stack", "--json"], 2, "--stack needs a value, got the option --json"],
            ["policy", ["--plan", path.join(tmp, "not-a-plan.json")], 2, 'not a plan: it has no "stack" and "resources"'],
            ["policy", ["--plan", path.join(tmp, "not-json.json")], 2, "Expected property name or '}' in JSON at position 1"],
            ["policy", ["--bogus"], 2, "unknown argument --bogus"],
            ["rto", ["--bogus"], 2, "unknown argument --bogus"],
            ["rto", ["--plan", path.join(tmp, "not-a-plan.json")], 1, 'it has no "stack" and "resources"'],
            ["rto", ["--stack", "prodution"], 1, "--stack production (did you mean it?)"],
            ["cost", ["--plan", plan, "--as-of", "2025-02-30"], 2, "--as-of 2025-02-30: expected a day such as 2026-12-01"],
            ["cost", ["--plan", plan, "--json", nowhere], 2, `--json ${nowhere}: the directory ${path.dirname(nowhere)} does not exist`],
            ["cost", ["--plan", plan, "--budget", "abc"], 2, "--budget abc: the monthly budget must be a number of USD above 0"],
            ["cost", ["--stack", "pr-abc"], 1, "pr-<N>, N the number of a pull request"],
            ["plan:diff", [plan, plan, "--out", nowhere], 2, `--out ${nowhere}: the directory ${path.dirname(nowhere)} does not exist`],
            ["plan:diff", [path.join(tmp, "not-json.json"), plan], 2, "not JSON"],
            ["plan:diff", [plan], 2, "expected a base and a head, got 1 path(s)"],
            ["docs:config", ["--bogus"], 2, "unknown argument --bogus"],
            ["mutate", ["--mutate", "modules/no-such-file.ts"], 2, "--mutate names no such file: modules/no-such-file.ts"],
            ["bench", ["--runs", "x"], 2, '--runs needs a whole number from 1 to 50, got "x"'],
            ["ci", ["no-such-command"], 2, "usage: npm run ci -- <command>"],
            ["dr:drill", ["--bogus"], 2, "unknown argument --bogus"],
            ["dr:drill", ["--stack", "production-dr-drill"], 2, "--report-dir is required"],
            ["dr:drill", ["--stack", "production", "--report-dir", path.join(tmp, "no-such-dir")], 2, "--stack production: a drill runs only on a drill stack"],
        ];
        const results = await Promise.all(cases.map(async ([script, args]) => [`${script} ${args.join(" ")}`, await npmRun(script, args)] as const));
        for (const [key, run] of results) runs.set(key, run);
    }, 120_000);

    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("answers each with its exit code and message, never a stack trace, and writes nothing", () => {
        expect(cases.length).toBeGreaterThan(10);
        for (const [script, args, status, message] of cases) {
            const run = runs.get(`${script} ${args.join(" ")}`)!;
            expect({ script, args, status: run.status, message: (run.stderr + run.stdout).includes(message) }).toEqual({ script, args, status, message: true });
            expect(run.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
        }
        expect(fs.existsSync(path.join(tmp, "no-such-dir"))).toBe(false);
        expect(fs.readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8")).toBe(docBefore);
    });
});
