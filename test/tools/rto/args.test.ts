import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError, parseArgs, readBase, readEventLog, readPlan } from "../../../tools/rto/args";
import { estimate } from "../../../tools/rto/estimate";
import { plan, res } from "./fixtures";

/** The command line of `npm run rto`: arguments and the files it reads, with every message. */

describe("parseArgs", () => {
    it("reads a stack or a plan, with its options, as `--flag value` or `--flag=value`", () => {
        expect(parseArgs(["--stack", "production", "--json"])).toEqual({ stack: "production", json: true, table: false, debug: false });
        expect(parseArgs(["--plan=head.json", "--base", "base.json", "--until", "app", "--debug"])).toEqual({
            plan: "head.json",
            base: "base.json",
            until: "app",
            json: false,
            table: false,
            debug: true,
        });
        expect(parseArgs(["--table"])).toMatchObject({ table: true });
    });

    it.each([
        [[], "give exactly one of --stack and --plan"],
        [["--stack", "dev", "--plan", "p.json"], "give exactly one of --stack and --plan"],
        [["--plan", "p.json", "--verbose"], "unknown argument --verbose"],
        [["--plan"], "--plan needs a value"],
        [["--plan", "--json"], "--plan needs a value"],
        [["--until=", "--plan", "p.json"], "--until needs a value"],
    ])("refuses %j with a usage error", (argv, message) => {
        expect(() => parseArgs(argv)).toThrow(UsageError);
        expect(() => parseArgs(argv)).toThrow(message);
        expect(() => parseArgs(argv)).toThrow("usage: npm run rto -- (--stack <name> | --plan <plan.json>)");
    });
});

describe("the files it reads", () => {
    let dir: string;
    const file = (name: string, text: string): string => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, text);
        return p;
    };

    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "rto-args-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads a plan, and a base given as a plan or as an estimate", () => {
        const p = plan(res("aws:ec2/vpc:Vpc", "vpc"));
        const planFile = file("plan.json", JSON.stringify(p));
        expect(readPlan(planFile)).toEqual(p);
        expect(readBase(planFile, undefined)).toEqual(estimate(p));
        const e = estimate(p);
        expect(readBase(file("estimate.json", JSON.stringify(e)), undefined)).toEqual(e);
    });

    it("says what is wrong with a file that is missing, not JSON or not a plan, and what to do", () => {
        expect(() => readPlan(path.join(dir, "nowhere.json"))).toThrow(
            new RegExp(`^Cannot read the plan ${path.join(dir, "nowhere.json")}: ENOENT.*Write one with \`npm run plan -- --stack <name> --json <file>\`\\.$`),
        );
        const broken = file("broken.json", "{ not json");
        expect(() => readBase(broken, undefined)).toThrow(
            `The file ${broken} (the base) is not JSON. Expected the file \`npm run plan -- --stack <name> --json <file>\` writes.`,
        );
        const other = file("other.json", JSON.stringify({ name: "ops-infrastructure" }));
        expect(() => readPlan(other)).toThrow(
            `${other} is not a plan: it has no "stack" and "resources". Expected the file \`npm run plan -- --stack <name> --json <file>\` writes.`,
        );
        expect(() => readEventLog(path.join(dir, "none.log"))).toThrow(/^Cannot read the event log .*none\.log: ENOENT.*Record one with `pulumi up --event-log <file>`\.$/);
    });
});

describe("--until", () => {
    it("takes a name, or `<type>::<name>` when several resources share the name, and says which when ambiguous", () => {
        const p = plan(res("aws:lb/targetGroup:TargetGroup", "app"), res("aws:s3/bucket:Bucket", "app"), res("aws:ec2/vpc:Vpc", "vpc"));
        expect(estimate(p, { until: "vpc" }).until).toBe("urn:pulumi:test::ops::aws:ec2/vpc:Vpc::vpc");
        expect(estimate(p, { until: "aws:s3/bucket:Bucket::app" }).until).toBe("urn:pulumi:test::ops::aws:s3/bucket:Bucket::app");
        expect(() => estimate(p, { until: "app" })).toThrow(
            "--until app: 2 resources have that name (app (aws:lb/targetGroup:TargetGroup), app (aws:s3/bucket:Bucket)): give its type too, `<type>::<name>`.",
        );
        expect(() => estimate(p, { until: "nothing" })).toThrow("--until nothing: no resource has that name.");
    });
});
