import { MINUTES_PER_WEEK, parseAwsCron } from "../../settings/cron";

// AWS's cron syntax (Amazon EventBridge User Guide, "Cron expressions", which AWS Backup's
// ScheduleExpression follows): six fields, day-of-week 1-7 with 1 = SUN, one of day-of-month and
// day-of-week `?`. Week minute 0 is Monday 00:00 UTC.
const MON = 0;
const SUN = 6 * 1440;

function starts(expression: string): number[] {
    const parsed = parseAwsCron(expression);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed.startsOfWeek;
}

function errorOf(expression: string): string {
    const parsed = parseAwsCron(expression);
    if (!("error" in parsed)) throw new Error(`${expression} parsed`);
    return parsed.error;
}

describe("parseAwsCron", () => {
    it("reads a daily job as one start a day, Monday first", () => {
        expect(starts("cron(0 5 * * ? *)")).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => d * 1440 + 300));
    });

    it("reads a weekly job by cron's day numbers and names, 1 being Sunday", () => {
        expect(starts("cron(0 8 ? * MON *)")).toEqual([MON + 480]);
        expect(starts("cron(0 8 ? * 2 *)")).toEqual([MON + 480]);
        expect(starts("cron(30 23 ? * 1 *)")).toEqual([SUN + 23 * 60 + 30]);
        expect(starts("cron(0 0 ? * sat,SUN *)")).toEqual([5 * 1440, SUN]);
    });

    it("reads lists, ranges and increments in minutes and hours", () => {
        expect(starts("cron(0,30 4-5 ? * MON *)")).toEqual([240, 270, 300, 330]);
        expect(starts("cron(*/20 1 ? * MON *)")).toEqual([60, 80, 100]);
        expect(starts("cron(50/5 1 ? * MON *)")).toEqual([110, 115]);
        expect(starts("cron(0 1-7/3 ? * MON *)")).toEqual([60, 240, 420]);
        expect(starts("cron(0 9 ? * MON-WED *)")).toEqual([540, 1440 + 540, 2880 + 540]);
    });

    it("takes a weekday's last or nth occurrence as that weekday", () => {
        expect(starts("cron(0 3 ? * 6L *)")).toEqual([4 * 1440 + 180]);
        expect(starts("cron(0 3 ? * 3#2 *)")).toEqual([1440 + 180]);
    });

    it("takes a schedule limited by day of month as firing on any weekday (the check stays conservative)", () => {
        for (const e of ["cron(0 5 1 * ? *)", "cron(0 5 L * ? *)", "cron(0 5 15W * ? *)", "cron(0 5 1,15 JAN-JUN ? 2027)"]) {
            expect(starts(e)).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => d * 1440 + 300));
        }
    });

    it("covers the whole week with every minute", () => {
        const all = starts("cron(* * * * ? *)");
        expect(all).toHaveLength(MINUTES_PER_WEEK);
        expect([all[0], all[all.length - 1]]).toEqual([0, MINUTES_PER_WEEK - 1]);
    });

    it.each([
        ["cron(0 5 * * ?)", "an AWS cron expression has six fields in cron(...), such as cron(0 5 * * ? *)"],
        ["0 5 * * ? *", "an AWS cron expression has six fields in cron(...), such as cron(0 5 * * ? *)"],
        ["cron(0 24 * * ? *)", 'hours "24" is not a value from 0 to 23'],
        ["cron(60 5 * * ? *)", 'minutes "60" is not a value from 0 to 59'],
        ["cron(0 5 * * 8 *)", 'day-of-week "8" is not a value from 1 to 7 or SUN-SAT'],
        ["cron(0 5 * 13 ? *)", 'month "13" is not a value from 1 to 12 or JAN-DEC'],
        ["cron(0 5 * * ? 1969)", 'year "1969" is not a value from 1970 to 2199'],
        ["cron(0 5 ? * ? *)", "exactly one of day-of-month and day-of-week must be ? (AWS refuses both or neither)"],
        ["cron(0 5 * * * *)", "exactly one of day-of-month and day-of-week must be ? (AWS refuses both or neither)"],
        ["cron(? 5 * * ? *)", "minutes cannot be ?"],
        ["cron(0 7-3 * * ? *)", 'hours "7-3" runs backwards'],
        ["cron(0/0 5 * * ? *)", 'minutes "0/0" has an increment that is not a positive whole number'],
        ["cron(0/5/5 5 * * ? *)", 'minutes "0/5/5" has more than one /'],
    ])("refuses %s: %s", (expression, error) => {
        expect(errorOf(expression)).toBe(error);
    });
});
