import type { Range } from "./durations";
import type { Wait } from "./graph";

/**
 * The earliest schedule of a graph and its critical path: every node starts as soon as what it
 * waits for has finished (Pulumi runs everything it can at once), so the update takes as long as
 * its longest chain.
 *
 * A node's Pulumi waits set when it starts; its runtime waits (runtime.ts) set when it can make
 * progress; it finishes its own duration after both. The time spent on runtime waits counts
 * against its deadline, as the provider's clock started when Pulumi started the resource.
 */

/** What the scheduler needs of a node. */
export interface ScheduleNode {
    id: string;
    waits: Wait[];
    duration: Range;
    /** The duration when runtime waits end after the node's start (a controller retrying with back-off). */
    afterWait?: Range;
}

export type Scenario = keyof Range;

/** One node's times, in seconds from the start of the update. */
export interface Timing {
    start: number;
    /** When its runtime waits are over (its start when it has none). */
    ready: number;
    finish: number;
    /** Its own duration. */
    duration: number;
    /** True when it used its afterWait duration. */
    afterWait: boolean;
    /** The wait that set `ready`: the node's predecessor on a critical path; undefined when nothing held it. */
    binding?: Wait;
}

/** A cycle in the graph: the update could never finish. */
export class CycleError extends Error {
    constructor(readonly cycle: string[]) {
        super(`The creation graph has a cycle, so \`pulumi up\` would wait forever: ${cycle.join(" → ")}`);
    }
}

/** Nodes in an order where each comes after everything it waits for; throws CycleError when there is none. */
export function topologicalOrder(nodes: ScheduleNode[], nameOf: (id: string) => string = (id) => id): ScheduleNode[] {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const n of nodes) {
        for (const w of n.waits) if (!byId.has(w.on)) throw new Error(`${nameOf(n.id)} waits for ${w.on}, which is not in the graph.`);
    }
    const pending = new Map(nodes.map((n) => [n.id, new Set(n.waits.map((w) => w.on))]));
    const dependents = new Map<string, string[]>();
    for (const n of nodes) for (const w of n.waits) dependents.set(w.on, [...(dependents.get(w.on) ?? []), n.id]);
    const ready = nodes.filter((n) => pending.get(n.id)!.size === 0).map((n) => n.id);
    const order: ScheduleNode[] = [];
    while (ready.length > 0) {
        const id = ready.pop()!;
        order.push(byId.get(id)!);
        for (const d of dependents.get(id) ?? []) {
            const left = pending.get(d)!;
            left.delete(id);
            if (left.size === 0) ready.push(d);
        }
    }
    if (order.length < nodes.length) throw new CycleError(findCycle(nodes.filter((n) => pending.get(n.id)!.size > 0), nameOf));
    return order;
}

/** One cycle among nodes that all still wait: follow waits until a node repeats. */
function findCycle(stuck: ScheduleNode[], nameOf: (id: string) => string): string[] {
    const byId = new Map(stuck.map((n) => [n.id, n]));
    const path: string[] = [];
    const seenAt = new Map<string, number>();
    let id: string | undefined = [...byId.keys()].sort()[0];
    while (id !== undefined && !seenAt.has(id)) {
        seenAt.set(id, path.length);
        path.push(id);
        id = byId.get(id)!.waits.map((w) => w.on).find((on) => byId.has(on));
    }
    const cycle = id === undefined ? path : [...path.slice(seenAt.get(id)), id];
    return cycle.map(nameOf);
}

/** The latest-finishing wait of a set, ties broken by id so the result never depends on order. */
function latest(waits: Wait[], timings: Map<string, Timing>): { wait?: Wait; at: number } {
    let best: { wait?: Wait; at: number } = { at: 0 };
    for (const w of waits) {
        const at = timings.get(w.on)!.finish;
        if (best.wait === undefined || at > best.at || (at === best.at && w.on < best.wait.on)) best = { wait: w, at };
    }
    return best;
}

/** The earliest schedule of every node, for one scenario (typical or worst durations). */
export function schedule(nodes: ScheduleNode[], scenario: Scenario, nameOf?: (id: string) => string): Map<string, Timing> {
    const timings = new Map<string, Timing>();
    for (const n of topologicalOrder(nodes, nameOf)) {
        const pulumi = latest(n.waits.filter((w) => w.kind !== "runtime"), timings);
        const runtime = latest(n.waits.filter((w) => w.kind === "runtime"), timings);
        const start = pulumi.at;
        const heldAtRuntime = runtime.wait !== undefined && runtime.at > start;
        const ready = heldAtRuntime ? runtime.at : start;
        const afterWait = heldAtRuntime && n.afterWait !== undefined;
        const duration = (afterWait ? n.afterWait! : n.duration)[scenario];
        const binding = heldAtRuntime ? runtime.wait : pulumi.wait;
        timings.set(n.id, { start, ready, finish: ready + duration, duration, afterWait, ...(binding ? { binding } : {}) });
    }
    return timings;
}

/** The node that finishes last (ties broken by id), and the chain of binding waits that leads to it, first to last. */
export function criticalPath(timings: Map<string, Timing>, end?: string): string[] {
    let last = end;
    if (last === undefined) {
        for (const [id, t] of timings) {
            const best = last === undefined ? undefined : timings.get(last)!;
            if (best === undefined || t.finish > best.finish || (t.finish === best.finish && id < last!)) last = id;
        }
    }
    const path: string[] = [];
    for (let id = last; id !== undefined; id = timings.get(id)!.binding?.on) path.unshift(id);
    return path;
}
