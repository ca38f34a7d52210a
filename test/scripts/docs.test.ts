import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../helpers/stacks";

/** Every runbook script is in the README's runbook map, and every check the verify scripts report is documented. */
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const verification = fs.readFileSync(path.join(ROOT, "docs", "verification.md"), "utf8");

describe("the scripts' documentation", () => {
    const scripts = fs.readdirSync(path.join(ROOT, "scripts")).filter((f) => f.endsWith(".sh"));

    it("the README's runbook map names each script of scripts/ beside its runbook section", () => {
        expect(scripts.length).toBeGreaterThanOrEqual(4);
        const map = readme.slice(readme.indexOf("## Operating the system"), readme.indexOf("## Tests and benchmarks"));
        const rows = map.split("\n").filter((l) => /^\| \d/.test(l));
        for (const s of scripts) {
            const row = rows.find((r) => r.includes(`./scripts/${s}`));
            expect([s, row]).toEqual([s, expect.stringMatching(/^\| \d\.\d/)]);
        }
    });

    it.each([
        ["verify_backups.sh", ["backup-plan", "recovery-points", "dr-recovery-points", "dr-copy-jobs", "restore-test", "replicated-automated-backups"]],
        ["verify_infrastructure.sh", ["drift", "health", "alarms", "nodes", "deployments", "pods", "certificate"]],
    ])("docs/verification.md and %s's --help describe each of its checks", (script, checks) => {
        const header = fs.readFileSync(path.join(ROOT, "scripts", script), "utf8").split("\nset -euo pipefail")[0]!;
        for (const c of checks) {
            expect([c, verification.includes(`| \`${c}\` |`)]).toEqual([c, true]);
            expect([c, new RegExp(`^#   ${c} `, "m").test(header)]).toEqual([c, true]);
        }
    });
});
