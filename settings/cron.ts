/**
 * AWS's six-field cron expressions (`cron(minutes hours day-of-month month day-of-week year)`, UTC),
 * as AWS Backup and EventBridge read them: whether one is well formed, and the minutes of the week
 * at which it fires. Pure, so the settings rules and their tests read the same function.
 *
 * Source: Amazon EventBridge User Guide, "Cron expressions" (the syntax AWS Backup's
 * `ScheduleExpression` takes): minutes 0-59, hours 0-23, day-of-month 1-31 (`? L W` too), month
 * 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT with 1 = SUN (`? L #` too), year 1970-2199; `,` lists,
 * `-` ranges, `/` increments, `*` every value; one of day-of-month and day-of-week must be `?`.
 */

/** Minutes in a week; week minute 0 is Monday 00:00 UTC, as in `windows.ts`. */
export const MINUTES_PER_WEEK = 7 * 24 * 60;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/** Cron's day-of-week names in cron's order: 1 = SUN. */
const CRON_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
    name: string;
    min: number;
    max: number;
    names?: string[];
}

const FIELDS: Record<"minutes" | "hours" | "dayOfMonth" | "month" | "dayOfWeek" | "year", FieldSpec> = {
    minutes: { name: "minutes", min: 0, max: 59 },
    hours: { name: "hours", min: 0, max: 23 },
    dayOfMonth: { name: "day-of-month", min: 1, max: 31 },
    month: { name: "month", min: 1, max: 12, names: MONTHS },
    dayOfWeek: { name: "day-of-week", min: 1, max: 7, names: CRON_DAYS },
    year: { name: "year", min: 1970, max: 2199 },
};

function valueOf(text: string, spec: FieldSpec): number | undefined {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (named >= 0) return named + spec.min;
    if (!/^\d+$/.test(text)) return undefined;
    const n = Number(text);
    return n >= spec.min && n <= spec.max ? n : undefined;
}

/** The values one part of a list stands for (`5`, `1-5`, `*`, `*\/15`, `10/5`, `1-30/2`), or an error. */
function partValues(part: string, spec: FieldSpec): number[] | string {
    const [range = "", stepText, extra] = part.split("/");
    if (extra !== undefined) return `"${part}" has more than one /`;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return `"${part}" has an increment that is not a positive whole number`;
    let from: number | undefined;
    let to: number | undefined;
    if (range === "*") [from, to] = [spec.min, spec.max];
    else if (range.includes("-")) [from, to] = range.split("-", 2).map((x) => valueOf(x, spec));
    else {
        from = valueOf(range, spec);
        to = stepText === undefined ? from : spec.max;
    }
    if (from === undefined || to === undefined) return `"${part}" is not a value from ${spec.min} to ${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ""}`;
    if (to < from) return `"${part}" runs backwards`;
    const out: number[] = [];
    for (let v = from; v <= to; v += step) out.push(v);
    return out;
}

/** A field's values, `"any"` for `*` and `?`, or an error naming the field. */
type Field = Set<number> | "any" | { error: string };

function fieldValues(text: string, spec: FieldSpec): Field {
    if (text === "*" || text === "?") return text === "?" && spec !== FIELDS.dayOfMonth && spec !== FIELDS.dayOfWeek ? { error: `${spec.name} cannot be ?` } : "any";
    const values = new Set<number>();
    for (let part of text.split(",")) {
        // `6L` (the last Friday) and `3#2` (the second Tuesday) fall on one weekday; `L`, `15W` and
        // `LW` on some day of the month: for the week's view they name that weekday, or any day.
        if (spec === FIELDS.dayOfWeek) part = part.replace(/L$|#[1-5]$/, "");
        if (spec === FIELDS.dayOfMonth && /^(L|LW|([1-9]|[12]\d|3[01])W)$/.test(part)) return "any";
        const got = partValues(part, spec);
        if (typeof got === "string") return { error: `${spec.name} ${got}` };
        got.forEach((v) => values.add(v));
    }
    return values;
}

/** A parsed cron expression: the minutes of the week (Monday 00:00 = 0) at which it may fire. */
export interface CronSchedule {
    /** Ascending week minutes. A schedule limited to days of the month may fire on any weekday. */
    startsOfWeek: number[];
}

/**
 * Reads an AWS cron expression, or says what is wrong with it. Months, years and days of the
 * month narrow which weeks it fires in, not when in a week, so a schedule restricted by them is
 * taken to fire on every weekday: a check of its start times against weekly windows is then
 * conservative.
 */
export function parseAwsCron(expression: string): CronSchedule | { error: string } {
    const m = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
    if (!m) return { error: "an AWS cron expression has six fields in cron(...), such as cron(0 5 * * ? *)" };
    const [minutesText, hoursText, domText, monthText, dowText, yearText] = m.slice(1) as [string, string, string, string, string, string];
    const fields = {
        minutes: fieldValues(minutesText, FIELDS.minutes),
        hours: fieldValues(hoursText, FIELDS.hours),
        dayOfMonth: fieldValues(domText, FIELDS.dayOfMonth),
        month: fieldValues(monthText, FIELDS.month),
        dayOfWeek: fieldValues(dowText, FIELDS.dayOfWeek),
        year: fieldValues(yearText, FIELDS.year),
    };
    const error = Object.values(fields).find((f): f is { error: string } => typeof f === "object" && "error" in f);
    if (error) return error;
    if ((domText === "?") === (dowText === "?")) return { error: "exactly one of day-of-month and day-of-week must be ? (AWS refuses both or neither)" };
    const all = (spec: FieldSpec): number[] => Array.from({ length: spec.max - spec.min + 1 }, (_, i) => spec.min + i);
    const pick = (f: Field, spec: FieldSpec): number[] => (f instanceof Set ? [...f].sort((a, b) => a - b) : all(spec));
    const minutes = pick(fields.minutes, FIELDS.minutes);
    const hours = pick(fields.hours, FIELDS.hours);
    // Restricted by day of month: any weekday. Else the weekdays named (cron's 1 = SUN is week day 6).
    const cronDays = domText === "?" ? pick(fields.dayOfWeek, FIELDS.dayOfWeek) : all(FIELDS.dayOfWeek);
    const weekDays = [...new Set(cronDays.map((d) => (d + 5) % 7))].sort((a, b) => a - b);
    const startsOfWeek: number[] = [];
    for (const day of weekDays) for (const h of hours) for (const min of minutes) startsOfWeek.push(day * 1440 + h * 60 + min);
    return { startsOfWeek };
}
