import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPORT_SCHEMA, type DrillReport } from "../../../tools/drill/report";
import { ROOT } from "../../helpers/stacks";

/**
 * A real drill, opt-in: it needs the Pulumi CLI logged in to the state backend, the AWS CLI with
 * the drill role's credentials in the DR region, and about an hour. Run it with
 * `DR_DRILL_LIVE=1 npx jest test/tools/drill/live.test.ts` (DR_DRILL_STACK names another drill
 * stack). Everything it orchestrates is tested without AWS in drill.test.ts.
 */

const live = process.env["DR_DRILL_LIVE"] === "1";

describe("npm run dr:drill against AWS", () => {
    if (!live) {
        it.skip("runs a real drill (skipped: set DR_DRILL_LIVE=1 with the Pulumi CLI and the drill's AWS credentials; see docs/disaster-recovery.md, \"DR drill\")", () => undefined);
        return;
    }
    it("meets its objectives, writes a versioned report and leaves nothing behind", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-drill-live-"));
        try {
            const stack = process.env["DR_DRILL_STACK"] ?? "production-dr-drill";
            let status = 0;
            try {
                execFileSync(process.execPath, ["-r", "./tools/register.js", "tools/drill.ts", "--stack", stack, "--report-dir", dir], { cwd: ROOT, stdio: "inherit" });
            } catch (e) {
                status = (e as { status?: number }).status ?? 1;
            }
            const report = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as DrillReport;
            expect(report.schema).toBe(REPORT_SCHEMA);
            expect({ status, outcome: report.outcome, problems: report.problems }).toEqual({ status: 0, outcome: "met", problems: [] });
            expect(report.teardown.clean).toBe(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }, 3 * 60 * 60 * 1000);
});
