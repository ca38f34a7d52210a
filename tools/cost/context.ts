import type { Plan, PlannedResource } from "../plan/record";
import type { Assumptions } from "./assumptions";
import type { CostBasis, CostLine } from "./model";
import type { Prices } from "./priceTable";

/** A price the table lacks for a Region: the resource is listed as unpriced, never as free. */
export class MissingPrice extends Error {
    constructor(
        readonly key: string,
        readonly region: string,
    ) {
        super(`no price "${key}" for ${region} in tools/cost/prices/prices.json`);
    }
}

/** The node a workload's pods are scheduled on, for a preview stack's share of its cluster. */
export interface ClusterNode {
    /** The cluster stack. */
    stack: string;
    instanceType: string;
    region: string;
    vcpu: number;
    memoryGiB: number;
    hourlyUsd: number;
    priceKey: string;
}

/** Options of a line: what it rests on. */
export interface LineOptions {
    basis?: CostBasis;
    /** Assumption keys the quantity uses (their values are printed beside the figure). */
    assumptions?: string[];
    note?: string;
}

/** What every pricer reads: the plan, prices, assumptions, the day, and where warnings go. */
export class PricingContext {
    readonly warnings: string[] = [];
    readonly unconfirmed = new Set<string>();
    private readonly byUrn: Map<string, PlannedResource>;
    private readonly byId: Map<string, PlannedResource>;
    /** Counters shared across resources (free dashboards handed out so far). */
    readonly counters = new Map<string, number>();

    constructor(
        readonly plan: Plan,
        readonly prices: Prices,
        readonly assumptions: Assumptions,
        readonly asOf: string,
        readonly clusterNode?: ClusterNode,
    ) {
        this.byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
        this.byId = new Map(plan.resources.filter((r) => r.id).map((r) => [r.id!, r]));
    }

    get hoursPerMonth(): number {
        return this.prices.hoursPerMonth;
    }

    byUrnOf(urn: string | null): PlannedResource | undefined {
        return urn ? this.byUrn.get(urn) : undefined;
    }

    byIdOf(id: unknown): PlannedResource | undefined {
        return typeof id === "string" ? this.byId.get(id) : undefined;
    }

    ofType(type: string): PlannedResource[] {
        return this.plan.resources.filter((r) => r.type === type);
    }

    /** The Region a resource is created in: its own `region` input, its provider's, or the plan's first AWS provider's. */
    regionOf(r: PlannedResource): string | null {
        if (typeof r.inputs["region"] === "string") return r.inputs["region"];
        const provider = this.byUrnOf(r.provider);
        if (provider && typeof provider.inputs["region"] === "string") return provider.inputs["region"];
        const first = this.plan.resources.find((x) => x.type === "pulumi:providers:aws" && typeof x.inputs["region"] === "string");
        return first ? (first.inputs["region"] as string) : null;
    }

    /** `quantity` × the price of `key` in `region`. Throws MissingPrice when the table has no such price. */
    line(item: string, quantity: number, key: string, region: string, opts: LineOptions = {}): CostLine {
        const price = this.prices.find(key, region);
        if (!price) throw new MissingPrice(key, region);
        if (price.status === "unconfirmed") this.unconfirmed.add(`${key} (${price.region})`);
        const assumptions = (opts.assumptions ?? []).map((k) => this.assumptions.describe(k));
        return {
            item,
            quantity,
            unit: price.unit,
            unitPriceUsd: price.usd,
            // Six decimals: floating-point noise off, sub-cent lines (a daily Lambda) kept.
            monthlyUsd: Math.round(quantity * price.usd * 1e6) / 1e6,
            priceKey: key,
            priceStatus: price.status,
            basis: opts.basis ?? (assumptions.length > 0 ? "usage" : "fixed"),
            assumptions,
            ...(opts.note ? { note: opts.note } : {}),
        };
    }

    /** An assumption's value (recorded as used). */
    assume(key: string): number {
        return this.assumptions.get(key);
    }

    warn(message: string): void {
        if (!this.warnings.includes(message)) this.warnings.push(message);
    }
}

/** A number input, or a default when it is absent. */
export function num(value: unknown, fallback: number): number {
    const n = typeof value === "string" ? Number(value) : value;
    return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

/** The Region in an ARN (`arn:aws:rds:us-west-2:...`). */
export function arnRegion(arn: unknown): string | undefined {
    return typeof arn === "string" ? arn.split(":")[3] || undefined : undefined;
}

/** Average days in a month (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;
