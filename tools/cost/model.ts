import type { UsedAssumption } from "./assumptions";
import type { PriceStatus } from "./priceTable";

/**
 * The shapes the cost estimate produces: the JSON `npm run cost -- --json` prints and the pull
 * request comment renders. Extend them, don't break them: `schema` names the version.
 */

/** Whether a line is fixed by the plan's inputs, or depends on a usage assumption. */
export type CostBasis = "fixed" | "usage";

/** One priced item of a resource: quantity × unit price = monthly cost. */
export interface CostLine {
    /** What is charged, e.g. `db.r6g.large Multi-AZ instance hours`. */
    item: string;
    quantity: number;
    /** The unit of `quantity`, which is the price's unit. */
    unit: string;
    unitPriceUsd: number;
    monthlyUsd: number;
    /** The price table entry (tools/cost/prices/prices.json). */
    priceKey: string;
    priceStatus: PriceStatus;
    basis: CostBasis;
    /** The assumptions the quantity rests on, as `key = value unit`. */
    assumptions: string[];
    /** Why the quantity is what it is, when that is not obvious. */
    note?: string;
}

/** `priced`: lines add up to its cost; `free`: no charge for it (see the reason); `unpriced`: not estimated (never counted as zero). */
export type CostStatus = "priced" | "free" | "unpriced";

export interface ResourceCost {
    urn: string;
    type: string;
    name: string;
    /** The top-level component the resource belongs to (null for resources directly under the stack). */
    component: string | null;
    region: string | null;
    status: CostStatus;
    monthlyUsd: number;
    lines: CostLine[];
    /** Why it is free or unpriced. */
    reason?: string;
}

export interface ComponentCost {
    /** The component's URN, or null for resources directly under the stack. */
    urn: string | null;
    type: string;
    name: string;
    monthlyUsd: number;
    resources: number;
    unpriced: number;
}

/** The monthly on-demand cost of one stack's plan. */
export interface CostEstimate {
    schema: "ops-cost/v1";
    stack: string;
    environment: string;
    /** The day the estimate is for (EKS support phases depend on it). */
    asOf: string;
    currency: "USD";
    hoursPerMonth: number;
    /** The newest read date in the price table. */
    pricesReadOn: string;
    totalMonthlyUsd: number;
    /** The part of the total that rests on usage assumptions. */
    usageMonthlyUsd: number;
    components: ComponentCost[];
    resources: ResourceCost[];
    /** Resource types not estimated, with how many and why. */
    unpriced: { type: string; count: number; reason: string }[];
    assumptions: UsedAssumption[];
    /** Prices used that are not confirmed on an AWS page: `key (region)`. */
    unconfirmedPrices: string[];
    warnings: string[];
}

/** Rounds to cents for output (sums are made on unrounded figures). */
export function cents(usd: number): number {
    return Math.round(usd * 100) / 100;
}

/** `$1,234.56`. */
export function formatUsd(usd: number): string {
    const sign = usd < 0 ? "-" : "";
    return `${sign}$${Math.abs(usd).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
