/**
 * Regenerates the price table from AWS Price List bulk offer files you downloaded:
 *
 *   npm run cost:prices -- --from ~/Downloads/offers            # rewrites tools/cost/prices/prices.json
 *   npm run cost:prices -- --from <dir> --out /tmp/prices.json   # or writes elsewhere
 *
 * `<dir>` holds `<service>/current/<region>/index.json` (AmazonEC2/current/us-east-1/index.json...),
 * directly or under offers/v1.0/aws/. Entries whose offer file is absent keep their figure; an offer
 * file that is there but prices an entry zero or several ways stops the refresh (exit 1, nothing
 * written), since the entry's match rule no longer fits AWS's data.
 */
import * as fs from "fs";
import { refreshTable } from "./offers";
import { PRICE_TABLE_FILE, loadPriceTable } from "./priceTable";

const USAGE = "usage: npm run cost:prices -- --from <offers dir> [--table <file>] [--out <file>] [--read-on YYYY-MM-DD]";

async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const opt = (flag: string): string | undefined => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const from = opt("--from");
    const tableFile = opt("--table") ?? PRICE_TABLE_FILE;
    const out = opt("--out") ?? tableFile;
    const readOn = opt("--read-on") ?? new Date().toISOString().slice(0, 10);
    if (!from || !fs.existsSync(from) || !/^\d{4}-\d{2}-\d{2}$/.test(readOn)) {
        process.stderr.write(`${!from ? "--from is required" : !fs.existsSync(from) ? `--from ${from}: no such folder` : `--read-on ${readOn}: expected a day`}\n${USAGE}\n`);
        return 2;
    }
    const result = await refreshTable(loadPriceTable(tableFile), from, readOn);
    const lines = [
        `Updated ${result.updated.length}, unchanged ${result.unchanged.length}, kept ${result.kept.length}:`,
        ...result.updated.map((u) => `  updated   ${u}`),
        ...result.kept.map((k) => `  kept      ${k}`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    if (result.problems.length > 0) {
        process.stderr.write(`Nothing written: ${result.problems.length} entries could not be priced:\n  ${result.problems.join("\n  ")}\n`);
        return 1;
    }
    fs.writeFileSync(out, `${JSON.stringify(result.table, null, 2)}\n`);
    process.stdout.write(`Price table written to ${out}\n`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`The price refresh failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(3);
    },
);
