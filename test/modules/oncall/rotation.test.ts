import { ESCALATION_LOOPS, WEEK_SECONDS, cloudWatchIntegrationUrl, escalationRules, offsetMinutes, weeklyHandoffStart } from "../../../modules/oncall";

describe("the weekly rotation", () => {
    it("turns once a week", () => {
        expect(WEEK_SECONDS).toBe(604800);
        expect(ESCALATION_LOOPS).toBe(2);
    });

    it.each([
        [{ day: "monday", time: "09:00" }, "UTC", "2026-01-05T09:00:00+00:00"],
        [{ day: "monday", time: "09:00" }, "Europe/London", "2026-01-05T09:00:00+00:00"],
        [{ day: "monday", time: "09:00" }, "Europe/Berlin", "2026-01-05T09:00:00+01:00"],
        [{ day: "monday", time: "09:00" }, "America/New_York", "2026-01-05T09:00:00-05:00"],
        [{ day: "monday", time: "09:00" }, "Asia/Kolkata", "2026-01-05T09:00:00+05:30"],
        [{ day: "friday", time: "17:30" }, "America/Los_Angeles", "2026-01-09T17:30:00-08:00"],
    ] as const)("hands over at %o in %s from %s, a Monday-anchored instant of that zone", (handoff, timeZone, expected) => {
        const start = weeklyHandoffStart(handoff, timeZone);
        expect(start).toBe(expected);
        // The instant shows the handoff's wall time in the zone.
        const wall = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(start));
        expect(wall.toLowerCase()).toBe(`${handoff.day} ${handoff.time}`);
    });

    it("reads a zone's offset east positive", () => {
        expect(offsetMinutes("Asia/Tokyo", new Date("2026-01-05T00:00:00Z"))).toBe(540);
        expect(offsetMinutes("America/New_York", new Date("2026-07-06T12:00:00Z"))).toBe(-240);
    });

    it("refuses a handoff that is not a weekday and a time", () => {
        expect(() => weeklyHandoffStart({ day: "monday", time: "9am" }, "UTC")).toThrow("The handoff time 9am is not HH:MM.");
        expect(() => weeklyHandoffStart({ day: "someday" as "monday", time: "09:00" }, "UTC")).toThrow("The handoff day someday is not a weekday (monday, tuesday, wednesday, thursday, friday, saturday, sunday).");
    });
});

describe("the escalation", () => {
    it("pages the schedule, then after the delay the escalation contacts, in the API's target kinds", () => {
        expect(escalationRules("PSCHED1", ["PLEAD01", "PLEAD02"], 5)).toEqual([
            { escalationDelayInMinutes: 5, targets: [{ type: "schedule_reference", id: "PSCHED1" }] },
            { escalationDelayInMinutes: 5, targets: [{ type: "user_reference", id: "PLEAD01" }, { type: "user_reference", id: "PLEAD02" }] },
        ]);
    });

    it("without escalation contacts pages the schedule alone (the policy loops back to it)", () => {
        expect(escalationRules("PSCHED1", [], 10)).toEqual([{ escalationDelayInMinutes: 10, targets: [{ type: "schedule_reference", id: "PSCHED1" }] }]);
    });

    it("refuses a delay that is not a whole number of minutes from 1", () => {
        for (const bad of [0, 2.5, -1]) expect(() => escalationRules("P", [], bad)).toThrow(`An escalation delay is a whole number of minutes from 1, got ${bad}.`);
    });
});

describe("the CloudWatch integration's URL", () => {
    it("is PagerDuty's enqueue URL with the integration key", () => {
        expect(cloudWatchIntegrationUrl("0123456789abcdef0123456789abcdef")).toBe("https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue");
    });

    it("refuses a key that would change the URL", () => {
        expect(() => cloudWatchIntegrationUrl("abc/../../evil")).toThrow("A PagerDuty integration key is letters and digits (32 of them); the integration returned something else.");
    });
});
