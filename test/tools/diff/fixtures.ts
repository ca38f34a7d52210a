import type { Plan, PlannedResource } from "../../../tools/plan/record";

/** Small hand-written plans for the plan diff's tests, in the shape `npm run plan -- --json` writes. */

export const STACK_URN = (stack: string) => `urn:pulumi:${stack}::ops::pulumi:pulumi:Stack::ops-${stack}`;

/** The URN of a resource under `parentChain` (types joined by `$`, empty under the stack). */
export function urn(stack: string, type: string, name: string, parentChain = ""): string {
    return `urn:pulumi:${stack}::ops::${parentChain ? `${parentChain}$` : ""}${type}::${name}`;
}

export interface ResOptions {
    id?: string | null;
    parent?: string;
    parentChain?: string;
    provider?: string | null;
    protect?: boolean;
    retainOnDelete?: boolean;
    options?: Record<string, unknown>;
    custom?: boolean;
}

/** One planned resource. */
export function res(stack: string, type: string, name: string, inputs: Record<string, unknown> = {}, o: ResOptions = {}): PlannedResource {
    const custom = o.custom ?? !type.startsWith("ops:");
    return {
        urn: urn(stack, type, name, o.parentChain),
        type,
        name,
        id: o.id === undefined ? (custom ? `${name}-id` : null) : o.id,
        parent: o.parent ?? STACK_URN(stack),
        custom,
        provider: o.provider ?? null,
        dependsOn: [],
        dependencies: [],
        protect: o.protect ?? false,
        retainOnDelete: o.retainOnDelete ?? false,
        options: o.options ?? {},
        inputs,
    };
}

/** A plan of the given resources (the root stack added first). */
export function plan(stack: string, resources: PlannedResource[]): Plan {
    const root = res(stack, "pulumi:pulumi:Stack", `ops-${stack}`, {}, { custom: false, id: null });
    return { project: "ops", stack, resources: [{ ...root, urn: STACK_URN(stack), parent: null }, ...resources], outputs: {} };
}

/** Plans keyed by stack, as one side of a diff. */
export function side(...plans: Plan[]): Map<string, Plan> {
    return new Map(plans.map((p) => [p.stack, p]));
}
