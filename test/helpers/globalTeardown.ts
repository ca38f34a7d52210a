import * as fs from "fs";
import * as path from "path";
import { FUZZ_SECRET_MARK, PLAN_DIR_NAME, RUN_DIR_PREFIX, secretSentinels } from "./stacks";

/** The files under a directory that hold a secret's sentinel value (test/helpers/stacks.ts). */
export function filesWithSecrets(dir: string): string[] {
    const needles = [...secretSentinels(), FUZZ_SECRET_MARK];
    const found: string[] = [];
    const walk = (d: string): void => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.isFile() && needles.some((n) => fs.readFileSync(p, "latin1").includes(n))) found.push(path.relative(dir, p));
        }
    };
    walk(dir);
    return found.sort();
}

/**
 * Removes the run's temp directory (see globalSetup), and fails the run when a test left anything
 * in it: each test removes what it makes (`afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))`),
 * so that a run outside jest, or one that stops early, leaves nothing behind either.
 */
export default async function globalTeardown(): Promise<void> {
    const dir = process.env["TEST_RUN_TMPDIR"];
    if (!dir || !path.basename(dir).startsWith(RUN_DIR_PREFIX)) return;
    const left = fs.readdirSync(dir).filter((f) => f !== PLAN_DIR_NAME);
    const leaks = filesWithSecrets(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    if (leaks.length > 0) throw new Error(`A secret's sentinel value is in ${leaks.join(", ")}: a plan, its text or a file a test wrote printed a secret.`);
    if (left.length > 0) {
        throw new Error(`Tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in the temp directory: ${left.sort().join(", ")}. Remove each in the test that makes it.`);
    }
}
