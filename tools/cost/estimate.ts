import { providerEnvironment } from "../../policy/context";
import type { Plan, PlannedResource } from "../plan/record";
import { Assumptions, AssumptionFile, loadAssumptionFile } from "./assumptions";
import { FREE_TYPES, KUBERNETES_FREE, PRICERS, UNKNOWN_TYPE, UNPRICED_TYPES } from "./catalog";
import { ClusterNode, MissingPrice, PricingContext } from "./context";
import { ComponentCost, CostEstimate, ResourceCost, cents } from "./model";
import { Prices, loadPriceTable } from "./priceTable";
import type { Priced } from "./pricers/types";

/** What an estimate needs beyond the plan. */
export interface EstimateOptions {
    prices?: Prices;
    assumptionFile?: AssumptionFile;
    /** `--assume` overrides. */
    overrides?: Record<string, number>;
    /** ISO day the estimate is for; today by default. */
    asOf?: string;
    /** The node pods of this stack share, when it runs on another stack's cluster (a `pr-<N>` preview). */
    clusterNode?: ClusterNode;
}

/** The environment cost assumptions use: a `pr-<N>` stack is a preview whatever its tags say. */
export function costEnvironment(plan: Plan): string {
    return /^pr-\d+$/.test(plan.stack) ? "preview" : (providerEnvironment(plan.resources) ?? (typeof plan.outputs["environment"] === "string" ? plan.outputs["environment"] : "development"));
}

function priceOne(r: PlannedResource, ctx: PricingContext): Priced {
    const pricer = PRICERS[r.type];
    if (pricer) {
        try {
            return pricer(r, ctx);
        } catch (e) {
            if (e instanceof MissingPrice) return { unpriced: e.message };
            throw e;
        }
    }
    if (FREE_TYPES[r.type]) return { free: FREE_TYPES[r.type]! };
    if (UNPRICED_TYPES[r.type]) return { unpriced: UNPRICED_TYPES[r.type]! };
    if (r.type.startsWith("kubernetes:")) return { free: KUBERNETES_FREE };
    return { unpriced: UNKNOWN_TYPE };
}

/** The top-level component (a child of the stack) a resource sits under. */
function topComponent(r: PlannedResource, byUrn: Map<string, PlannedResource>): PlannedResource | undefined {
    let cur: PlannedResource | undefined = r;
    let top: PlannedResource | undefined;
    while (cur && cur.parent) {
        const parent = byUrn.get(cur.parent);
        if (!parent || parent.type === "pulumi:pulumi:Stack") break;
        top = parent;
        cur = parent;
    }
    return top && !top.custom ? top : undefined;
}

function byComponent(resources: ResourceCost[], byUrn: Map<string, PlannedResource>): ComponentCost[] {
    const groups = new Map<string | null, ComponentCost>();
    for (const r of resources) {
        const c = r.component ? byUrn.get(r.component) : undefined;
        const g = groups.get(r.component) ?? { urn: r.component, type: c?.type ?? "pulumi:pulumi:Stack", name: c?.name ?? "(stack)", monthlyUsd: 0, resources: 0, unpriced: 0 };
        g.monthlyUsd += r.monthlyUsd;
        g.resources += 1;
        if (r.status === "unpriced") g.unpriced += 1;
        groups.set(r.component, g);
    }
    return [...groups.values()].map((g) => ({ ...g, monthlyUsd: cents(g.monthlyUsd) })).sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.name.localeCompare(b.name));
}

/**
 * The monthly on-demand cost of a plan: every custom resource priced, free (with the reason) or
 * unpriced (with the reason, never counted as zero), grouped by top-level component.
 */
export function estimateCost(plan: Plan, opts: EstimateOptions = {}): CostEstimate {
    const prices = opts.prices ?? new Prices(loadPriceTable());
    const environment = costEnvironment(plan);
    const assumptions = new Assumptions(opts.assumptionFile ?? loadAssumptionFile(), environment, opts.overrides);
    const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
    const ctx = new PricingContext(plan, prices, assumptions, asOf, opts.clusterNode);
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const resources: ResourceCost[] = plan.resources
        .filter((r) => r.custom)
        .map((r) => {
            const priced = priceOne(r, ctx);
            const base = { urn: r.urn, type: r.type, name: r.name, component: topComponent(r, byUrn)?.urn ?? null, region: r.type.startsWith("aws:") ? ctx.regionOf(r) : null };
            if ("free" in priced) return { ...base, status: "free" as const, monthlyUsd: 0, lines: [], reason: priced.free };
            if ("unpriced" in priced) return { ...base, status: "unpriced" as const, monthlyUsd: 0, lines: [], reason: priced.unpriced };
            const monthly = priced.lines.reduce((s, l) => s + l.monthlyUsd, 0);
            return { ...base, status: "priced" as const, monthlyUsd: monthly, lines: priced.lines };
        });
    const total = resources.reduce((s, r) => s + r.monthlyUsd, 0);
    const usage = resources.flatMap((r) => r.lines).filter((l) => l.basis === "usage").reduce((s, l) => s + l.monthlyUsd, 0);
    const unpriced = new Map<string, { type: string; count: number; reason: string }>();
    for (const r of resources.filter((x) => x.status === "unpriced")) {
        const u = unpriced.get(r.type) ?? { type: r.type, count: 0, reason: r.reason ?? "" };
        u.count += 1;
        unpriced.set(r.type, u);
    }
    return {
        schema: "ops-cost/v1",
        stack: plan.stack,
        environment,
        asOf,
        currency: "USD",
        hoursPerMonth: prices.hoursPerMonth,
        pricesReadOn: prices.readOn,
        totalMonthlyUsd: cents(total),
        usageMonthlyUsd: cents(usage),
        components: byComponent(resources, byUrn),
        resources: resources.map((r) => ({ ...r, monthlyUsd: cents(r.monthlyUsd) })),
        unpriced: [...unpriced.values()].sort((a, b) => a.type.localeCompare(b.type)),
        assumptions: assumptions.usedList(),
        unconfirmedPrices: [...ctx.unconfirmed].sort(),
        warnings: ctx.warnings,
    };
}
