import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ROOT, SECRET_SENTINELS, deployEnv, plannedStacks } from "./stacks";

const run = promisify(execFile);

/**
 * Plans every stack once, through the very command a user runs (`npm run plan -- --json`), two at
 * a time, before any test file starts. Test files read the JSON instead of each loading the
 * Pulumi SDK and providers again: that is what keeps the suite fast.
 */
export default async function globalSetup(): Promise<void> {
    const planDir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-test-plans-"));
    process.env["TEST_PLAN_DIR"] = planDir;
    const env: NodeJS.ProcessEnv = { ...SECRET_SENTINELS };
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) env[k] = v;
    Object.assign(env, SECRET_SENTINELS);
    const queue = plannedStacks();
    const worker = async (): Promise<void> => {
        for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
            const out = path.join(planDir, `${stack}.json`);
            const args = ["-r", "./tools/register.js", "tools/plan.ts", "--stack", stack, "--json", out];
            try {
                const stackEnv = { ...env, ...deployEnv(stack) };
                const { stdout } = await run(process.execPath, args, { cwd: ROOT, env: stackEnv, maxBuffer: 64 * 1024 * 1024 });
                fs.writeFileSync(path.join(planDir, `${stack}.txt`), stdout);
            } catch (e) {
                const err = e as { stderr?: string; message: string };
                throw new Error(`Planning stack ${stack} failed:\n${err.stderr ?? err.message}`);
            }
        }
    };
    await Promise.all([worker(), worker()]);
}
