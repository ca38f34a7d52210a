/**
 * The on-call's shape (runbook 3.5, 3.8): a weekly rotation handing over at a fixed weekday and
 * time in the schedule's time zone, and an escalation from the rotation to the next level. Pure:
 * the component, the tests and docs/incident-response.md read the same values.
 */

/** One week, the rotation's turn (PagerDuty `rotation_turn_length_seconds`). */
export const WEEK_SECONDS = 7 * 24 * 3600;

/** How many times PagerDuty runs through the escalation rules before it stops paging. */
export const ESCALATION_LOOPS = 2;

/** The weekdays, Monday first (ISO 8601). */
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/**
 * The week the rotation's times are anchored to: Monday 5 January 2026. PagerDuty counts turns
 * from `rotation_virtual_start`, so any past handoff instant fixes every later one; the layer's
 * `start` in the past is set to "now" by PagerDuty (and the provider ignores that difference,
 * PagerDuty/terraform-provider-pagerduty#343).
 */
const ANCHOR_MONDAY = { year: 2026, month: 0, day: 5 };

/** The UTC offset of a time zone at an instant, in minutes (east positive). */
export function offsetMinutes(timeZone: string, at: Date): number {
    const parts = Object.fromEntries(
        new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
            .formatToParts(at)
            .map((p) => [p.type, p.value]),
    );
    const asUtc = Date.UTC(Number(parts["year"]), Number(parts["month"]) - 1, Number(parts["day"]), Number(parts["hour"]), Number(parts["minute"]), Number(parts["second"]));
    return Math.round((asUtc - at.getTime()) / 60000);
}

/**
 * The first handoff of the anchor week as PagerDuty takes a layer's start: local date and time
 * with the zone's offset then, `2026-01-05T09:00:00+00:00`. Turns of one week from it hand over at
 * the same local time every week, summer time included (PagerDuty rotates in the schedule's zone).
 */
export function weeklyHandoffStart(handoff: { day: (typeof DAYS)[number]; time: string }, timeZone: string): string {
    const m = /^(\d{2}):(\d{2})$/.exec(handoff.time);
    if (!m) throw new Error(`The handoff time ${handoff.time} is not HH:MM.`);
    const dayIndex = DAYS.indexOf(handoff.day);
    if (dayIndex < 0) throw new Error(`The handoff day ${String(handoff.day)} is not a weekday (${DAYS.join(", ")}).`);
    const wallAsUtc = Date.UTC(ANCHOR_MONDAY.year, ANCHOR_MONDAY.month, ANCHOR_MONDAY.day + dayIndex, Number(m[1]), Number(m[2]));
    // The offset at the instant that shows that wall time in the zone (twice: near a DST change the first guess is off).
    let offset = offsetMinutes(timeZone, new Date(wallAsUtc));
    offset = offsetMinutes(timeZone, new Date(wallAsUtc - offset * 60000));
    const local = new Date(wallAsUtc).toISOString().slice(0, 19);
    const sign = offset < 0 ? "-" : "+";
    const abs = Math.abs(offset);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** A target of an escalation rule, as the PagerDuty API names the kinds (`schedule_reference`, `user_reference`). */
export interface EscalationTarget<Id> {
    type: "schedule_reference" | "user_reference";
    id: Id;
}

/**
 * The escalation: first whoever is on call in the weekly schedule; if nobody acknowledges within
 * `afterMinutes`, the escalation contacts (all at once); then round again. Without escalation
 * contacts, the schedule alone, paged again after the delay. The target kinds are the API's
 * snake-case values (PagerDuty REST API, escalation policies: `schedule_reference`,
 * `user_reference`), whatever case the generated SDK docs show.
 */
export function escalationRules<Id>(scheduleId: Id, escalateTo: readonly Id[], afterMinutes: number): Array<{ escalationDelayInMinutes: number; targets: Array<EscalationTarget<Id>> }> {
    if (!Number.isInteger(afterMinutes) || afterMinutes < 1) throw new Error(`An escalation delay is a whole number of minutes from 1, got ${String(afterMinutes)}.`);
    const onCall = { escalationDelayInMinutes: afterMinutes, targets: [{ type: "schedule_reference" as const, id: scheduleId }] };
    if (escalateTo.length === 0) return [onCall];
    return [onCall, { escalationDelayInMinutes: afterMinutes, targets: escalateTo.map((id) => ({ type: "user_reference" as const, id })) }];
}

/** The URL PagerDuty's Amazon CloudWatch integration takes alerts at (an SNS HTTPS subscription), from its integration key. */
export function cloudWatchIntegrationUrl(integrationKey: string): string {
    // 32 hexadecimal characters in practice; anything else than letters and digits would change the URL.
    if (!/^[0-9A-Za-z]{20,64}$/.test(integrationKey)) throw new Error("A PagerDuty integration key is letters and digits (32 of them); the integration returned something else.");
    return `https://events.pagerduty.com/integration/${integrationKey}/enqueue`;
}
