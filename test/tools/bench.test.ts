import { PLAN_TARGET, median, parseBenchArgs, planVerdict } from "../../tools/bench";

const stacks = ["dev", "production"];
const sample = (cpuMs: number, wallMs = cpuMs): { cpuMs: number; wallMs: number; rssMiB: number } => ({ cpuMs, wallMs, rssMiB: 100 });

describe("npm run bench's command line", () => {
    it("runs every stack 5 times and then the tests, by default", () => {
        expect(parseBenchArgs([], stacks)).toEqual({ runs: 5, stacks, skipTests: false });
    });

    it("takes runs, stacks and --skip-tests", () => {
        expect(parseBenchArgs(["--runs", "9", "--stack", "production", "--skip-tests"], stacks)).toEqual({ runs: 9, stacks: ["production"], skipTests: true });
    });

    it.each([
        [["--runs", "x"], '--runs needs a whole number from 1 to 50, got "x"'],
        [["--runs"], "--runs needs a whole number from 1 to 50, got nothing"],
        [["--runs", "0"], '--runs needs a whole number from 1 to 50, got "0"'],
        [["--stack", "prod"], '--stack needs one of dev, production, got "prod"'],
        [["--bogus"], "unknown argument --bogus"],
    ])("refuses %j", (argv, message) => {
        expect(() => parseBenchArgs(argv, stacks)).toThrow(message);
    });
});

describe("the verdict", () => {
    it("is the median of the paired CPU ratios, against the target", () => {
        // GIVEN three pairs, one of them disturbed
        const v = planVerdict([sample(110), sample(300), sample(118)], [sample(100), sample(100), sample(100)]);
        expect(v.ratio).toBeCloseTo(1.18);
        expect(v.within).toBe(true);
        expect(planVerdict([sample(130)], [sample(100)]).within).toBe(false);
        expect(PLAN_TARGET).toBe(1.2);
    });

    it("takes the upper median of an even count", () => {
        expect(median([4, 1, 3, 2])).toBe(3);
    });
});
