import { delta, isEstimate } from "../../../tools/rto/delta";
import { estimate, formatDuration } from "../../../tools/rto/estimate";
import { renderDelta, renderEstimate } from "../../../tools/rto/render";
import { plan, res, typical, worst } from "./fixtures";

/** Comparing two estimates (a pull request's base and head), and the text of both. */

const VPC = "aws:ec2/vpc:Vpc";
const CLUSTER = "aws:eks/cluster:Cluster";
const NODES = "aws:eks/nodeGroup:NodeGroup";
const RDS = "aws:rds/instance:Instance";

function base(): ReturnType<typeof estimate> {
    const vpc = res(VPC, "vpc");
    const cluster = res(CLUSTER, "cluster", { inputs: [vpc] });
    const db = res(RDS, "db", { inputs: [vpc], inputs_: { restoreToPointInTime: { useLatestRestorableTime: true } } });
    return estimate(plan(vpc, cluster, db));
}

function head(): ReturnType<typeof estimate> {
    // The database is promoted from a standing replica instead of restored: the cluster and its nodes lead.
    const vpc = res(VPC, "vpc");
    const cluster = res(CLUSTER, "cluster", { inputs: [vpc] });
    const nodes = res(NODES, "nodes", { inputs: [cluster] });
    const db = res(RDS, "db", { inputs: [vpc], options: { import: "db-replica" } });
    return estimate(plan(vpc, cluster, nodes, db));
}

describe("delta", () => {
    it("gives head minus base, the path steps added and dropped, and the risks added and resolved", () => {
        const x = delta(base(), head());
        const headWorst = worst(VPC) + Math.max(worst(CLUSTER) + worst(NODES), worst(`${RDS}#promotion`));
        expect(x).toEqual({
            schema: "ops.rto-delta/v1",
            rtoSeconds: 3600,
            base: { stack: "test", typicalSeconds: typical(VPC) + typical(`${RDS}#pointInTimeRestore`), worstSeconds: worst(VPC) + worst(`${RDS}#pointInTimeRestore`), meetsRto: false },
            head: { stack: "test", typicalSeconds: expect.any(Number), worstSeconds: headWorst, meetsRto: true },
            delta: { typicalSeconds: expect.any(Number), worstSeconds: headWorst - (worst(VPC) + worst(`${RDS}#pointInTimeRestore`)) },
            worstPath: { added: [`cluster (${CLUSTER})`, `nodes (${NODES})`], removed: [`db (${RDS})`] },
            risks: { added: [], resolved: [`deadline worst db (${RDS})`] },
        });
    });

    it("renders the comparison for a pull-request comment", () => {
        const text = renderDelta(delta(base(), head()));
        expect(text).toContain("RTO estimate of stack test, base → head (runbook RTO 1h00m00s, verdict on the worst case):");
        expect(text).toContain("  verdict  does not meet → meets the RTO");
        expect(text).toContain(`    + nodes (${NODES})`);
        expect(text).toContain(`  resolved risk: deadline worst db (${RDS})`);
    });

    it("tells an estimate from a plan", () => {
        expect(isEstimate(base())).toBe(true);
        expect(isEstimate(plan())).toBe(false);
        expect(isEstimate(null)).toBe(false);
    });
});

describe("renderEstimate", () => {
    it("prints totals, slack, the verdict and each step with why it waits", () => {
        const text = renderEstimate(head());
        expect(text).toContain("RTO estimate of stack test: creating its 4 resources from nothing, up to the last resource to finish.");
        expect(text).toContain(`  slack    ${formatDuration(3600 - head().typical.totalSeconds).padStart(10)}`);
        expect(text).toMatch(/Verdict: meets the RTO in the worst case \(.* ≤ 1h00m00s\)\./);
        expect(text).toContain("after cluster (input): uses an output of cluster");
        expect(text).toContain("Risks: none (no resource outlasts its deadline).");
        // AND a step's notes, and the risks of an estimate that has some
        const restored = renderEstimate(base());
        expect(restored).toContain("restoreToPointInTime: a point-in-time restore");
        expect(restored).toMatch(/Verdict: does NOT meet the RTO in the worst case: the path takes .* ≤ 1h00m00s, but 1 resource would fail the update first \(see risks\)\./);
        expect(restored).toMatch(/Risks \(the provider fails the update there\):\n {2}worst {4}db \(aws:rds\/instance:Instance\) runs /);
    });
});

describe("formatDuration", () => {
    it.each([
        [0, "0s"],
        [45, "45s"],
        [750, "12m30s"],
        [3723, "1h02m03s"],
        [-90, "-1m30s"],
    ])("formats %d s as %s", (s, text) => expect(formatDuration(s)).toBe(text));
});
