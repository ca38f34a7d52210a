import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { UsageError, parseFlags, positiveInt, required } from "../../../tools/ci/args";
import { PREVIEW_COMMENT_MARKER, commands } from "../../../tools/ci/main";
import { PLAN_COMMENT_MARKER } from "../../../tools/ci/prReport";
import { ROOT } from "../../helpers/stacks";
import { fakeGitHub } from "./fakeGitHub";

const SHA = "a".repeat(40);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-main-"));
const outputs = path.join(dir, "outputs");
const realFetch = globalThis.fetch;

function useGitHub(routes: Parameters<typeof fakeGitHub>[0]) {
    const gh = fakeGitHub(routes);
    globalThis.fetch = gh.fetch as unknown as typeof fetch;
    return gh;
}

beforeEach(() => {
    // The commands report what they did on stdout, for the workflow's log; the tests read outputs.
    jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    fs.writeFileSync(outputs, "");
    Object.assign(process.env, { GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: path.join(dir, "summary"), GITHUB_ENV: path.join(dir, "env"), GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", GITHUB_API_URL: "https://api.github.com" });
});
afterEach(() => jest.restoreAllMocks());
afterAll(() => {
    globalThis.fetch = realFetch;
    fs.rmSync(dir, { recursive: true, force: true });
});

const readOutputs = () => Object.fromEntries(fs.readFileSync(outputs, "utf8").trim().split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));

describe("flags", () => {
    it("parses --name value pairs and names what is missing or wrong", () => {
        expect(parseFlags(["--pr", "3", "--destroyed", "--url=https://x"])).toEqual({ pr: "3", destroyed: "true", url: "https://x" });
        expect(() => parseFlags(["stray"])).toThrow('unexpected argument "stray"');
        expect(() => required({}, "stack", "the stack")).toThrow("--stack is required: the stack");
        expect(() => positiveInt({ pr: "x" }, "pr")).toThrow('--pr must be a positive whole number, got "x"');
        expect(positiveInt({}, "ttl-days", 7)).toBe(7);
    });
});

describe("post-comment (the trusted job)", () => {
    const report = (meta: unknown, body = `${PLAN_COMMENT_MARKER}\n## Offline plan diff`) => {
        const d = fs.mkdtempSync(path.join(dir, "report-"));
        fs.writeFileSync(path.join(d, "meta.json"), JSON.stringify(meta));
        fs.writeFileSync(path.join(d, "comment.md"), body);
        return d;
    };

    it("posts the report on the pull request whose head the run built", async () => {
        const gh = useGitHub({ "GET /repos/o/r/pulls/5": { number: 5, head: { sha: SHA } }, "GET /repos/o/r/issues/5/comments": [], "POST /repos/o/r/issues/5/comments": { id: 1 } });
        await expect(commands["post-comment"]!({ dir: report({ pr: 5, headSha: SHA }), "head-sha": SHA })).resolves.toBe(0);
        expect(gh.calls.at(-1)).toMatchObject({ method: "POST", path: "/repos/o/r/issues/5/comments" });
    });

    it("refuses a report that names another commit or a pull request at another commit", async () => {
        useGitHub({ "GET /repos/o/r/pulls/5": { number: 5, head: { sha: "b".repeat(40) } } });
        await expect(commands["post-comment"]!({ dir: report({ pr: 5, headSha: "c".repeat(40) }), "head-sha": SHA })).rejects.toThrow(UsageError);
        await expect(commands["post-comment"]!({ dir: report({ pr: 5, headSha: SHA }), "head-sha": SHA })).rejects.toThrow(`pull request #5 is at ${"b".repeat(40)}, not ${SHA}: refusing to post a report on it`);
        await expect(commands["post-comment"]!({ dir: report({ pr: 5, headSha: SHA }, "hello"), "head-sha": SHA })).rejects.toThrow("comment.md does not start with the plan-diff marker");
        await expect(commands["post-comment"]!({ dir: report({ pr: 5, headSha: SHA }, `${PLAN_COMMENT_MARKER}${"x".repeat(70_000)}`), "head-sha": SHA })).rejects.toThrow("more than GitHub's 65536");
    });
});

describe("preview stacks", () => {
    it("exports the image of the preview and names its stack", async () => {
        await commands["preview-env"]!({ pr: "12", sha: SHA, repository: "myapp/backend", "pinned-tag": "" });
        expect(fs.readFileSync(path.join(dir, "env"), "utf8")).toContain("OPS_APP__IMAGE__TAG=pr-12-aaaaaaa\n");
        expect(readOutputs()).toEqual({ stack: "pr-12", "image-tag": "pr-12-aaaaaaa" });
    });

    it("edits the preview comment when the stack is gone, and posts nothing when there was none", async () => {
        const gh = useGitHub({ "GET /repos/o/r/issues/12/comments": [{ id: 4, body: `${PREVIEW_COMMENT_MARKER} up`, user: { login: "github-actions[bot]", type: "Bot" } }], "PATCH /repos/o/r/issues/comments/4": { id: 4 } });
        await commands["preview-comment"]!({ pr: "12", destroyed: "true" });
        expect(gh.calls.at(-1)).toMatchObject({ method: "PATCH", body: { body: expect.stringContaining("Destroyed and removed") } });
        const none = useGitHub({ "GET /repos/o/r/issues/13/comments": [] });
        await commands["preview-comment"]!({ pr: "13", destroyed: "true" });
        expect(none.calls.map((c) => c.method)).toEqual(["GET"]);
    });

    it("tells whether a stack exists, so destroying a missing one is not an error", async () => {
        const f = path.join(dir, "stacks.json");
        fs.writeFileSync(f, JSON.stringify([{ name: "organization/ops/pr-12" }, { name: "staging" }]));
        await commands["stack-exists"]!({ "stacks-json": f, stack: "pr-12" });
        await commands["stack-exists"]!({ "stacks-json": f, stack: "pr-13" });
        expect(fs.readFileSync(outputs, "utf8")).toBe("exists=true\nexists=false\n");
    });

    it("sweeps stacks of closed pull requests", async () => {
        const f = path.join(dir, "sweep.json");
        fs.writeFileSync(f, JSON.stringify([{ name: "pr-1", lastUpdate: new Date().toISOString() }, { name: "pr-2", lastUpdate: new Date().toISOString() }]));
        useGitHub({ "GET /repos/o/r/pulls?state=all": [{ number: 1, state: "closed" }, { number: 2, state: "open" }] });
        await commands["sweep"]!({ "stacks-json": f, "ttl-days": "7" });
        expect(readOutputs()).toEqual({ stacks: '["pr-1"]' });
    });
});

describe("staging-image", () => {
    it("takes the dispatched tag, else the last image verified on staging, else the stack file's", async () => {
        await commands["staging-image"]!({ input: "1.5.0" });
        useGitHub({
            "GET /repos/o/r/deployments?environment=staging-verified&per_page=100": [{ id: 8, payload: { imageTag: "1.4.9" } }],
            "GET /repos/o/r/deployments/8/statuses?per_page=100": [{ state: "success", created_at: "x" }],
        });
        await commands["staging-image"]!({});
        useGitHub({ "GET /repos/o/r/deployments?environment=staging-verified&per_page=100": [] });
        await commands["staging-image"]!({ "stack-file": path.join(ROOT, "Pulumi.staging.yaml") });
        const tags = fs.readFileSync(outputs, "utf8").trim().split("\n");
        expect(tags.slice(0, 2)).toEqual(["image-tag=1.5.0", "image-tag=1.4.9"]);
        expect(tags[2]).toMatch(/^image-tag=\S+$/);
    });

    it("refuses a tag a registry would not accept", async () => {
        await expect(commands["staging-image"]!({ payload: "1.0; rm -rf /" })).rejects.toThrow('no valid image tag to deploy (got "1.0; rm -rf /" from repository_dispatch payload)');
    });
});

describe("drift", () => {
    it("opens the stack's issue when the preview shows drift, and fails the job", async () => {
        const f = path.join(dir, "preview.json");
        fs.writeFileSync(f, JSON.stringify({ steps: [{ op: "update", urn: "urn:pulumi:staging::ops::aws:s3/bucket:Bucket::b", diffReasons: ["tags"] }] }));
        const gh = useGitHub({ "GET /repos/o/r/issues?state=open&labels=drift": [], "POST /repos/o/r/issues": { number: 1 } });
        await expect(commands["drift"]!({ stack: "staging", preview: f, "exit-code": "0" })).resolves.toBe(1);
        expect(gh.calls.at(-1)).toMatchObject({ method: "POST", body: { title: "Drift: staging", labels: ["drift"] } });
    });
});

describe("report-rollback", () => {
    it("opens the incident issue with the watch's report, or the reason when there is none, and fails the run", async () => {
        const gh = useGitHub({ "POST /repos/o/r/issues": { number: 31 } });
        await expect(commands["report-rollback"]!({ release: "v1.4.0", report: path.join(dir, "no-such-report.md"), reason: "The health check failed" })).resolves.toBe(1);
        expect(gh.calls.at(-1)).toEqual({ method: "POST", path: "/repos/o/r/issues", body: { title: "Release v1.4.0 rolled back", body: "The health check failed", labels: ["incident"] } });
        await expect(commands["report-rollback"]!({ release: "v1.4.0" })).rejects.toThrow("--reason is required");
    });
});

describe("npm run ci", () => {
    it("lists the commands on an unknown one and exits 2", async () => {
        const r = await promisify(execFile)(process.execPath, ["-r", "./tools/register.js", "tools/ci/main.ts", "nope"], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
        expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining("commands: plan-side, pr-report, post-comment") });
    });
});
