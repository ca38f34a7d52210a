import { GateInputs, evaluateGates, lastVerified, renderGates } from "../../../tools/ci/gates";

const good: GateInputs = {
    tests: "success",
    config: "success",
    onMain: true,
    approvedPulls: [41],
    imageTag: "1.4.0",
    stagingVerifiedAt: "2026-01-14T12:00:00Z",
    previousRelease: "v1.3.0",
    previousImageTag: "1.3.2",
    firstRelease: false,
};

describe("the pre-deployment checklist (runbook 1.3)", () => {
    it("covers every item of the runbook, each checked or confirmed", () => {
        const gates = evaluateGates(good);
        expect(gates.map((g) => g.item)).toEqual([
            "All tests passing (unit, integration, E2E)",
            "Code reviewed and approved",
            "Database migrations tested",
            "Configuration validated",
            "Rollback plan ready",
            "Stakeholders notified (for production)",
        ]);
        expect(gates.map((g) => g.status)).toEqual(["pass", "pass", "pass", "pass", "pass", "confirm"]);
        expect(renderGates("v1.4.0", gates)).toContain("Approving the `production` environment confirms the unchecked items.");
    });

    it("fails each checked item on its own evidence", () => {
        const status = (i: Partial<GateInputs>) => Object.fromEntries(evaluateGates({ ...good, ...i }).map((g) => [g.item, g.status]));
        expect(status({ tests: "failure" })["All tests passing (unit, integration, E2E)"]).toBe("fail");
        expect(status({ onMain: false })["Code reviewed and approved"]).toBe("fail");
        expect(status({ approvedPulls: [] })["Code reviewed and approved"]).toBe("fail");
        expect(status({ stagingVerifiedAt: undefined })["Database migrations tested"]).toBe("fail");
        expect(status({ config: "skipped" })["Configuration validated"]).toBe("fail");
        expect(status({ previousImageTag: undefined })["Rollback plan ready"]).toBe("fail");
        expect(status({ previousRelease: undefined, previousImageTag: undefined, firstRelease: true })["Rollback plan ready"]).toBe("confirm");
        expect(renderGates("v1.4.0", evaluateGates({ ...good, tests: "failure" }))).toContain("**A gate failed: the deployment stops here.**");
    });

    it("finds when an image last passed staging", () => {
        const deployments = [
            { payload: { imageTag: "1.4.0" }, created_at: "3", statuses: [{ state: "failure", created_at: "3" }] },
            { payload: { imageTag: "1.4.0" }, created_at: "2", statuses: [{ state: "success", created_at: "2s" }] },
            { payload: { imageTag: "1.3.2" }, created_at: "1", statuses: [{ state: "success", created_at: "1s" }] },
        ];
        expect(lastVerified(deployments, "1.4.0")).toBe("2s");
        expect(lastVerified(deployments, "9.9.9")).toBeUndefined();
    });
});
