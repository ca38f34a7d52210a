/**
 * The engine's view of a stack, as @pulumi/policy hands it to a stack validation, turned into the
 * rules' view (policy/rule.ts `PolicyResource`), so the same rules judge it as they judge a plan.
 *
 * The engine wraps each resource's properties in a proxy that throws on a value unknown during
 * `pulumi preview`; the rules instead see `"[unknown]"`, as in the offline plan, and judge only
 * what is known.
 */
import type { PolicyResource as EngineResource, StackValidationArgs } from "@pulumi/policy";
import { PolicyContext, PolicyResource, Tier } from "./rule";
import { stackOfUrn } from "./context";
import { UNKNOWN } from "./values";

/** Whether an error is @pulumi/policy's UnknownValueError (its class is internal to the SDK). */
function isUnknownValueError(e: unknown): boolean {
    return e instanceof Error && e.constructor.name === "UnknownValueError";
}

/** A deep, plain copy of proxied properties, unknowns replaced by `"[unknown]"`. */
export function plainProps(value: unknown, depth = 0): unknown {
    if (value === null || typeof value !== "object" || depth > 64) return value;
    const read = (obj: Record<string | number, unknown>, key: string | number): unknown => {
        try {
            return plainProps(obj[key], depth + 1);
        } catch (e) {
            if (isUnknownValueError(e)) return UNKNOWN;
            throw e;
        }
    };
    // Index by index: Array.prototype.map would read each element itself, outside `read`.
    if (Array.isArray(value)) {
        const list: unknown[] = [];
        for (let i = 0; i < value.length; i++) list.push(read(value as unknown as Record<number, unknown>, i));
        return list;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        const v = read(value as Record<string, unknown>, key);
        if (v !== undefined) out[key] = v;
    }
    return out;
}

/** One engine resource, as the rules see resources. */
export function fromEngine(r: EngineResource): PolicyResource {
    // Resources on a default provider carry it too (named default_<version>): the plan says null.
    const provider = r.provider && !r.provider.name.startsWith("default") ? r.provider.urn : null;
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) propertyDependencies[key] = deps.map((d) => d.urn);
    const inputs = (plainProps(r.props) ?? {}) as Record<string, unknown>;
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        // The state of a bridged provider's resource carries its id among its outputs.
        id: typeof inputs["id"] === "string" && inputs["id"] !== UNKNOWN ? inputs["id"] : undefined,
        custom: r.provider !== undefined || r.type.startsWith("pulumi:providers:"),
        provider,
        protect: r.opts.protect === true,
        inputs,
        dependencies: (r.dependencies ?? []).map((d) => d.urn),
        propertyDependencies,
    };
}

/** The rules' view of the stack the CLI is previewing. */
export function contextFromEngine(args: Pick<StackValidationArgs, "resources">, stack: string | undefined, tier: Tier): PolicyContext {
    const resources = args.resources.map(fromEngine);
    return { stack: stack ?? stackOfUrn(resources[0]?.urn ?? "") ?? "unknown", tier, resources };
}
