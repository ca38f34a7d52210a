import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { PLAN_DIR_NAME, ROOT, RUN_DIR_PREFIX, SECRET_SENTINELS, deployEnv, plannedStacks } from "./stacks";

const run = promisify(execFile);

/**
 * Plans every stack once, through the very command a user runs (`npm run plan -- --json`), two at
 * a time, before any test file starts. Test files read the JSON instead of each loading the
 * Pulumi SDK and providers again: that is what keeps the suite fast.
 */
export default async function globalSetup(): Promise<void> {
    // One temp directory for the whole run, which the workers and every process they start take as
    // their os.tmpdir(): globalTeardown removes it, and fails the run on anything a test left there.
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
    // Traversable like the temp directory itself: the real-PostgreSQL tests run the server as another user.
    fs.chmodSync(runDir, 0o755);
    process.env["TEST_RUN_TMPDIR"] = runDir;
    process.env["TMPDIR"] = runDir;
    const planDir = path.join(runDir, PLAN_DIR_NAME);
    fs.mkdirSync(planDir);
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
                const { stdout, stderr } = await run(process.execPath, args, { cwd: ROOT, env: stackEnv, maxBuffer: 64 * 1024 * 1024 });
                fs.writeFileSync(path.join(planDir, `${stack}.txt`), stdout);
                // What the plan said on stderr (the stand-ins' note), which the secrets tests read too.
                fs.writeFileSync(path.join(planDir, `${stack}.stderr.txt`), stderr);
            } catch (e) {
                const err = e as { stderr?: string; message: string };
                throw new Error(`Planning stack ${stack} failed:\n${err.stderr ?? err.message}`);
            }
        }
    };
    await Promise.all([worker(), worker()]);
}
