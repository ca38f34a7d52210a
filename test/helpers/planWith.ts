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
    /** Config keys held encrypted, as `pulumi config set --secret` makes them (namespaced). */
    secretKeys?: string[];
}

/** The worker's answer to one request, as tools/plan/variantWorker.ts writes it. */
export interface WorkerAnswer {
    id: number;
    ok: boolean;
    plan?: Plan;
    /** How many resources the program registered: none when it failed on its settings. */
    registered: number;
    error?: { name: string; message: string; userError: boolean; stackName?: string; problems?: Problem[] };
}

let worker: ChildProcessWithoutNullStreams | undefined;

// The test file that imports this helper stops its worker when it is done.
afterAll(() => {
    worker?.stdin.end();
    worker?.kill();
});
const pending = new Map<number, { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void }>();
let nextId = 1;
let workerStderr = "";

function start(): ChildProcessWithoutNullStreams {
    const child = spawn(process.execPath, ["-r", "./tools/register.js", "tools/plan/variantWorker.ts"], { cwd: ROOT, stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        workerStderr += d.toString();
    });
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
        const answer = JSON.parse(line) as WorkerAnswer;
        const waiter = pending.get(answer.id);
        pending.delete(answer.id);
        waiter?.resolve(answer);
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
export async function planWith(opts: PlanWithOptions): Promise<Plan> {
    // Every CI job names the repository (the workflows' OPS_GITHUB_REPOSITORY); a test may unset it.
    const answer = await askWorker({ ...opts, env: { ...REPOSITORY_ENV, ...opts.env } }, "plan");
    if (answer.ok && answer.plan) return answer.plan;
    if (answer.error?.problems) throw new SettingsError(answer.error.stackName ?? "", answer.error.problems);
    throw Object.assign(new Error(answer.error?.message ?? "the plan failed"), { name: answer.error?.name ?? "Error" });
}

/**
 * The worker's raw answer for a stack with exactly these config and environment changes (no
 * repository added): `plan` runs the program under the mocks as `planWith` does; `settings` only
 * what it does before registering anything (the settings loaded and validated, the layers'
 * checks, the stack's names), a hundred times cheaper. For tests of the outcome itself.
 */
export function askWorker(opts: PlanWithOptions, mode: "plan" | "settings"): Promise<WorkerAnswer> {
    worker ??= start();
    const id = nextId++;
    const answer = new Promise<WorkerAnswer>((resolve, reject) => pending.set(id, { resolve, reject }));
    worker.stdin.write(`${JSON.stringify({ id, mode, ...opts })}\n`);
    return answer;
}

/** What the test file's workers wrote on stderr so far. */
export function workerStderrSoFar(): string {
    return workerStderr;
}
