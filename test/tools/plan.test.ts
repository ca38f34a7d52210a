import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECURE_STAND_IN } from "../../tools/plan/stackConfig";
import { PlanQuery, loadPlan, loadPlanText } from "../helpers/plan";
import { REPOSITORY_ENV, ROOT, SECRET_SENTINELS, plannedStacks } from "../helpers/stacks";

describe("the offline plan", () => {
    it.each(plannedStacks())("writes the documented JSON shape for %s", (stack) => {
        const plan = loadPlan(stack);
        expect(plan.project).toBe("ops");
        expect(plan.stack).toBe(stack);
        expect(plan.resources.length).toBeGreaterThan(0);
        for (const r of plan.resources) {
            expect(Object.keys(r).sort()).toEqual(
                ["custom", "dependencies", "dependsOn", "id", "inputs", "name", "options", "parent", "protect", "provider", "retainOnDelete", "type", "urn"].sort(),
            );
            expect(r.urn).toBe(`urn:pulumi:${stack}::ops::${r.urn.split("::")[2]}::${r.name}`);
            if (r.parent !== null) expect(PlanQuery.of(stack).byUrn(r.parent)).toBeDefined();
        }
        expect(plan.resources.filter((r) => r.parent === null).map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });

    it.each(plannedStacks())("never shows a secret value in plain text for %s", (stack) => {
        const text = JSON.stringify(loadPlan(stack)) + loadPlanText(stack);
        for (const value of Object.values(SECRET_SENTINELS)) expect(text).not.toContain(value);
    });
});

describe("npm run plan on bad settings", () => {
    it("exits 1 with every problem listed, no stack trace, and writes no plan file", () => {
        // GIVEN two mistakes in the environment
        const out = path.join(os.tmpdir(), `ops-plan-fail-${process.pid}.json`);
        fs.rmSync(out, { force: true });
        const env: NodeJS.ProcessEnv = { ...process.env, OPS_LOGGING__LEVEL: "LOUD", OPS_APP__IMAGE__TAG: "latest" };
        // WHEN
        const result = spawnSync(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", "--stack", "staging", "--json", out], {
            cwd: ROOT,
            env,
            encoding: "utf8",
        });
        // THEN
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('Stack "staging" has 2 configuration problems; nothing was created');
        expect(result.stderr).toContain("ops:logging.level");
        expect(result.stderr).toContain("ops:app.image.tag");
        expect(result.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("stands in for a secret the stack requires but the checkout cannot hold, and says so", () => {
        // GIVEN production without its external API key (set per deployment with --secret)
        const out = path.join(os.tmpdir(), `ops-plan-standin-${process.pid}.json`);
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) env[k] = v;
        // WHEN
        const result = spawnSync(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", "--stack", "production", "--json", out, "--quiet"], {
            cwd: ROOT,
            env: { ...env, ...REPOSITORY_ENV, OPS_DATABASE__INSTANCE_CLASS: "db.r6g.xlarge" },
            encoding: "utf8",
        });
        // THEN the plan is made, lists the stand-in, and tells how to set the real value
        expect(result.stderr).toContain('the plan stood in for what stack "production" requires but does not hold: ops:externalApiKey');
        expect(result.stderr).toContain("pulumi config set --secret externalApiKey <value>");
        expect(result.status).toBe(0);
        const plan = JSON.parse(fs.readFileSync(out, "utf8")) as { standIns: string[]; resources: Array<{ type: string; inputs: Record<string, unknown> }> };
        fs.rmSync(out, { force: true });
        expect(plan.standIns).toEqual(["ops:externalApiKey"]);
        expect(plan.resources.find((r) => r.type === "aws:rds/instance:Instance")?.inputs["instanceClass"]).toBe("db.r6g.xlarge");
        expect(JSON.stringify(plan)).not.toContain(SECURE_STAND_IN);
    });

    it("stands in for nothing when another problem stops the stack", () => {
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) env[k] = v;
        const result = spawnSync(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", "--stack", "production", "--quiet"], {
            cwd: ROOT,
            env: { ...env, OPS_LOGGING__LEVEL: "LOUD" },
            encoding: "utf8",
        });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("ops:logging.level");
        expect(result.stderr).not.toContain("stood in");
    });

    it("exits 2 with usage when --stack is missing", () => {
        const result = spawnSync(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts"], { cwd: ROOT, encoding: "utf8" });
        expect(result.status).toBe(2);
        expect(result.stderr).toContain("usage: npm run plan -- --stack <name>");
    });
});

describe("the printed plan", () => {
    it("shows the tree, the counts by type and the outputs", () => {
        const text = loadPlanText("production");
        expect(text).toContain('Plan of stack "production" (project ops), offline under mocks:');
        expect(text).toMatch(/^\+ pulumi:pulumi:Stack {2}ops-production$/m);
        expect(text).toMatch(/^ {4}\+ pulumi:providers:aws {2}myapp-us-east-1$/m);
        expect(text).toMatch(/Resources by type \(\d+ in all\):/);
        expect(text).toContain("url: https://api.example.com");
    });
});
