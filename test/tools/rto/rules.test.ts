import { DEFAULT_DURATION, DURATIONS, SCALING } from "../../../tools/rto/durations";
import { estimate, formatDuration, prepare } from "../../../tools/rto/estimate";
import { NodeDuration, parseGoDuration } from "../../../tools/rto/rules";
import { component, plan, res, typical, worst } from "./fixtures";
import type { PlannedResource } from "../../../tools/plan/record";

/** Durations chosen from a resource's inputs and options, and deadlines. */

const RDS = "aws:rds/instance:Instance";

function durationOf(r: PlannedResource, ...others: PlannedResource[]): NodeDuration {
    return prepare(plan(r, ...others)).durations.get(r.urn)!;
}

describe("durations from inputs", () => {
    it.each([
        ["a new Single-AZ instance", {}, RDS],
        ["a new Multi-AZ instance", { multiAz: true }, `${RDS}#multiAz`],
        ["a point-in-time restore", { multiAz: true, restoreToPointInTime: { useLatestRestorableTime: true } }, `${RDS}#pointInTimeRestore`],
        ["a snapshot restore", { snapshotIdentifier: "snap-1" }, `${RDS}#snapshotRestore`],
        ["a new read replica", { replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:primary" }, `${RDS}#readReplica`],
    ])("times an RDS instance by how it is made: %s", (_what, inputs, key) => {
        const d = durationOf(res(RDS, "db", { inputs_: { allocatedStorage: 100, ...inputs } }));
        expect(d.key).toBe(key);
        expect(d.range).toEqual({ typical: typical(key), worst: worst(key) });
    });

    it("times an adopted standing replica (import, no replicateSourceDb) as its promotion", () => {
        const d = durationOf(res(RDS, "db", { options: { import: "myapp-replica" }, inputs_: { allocatedStorage: 100 } }));
        expect(d.key).toBe(`${RDS}#promotion`);
        expect(d.range.typical).toBeLessThan(typical(`${RDS}#pointInTimeRestore`));
    });

    it("adds restore time per 100 GiB beyond the first 100, rounding up", () => {
        const key = `${RDS}#pointInTimeRestore`;
        const d = durationOf(res(RDS, "db", { inputs_: { allocatedStorage: 250, restoreToPointInTime: { useLatestRestorableTime: true } } }));
        expect(d.range).toEqual({ typical: typical(key) + 2 * SCALING[key]!.typical, worst: worst(key) + 2 * SCALING[key]!.worst });
        expect(d.notes).toContain("250 GiB: 2 × 100 GiB beyond the first 100");
    });

    it("adds ElastiCache time per node beyond 2, from numCacheClusters or node groups × (1 + replicas)", () => {
        const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
        expect(durationOf(res(RG, "two", { inputs_: { numCacheClusters: 2 } })).range).toEqual({ typical: typical(RG), worst: worst(RG) });
        const sharded = durationOf(res(RG, "sharded", { inputs_: { numNodeGroups: 3, replicasPerNodeGroup: 1 } }));
        expect(sharded.range.typical).toBe(typical(RG) + 4 * SCALING[RG]!.typical);
        expect(sharded.notes).toContain("6 cache nodes");
        expect(durationOf(res(RG, "restored", { inputs_: { numCacheClusters: 2, snapshotName: "snap" } })).key).toBe(`${RG}#fromSnapshot`);
    });

    it("times a Lambda function in a VPC and an Interface endpoint by their variants", () => {
        expect(durationOf(res("aws:lambda/function:Function", "fn", { inputs_: { vpcConfig: { subnetIds: ["subnet-1"] } } })).key).toBe(
            "aws:lambda/function:Function#vpc",
        );
        expect(durationOf(res("aws:lambda/function:Function", "plain")).key).toBe("aws:lambda/function:Function");
        expect(durationOf(res("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr", { inputs_: { vpcEndpointType: "Interface" } })).key).toBe(
            "aws:ec2/vpcEndpoint:VpcEndpoint#interface",
        );
        expect(durationOf(res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { inputs_: { vpcEndpointType: "Gateway" } })).key).toBe(
            "aws:ec2/vpcEndpoint:VpcEndpoint",
        );
    });

    it("honours pulumi.com/skipAwait and a Helm release's skipAwait (not with atomic)", () => {
        const job = res("kubernetes:batch/v1:Job", "job", { inputs_: { metadata: { annotations: { "pulumi.com/skipAwait": "true" } } } });
        expect(durationOf(job).key).toBe("kubernetes:*#skipAwait");
        const REL = "kubernetes:helm.sh/v3:Release";
        expect(durationOf(res(REL, "fast", { inputs_: { skipAwait: true } })).key).toBe(`${REL}#skipAwait`);
        expect(durationOf(res(REL, "atomic", { inputs_: { skipAwait: true, atomic: true } })).key).toBe(REL);
    });

    it("times an adopted resource as a read", () => {
        expect(durationOf(res("aws:eks/cluster:Cluster", "cluster", { options: { import: "myapp" } })).key).toBe("*#import");
    });

    it("gives a type missing from the table the visible default, and lists it as unestimated (never zero)", () => {
        const odd = res("aws:gamelift/fleet:Fleet", "fleet");
        const d = durationOf(odd);
        expect(d).toMatchObject({ key: "aws:gamelift/fleet:Fleet", estimated: false, range: { typical: DEFAULT_DURATION.typical, worst: DEFAULT_DURATION.worst } });
        expect(DEFAULT_DURATION.typical).toBeGreaterThan(0);
        const e = estimate(plan(odd));
        expect(e.unestimated).toEqual([{ type: "aws:gamelift/fleet:Fleet", count: 1, typicalSeconds: DEFAULT_DURATION.typical, worstSeconds: DEFAULT_DURATION.worst }]);
        expect(e.typical.path[1]!.notes).toContain("unestimated: no entry in the duration table, the default was assumed");
    });

    it("gives components no time and no table entry", () => {
        expect(durationOf(component("box"))).toEqual({ key: "", range: { typical: 0, worst: 0 }, estimated: true, notes: [] });
    });
});

describe("deadlines", () => {
    it("uses the provider's default create timeout, or the program's customTimeouts.create instead", () => {
        expect(durationOf(res("aws:eks/cluster:Cluster", "c"))).toMatchObject({ deadline: DURATIONS["aws:eks/cluster:Cluster"]!.deadline, deadlineSource: "the provider's default" });
        expect(durationOf(res("aws:eks/cluster:Cluster", "c", { options: { customTimeouts: { create: "1h30m" } } }))).toMatchObject({
            deadline: 5400,
            deadlineSource: "customTimeouts.create 1h30m",
        });
        expect(durationOf(res("aws:s3/bucket:Bucket", "b")).deadline).toBeUndefined();
    });

    it("takes the sooner of a Job's customTimeouts and its activeDeadlineSeconds", () => {
        const job = res("kubernetes:batch/v1:Job", "migrate", { options: { customTimeouts: { create: "20m" } }, inputs_: { spec: { activeDeadlineSeconds: 900 } } });
        expect(durationOf(job)).toMatchObject({ deadline: 900, deadlineSource: "the Job's activeDeadlineSeconds 900" });
        const long = res("kubernetes:batch/v1:Job", "long", { options: { customTimeouts: { create: "5m" } }, inputs_: { spec: { activeDeadlineSeconds: 900 } } });
        expect(durationOf(long)).toMatchObject({ deadline: 300, deadlineSource: "customTimeouts.create 5m" });
    });

    it("takes a Helm release's timeout input", () => {
        expect(durationOf(res("kubernetes:helm.sh/v3:Release", "r", { inputs_: { timeout: 120 } }))).toMatchObject({ deadline: 120, deadlineSource: "the release's timeout 120 s" });
    });

    it("reports a resource whose worst case outlasts its deadline, and fails the verdict", () => {
        // A point-in-time restore's worst case is longer than the provider's 40-minute default.
        const db = res(RDS, "db", { inputs_: { restoreToPointInTime: { useLatestRestorableTime: true } } });
        const e = estimate(plan(db));
        expect(e.deadlineRisks).toEqual([
            expect.objectContaining({ kind: "deadline", scenario: "worst", name: "db", elapsedSeconds: worst(`${RDS}#pointInTimeRestore`), deadlineSeconds: 2400 }),
        ]);
        expect(e.deadlineRisks[0]!.message).toBe(
            `db (${RDS}) runs ${formatDuration(worst(`${RDS}#pointInTimeRestore`))} from its start, past its 40m00s deadline (the provider's default): the update fails there`,
        );
        expect(e.meetsRto).toBe(false);
        // AND a longer customTimeouts clears it
        const patient = res(RDS, "db", { options: { customTimeouts: { create: "90m" } }, inputs_: { restoreToPointInTime: { useLatestRestorableTime: true } } });
        expect(estimate(plan(patient)).deadlineRisks).toEqual([]);
    });

    it("treats an ACM validation through a zone the same stack creates as blocked until delegated: the worst case is its deadline", () => {
        const zone = res("aws:route53/zone:Zone", "zone");
        const cert = res("aws:acm/certificate:Certificate", "cert");
        const record = res("aws:route53/record:Record", "validation", { inputs: [zone, cert] });
        const validation = res("aws:acm/certificateValidation:CertificateValidation", "cert-validation", { inputs: [cert, record] });
        const d = durationOf(validation, zone, cert, record);
        expect(d.range.worst).toBe(DURATIONS["aws:acm/certificateValidation:CertificateValidation"]!.deadline);
        expect(d.blocked).toContain("a zone this stack creates");
        const risks = estimate(plan(zone, cert, record, validation)).deadlineRisks;
        expect(risks.map((r) => [r.kind, r.scenario, r.name])).toEqual([["blocked", "worst", "cert-validation"]]);
        // AND a record in a zone the stack does not create is not blocked
        const outside = res("aws:route53/record:Record", "validation", { inputs: [cert] });
        expect(durationOf(res("aws:acm/certificateValidation:CertificateValidation", "v", { inputs: [cert, outside] }), cert, outside).blocked).toBeUndefined();
    });
});

describe("parseGoDuration", () => {
    it.each([
        ["20m", 1200],
        ["1h30m", 5400],
        ["90s", 90],
        ["1.5h", 5400],
        ["500ms", 0.5],
    ])("reads %s", (text, seconds) => expect(parseGoDuration(text)).toBe(seconds));

    it.each(["", "20", "20 minutes", "m20"])("refuses %j", (text) => expect(parseGoDuration(text)).toBeUndefined());
});
