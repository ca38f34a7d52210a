import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECURE_STAND_IN } from "../../tools/plan/stackConfig";
import { PlanQuery, loadPlan, loadPlanText } from "../helpers/plan";
import { ROOT, SECRET_SENTINELS, plannedStacks } from "../helpers/stacks";

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

    // A stack reference creates nothing: it reads another stack's outputs, at the root as Pulumi shows it.
    it.each(plannedStacks())("puts every resource of %s inside a component, but the providers and stack references", (stack) => {
        const q = PlanQuery.of(stack);
        const root = q.one("pulumi:pulumi:Stack");
        const atRoot = q.childrenOf(root).filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && r.type !== "pulumi:pulumi:StackReference");
        expect(atRoot.map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });

    it("keeps the generated SECRET_KEY's URN from the root as an alias, so moving it beside the stores replaces nothing", () => {
        const q = PlanQuery.of("dev");
        const key = q.one("random:index/randomBytes:RandomBytes", "myapp-secret-key");
        expect(q.byUrn(key.parent!)!.type).toBe("ops:workload:InClusterStores");
        expect(key.options["aliases"]).toEqual(["urn:pulumi:dev::ops::random:index/randomBytes:RandomBytes::myapp-secret-key"]);
    });

    it("keeps the TargetGroupBinding's URN from the root as an alias, so moving it into the edge replaces nothing", () => {
        const q = PlanQuery.of("production");
        const binding = q.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
        expect(q.byUrn(binding.parent!)!.type).toBe("ops:edge:Edge");
        expect(binding.options["aliases"]).toEqual([`urn:pulumi:production::ops::kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding::${binding.name}`]);
    });

    it.each(plannedStacks().filter((s) => loadPlan(s).outputs["clusterName"] !== undefined))(
        "prints %s's rollback command with the kube context its kubeconfig creates",
        (stack) => {
            const { outputs } = loadPlan(stack);
            expect(outputs["rollbackCommand"]).toBe(`kubectl --context ${String(outputs["clusterName"])} --namespace ${String(outputs["namespace"])} rollout undo deployment/app-deployment`);
        },
    );

    it("prints dev's rollback command with the local cluster's context", () => {
        expect(loadPlan("dev").outputs["rollbackCommand"]).toBe("kubectl --context kind-ops --namespace myapp rollout undo deployment/app-deployment");
    });
});

interface Run {
    status: number;
    stdout: string;
    stderr: string;
}

/** `npm run plan` with these arguments, the environment without OPS_* variables but `env`. */
function plan(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    const clean: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) clean[k] = v;
    return new Promise((resolve) => {
        execFile(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", ...args], { cwd: ROOT, env: { ...clean, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
            resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
    });
}

const noTrace = /\n\s+at .*\.(ts|js):\d+/;

describe("npm run plan from a fresh checkout, on every kind of input", () => {
    let tmp: string;
    /** A stack file with a syntax error, beside the committed ones (a name with a period: no test lists it as a committed stack). */
    let brokenStack: string;
    const runs: Record<string, Run> = {};
    const out = (name: string): string => path.join(tmp, `${name}.json`);

    beforeAll(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ops-plan-cli-"));
        brokenStack = `broken.${process.pid}`;
        fs.writeFileSync(path.join(ROOT, `Pulumi.${brokenStack}.yaml`), ["config:", "  ops:environment: development", "  ops:app:", "    image: {repository: myapp/backend, tag: 1.0.0", ""].join("\n"));
        const cases: Record<string, [string[], NodeJS.ProcessEnv?]> = {
            // Two mistakes in the environment.
            bad: [["--stack", "staging", "--json", out("bad")], { OPS_LOGGING__LEVEL: "LOUD", OPS_APP__IMAGE__TAG: "latest" }],
            // A missing secret, and another problem: no stand-in then.
            other: [["--stack", "production", "--quiet"], { OPS_LOGGING__LEVEL: "LOUD" }],
            // The two stacks whose values exist only at deploy time, as a fresh checkout has them.
            preview: [["--stack", "pr-42", "--json", out("pr-42")]],
            rebuild: [["--stack", "production-dr-drill", "--json", out("production-dr-drill"), "--quiet"], { OPS_DATABASE__INSTANCE_CLASS: "db.r6g.xlarge" }],
            broken: [["--stack", brokenStack, "--json", out("broken")]],
            typo: [["--stack", "prodution"]],
            prName: [["--stack", "pr-abc"]],
            noStack: [[]],
            stackWithoutValue: [["--stack", "--json", out("x")]],
            jsonInNoDirectory: [["--stack", "dev", "--json", path.join(tmp, "no-such-dir", "plan.json")]],
        };
        const results = await Promise.all(Object.entries(cases).map(async ([name, [args, env]]) => [name, await plan(args, env)] as const));
        for (const [name, run] of results) runs[name] = run;
    }, 120_000);

    afterAll(() => {
        fs.rmSync(path.join(ROOT, `Pulumi.${brokenStack}.yaml`), { force: true });
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("exits 1 on bad settings with every problem listed, no stack trace, and writes no plan file", () => {
        const { status, stderr } = runs["bad"]!;
        expect(status).toBe(1);
        expect(stderr).toContain('Stack "staging" has 2 configuration problems; nothing was created');
        expect(stderr).toContain("ops:logging.level");
        expect(stderr).toContain("ops:app.image.tag");
        expect(stderr).not.toMatch(noTrace);
        expect(fs.existsSync(out("bad"))).toBe(false);
    });

    it("stands in for nothing when another problem stops the stack", () => {
        const { status, stderr } = runs["other"]!;
        expect(status).toBe(1);
        expect(stderr).toContain("ops:logging.level");
        expect(stderr).not.toContain("stood in");
    });

    it("plans pr-<N> out of the box, standing in for the image CI builds and the secret, and says what the real run needs", () => {
        const { status, stdout, stderr } = runs["preview"]!;
        expect(status).toBe(0);
        expect(stderr).toContain('Note: stack "pr-42" lacks values that only its deployment has; the plan stood in for them (listed in its standIns):');
        expect(stderr).toContain('ops:app.image = {"repository":"123456789012.dkr.ecr.us-east-1.amazonaws.com/plan-stand-in/app","tag":"plan-stand-in"}');
        expect(stderr).toContain("the real run needs the image to run: CI sets OPS_APP__IMAGE__REPOSITORY and OPS_APP__IMAGE__TAG");
        expect(stderr).toContain("ops:externalApiKey = [secret]\n      the real run needs pulumi config set --secret externalApiKey <value>");
        expect(stdout).toContain("App image:  123456789012.dkr.ecr.us-east-1.amazonaws.com/plan-stand-in/app:plan-stand-in  (app-deployment, track stable)  [stand-in]");
        expect(stdout).toContain("Stand-ins:  ops:app.image, ops:externalApiKey");
        const q = new PlanQuery(JSON.parse(fs.readFileSync(out("pr-42"), "utf8")));
        expect((q.plan as unknown as { standIns: string[] }).standIns).toEqual(["ops:app.image", "ops:externalApiKey"]);
        expect(JSON.stringify(q.ofType("kubernetes:apps/v1:Deployment").map((d) => d.inputs))).toContain("plan-stand-in/app:plan-stand-in");
    });

    it("plans the DR drill out of the box, standing in for the backups ARN that exists only at rebuild time", () => {
        const { status, stderr } = runs["rebuild"]!;
        expect(status).toBe(0);
        expect(stderr).toContain('ops:restore.sourceAutomatedBackupsArn = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-planstandin"');
        expect(stderr).toContain('the real run needs the ARN of the primary\'s automated backups replicated to this region: arn="$(./scripts/restore_database.sh --dr-arn)"');
        const plan = JSON.parse(fs.readFileSync(out("production-dr-drill"), "utf8")) as { standIns: string[]; resources: Array<{ type: string; inputs: Record<string, unknown> }> };
        expect(plan.standIns).toEqual(["ops:restore.sourceAutomatedBackupsArn", "ops:externalApiKey"]);
        const db = plan.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        expect(db.inputs["instanceClass"]).toBe("db.r6g.xlarge");
        expect(JSON.stringify(db.inputs)).toContain("arn:aws:rds:us-west-2:123456789012:auto-backup:ab-planstandin");
        expect(JSON.stringify(plan)).not.toContain(SECURE_STAND_IN);
    });

    it("reports a stack file that is not YAML as a settings error: exit 1, the file, line and column, no stack trace", () => {
        const { status, stderr } = runs["broken"]!;
        expect(status).toBe(1);
        expect(stderr).toContain(`Stack "${brokenStack}" has 1 configuration problem; nothing was created`);
        expect(stderr).toContain(`1. Pulumi.${brokenStack}.yaml:5:1`);
        expect(stderr).toContain("allowed:  valid YAML; here: Flow map in block collection must be sufficiently indented and end with a }");
        expect(stderr).not.toMatch(noTrace);
        expect(stderr).not.toContain("The plan failed");
    });

    it("names the nearest stack for a typo, and pr- stacks as previews of a pull request", () => {
        expect(runs["typo"]!.status).toBe(1);
        expect(runs["typo"]!.stderr).toContain("fix:      --stack production (did you mean it?)");
        expect(runs["prName"]!.status).toBe(1);
        expect(runs["prName"]!.stderr).toContain("allowed:  pr-<N>, N the number of a pull request");
    });

    it.each([
        ["noStack", "--stack is required"],
        ["stackWithoutValue", "--stack needs a stack name, got the option --json"],
        ["jsonInNoDirectory", "does not exist"],
    ])("exits 2 with the usage on a bad command line (%s), before planning", (name, message) => {
        const { status, stderr, stdout } = runs[name]!;
        expect(status).toBe(2);
        expect(stderr).toContain(message);
        expect(stderr).toContain("usage: npm run plan -- --stack <name>");
        expect(stdout).toBe("");
    });
});

describe("the printed plan", () => {
    it("shows the tree, the counts by type and the outputs", () => {
        const text = loadPlanText("production");
        expect(text).toContain('Plan of stack "production" (project ops), offline under mocks:');
        expect(text).toMatch(/^\+ pulumi:pulumi:Stack {2}ops-production$/m);
        expect(text).toMatch(/^ {4}\+ pulumi:providers:aws {2}myapp-us-east-1$/m);
        expect(text).toMatch(/Resources by type \(\d+\):/);
        expect(text).toContain("url: https://api.example.com");
    });
});
