import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import type { PolicyReport } from "../../policy/report";
import { evaluate } from "../../policy/report";
import { rules } from "../../policy/rules";
import { POLICY_DOC, UsageError, parseArgs, renderList, renderReport, renderRuleTable, withRuleTable } from "../../tools/policy";
import { planDir } from "../helpers/stacks";
import { ROOT } from "../helpers/stacks";

const run = promisify(execFile);

/** Runs `npm run policy -- <args>` as a user does; resolves with the exit code and output. */
async function policy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await run(process.execPath, ["-r", "./tools/register.js", "tools/policy.ts", ...args], { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 });
        return { code: 0, stdout, stderr };
    } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
}

describe("npm run policy", () => {
    describe("arguments", () => {
        it("takes a stack or a plan file, and --json", () => {
            expect(parseArgs(["--stack", "production"])).toEqual({ stack: "production", json: false, list: false, docs: false });
            expect(parseArgs(["--plan", "p.json", "--json"])).toEqual({ plan: "p.json", json: true, list: false, docs: false });
            expect(parseArgs(["--list"])).toEqual({ json: false, list: true, docs: false });
            expect(parseArgs(["--docs"])).toEqual({ json: false, list: false, docs: true });
        });

        it.each([
            [[], "give exactly one of --stack <name> and --plan <file>"],
            [["--stack", "a", "--plan", "b"], "give exactly one of --stack <name> and --plan <file>"],
            [["--stack", ""], "--stack and --plan need a value"],
            [["--verbose"], "unknown argument --verbose"],
        ])("rejects %j", (argv, message) => {
            expect(() => parseArgs(argv)).toThrow(UsageError);
            expect(() => parseArgs(argv)).toThrow(message);
        });
    });

    describe("the text report", () => {
        const report = (): PolicyReport =>
            evaluate(
                { stack: "staging", tier: "staging", resources: [{ urn: "urn:x", type: "aws:sns/topic:Topic", name: "alerts", custom: true, provider: "urn:p", protect: false, inputs: {} }] },
                rules,
                [],
                [{ index: 2, message: "waiver 2 (x): expired on 2026-01-01" }],
            );

        it("lists every rule under its service, with its result, the violations and the summary", () => {
            const text = renderReport(report(), 1);
            const lines = text.split("\n");
            expect(lines[0]).toBe('Policy check of stack "staging" (staging), 115 rules, 1 resources:');
            for (const r of rules) expect(text).toContain(r.name);
            expect(lines).toContain("SNS");
            expect(lines).toContain("  FAIL   mandatory sns-encrypted (1 checked)");
            expect(lines).toContain("      aws:sns/topic:Topic alerts: no kmsMasterKeyId: encrypt with the stack's logs key");
            expect(lines).toContain("  n/a              vpc-flow-logs");
            expect(lines).toContain("  ERROR  waiver 2 (x): expired on 2026-01-01");
            expect(lines[lines.length - 1]).toBe("FAILED: 2 mandatory violation(s), 1 waiver error(s).");
        });

        it("lists the rules and their enforcement", () => {
            const text = renderList();
            expect(text.split("\n")[0]).toBe("115 rules; enforcement in production / staging / preview / development:");
            expect(text).toMatch(/ {2}rds-multi-az +M a a a {2}RDS/);
        });
    });

    describe("docs/policy.md", () => {
        it("holds the current rule table (npm run policy -- --docs)", () => {
            const doc = fs.readFileSync(POLICY_DOC, "utf8");
            expect(withRuleTable(doc)).toBe(doc);
            for (const r of rules) expect(doc).toContain(`| \`${r.name}\` | ${r.service} |`);
        });

        it("lists every rule with its level per tier, and why it is advisory where it is", () => {
            const table = renderRuleTable();
            expect(table).toContain("| `rds-multi-az` | RDS | Production RDS instances are Multi-AZ. | Security Hub FSBP RDS.5; cdk-nag AwsSolutions AwsSolutions-RDS3 | M | a | a | a |");
            expect(table).toContain("- `k8s-images-pinned`: a local cluster runs images loaded by hand");
        });

        it("refuses a document without the table's markers", () => {
            expect(() => withRuleTable("# Policy checks\n")).toThrow("lacks the markers");
        });
    });

    describe("on the committed stacks' plans", () => {
        it("exits 0 on a stack without mandatory violations and 1 on one with", async () => {
            const dev = await policy("--plan", path.join(planDir(), "dev.json"));
            expect(dev.code).toBe(0);
            expect(dev.stdout).toMatch(/\nOK: no mandatory violation\.\n$/);
            const production = await policy("--plan", path.join(planDir(), "production.json"));
            expect(production.code).toBe(0);
            expect(production.stdout).toContain("waived until 2027-11-30 (approved by platform-engineering): ALB access log delivery supports only SSE-S3");
            // The same plan without its buckets' versioning violates s3-versioning, a mandatory rule.
            const plan = JSON.parse(fs.readFileSync(path.join(planDir(), "production.json"), "utf8")) as { resources: Array<{ type: string }> };
            plan.resources = plan.resources.filter((r) => r.type !== "aws:s3/bucketVersioning:BucketVersioning");
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-policy-"));
            const broken = path.join(dir, "production.json");
            fs.writeFileSync(broken, JSON.stringify(plan));
            const violated = await policy("--plan", broken).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
            expect(violated.code).toBe(1);
            expect(violated.stdout).toMatch(/FAIL +mandatory s3-versioning/);
        });

        it("writes the documented JSON for CI with --json, and nothing else on stdout", async () => {
            const { code, stdout } = await policy("--plan", path.join(planDir(), "production.json"), "--json");
            expect(code).toBe(0);
            const report = JSON.parse(stdout) as PolicyReport;
            expect(report).toMatchObject({ schemaVersion: 1, stack: "production", tier: "production", environment: "production", ok: true });
            expect(report.rules).toHaveLength(rules.length);
            expect(report.summary.waivedViolations).toBe(2); // both ALBs' access-log buckets: production's and the standby's
        });

        it("writes the whole report into a pipe whose reader starts late", async () => {
            // As CI does (`npm run policy -- --json | render`): the report outgrows the pipe's
            // buffer before the reader reads, and a check that exits before its output drains loses the rest.
            const plan = path.join(planDir(), "production.json");
            const command = `"${process.execPath}" -r ./tools/register.js tools/policy.ts --plan "${plan}" --json | (sleep 1; cat)`;
            const { stdout } = await run("sh", ["-c", command], { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 });
            expect(stdout.length).toBeGreaterThan(65536);
            expect((JSON.parse(stdout) as PolicyReport).rules).toHaveLength(rules.length);
        });

        it("exits 2 with the fix on a usage error or an unreadable plan", async () => {
            const usage = await policy("--stack");
            expect(usage.code).toBe(2);
            expect(usage.stderr).toContain("usage: npm run policy --");
            const missing = await policy("--plan", "/nonexistent/plan.json");
            expect(missing.code).toBe(2);
            expect(missing.stderr).toContain("write one with: npm run plan -- --stack <name> --json /nonexistent/plan.json");
        });
    });
});
