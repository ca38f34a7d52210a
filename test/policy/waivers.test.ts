import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluate } from "../../policy/report";
import { rules } from "../../policy/rules";
import { WAIVERS_FILE, Waiver, loadWaivers, validateWaivers } from "../../policy/waivers";
import { plannedStacks } from "../helpers/stacks";
import { res } from "./fixtures";

const TODAY = new Date("2026-12-01T12:00:00Z");
const valid = (over: Record<string, unknown> = {}) => ({
    rule: "s3-encrypted-with-kms",
    stacks: ["production"],
    resource: "aws:s3/bucket:Bucket::alb-logs",
    reason: "ALB access log delivery supports SSE-S3 only; the bucket is private and TLS-only.",
    approvedBy: "platform-engineering",
    expires: "2027-06-30",
    ...over,
});
const errorsOf = (entries: unknown[]) => validateWaivers({ waivers: entries }, rules, TODAY).errors.map((e) => e.message);

describe("waivers", () => {
    it("accepts a complete, current waiver", () => {
        expect(validateWaivers({ waivers: [valid()] }, rules, TODAY)).toEqual({ waivers: [valid()], errors: [] });
        expect(validateWaivers({ waivers: [] }, rules, TODAY)).toEqual({ waivers: [], errors: [] });
        expect(validateWaivers(null, rules, TODAY)).toEqual({ waivers: [], errors: [] });
    });

    it.each([
        [{ rule: "no-such-rule" }, 'waiver 1 (no-such-rule): rule "no-such-rule" is not a rule of the pack (npm run policy -- --list)'],
        [{ rule: undefined }, "waiver 1: rule null is not a rule of the pack (npm run policy -- --list)"],
        [{ stacks: [] }, "waiver 1 (s3-encrypted-with-kms): stacks must be a non-empty list of stack names"],
        [{ stacks: "production" }, "waiver 1 (s3-encrypted-with-kms): stacks must be a non-empty list of stack names"],
        [{ stacks: ["production", ""] }, "waiver 1 (s3-encrypted-with-kms): stacks must be a non-empty list of stack names"],
        [{ resource: "alb-logs" }, 'waiver 1 (s3-encrypted-with-kms): resource "alb-logs" must be "<type>::<name>", as in the resource\'s URN'],
        [{ reason: "SSE-S3 only" }, "waiver 1 (s3-encrypted-with-kms): reason must say why the rule does not apply (at least 30 characters)"],
        [{ reason: undefined }, "waiver 1 (s3-encrypted-with-kms): reason must say why the rule does not apply (at least 30 characters)"],
        [{ approvedBy: " " }, "waiver 1 (s3-encrypted-with-kms): approvedBy must name who reviewed the waiver"],
        [{ expires: "next year" }, "waiver 1 (s3-encrypted-with-kms): expires must be a date (YYYY-MM-DD)"],
        [{ expires: undefined }, "waiver 1 (s3-encrypted-with-kms): expires must be a date (YYYY-MM-DD)"],
        [{ expires: "2026-11-30" }, "waiver 1 (s3-encrypted-with-kms): expired on 2026-11-30: review it again, then renew or delete it"],
        [{ expires: "2028-01-01" }, "waiver 1 (s3-encrypted-with-kms): expires 2028-01-01 is more than 366 days ahead: waivers are reviewed at least yearly"],
    ])("rejects %j", (over, message) => {
        expect(errorsOf([valid(over)])).toEqual([message]);
    });

    it("holds on its last day, and accepts the expiry as a YAML date", () => {
        expect(errorsOf([valid({ expires: "2026-12-01" })])).toEqual([]);
        expect(errorsOf([valid({ expires: new Date("2027-01-31T00:00:00Z") })])).toEqual([]);
    });

    it("reports every problem of a waiver, and a second waiver of the same rule, resource and stack", () => {
        expect(errorsOf([valid({ reason: "short", approvedBy: "" })])).toHaveLength(2);
        expect(errorsOf([valid(), valid({ stacks: ["staging", "production"] })])).toEqual(["waiver 2 (s3-encrypted-with-kms): waives s3-encrypted-with-kms for aws:s3/bucket:Bucket::alb-logs in production a second time"]);
    });

    it("rejects a file that is not a list of waivers, and a file that is not YAML", () => {
        expect(validateWaivers({ waivers: { rule: "x" } }, rules, TODAY).errors.map((e) => e.message)).toEqual(["policy/waivers.yaml must hold `waivers:` followed by a list (an empty list is `waivers: []`)"]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "waivers-"));
        fs.writeFileSync(path.join(dir, "bad.yaml"), "waivers: [\n");
        expect(loadWaivers(rules, path.join(dir, "bad.yaml"), TODAY).errors[0]?.message).toMatch(/^bad.yaml is not valid YAML: /);
        expect(loadWaivers(rules, path.join(dir, "missing.yaml"), TODAY)).toEqual({ waivers: [], errors: [] });
        fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("applied to a stack", () => {
        const bucket = (name: string) => [
            res("aws:s3/bucket:Bucket", {}, { name, id: name }),
            res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
        ];
        const waiver = valid() as Waiver;
        const run = (resources: ReturnType<typeof bucket>, waivers: Waiver[], stack = "production") => evaluate({ stack, tier: "production", resources }, rules, waivers);

        it("excuses the named resource's violation of the named rule, and prints the reason", () => {
            const report = run(bucket("alb-logs"), [waiver]);
            const result = report.rules.find((r) => r.name === "s3-encrypted-with-kms")!;
            expect(result.status).toBe("waived");
            expect(result.violations).toEqual([]);
            expect(result.waived).toEqual([
                expect.objectContaining({ name: "alb-logs", message: 'default encryption is "AES256", not aws:kms with kmsMasterKeyId', waiver: { reason: waiver.reason, approvedBy: waiver.approvedBy, expires: waiver.expires } }),
            ]);
            expect(report.summary.waivedViolations).toBe(1);
            expect(report.waiverErrors).toEqual([]);
        });

        it("excuses nothing else: another bucket, another rule, another stack", () => {
            const report = run([...bucket("alb-logs"), ...bucket("files")], [waiver]);
            expect(report.rules.find((r) => r.name === "s3-encrypted-with-kms")?.violations.map((v) => v.name)).toEqual(["files"]);
            expect(report.rules.find((r) => r.name === "s3-versioning")?.violations.map((v) => v.name)).toEqual(["alb-logs", "files"]);
            const staging = run(bucket("alb-logs"), [waiver], "staging");
            expect(staging.rules.find((r) => r.name === "s3-encrypted-with-kms")?.status).toBe("fail");
            expect(staging.waiverErrors).toEqual([]);
        });

        it("is an error when it matches nothing in a stack it names: the resource is gone or complies", () => {
            const gone = run(bucket("files"), [waiver]);
            expect(gone.ok).toBe(false);
            expect(gone.waiverErrors).toEqual([
                {
                    index: 1,
                    message:
                        "the waiver of s3-encrypted-with-kms for aws:s3/bucket:Bucket::alb-logs matches no violation in stack production: the resource is gone or now complies; delete the waiver (or remove production from its stacks)",
                },
            ]);
        });
    });

    describe("the committed waivers (policy/waivers.yaml)", () => {
        it("are valid today", () => {
            expect(fs.existsSync(WAIVERS_FILE)).toBe(true);
            expect(loadWaivers(rules).errors).toEqual([]);
        });

        it("name committed stacks only, so the suite checks each of them against its plan", () => {
            const { waivers } = loadWaivers(rules);
            expect(waivers.length).toBeGreaterThan(0);
            for (const w of waivers) for (const s of w.stacks) expect(plannedStacks()).toContain(s);
        });
    });
});
