import * as fs from "fs";
import * as path from "path";
import type { OfferMatch, PriceEntry, PriceTable } from "./priceTable";

/**
 * Reads AWS Price List bulk offer files (the `offers/v1.0/aws/<service>/current/<region>/index.json`
 * format: `products` by SKU with `productFamily` and `attributes`, and `terms.OnDemand` by SKU with
 * `priceDimensions`), streaming, since a Region's EC2 file is larger than a string can hold.
 */

/** Where AWS publishes the offer files (for the `via` of a refreshed price). */
export const OFFER_BASE_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws";

export interface OfferProduct {
    sku: string;
    productFamily?: string;
    attributes?: Record<string, string>;
}

interface PriceDimension {
    unit?: string;
    beginRange?: string;
    endRange?: string;
    pricePerUnit?: Record<string, string>;
}

type OnDemandTerms = Record<string, { sku?: string; priceDimensions?: Record<string, PriceDimension> }>;

/** What an offer file holds of interest: its version and the products (and their on-demand terms) a filter kept. */
export interface Offer {
    version: string;
    publicationDate: string;
    products: OfferProduct[];
    onDemand: Map<string, OnDemandTerms>;
}

function valueMatches(want: string, got: string | undefined): boolean {
    if (got === undefined) return false;
    const re = /^\/(.*)\/([a-z]*)$/.exec(want);
    return re ? new RegExp(re[1]!, re[2]).test(got) : want === got;
}

/** True when a product is the one a table entry's match describes, in a Region (`global`: any). */
export function productMatches(p: OfferProduct, match: OfferMatch, region: string): boolean {
    if (match.productFamily !== undefined && p.productFamily !== match.productFamily) return false;
    const attrs = p.attributes ?? {};
    if (region !== "global" && attrs["regionCode"] !== undefined && attrs["regionCode"] !== region) return false;
    return Object.entries(match.attributes ?? {}).every(([k, v]) => valueMatches(v, attrs[k]));
}

/** The USD price of a product's on-demand terms for a match (its tier when `beginRange` is set), per the table's unit. */
export function onDemandUsd(terms: OnDemandTerms | undefined, match: OfferMatch): number[] {
    const dims = Object.values(terms ?? {}).flatMap((t) => Object.values(t.priceDimensions ?? {}));
    const chosen = match.beginRange !== undefined ? dims.filter((d) => d.beginRange === match.beginRange) : dims;
    return chosen.map((d) => Number(d.pricePerUnit?.["USD"])).filter((n) => Number.isFinite(n)).map((n) => n * (match.perUnits ?? 1));
}

/** Streams an offer file, keeping only the products `keep` accepts and their on-demand terms. */
export async function readOffer(file: string, keep: (p: OfferProduct) => boolean): Promise<Offer> {
    /* eslint-disable @typescript-eslint/no-require-imports -- stream-json is ESM-only: Node loads it with require(esm) */
    const { chain } = require("stream-chain") as typeof import("stream-chain");
    const { parser } = require("stream-json") as typeof import("stream-json/src/index");
    const { pick } = require("stream-json/filters/pick.js") as typeof import("stream-json/src/filters/pick");
    const { streamValues } = require("stream-json/streamers/stream-values.js") as typeof import("stream-json/src/streamers/stream-values");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const offer: Offer = { version: "", publicationDate: "", products: [], onDemand: new Map() };
    const kept = new Set<string>();
    const pipeline = chain([
        fs.createReadStream(file),
        parser(),
        pick({ filter: /^(version|publicationDate|products\.[^.]+|terms\.OnDemand\.[^.]+)$/ }),
        streamValues(),
    ]);
    await new Promise<void>((resolve, reject) => {
        pipeline.on("data", ({ value }: { value: unknown }) => {
            if (typeof value === "string") {
                if (/^\d{4}-\d{2}-\d{2}T/.test(value)) offer.publicationDate = value;
                else offer.version = value;
                return;
            }
            const v = value as OfferProduct & OnDemandTerms;
            if (typeof v.sku === "string" && (v.attributes || v.productFamily)) {
                if (keep(v)) {
                    offer.products.push(v);
                    kept.add(v.sku);
                }
                return;
            }
            const sku = Object.values(v as OnDemandTerms)[0]?.sku;
            if (sku && kept.has(sku)) offer.onDemand.set(sku, v as OnDemandTerms);
        });
        pipeline.on("end", resolve);
        pipeline.on("error", reject);
    });
    return offer;
}

/** The offer file of a service and Region under a download folder, if there: `<service>/current/<region>/index.json` (or `current/index.json` for a global service), under `dir` or `dir/offers/v1.0/aws`. */
export function offerFile(dir: string, service: string, region: string): string | undefined {
    const rel = region === "global" ? path.join(service, "current", "index.json") : path.join(service, "current", region, "index.json");
    return [path.join(dir, rel), path.join(dir, "offers", "v1.0", "aws", rel)].find((f) => fs.existsSync(f));
}

/** What a refresh did. */
export interface RefreshResult {
    table: PriceTable;
    updated: string[];
    unchanged: string[];
    /** Not refreshed, with why (no match rule, or no offer file downloaded). */
    kept: string[];
    /** Offer files that were there but did not price an entry: the table is not written. */
    problems: string[];
}

async function priceOne(entry: PriceEntry, region: string, offer: Offer, file: string): Promise<number | string> {
    const match = entry.match!;
    const products = offer.products.filter((p) => productMatches(p, match, region));
    const usd = [...new Set(products.flatMap((p) => onDemandUsd(offer.onDemand.get(p.sku), match)))];
    if (usd.length === 1) return usd[0]!;
    const skus = products.map((p) => p.sku).join(", ") || "none";
    return `${entry.key} ${region}: ${usd.length === 0 ? "no on-demand price" : `${usd.length} different prices (${usd.join(", ")})`} for ${JSON.stringify(match)} in ${file} (matching SKUs: ${skus}); fix the entry's match`;
}

/** Refreshes every entry that has a match rule from the offer files under `dir`, as read on `readOn`. */
export async function refreshTable(table: PriceTable, dir: string, readOn: string): Promise<RefreshResult> {
    const next: PriceTable = JSON.parse(JSON.stringify(table)) as PriceTable;
    const result: RefreshResult = { table: next, updated: [], unchanged: [], kept: [], problems: [] };
    const wanted = new Map<string, { entry: PriceEntry; region: string }[]>();
    for (const entry of next.prices) {
        for (const region of Object.keys(entry.regions)) {
            if (!entry.match) {
                result.kept.push(`${entry.key} ${region}: no match rule (kept by hand)`);
                continue;
            }
            const file = offerFile(dir, entry.match.service, region);
            if (!file) result.kept.push(`${entry.key} ${region}: no ${entry.match.service} offer file for ${region} under ${dir}`);
            else wanted.set(file, [...(wanted.get(file) ?? []), { entry, region }]);
        }
    }
    for (const [file, items] of wanted) {
        const offer = await readOffer(file, (p) => items.some(({ entry, region }) => productMatches(p, entry.match!, region)));
        for (const { entry, region } of items) {
            const usd = await priceOne(entry, region, offer, file);
            if (typeof usd === "string") {
                result.problems.push(usd);
                continue;
            }
            const before = entry.regions[region]!;
            const rel = region === "global" ? `${entry.match!.service}/current/index.json` : `${entry.match!.service}/current/${region}/index.json`;
            (usd === before.usd ? result.unchanged : result.updated).push(`${entry.key} ${region}: ${before.usd} → ${usd}`);
            entry.regions[region] = { usd, read: readOn, status: "official", via: `${OFFER_BASE_URL}/${rel} (version ${offer.version || "?"}, published ${offer.publicationDate || "?"})` };
        }
    }
    return result;
}
