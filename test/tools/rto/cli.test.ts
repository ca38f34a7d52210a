import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DURATIONS } from "../../../tools/rto/durations";
import { estimate, formatDuration } from "../../../tools/rto/estimate";
import { renderTable } from "../../../tools/rto/render";
import { loadPlan } from "../../helpers/plan";
import { ROOT, SECRET_SENTINELS, planDir } from "../../helpers/stacks";

/**
 * `npm run rto` as a user runs it: the text, the JSON, the comparison, and every input error with
 * its exit code. The child processes start together, so the file costs about one of them.
 */

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

function rto(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    const clean: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) clean[k] = v;
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ["-r", "./tools/register.js", "tools/rto.ts", ...args],
            { cwd: ROOT, env: { ...clean, ...env }, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
    });
}

const runs: Record<string, Run> = {};
let tmp: string;

beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rto-cli-"));
    const plan = (stack: string): string => path.join(planDir(), `${stack}.json`);
    const eventLog = [
        { sequence: 1, timestamp: 100, resourcePreEvent: { metadata: { op: "create", urn: "urn:a", type: "aws:eks/cluster:Cluster" } } },
        { sequence: 2, timestamp: 700, resOutputsEvent: { metadata: { op: "create", urn: "urn:a", type: "aws:eks/cluster:Cluster" } } },
    ];
    fs.writeFileSync(path.join(tmp, "events.json"), eventLog.map((e) => JSON.stringify(e)).join("\n"));
    const cases: Record<string, [string[], NodeJS.ProcessEnv?]> = {
        text: [["--plan", plan("production-dr")]],
        json: [["--plan", plan("production-dr"), "--json"]],
        deltaPlan: [["--plan", plan("production-dr"), "--base", plan("production"), "--json"]],
        stack: [["--stack", "dev", "--json"], SECRET_SENTINELS],
        // An ARN from the wrong region: a stand-in covers only a value that is missing.
        settings: [["--stack", "production-dr-drill"], { OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-abc123" }],
        table: [["--table"]],
        calibrate: [["--plan", plan("production-dr"), "--calibrate", path.join(tmp, "events.json")]],
        unknown: [["--plan", plan("dev"), "--verbose"]],
        until: [["--plan", plan("dev"), "--until", "no-such-resource"]],
    };
    const results = await Promise.all(Object.entries(cases).map(async ([name, [args, env]]) => [name, await rto(args, env)] as const));
    for (const [name, run] of results) runs[name] = run;
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run rto", () => {
    it("prints the estimate, the verdict and both critical paths step by step", () => {
        const { code, stdout } = runs["text"]!;
        expect(code).toBe(0);
        expect(stdout).toContain("RTO estimate of stack production-dr: creating its");
        expect(stdout).toContain("Runbook RTO 1h00m00s; the verdict uses the worst case.");
        // The rebuild on the standby footprint: no database restore, no certificate validation on its path.
        expect(stdout).toMatch(/Verdict: meets the RTO in the worst case \(51m15s ≤ 1h00m00s\)/);
        expect(stdout).toContain("Critical path, worst case:");
        expect(stdout).toContain("Critical path, typical case:");
        expect(stdout).toMatch(/myapp-production-cluster {2}aws:eks\/cluster:Cluster\n\s+after myapp-production-control-plane \(dependsOn\): depends on myapp-production-control-plane/);
        expect(stdout).not.toMatch(/aws:route53|pointInTimeRestore/);
        expect(stdout).toContain("Unestimated types: none");
    });

    it("prints the same estimate as JSON, in the documented shape", () => {
        const { code, stdout } = runs["json"]!;
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(estimate(loadPlan("production-dr")))));
        expect(Object.keys(JSON.parse(stdout)).sort()).toEqual(
            ["deadlineRisks", "meetsRto", "project", "resourceCount", "rtoSeconds", "schema", "stack", "typical", "unestimated", "until", "verdictScenario", "worst"].sort(),
        );
    });

    it("compares with a base", () => {
        const x = JSON.parse(runs["deltaPlan"]!.stdout);
        const base = estimate(loadPlan("production"));
        const head = estimate(loadPlan("production-dr"));
        expect(x).toMatchObject({
            schema: "ops.rto-delta/v1",
            base: { stack: "production", typicalSeconds: base.typical.totalSeconds, worstSeconds: base.worst.totalSeconds },
            head: { stack: "production-dr", typicalSeconds: head.typical.totalSeconds },
            delta: { typicalSeconds: head.typical.totalSeconds - base.typical.totalSeconds },
        });
    });

    it("plans a stack through the plan tool's planStack", () => {
        const { code, stdout } = runs["stack"]!;
        expect(code).toBe(0);
        expect(JSON.parse(stdout).typical.totalSeconds).toBe(estimate(loadPlan("dev")).typical.totalSeconds);
    });

    it("stops on a settings error as the plan does: exit 1, the problem, no stack trace", () => {
        const { code, stderr } = runs["settings"]!;
        expect(code).toBe(1);
        expect(stderr).toContain("ops:restore.sourceAutomatedBackupsArn");
        expect(stderr).not.toMatch(/\n\s+at /);
    });

    it("prints the duration table docs/rto.md holds", () => {
        expect(runs["table"]!.stdout.trimEnd()).toBe(renderTable());
    });

    it("compares an event log's measured creations with the table", () => {
        const { code, stdout } = runs["calibrate"]!;
        expect(code).toBe(0);
        const table = DURATIONS["aws:eks/cluster:Cluster"]!;
        expect(stdout).toContain(`aws:eks/cluster:Cluster × 1: 10m00s / 10m00s / 10m00s; table ${formatDuration(table.typical)} / ${formatDuration(table.worst)}:`);
    });

    // Every message is tested in args.test.ts and estimate.test.ts; here, the exit codes.
    it.each([
        ["unknown", 2, "unknown argument --verbose"],
        ["until", 1, "--until no-such-resource: no resource has that name."],
    ])("refuses bad input (%s) with exit %d and a clear message", (name, code, message) => {
        const run = runs[name]!;
        expect(run.code).toBe(code);
        expect(run.stderr).toContain(message);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(run.stdout).toBe("");
    });
});
