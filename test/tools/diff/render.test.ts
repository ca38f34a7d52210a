import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffPlans } from "../../../tools/diff/diff";
import { InputError } from "../../../tools/diff/load";
import { GITHUB_COMMENT_LIMIT, renderMarkdown, renderText } from "../../../tools/diff/render";
import { loadReports } from "../../../tools/diff/reports";
import { plan, res, side } from "./fixtures";

const S = "production";

function bigDiff(n: number) {
    const before = Array.from({ length: n }, (_, i) => res(S, "aws:cloudwatch/metricAlarm:MetricAlarm", `alarm-${i}`, { name: `a-${i}`, threshold: 1, alarmDescription: "x".repeat(60) }));
    const after = before.map((r) => ({ ...r, inputs: { ...r.inputs, threshold: 2, alarmDescription: "y".repeat(60) } }));
    const db = res(S, "aws:rds/instance:Instance", "db", { identifier: "a" }, { protect: true, id: "a" });
    return diffPlans(side(plan(S, [db, ...before])), side(plan(S, [{ ...db, inputs: { identifier: "b" }, id: "b" }, ...after])));
}

describe("renderMarkdown", () => {
    it("puts the summary first and the details in a collapsed section", () => {
        const md = renderMarkdown(bigDiff(3), undefined, { baseLabel: "main", headLabel: "feature", marker: "<!-- ops-plan-diff -->" });
        expect(md.startsWith("<!-- ops-plan-diff -->\n## Offline plan diff")).toBe(true);
        expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("<details>"));
        expect(md).toContain("| production | 0 | 3 | 1 | 0 | 0 | **1** |");
        expect(md).toContain("<details><summary><b>production</b>: 3 to update, 1 to replace</summary>");
        expect(md).toContain("</details>");
    });

    it("stays under GitHub's comment limit on a huge diff, cutting details and never the summary", () => {
        const diff = bigDiff(3000);
        const full = renderMarkdown(diff, undefined, { maxChars: 10_000_000 });
        expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
        const md = renderMarkdown(diff, undefined, { fullDiffUrl: "https://github.com/o/r/actions/runs/1" });
        expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
        expect(md).toContain("| production | 0 | 3000 | 1 | 0 | 0 | **1** |");
        expect(md).toMatch(/> \d+ change\(s\) are not shown: the comment would exceed GitHub's 65,536-character limit\. The full diff: https:\/\/github\.com\/o\/r\/actions\/runs\/1/);
        expect(md).toContain("</details>");
        // The data-loss replacement sorts first, so it is always among the details shown.
        expect(md).toContain("**DATA LOSS**");
    });

    it("says so when nothing changes", () => {
        const p = plan(S, []);
        expect(renderMarkdown(diffPlans(side(p), side(p)))).toContain("No resource changes in any stack.");
    });
});

describe("reports in the comment", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-reports-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, v: unknown) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, JSON.stringify(v));
        return f;
    };

    it("shows policy, cost and RTO deltas per stack", () => {
        const reports = loadReports({
            policyBase: write("pb.json", { stack: S, mandatory: [], advisory: [{ rule: "a", urn: "u", message: "m" }] }),
            policyHead: write("ph.json", { stack: S, violations: [{ rule: "rds-encrypted", urn: "u", message: "RDS must be encrypted", enforcement: "mandatory" }] }),
            costBase: write("cb.json", { stack: S, currency: "USD", monthlyTotal: 1000 }),
            costHead: write("ch.json", { stack: S, currency: "USD", monthlyTotal: 1250.5 }),
            rtoBase: write("rb.json", { stack: "production-dr", estimateMinutes: 50, objectiveMinutes: 60 }),
            rtoHead: write("rh.json", { stack: "production-dr", estimateMinutes: 65, objectiveMinutes: 60 }),
        });
        const p = plan(S, []);
        const md = renderMarkdown(diffPlans(side(p), side(p)), reports);
        expect(md).toContain("| production | 1 (base 0) ❌ | 0 (base 1) |");
        expect(md).toContain("- production: `rds-encrypted` RDS must be encrypted");
        expect(md).toContain("| production | $1,000.00 | $1,250.50 | +$250.50 (+25.1%) |");
        expect(md).toContain("| production-dr | 50 min | 65 min | +15 min (+30.0%) | 60 min ❌ over the objective |");
    });

    it("names a stack after its file when the report does not, and tolerates a side the base does not have yet", () => {
        const sub = fs.mkdtempSync(path.join(dir, "head-"));
        fs.writeFileSync(path.join(sub, "staging.json"), JSON.stringify({ monthlyTotal: 10 }));
        const reports = loadReports({ costHead: sub });
        expect(reports.cost?.base).toBeUndefined();
        expect(reports.cost?.head?.get("staging")?.monthlyTotal).toBe(10);
    });

    it("refuses a report of the wrong shape, naming the file and the field", () => {
        const f = write("bad-cost.json", { stack: S, total: 3 });
        expect(() => loadReports({ costHead: f })).toThrow(InputError);
        expect(() => loadReports({ costHead: f })).toThrow(`${f}: not a cost report: "monthlyTotal" must be a number, got undefined (npm run cost -- --plan <plan> --json)`);
        const r = write("bad-rto.json", { stack: S, minutes: 3 });
        expect(() => loadReports({ rtoHead: r })).toThrow(`${r}: not an RTO report: "estimateMinutes" must be a number, got undefined (npm run rto -- --plan <plan> --json)`);
        const p = write("bad-policy.json", { stack: S });
        expect(() => loadReports({ policyHead: p })).toThrow(`${p}: not a policy report: expected "mandatory" and "advisory" lists (npm run policy -- --stack production --json)`);
    });
});

describe("renderText", () => {
    it("lists every change and ends with the data-loss verdict", () => {
        const text = renderText(bigDiff(1));
        expect(text).toContain("replace aws:rds/instance:Instance db");
        expect(text.trim().split("\n").slice(-2)).toEqual([
            "DATA LOSS: 1 change(s) replace or delete a protected or stateful resource:",
            "  production: replace aws:rds/instance:Instance db: protected and stateful, replaced: the database: a new instance starts empty unless restored from a backup",
        ]);
    });
});
