import { driftAction, driftBody, driftMarker, findDrift } from "../../../tools/ci/drift";

const preview = {
    steps: [
        { op: "same", urn: "urn:pulumi:production::ops::aws:s3/bucket:Bucket::files" },
        { op: "update", urn: "urn:pulumi:production::ops::ops:workload:App$kubernetes:apps/v1:Deployment::myapp-stable-deployment", diffReasons: ["spec"] },
        { op: "replace", urn: "urn:pulumi:production::ops::aws:ec2/securityGroup:SecurityGroup::app", detailedDiff: { description: { kind: "update-replace" } } },
        { op: "read", urn: "urn:pulumi:production::ops::pulumi:pulumi:StackReference::x" },
    ],
    changeSummary: { same: 1, update: 1, replace: 1 },
};

describe("drift", () => {
    it("finds every step that is not the same", () => {
        expect(findDrift(preview)).toEqual([
            { op: "update", urn: preview.steps[1]!.urn, paths: ["spec"] },
            { op: "replace", urn: preview.steps[2]!.urn, paths: ["description"] },
        ]);
        expect(findDrift({ steps: [] })).toEqual([]);
        expect(() => findDrift({ diagnostics: [] })).toThrow('not the output of `pulumi preview --json`: no "steps" list');
    });

    it("opens one issue per stack, updates it while the drift lasts, and closes it when it is gone", () => {
        const found = findDrift(preview);
        const created = driftAction("production", found, undefined, "https://run", "2026-03-10");
        expect(created).toMatchObject({ kind: "create", title: "Drift: production" });
        expect((created as { body: string }).body.startsWith(driftMarker("production"))).toBe(true);
        expect((created as { body: string }).body).toContain("| update | `ops:workload:App$kubernetes:apps/v1:Deployment::myapp-stable-deployment` | `spec` |");
        expect(driftAction("production", found, { number: 12 }, "r", "t")).toMatchObject({ kind: "update", issue: 12 });
        expect(driftAction("production", [], { number: 12 }, "https://run", "2026-03-11")).toEqual({ kind: "close", issue: 12, comment: "No drift in `production` on 2026-03-11 ([workflow run](https://run)): closing." });
        expect(driftAction("production", [], undefined, "r", "t")).toEqual({ kind: "none" });
    });

    it("keeps the issue open when the check itself failed", () => {
        const a = driftAction("staging", { error: "error: failed to decrypt" }, { number: 3 }, "r", "t");
        expect(a).toMatchObject({ kind: "update", issue: 3 });
        expect(driftBody("staging", { error: "error: failed to decrypt" }, "r", "t")).toContain("**The check itself failed**, so drift is unknown");
    });
});
