import { Operation, PlanDiff, ResourceChange, StackDiff, counts, dataLossChanges } from "./diff";
import type { Reports } from "./reports";
import { preview } from "./structural";

/**
 * The plan diff as text (a terminal) and as Markdown (a pull-request comment).
 *
 * The Markdown puts the summary first (data loss, counts per stack, policy, cost and RTO) and the
 * details per stack inside `<details>`; it always fits GitHub's comment limit (65,536 characters):
 * details are cut, with a line saying how many changes were left out, never the summary.
 */

/** GitHub's limit on the body of an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
    baseLabel?: string;
    headLabel?: string;
    /** Defaults to GitHub's comment limit. */
    maxChars?: number;
    /** A first line (an HTML comment) by which a bot finds its own comment to edit. */
    marker?: string;
    /** Where the full diff can be read when details are cut (a workflow run's URL). */
    fullDiffUrl?: string;
}

/** Data-loss lines the summary lists before it says "and N more". */
const SUMMARY_DATA_LOSS_LINES = 20;
/** Changed paths listed per resource before "and N more". */
const PATHS_PER_RESOURCE = 15;

const OPS: Operation[] = ["create", "update", "replace", "delete"];
const VERB: Record<Operation, string> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete" };

function stackSummary(d: StackDiff): string {
    if (d.status === "removed") return "no longer planned";
    const c = counts(d);
    const parts = OPS.filter((op) => c[op] > 0).map((op) => `${c[op]} ${VERB[op]}`);
    if (c.protection > 0) parts.push(`${c.protection} protection change(s)`);
    return parts.length === 0 ? "no changes" : parts.join(", ");
}

function code(s: string): string {
    return `\`${s.replace(/`/g, "'")}\``;
}

function changeHeadline(c: ResourceChange, md: boolean): string {
    const name = md ? `${code(c.type)} **${c.name}**` : `${c.type} ${c.name}`;
    const rename = c.renamedFrom ? ` (renamed from ${md ? code(c.renamedFrom) : c.renamedFrom} by alias)` : "";
    const loss = c.dataLoss ? (md ? ` — **DATA LOSS**: ${c.dataLoss}` : ` — DATA LOSS: ${c.dataLoss}`) : "";
    const why = c.op === "replace" && c.replacedBy.length > 0 ? ` — replaced by ${c.replacedBy.map((r) => `${md ? code(r.path) : r.path} (${r.reason})`).join("; ")}` : "";
    return `${c.op} ${name}${rename}${why}${loss}`;
}

function changeLines(c: ResourceChange, md: boolean): string[] {
    const lines = [md ? `- ${changeHeadline(c, md)}` : `  ${changeHeadline(c, md)}`];
    const shown = c.changes.slice(0, PATHS_PER_RESOURCE);
    for (const p of shown) {
        const path = md ? code(p.path) : p.path;
        const text = p.kind === "added" ? `added ${preview(p.after)}` : p.kind === "removed" ? `removed (was ${preview(p.before)})` : `${preview(p.before)} → ${preview(p.after)}`;
        lines.push(md ? `  - ${path}: ${md ? code(text) : text}` : `      ${path}: ${text}`);
    }
    if (c.changes.length > shown.length) lines.push(`${md ? "  - " : "      "}…and ${c.changes.length - shown.length} more changed path(s)`);
    return lines;
}

function money(n: number, currency: string): string {
    const s = Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return `${n < 0 ? "-" : ""}${currency === "USD" ? "$" : `${currency} `}${s}`;
}

function delta(before: number | undefined, after: number | undefined, fmt: (n: number) => string): string {
    if (before === undefined || after === undefined) return "";
    const d = after - before;
    if (d === 0) return "no change";
    const pct = before !== 0 ? ` (${d > 0 ? "+" : ""}${((d / before) * 100).toFixed(1)}%)` : "";
    return `${d > 0 ? "+" : "-"}${fmt(Math.abs(d))}${pct}`;
}

function reportSections(reports: Reports | undefined): string[] {
    const out: string[] = [];
    if (!reports) return out;
    if (reports.policy) {
        const { base, head } = reports.policy;
        const stacks = [...new Set([...(base?.keys() ?? []), ...(head?.keys() ?? [])])].sort();
        out.push("### Policy", "", "| stack | mandatory | advisory |", "|---|---:|---:|");
        for (const s of stacks) {
            const b = base?.get(s);
            const h = head?.get(s);
            const cell = (k: "mandatory" | "advisory") => `${h ? h[k].length : "—"}${b ? ` (base ${b[k].length})` : ""}${k === "mandatory" && h && h.mandatory.length > 0 ? " ❌" : ""}`;
            out.push(`| ${s} | ${cell("mandatory")} | ${cell("advisory")} |`);
        }
        const failing = stacks.flatMap((s) => (head?.get(s)?.mandatory ?? []).map((v) => `- ${s}: ${code(v.rule)} ${v.message}`));
        if (failing.length > 0) out.push("", ...failing.slice(0, 10), ...(failing.length > 10 ? [`- …and ${failing.length - 10} more`] : []));
        out.push("");
    }
    if (reports.cost) {
        const { base, head } = reports.cost;
        const stacks = [...new Set([...(base?.keys() ?? []), ...(head?.keys() ?? [])])].sort();
        out.push("### Cost (monthly estimate)", "", "| stack | base | head | change |", "|---|---:|---:|---:|");
        for (const s of stacks) {
            const b = base?.get(s);
            const h = head?.get(s);
            const cur = h?.currency ?? b?.currency ?? "USD";
            const f = (n: number) => money(n, cur);
            out.push(`| ${s} | ${b ? f(b.monthlyTotal) : "—"} | ${h ? f(h.monthlyTotal) : "—"} | ${delta(b?.monthlyTotal, h?.monthlyTotal, f)} |`);
        }
        out.push("");
    }
    if (reports.rto) {
        const { base, head } = reports.rto;
        const stacks = [...new Set([...(base?.keys() ?? []), ...(head?.keys() ?? [])])].sort();
        out.push("### Rebuild time (RTO estimate)", "", "| stack | base | head | change | objective |", "|---|---:|---:|---:|---:|");
        const f = (n: number) => `${Math.round(n)} min`;
        for (const s of stacks) {
            const b = base?.get(s);
            const h = head?.get(s);
            const objective = h?.objectiveMinutes ?? b?.objectiveMinutes;
            const over = h && objective !== undefined && h.estimateMinutes > objective ? " ❌ over the objective" : "";
            out.push(`| ${s} | ${b ? f(b.estimateMinutes) : "—"} | ${h ? f(h.estimateMinutes) : "—"} | ${delta(b?.estimateMinutes, h?.estimateMinutes, f)} | ${objective !== undefined ? f(objective) : "—"}${over} |`);
        }
        out.push("");
    }
    return out;
}

/** The summary part of the Markdown: never cut. */
function markdownSummary(diff: PlanDiff, reports: Reports | undefined, opts: MarkdownOptions): string[] {
    const lines: string[] = [];
    if (opts.marker) lines.push(opts.marker);
    lines.push("## Offline plan diff", "");
    if (opts.baseLabel || opts.headLabel) lines.push(`${code(opts.baseLabel ?? "base")} → ${code(opts.headLabel ?? "head")}`, "");
    const losses = dataLossChanges(diff);
    if (losses.length > 0) {
        lines.push("> [!CAUTION]", `> **Data loss: ${losses.length} change(s) replace or delete a protected or stateful resource.** Review each one; restore from a backup or rename with \`aliases\` if that is not the intent.`);
        for (const { stack, change } of losses.slice(0, SUMMARY_DATA_LOSS_LINES)) lines.push(`> - ${stack}: ${change.op} ${code(change.type)} **${change.name}**: ${change.dataLoss}`);
        if (losses.length > SUMMARY_DATA_LOSS_LINES) lines.push(`> - …and ${losses.length - SUMMARY_DATA_LOSS_LINES} more (see the details)`);
        lines.push("");
    }
    const warnings = diff.stacks.flatMap((s) => s.protection.filter((p) => p.warning).map((p) => `- ${s.stack}: ${code(p.type)} **${p.name}** ${p.warning}`));
    if (warnings.length > 0) lines.push("> [!WARNING]", ...warnings.slice(0, SUMMARY_DATA_LOSS_LINES).map((w) => `> ${w}`), "");
    lines.push("| stack | create | update | replace | delete | protection | data loss |", "|---|---:|---:|---:|---:|---:|---:|");
    for (const s of diff.stacks) {
        const c = counts(s);
        const status = s.status === "added" ? " (new)" : s.status === "removed" ? " (no longer planned)" : "";
        lines.push(`| ${s.stack}${status} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${c.protection} | ${c.dataLoss > 0 ? `**${c.dataLoss}**` : "0"} |`);
    }
    if (diff.stacks.every((s) => s.status === "unchanged")) lines.push("", "No resource changes in any stack.");
    lines.push("");
    lines.push(...reportSections(reports));
    return lines;
}

function detailsOf(s: StackDiff, md: boolean): { header: string[]; body: string[][]; footer: string[] } {
    const header = md ? [`<details><summary><b>${s.stack}</b>: ${stackSummary(s)}</summary>`, ""] : [`${s.stack}: ${stackSummary(s)}`];
    const body: string[][] = [];
    for (const n of s.notes) body.push([md ? `> ${n}` : `  note: ${n}`, ...(md ? [""] : [])]);
    for (const r of s.renames) body.push([md ? `- rename by alias: ${code(r.from)} → ${code(r.to)}` : `  rename by alias: ${r.from} -> ${r.to}`]);
    for (const p of s.protection) {
        const line = `${p.option} ${p.before} → ${p.after} on ${md ? code(p.type) : p.type} ${md ? `**${p.name}**` : p.name}${p.warning ? `: ${p.warning}` : ""}`;
        body.push([md ? `- ${line}` : `  ${line}`]);
    }
    for (const c of s.changes) body.push(changeLines(c, md));
    const footer = md ? ["", "</details>", ""] : [""];
    return { header, body, footer };
}

/** The diff as a pull-request comment body, at most `maxChars` characters. */
export function renderMarkdown(diff: PlanDiff, reports?: Reports, opts: MarkdownOptions = {}): string {
    const limit = opts.maxChars ?? GITHUB_COMMENT_LIMIT;
    const summary = markdownSummary(diff, reports, opts).join("\n");
    const changed = diff.stacks.filter((s) => s.status !== "unchanged");
    if (changed.length === 0) return summary.length <= limit ? summary : summary.slice(0, limit);
    const cutNote = (n: number) =>
        `\n> ${n} change(s) are not shown: the comment would exceed GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character limit.${
            opts.fullDiffUrl ? ` The full diff: ${opts.fullDiffUrl}` : " Run `npm run plan:diff` on the two plans for the full diff."
        }\n`;
    // Room kept for the cut note and the closing tags of a cut section.
    const reserve = cutNote(999_999).length + 40;
    let out = `${summary}\n### Details\n\n`;
    let omitted = 0;
    for (const s of changed) {
        const { header, body, footer } = detailsOf(s, true);
        const head = `${header.join("\n")}\n`;
        const foot = `${footer.join("\n")}\n`;
        if (omitted > 0 || out.length + head.length + foot.length + reserve > limit) {
            omitted += body.length;
            continue;
        }
        let section = head;
        for (let i = 0; i < body.length; i++) {
            const block = `${body[i]!.join("\n")}\n`;
            if (out.length + section.length + block.length + foot.length + reserve > limit) {
                omitted += body.length - i;
                break;
            }
            section += block;
        }
        out += section + foot;
    }
    if (omitted > 0) out += cutNote(omitted);
    return out.length <= limit ? out : `${summary.slice(0, limit - reserve)}${cutNote(omitted)}`;
}

/** The diff for a terminal. */
export function renderText(diff: PlanDiff): string {
    const lines: string[] = [];
    const losses = dataLossChanges(diff);
    for (const s of diff.stacks) {
        const { header, body, footer } = detailsOf(s, false);
        lines.push(...header, ...body.flat(), ...footer);
    }
    if (losses.length > 0) {
        lines.push(`DATA LOSS: ${losses.length} change(s) replace or delete a protected or stateful resource:`);
        for (const { stack, change } of losses) lines.push(`  ${stack}: ${change.op} ${change.type} ${change.name}: ${change.dataLoss}`);
    } else {
        lines.push("No data loss.");
    }
    return lines.join("\n");
}
