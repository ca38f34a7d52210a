import { UsageError, drillStackProblems, parseArgs } from "../../../tools/drill/args";
import { REPORT_SCHEMA, renderMarkdown, renderSummary, summaryFileName, type DrillReport } from "../../../tools/drill/report";
import { RpoInputError, achievedRpo, parseAwsTime, pickRestoreSource } from "../../../tools/drill/rpo";
import { NotADrillPrefixError, assertDrillSecretsPrefix, drillSecrets, predictLeftovers, taggedLeftovers } from "../../../tools/drill/teardown";
import { formatSeconds, typeTotals, typeTotalsFromEventLog, urnName } from "../../../tools/drill/timing";

/** The drill's pure helpers: arguments and the drill-stack guard, RPO, timing, teardown predictions, report rendering. */

describe("parseArgs", () => {
    it("reads the workflow's command line", () => {
        expect(parseArgs(["--stack", "production-dr-drill", "--report-dir", "/tmp/r", "--keep"])).toEqual({
            stack: "production-dr-drill",
            reportDir: "/tmp/r",
            keep: true,
            teardownOnly: false,
            requireOutageSimulation: false,
            debug: false,
            healthTimeoutMinutes: 15,
        });
        expect(parseArgs(["--stack=x-drill", "--report-dir=d", "--teardown-only", "--primary-identifier", "other-production", "--health-timeout-minutes", "30"])).toMatchObject({ teardownOnly: true, primaryIdentifier: "other-production", healthTimeoutMinutes: 30 });
    });

    it.each([
        [["--report-dir", "d"], "--stack is required"],
        [["--stack", "x-drill"], "--report-dir is required"],
        [["--stack", "--report-dir", "d"], "--stack needs a value"],
        [["--stack", "x-drill", "--report-dir", "d", "--keep", "--teardown-only"], "--keep and --teardown-only contradict each other"],
        [["--stack", "x-drill", "--report-dir", "d", "--health-timeout-minutes", "0"], '--health-timeout-minutes needs a whole number from 1 to 120, got "0"'],
        [["--bogus"], "unknown argument --bogus"],
    ])("%j is a usage error: %s", (argv, message) => {
        expect(() => parseArgs(argv)).toThrow(UsageError);
        expect(() => parseArgs(argv)).toThrow(message);
    });
});

describe("drillStackProblems", () => {
    const file = { exists: true, region: "us-west-2", pathScope: "production-drill" };

    it("accepts the drill stack", () => expect(drillStackProblems("production-dr-drill", file)).toEqual([]));

    it.each(["production", "production-dr", "staging", "dev", "bootstrap", "pr-42", "drill", "production-drill-2"])("refuses %s: not a drill stack", (stack) => {
        expect(drillStackProblems(stack, file)).toEqual([`--stack ${stack}: a drill runs only on a drill stack, named <name>-drill (production-dr-drill); it destroys what it builds`]);
    });

    it("refuses a drill stack without its file, in the primary region, or sharing a secrets scope", () => {
        expect(drillStackProblems("production-dr-drill", { exists: false })[0]).toMatch(/^Pulumi\.production-dr-drill\.yaml does not exist/);
        expect(drillStackProblems("production-dr-drill", { ...file, region: "us-east-1" })).toEqual(["Pulumi.production-dr-drill.yaml sets ops:region us-east-1, the primary region: a drill rehearses the rebuild in the DR region"]);
        expect(drillStackProblems("production-dr-drill", { ...file, pathScope: "production-dr" })[0]).toContain('sets ops:secrets.pathScope "production-dr": a drill keeps its secrets under a scope of its own ending in -drill');
        expect(drillStackProblems("production-dr-drill", { exists: true })).toHaveLength(2);
    });
});

describe("RPO", () => {
    it("reads the timestamps the AWS CLI prints (v2 ISO with offset, RDS's Z, v1 epoch seconds)", () => {
        expect(parseAwsTime("2026-10-15T08:54:30.123000+00:00").toISOString()).toBe("2026-10-15T08:54:30.123Z");
        expect(parseAwsTime("2026-10-15T08:54:30Z").toISOString()).toBe("2026-10-15T08:54:30.000Z");
        expect(parseAwsTime("2026-10-15T10:54:30+02:00").toISOString()).toBe("2026-10-15T08:54:30.000Z");
        expect(parseAwsTime(1792054470).toISOString()).toBe("2026-10-15T08:54:30.000Z");
        expect(() => parseAwsTime("yesterday")).toThrow(RpoInputError);
        expect(() => parseAwsTime(null)).toThrow('not a timestamp AWS prints: null');
    });

    it("is the drill start minus the latest restorable time, met at 15 minutes exactly and missed a second later", () => {
        const start = new Date("2026-10-15T09:00:00Z");
        expect(achievedRpo(start, new Date("2026-10-15T08:45:00Z"))).toMatchObject({ rpoSeconds: 900, met: true });
        expect(achievedRpo(start, new Date("2026-10-15T08:44:59Z"))).toMatchObject({ rpoSeconds: 901, met: false });
        expect(achievedRpo(start, new Date("2026-10-15T09:00:03Z"))).toMatchObject({ rpoSeconds: 0, met: true });
    });

    const backup = (over: object) => ({ DBInstanceIdentifier: "myapp-production", Region: "us-east-1", Status: "replicating", DBInstanceAutomatedBackupsArn: "arn:a", RestoreWindow: { LatestTime: "2026-10-15T08:50:00Z" }, ...over });

    it("picks the primary's replicated backups: replicating before retained, then the latest, never the DR region's own", () => {
        const listing = {
            DBInstanceAutomatedBackups: [
                backup({ DBInstanceAutomatedBackupsArn: "arn:retained", Status: "retained", RestoreWindow: { LatestTime: "2026-10-15T08:59:00Z" } }),
                backup({ DBInstanceAutomatedBackupsArn: "arn:old", RestoreWindow: { LatestTime: "2026-10-15T08:40:00Z" } }),
                backup({ DBInstanceAutomatedBackupsArn: "arn:live" }),
                backup({ DBInstanceAutomatedBackupsArn: "arn:own", Region: "us-west-2", RestoreWindow: { LatestTime: "2026-10-15T08:59:59Z" } }),
            ],
        };
        expect(pickRestoreSource(listing, "myapp-production", "us-west-2")).toEqual({ arn: "arn:live", status: "replicating", latestRestorableTime: new Date("2026-10-15T08:50:00Z") });
        expect(pickRestoreSource({ DBInstanceAutomatedBackups: [backup({ Status: "retained" })] }, "myapp-production", "us-west-2").status).toBe("retained");
    });

    it("says why there is nothing to restore", () => {
        expect(() => pickRestoreSource({}, "myapp-production", "us-west-2")).toThrow("no automated backups of myapp-production replicated to us-west-2");
        expect(() => pickRestoreSource({ DBInstanceAutomatedBackups: [backup({ Status: "pending", RestoreWindow: {} })] }, "myapp-production", "us-west-2")).toThrow("have no restorable time yet (status pending)");
    });
});

describe("timing", () => {
    it("names a resource from its URN and prints durations", () => {
        expect(urnName("urn:pulumi:s::ops::ops:database:PostgresDatabase$aws:rds/instance:Instance::myapp-production-drill")).toBe("myapp-production-drill");
        expect([formatSeconds(42), formatSeconds(185), formatSeconds(3720), formatSeconds(-65)]).toEqual(["42s", "3m05s", "1h02m00s", "-1m05s"]);
    });

    it("totals creations per type; ties on the longest are ordered by type", () => {
        expect(
            typeTotals([
                { urn: "u::a", type: "t:b", seconds: 10 },
                { urn: "u::b", type: "t:a", seconds: 10 },
                { urn: "u::c", type: "t:a", seconds: 4 },
            ]),
        ).toEqual([
            { type: "t:a", count: 2, totalSeconds: 14, maxSeconds: 10, slowest: "b" },
            { type: "t:b", count: 1, totalSeconds: 10, maxSeconds: 10, slowest: "a" },
        ]);
    });

    it("reads an event log, ignoring updates, previews and failures; a line that is not JSON is named", () => {
        const ev = (o: object) => JSON.stringify(o);
        const log = [
            ev({ timestamp: 10, resourcePreEvent: { metadata: { op: "create", urn: "u::x", type: "T" } } }),
            ev({ timestamp: 12, resourcePreEvent: { metadata: { op: "update", urn: "u::y", type: "T" } } }),
            ev({ timestamp: 13, resOutputsEvent: { metadata: { op: "update", urn: "u::y", type: "T" } } }),
            ev({ timestamp: 40, resOutputsEvent: { metadata: { op: "create", urn: "u::x", type: "T" } } }),
            "",
        ].join("\n");
        expect(typeTotalsFromEventLog(log, "events.jsonl")).toEqual([{ type: "T", count: 1, totalSeconds: 30, maxSeconds: 30, slowest: "x" }]);
        expect(() => typeTotalsFromEventLog("{oops", "events.jsonl")).toThrow("events.jsonl, line 1: not JSON");
    });
});

describe("teardown predictions", () => {
    const r = (type: string, inputs: Record<string, unknown>, extra: object = {}) => ({ urn: `urn:pulumi:s::ops::${type}::n`, type, custom: true, inputs, ...extra });

    it("names each thing a destroy leaves and whether it blocks the next drill", () => {
        const leftovers = predictLeftovers(
            [
                r("aws:rds/instance:Instance", { identifier: "db", skipFinalSnapshot: false, finalSnapshotIdentifier: "db-final" }, { protect: true }),
                r("aws:rds/instance:Instance", { identifier: "db2", skipFinalSnapshot: true, finalSnapshotIdentifier: "ignored" }),
                r("aws:elasticache/replicationGroup:ReplicationGroup", { replicationGroupId: "rg", finalSnapshotIdentifier: "rg-final" }),
                r("aws:secretsmanager/secret:Secret", { name: "myapp/production-drill/X", recoveryWindowInDays: 7 }),
                r("aws:secretsmanager/secret:Secret", { name: "myapp/production-drill/Y", recoveryWindowInDays: 0 }),
                r("aws:kms/key:Key", { deletionWindowInDays: 7 }, { outputs: { arn: "arn:key" } }),
                r("aws:s3/bucket:Bucket", { bucket: "b", forceDestroy: false }, { retainOnDelete: true }),
                r("aws:s3/bucket:Bucket", { bucket: "b2", forceDestroy: true }),
                r("aws:ecr/repository:Repository", { name: "repo" }),
                r("aws:backup/vault:Vault", { name: "vault", forceDestroy: true }),
                { urn: "urn:pulumi:s::ops::pulumi:providers:aws::p", type: "pulumi:providers:aws", custom: true, protect: true },
                { urn: "urn:pulumi:s::ops::ops:x:Y::c", type: "ops:x:Y", custom: false, protect: true },
            ],
            "us-west-2",
        );
        expect(leftovers.map((l) => [l.kind, l.name, l.blocksNextDrill])).toEqual([
            ["protected", "db", true],
            ["final-snapshot", "db-final", true],
            ["final-snapshot", "rg-final", true],
            ["secret-recovery-window", "myapp/production-drill/X", true],
            ["key-pending-deletion", "arn:key", false],
            ["retained", "b", true],
            ["must-be-empty", "b", true],
            ["must-be-empty", "repo", true],
        ]);
        expect(leftovers[1]!.fix).toBe("aws rds delete-db-snapshot --region us-west-2 --db-snapshot-identifier db-final");
        expect(leftovers[3]!.detail).toBe("deleted with a 7-day recovery window: the name myapp/production-drill/X cannot be created again until it ends");
    });

    it("sorts a secrets listing into those in their recovery window and those live, by prefix", () => {
        const listing = { SecretList: [{ Name: "myapp/production-drill/A", DeletedDate: "2026-10-15T09:00:00Z" }, { Name: "myapp/production-drill/B" }, { Name: "myapp/production/A", DeletedDate: "x" }] };
        expect(drillSecrets(listing, "myapp/production-drill/")).toEqual({ pendingDeletion: [listing.SecretList[0]], live: [listing.SecretList[1]] });
    });

    it("force-deletes only under a drill's scope", () => {
        expect(() => assertDrillSecretsPrefix("myapp/production-drill/")).not.toThrow();
        for (const p of ["myapp/production/", "myapp/production-dr/", "myapp/", "myapp/production-drill", "", "myapp/x-drill/y/"]) expect(() => assertDrillSecretsPrefix(p)).toThrow(NotADrillPrefixError);
    });

    it("finds tagged ARNs with the drill's name as a whole name part only", () => {
        const listing = {
            ResourceTagMappingList: [
                { ResourceARN: "arn:aws:rds:us-west-2:1:db:myapp-production-drill" },
                { ResourceARN: "arn:aws:ec2:us-west-2:1:security-group/sg-1" },
                { ResourceARN: "arn:aws:rds:us-west-2:1:db:myapp-production-dr" },
                { ResourceARN: "arn:aws:rds:us-west-2:1:db:myapp-production-drills" },
                { ResourceARN: "arn:aws:logs:us-west-2:1:log-group:/aws/eks/myapp-production-drill/cluster" },
            ],
        };
        expect(taggedLeftovers(listing, "myapp-production-drill")).toEqual(["arn:aws:logs:us-west-2:1:log-group:/aws/eks/myapp-production-drill/cluster", "arn:aws:rds:us-west-2:1:db:myapp-production-drill"]);
    });
});

describe("the report", () => {
    const report: DrillReport = {
        schema: REPORT_SCHEMA,
        stack: "production-dr-drill",
        region: "us-west-2",
        startedAt: "2026-10-15T09:00:00.000Z",
        finishedAt: "2026-10-15T10:10:00.000Z",
        outcome: "missed",
        objectives: { rtoSeconds: 3600, rpoSeconds: 900 },
        outageSimulation: { primaryRegionDenied: true, detail: "us-east-1 refused" },
        recovery: { secondsToHealthy: 3700, met: false },
        rpo: { drillStartedAt: "2026-10-15T09:00:00.000Z", latestRestorableTime: "2026-10-15T08:55:00.000Z", rpoSeconds: 300, objectiveSeconds: 900, met: true, sourceArn: "arn:src" },
        steps: [{ name: "stack-up", status: "fail", startedAt: "2026-10-15T09:00:05.000Z", seconds: 3600, detail: "a | b" }],
        resourceTypes: [{ type: "aws:rds/instance:Instance", count: 1, totalSeconds: 1800, maxSeconds: 1800, slowest: "myapp-production-drill" }],
        teardown: { performed: true, predicted: [], remaining: [{ kind: "final-snapshot", name: "s", blocksNextDrill: true, detail: "d", fix: "f" }], forceDeletedSecrets: ["myapp/production-drill/X"], clean: false },
        problems: ["the app was healthy 3700s after the drill's start, over the RTO of 3600s"],
    };

    it("renders markdown with the objectives, steps (pipes escaped), types and what blocks the next drill", () => {
        const md = renderMarkdown(report);
        expect(md).toContain("# DR drill of production-dr-drill in us-west-2: did NOT meet its objectives");
        expect(md).toContain("| RTO: drill start to a healthy app | 1h00m00s | 1h01m40s | **missed** |");
        expect(md).toContain("| RPO: writes lost (drill start 2026-10-15T09:00:00.000Z − latest restorable 2026-10-15T08:55:00.000Z) | 15m00s | 5m00s | met |");
        expect(md).toContain("| stack-up | **FAIL** | 09:00:05 | 1h00m00s | a \\| b |");
        expect(md).toContain("| `aws:rds/instance:Instance` | 1 | 30m00s | 30m00s | myapp-production-drill |");
        expect(md).toContain("- **blocks** final-snapshot `s`: d. Fix: `f`");
        expect(md).toContain("`myapp/production-drill/X`");
    });

    it("renders the docs/dr-drills summary under its day and stack", () => {
        expect(summaryFileName(report)).toBe("2026-10-15-production-dr-drill.md");
        const s = renderSummary(report, "artifact X");
        expect(s.split("\n").slice(0, 5)).toEqual([
            "# DR drill 2026-10-15: production-dr-drill in us-west-2",
            "",
            "- Outcome: **missed** (report schema `ops.dr-drill-report/v1`; full report: artifact X)",
            "- RTO achieved: 1h01m40s against 1h00m00s (missed)",
            "- RPO achieved: 5m00s against 15m00s (met)",
        ]);
        expect(s).toContain("- Teardown: left 1 blocking item(s)");
    });
});
