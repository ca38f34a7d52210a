/**
 * The policy pack for the real CLI: `pulumi preview --policy-pack policy` (after `npm ci` at the
 * repository root). It runs the rules of `npm run policy` and the test suite, with the same
 * waivers (policy/waivers.yaml), on the engine's view of the stack.
 *
 * Enforcement depends on the kind of stack, which the pack learns when the CLI starts it: the CLI
 * passes the stack name (`PULUMI_STACK`) and its config (`PULUMI_CONFIG`), and its own
 * environment, to the pack's process (policy/context.ts `stackFromCli`). Each rule is registered
 * at its level for that stack; a stack whose kind cannot be told is judged as production.
 * Waived violations are printed by the advisory policy `waived-violations`, with their reasons;
 * invalid or stale waivers fail the mandatory policy `policy-waivers`.
 */
import { PolicyPack, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackFromCli } from "./context";
import { contextFromEngine } from "./engine";
import { PolicyReport, evaluate } from "./report";
import { levelIn } from "./rule";
import { rules } from "./rules";
import { loadWaivers } from "./waivers";

const cli = stackFromCli(process.env);
const { waivers, errors } = loadWaivers(rules);

// Every policy's validateStack receives the same args: evaluate the stack once.
const reports = new WeakMap<object, PolicyReport>();
function reportOf(args: StackValidationArgs): PolicyReport {
    let report = reports.get(args.resources);
    if (!report) {
        report = evaluate(contextFromEngine(args, cli.stack, cli.tier), rules, waivers, errors);
        reports.set(args.resources, report);
    }
    return report;
}

function controlsOf(name: string): string {
    const rule = rules.find((r) => r.name === name);
    return rule ? rule.controls.map((c) => `${c.framework} ${c.id}`).join("; ") : "";
}

new PolicyPack("ops", {
    policies: [
        ...rules.map((rule) => ({
            name: rule.name,
            description: `${rule.description} (${controlsOf(rule.name)})`,
            enforcementLevel: levelIn(rule, cli.tier),
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                for (const v of reportOf(args).rules.find((r) => r.name === rule.name)?.violations ?? []) report(v.message, v.urn);
            },
        })),
        {
            name: "policy-waivers",
            description: `Every waiver in policy/waivers.yaml is complete, current and still matches a violation (judged as ${cli.source}).`,
            enforcementLevel: "mandatory",
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                for (const e of reportOf(args).waiverErrors) report(e.message);
            },
        },
        {
            name: "waived-violations",
            description: "Violations a reviewed waiver in policy/waivers.yaml excuses, each with its reason.",
            enforcementLevel: "advisory",
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                for (const r of reportOf(args).rules)
                    for (const w of r.waived) report(`${r.name}: ${w.message}. Waived until ${w.waiver.expires} (approved by ${w.waiver.approvedBy}): ${w.waiver.reason}`, w.urn);
            },
        },
    ],
});
