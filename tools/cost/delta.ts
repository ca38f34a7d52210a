import { CostEstimate, cents } from "./model";

/** How one resource's cost changes between two plans. */
export interface ResourceDelta {
    urn: string;
    type: string;
    name: string;
    change: "added" | "removed" | "changed";
    baseMonthlyUsd: number;
    headMonthlyUsd: number;
    deltaMonthlyUsd: number;
    /** Unpriced on either side: the delta leaves it out. */
    unpriced: boolean;
}

/** The cost change of one stack between a base plan and a head plan (a pull request's). */
export interface CostDelta {
    schema: "ops-cost-delta/v1";
    stack: string;
    baseMonthlyUsd: number;
    headMonthlyUsd: number;
    deltaMonthlyUsd: number;
    /** Resources whose cost changed, were added or removed, largest change first. */
    resources: ResourceDelta[];
    /** Unpriced resource types the head adds. */
    newUnpricedTypes: string[];
    assumptionsChanged: string[];
}

/**
 * Compares two estimates of a stack resource by resource (by URN). Unchanged resources are left
 * out; a resource added or removed that costs nothing is listed only when it is unpriced.
 */
export function diffEstimates(base: CostEstimate, head: CostEstimate): CostDelta {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(head.resources.map((r) => [r.urn, r]));
    const out: ResourceDelta[] = [];
    for (const urn of new Set([...before.keys(), ...after.keys()])) {
        const b = before.get(urn);
        const h = after.get(urn);
        const baseUsd = b?.monthlyUsd ?? 0;
        const headUsd = h?.monthlyUsd ?? 0;
        const unpriced = b?.status === "unpriced" || h?.status === "unpriced";
        const change = !b ? "added" : !h ? "removed" : "changed";
        if (change === "changed" && cents(headUsd - baseUsd) === 0 && b!.status === h!.status) continue;
        if (change !== "changed" && headUsd === 0 && baseUsd === 0 && !unpriced) continue;
        const r = (h ?? b)!;
        out.push({ urn, type: r.type, name: r.name, change, baseMonthlyUsd: baseUsd, headMonthlyUsd: headUsd, deltaMonthlyUsd: cents(headUsd - baseUsd), unpriced });
    }
    out.sort((x, y) => Math.abs(y.deltaMonthlyUsd) - Math.abs(x.deltaMonthlyUsd) || x.name.localeCompare(y.name));
    const baseTypes = new Set(base.unpriced.map((u) => u.type));
    const baseAssumed = new Map(base.assumptions.map((a) => [a.key, a.value]));
    return {
        schema: "ops-cost-delta/v1",
        stack: head.stack,
        baseMonthlyUsd: base.totalMonthlyUsd,
        headMonthlyUsd: head.totalMonthlyUsd,
        deltaMonthlyUsd: cents(head.totalMonthlyUsd - base.totalMonthlyUsd),
        resources: out,
        newUnpricedTypes: head.unpriced.map((u) => u.type).filter((t) => !baseTypes.has(t)),
        assumptionsChanged: head.assumptions.filter((a) => baseAssumed.has(a.key) && baseAssumed.get(a.key) !== a.value).map((a) => `${a.key}: ${baseAssumed.get(a.key)} → ${a.value}`),
    };
}
