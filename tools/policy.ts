/**
 * Checks a stack against the policy pack (policy/), without the Pulumi CLI: plans the stack
 * offline (or reads a plan `npm run plan -- --json` wrote), runs every rule with the waivers of
 * policy/waivers.yaml, and lists every rule with its result. The same rules run under the real
 * CLI with `pulumi preview --policy-pack policy`.
 *
 *   npm run policy -- --stack production
 *   npm run policy -- --plan plan.json --json > policy.json     # for CI (docs/policy.md)
 *   npm run policy -- --list                                     # the rules and their enforcement
 *   npm run policy -- --docs                                     # regenerate docs/policy.md's rule table
 *
 * Exits 1 when a mandatory rule fails or a waiver is invalid (or the stack's settings are), 2 on
 * a usage error.
 */
import * as fs from "fs";
import * as path from "path";
import { contextFromPlan } from "../policy/context";
import { PolicyReport, RuleResult, evaluate } from "../policy/report";
import { TIERS, levelIn } from "../policy/rule";
import { rules } from "../policy/rules";
import { loadWaivers } from "../policy/waivers";
import type { Plan } from "./plan/record";

const USAGE = "usage: npm run policy -- (--stack <name> | --plan <plan.json>) [--json]   or   npm run policy -- (--list | --docs)";

/** The policy reference, whose rule table `--docs` regenerates between its markers. */
export const POLICY_DOC = path.resolve(__dirname, "..", "docs", "policy.md");
const TABLE_BEGIN = "<!-- rules:begin (npm run policy -- --docs) -->";
const TABLE_END = "<!-- rules:end -->";

export interface Args {
    stack?: string;
    plan?: string;
    json: boolean;
    list: boolean;
    docs: boolean;
}

export class UsageError extends Error {}

/** Parses the command line; throws a UsageError with the usage line. */
export function parseArgs(argv: readonly string[]): Args {
    const args: Args = { json: false, list: false, docs: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (a === "--stack" || a === "-s" || a === "--plan") {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value${v ? `, got the option ${v}` : ""}\n${USAGE}`);
            if (a === "--plan") args.plan = v;
            else args.stack = v;
        }
        else if (a === "--json") args.json = true;
        else if (a === "--list") args.list = true;
        else if (a === "--docs") args.docs = true;
        else throw new UsageError(`unknown argument ${a}\n${USAGE}`);
    }
    if (args.list || args.docs) return args;
    if ((args.stack === undefined) === (args.plan === undefined)) throw new UsageError(`give exactly one of --stack <name> and --plan <file>\n${USAGE}`);
    if (args.stack === "" || args.plan === "") throw new UsageError(`--stack and --plan need a value\n${USAGE}`);
    return args;
}

const STATUS: Record<RuleResult["status"], string> = { pass: "pass", fail: "FAIL", waived: "waived", "not-applicable": "n/a" };

/** The report as text: every rule with its result, grouped by service, then the summary. */
export function renderReport(report: PolicyReport, resources: number): string {
    const lines = [`Policy check of stack "${report.stack}" (${report.tier}), ${report.summary.rules} rules, ${resources} resources:`];
    let service = "";
    for (const r of report.rules) {
        if (r.service !== service) {
            service = r.service;
            lines.push("", service);
        }
        const level = r.status === "fail" ? r.level : "";
        lines.push(`  ${STATUS[r.status].padEnd(7)}${level.padEnd(10)}${r.name}${r.status === "not-applicable" ? "" : ` (${r.checked} checked)`}`);
        for (const v of r.violations) lines.push(`      ${v.type} ${v.name}: ${v.message}`);
        if (r.status === "fail" && r.level === "advisory" && r.relaxed) lines.push(`      advisory here: ${r.relaxed}`);
        for (const w of r.waived) {
            lines.push(`      ${w.type} ${w.name}: ${w.message}`);
            lines.push(`        waived until ${w.waiver.expires} (approved by ${w.waiver.approvedBy}): ${w.waiver.reason}`);
        }
    }
    if (report.waiverErrors.length > 0) lines.push("", "Waivers (policy/waivers.yaml)", ...report.waiverErrors.map((e) => `  ERROR  ${e.message}`));
    const s = report.summary;
    lines.push(
        "",
        `${s.passed} passed, ${s.failedMandatory} failed (mandatory), ${s.failedAdvisory} failed (advisory), ${s.waived} waived, ${s.notApplicable} not applicable.`,
        report.ok
            ? `OK: no mandatory violation${s.advisoryViolations > 0 ? ` (${s.advisoryViolations} advisory)` : ""}.`
            : `FAILED: ${s.mandatoryViolations} mandatory violation(s)${s.waiverErrors > 0 ? `, ${s.waiverErrors} waiver error(s)` : ""}.`,
    );
    return lines.join("\n");
}

/** The rules and their enforcement per tier, as `--list` prints them. */
export function renderList(): string {
    const lines = [`${rules.length} rules; enforcement in ${TIERS.join(" / ")}:`];
    for (const r of rules) lines.push(`  ${r.name.padEnd(40)}${TIERS.map((t) => (levelIn(r, t) === "mandatory" ? "M" : "a")).join(" ")}  ${r.service}`);
    lines.push("", "M mandatory, a advisory. Controls and reasons: docs/policy.md.");
    return lines.join("\n");
}

function cell(s: string): string {
    return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The Markdown table of every rule: what it requires, its controls, its level per tier, why relaxed. */
export function renderRuleTable(): string {
    const lines = [
        `| rule | service | requires | controls | ${TIERS.join(" | ")} |`,
        `|---|---|---|---|${TIERS.map(() => ":-:").join("|")}|`,
        ...rules.map(
            (r) =>
                `| \`${r.name}\` | ${r.service} | ${cell(r.description)} | ${cell(r.controls.map((c) => `${c.framework} ${c.id}`).join("; "))} | ${TIERS.map((t) => (levelIn(r, t) === "mandatory" ? "M" : "a")).join(" | ")} |`,
        ),
        "",
        "Where a rule is advisory (a), and why:",
        "",
        ...rules.filter((r) => r.enforcement.relaxed).map((r) => `- \`${r.name}\`: ${r.enforcement.relaxed}`),
    ];
    return lines.join("\n");
}

/** docs/policy.md with its rule table regenerated. */
export function withRuleTable(doc: string): string {
    const begin = doc.indexOf(TABLE_BEGIN);
    const end = doc.indexOf(TABLE_END);
    if (begin < 0 || end < begin) throw new Error(`${POLICY_DOC} lacks the markers ${TABLE_BEGIN} ... ${TABLE_END}`);
    return `${doc.slice(0, begin + TABLE_BEGIN.length)}\n${renderRuleTable()}\n${doc.slice(end)}`;
}

async function loadPlan(args: Args): Promise<Plan> {
    if (args.plan) {
        try {
            const plan = JSON.parse(fs.readFileSync(args.plan, "utf8")) as Partial<Plan> | null;
            if (typeof plan?.stack !== "string" || !Array.isArray(plan.resources)) throw new Error('not a plan: it has no "stack" and "resources"');
            return plan as Plan;
        } catch (e) {
            throw new UsageError(`cannot read the plan ${args.plan}: ${e instanceof Error ? e.message : String(e)}\nwrite one with: npm run plan -- --stack <name> --json ${args.plan}`);
        }
    }
    // Loaded here only: planning needs the Pulumi SDK, reading a plan file does not.
    const { planStack } = await import("./plan/planStack");
    return planStack(args.stack!);
}

/** Writes to stdout and waits until it is flushed: exiting earlier truncates a piped report. */
function print(text: string): Promise<void> {
    return new Promise((resolve) => process.stdout.write(`${text}\n`, () => resolve()));
}

async function main(): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        return 2;
    }
    if (args.list) {
        await print(renderList());
        return 0;
    }
    if (args.docs) {
        fs.writeFileSync(POLICY_DOC, withRuleTable(fs.readFileSync(POLICY_DOC, "utf8")));
        await print(`Rule table written to ${path.relative(process.cwd(), POLICY_DOC)}`);
        return 0;
    }
    let plan: Plan;
    try {
        plan = await loadPlan(args);
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`${e.message}\n`);
            return 2;
        }
        const { isUserError } = await import("./plan/planStack");
        if (isUserError(e)) {
            process.stderr.write(`${e.message}\n`);
            return 1;
        }
        throw e;
    }
    const { waivers, errors } = loadWaivers(rules);
    const report = evaluate(contextFromPlan(plan), rules, waivers, errors);
    await print(args.json ? JSON.stringify(report, null, 2) : renderReport(report, plan.resources.length));
    return report.ok ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: unknown) => {
            process.stderr.write(`The policy check failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
            process.exit(3);
        },
    );
}
