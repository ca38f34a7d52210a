import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLAN_COMMENT_MARKER, buildReport, parseMeta } from "../../../tools/ci/prReport";
import { planSide } from "../../../tools/ci/reportFiles";
import { DR_RESTORE_STAND_IN, committedStacks, offlinePlanEnv, previewImage, prOfStack, previewStack } from "../../../tools/ci/stacks";
import { ROOT } from "../../helpers/stacks";
import { plan, res } from "../diff/fixtures";

const SHA = "3f9c2d1".padEnd(40, "a");

describe("which stacks CI plans", () => {
    it("plans every stack file and the pull request's preview stack, with what each needs", () => {
        expect(committedStacks(ROOT)).toEqual(expect.arrayContaining(["dev", "production", "production-dr", "staging"]));
        expect(previewStack(42)).toBe("pr-42");
        expect(prOfStack("pr-42")).toBe(42);
        expect(prOfStack("pr-042")).toBeUndefined();
        expect(offlinePlanEnv("pr-42", 42, SHA)).toEqual({ OPS_APP__IMAGE__REPOSITORY: "myapp/staging/app", OPS_APP__IMAGE__TAG: "pr-42-3f9c2d1" });
        // The drill restores the replicated backups; the real rebuild promotes the replica and needs nothing.
        expect(offlinePlanEnv("production-dr-drill")).toEqual({ OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: DR_RESTORE_STAND_IN });
        expect(offlinePlanEnv("production-dr")).toEqual({});
        expect(offlinePlanEnv("staging")).toEqual({});
        expect(previewImage(7, SHA, "repo", "1.0.0")).toEqual({ OPS_APP__IMAGE__REPOSITORY: "repo", OPS_APP__IMAGE__TAG: "1.0.0" });
        expect(() => previewImage(7, "main", "repo")).toThrow('not a commit sha: "main"');
        expect(() => previewStack(0)).toThrow("a pull request number is a positive whole number, got 0");
    });
});

describe("planSide", () => {
    it("plans each stack with its own tools and keeps the reports the checkout can make", () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "side-project-"));
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ scripts: { plan: "x", policy: "x", cost: "x" } }));
        for (const s of ["staging", "production"]) fs.writeFileSync(path.join(project, `Pulumi.${s}.yaml`), "config: {}\n");
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "side-out-"));
        const seen: { args: string[]; env: NodeJS.ProcessEnv }[] = [];
        const result = planSide(project, out, {
            pr: 5,
            sha: SHA,
            run: (_dir, args, env) => {
                seen.push({ args, env });
                if (args[0] === "plan") {
                    const stack = args[3]!;
                    if (stack === "production") return { status: 1, stdout: "", stderr: "Stack \"production\" has 1 configuration problem" };
                    fs.writeFileSync(args[5]!, JSON.stringify(plan(stack, [])));
                    return { status: 0, stdout: "", stderr: "" };
                }
                if (args[0] === "policy") return { status: 1, stdout: JSON.stringify({ stack: "x", mandatory: [{ rule: "r", urn: "u", message: "m" }], advisory: [] }), stderr: "" };
                return { status: 2, stdout: "", stderr: "unknown option --json" };
            },
        });
        expect(result.stacks).toEqual(["staging", "pr-5"]);
        expect(result.failed).toEqual({ production: 'Stack "production" has 1 configuration problem' });
        expect(result.notes).toEqual([
            "staging: `npm run cost -- --plan " + path.resolve(out, "plans", "staging.json") + " --json` gave no JSON report (exit 2): unknown option --json",
            "pr-5: `npm run cost -- --plan " + path.resolve(out, "plans", "pr-5.json") + " --json` gave no JSON report (exit 2): unknown option --json",
        ]);
        expect(fs.readdirSync(path.join(out, "policy")).sort()).toEqual(["pr-5.json", "staging.json"]);
        expect(fs.existsSync(path.join(out, "cost"))).toBe(false);
        expect(fs.existsSync(path.join(out, "rto"))).toBe(false);
        const prPlan = seen.find((s) => s.args[0] === "plan" && s.args[3] === "pr-5")!;
        expect(prPlan.env["OPS_APP__IMAGE__TAG"]).toBe("pr-5-3f9c2d1");
        for (const d of [project, out]) fs.rmSync(d, { recursive: true, force: true });
    });
});

describe("buildReport", () => {
    const side = (dir: string, plans: ReturnType<typeof plan>[], failed: Record<string, string> = {}) => {
        fs.mkdirSync(path.join(dir, "plans"), { recursive: true });
        for (const p of plans) fs.writeFileSync(path.join(dir, "plans", `${p.stack}.json`), JSON.stringify(p));
        fs.writeFileSync(path.join(dir, "side.json"), JSON.stringify({ stacks: plans.map((p) => p.stack), failed, notes: ["cost: no JSON"] }));
    };

    it("makes the comment body with its marker first, the failures of the head, and the metadata", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
        const db = res("production", "aws:rds/instance:Instance", "db", { identifier: "a" }, { protect: true, id: "a" });
        side(path.join(root, "base"), [plan("production", [db]), plan("staging", [])]);
        side(path.join(root, "head"), [plan("production", [{ ...db, inputs: { identifier: "b" }, id: "b" }])], { staging: "Stack \"staging\" has 1 configuration problem" });
        const { body, meta } = buildReport({ baseDir: path.join(root, "base"), headDir: path.join(root, "head"), pr: 9, headSha: SHA, baseLabel: "main", headLabel: "3f9c2d1" });
        expect(body.split("\n")[0]).toBe(PLAN_COMMENT_MARKER);
        expect(body).toContain("**The head's plan fails for `staging`**");
        expect(body).toContain("| production | 0 | 0 | 1 | 0 | 0 | **1** |");
        expect(body).toContain("- head: cost: no JSON");
        expect(meta).toEqual({ pr: 9, headSha: SHA, dataLoss: 1, failedStacks: ["staging"] });
        fs.rmSync(root, { recursive: true, force: true });
    });
});

describe("parseMeta", () => {
    it("accepts only a pull request number and a full sha from the untrusted artifact", () => {
        expect(parseMeta({ pr: 3, headSha: SHA, dataLoss: 0, failedStacks: ["a", "b;rm -rf /"] })).toEqual({ pr: 3, headSha: SHA, dataLoss: 0, failedStacks: ["a"] });
        expect(() => parseMeta({ pr: "3", headSha: SHA })).toThrow('report metadata: "pr" must be a pull request number, got "3"');
        expect(() => parseMeta({ pr: 3, headSha: "main" })).toThrow('report metadata: "headSha" must be a full commit sha, got "main"');
        expect(() => parseMeta(null)).toThrow("report metadata: not a JSON object");
    });
});
