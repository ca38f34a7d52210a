import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import globalTeardown from "./globalTeardown";
import { PLAN_DIR_NAME, RUN_DIR_PREFIX, SECRET_SENTINELS } from "./stacks";

/** The teardown on a run directory of this test's own (the real run's is the worker's TEST_RUN_TMPDIR, left alone). */
async function teardownOf(dir: string): Promise<unknown> {
    const real = process.env["TEST_RUN_TMPDIR"];
    process.env["TEST_RUN_TMPDIR"] = dir;
    try {
        await globalTeardown();
        return undefined;
    } catch (e) {
        return e;
    } finally {
        process.env["TEST_RUN_TMPDIR"] = real;
    }
}

describe("the test run's temp directory", () => {
    it("is removed with the plans, and the run fails on anything a test left there", async () => {
        // GIVEN a run directory with its plans and two leftovers
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
        fs.mkdirSync(path.join(dir, PLAN_DIR_NAME));
        fs.mkdirSync(path.join(dir, "fake-aws-1a2b3c"));
        fs.writeFileSync(path.join(dir, "ops-stackcfg-x"), "");
        // WHEN
        const error = await teardownOf(dir);
        // THEN
        expect((error as Error).message).toBe("Tests left 2 entries in the temp directory: fake-aws-1a2b3c, ops-stackcfg-x. Remove each in the test that makes it.");
        expect(fs.existsSync(dir)).toBe(false);
    });

    it("fails the run when a file in it holds a secret's sentinel value, naming the file", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
        fs.mkdirSync(path.join(dir, PLAN_DIR_NAME));
        fs.writeFileSync(path.join(dir, PLAN_DIR_NAME, "staging.json"), "{}");
        fs.writeFileSync(path.join(dir, PLAN_DIR_NAME, "staging.txt"), `EXTERNAL_API_KEY=${SECRET_SENTINELS["OPS_EXTERNAL_API_KEY"]!}\n`);
        const error = await teardownOf(dir);
        expect((error as Error).message).toBe(`A secret's sentinel value is in ${PLAN_DIR_NAME}/staging.txt: a plan, its text or a file a test wrote printed a secret.`);
        expect(fs.existsSync(dir)).toBe(false);
    });

    it("passes a run that left only its plans", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
        fs.mkdirSync(path.join(dir, PLAN_DIR_NAME));
        expect(await teardownOf(dir)).toBeUndefined();
        expect(fs.existsSync(dir)).toBe(false);
    });

    it("is where every test's os.tmpdir() points, so that nothing escapes the check", () => {
        expect(os.tmpdir()).toBe(process.env["TEST_RUN_TMPDIR"]);
        expect(path.basename(os.tmpdir()).startsWith(RUN_DIR_PREFIX)).toBe(true);
    });
});
