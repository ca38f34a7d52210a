/**
 * Runs the rules on a stack, applies the waivers and says what passed: the one evaluation the
 * test suite, `npm run policy` and the CLI pack share. `PolicyReport` is also the JSON that
 * `npm run policy -- --json` writes for CI (docs/policy.md, "JSON output"): extend it, never
 * rename or remove a field without raising `schemaVersion`.
 */
import { Control, Level, PolicyContext, PolicyRule, Service, StackView, TIER_ENVIRONMENT, Tier, appliesTo, levelIn } from "./rule";
import { Waiver, WaiverError, resourceKey } from "./waivers";

/** Bumped when a field of the report changes meaning or disappears. */
export const REPORT_SCHEMA_VERSION = 1;

/** One finding, with its resource. */
export interface Finding {
    urn: string;
    type: string;
    name: string;
    message: string;
}

/** A finding a waiver excuses, with the waiver's terms (printed every time). */
export interface WaivedFinding extends Finding {
    waiver: { reason: string; approvedBy: string; expires: string };
}

/**
 * A rule's outcome on the stack: `pass` (resources judged, none in violation), `fail` (a violation
 * not waived; `level` says whether it blocks), `waived` (every violation waived) or
 * `not-applicable` (the stack has no resource the rule judges).
 */
export type RuleStatus = "pass" | "fail" | "waived" | "not-applicable";

export interface RuleResult {
    name: string;
    service: Service;
    description: string;
    rationale: string;
    controls: readonly Control[];
    /** The rule's level in this stack's tier. */
    level: Level;
    /** Why the rule is advisory here, when it is. */
    relaxed?: string;
    status: RuleStatus;
    /** How many resources the rule judged. */
    checked: number;
    violations: Finding[];
    waived: WaivedFinding[];
}

export interface PolicyReport {
    schemaVersion: typeof REPORT_SCHEMA_VERSION;
    stack: string;
    tier: Tier;
    environment: string;
    /** True when no mandatory rule fails and the waivers are all valid: the check passes. */
    ok: boolean;
    summary: {
        rules: number;
        passed: number;
        failedMandatory: number;
        failedAdvisory: number;
        waived: number;
        notApplicable: number;
        mandatoryViolations: number;
        advisoryViolations: number;
        waivedViolations: number;
        waiverErrors: number;
    };
    rules: RuleResult[];
    waiverErrors: WaiverError[];
}

/** The waiver that excuses a finding of a rule in a stack, if any. */
function waiverFor(waivers: readonly Waiver[], rule: string, stack: string, finding: Finding): Waiver | undefined {
    return waivers.find((w) => w.rule === rule && w.stacks.includes(stack) && w.resource === resourceKey(finding));
}

/** Runs one rule over the stack. */
export function runRule(rule: PolicyRule, stack: StackView): { checked: number; findings: Finding[] } {
    const subjects = stack.resources.filter((r) => appliesTo(rule, r.type));
    const findings = subjects.flatMap((r) => rule.check(r, stack).map((message) => ({ urn: r.urn, type: r.type, name: r.name, message })));
    return { checked: subjects.length, findings };
}

/** Evaluates every rule on a stack with the waivers (already validated), and reports. */
export function evaluate(ctx: PolicyContext, rules: readonly PolicyRule[], waivers: readonly Waiver[] = [], waiverErrors: readonly WaiverError[] = []): PolicyReport {
    const stack = new StackView(ctx);
    const used = new Set<Waiver>();
    const results: RuleResult[] = rules.map((rule) => {
        const { checked, findings } = runRule(rule, stack);
        const violations: Finding[] = [];
        const waived: WaivedFinding[] = [];
        for (const f of findings) {
            const w = waiverFor(waivers, rule.name, ctx.stack, f);
            if (w) {
                used.add(w);
                waived.push({ ...f, waiver: { reason: w.reason, approvedBy: w.approvedBy, expires: w.expires } });
            } else violations.push(f);
        }
        const level = levelIn(rule, ctx.tier);
        const status: RuleStatus = violations.length > 0 ? "fail" : waived.length > 0 ? "waived" : checked === 0 ? "not-applicable" : "pass";
        return {
            name: rule.name,
            service: rule.service,
            description: rule.description,
            rationale: rule.rationale,
            controls: rule.controls,
            level,
            ...(level === "advisory" && rule.enforcement.relaxed ? { relaxed: rule.enforcement.relaxed } : {}),
            status,
            checked,
            violations,
            waived,
        };
    });
    // A waiver for this stack that excused nothing has outlived its resource or its problem.
    const stale: WaiverError[] = waivers
        .filter((w) => w.stacks.includes(ctx.stack) && !used.has(w))
        .map((w) => ({
            index: waivers.indexOf(w) + 1,
            message: `the waiver of ${w.rule} for ${w.resource} matches no violation in stack ${ctx.stack}: the resource is gone or now complies; delete the waiver (or remove ${ctx.stack} from its stacks)`,
        }));
    const errors = [...waiverErrors, ...stale];
    const count = (f: (r: RuleResult) => boolean) => results.filter(f).length;
    const sum = (f: (r: RuleResult) => number) => results.reduce((n, r) => n + f(r), 0);
    const mandatoryViolations = sum((r) => (r.level === "mandatory" ? r.violations.length : 0));
    return {
        schemaVersion: REPORT_SCHEMA_VERSION,
        stack: ctx.stack,
        tier: ctx.tier,
        environment: TIER_ENVIRONMENT[ctx.tier],
        ok: mandatoryViolations === 0 && errors.length === 0,
        summary: {
            rules: results.length,
            passed: count((r) => r.status === "pass"),
            failedMandatory: count((r) => r.status === "fail" && r.level === "mandatory"),
            failedAdvisory: count((r) => r.status === "fail" && r.level === "advisory"),
            waived: count((r) => r.status === "waived"),
            notApplicable: count((r) => r.status === "not-applicable"),
            mandatoryViolations,
            advisoryViolations: sum((r) => (r.level === "advisory" ? r.violations.length : 0)),
            waivedViolations: sum((r) => r.waived.length),
            waiverErrors: errors.length,
        },
        rules: results,
        waiverErrors: errors,
    };
}
