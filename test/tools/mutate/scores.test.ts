import { fileScores, renderVerdicts, verdicts } from "../../../tools/mutate/scores";
import { splitMutateList, strykerArgs } from "../../../tools/mutate";

const mutants = (counts: Record<string, number>) => Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })));

describe("fileScores", () => {
    const report = {
        files: {
            "b.ts": { mutants: mutants({ Killed: 8, Timeout: 1, Survived: 1, NoCoverage: 2, Ignored: 3, CompileError: 1, RuntimeError: 1 }) },
            "a.ts": { mutants: mutants({ Killed: 9, Survived: 1 }) },
            "c.ts": { mutants: mutants({ Ignored: 2 }) },
        },
    };

    it("is Stryker's score: killed and timed out over those plus survived and uncovered; ignored and errors apart", () => {
        expect(fileScores(report)).toEqual([
            { file: "a.ts", killed: 9, timeout: 0, survived: 1, noCoverage: 0, ignored: 0, errors: 0, score: 90 },
            { file: "b.ts", killed: 8, timeout: 1, survived: 1, noCoverage: 2, ignored: 3, errors: 2, score: 75 },
            { file: "c.ts", killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 2, errors: 0, score: undefined },
        ]);
    });

    it("puts a file below its floor when it scores less, or has no mutant that ran", () => {
        const rows = verdicts(fileScores(report), (file) => (file === "lambdas.ts" ? undefined : 90));
        expect(rows.map((r) => [r.file, r.below])).toEqual([
            ["a.ts", false],
            ["b.ts", true],
            ["c.ts", true],
        ]);
        expect(verdicts(fileScores(report), () => undefined).some((r) => r.below)).toBe(false);
    });

    it("prints one aligned row per file, flagging those below their floor", () => {
        const text = renderVerdicts(verdicts(fileScores(report), (file) => (file === "a.ts" ? undefined : 90)));
        expect(text.split("\n")).toEqual([
            "file  score  floor  killed  timeout  survived  no cov  ignored  errors",
            "a.ts  90.00      -       9        0         1       0        0       0",
            "b.ts  75.00     90       8        1         1       2        3       2  BELOW FLOOR",
            "c.ts    n/a     90       0        0         0       0        2       0  BELOW FLOOR",
        ]);
    });
});

describe("the command line", () => {
    it("splits a --mutate list on commas outside a glob's braces", () => {
        expect(splitMutateList("a.ts, {src,lib}/**/*.ts,b.ts:1-3,")).toEqual(["a.ts", "{src,lib}/**/*.ts", "b.ts:1-3"]);
    });

    it("narrows the files of every --mutate form and passes every other option through", () => {
        const narrow = (entries: string[]) => entries.map((e) => (e === "r.ts" ? "r.ts:15-26" : e));
        expect(strykerArgs(["--mutate", "r.ts,x.ts", "--concurrency", "1"], narrow)).toEqual(["--mutate", "r.ts:15-26,x.ts", "--concurrency", "1"]);
        expect(strykerArgs(["-m", "r.ts"], narrow)).toEqual(["-m", "r.ts:15-26"]);
        expect(strykerArgs(["--mutate=r.ts", "--incremental"], narrow)).toEqual(["--mutate=r.ts:15-26", "--incremental"]);
        expect(strykerArgs(["--mutate"], narrow)).toEqual(["--mutate"]);
    });
});
