import { PERIOD_TAG, periodFromTag, secretAge } from "../../../lambdas/secret-age/age";

const NOW = new Date("2026-11-28T12:00:00Z");

describe("periodFromTag", () => {
    it.each<[string | undefined, number | undefined]>([
        ["1", 1],
        ["90", 90],
        ["365", 365],
        [undefined, undefined],
        ["", undefined],
        ["0", undefined],
        ["030", undefined],
        ["x30", undefined],
        ["30x", undefined],
        ["-30", undefined],
        ["3.5", undefined],
    ])("reads %j as %j", (tag, period) => {
        expect(PERIOD_TAG).toBe("rotation-period-days");
        expect(periodFromTag(tag)).toBe(period);
    });
});

describe("secretAge", () => {
    it("counts whole days, rounding down", () => {
        expect(secretAge("a", new Date(NOW.getTime() - 90 * 86400000 + 1), 90, NOW)).toEqual({ name: "a", ageDays: 89, periodDays: 90, overdue: false });
        expect(secretAge("a", new Date(NOW.getTime() - 91 * 86400000), 90, NOW)).toEqual({ name: "a", ageDays: 91, periodDays: 90, overdue: true });
    });
});
