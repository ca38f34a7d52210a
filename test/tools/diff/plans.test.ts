import { execFile } from "child_process";
import * as aws from "@pulumi/aws";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { promisify } from "util";
import { dataLossChanges, diffPlans, diffStack } from "../../../tools/diff/diff";
import { InputError } from "../../../tools/diff/load";
import { parseArgs, run as runDiff } from "../../../tools/diff/main";
import { TYPE_RULES } from "../../../tools/diff/replacing";
import { recordPlan } from "../../../tools/plan/record";
import { STATEFUL_TYPES } from "../../../policy/rules/general";
import { loadPlan } from "../../helpers/plan";
import { ROOT, plannedStacks } from "../../helpers/stacks";

const exec = promisify(execFile);
const run = runDiff;

/** The plan diff on the plans the plan tool makes of this project's stacks (test/helpers/globalSetup.ts). */
describe("the plan diff on the stacks' own plans", () => {
    const stacks = plannedStacks();

    it("finds no change between a stack's plan and itself, for every stack", () => {
        expect(stacks.length).toBeGreaterThanOrEqual(4);
        for (const s of stacks) {
            const p = loadPlan(s);
            expect(p.resources.length).toBeGreaterThan(10);
            expect(diffStack(p, structuredClone(p))).toMatchObject({ status: "unchanged", changes: [], protection: [] });
        }
    });

    it("flags renaming production's database as data loss", () => {
        const base = loadPlan("production");
        const head = structuredClone(base);
        const db = head.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        db.inputs["identifier"] = "myapp-prod";
        const losses = dataLossChanges(diffPlans(new Map([["production", base]]), new Map([["production", head]])));
        expect(losses.map((l) => [l.change.op, l.change.type, l.change.replacedBy[0]?.path])).toEqual([["replace", "aws:rds/instance:Instance", "identifier"]]);
        expect(losses[0]!.change.dataLoss).toMatch(/^protected and stateful, replaced/);
    });

    it("knows why every type production protects holds data, and every type the policy calls stateful", () => {
        const protectedTypes = [...new Set(loadPlan("production").resources.filter((r) => r.protect).map((r) => r.type))];
        expect(protectedTypes.length).toBeGreaterThan(3);
        for (const t of [...protectedTypes, ...STATEFUL_TYPES]) expect([t, typeof TYPE_RULES[t]?.stateful]).toEqual([t, "string"]);
    });

    it("has replacing inputs for the commonly changed types of the plans", () => {
        const types = new Set(stacks.flatMap((s) => loadPlan(s).resources.map((r) => r.type)));
        const common = ["aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup", "kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job"];
        for (const t of common) {
            expect(types.has(t)).toBe(true);
            expect(Object.keys(TYPE_RULES[t]!.replacing).length).toBeGreaterThan(0);
        }
    });
});

describe("npm run plan:diff", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-cli-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const base = path.join(dir, "base");
    const head = path.join(dir, "head");
    fs.mkdirSync(base);
    fs.mkdirSync(head);
    const cli = (...args: string[]) =>
        exec(process.execPath, ["-r", "./tools/register.js", "tools/diff/main.ts", ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
            (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
            (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
        );

    beforeAll(() => {
        for (const s of ["staging", "production"]) {
            const p = loadPlan(s);
            fs.writeFileSync(path.join(base, `${s}.json`), JSON.stringify(p));
            if (s === "production") {
                const changed = structuredClone(p);
                changed.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")!.inputs["port"] = 6380;
                fs.writeFileSync(path.join(head, `${s}.json`), JSON.stringify(changed));
            } else fs.writeFileSync(path.join(head, `${s}.json`), JSON.stringify(p));
        }
    });

    it("exits 0 on plans without data loss", async () => {
        const r = await cli(path.join(base, "staging.json"), path.join(head, "staging.json"));
        expect(r).toMatchObject({ code: 0, stderr: "" });
        expect(r.stdout).toContain("staging: no changes");
    });

    it("exits 1 on data loss and renders the comment body of a directory per side", async () => {
        const r = await cli(base, head, "--markdown", "--base-label", "main");
        expect(r.code).toBe(1);
        expect(r.stdout).toContain("| production | 0 | 0 | 1 | 0 | 0 | **1** |");
        expect(r.stdout).toContain("| staging | 0 | 0 | 0 | 0 | 0 | 0 |");
        expect(r.stdout).toContain("replaced by `port` (ForceNew)");
    });

    it("writes JSON with the data-loss count", async () => {
        const out = path.join(dir, "diff.json");
        const r = await cli(base, head, "--json", "--out", out);
        expect(r.code).toBe(1);
        expect(JSON.parse(fs.readFileSync(out, "utf8"))).toMatchObject({ dataLoss: 1, stacks: [{ stack: "production" }, { stack: "staging" }] });
    });

    it("exits 2 with a clear message on bad input", async () => {
        const notPlan = path.join(dir, "x.json");
        fs.writeFileSync(notPlan, "{}");
        expect(await cli(notPlan, notPlan)).toMatchObject({ code: 2, stderr: expect.stringContaining(`${notPlan}: not an offline plan`) });
    });

    it("names each bad argument", () => {
        // In-process: the same parser and loader the command runs, without a process per case.
        const bad = (...argv: string[]) => () => run(parseArgs(argv));
        expect(bad(base)).toThrow("expected a base and a head, got 1 path(s)");
        expect(bad(base, head, "--markdown", "--json")).toThrow("--markdown and --json exclude each other");
        expect(bad(base, head, "--max-chars", "5")).toThrow("--max-chars must be a whole number of at least 1000, got 5");
        expect(bad(base, head, "--bogus")).toThrow("unknown option --bogus");
        expect(bad(base, head, "--out")).toThrow("--out needs a value");
        expect(bad(base, path.join(dir, "missing"))).toThrow(InputError);
        expect(bad(base, path.join(dir, "missing"))).toThrow("missing: no such file or directory");
        const dup = path.join(dir, "dup");
        fs.mkdirSync(dup);
        fs.copyFileSync(path.join(base, "staging.json"), path.join(dup, "a.json"));
        fs.copyFileSync(path.join(base, "staging.json"), path.join(dup, "b.json"));
        expect(bad(dup, head)).toThrow('a second plan of stack "staging"');
        const empty = fs.mkdtempSync(path.join(dir, "empty-"));
        expect(bad(empty, head)).toThrow("the directory holds no .json plan");
        fs.writeFileSync(path.join(dir, "broken.json"), "{");
        expect(bad(path.join(dir, "broken.json"), head)).toThrow("broken.json: not JSON");
    });
});

describe("aliases recorded by the plan tool", () => {
    class Files extends pulumi.ComponentResource {
        constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
            super(type, name, {}, opts);
            const provider = new aws.Provider(`${name}-provider`, { region: "us-east-1" }, { parent: this, aliases: opts?.aliases ? [{ name: "files-provider" }] : [] });
            new aws.s3.Bucket("bucket", { bucket: "myapp-files" }, { parent: this, provider });
            new aws.iam.Role("reader", { assumeRolePolicy: "{}" }, { parent: this, provider });
            this.registerOutputs({});
        }
    }
    const record = (program: () => void) =>
        recordPlan({ project: "ops", stack: "aliases", config: {}, secretKeys: [], defaultRegion: "us-east-1", program: () => (program(), {}) });

    it("lets the diff follow a component renamed and retyped with aliases, children included", async () => {
        const before = await record(() => new Files("ops:files:Files", "files"));
        const after = await record(() => new Files("ops:storage:Documents", "documents", { aliases: [{ name: "files", type: "ops:files:Files" }] }));
        const bucket = after.resources.find((r) => r.name === "bucket")!;
        expect(bucket.urn).toBe("urn:pulumi:aliases::ops::ops:storage:Documents$aws:s3/bucket:Bucket::bucket");
        const d = diffStack(before, after);
        expect(d.changes).toEqual([]);
        expect(d.renames.map((r) => r.from)).toEqual(
            expect.arrayContaining(["urn:pulumi:aliases::ops::ops:files:Files$aws:s3/bucket:Bucket::bucket", "urn:pulumi:aliases::ops::ops:files:Files$aws:iam/role:Role::reader"]),
        );
    });
});
