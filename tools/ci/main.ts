/**
 * The logic of the delivery workflows (.github/workflows), one command each, so the YAML stays
 * triggers, permissions and calls, and this stays tested like the rest of the code.
 *
 *   npm run ci -- <command> --flag value ...
 *
 * Commands (docs/delivery.md describes each workflow that calls them):
 *   plan-side        plan every stack of a checkout offline, with its policy, cost and RTO reports
 *   pr-report        the pull-request comment body (plan diff and reports) and its metadata
 *   post-comment     post or edit the comment from a report artifact (trusted job, no PR code)
 *   preview-env      the image a pr-<N> stack runs, exported for the next steps
 *   preview-comment  post or edit the comment with a preview stack's URL (or say it is gone)
 *   stack-exists     whether `pulumi stack ls --json` lists a stack
 *   sweep            the pr-<N> stacks whose pull request is closed or that outlived the TTL
 *   health           the runbook 3.7 health check, with retries
 *   watch            the 30-minute post-deployment watch and rollback decision
 *   previous-release the release before a tag and the image it runs
 *   gates            the pre-deployment checklist of runbook 1.3
 *   release-notes    release notes in the runbook 1.5 template
 *   record-deployment  record that an image passed staging (smoke and E2E)
 *   staging-image    the image staging deploys: the dispatched tag, or the last one verified
 *   report-rollback  open the incident issue of a rolled-back release (and fail the run)
 *   publish-release  publish the release drafted by the gates job
 *   drift            open, update or close the stack's drift issue from `pulumi preview --json`
 *
 * Exit codes: 0 done; 1 the check failed (data loss, unhealthy, a gate, a rollback was needed);
 * 2 bad arguments or input; 3 an unexpected failure.
 */
import * as fs from "fs";
import * as path from "path";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { Flags, UsageError, parseFlags, positiveInt, required } from "./args";
import { driftAction, driftMarker, DRIFT_LABEL, findDrift } from "./drift";
import { evaluateGates, lastVerified, renderGates } from "./gates";
import { GitHub, releaseOfTag, upsertComment } from "./github";
import { checkHealth } from "./health";
import { exportEnv, setOutputs, summary } from "./outputs";
import { buildReport, parseMeta } from "./prReport";
import { DOCKER_TAG, git, imageTagAt, imageTagOf, previousRelease, RELEASE_TAG } from "./release";
import { parseLog, renderReleaseNotes } from "./releaseNotes";
import { planSide } from "./reportFiles";
import { previewImage, previewStack } from "./stacks";
import { chooseStacks, ListedStack } from "./sweeper";
import { AlarmState, renderVerdict, watch } from "./watch";

/** The marker of the comment that carries a preview stack's URL. */
export const PREVIEW_COMMENT_MARKER = "<!-- ops:preview-stack -->";

/** Largest comment body the trusted job accepts from an artifact (GitHub's limit). */
const MAX_BODY = 65_536;

type Command = (f: Flags) => Promise<number>;

const readJsonFile = (file: string): unknown => {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    } catch (e) {
        throw new UsageError(`${file}: ${(e as Error).message}`);
    }
};

const runUrl = () =>
    process.env["GITHUB_RUN_ID"] ? `${process.env["GITHUB_SERVER_URL"] ?? "https://github.com"}/${process.env["GITHUB_REPOSITORY"]}/actions/runs/${process.env["GITHUB_RUN_ID"]}` : undefined;

const prNumber = (f: Flags) => positiveInt(f, "pr");

export const commands: Record<string, Command> = {
    "plan-side": async (f) => {
        const pr = f["pr"] ? prNumber(f) : undefined;
        const r = planSide(required(f, "project", "the checkout to plan"), required(f, "out", "where to write plans and reports"), { ...(pr ? { pr } : {}), ...(f["sha"] ? { sha: f["sha"] } : {}) });
        process.stdout.write(`planned ${r.stacks.join(", ") || "nothing"}${Object.keys(r.failed).length ? `; failed: ${Object.keys(r.failed).join(", ")}` : ""}\n`);
        for (const n of r.notes) process.stdout.write(`note: ${n}\n`);
        return 0;
    },

    "pr-report": async (f) => {
        const out = required(f, "out", "the directory the artifact is made of");
        const { body, meta } = buildReport({
            baseDir: required(f, "base", "plan-side output of the base"),
            headDir: required(f, "head", "plan-side output of the head"),
            pr: prNumber(f),
            headSha: required(f, "sha", "the pull request's head commit"),
            baseLabel: f["base-label"] ?? "base",
            headLabel: f["head-label"] ?? "head",
            ...(runUrl() ? { runUrl: runUrl()! } : {}),
        });
        fs.mkdirSync(out, { recursive: true });
        fs.writeFileSync(path.join(out, "comment.md"), body);
        fs.writeFileSync(path.join(out, "meta.json"), JSON.stringify(meta));
        summary(body);
        if (meta.failedStacks.length > 0) {
            process.stderr.write(`the head's plan fails for ${meta.failedStacks.join(", ")}\n`);
            return 1;
        }
        if (meta.dataLoss > 0 && f["fail-on-data-loss"] === "true") {
            process.stderr.write(`${meta.dataLoss} change(s) lose data: see the comment\n`);
            return 1;
        }
        return 0;
    },

    "post-comment": async (f) => {
        const dir = required(f, "dir", "the downloaded report artifact");
        const meta = parseMeta(readJsonFile(path.join(dir, "meta.json")));
        const expectedSha = required(f, "head-sha", "github.event.workflow_run.head_sha");
        const body = fs.readFileSync(path.join(dir, "comment.md"), "utf8");
        if (body.length > MAX_BODY) throw new UsageError(`comment.md has ${body.length} characters, more than GitHub's ${MAX_BODY}`);
        if (!body.startsWith("<!-- ops:plan-diff -->")) throw new UsageError("comment.md does not start with the plan-diff marker: not a report of this workflow");
        if (meta.headSha !== expectedSha) throw new UsageError(`the report is of commit ${meta.headSha}, the run that made it of ${expectedSha}: refusing to post it`);
        const gh = GitHub.fromEnv();
        // The artifact names its pull request, but it was made by untrusted code: only post on a
        // pull request whose head is the commit the triggering run built.
        const pull = await gh.pull(meta.pr);
        if (pull.head.sha !== expectedSha) throw new UsageError(`pull request #${meta.pr} is at ${pull.head.sha}, not ${expectedSha}: refusing to post a report on it`);
        const r = (await upsertComment(gh, meta.pr, "<!-- ops:plan-diff -->", body))!;
        process.stdout.write(`${r.created ? "posted" : "edited"} comment ${r.id} on #${meta.pr}\n`);
        return 0;
    },

    "preview-env": async (f) => {
        const pr = prNumber(f);
        const vars = previewImage(pr, required(f, "sha", "the pull request's head commit"), required(f, "repository", "the app's image repository"), f["pinned-tag"]);
        exportEnv(vars);
        setOutputs({ stack: previewStack(pr), "image-tag": vars["OPS_APP__IMAGE__TAG"]! });
        return 0;
    },

    "preview-comment": async (f) => {
        const pr = prNumber(f);
        const stack = previewStack(pr);
        const gone = f["destroyed"] === "true";
        const body = gone
            ? `${PREVIEW_COMMENT_MARKER}\n### Preview stack \`${stack}\`\n\nDestroyed and removed: the pull request is closed.`
            : `${PREVIEW_COMMENT_MARKER}\n### Preview stack \`${stack}\`\n\n${required(f, "url", "the stack's url output")} runs commit \`${required(f, "sha", "the commit deployed").slice(0, 7)}\` (image \`${required(f, "image-tag", "the image deployed")}\`).\n\nIt is destroyed when the pull request closes, or after ${f["ttl-days"] ?? "7"} days without an update.`;
        // A destroyed stack edits the comment the preview posted; it posts none of its own.
        const r = await upsertComment(GitHub.fromEnv(), pr, PREVIEW_COMMENT_MARKER, body, gone);
        process.stdout.write(r ? `${r.created ? "posted" : "edited"} comment ${r.id} on #${pr}\n` : `no preview comment on #${pr} to edit\n`);
        return 0;
    },

    "stack-exists": async (f) => {
        const stack = required(f, "stack", "the stack to look for");
        const listed = readJsonFile(required(f, "stacks-json", "the output of `pulumi stack ls --json`")) as ListedStack[];
        const exists = Array.isArray(listed) && listed.some((s) => s.name.split("/").pop() === stack);
        setOutputs({ exists: String(exists) });
        return 0;
    },

    sweep: async (f) => {
        const listed = readJsonFile(required(f, "stacks-json", "the output of `pulumi stack ls --json`"));
        if (!Array.isArray(listed)) throw new UsageError("--stacks-json must hold a JSON list of stacks");
        const ttl = positiveInt(f, "ttl-days", 7);
        const gh = GitHub.fromEnv();
        const pulls = await gh.pulls("all");
        const states = new Map(pulls.map((p) => [p.number, p.state]));
        const chosen = chooseStacks(listed as ListedStack[], (n) => states.get(n), new Date(), ttl);
        setOutputs({ stacks: JSON.stringify(chosen.map((c) => c.stack)) });
        summary(["## Preview sweeper", "", chosen.length === 0 ? "Nothing to remove." : chosen.map((c) => `- \`${c.stack}\`: ${c.reason}`).join("\n")].join("\n"));
        return 0;
    },

    health: async (f) => {
        const url = required(f, "url", "the /health URL");
        const r = await checkHealth(url, {
            attempts: positiveInt(f, "attempts", 10),
            intervalMs: positiveInt(f, "interval-seconds", 15) * 1000,
            ...(f["expect-version"] ? { expectVersion: f["expect-version"] } : {}),
            log: (s) => process.stdout.write(`${s}\n`),
        });
        summary(`### Health check ${url}\n\n${r.ok ? `healthy (version ${r.version})` : `**unhealthy**: ${r.problems.join("; ")}`}`);
        return r.ok ? 0 : 1;
    },

    watch: async (f) => {
        const prefix = required(f, "alarm-prefix", "the stack's alarm name prefix, <appName>-<stack>");
        const regions = [...new Set(required(f, "regions", "the regions of the stack's alarms, comma-separated").split(",").map((r) => r.trim()).filter(Boolean))];
        const clients = regions.map((region) => new CloudWatchClient({ region }));
        const describe = async (): Promise<AlarmState[]> => {
            const out: AlarmState[] = [];
            for (const c of clients) {
                let token: string | undefined;
                do {
                    const page = await c.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${prefix}-`, AlarmTypes: ["MetricAlarm"], ...(token ? { NextToken: token } : {}) }));
                    for (const a of page.MetricAlarms ?? []) {
                        out.push({ name: a.AlarmName ?? "", state: (a.StateValue ?? "INSUFFICIENT_DATA") as AlarmState["state"], ...(a.StateReason ? { reason: a.StateReason } : {}), ...(a.StateUpdatedTimestamp ? { updated: a.StateUpdatedTimestamp.toISOString() } : {}) });
                    }
                    token = page.NextToken;
                } while (token);
            }
            return out;
        };
        const verdict = await watch({ prefix, minutes: positiveInt(f, "minutes", 30), intervalSeconds: positiveInt(f, "interval-seconds", 60), describe, log: (s) => process.stdout.write(`${s}\n`) });
        const report = renderVerdict(required(f, "stack", "the stack watched"), required(f, "release", "the release deployed"), verdict, f["rollback-to"]);
        summary(report);
        if (f["report"]) fs.writeFileSync(f["report"], report);
        setOutputs({ rollback: String(verdict.rollback) });
        return 0;
    },

    "previous-release": async (f) => {
        const tag = required(f, "tag", "the release tag");
        const prev = previousRelease(tag, git(["tag", "--list", "v*.*.*"]).split("\n").map((t) => t.trim()));
        const image = prev ? imageTagAt(prev) : undefined;
        setOutputs({ previous: prev ?? "", "previous-image-tag": image ?? "", "image-tag": imageTagAt(tag) ?? "" });
        return 0;
    },

    gates: async (f) => {
        const tag = required(f, "tag", "the release tag");
        if (!RELEASE_TAG.test(tag)) throw new UsageError(`--tag must be a release tag vMAJOR.MINOR.PATCH, got "${tag}"`);
        const sha = git(["rev-list", "-n", "1", tag]).trim();
        let onMain = true;
        try {
            git(["merge-base", "--is-ancestor", sha, f["main-ref"] ?? "origin/main"]);
        } catch {
            onMain = false;
        }
        const gh = GitHub.fromEnv();
        const approvedPulls: number[] = [];
        for (const p of await gh.pullsOfCommit(sha)) {
            if (!p.merged_at || p.base.ref !== "main") continue;
            const reviews = await gh.reviews(p.number);
            if (reviews.some((r) => r.state === "APPROVED")) approvedPulls.push(p.number);
        }
        const tags = git(["tag", "--list", "v*.*.*"]).split("\n").map((t) => t.trim());
        const prev = previousRelease(tag, tags);
        const imageTag = imageTagAt(tag);
        let stagingVerifiedAt: string | undefined;
        if (imageTag) {
            const deployments = await gh.deployments(f["staging-environment"] ?? "staging-verified");
            const withStatuses = await Promise.all(deployments.slice(0, 30).map(async (d) => ({ ...d, statuses: await gh.deploymentStatuses(d.id) })));
            stagingVerifiedAt = lastVerified(withStatuses, imageTag);
        }
        const gates = evaluateGates({
            tests: required(f, "tests", "the result of the test job"),
            config: required(f, "config", "the result of the offline plan and policy job"),
            onMain,
            approvedPulls,
            ...(imageTag ? { imageTag } : {}),
            ...(stagingVerifiedAt ? { stagingVerifiedAt } : {}),
            ...(prev ? { previousRelease: prev } : {}),
            ...(prev && imageTagAt(prev) ? { previousImageTag: imageTagAt(prev)! } : {}),
            firstRelease: prev === undefined,
        });
        const md = renderGates(tag, gates);
        summary(md);
        if (f["out"]) fs.writeFileSync(f["out"], md);
        return gates.some((g) => g.status === "fail") ? 1 : 0;
    },

    "release-notes": async (f) => {
        const tag = required(f, "tag", "the release tag");
        const tags = git(["tag", "--list", "v*.*.*"]).split("\n").map((t) => t.trim());
        const prev = previousRelease(tag, tags);
        const range = prev ? `${prev}..${tag}` : tag;
        const commits = parseLog(git(["log", "--no-merges", "--format=%H%x1f%s%x1f%b%x1e", range]));
        const image = imageTagAt(tag);
        const prevImage = prev ? imageTagAt(prev) : undefined;
        const notes = renderReleaseNotes(
            {
                tag,
                date: f["date"] ?? new Date().toISOString().slice(0, 10),
                ...(prev ? { previous: prev } : {}),
                ...(image ? { imageTag: image } : {}),
                ...(prevImage ? { previousImageTag: prevImage } : {}),
                ...(f["plan-summary"] ? { planSummary: f["plan-summary"] } : {}),
            },
            commits,
        );
        fs.writeFileSync(required(f, "out", "where to write the notes"), notes);
        summary(notes);
        return 0;
    },

    "record-deployment": async (f) => {
        const gh = GitHub.fromEnv();
        const imageTag = required(f, "image-tag", "the image that was deployed and tested");
        const state = required(f, "state", "success or failure");
        if (state !== "success" && state !== "failure") throw new UsageError(`--state must be success or failure, got "${state}"`);
        const d = await gh.createDeployment({ ref: required(f, "sha", "the commit deployed"), environment: f["environment"] ?? "staging-verified", payload: { imageTag }, description: `image ${imageTag}: smoke and E2E tests ${state === "success" ? "passed" : "failed"}` });
        await gh.createDeploymentStatus(d.id, state, `image ${imageTag}`, runUrl());
        return 0;
    },

    "staging-image": async (f) => {
        const chosen = f["input"] || f["payload"];
        let tag: string | undefined = chosen;
        let source = chosen ? (f["input"] ? "workflow_dispatch input" : "repository_dispatch payload") : "";
        if (!tag) {
            // A push to develop changes the infrastructure, not the app: keep the image that last passed staging.
            const gh = GitHub.fromEnv();
            const deployments = await gh.deployments(f["environment"] ?? "staging-verified");
            for (const d of deployments.slice(0, 30)) {
                const t = (d.payload as { imageTag?: unknown } | null)?.imageTag;
                if (typeof t !== "string") continue;
                const statuses = await gh.deploymentStatuses(d.id);
                if (statuses[0]?.state === "success") {
                    tag = t;
                    source = `the last image verified on staging (deployment ${d.id})`;
                    break;
                }
            }
        }
        if (!tag) {
            tag = imageTagOf(fs.readFileSync(f["stack-file"] ?? "Pulumi.staging.yaml", "utf8"));
            source = "Pulumi.staging.yaml";
        }
        if (!tag || !DOCKER_TAG.test(tag)) throw new UsageError(`no valid image tag to deploy (got ${JSON.stringify(tag)} from ${source || "nowhere"}): a tag is 1-128 of A-Z a-z 0-9 _ . - and does not start with . or -`);
        setOutputs({ "image-tag": tag });
        summary(`Staging deploys image tag \`${tag}\` (${source}).`);
        return 0;
    },

    "report-rollback": async (f) => {
        const release = required(f, "release", "the release rolled back");
        // The watch's report, or (the health check failed before any watch) the reason given.
        const file = f["report"];
        const report = file && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : required(f, "reason", "why the release was rolled back, when there is no watch report");
        const issue = await GitHub.fromEnv().createIssue(`Release ${release} rolled back`, report, ["incident"]);
        process.stdout.write(`opened issue #${issue.number}\n`);
        // The run fails: a rolled-back release is not a successful deployment.
        return 1;
    },

    "publish-release": async (f) => {
        const tag = required(f, "tag", "the release tag");
        const gh = GitHub.fromEnv();
        const release = await releaseOfTag(gh, tag);
        if (!release) throw new UsageError(`no release (draft or not) for tag ${tag}: the gates job drafts it`);
        if (release.draft) await gh.request("PATCH", `/repos/${gh.repository}/releases/${release.id}`, { draft: false });
        process.stdout.write(`published release ${tag}\n`);
        return 0;
    },

    drift: async (f) => {
        const stack = required(f, "stack", "the stack checked");
        const code = Number(required(f, "exit-code", "the exit code of pulumi preview"));
        const file = required(f, "preview", "the file `pulumi preview --json` wrote");
        const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        let result: ReturnType<typeof findDrift> | { error: string };
        try {
            result = code === 0 ? findDrift(JSON.parse(text) as unknown) : { error: text || `pulumi preview exited ${code}` };
        } catch (e) {
            result = { error: `${(e as Error).message}\n${text.slice(0, 2000)}` };
        }
        const gh = GitHub.fromEnv();
        const open = (await gh.issuesWithLabel(DRIFT_LABEL)).find((i) => (i.body ?? "").includes(driftMarker(stack)));
        const action = driftAction(stack, result, open, runUrl() ?? "(local run)", new Date().toISOString());
        if (action.kind === "create") await gh.createIssue(action.title, action.body, [DRIFT_LABEL]);
        else if (action.kind === "update") await gh.updateIssue(action.issue, { body: action.body });
        else if (action.kind === "close") {
            await gh.createComment(action.issue, action.comment);
            await gh.updateIssue(action.issue, { state: "closed" });
        }
        process.stdout.write(`drift of ${stack}: ${"error" in result ? "check failed" : `${result.length} finding(s)`}; issue: ${action.kind}\n`);
        return "error" in result || result.length > 0 ? 1 : 0;
    },
};

async function main(argv: string[]): Promise<number> {
    const [name, ...rest] = argv;
    const command = name ? commands[name] : undefined;
    if (!command) {
        process.stderr.write(`usage: npm run ci -- <command> [--flag value ...]\ncommands: ${Object.keys(commands).join(", ")}\n`);
        return 2;
    }
    try {
        return await command(parseFlags(rest));
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`${name}: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e: unknown) => {
            process.stderr.write(`${process.argv[2]} failed: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exit(3);
        },
    );
}


