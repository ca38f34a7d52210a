/**
 * Maintenance and backup windows as RDS and ElastiCache read them (UTC): whether a daily window
 * and a weekly one overlap. Pure, so the data rules and the tests read the same function.
 */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

function minuteOfDay(hhmm: string): number {
    const [h, m] = hhmm.split(":").map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
}

/** Half-open [start, end) intervals on the week's minute line; a window that wraps is split. */
function weekIntervals(start: number, end: number): Array<[number, number]> {
    return end > start ? [[start, end]] : [[start, MINUTES_PER_WEEK], [0, end]];
}

/** A week minute (Monday 00:00 UTC is 0) as `ddd:hh:mm`, the way RDS writes weekly windows. */
export function formatWeekMinute(m: number): string {
    const day = DAYS[Math.floor(m / MINUTES_PER_DAY) % 7];
    const rest = m % MINUTES_PER_DAY;
    return `${day}:${String(Math.floor(rest / 60)).padStart(2, "0")}:${String(rest % 60).padStart(2, "0")}`;
}

/**
 * Where a daily window and a weekly window overlap, as `ddd:hh:mm-ddd:hh:mm`, or undefined.
 * Both are UTC, as RDS reads them. Malformed windows yield undefined (their format error is
 * reported on its own).
 */
export function windowsOverlap(daily: string, weekly: string): string | undefined {
    const d = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(daily);
    const w = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(weekly);
    if (!d || !w) return undefined;
    const wStart = DAYS.indexOf(w[1]!) * MINUTES_PER_DAY + minuteOfDay(w[2]!);
    const wEnd = DAYS.indexOf(w[3]!) * MINUTES_PER_DAY + minuteOfDay(w[4]!);
    const weeklyParts = weekIntervals(wStart, wEnd);
    const shared: Array<[number, number]> = [];
    for (let day = 0; day < 7; day++) {
        const dStart = day * MINUTES_PER_DAY + minuteOfDay(d[1]!);
        let dEnd = day * MINUTES_PER_DAY + minuteOfDay(d[2]!);
        if (dEnd <= dStart) dEnd += MINUTES_PER_DAY; // a daily window across midnight
        for (const [ds, de] of weekIntervals(dStart % MINUTES_PER_WEEK, dEnd % MINUTES_PER_WEEK)) {
            for (const [ws, we] of weeklyParts) {
                const s = Math.max(ds, ws);
                const e = Math.min(de, we);
                if (s < e) shared.push([s, e]);
            }
        }
    }
    if (shared.length === 0) return undefined;
    shared.sort(([a], [b]) => a - b);
    // A stretch across the week's end (Sunday night into Monday) is one stretch, not two.
    const last = shared[shared.length - 1]!;
    const first = shared[0]!;
    const [start, end] = shared.length > 1 && last[1] === MINUTES_PER_WEEK && first[0] === 0 ? [last[0], first[1]] : first;
    return `${formatWeekMinute(start)}-${formatWeekMinute(end)}`;
}

/**
 * A window as half-open intervals of the week's minutes (Monday 00:00 UTC is 0): a daily window
 * once a day, a weekly one once; a window across midnight or the week's end is split. Undefined
 * for a malformed window (its format error is reported on its own).
 */
export function windowIntervals(window: string): Array<[number, number]> | undefined {
    const d = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(window);
    if (d) {
        const out: Array<[number, number]> = [];
        for (let day = 0; day < 7; day++) {
            const start = day * MINUTES_PER_DAY + minuteOfDay(d[1]!);
            let end = day * MINUTES_PER_DAY + minuteOfDay(d[2]!);
            if (end <= start) end += MINUTES_PER_DAY;
            out.push(...weekIntervals(start % MINUTES_PER_WEEK, end % MINUTES_PER_WEEK || MINUTES_PER_WEEK));
        }
        return out;
    }
    const w = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(window);
    if (!w || !DAYS.includes(w[1]!) || !DAYS.includes(w[3]!)) return undefined;
    return weekIntervals(DAYS.indexOf(w[1]!) * MINUTES_PER_DAY + minuteOfDay(w[2]!), DAYS.indexOf(w[3]!) * MINUTES_PER_DAY + minuteOfDay(w[4]!));
}

/** Where a job may start and a window it must keep clear of meet, as week minutes. */
export interface StartClash {
    /** The scheduled start whose start window meets the window. */
    start: number;
    /** The first minute of the meeting. */
    from: number;
    /** The minute after its last. */
    to: number;
}

/**
 * The first scheduled start whose start window `[start, start + startWindowMinutes)` meets one of
 * the intervals widened by `leadMinutes` before it, or undefined when every start is clear.
 * Works on the week's circle: a start window late on Sunday runs into Monday.
 */
export function firstStartClash(startsOfWeek: readonly number[], startWindowMinutes: number, intervals: ReadonlyArray<[number, number]>, leadMinutes: number): StartClash | undefined {
    const forbidden = intervals.flatMap(([s, e]) => weekIntervals(((s - leadMinutes) % MINUTES_PER_WEEK + MINUTES_PER_WEEK) % MINUTES_PER_WEEK, e === MINUTES_PER_WEEK ? e : e % MINUTES_PER_WEEK));
    for (const start of startsOfWeek) {
        const end = start + startWindowMinutes;
        const parts: Array<[number, number]> = end <= MINUTES_PER_WEEK ? [[start, end]] : [[start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]];
        for (const [ps, pe] of parts) {
            for (const [fs, fe] of forbidden) {
                const from = Math.max(ps, fs);
                const to = Math.min(pe, fe);
                if (from < to) return { start, from, to };
            }
        }
    }
    return undefined;
}
