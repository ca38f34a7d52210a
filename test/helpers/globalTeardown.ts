import * as fs from "fs";
import * as path from "path";
import { PLAN_DIR_NAME, RUN_DIR_PREFIX } from "./stacks";

/**
 * Removes the run's temp directory (see globalSetup), and fails the run when a test left anything
 * in it: each test removes what it makes (`afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))`),
 * so that a run outside jest, or one that stops early, leaves nothing behind either.
 */
export default async function globalTeardown(): Promise<void> {
    const dir = process.env["TEST_RUN_TMPDIR"];
    if (!dir || !path.basename(dir).startsWith(RUN_DIR_PREFIX)) return;
    const left = fs.readdirSync(dir).filter((f) => f !== PLAN_DIR_NAME);
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
        throw new Error(`Tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in the temp directory: ${left.sort().join(", ")}. Remove each in the test that makes it.`);
    }
}
