import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as readline from "readline";
import { Problem, SettingsError } from "../../settings/errors";
import type { Plan } from "../../tools/plan/record";
import { REPOSITORY_ENV, ROOT } from "./stacks";

export interface PlanWithOptions {
    stack: string;
    /** Extra or replaced config values, namespaced (`ops:app`), as strings like Pulumi passes them. */
    config?: Record<string, string>;
    /** Environment variables the program sees (only these, and CI's OPS_GITHUB_REPOSITORY: the test's own environment is not read). */
    env?: Record<string, string>;
}

interface Answer {
    id: number;
    ok: boolean;
    plan?: Plan;
    error?: { name: string; message: string; stackName?: string; problems?: Problem[] };
}

let worker: ChildProcessWithoutNullStreams | undefined;

// The test file that imports this helper stops its worker when it is done.
afterAll(() => {
    worker?.stdin.end();
    worker?.kill();
});
const pending = new Map<number, { resolve: (p: Plan) => void; reject: (e: Error) => void }>();
let nextId = 1;

function start(): ChildProcessWithoutNullStreams {
    const child = spawn(process.execPath, ["-r", "./tools/register.js", "tools/plan/variantWorker.ts"], { cwd: ROOT, stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
        const answer = JSON.parse(line) as Answer;
        const waiter = pending.get(answer.id);
        pending.delete(answer.id);
        if (!waiter) return;
        if (answer.ok && answer.plan) waiter.resolve(answer.plan);
        else if (answer.error?.problems) waiter.reject(new SettingsError(answer.error.stackName ?? "", answer.error.problems));
        else waiter.reject(Object.assign(new Error(answer.error?.message ?? "the plan failed"), { name: answer.error?.name ?? "Error" }));
    });
    child.on("exit", (code) => {
        for (const w of pending.values()) w.reject(new Error(`the plan worker exited (${String(code)}):\n${stderr}`));
        pending.clear();
        worker = undefined;
    });
    // The worker must not keep the test runner alive.
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return child;
}

/**
 * Plans a stack with config or environment changed: for tests of what the stack files don't say.
 * The program is the composition `index.ts` runs. Plans run in a worker process (one per test
 * file, started on first use), where the SDK and providers load once and run at plain-Node speed;
 * a bad setting rejects with the program's `SettingsError`.
 */
export function planWith(opts: PlanWithOptions): Promise<Plan> {
    // Every CI job names the repository (the workflows' OPS_GITHUB_REPOSITORY); a test may unset it.
    opts = { ...opts, env: { ...REPOSITORY_ENV, ...opts.env } };
    worker ??= start();
    const id = nextId++;
    const answer = new Promise<Plan>((resolve, reject) => pending.set(id, { resolve, reject }));
    worker.stdin.write(`${JSON.stringify({ id, ...opts })}\n`);
    return answer;
}
