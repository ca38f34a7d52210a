/**
 * What a policy rule is: a pure check of one resource in the context of its stack, the standard
 * controls it implements, and how strictly each kind of stack must meet it.
 *
 * The same rule objects run in the test suite, in `npm run policy` (offline, on a plan) and in
 * `pulumi preview --policy-pack policy` (policy/index.ts, on the engine's view of the stack).
 */

/**
 * The kinds of stack the program builds (settings/profiles.ts `ProfileName`): a `pr-<N>`
 * stack is a `preview`, although its resources carry the staging environment tag.
 */
export const TIERS = ["production", "staging", "preview", "development"] as const;
export type Tier = (typeof TIERS)[number];

/** The environment (default tag, runbook 1.1) each tier's resources belong to. */
export const TIER_ENVIRONMENT: Record<Tier, "production" | "staging" | "development"> = {
    production: "production",
    staging: "staging",
    preview: "staging",
    development: "development",
};

/** A mandatory violation fails the check (and `pulumi preview`); an advisory one is printed. */
export type Level = "mandatory" | "advisory";

/** How strictly each tier must meet a rule, and why it is relaxed wherever it is advisory. */
export interface Enforcement {
    readonly levels: Readonly<Record<Tier, Level>>;
    /** Required when any tier is advisory: why the rule does not bind there. */
    readonly relaxed?: string;
}

/** Mandatory in every kind of stack. */
export const EVERYWHERE: Enforcement = { levels: { production: "mandatory", staging: "mandatory", preview: "mandatory", development: "mandatory" } };

/** Mandatory in production, staging and previews; advisory on development stacks, for the reason given. */
export function exceptDevelopment(relaxed: string): Enforcement {
    return { levels: { production: "mandatory", staging: "mandatory", preview: "mandatory", development: "advisory" }, relaxed };
}

/** Mandatory in production and staging; advisory in previews and on development stacks, for the reason given. */
export function sharedEnvironments(relaxed: string): Enforcement {
    return { levels: { production: "mandatory", staging: "mandatory", preview: "advisory", development: "advisory" }, relaxed };
}

/**
 * Advisory everywhere: a notice of a dated deadline (an EKS version nearing its end of standard
 * support), not a defect of the stack. Failing previews on a calendar date would block the very
 * change that meets the deadline. The only rules not mandatory in production.
 */
export const NOTICE: Enforcement = {
    levels: { production: "advisory", staging: "advisory", preview: "advisory", development: "advisory" },
    relaxed: "a dated deadline to plan for, not a defect of the stack: failing previews on a calendar date would block the change that meets it",
};

/** Mandatory in production only; advisory elsewhere, for the reason given. */
export function productionOnly(relaxed: string): Enforcement {
    return { levels: { production: "mandatory", staging: "advisory", preview: "advisory", development: "advisory" }, relaxed };
}

/** The standards a rule can cite. */
export type Framework =
    /** AWS Security Hub control, part of AWS Foundational Security Best Practices. */
    | "Security Hub FSBP"
    /** AWS Security Hub control outside FSBP (NIST SP 800-53 Rev. 5 standard). */
    | "Security Hub NIST 800-53"
    /** CIS AWS Foundations Benchmark v1.4.0, as Security Hub maps it. */
    | "CIS AWS Foundations 1.4.0"
    /** cdk-nag AwsSolutions pack (RULES.md). */
    | "cdk-nag AwsSolutions"
    /** cdk-nag NIST 800-53 R5 pack, each rule an AWS Config managed rule. */
    | "cdk-nag NIST 800-53 R5"
    /** An AWS Config managed rule (its identifier). */
    | "AWS Config"
    /** AWS Security Hub control whose standards this project has not pinned (its id is verified). */
    | "Security Hub"
    /** Kubernetes Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards). */
    | "Pod Security Standards"
    /** CIS Amazon EKS Benchmark (workload policies, section 4). */
    | "CIS Amazon EKS Benchmark"
    /** Kubernetes documentation (configuration, probes, disruptions). */
    | "Kubernetes"
    /** The operations runbook (spec/operations.md), by section. */
    | "Runbook"
    /** A constraint or decision of this project's architecture (ARCHITECTURE.md, README). */
    | "Project";

/** One control a rule implements. */
export interface Control {
    readonly framework: Framework;
    /** The control's id in its framework (`RDS.3`, `AwsSolutions-SNS3`, `3.9`, `restricted: Seccomp`). */
    readonly id: string;
}

/** The services rules are grouped by (docs/policy.md, `npm run policy`). */
export const SERVICES = [
    "General",
    "RDS",
    "ElastiCache",
    "S3",
    "KMS",
    "Secrets Manager",
    "EKS",
    "ELB",
    "WAF",
    "ACM",
    "Lambda",
    "SNS",
    "CloudWatch",
    "AWS Backup",
    "IAM",
    "VPC",
    "ECR",
    "AppConfig",
    "Kubernetes",
] as const;
export type Service = (typeof SERVICES)[number];

/** What a rule sees of one resource: the plan's shape, or the engine's adapted to it. */
export interface PolicyResource {
    urn: string;
    type: string;
    name: string;
    /** The physical id the plan's mocks gave it; absent under the CLI. */
    id?: string | null;
    custom: boolean;
    /** Provider URN, or null for the default provider. */
    provider: string | null;
    protect: boolean;
    /** Inputs as the plan records them (secrets `"[secret]"`, unknowns `"[unknown]"`). */
    inputs: Record<string, unknown>;
    /** URNs of the resources whose outputs flow into the inputs. */
    dependencies?: readonly string[];
    /** The same, per input (the engine knows it; the offline plan does not). */
    propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** The stack a rule judges. */
export interface PolicyContext {
    /** The stack name (`production`, `pr-42`). */
    stack: string;
    tier: Tier;
    resources: readonly PolicyResource[];
    /**
     * The day (ISO, UTC) rules judge dated facts on, such as the EKS support calendar.
     * @default the current UTC day
     */
    today?: string;
}

/** A rule: what it requires, why, which controls, how strictly, and the check itself. */
export interface PolicyRule {
    /** Stable, kebab-case; waivers and CI name rules by it. */
    readonly name: string;
    readonly service: Service;
    /** What must hold, in one sentence. */
    readonly description: string;
    /** Why: the risk it prevents, or the runbook requirement it keeps. */
    readonly rationale: string;
    readonly controls: readonly Control[];
    readonly enforcement: Enforcement;
    /** The resource types the rule judges; a stack with none of them is not applicable. */
    readonly types: readonly string[];
    /** The problems of one resource of `types` (empty when it complies). Never echoes a secret. */
    check(resource: PolicyResource, stack: StackView): string[];
}

/** A rule's finding on one resource. */
export interface Violation {
    rule: string;
    urn: string;
    type: string;
    name: string;
    message: string;
}

/** Queries over the stack, for rules that look at related resources. */
export class StackView {
    private readonly byType = new Map<string, PolicyResource[]>();

    constructor(readonly ctx: PolicyContext) {
        for (const r of ctx.resources) {
            const list = this.byType.get(r.type) ?? [];
            list.push(r);
            this.byType.set(r.type, list);
        }
    }

    get tier(): Tier {
        return this.ctx.tier;
    }

    /** The environment the stack's resources belong to (`production`, `staging`, `development`). */
    get environment(): "production" | "staging" | "development" {
        return TIER_ENVIRONMENT[this.ctx.tier];
    }

    get resources(): readonly PolicyResource[] {
        return this.ctx.resources;
    }

    /** The day dated rules judge on: the context's, else today (UTC). */
    get today(): string {
        return this.ctx.today ?? new Date().toISOString().slice(0, 10);
    }

    /** Resources of any of the given types, in plan order. */
    ofType(...types: readonly string[]): PolicyResource[] {
        if (types.length === 1) return this.byType.get(types[0]!) ?? [];
        const wanted = new Set(types);
        return this.ctx.resources.filter((r) => wanted.has(r.type));
    }
}

/** The rule's level in a tier. */
export function levelIn(rule: Pick<PolicyRule, "enforcement">, tier: Tier): Level {
    return rule.enforcement.levels[tier];
}

/** Whether a rule judges a resource type (`aws:*` in `types` matches every AWS type). */
export function appliesTo(rule: Pick<PolicyRule, "types">, type: string): boolean {
    return rule.types.some((t) => (t.endsWith("*") ? type.startsWith(t.slice(0, -1)) : t === type));
}
