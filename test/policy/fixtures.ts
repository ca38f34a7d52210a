/**
 * The smallest stacks a rule can judge, and the cdk-nag practice as a helper: every rule is
 * tested compliant, non-compliant with the setting missing, and non-compliant with the setting
 * explicitly wrong. Pure: no plan, no Pulumi runtime.
 */
import { runRule } from "../../policy/report";
import { PolicyResource, PolicyRule, StackView, Tier } from "../../policy/rule";

let counter = 0;

/** The provider every fixture resource uses, in us-east-1 unless a test adds another. */
export const PROVIDER_URN = "urn:pulumi:test::ops::pulumi:providers:aws::primary";
export const DR_PROVIDER_URN = "urn:pulumi:test::ops::pulumi:providers:aws::dr";

/** A resource of the plan's shape; its id defaults to its name (as the mocks do for many types). */
export function res(type: string, inputs: Record<string, unknown> = {}, extra: Partial<PolicyResource> = {}): PolicyResource {
    counter += 1;
    const name = extra.name ?? `r${counter}`;
    return { urn: `urn:pulumi:test::ops::${type}::${name}`, type, name, id: name, custom: true, provider: PROVIDER_URN, protect: false, inputs, ...extra };
}

/** The AWS providers of a two-region stack. */
export function providers(): PolicyResource[] {
    return [
        res("pulumi:providers:aws", { region: "us-east-1" }, { urn: PROVIDER_URN, name: "primary", provider: null }),
        res("pulumi:providers:aws", { region: "us-west-2" }, { urn: DR_PROVIDER_URN, name: "dr", provider: null }),
    ];
}

/**
 * The rules of the modules this test file declares with `ruleSuite`. Only those: a rules test
 * then depends on its own module, not the whole pack (so a mutation run, which reruns the tests
 * related to the changed file, reruns one rules test file and not all of them).
 */
const known: PolicyRule[] = [];

/** Makes a module's rules known to `findings` in a test file that declares no `ruleSuite` for it (more cases of rules tested three ways elsewhere). */
export function usesRules(moduleRules: readonly PolicyRule[]): void {
    known.push(...moduleRules);
}

/** The rule of a name, among the modules of this test file's `ruleSuite` (or `usesRules`); fails the test when there is none. */
export function ruleNamed(name: string): PolicyRule {
    const rule = known.find((r) => r.name === name);
    if (!rule) throw new Error(`no rule ${name} in the modules this test file declares with ruleSuite`);
    return rule;
}

/** A rule's findings on a stack, as `<resource name>: <message>`. */
export function findings(rule: string, resources: PolicyResource[], tier: Tier = "production", stack = "test", today?: string): string[] {
    return runRule(ruleNamed(rule), new StackView({ stack, tier, resources, ...(today ? { today } : {}) })).findings.map((f) => `${f.name}: ${f.message}`);
}

/** How many resources a rule judged on a stack. */
export function checked(rule: string, resources: PolicyResource[], tier: Tier = "production"): number {
    return runRule(ruleNamed(rule), new StackView({ stack: "test", tier, resources })).checked;
}

/** The three cases of one rule: each builds a fresh stack. */
export interface ThreeWay {
    compliant: () => PolicyResource[];
    missing: () => PolicyResource[];
    /** What the rule reports when the setting is missing; empty with `safeDefault` when AWS's default complies. */
    missingFindings: string[];
    /** Why an unset value complies (AWS's or Kubernetes' documented default), when it does. */
    safeDefault?: string;
    wrong: () => PolicyResource[];
    wrongFindings: string[];
    tier?: Tier;
    /** For a rule every subject of which violates it: compliance is the subject's absence. */
    compliantWhenAbsent?: boolean;
    /** The day a dated rule judges on (ISO, UTC), so the test does not depend on the calendar. */
    today?: string;
}

/** Declares the three tests of a rule. */
export function threeWay(rule: string, spec: ThreeWay): void {
    const tier = spec.tier ?? "production";
    describe(rule, () => {
        it(spec.compliantWhenAbsent ? "passes a stack without any resource it forbids" : "passes a compliant resource (and judges it)", () => {
            const stack = spec.compliant();
            if (spec.compliantWhenAbsent) expect(stack.length).toBeGreaterThan(0);
            else expect(checked(rule, stack, tier)).toBeGreaterThan(0);
            expect(findings(rule, stack, tier, "test", spec.today)).toEqual([]);
        });
        it(spec.safeDefault ? `passes when the setting is unset: ${spec.safeDefault}` : "fails when the setting is missing", () => {
            const stack = spec.missing();
            expect(checked(rule, stack, tier)).toBeGreaterThan(0);
            if (spec.safeDefault) expect(spec.missingFindings).toEqual([]);
            else expect(spec.missingFindings.length).toBeGreaterThan(0);
            expect(findings(rule, stack, tier, "test", spec.today)).toEqual(spec.missingFindings);
        });
        it("fails when the setting is explicitly wrong", () => {
            expect(spec.wrongFindings.length).toBeGreaterThan(0);
            expect(findings(rule, spec.wrong(), tier, "test", spec.today)).toEqual(spec.wrongFindings);
        });
    });
}

/**
 * The three-way declarer of one rules module: also asserts, as a test, that the file covered
 * exactly the module's rules (a rule added without tests, or a test left for a removed rule, fails).
 */
export function ruleSuite(moduleRules: readonly PolicyRule[]): (rule: string, spec: ThreeWay) => void {
    const tested: string[] = [];
    known.push(...moduleRules);
    it("tests every rule of the module three ways", () => {
        expect(moduleRules.length).toBeGreaterThan(0);
        expect([...tested].sort()).toEqual(moduleRules.map((r) => r.name).sort());
    });
    return (rule, spec) => {
        tested.push(rule);
        threeWay(rule, spec);
    };
}
