import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { markedHex } from "../../../tools/plan/mocks/kit";
import type { MockRequest } from "../../../tools/plan/mocks/kit";
import { RANDOM } from "../../../tools/plan/mocks/random";
import type { Plan, PlannedResource } from "../../../tools/plan/record";
import { renderPlan } from "../../../tools/plan/render";
import { loadPlan, loadPlanStderr, loadPlanText } from "../../helpers/plan";
import { askWorker, planWith, workerStderrSoFar } from "../../helpers/planWith";
import { MORE_SECRET_SENTINELS, ROOT, SECRET_SENTINELS, deployEnv, planDir, plannedStacks, secretSentinels } from "../../helpers/stacks";

const run = promisify(execFile);

/** The environment globalSetup plans a stack with: the test's own, no OPS_* of its own, the sentinels and what the stack's deployment sets. */
function cliEnv(stack: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) env[k] = v;
    return { ...env, ...SECRET_SENTINELS, ...deployEnv(stack) };
}

/** What `npm run plan -- --json <file>` writes and prints for a plan that stood in for nothing. */
function asCli(plan: Plan, file: string): { json: string; text: string } {
    const full = { ...plan, standIns: [] };
    return { json: `${JSON.stringify(full, null, 2)}\n`, text: `${renderPlan(full)}\n\nPlan written to ${file}\n` };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ops-plan-again-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the same checkout, settings and stack plan the same, byte for byte", () => {
    it("pr-42: a second `npm run plan -- --json` writes the same JSON, and prints the same text and stderr", async () => {
        const stack = "pr-42";
        const out = path.join(tmp, `${stack}.json`);
        const { stdout, stderr } = await run(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", "--stack", stack, "--json", out], { cwd: ROOT, env: cliEnv(stack), maxBuffer: 64 * 1024 * 1024 });
        const committed = path.join(planDir(), `${stack}.json`);
        expect(fs.readFileSync(out, "utf8")).toBe(fs.readFileSync(committed, "utf8"));
        expect(stdout.replace(out, committed)).toBe(loadPlanText(stack));
        expect(stderr).toBe(loadPlanStderr(stack));
    });

    it.each(["production", "dev", "bootstrap"])("%s: planned again in another process, the same plan JSON and text", async (stack) => {
        expect(loadPlan(stack)).toMatchObject({ standIns: [] });
        const committed = path.join(planDir(), `${stack}.json`);
        const again = asCli(await planWith({ stack, env: { ...SECRET_SENTINELS, ...deployEnv(stack) } }), committed);
        expect(again.json).toBe(fs.readFileSync(committed, "utf8"));
        expect(again.text).toBe(loadPlanText(stack));
    });
});

/** The values the mocks generate for secrets (passwords, AUTH tokens, keys, a PagerDuty integration key), so the sweep can look for them. */
function generatedSecrets(resources: readonly PlannedResource[]): string[] {
    const out: string[] = [];
    for (const r of resources) {
        const request = { type: r.type, name: r.name, inputs: r.inputs } as unknown as MockRequest;
        if (/^random:index\/random(Password|String|Bytes):/.test(r.type)) out.push(...Object.values(RANDOM[r.type]!(request).outputs ?? {}).map(String));
        if (r.type === "pagerduty:index/serviceIntegration:ServiceIntegration") out.push(markedHex(32, r.type, r.name, "key"));
    }
    return out.filter((v) => v.length >= 12);
}

/** The sentinels and generated secrets found in a text. */
function leaked(text: string, generated: readonly string[] = []): string[] {
    return [...secretSentinels(), ...generated].filter((s) => text.includes(s));
}

describe("no secret's value in any plan, text, output, stderr or message", () => {
    it.each(plannedStacks())("%s: the committed plan, its text, its stderr and its outputs hold no sentinel and no generated secret", (stack) => {
        const plan = loadPlan(stack);
        const generated = generatedSecrets(plan.resources);
        expect(leaked(JSON.stringify(plan), generated)).toEqual([]);
        expect(leaked(loadPlanText(stack), generated)).toEqual([]);
        expect(leaked(loadPlanStderr(stack), generated)).toEqual([]);
        expect(leaked(JSON.stringify(plan.outputs), generated)).toEqual([]);
    });

    it("staging with the secret inputs the committed plans do not take: the PagerDuty API token, and the API key encrypted in the stack config", async () => {
        const plan = await planWith({
            stack: "staging",
            config: { "ops:externalApiKey": MORE_SECRET_SENTINELS.configExternalApiKey },
            secretKeys: ["ops:externalApiKey"],
            env: { ...deployEnv("staging"), OPS_PAGER_DUTY_TOKEN: MORE_SECRET_SENTINELS.pagerDutyToken, OPS_ON_CALL__RESPONDERS: JSON.stringify(["oncall-1@example.com", "oncall-2@example.com"]) },
        });
        // The token made the on-call: its provider holds it, and the integration's key is generated.
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:pagerduty");
        expect(provider?.inputs["token"]).toBe("[secret]");
        const generated = generatedSecrets(plan.resources);
        expect(generated.some((g) => /^[0-9a-f]{32}$/.test(g))).toBe(true);
        expect(leaked(JSON.stringify(plan), generated)).toEqual([]);
        expect(leaked(renderPlan(plan), generated)).toEqual([]);
        expect(leaked(workerStderrSoFar(), generated)).toEqual([]);
    });

    it.each([
        ["staging", "a PagerDuty token beside an integration URL, and a bad port", {}, [], { OPS_PAGER_DUTY_TOKEN: MORE_SECRET_SENTINELS.pagerDutyToken, OPS_APP__PORT: "80" }],
        ["production", "the API key in plain text in the stack config", { "ops:externalApiKey": MORE_SECRET_SENTINELS.configExternalApiKey }, [], { OPS_EXTERNAL_API_KEY: "" }],
        ["bootstrap", "the API key encrypted in the bootstrap stack's config, and in a variable", { "ops:externalApiKey": MORE_SECRET_SENTINELS.configExternalApiKey }, ["ops:externalApiKey"], {}],
        ["dev", "a misspelt token variable, and a misspelt encrypted key", { "ops:externalApiKy": MORE_SECRET_SENTINELS.configExternalApiKey }, ["ops:externalApiKy"], { OPS_PAGER_DUTY_TOKN: MORE_SECRET_SENTINELS.pagerDutyToken }],
        ["pr-42", "an API key of the wrong type, and a token where a URL goes", {}, [], { OPS_EXTERNAL_API_KEY: "", OPS_PAGER_DUTY_INTEGRATION_URL: MORE_SECRET_SENTINELS.pagerDutyToken }],
    ])("%s, invalid: %s; the error names the problems and prints no secret", async (stack, _what, config, secretKeys, env) => {
        const answer = await askWorker({ stack, config, secretKeys, env: { ...SECRET_SENTINELS, ...deployEnv(stack), ...env } }, "plan");
        expect(answer.ok).toBe(false);
        expect(answer.registered).toBe(0);
        expect(answer.error?.problems?.length).toBeGreaterThan(0);
        expect(leaked(JSON.stringify(answer))).toEqual([]);
        expect(leaked(workerStderrSoFar())).toEqual([]);
    });

    it("the CLI on an invalid configuration with secrets set: exit 1, every problem on stderr, no secret, no stack trace, no plan file", async () => {
        const out = path.join(tmp, "invalid.json");
        const env = { ...cliEnv("staging"), OPS_PAGER_DUTY_TOKEN: MORE_SECRET_SENTINELS.pagerDutyToken, OPS_EXTERNAL_API_KY: SECRET_SENTINELS["OPS_EXTERNAL_API_KEY"]!, OPS_APP__PORT: "80" };
        const result = await run(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", "--stack", "staging", "--json", out], { cwd: ROOT, env }).then(
            () => ({ code: 0, stdout: "", stderr: "" }),
            (e: { code: number; stdout: string; stderr: string }) => e,
        );
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^Stack "staging" has 2 configuration problems; nothing was created/);
        expect(result.stderr).toMatch(/OPS_EXTERNAL_API_KY[\s\S]*received: \[secret\]/);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(leaked(result.stdout + result.stderr)).toEqual([]);
        expect(fs.existsSync(out)).toBe(false);
    });
});
