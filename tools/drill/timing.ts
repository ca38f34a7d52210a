import { measuredCreations, type Measured } from "../rto/calibrate";

/**
 * How long each part of a drill took: steps timed by the drill's clock, and the resources the
 * `pulumi up` created, grouped by type from its engine events (`pulumi up --event-log <file>`,
 * read as the RTO calibration reads it: tools/rto/calibrate.ts).
 */

/** The creations of one resource type in one update. */
export interface TypeTotal {
    type: string;
    count: number;
    /** Sum of the creations' durations: what this type cost in resource-seconds (they overlap). */
    totalSeconds: number;
    /** The longest single creation: what this type can add to the critical path. */
    maxSeconds: number;
    /** The resource of that longest creation (its URN's last part, the resource name). */
    slowest: string;
}

/** The name of a resource from its URN (`urn:pulumi:<stack>::<project>::<type chain>::<name>`). */
export function urnName(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i < 0 ? urn : urn.slice(i + 2);
}

/** Per type totals of the creations an event log records, the longest single creation first. */
export function typeTotals(measured: Measured[]): TypeTotal[] {
    const byType = new Map<string, TypeTotal>();
    for (const m of measured) {
        const t = byType.get(m.type) ?? { type: m.type, count: 0, totalSeconds: 0, maxSeconds: -1, slowest: "" };
        t.count += 1;
        t.totalSeconds += m.seconds;
        if (m.seconds > t.maxSeconds) {
            t.maxSeconds = m.seconds;
            t.slowest = urnName(m.urn);
        }
        byType.set(m.type, t);
    }
    return [...byType.values()].sort((a, b) => b.maxSeconds - a.maxSeconds || a.type.localeCompare(b.type));
}

/** Per type totals straight from an event log's text; throws (naming the line) on a line that is not JSON. */
export function typeTotalsFromEventLog(log: string, file: string): TypeTotal[] {
    return typeTotals(measuredCreations(log, file));
}

/** Whole seconds from `from` to `to`. */
export function secondsBetween(from: Date, to: Date): number {
    return Math.round((to.getTime() - from.getTime()) / 1000);
}

/** A duration as the reports print it: `42s`, `3m05s`, `1h02m00s`. */
export function formatSeconds(total: number): string {
    const sign = total < 0 ? "-" : "";
    const s = Math.abs(Math.round(total));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (h > 0) return `${sign}${h}h${String(m).padStart(2, "0")}m${String(sec).padStart(2, "0")}s`;
    if (m > 0) return `${sign}${m}m${String(sec).padStart(2, "0")}s`;
    return `${sign}${sec}s`;
}
