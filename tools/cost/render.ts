import type { CostDelta } from "./delta";
import { CostEstimate, formatUsd } from "./model";

const money = (usd: number): string => formatUsd(usd).padStart(11);

/** The estimate as text: components by cost, their priced resources and lines, then what is free, unpriced or assumed. */
export function renderEstimate(e: CostEstimate): string {
    const out = [`Monthly on-demand estimate of stack "${e.stack}" (${e.environment}), as of ${e.asOf}, ${e.hoursPerMonth} hours a month, prices read ${e.pricesReadOn}:`, ""];
    for (const c of e.components.filter((x) => x.monthlyUsd > 0 || x.unpriced > 0)) {
        out.push(`${money(c.monthlyUsd)}  ${c.name} (${c.type})${c.unpriced > 0 ? `  [${c.unpriced} unpriced]` : ""}`);
        for (const r of e.resources.filter((x) => x.component === c.urn && x.status === "priced" && x.monthlyUsd > 0).sort((a, b) => b.monthlyUsd - a.monthlyUsd)) {
            out.push(`${money(r.monthlyUsd)}    ${r.name} (${r.type}${r.region ? `, ${r.region}` : ""})`);
            for (const l of r.lines.filter((x) => x.monthlyUsd !== 0 || x.basis === "usage")) {
                const assumed = l.assumptions.length > 0 ? `  [assumes ${l.assumptions.join("; ")}]` : "";
                const unconfirmed = l.priceStatus === "unconfirmed" ? "  [price unconfirmed]" : "";
                out.push(`${money(l.monthlyUsd)}      ${l.item}: ${+l.quantity.toFixed(4)} ${l.unit} × $${l.unitPriceUsd}${assumed}${unconfirmed}`);
            }
        }
    }
    const free = e.resources.filter((r) => r.status === "free").length;
    const zero = e.resources.filter((r) => r.status === "priced" && r.monthlyUsd === 0).length;
    out.push("", `${money(e.totalMonthlyUsd)}  total, of which ${formatUsd(e.usageMonthlyUsd)} rests on usage assumptions`);
    out.push(`             ${e.resources.length} resources: ${e.resources.length - free - e.unpriced.reduce((s, u) => s + u.count, 0)} priced (${zero} at $0.00), ${free} free`);
    if (e.unpriced.length > 0) {
        out.push("", "Not priced (not counted in the total):");
        for (const u of e.unpriced) out.push(`  ${u.count} × ${u.type}: ${u.reason}`);
    }
    if (e.assumptions.length > 0) {
        out.push("", "Usage assumptions (tools/cost/prices/assumptions.json; override with --assume key=value):");
        for (const a of e.assumptions) out.push(`  ${a.key} = ${a.value} ${a.unit}  (${a.from})`);
    }
    if (e.unconfirmedPrices.length > 0) out.push("", `Prices not confirmed on an AWS page (refresh with npm run cost:prices): ${e.unconfirmedPrices.join(", ")}`);
    if (e.warnings.length > 0) out.push("", "Warnings:", ...e.warnings.map((w) => `  ${w}`));
    return out.join("\n");
}

/** A delta as text: the totals, then each resource that changed. */
export function renderDelta(d: CostDelta): string {
    const sign = d.deltaMonthlyUsd > 0 ? "+" : "";
    const out = [`Cost change of stack "${d.stack}": ${formatUsd(d.baseMonthlyUsd)} → ${formatUsd(d.headMonthlyUsd)} a month (${sign}${formatUsd(d.deltaMonthlyUsd)})`];
    for (const r of d.resources) {
        const s = r.deltaMonthlyUsd > 0 ? "+" : "";
        out.push(`  ${`${s}${formatUsd(r.deltaMonthlyUsd)}`.padStart(12)}  ${r.change.padEnd(7)} ${r.name} (${r.type})${r.unpriced ? "  [unpriced]" : ""}`);
    }
    if (d.newUnpricedTypes.length > 0) out.push(`  new unpriced types: ${d.newUnpricedTypes.join(", ")}`);
    if (d.assumptionsChanged.length > 0) out.push(`  assumptions changed: ${d.assumptionsChanged.join("; ")}`);
    return out.join("\n");
}
