import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RUNNER_NETWORKS, runnerLabel } from "../../modules/ci/runnerPolicy";
import { runLint } from "./actionlint";
import { allJobs, environmentOf, loadWorkflows, pulumiCommands } from "./workflows";

/**
 * The delivery workflows cannot run here, so their safety is tested as properties of the YAML:
 * actionlint finds what GitHub would refuse, and these tests pin what a reviewer must never
 * have to find by hand (least permissions, no secrets for forks, pinned actions, production only
 * behind its environment, one concurrency group per stack).
 */
const workflows = loadWorkflows();
const jobs = allJobs(workflows);

const EXPECTED_WORKFLOWS = ["dr-drill.yml", "dr-mirror.yml", "drift.yml", "pr-cloud.yml", "pr-comment.yml", "pr.yml", "preview-sweeper.yml", "production.yml", "staging.yml"];

describe("the workflows", () => {
    it("are the delivery flow of the runbook, one file each", () => {
        expect(workflows.map((w) => w.file)).toEqual(EXPECTED_WORKFLOWS);
        expect(jobs.length).toBeGreaterThanOrEqual(15);
    });

    it.each(EXPECTED_WORKFLOWS)("%s is actionlint-clean", async (file) => {
        const wf = workflows.find((w) => w.file === file)!;
        expect(await runLint(wf.text, file)).toEqual([]);
    });

    it("actionlint finds a real mistake (the check can fail)", async () => {
        const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
        expect((await runLint(broken, "broken.yml")).map((r) => r.kind)).toContain("expression");
    });
});

/** The permissions of every job: any widening shows up in review as a change to this table. */
const PERMISSIONS: Record<string, Record<string, string>> = {
    "pr.yml/test": { contents: "read" },
    "pr.yml/plan-diff": { contents: "read" },
    "pr-comment.yml/comment": { actions: "read", "pull-requests": "write" },
    "pr-cloud.yml/preview": { contents: "read", "id-token": "write" },
    "pr-cloud.yml/preview-stack": { contents: "read", "id-token": "write", "pull-requests": "write" },
    "pr-cloud.yml/destroy-preview-stack": { contents: "read", "id-token": "write", "pull-requests": "write" },
    "preview-sweeper.yml/choose": { contents: "read", "id-token": "write", "pull-requests": "read" },
    "preview-sweeper.yml/destroy": { contents: "read", "id-token": "write" },
    "staging.yml/test": { contents: "read" },
    "staging.yml/deploy": { contents: "read", "id-token": "write", deployments: "write" },
    "production.yml/test": { contents: "read" },
    "production.yml/config": { contents: "read" },
    "production.yml/gates": { contents: "write", "pull-requests": "read", deployments: "read" },
    "production.yml/plan": { contents: "read", "id-token": "write" },
    "production.yml/deploy": { contents: "write", "id-token": "write", issues: "write" },
    "drift.yml/drift": { contents: "read", "id-token": "write", issues: "write" },
    "dr-drill.yml/drill": { contents: "read", "id-token": "write" },
    "dr-mirror.yml/mirror": { contents: "read", "id-token": "write" },
};

describe("least privilege", () => {
    it("grants nothing at the top of any workflow", () => {
        for (const wf of workflows) expect([wf.file, wf.permissions]).toEqual([wf.file, {}]);
    });

    it("grants each job exactly the permissions it needs", () => {
        const actual = Object.fromEntries(jobs.map(({ wf, id, job }) => [`${wf.file}/${id}`, job.permissions]));
        expect(actual).toEqual(PERMISSIONS);
    });

    it("keeps no checkout's token in the git config", () => {
        const checkouts = jobs.flatMap(({ job }) => job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")));
        expect(checkouts.length).toBeGreaterThan(15);
        for (const c of checkouts) expect(c.with?.["persist-credentials"]).toBe(false);
    });

    it("puts a time limit on every job", () => {
        for (const { wf, id, job } of jobs) expect([`${wf.file}/${id}`, typeof job["timeout-minutes"]]).toEqual([`${wf.file}/${id}`, "number"]);
    });
});

describe("pull requests from forks", () => {
    const prWorkflows = workflows.filter((w) => "pull_request" in w.on);

    it("never use pull_request_target", () => {
        for (const wf of workflows) expect([wf.file, "pull_request_target" in wf.on]).toEqual([wf.file, false]);
    });

    it("get no secret and no cloud credentials: every such job is limited to this repository's branches", () => {
        expect(prWorkflows.length).toBe(2);
        for (const wf of prWorkflows) {
            for (const [id, job] of Object.entries(wf.jobs)) {
                const text = JSON.stringify(job);
                const privileged = /secrets\./.test(text) || (typeof job.permissions === "object" && job.permissions["id-token"] === "write");
                if (privileged) expect([`${wf.file}/${id}`, job.if]).toEqual([`${wf.file}/${id}`, expect.stringContaining("github.event.pull_request.head.repo.full_name == github.repository")]);
                else expect([`${wf.file}/${id}`, job.permissions]).toEqual([`${wf.file}/${id}`, { contents: "read" }]);
            }
        }
    });

    it("are commented on by a job that runs no pull-request code", () => {
        // workflow_run jobs run with the default branch's workflow and a token of their own, whatever ran before them.
        const followers = workflows.filter((w) => "workflow_run" in w.on);
        expect(followers.map((w) => [w.file, (w.on["workflow_run"] as { workflows: string[] }).workflows])).toEqual([
            ["dr-mirror.yml", ["Production"]],
            ["pr-comment.yml", ["Pull request"]],
        ]);
        for (const { job } of allJobs(followers)) {
            for (const s of job.steps.filter((x) => x.uses?.startsWith("actions/checkout@"))) {
                expect(s.with?.["ref"]).toBeUndefined();
                expect(s.with?.["repository"]).toBeUndefined();
            }
            expect(JSON.stringify(job)).not.toMatch(/secrets\./);
        }
    });

    it("never ask actions/checkout to fetch a fork's code into a trusted context (allow-unsafe-pr-checkout)", () => {
        for (const { job } of jobs) for (const s of job.steps.filter((x) => x.uses?.startsWith("actions/checkout@"))) expect(s.with?.["allow-unsafe-pr-checkout"]).toBeUndefined();
    });

    it("never interpolate event data into a shell script (it goes through env)", () => {
        for (const { wf, id, job } of jobs) for (const s of job.steps.filter((x) => x.run)) expect([`${wf.file}/${id}`, s.run]).toEqual([`${wf.file}/${id}`, expect.not.stringMatching(/\$\{\{\s*(github\.event|inputs)\./)]);
    });
});

describe("actions", () => {
    const uses = jobs.flatMap(({ job }) => job.steps.filter((s) => s.uses).map((s) => s.uses!));
    const lines = workflows.flatMap((w) => w.text.split("\n").filter((l) => /^\s*(-\s*)?uses:/.test(l)));

    it("are pinned to full commit SHAs, with the version in a comment", () => {
        expect(lines.length).toBeGreaterThan(40);
        for (const l of lines) expect(l).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    });

    it("use one version of each action everywhere", () => {
        const byAction = new Map<string, Set<string>>();
        for (const u of uses) {
            const [name, sha] = u.split("@");
            byAction.set(name!, (byAction.get(name!) ?? new Set()).add(sha!));
        }
        expect([...byAction.keys()].sort()).toEqual(["Azure/setup-helm", "actions/checkout", "actions/download-artifact", "actions/setup-node", "actions/upload-artifact", "aws-actions/configure-aws-credentials", "pulumi/actions"]);
        for (const [name, shas] of byAction) expect([name, shas.size]).toEqual([name, 1]);
    });

    it("install Node from .node-version", () => {
        for (const { job } of jobs) for (const s of job.steps.filter((x) => x.uses?.startsWith("actions/setup-node@"))) expect(String(s.with?.["node-version-file"])).toMatch(/(^|\/)\.node-version$/);
    });
});

describe("stacks", () => {
    it("deploy production only from a job in the production environment", () => {
        const touching = jobs.filter(({ job }) => pulumiCommands(job).some((c) => c.stack === "production" && c.command !== "preview"));
        expect(touching.map(({ wf, id }) => `${wf.file}/${id}`)).toEqual(["production.yml/deploy"]);
        expect(environmentOf(touching[0]!.job)).toBe("production");
        const inProduction = jobs.filter(({ job }) => environmentOf(job) === "production");
        expect(inProduction.map(({ wf, id }) => `${wf.file}/${id}`)).toEqual(["production.yml/deploy"]);
        expect(workflows.find((w) => w.file === "production.yml")!.on).toEqual({ push: { tags: ["v*.*.*"] } });
    });

    it("apply in production exactly the plan saved by the preview the reviewers saw", () => {
        const prod = workflows.find((w) => w.file === "production.yml")!;
        const plan = prod.jobs["plan"]!.steps.find((s) => s.with?.["command"] === "preview")!;
        const up = prod.jobs["deploy"]!.steps.find((s) => s.with?.["command"] === "up" && s.with?.["plan"])!;
        expect(plan.with?.["plan"]).toBe("${{ runner.temp }}/production-plan.json");
        expect(up.with?.["plan"]).toBe("${{ runner.temp }}/production-plan.json");
        expect(prod.jobs["deploy"]!.needs).toEqual(["gates", "plan"]);
        expect(prod.env?.["PULUMI_EXPERIMENTAL"]).toBe("true");
    });

    it("roll production back to the previous release's image when the health check fails or a trigger fires", () => {
        const steps = workflows.find((w) => w.file === "production.yml")!.jobs["deploy"]!.steps;
        const byName = (n: string) => steps.find((s) => s.name === n)!;
        expect(byName("Health check")).toMatchObject({ id: "health", "continue-on-error": true });
        expect(byName("Watch the alarms for 30 minutes (runbook 1.3 step 8)").if).toBe("steps.health.outcome == 'success'");
        const rollback = byName("Roll back to the previous release (runbook 1.4)");
        expect(rollback.if).toBe("(steps.health.outcome == 'failure' || steps.watch.outputs.rollback == 'true') && env.PREVIOUS_IMAGE_TAG != ''");
        expect(rollback.env?.["OPS_APP__IMAGE__TAG"]).toBe("${{ env.PREVIOUS_IMAGE_TAG }}");
        const order = steps.map((s) => s.name);
        expect(order.indexOf("Report a rollback")).toBeLessThan(order.indexOf("Publish the release"));
    });

    it("change each stack within one concurrency group per stack, never cancelling a running update", () => {
        const changing = jobs.filter(({ job }) => pulumiCommands(job).some((c) => c.command !== "preview"));
        expect(changing.length).toBeGreaterThanOrEqual(5);
        for (const { wf, id, job } of changing) {
            const group = (typeof job.concurrency === "object" ? job.concurrency : wf.concurrency) as { group: string; "cancel-in-progress"?: boolean } | undefined;
            for (const { stack } of pulumiCommands(job).filter((c) => c.command !== "preview")) {
                const expected = `pulumi-${stack.replace(/^pr-\$\{\{ github\.event\.pull_request\.number \}\}$/, "pr-${{ github.event.pull_request.number }}")}`;
                expect([`${wf.file}/${id}`, group?.group]).toEqual([`${wf.file}/${id}`, expected]);
                expect(group?.["cancel-in-progress"]).toBe(false);
            }
        }
    });

    it("reach the clusters' private endpoints from runners in their VPCs (docs/delivery.md)", () => {
        for (const { wf, id, job } of jobs.filter(({ job }) => pulumiCommands(job).length > 0)) {
            const labels = ([] as string[]).concat(job["runs-on"]);
            // The CodeBuild projects modules/ci creates (runnerProjectName), in the label format CodeBuild requires.
            const known = [...RUNNER_NETWORKS.map(runnerLabel), runnerLabel("${{ matrix.stack }}")];
            expect([`${wf.file}/${id}`, known.includes(labels[0]!)]).toEqual([`${wf.file}/${id}`, true]);
        }
    });
});

describe("the DR mirror", () => {
    const wf = workflows.find((w) => w.file === "dr-mirror.yml")!;
    const job = wf.jobs["mirror"]!;

    it("runs after each successful production run, weekly, and by hand, one run at a time", () => {
        expect(wf.on).toEqual({ workflow_run: { workflows: ["Production"], types: ["completed"] }, schedule: [{ cron: "0 6 * * 1" }], workflow_dispatch: null });
        expect(job.if).toBe("github.event_name != 'workflow_run' || github.event.workflow_run.conclusion == 'success'");
        expect(wf.concurrency).toEqual({ group: "dr-mirror", "cancel-in-progress": false });
    });

    it("assumes the DR mirror role of its own environment in the DR region, on GitHub's runner, with no secret", () => {
        expect([job["runs-on"], environmentOf(job)]).toEqual(["ubuntu-latest", "dr-mirror"]);
        const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
        expect(credentials.with).toEqual({ "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}", "aws-region": "${{ vars.AWS_DR_REGION }}", "role-session-name": "dr-mirror-${{ github.run_id }}" });
        expect(wf.env?.["AWS_STS_REGIONAL_ENDPOINTS"]).toBe("regional");
        expect(wf.text).not.toMatch(/secrets\./);
    });

    it("runs scripts/dr_mirror.sh on production's drMirror output, changing no stack", () => {
        expect(job.steps.filter((s) => s.run?.includes("dr_mirror.sh")).map((s) => s.run)).toEqual(['./scripts/dr_mirror.sh --stack production > "$RUNNER_TEMP/dr-mirror.txt"']);
        expect(pulumiCommands(job)).toEqual([]);
        const pulumi = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
        expect(pulumi.with).toEqual({ "pulumi-version-file": ".github/pulumi-version" });
    });
});

const shellcheck = (() => {
    try {
        execFileSync("shellcheck", ["--version"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
})();

describe("run scripts", () => {
    if (!shellcheck) {
        it.skip("pass shellcheck (skipped: shellcheck is not installed; apt-get install -y shellcheck)", () => undefined);
        return;
    }
    it("pass shellcheck", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-run-"));
        const scripts = jobs.flatMap(({ wf, id, job }) => job.steps.filter((s) => s.run).map((s, i) => ({ file: path.join(dir, `${wf.file}-${id}-${i}.sh`), run: s.run! })));
        expect(scripts.length).toBeGreaterThan(20);
        for (const s of scripts) fs.writeFileSync(s.file, `#!/usr/bin/env bash\nset -eo pipefail\n${s.run.replace(/\$\{\{[^}]*\}\}/g, "X")}\n`);
        expect(() => execFileSync("shellcheck", ["--severity=style", ...scripts.map((s) => s.file)], { encoding: "utf8" })).not.toThrow();
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
