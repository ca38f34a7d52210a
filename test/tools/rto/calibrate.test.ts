import { calibrate, measuredCreations, renderCalibration } from "../../../tools/rto/calibrate";
import { DURATIONS } from "../../../tools/rto/durations";
import { prepare } from "../../../tools/rto/estimate";
import { plan, res, typical, worst } from "./fixtures";

/** Calibration from a `pulumi up --event-log` file. */

const CLUSTER = "aws:eks/cluster:Cluster";
const RDS = "aws:rds/instance:Instance";

/** An event log line: a resource's pre or outputs event at a time. */
function event(kind: "resourcePreEvent" | "resOutputsEvent", timestamp: number, urn: string, type: string, op = "create", planning = false): string {
    return JSON.stringify({ sequence: timestamp, timestamp, [kind]: { metadata: { op, urn, type }, planning } });
}

describe("measuredCreations", () => {
    it("measures each creation from its pre event to its outputs event, ignoring other operations, planning and unfinished ones", () => {
        const log = [
            JSON.stringify({ sequence: 0, timestamp: 0, preludeEvent: { config: {} } }),
            event("resourcePreEvent", 10, "urn:a", CLUSTER),
            event("resourcePreEvent", 12, "urn:b", "aws:s3/bucket:Bucket", "update"),
            event("resourcePreEvent", 13, "urn:c", "aws:s3/bucket:Bucket", "create", true),
            event("resourcePreEvent", 14, "urn:d", "aws:s3/bucket:Bucket"),
            event("resOutputsEvent", 20, "urn:b", "aws:s3/bucket:Bucket", "update"),
            event("resOutputsEvent", 610, "urn:a", CLUSTER),
            "",
        ].join("\n");
        expect(measuredCreations(log)).toEqual([{ urn: "urn:a", type: CLUSTER, seconds: 600 }]);
    });

    it("refuses a line that is not JSON, naming the file and the line", () => {
        expect(() => measuredCreations(`${event("resourcePreEvent", 1, "urn:a", CLUSTER)}\nnot json`, "drill.log")).toThrow(
            "drill.log, line 2: not JSON. Expected the file `pulumi up --event-log <file>` writes, one engine event per line.",
        );
    });
});

describe("calibrate", () => {
    it("groups by the table key the estimate uses (the plan's variant) and compares with the table", () => {
        const db = res(RDS, "db", { inputs_: { restoreToPointInTime: { useLatestRestorableTime: true } } });
        const prepared = prepare(plan(db));
        const key = `${RDS}#pointInTimeRestore`;
        const rows = calibrate([{ urn: db.urn, type: RDS, seconds: worst(key) + 600 }], prepared);
        expect(rows).toEqual([
            {
                key,
                count: 1,
                minSeconds: worst(key) + 600,
                medianSeconds: worst(key) + 600,
                maxSeconds: worst(key) + 600,
                typicalSeconds: typical(key),
                worstSeconds: worst(key),
                includesRuntimeWaits: false,
                advice: expect.stringMatching(/^slower than the worst case: raise worst to at least /),
            },
        ]);
    });

    it("takes the median of several, and says when typical is off", () => {
        const t = typical(CLUSTER);
        const m = (seconds: number, i: number): { urn: string; type: string; seconds: number } => ({ urn: `urn:${i}`, type: CLUSTER, seconds });
        expect(calibrate([t, t, t].map(m))[0]).toMatchObject({ medianSeconds: t, advice: "consistent with the table" });
        expect(calibrate([t * 2, t * 2, t * 2].map(m))[0]!.advice).toMatch(/^(typical is optimistic|slower than the worst case)/);
        expect(calibrate([10, 10, 10].map(m))[0]!.advice).toMatch(/^typical is pessimistic/);
        expect(calibrate([1, 2, 3, 400].map(m))[0]!.medianSeconds).toBe(2.5);
    });

    it("names a type the table lacks, and marks measurements that include runtime waits", () => {
        expect(calibrate([{ urn: "urn:x", type: "aws:gamelift/fleet:Fleet", seconds: 900 }])[0]).toMatchObject({
            typicalSeconds: null,
            advice: "no entry: add one with these figures",
        });
        expect(DURATIONS["aws:gamelift/fleet:Fleet"]).toBeUndefined();
        // A Job reading a Secret that External Secrets writes: its measured time includes the wait for it.
        const es = res("kubernetes:external-secrets.io/v1:ExternalSecret", "env", { inputs_: { metadata: { name: "env", namespace: "app" } } });
        const job = res("kubernetes:batch/v1:Job", "migrate", {
            inputs_: { metadata: { namespace: "app" }, spec: { template: { spec: { containers: [{ envFrom: [{ secretRef: { name: "env" } }] }] } } } },
        });
        expect(calibrate([{ urn: job.urn, type: job.type, seconds: 60 }], prepare(plan(es, job)))[0]).toMatchObject({ includesRuntimeWaits: true });
        const text = renderCalibration(calibrate([{ urn: "urn:x", type: CLUSTER, seconds: 600 }]), "drill.log");
        expect(text).toMatch(/^Measured creation times in drill.log/);
        expect(renderCalibration([], "empty.log")).toContain("no creation recorded");
    });
});
