import type { Plan } from "../tools/plan/record";
import type { PolicyContext, PolicyResource } from "./rules";

/**
 * The environment a stack deploys, as its AWS providers tag it (`environment` default tag), or
 * as its `environment` output says; a stack with neither is treated as development.
 */
export function environmentOf(resources: readonly PolicyResource[], outputs?: Record<string, unknown>): string {
    for (const r of resources.filter((x) => x.type === "pulumi:providers:aws")) {
        const raw = r.inputs["defaultTags"];
        const tags = (typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw) as { tags?: Record<string, unknown> } | undefined;
        if (typeof tags?.tags?.["environment"] === "string") return tags.tags["environment"];
    }
    return typeof outputs?.["environment"] === "string" ? outputs["environment"] : "development";
}

/** The policy view of an offline plan. */
export function contextFromPlan(plan: Plan): PolicyContext {
    const resources: PolicyResource[] = plan.resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        custom: r.custom,
        provider: r.provider,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        inputs: r.inputs,
    }));
    return { environment: environmentOf(resources, plan.outputs), resources };
}
