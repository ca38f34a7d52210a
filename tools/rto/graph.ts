import type { Plan, PlannedResource } from "../plan/record";

/**
 * The creation graph of a plan: for every resource, what it waits for before Pulumi can create it.
 *
 * This follows what the Node.js SDK does before it sends a resource's registration to the engine
 * (`prepareResource` in @pulumi/pulumi runtime/resource.js):
 *
 * - inputs: it serialises the resource's inputs, so it waits for every output they use; a
 *   component among them stands for its children (`getAllTransitivelyReferencedResourceURNs`);
 * - `dependsOn`: it waits for the URN of each, and a component stands for every custom resource
 *   reachable through its component children, not those under a custom resource (pulumi/pulumi#7732,
 *   v3.10.1: "Depending on a component now depends on the transitive closure of its child resources");
 * - parent: it waits for the parent's URN. A custom resource's URN resolves once the engine has
 *   created it; a component's as soon as the component is registered, which waits only for the
 *   component's own parent, `dependsOn` and providers, never for its children (pulumi/pulumi#7833:
 *   "the SDK guarantees the latter happens after the former by waiting on the parent's URN");
 * - provider: it registers the resource's provider first, the one given or the one inherited from
 *   a parent's `providers`; a provider is itself a resource that waits for its own inputs and
 *   `dependsOn` (the Kubernetes provider of a cloud stack waits for the cluster and add-ons).
 *
 * `pulumi up` runs every operation whose waits are over at once (`--parallel` is unbounded by
 * default), so the time an update takes is the longest chain of waits.
 */

/** Why a resource waits for another. */
export type WaitKind = "input" | "dependsOn" | "parent" | "provider" | "follows" | "runtime";

/** One thing a node waits for. */
export interface Wait {
    /** The id of the node waited for. */
    on: string;
    kind: WaitKind;
    /** The reason in words, for the printed path. */
    why: string;
}

/** A node: a resource of the plan, or a runtime event (runtime.ts) that is not a resource. */
export interface GraphNode {
    /** The resource's URN, or `<urn>#<event>` for a runtime event. */
    id: string;
    name: string;
    type: string;
    /** Components and the stack take no time: they only group resources. */
    component: boolean;
    /** The resource, when the node is one. */
    resource?: PlannedResource;
    waits: Wait[];
}

/** The graph, with every node's waits. */
export interface CreationGraph {
    nodes: Map<string, GraphNode>;
}

/** The package a type token belongs to: `aws` for `aws:s3/bucket:Bucket`, `kubernetes` for `pulumi:providers:kubernetes`. */
export function packageOf(type: string): string {
    if (type.startsWith("pulumi:providers:")) return type.slice("pulumi:providers:".length);
    return type.slice(0, type.indexOf(":"));
}

/** Resources by URN, and the children of each. */
class PlanIndex {
    readonly byUrn = new Map<string, PlannedResource>();
    readonly children = new Map<string, PlannedResource[]>();

    constructor(plan: Plan) {
        for (const r of plan.resources) this.byUrn.set(r.urn, r);
        for (const r of plan.resources) {
            if (r.parent === null) continue;
            const list = this.children.get(r.parent) ?? [];
            list.push(r);
            this.children.set(r.parent, list);
        }
    }

    get(urn: string, from: PlannedResource): PlannedResource {
        const r = this.byUrn.get(urn);
        if (!r) throw new Error(`The plan is inconsistent: ${from.name} (${from.type}) refers to ${urn}, which the plan does not hold.`);
        return r;
    }

    /** What waiting for `r` means: itself if custom, else every custom resource reachable through component children. */
    expand(r: PlannedResource, exclude: string): PlannedResource[] {
        if (r.custom) return r.urn === exclude ? [] : [r];
        const out: PlannedResource[] = [];
        const walk = (c: PlannedResource): void => {
            for (const child of this.children.get(c.urn) ?? []) {
                if (child.urn === exclude) continue;
                if (child.custom) out.push(child);
                else walk(child);
            }
        };
        walk(r);
        return out;
    }

    /** The provider a resource is created with: its own, or the nearest ancestor's for its package; undefined for the default provider. */
    providerOf(r: PlannedResource): string | undefined {
        if (r.provider !== null) return r.provider;
        const pkg = packageOf(r.type);
        for (let a = r.parent ? this.byUrn.get(r.parent) : undefined; a; a = a.parent ? this.byUrn.get(a.parent) : undefined) {
            const offered = [...(a.provider !== null ? [a.provider] : []), ...providersOption(a)];
            const match = offered.find((p) => packageOf(this.byUrn.get(p)?.type ?? "") === pkg);
            if (match) return match;
        }
        return undefined;
    }
}

/** The `providers` option a component hands its children (recorded by the plan as URNs). */
function providersOption(r: PlannedResource): string[] {
    const v = r.options["providers"];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** `name (type)`, for messages. */
export function label(r: { name: string; type: string }): string {
    return `${r.name} (${r.type})`;
}

function expandedWaits(index: PlanIndex, r: PlannedResource, urns: string[], kind: "input" | "dependsOn"): Wait[] {
    const waits: Wait[] = [];
    for (const urn of urns) {
        const target = index.get(urn, r);
        const what = kind === "input" ? "uses an output of" : "depends on";
        for (const t of index.expand(target, r.urn)) {
            const why = t === target ? `${what} ${t.name}` : `${what} the component ${target.name}, which stands for its child ${t.name}`;
            waits.push({ on: t.urn, kind, why });
        }
    }
    return waits;
}

function parentWait(index: PlanIndex, r: PlannedResource): Wait[] {
    if (r.parent === null) return [];
    const parent = index.get(r.parent, r);
    const why = parent.custom
        ? `is a child of the custom resource ${parent.name}, whose URN is known once it is created`
        : `is a child of ${parent.name}, registered once what it waits for is done (not its children)`;
    return [{ on: parent.urn, kind: "parent", why }];
}

function providerWaits(index: PlanIndex, r: PlannedResource): Wait[] {
    // A provider resource is configured by the engine itself, with no provider of its own.
    if (r.type.startsWith("pulumi:providers:")) return [];
    if (r.custom) {
        const p = index.providerOf(r);
        if (p === undefined || p === r.urn) return [];
        const how = r.provider !== null ? "is created with the provider" : "inherits from its parents the provider";
        return [{ on: p, kind: "provider", why: `${how} ${index.get(p, r).name}` }];
    }
    // A component registers the providers it is given before it is registered itself.
    const given = [...new Set([...(r.provider !== null ? [r.provider] : []), ...providersOption(r)])];
    return given.map((p) => ({ on: p, kind: "provider", why: `hands its children the provider ${index.get(p, r).name}` }));
}

/** Builds the creation graph of a plan: one node per resource, with its Pulumi waits. */
export function creationGraph(plan: Plan): CreationGraph {
    const index = new PlanIndex(plan);
    const nodes = new Map<string, GraphNode>();
    for (const r of plan.resources) {
        const waits = [
            ...parentWait(index, r),
            ...providerWaits(index, r),
            ...expandedWaits(index, r, r.dependsOn, "dependsOn"),
            ...expandedWaits(index, r, r.dependencies, "input"),
        ];
        nodes.set(r.urn, { id: r.urn, name: r.name, type: r.type, component: !r.custom, resource: r, waits: dedupe(waits) });
    }
    return { nodes };
}

/** One wait per node waited for: the first reason given is kept (parent, provider, dependsOn, input). */
function dedupe(waits: Wait[]): Wait[] {
    const seen = new Set<string>();
    return waits.filter((w) => (seen.has(w.on) ? false : (seen.add(w.on), true)));
}
