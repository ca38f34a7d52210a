import { windowsOverlap } from "../../settings/windows";

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
