import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { onDemandUsd, productMatches } from "../../../tools/cost/offers";
import { PRICE_TABLE_FILE, PriceTable, loadPriceTable } from "../../../tools/cost/priceTable";
import { ROOT } from "../../helpers/stacks";

const run = promisify(execFile);
const OFFERS = path.join(__dirname, "fixtures", "offers");

/** Runs `npm run cost:prices` (the script itself, as npm runs it). */
async function refresh(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await run(process.execPath, ["-r", "./tools/register.js", "tools/cost/refreshPrices.ts", ...args], { cwd: ROOT });
        return { code: 0, stdout, stderr };
    } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
}

describe("matching offer products", () => {
    const match = { service: "AmazonEC2", productFamily: "NAT Gateway", attributes: { usagetype: "/NatGateway-Hours$/" } };

    test("product family, exact and /regex/ attributes, and the Region", () => {
        const p = { sku: "A", productFamily: "NAT Gateway", attributes: { usagetype: "USW2-NatGateway-Hours", regionCode: "us-west-2" } };
        expect(productMatches(p, match, "us-west-2")).toBe(true);
        expect(productMatches(p, match, "us-east-1")).toBe(false);
        expect(productMatches({ ...p, productFamily: "IP Address" }, match, "us-west-2")).toBe(false);
    });

    test("the tier a match names, scaled to the table's unit", () => {
        const terms = { T: { sku: "A", priceDimensions: { a: { beginRange: "0", pricePerUnit: { USD: "0.0000006" } }, b: { beginRange: "1000", pricePerUnit: { USD: "0.0000004" } } } } };
        expect(onDemandUsd(terms, { service: "x", beginRange: "0", perUnits: 1e6 })).toEqual([0.6]);
        expect(onDemandUsd(terms, { service: "x" })).toHaveLength(2);
    });
});

describe("npm run cost:prices", () => {
    let dir: string;
    beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-prices-"))));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test("rewrites the entries the offer files price, marks them official with the file and date, and keeps the rest", async () => {
        const out = path.join(dir, "prices.json");
        const { code, stdout } = await refresh(["--from", OFFERS, "--out", out, "--read-on", "2026-12-02"]);
        expect(code).toBe(0);
        const next = loadPriceTable(out);
        const get = (key: string, region: string) => next.prices.find((p) => p.key === key)!.regions[region]!;
        expect(get("vpc.natGateway", "us-east-1")).toEqual({
            usd: 0.048,
            read: "2026-12-02",
            status: "official",
            via: "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.json (version 20261120000000, published 2026-11-20T00:00:00Z)",
        });
        expect(get("ec2.instance/t3.large", "us-east-1").usd).toBe(0.0835); // the Linux product, not the Windows one
        expect(get("route53.hostedZone", "global").usd).toBe(0.5); // the first tier of two
        expect(get("vpc.natGateway", "us-west-2")).toEqual(loadPriceTable().prices.find((p) => p.key === "vpc.natGateway")!.regions["us-west-2"]);
        expect(stdout).toMatch(/updated {3}vpc\.natGateway us-east-1: 0\.045 → 0\.048/);
        expect(stdout).toMatch(/kept {6}eks\.cluster\.extendedSupport us-east-1: no match rule/);
    });

    test("an entry the offer file prices two ways stops the refresh and writes nothing", async () => {
        const table = JSON.parse(fs.readFileSync(PRICE_TABLE_FILE, "utf8")) as PriceTable;
        delete table.prices.find((p) => p.key === "ec2.instance/t3.large")!.match!.attributes!["operatingSystem"];
        const tableFile = path.join(dir, "stale.json");
        fs.writeFileSync(tableFile, JSON.stringify(table));
        const out = path.join(dir, "never.json");
        const { code, stderr } = await refresh(["--from", OFFERS, "--table", tableFile, "--out", out]);
        expect(code).toBe(1);
        expect(stderr).toMatch(/ec2\.instance\/t3\.large us-east-1: 2 different prices \(0\.0835, 0\.1112\).*fix the entry's match/);
        expect(fs.existsSync(out)).toBe(false);
    });

    test("a missing --from folder is a usage error", async () => {
        const { code, stderr } = await refresh(["--from", path.join(dir, "nowhere")]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/no such folder/);
    });
});

describe("the committed price table", () => {
    test("every entry has a pricing page and, in both Regions the stacks use (or globally), a dated figure", () => {
        const table = loadPriceTable();
        expect(table.prices.length).toBeGreaterThan(40);
        for (const e of table.prices) {
            expect(e.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
            const regions = Object.keys(e.regions).sort();
            expect(regions.join(",")).toMatch(/^(global|us-east-1,us-west-2)$/);
        }
    });

    test("a malformed table is refused, naming the entry and field", () => {
        const bad = path.join(os.tmpdir(), `bad-prices-${process.pid}.json`);
        const table = JSON.parse(fs.readFileSync(PRICE_TABLE_FILE, "utf8")) as PriceTable;
        table.prices[0]!.regions["us-east-1"]!.usd = -1;
        table.prices[1]!.source = "aws.amazon.com";
        fs.writeFileSync(bad, JSON.stringify(table));
        try {
            expect(() => loadPriceTable(bad)).toThrow(/eks\.cluster us-east-1: usd must be a number >= 0, got -1[\s\S]*eks\.cluster\.extendedSupport: source must be the https URL/);
        } finally {
            fs.rmSync(bad);
        }
    });
});
