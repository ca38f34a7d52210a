/**
 * Which kind of stack is being judged, and the rules' view of its resources, from the offline
 * plan or from what the Pulumi CLI gives a policy pack.
 *
 * The tier decides each rule's enforcement (policy/rule.ts), so it must be the program's own
 * answer: the stack name picks the profile (`dev`, `staging`, `production`, `pr-<N>`), any other
 * stack names its `environment` (settings/load.ts, README "Configuration"). A stack whose kind
 * cannot be told is judged as production, the strictest.
 */
import { PolicyContext, PolicyResource, TIERS, Tier } from "./rule";
import { asObject, parseJson } from "./values";

const ENVIRONMENT_TIERS: Record<string, Tier> = { development: "development", staging: "staging", production: "production" };

/**
 * The tier of a stack, as the program chooses its profile (settings/profiles.ts
 * `profileForStack`, then the `environment` key): the name first, then the named environment,
 * and production when neither says.
 */
export function tierOf(stack: string, environment?: unknown): Tier {
    if (stack === "dev") return "development";
    if (stack === "staging" || stack === "production") return stack;
    if (/^pr-[1-9]\d*$/.test(stack)) return "preview";
    return (typeof environment === "string" && ENVIRONMENT_TIERS[environment]) || "production";
}

/** The `environment` default tag the stack's AWS providers carry, when they agree on one. */
export function providerEnvironment(resources: readonly PolicyResource[]): string | undefined {
    const seen = new Set<string>();
    for (const r of resources.filter((x) => x.type === "pulumi:providers:aws")) {
        const tags = asObject(asObject(parseJson(r.inputs["defaultTags"]))?.["tags"]);
        if (typeof tags?.["environment"] === "string") seen.add(tags["environment"]);
    }
    return seen.size === 1 ? [...seen][0] : undefined;
}

/** The stack name inside a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string | undefined {
    return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

/**
 * What the pack reads of an offline plan (tools/plan/record.ts `Plan`, `npm run plan -- --json`),
 * stated here so the pack, which the CLI type-checks on its own, needs nothing of the plan's code.
 */
export interface PlanLike {
    stack: string;
    outputs?: Record<string, unknown>;
    resources: readonly {
        urn: string;
        type: string;
        name: string;
        id?: string | null;
        custom: boolean;
        provider: string | null;
        protect: boolean;
        inputs: Record<string, unknown>;
        dependencies?: readonly string[];
    }[];
}

/** The policy view of an offline plan. */
export function contextFromPlan(plan: PlanLike): PolicyContext {
    const resources: PolicyResource[] = plan.resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        id: r.id,
        custom: r.custom,
        provider: r.provider,
        protect: r.protect,
        inputs: r.inputs,
        dependencies: r.dependencies,
    }));
    // The program exports the profile it chose; a plan without it is judged from its name and tags.
    const profile = plan.outputs?.["profile"];
    const tier =
        typeof profile === "string" && (TIERS as readonly string[]).includes(profile)
            ? (profile as Tier)
            : tierOf(plan.stack, plan.outputs?.["environment"] ?? providerEnvironment(resources));
    return { stack: plan.stack, tier, resources };
}

/** What the Pulumi CLI tells a policy pack about the stack, through its environment. */
export interface CliStack {
    stack: string | undefined;
    tier: Tier;
    /** Where the tier came from, for the pack's messages. */
    source: string;
}

/**
 * The stack under `pulumi preview --policy-pack policy`. The CLI starts the pack with
 * `PULUMI_STACK`, `PULUMI_PROJECT` and the stack's config as `PULUMI_CONFIG` (JSON, namespaced
 * keys), and passes its own environment on, so `OPS_ENVIRONMENT` reaches the pack as it reaches the
 * program (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go, `constructEnv`). Stack
 * tags are no substitute: self-managed backends give a policy pack none.
 */
export function stackFromCli(env: NodeJS.ProcessEnv): CliStack {
    const stack = env["PULUMI_STACK"] ?? env["PULUMI_NODEJS_STACK"];
    if (!stack) return { stack: undefined, tier: "production", source: "no PULUMI_STACK: judged as production, the strictest" };
    const project = env["PULUMI_PROJECT"] ?? env["PULUMI_NODEJS_PROJECT"] ?? "ops";
    let config: Record<string, unknown> = {};
    try {
        config = asObject(JSON.parse(env["PULUMI_CONFIG"] ?? "{}")) ?? {};
    } catch {
        config = {};
    }
    const environment = env["OPS_ENVIRONMENT"] ?? config[`${project}:environment`];
    const tier = tierOf(stack, environment);
    return { stack, tier, source: `stack "${stack}"${environment !== undefined ? `, environment ${String(environment)}` : ""}` };
}
