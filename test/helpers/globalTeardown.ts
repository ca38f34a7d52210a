import * as fs from "fs";

/** Removes the run's plans (see globalSetup). */
export default async function globalTeardown(): Promise<void> {
    const dir = process.env["TEST_PLAN_DIR"];
    if (dir && dir.includes("ops-test-plans-")) fs.rmSync(dir, { recursive: true, force: true });
}
