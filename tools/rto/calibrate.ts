import type { EngineEvent } from "@pulumi/pulumi/automation";
import { DURATIONS } from "./durations";
import { PreparedPlan, RtoInputError, formatDuration as d } from "./estimate";

/**
 * Calibrating the duration table from a real run: `pulumi up --event-log <file>` writes one engine
 * event per line, and a resource's creation runs from its `resourcePreEvent` to its
 * `resOutputsEvent` (timestamps in whole seconds). A DR drill keeps that file; this compares what
 * it measured with the table, per table key, so the figures can be updated (docs/rto.md).
 */

export const CALIBRATION_SCHEMA = "ops.rto-calibration/v1";

/** One resource's measured creation. */
export interface Measured {
    urn: string;
    type: string;
    seconds: number;
}

const CREATE_OPS = new Set(["create", "create-replacement"]);

/**
 * The creations an event log records, in the order they finished. Throws on a line that is not
 * JSON, naming it; ignores events of other kinds and resources that failed.
 */
export function measuredCreations(log: string, file = "the event log"): Measured[] {
    const started = new Map<string, number>();
    const out: Measured[] = [];
    log.split("\n").forEach((line, i) => {
        if (line.trim() === "") return;
        let event: EngineEvent;
        try {
            event = JSON.parse(line) as EngineEvent;
        } catch {
            throw new RtoInputError(`${file}, line ${i + 1}: not JSON. Expected the file \`pulumi up --event-log <file>\` writes, one engine event per line.`);
        }
        const pre = event.resourcePreEvent;
        if (pre && !pre.planning && CREATE_OPS.has(pre.metadata.op)) started.set(pre.metadata.urn, event.timestamp);
        const done = event.resOutputsEvent;
        if (done && !done.planning && CREATE_OPS.has(done.metadata.op)) {
            const start = started.get(done.metadata.urn);
            if (start !== undefined) out.push({ urn: done.metadata.urn, type: done.metadata.type, seconds: event.timestamp - start });
        }
    });
    return out;
}

/** The measurements of one table key next to its figures. */
export interface CalibrationRow {
    key: string;
    count: number;
    minSeconds: number;
    medianSeconds: number;
    maxSeconds: number;
    /** The table's figures; null when the key has no entry. */
    typicalSeconds: number | null;
    worstSeconds: number | null;
    /** True when some of these resources wait at runtime in the plan: the measurement includes that wait. */
    includesRuntimeWaits: boolean;
    /** What to do about the entry. */
    advice: string;
}

function median(sorted: number[]): number {
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function advice(row: Omit<CalibrationRow, "advice">): string {
    if (row.typicalSeconds === null || row.worstSeconds === null) return "no entry: add one with these figures";
    if (row.maxSeconds > row.worstSeconds) return `slower than the worst case: raise worst to at least ${d(row.maxSeconds)}`;
    if (row.medianSeconds > 1.5 * row.typicalSeconds + 5) return `typical is optimistic: consider ${d(row.medianSeconds)}`;
    if (row.medianSeconds < 0.5 * row.typicalSeconds - 5) return `typical is pessimistic: consider ${d(row.medianSeconds)}`;
    return "consistent with the table";
}

/**
 * Groups measurements by the table key the estimate uses for each resource (the plan's variant
 * when a prepared plan is given, else the type) and compares them with the table.
 */
export function calibrate(measured: Measured[], prepared?: PreparedPlan): CalibrationRow[] {
    const groups = new Map<string, { seconds: number[]; runtime: boolean }>();
    for (const m of measured) {
        const key = prepared?.durations.get(m.urn)?.key || m.type;
        const runtime = prepared?.graph.nodes.get(m.urn)?.waits.some((w) => w.kind === "runtime") ?? false;
        const g = groups.get(key) ?? { seconds: [], runtime: false };
        g.seconds.push(m.seconds);
        g.runtime ||= runtime;
        groups.set(key, g);
    }
    return [...groups]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, g]) => {
            const sorted = [...g.seconds].sort((a, b) => a - b);
            const entry = DURATIONS[key];
            const row = {
                key,
                count: sorted.length,
                minSeconds: sorted[0]!,
                medianSeconds: median(sorted),
                maxSeconds: sorted[sorted.length - 1]!,
                typicalSeconds: entry?.typical ?? null,
                worstSeconds: entry?.worst ?? null,
                includesRuntimeWaits: g.runtime,
            };
            return { ...row, advice: advice(row) };
        });
}

/** The comparison as text. */
export function renderCalibration(rows: CalibrationRow[], source: string): string {
    const lines = [`Measured creation times in ${source}, by duration-table key (min / median / max; table typical / worst):`];
    if (rows.length === 0) lines.push("  no creation recorded (was it `pulumi up --event-log <file>` of an update that created resources?)");
    for (const r of rows) {
        const table = r.typicalSeconds === null ? "no entry" : `${d(r.typicalSeconds)} / ${d(r.worstSeconds!)}`;
        const runtime = r.includesRuntimeWaits ? " (includes runtime waits)" : "";
        lines.push(`  ${r.key} × ${r.count}: ${d(r.minSeconds)} / ${d(r.medianSeconds)} / ${d(r.maxSeconds)}; table ${table}${runtime}: ${r.advice}`);
    }
    return lines.join("\n");
}
