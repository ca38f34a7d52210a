import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { declarationRanges, filesOf, mutatePatterns, narrowMutateEntries, rowOf, targetProblems } from "../../../tools/mutate/resolve";
import { MutationTarget, TARGETS, testPatterns } from "../../../tools/mutate/targets";
import { ROOT } from "../../helpers/stacks";

describe("the mutation targets", () => {
    it("match the tree: every source, test and declaration they name exists", () => {
        expect(TARGETS.length).toBeGreaterThan(0);
        expect(targetProblems(ROOT, TARGETS)).toEqual([]);
    });

    it("list only unit tests, which read no plan (the mutation run has no globalSetup)", () => {
        const files = testPatterns(TARGETS).flatMap((p) => filesOf(ROOT, p));
        expect(files.length).toBeGreaterThanOrEqual(TARGETS.length);
        for (const file of files) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            expect([file, /helpers\/(plan|planWith)"|planDir|TEST_PLAN_DIR/.test(text)]).toEqual([file, false]);
        }
    });

    it("hold the pure modules to 90%", () => {
        const modules = TARGETS.filter((t) => t.mutate.startsWith("modules/"));
        expect(modules.length).toBeGreaterThan(0);
        for (const t of modules) expect([t.mutate, t.minScore]).toEqual([t.mutate, 90]);
    });

    it("hold the Lambdas to 90%, with every unit test of theirs but the one that starts a real PostgreSQL", () => {
        const lambdas = TARGETS.find((t) => t.mutate === "lambdas/**/*.ts");
        expect([lambdas?.minScore, lambdas?.tests]).toEqual([90, ["test/lambdas/**/!(*.postgres).test.ts"]]);
        const tests = filesOf(ROOT, lambdas!.tests[0]!);
        expect(tests).toContain("test/lambdas/shared/rotation.test.ts");
        expect(tests).not.toContain("test/lambdas/database.postgres.test.ts");
    });

    it("hold the measured files of policy rules to 90%, before the row of every rules file", () => {
        const rows = TARGETS.filter((t) => t.mutate.startsWith("policy/rules/"));
        expect(rows.map((t) => [t.mutate, t.minScore])).toEqual([
            ["policy/rules/iam.ts", 90],
            ["policy/rules/s3.ts", 90],
            ["policy/rules/vpc.ts", 90],
            ["policy/rules/kubernetes.ts", 90],
            ["policy/rules/rds.ts", 90],
            ["policy/rules/general.ts", 90],
            ["policy/rules/lambda.ts", 90],
            ["policy/rules/ecr.ts", 90],
            ["policy/rules/edge.ts", 90],
            ["policy/rules/observability.ts", 90],
            ["policy/rules/backup.ts", 90],
            ["policy/rules/elb.ts", 90],
            ["policy/rules/eks.ts", 90],
            ["policy/rules/secrets.ts", 90],
            ["policy/rules/elasticache.ts", 90],
            ["policy/rules/kms.ts", 90],
            ["policy/rules/index.ts", 90],
            ["policy/rules/*.ts", undefined],
        ]);
        expect(rowOf(ROOT, TARGETS, "policy/rules/iam.ts")?.minScore).toBe(90);
        expect(rowOf(ROOT, TARGETS, "policy/rules/kms.ts")?.minScore).toBe(90);
        expect(rowOf(ROOT, TARGETS, "policy/rules/index.ts")?.minScore).toBe(90);
    });

    it("mutate only the named declarations of a file that also holds a component", () => {
        const patterns = mutatePatterns(ROOT, TARGETS).filter((p) => p.startsWith("modules/registry/repository.ts"));
        expect(patterns).toEqual([expect.stringMatching(/^modules\/registry\/repository\.ts:\d+-\d+$/)]);
    });
});

describe("declarationRanges", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mutate-targets-"));
    fs.writeFileSync(
        path.join(dir, "sample.ts"),
        [
            'import * as fs from "fs";', // 1
            "", // 2
            "/** Doc. */", // 3
            "export function pure(a: number): number {", // 4
            "    return a + 1;", // 5
            "}", // 6
            "const PATTERN = /^p\\d+$/;", // 7
            "export class Component {", // 8
            "    x = fs.existsSync;", // 9
            "}", // 10
        ].join("\n"),
    );
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("gives the 1-based lines of each named function, constant or class, after its JSDoc", () => {
        expect(declarationRanges(dir, "sample.ts", ["pure", "PATTERN", "Component"])).toEqual([
            { name: "pure", start: 4, end: 6 },
            { name: "PATTERN", start: 7, end: 7 },
            { name: "Component", start: 8, end: 10 },
        ]);
    });

    it("refuses a name the file does not declare, saying which", () => {
        expect(() => declarationRanges(dir, "sample.ts", ["pure", "gone"])).toThrow('sample.ts declares no top-level gone: update the row\'s "only"');
    });

    it("narrows a command-line file of such a row to its declarations, and leaves other entries alone", () => {
        const rows: MutationTarget[] = [{ mutate: "sample.ts", only: ["pure", "PATTERN"], tests: ["sample.ts"] }];
        expect(narrowMutateEntries(dir, rows, ["sample.ts", "other.ts", "sample.ts:1-2", "**/*.ts"])).toEqual(["sample.ts:4-6", "sample.ts:7-7", "other.ts", "sample.ts:1-2", "**/*.ts"]);
        expect(rowOf(dir, rows, "sample.ts")).toBe(rows[0]);
        expect(rowOf(dir, rows, "other.ts")).toBeUndefined();
    });

    it("reports every stale entry of a table at once", () => {
        const rows: MutationTarget[] = [
            { mutate: "moved.ts", tests: ["sample.ts"] },
            { mutate: "sample.ts", tests: [] },
            { mutate: "sample.ts", tests: ["missing.test.ts"] },
            { mutate: "sample.ts", only: ["renamed"], tests: ["sample.ts"] },
        ];
        expect(targetProblems(dir, rows)).toEqual([
            'mutate "moved.ts" matches no file',
            'mutate "sample.ts" lists no tests',
            'tests "missing.test.ts" (of sample.ts) matches no file',
            'sample.ts declares no top-level renamed: update the row\'s "only"',
        ]);
    });
});
