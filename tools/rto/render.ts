import type { RtoDelta } from "./delta";
import { DEFAULT_DURATION, DURATIONS, SCALING } from "./durations";
import { PathStep, RtoEstimate, ScenarioEstimate, formatDuration as d } from "./estimate";

/** The estimate as text for a person: totals, verdict, both critical paths, risks, unestimated types. */

function verdict(e: RtoEstimate): string {
    const total = d(e.worst.totalSeconds);
    const fits = e.worst.slackSeconds >= 0;
    const risks = e.deadlineRisks.filter((r) => r.scenario === "worst").length;
    if (e.meetsRto) return `meets the RTO in the worst case (${total} ≤ ${d(e.rtoSeconds)})`;
    const failing = `${risks} resource${risks === 1 ? "" : "s"} would fail the update first (see risks)`;
    if (fits) return `does NOT meet the RTO in the worst case: the path takes ${total} ≤ ${d(e.rtoSeconds)}, but ${failing}`;
    return `does NOT meet the RTO in the worst case (${total} > ${d(e.rtoSeconds)}${risks > 0 ? `; ${failing}` : ""})`;
}

function stepLines(s: PathStep): string[] {
    const times = `${d(s.startSeconds).padStart(9)} ${d(s.finishSeconds).padStart(9)} ${d(s.durationSeconds).padStart(9)}`;
    const what = s.durationKey === "" ? `${s.name}  (${s.type}, a component: no time of its own)` : `${s.name}  ${s.durationKey}`;
    const lines = [`  ${times}  ${what}`];
    const pad = " ".repeat(33);
    if (s.waitsFor) lines.push(`${pad}after ${s.waitsFor.name} (${s.waitsFor.kind}): ${s.waitsFor.why}`);
    if (s.readySeconds > s.startSeconds) lines.push(`${pad}started at ${d(s.startSeconds)}, held until ${d(s.readySeconds)} at runtime`);
    for (const n of s.notes) lines.push(`${pad}${n}`);
    return lines;
}

function pathLines(title: string, sc: ScenarioEstimate): string[] {
    // The stack itself opens every path at 0s: leave it out.
    const steps = sc.path.filter((s) => s.type !== "pulumi:pulumi:Stack");
    return [title, `  ${"start".padStart(9)} ${"finish".padStart(9)} ${"duration".padStart(9)}  resource`, ...steps.flatMap(stepLines)];
}

/** Renders an estimate. */
export function renderEstimate(e: RtoEstimate): string {
    const last = e.worst.path[e.worst.path.length - 1];
    const end = e.until === null || last === undefined ? "the last resource to finish" : `${last.name} (${last.type})`;
    const lines = [
        `RTO estimate of stack ${e.stack}: creating its ${e.resourceCount} resources from nothing, up to ${end}.`,
        `Runbook RTO ${d(e.rtoSeconds)}; the verdict uses the worst case.`,
        "",
        `  ${"".padEnd(8)} ${"typical".padStart(10)} ${"worst".padStart(10)}`,
        `  ${"total".padEnd(8)} ${d(e.typical.totalSeconds).padStart(10)} ${d(e.worst.totalSeconds).padStart(10)}`,
        `  ${"slack".padEnd(8)} ${d(e.typical.slackSeconds).padStart(10)} ${d(e.worst.slackSeconds).padStart(10)}`,
        "",
        `Verdict: ${verdict(e)}.`,
        "",
        ...pathLines("Critical path, worst case:", e.worst),
        "",
        ...pathLines("Critical path, typical case:", e.typical),
    ];
    lines.push("", e.deadlineRisks.length === 0 ? "Risks: none (no resource outlasts its deadline)." : "Risks (the provider fails the update there):");
    for (const r of e.deadlineRisks) lines.push(`  ${r.scenario.padEnd(8)} ${r.message}`);
    if (e.unestimated.length === 0) lines.push("", "Unestimated types: none (every type has an entry in tools/rto/durations.ts).");
    else {
        lines.push("", "Unestimated types (no entry in tools/rto/durations.ts; the default was assumed):");
        for (const u of e.unestimated) lines.push(`  ${u.type} × ${u.count}: ${d(u.typicalSeconds)} typical, ${d(u.worstSeconds)} worst`);
    }
    return lines.join("\n");
}

function signed(seconds: number): string {
    return seconds > 0 ? `+${d(seconds)}` : seconds === 0 ? "±0s" : d(seconds);
}

/** Renders a comparison, short enough for a pull-request comment. */
export function renderDelta(x: RtoDelta): string {
    const meets = (m: boolean): string => (m ? "meets" : "does not meet");
    const lines = [
        `RTO estimate of stack ${x.head.stack}, base → head (runbook RTO ${d(x.rtoSeconds)}, verdict on the worst case):`,
        `  typical  ${d(x.base.typicalSeconds)} → ${d(x.head.typicalSeconds)}  (${signed(x.delta.typicalSeconds)})`,
        `  worst    ${d(x.base.worstSeconds)} → ${d(x.head.worstSeconds)}  (${signed(x.delta.worstSeconds)})`,
        `  verdict  ${meets(x.base.meetsRto)} → ${meets(x.head.meetsRto)} the RTO`,
    ];
    if (x.worstPath.added.length + x.worstPath.removed.length > 0) {
        lines.push("  worst-case path:");
        for (const id of x.worstPath.added) lines.push(`    + ${id}`);
        for (const id of x.worstPath.removed) lines.push(`    - ${id}`);
    }
    for (const r of x.risks.added) lines.push(`  new risk: ${r}`);
    for (const r of x.risks.resolved) lines.push(`  resolved risk: ${r}`);
    return lines.join("\n");
}

/** Markers around the table in docs/rto.md, which `npm run rto -- --table` prints and a test keeps in step. */
export const TABLE_START = "<!-- duration table: npm run rto -- --table -->";
export const TABLE_END = "<!-- end of duration table -->";

/** The duration table as markdown, for docs/rto.md. */
export function renderTable(): string {
    const cell = (text: string): string => text.replace(/\|/g, "\\|");
    const lines = [
        TABLE_START,
        "| key | typical | worst | deadline | added per unit | source |",
        "|---|---|---|---|---|---|",
        ...Object.entries(DURATIONS).map(([key, e]) => {
            const scale = SCALING[key];
            const per = scale ? `${d(scale.typical)} / ${d(scale.worst)} per ${scale.per}` : "";
            return `| \`${key}\` | ${d(e.typical)} | ${d(e.worst)} | ${e.deadline === undefined ? "" : d(e.deadline)} | ${per} | ${cell(e.source)} |`;
        }),
        `| any other type (listed as unestimated) | ${d(DEFAULT_DURATION.typical)} | ${d(DEFAULT_DURATION.worst)} | | | ${cell(DEFAULT_DURATION.source)} |`,
        TABLE_END,
    ];
    return lines.join("\n");
}
