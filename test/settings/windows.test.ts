import { firstStartClash, formatWeekMinute, windowIntervals, windowsOverlap } from "../../settings/windows";

describe("windowsOverlap", () => {
    it.each([
        ["03:00-04:00", "sun:05:00-sun:06:00", undefined],
        ["03:00-04:00", "sun:03:30-sun:04:30", "sun:03:30-sun:04:00"],
        ["23:30-00:30", "mon:00:00-mon:01:00", "mon:00:00-mon:00:30"],
        ["23:30-00:30", "sun:23:45-mon:00:15", "sun:23:45-mon:00:15"],
        ["04:00-05:00", "sat:03:00-sat:04:00", undefined],
        ["01:00-02:00", "sat:23:00-sun:01:30", "sun:01:00-sun:01:30"],
    ])("daily %s and weekly %s overlap at %s", (daily, weekly, expected) => {
        expect(windowsOverlap(daily, weekly)).toBe(expected);
    });
});

const DAY = 1440;
const WEEK = 7 * DAY;

describe("windowIntervals", () => {
    it("places a daily window on every day of the week", () => {
        expect(windowIntervals("03:00-04:00")).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => [d * DAY + 180, d * DAY + 240]));
    });

    it("splits a daily window across midnight, Sunday's into Monday", () => {
        const parts = windowIntervals("23:30-00:30")!;
        expect(parts[0]).toEqual([23 * 60 + 30, DAY + 30]);
        expect(parts.slice(-2)).toEqual([[6 * DAY + 23 * 60 + 30, WEEK], [0, 30]]);
    });

    it("ends a daily window at midnight on the week's last minute, not at 0", () => {
        expect(windowIntervals("23:00-00:00")!.at(-1)).toEqual([6 * DAY + 23 * 60, WEEK]);
    });

    it("places a weekly window once, split across the week's end", () => {
        expect(windowIntervals("sun:05:00-sun:06:00")).toEqual([[6 * DAY + 300, 6 * DAY + 360]]);
        expect(windowIntervals("sun:23:00-mon:01:00")).toEqual([[6 * DAY + 23 * 60, WEEK], [0, 60]]);
    });

    it("yields nothing for a malformed window", () => {
        expect(windowIntervals("sunday 05:00")).toBeUndefined();
        expect(windowIntervals("xyz:05:00-sun:06:00")).toBeUndefined();
    });
});

describe("formatWeekMinute", () => {
    it("writes a week minute as RDS writes weekly windows", () => {
        expect([0, 6 * DAY + 305, WEEK - 1].map(formatWeekMinute)).toEqual(["mon:00:00", "sun:05:05", "sun:23:59"]);
    });
});

describe("firstStartClash", () => {
    const sundayMaintenance = windowIntervals("sun:05:00-sun:06:00")!;
    const daily = (h: number) => Array.from({ length: 7 }, (_, d) => d * DAY + h * 60);

    it("finds the start window that runs into a window", () => {
        expect(firstStartClash(daily(5), 60, sundayMaintenance, 0)).toEqual({ start: 6 * DAY + 300, from: 6 * DAY + 300, to: 6 * DAY + 360 });
    });

    it("counts the lead before a window as part of it", () => {
        // A 03:30 start with a 60-minute start window reaches 04:30: inside the hour before 05:00.
        expect(firstStartClash(daily(3.5), 60, sundayMaintenance, 60)).toEqual({ start: 6 * DAY + 210, from: 6 * DAY + 240, to: 6 * DAY + 270 });
        expect(firstStartClash(daily(3.5), 60, sundayMaintenance, 0)).toBeUndefined();
    });

    it("lets a start window end where the lead begins, and start where the window ends (half-open)", () => {
        expect(firstStartClash(daily(3), 60, sundayMaintenance, 60)).toBeUndefined();
        expect(firstStartClash(daily(6), 60, sundayMaintenance, 60)).toBeUndefined();
    });

    it("follows a start window across the week's end, and a lead back into Sunday", () => {
        const mondayEarly = windowIntervals("mon:00:30-mon:01:00")!;
        // Sunday 23:30, for 90 minutes: into Monday's window at 00:30.
        expect(firstStartClash([WEEK - 30], 90, mondayEarly, 0)).toEqual({ start: WEEK - 30, from: 30, to: 60 });
        expect(firstStartClash([WEEK - 30], 60, mondayEarly, 0)).toBeUndefined();
        // The hour before Monday 00:30 begins on Sunday at 23:30.
        expect(firstStartClash([WEEK - 30], 60, mondayEarly, 60)).toEqual({ start: WEEK - 30, from: WEEK - 30, to: WEEK });
    });
});
