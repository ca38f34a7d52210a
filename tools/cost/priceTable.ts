import * as fs from "fs";
import * as path from "path";

/**
 * The price table (tools/cost/prices/prices.json): on-demand list prices as data, each with the page
 * it comes from, the day it was read and how sure it is. `npm run cost:prices -- --from <dir>`
 * rewrites the figures from AWS Price List offer files; `match` says how an entry is found there.
 */

/** How sure a figure is: read on an AWS page or offer file; corroborated elsewhere; or not confirmed. */
export type PriceStatus = "official" | "secondary" | "unconfirmed";

/** One Region's figure for an entry. */
export interface RegionalPrice {
    usd: number;
    /** ISO day the figure was read. */
    read: string;
    status: PriceStatus;
    /** Where the figure was read or corroborated, when not `source`. */
    via?: string;
    note?: string;
}

/** How `npm run cost:prices` finds an entry in an offer file: exact attribute values, or `/regex/`. */
export interface OfferMatch {
    /** The offer code: the folder under offers/v1.0/aws/ (AmazonEC2, AmazonRDS...). */
    service: string;
    productFamily?: string;
    attributes?: Record<string, string>;
    /** The price dimension whose tier starts here (`"0"`: the first tier), for tiered prices. */
    beginRange?: string;
    /** The table's unit is this many of the offer's units (1000000 for a price per million requests). */
    perUnits?: number;
}

export interface PriceEntry {
    key: string;
    unit: string;
    description: string;
    /** The AWS pricing page of the price. */
    source: string;
    note?: string;
    /** vCPUs and memory of an instance type, for sharing a node's cost among pods. */
    spec?: { vcpu: number; memoryGiB: number };
    /** Absent for a price the offer files don't carry (kept by hand). */
    match?: OfferMatch;
    /** By Region code, or `global` for a global service (Route 53). */
    regions: Record<string, RegionalPrice>;
}

export interface PriceTable {
    schema: "ops-prices/v1";
    currency: "USD";
    /** Hours in a month for hourly prices: AWS's own convention (8,760 / 12). */
    hoursPerMonth: number;
    about: string;
    prices: PriceEntry[];
}

/** Where the committed table lives. */
export const PRICE_TABLE_FILE = path.join(__dirname, "prices", "prices.json");

/** Regions whose prices apply everywhere. */
const GLOBAL = "global";

/** A price looked up for one Region. */
export interface Price extends RegionalPrice {
    key: string;
    unit: string;
    region: string;
    source: string;
}

/** Loads a price table and checks its shape, naming the entry and field that is wrong. */
export function loadPriceTable(file = PRICE_TABLE_FILE): PriceTable {
    const table = JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
    const problems: string[] = [];
    if (table.schema !== "ops-prices/v1") problems.push(`schema is ${JSON.stringify(table.schema)}, expected "ops-prices/v1"`);
    const seen = new Set<string>();
    for (const e of table.prices ?? []) {
        if (seen.has(e.key)) problems.push(`${e.key}: listed twice`);
        seen.add(e.key);
        if (!e.source?.startsWith("https://")) problems.push(`${e.key}: source must be the https URL of its pricing page`);
        for (const [region, p] of Object.entries(e.regions ?? {})) {
            if (!(typeof p.usd === "number" && p.usd >= 0)) problems.push(`${e.key} ${region}: usd must be a number >= 0, got ${JSON.stringify(p.usd)}`);
            if (!/^\d{4}-\d{2}-\d{2}$/.test(p.read ?? "")) problems.push(`${e.key} ${region}: read must be an ISO day, got ${JSON.stringify(p.read)}`);
            if (!["official", "secondary", "unconfirmed"].includes(p.status)) problems.push(`${e.key} ${region}: status ${JSON.stringify(p.status)} is not official, secondary or unconfirmed`);
        }
    }
    if (problems.length > 0) throw new Error(`The price table ${file} is invalid:\n  ${problems.join("\n  ")}`);
    return table;
}

/** Lookups over a price table. */
export class Prices {
    private readonly byKey: Map<string, PriceEntry>;

    constructor(readonly table: PriceTable) {
        this.byKey = new Map(table.prices.map((e) => [e.key, e]));
    }

    get hoursPerMonth(): number {
        return this.table.hoursPerMonth;
    }

    entry(key: string): PriceEntry | undefined {
        return this.byKey.get(key);
    }

    /** The price of `key` in `region` (or its global price); undefined when the table has none. */
    find(key: string, region: string): Price | undefined {
        const e = this.byKey.get(key);
        const p = e?.regions[region] ?? e?.regions[GLOBAL];
        if (!e || !p) return undefined;
        return { ...p, key, unit: e.unit, region: e.regions[region] ? region : GLOBAL, source: e.source };
    }

    /** The newest read date in the table. */
    get readOn(): string {
        return this.table.prices.flatMap((e) => Object.values(e.regions).map((p) => p.read)).sort().at(-1) ?? "";
    }
}
