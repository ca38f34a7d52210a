import { FLAG_ENVIRONMENTS, Flag, daysBetween, describeState } from "../../modules/flags";

/**
 * `npm run flags`: every flag with its state in each environment and the days left to remove it
 * (runbook 2.4: clean up flags after full rollout). Pure: the table is a function of the flags and
 * the day.
 */

/** One flag as the listing shows it. */
export interface FlagRow {
    key: string;
    type: Flag["type"];
    owner: string;
    states: Record<(typeof FLAG_ENVIRONMENTS)[number], string>;
    /** `YYYY-MM-DD`, or `permanent`. */
    removeBy: string;
    /** Days until the removal date (negative: overdue), or undefined for a permanent kill switch. */
    daysLeft?: number;
    description: string;
}

export function flagRows(flags: readonly Flag[], today: string): FlagRow[] {
    return flags.map((f) => ({
        key: f.key,
        type: f.type,
        owner: f.owner,
        states: Object.fromEntries(FLAG_ENVIRONMENTS.map((env) => [env, describeState(f, env)])) as FlagRow["states"],
        removeBy: f.removeBy ?? "permanent",
        ...(f.removeBy ? { daysLeft: daysBetween(today, f.removeBy) } : {}),
        description: f.description,
    }));
}

/** When the removal is due, in words: `in 42 days`, `today`, `OVERDUE by 3 days`, `permanent`. */
export function dueText(row: Pick<FlagRow, "daysLeft">): string {
    const d = row.daysLeft;
    if (d === undefined) return "permanent";
    if (d === 0) return "today";
    if (d < 0) return `OVERDUE by ${-d} day${d === -1 ? "" : "s"}`;
    return `in ${d} day${d === 1 ? "" : "s"}`;
}

/** The listing as a text table, then the overdue flags' fix. */
export function renderFlagList(rows: readonly FlagRow[], file: string): string {
    if (rows.length === 0) return `No flags in ${file}. Add one: docs/flags.md, "Add a flag".\n`;
    const header = ["flag", "type", "owner", ...FLAG_ENVIRONMENTS, "remove by", "due"];
    const body = rows.map((r) => [r.key, r.type, r.owner, ...FLAG_ENVIRONMENTS.map((e) => r.states[e]), r.removeBy, dueText(r)]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
    const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)];
    const overdue = rows.filter((r) => r.daysLeft !== undefined && r.daysLeft < 0);
    if (overdue.length > 0) {
        out.push("", `${overdue.length} flag${overdue.length === 1 ? " is" : "s are"} overdue for removal (npm test fails until fixed):`);
        for (const r of overdue) out.push(`  ${r.key} (owner ${r.owner}, due ${r.removeBy}): ${overdueFix(r.key, file)}`);
    }
    return out.join("\n") + "\n";
}

/** What to do about an overdue flag. */
export function overdueFix(key: string, file: string): string {
    return `remove ${key} from ${file} and its code path from the app, or move its removeBy to a new date with the owner's agreement`;
}
