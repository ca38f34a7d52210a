import { execFile } from "child_process";
import { askWorker } from "../../helpers/planWith";
import { ROOT, SECRET_SENTINELS, deployEnv } from "../../helpers/stacks";

interface Answered {
    answers: Array<{ id: number; ok: boolean; registered: number }>;
    code: number;
    stderr: string;
}

/** Runs a fresh plan worker on requests written all at once, as a file piped to it would be, to the end of its input. */
function workerOn(requests: readonly object[]): Promise<Answered> {
    return new Promise((resolve) => {
        const child = execFile(process.execPath, ["-r", "./tools/register.js", "tools/plan/variantWorker.ts"], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 }, (e, stdout, stderr) =>
            resolve({
                answers: stdout.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Answered["answers"][number]),
                code: e ? Number((e as { code?: number }).code ?? 1) : 0,
                stderr,
            }),
        );
        child.stdin!.end(requests.map((r, i) => JSON.stringify({ id: i + 1, mode: "plan", ...r })).join("\n") + "\n");
    });
}

describe("the plan worker", () => {
    it("answers every request of a batch and exits cleanly, when failed plans are followed by a plan of another stack", async () => {
        // A failed plan's stack registration used to outlive it, reach a later plan's mocks, which knew nothing of it, and crash the worker.
        const env = (stack: string, extra: Record<string, string>): Record<string, string> => ({ ...SECRET_SENTINELS, ...deployEnv(stack), ...extra });
        const { answers, code, stderr } = await workerOn([
            { stack: "staging", env: env("staging", { OPS_APP__REPLICAS: "{}}" }) },
            { stack: "dev", env: env("dev", { OPS_KUBERNETES__NAMESPACE: "[]" }) },
            { stack: "pr-7", env: env("pr-7", {}) },
        ]);
        expect(answers.map((a) => [a.id, a.ok, a.registered > 0])).toEqual([
            [1, false, false],
            [2, false, false],
            [3, true, true],
        ]);
        expect(stderr).toBe("");
        expect(code).toBe(0);
    });

    it("answers a settings check without planning: accepted, or the problems", async () => {
        expect(await askWorker({ stack: "staging", env: { ...SECRET_SENTINELS, ...deployEnv("staging") } }, "settings")).toMatchObject({ ok: true, registered: 0 });
        const refused = await askWorker({ stack: "staging", env: { ...SECRET_SENTINELS, ...deployEnv("staging"), OPS_APP__REPLICAS__MIN: "0" } }, "settings");
        expect(refused).toMatchObject({ ok: false, registered: 0, error: { name: "SettingsError", userError: true } });
        expect(refused.error?.problems?.map((p) => p.key)).toEqual(["ops:app.replicas.min"]);
    });
});
