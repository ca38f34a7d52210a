import { contextFromPlan, stackFromCli } from "../../policy/context";
import { evaluate } from "../../policy/report";
import { rules } from "../../policy/rules";
import { loadWaivers } from "../../policy/waivers";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { loadPlan } from "../helpers/plan";
import { ROOT, plannedStacks } from "../helpers/stacks";

/**
 * Mandatory violations the committed stacks have today, each a defect of the program to fix in
 * environments/ or modules/ (never a waiver). Fixing one makes its entry fail here: delete it.
 * `<stack> <rule> <resource type>::<name>`.
 */
const KNOWN_VIOLATIONS: string[] = [];

/**
 * A DR rebuild (dr.rebuildOf) makes no cross-region copies while its DR region is the failed one:
 * they resume at failback, from production (settings/drSchema.ts). Production's copy rules report
 * exactly that, by design of the rebuild; these rules, and only these, may report its resources.
 */
const REBUILD_NO_COPIES_RULES = new Set(["backup-dr-copy", "s3-data-replicated-to-dr", "secrets-replicated-to-dr"]);
const REBUILDS = new Set(["production-dr", "production-dr-drill"]);

/**
 * The DR drill (Pulumi.production-dr-drill.yaml) is production's rebuild made to be torn down
 * without a trace: nothing protected or retained, shortest deletion and recovery windows, no
 * copies or lock. Production's rules refuse exactly that, by design of the drill; these rules, and
 * only these, may report its resources. (A policy tier of its own for drills would say it better.)
 */
const DRILL_DISPOSABLE_RULES = new Set([
    "backup-dr-copy",
    "backup-restore-tested",
    "backup-vault-lock",
    "kms-deletion-window",
    "rds-backups-replicated-to-dr",
    "rds-backups-survive-deletion",
    "rds-deletion-protection",
    "s3-data-replicated-to-dr",
    "secrets-recovery-window",
    "secrets-replicated-to-dr",
    "stateful-resources-protected",
]);

const { waivers, errors } = loadWaivers(rules);
const reportOf = (stack: string) => evaluate(contextFromPlan(loadPlan(stack)), rules, waivers, errors);

describe("every committed stack's plan", () => {
    it.each(plannedStacks())("%s violates no mandatory rule beyond the known violations, and uses its waivers", (stack) => {
        const report = reportOf(stack);
        const mandatory = report.rules
            .filter((r) => r.level === "mandatory" && !(REBUILDS.has(stack) && REBUILD_NO_COPIES_RULES.has(r.name)) && !(stack === "production-dr-drill" && DRILL_DISPOSABLE_RULES.has(r.name)))
            .flatMap((r) => r.violations.map((v) => `${stack} ${r.name} ${v.type}::${v.name}`));
        expect(mandatory.sort()).toEqual(KNOWN_VIOLATIONS.filter((k) => k.startsWith(`${stack} `)).sort());
        expect(report.waiverErrors).toEqual([]);
    });

    it("judges every committed stack with the rules that concern it", () => {
        const checked = (stack: string) => reportOf(stack).rules.filter((r) => r.status !== "not-applicable").length;
        expect(checked("production")).toBeGreaterThanOrEqual(100);
        expect(checked("staging")).toBeGreaterThanOrEqual(100);
        expect(checked("dev")).toBeGreaterThanOrEqual(15);
    });

    it("prints the waived violations with their reasons", () => {
        const waived = reportOf("production").rules.flatMap((r) => r.waived.map((w) => `${r.name} ${w.name}`));
        expect(waived).toEqual(["s3-encrypted-with-kms myapp-production-alb-logs", "s3-encrypted-with-kms myapp-production-dr-alb-logs"]);
    });

    it.each([
        ["dev", "development"],
        ["staging", "staging"],
        ["production", "production"],
        ["production-dr", "production"],
        ["pr-42", "preview"],
    ])("judges %s as %s, offline and under the CLI alike", (stack, tier) => {
        expect(contextFromPlan(loadPlan(stack)).tier).toBe(tier);
        // What the Pulumi CLI passes the pack: the stack name and the stack's config (PULUMI_CONFIG).
        const { config } = readStackConfig(ROOT, stack);
        expect(stackFromCli({ PULUMI_STACK: stack, PULUMI_PROJECT: "ops", PULUMI_CONFIG: JSON.stringify(config) }).tier).toBe(tier);
    });
});
