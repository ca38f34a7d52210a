import * as path from "path";
import { runDrill, type DrillConfig } from "../../../tools/drill/drill";
import { REPORT_SCHEMA, type DrillReport } from "../../../tools/drill/report";
import { FakeRunner, type FakeRoute } from "./fakeRunner";

/**
 * The drill's orchestration against a fake runner (no AWS, no Pulumi): the calls it makes in
 * order, the timing on a fake clock, the RPO, the guards that stop it, the teardown checks, the
 * report files.
 */

const DIR = "/reports/dr-drill";
const STACK = "production-dr-drill";
const START = "2026-10-15T09:00:00.000Z";
const ARN = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-7kx2m4q9wz3n5p8r6t1v0y4c2d";

const CONFIG: DrillConfig = {
    stack: STACK,
    region: "us-west-2",
    primaryRegion: "us-east-1",
    app: "myapp",
    reportDir: DIR,
    keep: false,
    teardownOnly: false,
    requireOutageSimulation: false,
    primaryIdentifier: "myapp-production",
    secretsProvider: "awskms://alias/myapp-pulumi-secrets?region=us-west-2",
    secretsPrefix: "myapp/production-drill/",
    healthTimeoutSeconds: 600,
    healthIntervalSeconds: 15,
};

const urn = (type: string, name: string) => `urn:pulumi:${STACK}::ops::${type}::${name}`;

/** An event log as `pulumi up --event-log` writes it: one creation per [type, name, start, end]. */
function eventLog(creations: Array<[string, string, number, number]>): string {
    const t0 = Date.parse(START) / 1000;
    return creations
        .flatMap(([type, name, s, e]) => [
            { timestamp: t0 + s, resourcePreEvent: { metadata: { op: "create", urn: urn(type, name), type }, planning: false } },
            { timestamp: t0 + e, resOutputsEvent: { metadata: { op: "create", urn: urn(type, name), type }, planning: false } },
        ])
        .map((e) => JSON.stringify(e))
        .join("\n");
}

const EVENTS = eventLog([
    ["aws:ec2/vpc:Vpc", "myapp-production-drill-vpc", 60, 80],
    ["aws:eks/cluster:Cluster", "myapp-production-drill-cluster", 100, 700],
    ["aws:rds/instance:Instance", "myapp-production-drill", 90, 1290],
    ["aws:ec2/subnet:Subnet", "myapp-production-drill-private-1", 80, 85],
    ["aws:ec2/subnet:Subnet", "myapp-production-drill-private-2", 80, 87],
]);

const ALB = "myapp-production-dr-1234567890.us-west-2.elb.amazonaws.com";
const OUTPUTS = { url: "https://dr-drill.example.com", region: "us-west-2", databaseIdentifier: "myapp-production-drill", secretsPrefix: "myapp/production-drill/", loadBalancerDnsName: ALB };

const STATE = {
    deployment: {
        resources: [
            { urn: `urn:pulumi:${STACK}::ops::pulumi:pulumi:Stack::ops-${STACK}`, type: "pulumi:pulumi:Stack", custom: false },
            { urn: urn("aws:rds/instance:Instance", "myapp-production-drill"), type: "aws:rds/instance:Instance", custom: true, inputs: { identifier: "myapp-production-drill", skipFinalSnapshot: true } },
            { urn: urn("aws:secretsmanager/secret:Secret", "db-url"), type: "aws:secretsmanager/secret:Secret", custom: true, inputs: { name: "myapp/production-drill/DATABASE_URL", recoveryWindowInDays: 7 } },
            { urn: urn("aws:kms/key:Key", "data"), type: "aws:kms/key:Key", custom: true, inputs: { deletionWindowInDays: 7 }, outputs: { arn: "arn:aws:kms:us-west-2:123456789012:key/k1" } },
        ],
    },
};

/** The routes of a drill where everything works. `over` routes are tried first. */
function routes(over: FakeRoute[] = []): FakeRoute[] {
    return [
        ...over,
        [/^aws cloudwatch describe-alarms --alarm-names myapp-production-dr-failover --region us-west-2 --output json$/, { stdout: { MetricAlarms: [{ AlarmName: "myapp-production-dr-failover", StateValue: "OK" }] } }],
        [/^pulumi stack ls --json$/, { stdout: [{ name: "production" }, { name: "production-dr" }] }],
        [/^pulumi stack init production-dr-drill --secrets-provider awskms:\/\/alias\/myapp-pulumi-secrets\?region=us-west-2$/, { stdout: "Created stack 'production-dr-drill'\n" }],
        [/^aws ec2 describe-availability-zones --region us-east-1 --output json$/, { code: 254, stderr: "\nAn error occurred (UnauthorizedOperation) when calling the DescribeAvailabilityZones operation: You are not authorized to perform this operation. with an explicit deny in a session policy\n" }],
        [
            /^aws rds describe-db-instance-automated-backups --region us-west-2 --output json$/,
            {
                stdout: {
                    DBInstanceAutomatedBackups: [
                        { DBInstanceIdentifier: "myapp-production", Region: "us-east-1", Status: "replicating", DBInstanceAutomatedBackupsArn: ARN, RestoreWindow: { EarliestTime: "2026-09-15T09:00:00+00:00", LatestTime: "2026-10-15T08:54:30.123000+00:00" } },
                        { DBInstanceIdentifier: "myapp-staging", Region: "us-east-1", Status: "replicating", DBInstanceAutomatedBackupsArn: "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-other", RestoreWindow: { LatestTime: "2026-10-15T08:59:59+00:00" } },
                    ],
                },
            },
        ],
        [/^pulumi up --yes --skip-preview --event-log \/reports\/dr-drill\/events\.jsonl --stack production-dr-drill \[env /, { seconds: 1500, stdout: "Resources:\n    + 5 created\n", writes: { file: /events\.jsonl$/, text: EVENTS } }],
        [/^pulumi stack output --json --stack production-dr-drill$/, { stdout: OUTPUTS }],
        [/^script dr_registry_login\.sh --region us-west-2$/, { seconds: 2, stdout: "helm is logged into 123456789012.dkr.ecr.us-west-2.amazonaws.com for 12 hours: pulumi up can install the mirrored charts\n" }],
        [/^script verify_database\.sh --stack production-dr-drill --region us-west-2 --identifier myapp-production-drill --secret-id myapp\/production-drill\/DATABASE_URL$/, { seconds: 20, stdout: "ok    connects over TLS: t\nok    server version: 16.4\nThe database passed verification.\n" }],
        [/^pulumi stack export --stack production-dr-drill$/, { stdout: STATE }],
        [/^pulumi destroy --yes --skip-preview --stack production-dr-drill$/, { seconds: 900 }],
        [
            /^aws secretsmanager list-secrets --include-planned-deletion --filters Key=name,Values=myapp\/production-drill\/ --region us-west-2 --output json$/,
            { stdout: { SecretList: [{ ARN: "arn:aws:secretsmanager:us-west-2:123456789012:secret:myapp/production-drill/DATABASE_URL-AbCdEf", Name: "myapp/production-drill/DATABASE_URL", DeletedDate: "2026-10-15T09:45:00+00:00" }] } },
        ],
        [/^aws secretsmanager delete-secret --secret-id arn:aws:secretsmanager:us-west-2:123456789012:secret:myapp\/production-drill\/DATABASE_URL-AbCdEf --force-delete-without-recovery --region us-west-2 --output json$/, { stdout: {} }],
        [/^aws resourcegroupstaggingapi get-resources --tag-filters Key=managed-by,Values=pulumi --region us-west-2 --output json$/, { stdout: { ResourceTagMappingList: [{ ResourceARN: "arn:aws:rds:us-west-2:123456789012:db:myapp-production-dr" }] } }],
        [/^pulumi stack rm --yes --preserve-config --stack production-dr-drill$/, { stdout: "Stack 'production-dr-drill' has been removed!\n" }],
    ];
}

async function drill(over: FakeRoute[] = [], cfg: Partial<DrillConfig> = {}, setup?: (r: FakeRunner) => void): Promise<{ report: DrillReport; runner: FakeRunner }> {
    const runner = new FakeRunner(routes(over), START);
    setup?.(runner);
    const report = await runDrill({ ...CONFIG, ...cfg }, runner);
    return { report, runner };
}

describe("runDrill, everything working", () => {
    let report: DrillReport;
    let runner: FakeRunner;
    beforeAll(async () => ({ report, runner } = await drill()));

    it("makes its calls in order: guard, stack, outage probe, source, up, outputs, health, verify, export, destroy, sweeps, stack rm", () => {
        expect(runner.calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
            "aws cloudwatch describe-alarms",
            "pulumi stack ls",
            "pulumi stack init",
            "aws ec2 describe-availability-zones",
            "aws rds describe-db-instance-automated-backups",
            "script dr_registry_login.sh --region",
            "pulumi up --yes",
            "pulumi stack output",
            "http GET https://dr-drill.example.com/health",
            "script verify_database.sh --stack",
            "pulumi stack export",
            "pulumi destroy --yes",
            "aws secretsmanager list-secrets",
            "aws secretsmanager delete-secret",
            "aws resourcegroupstaggingapi get-resources",
            "pulumi stack rm",
        ]);
        // The health check goes to the stack's load balancer, with the drill's host name: no DNS record needed.
        expect(runner.calls).toContain(`http GET https://dr-drill.example.com/health via ${ALB}`);
    });

    it("pins the restore to the source's latest restorable time at the drill's start, and gives pulumi up the source's ARN", () => {
        const up = runner.calls.find((c) => c.startsWith("pulumi up"))!;
        expect(up).toContain(`[env OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN=${ARN} OPS_RESTORE__RESTORE_TIME=2026-10-15T08:54:30Z]`);
    });

    it("records the RPO achieved: drill start minus the latest restorable time of production's replicated backups (not another instance's)", () => {
        expect(report.rpo).toEqual({ drillStartedAt: START, latestRestorableTime: "2026-10-15T08:54:30.123Z", rpoSeconds: 330, objectiveSeconds: 900, met: true, sourceArn: ARN });
    });

    it("measures each step on the clock and the time to a healthy app against the RTO", () => {
        const seconds = Object.fromEntries(report.steps.map((s) => [s.name, s.seconds]));
        expect(seconds).toEqual({ preflight: 3, "outage-simulation": 1, "restore-source": 1, "stack-up": 1502, "health-check": 5, "verify-database": 20, "teardown-destroy": 901, "teardown-check": 3, "teardown-stack-rm": 1 });
        // 3 + 1 + 1 + 2 (Helm's registry login) + 1500 + 1 (outputs) + 5 (health) after 09:00:00
        expect(report.recovery).toEqual({ secondsToHealthy: 1513, met: true });
        expect(report.steps.every((s) => s.status === "pass")).toBe(true);
    });

    it("totals the creations per resource type from the engine events, the longest first", () => {
        expect(report.resourceTypes).toEqual([
            { type: "aws:rds/instance:Instance", count: 1, totalSeconds: 1200, maxSeconds: 1200, slowest: "myapp-production-drill" },
            { type: "aws:eks/cluster:Cluster", count: 1, totalSeconds: 600, maxSeconds: 600, slowest: "myapp-production-drill-cluster" },
            { type: "aws:ec2/vpc:Vpc", count: 1, totalSeconds: 20, maxSeconds: 20, slowest: "myapp-production-drill-vpc" },
            { type: "aws:ec2/subnet:Subnet", count: 2, totalSeconds: 12, maxSeconds: 7, slowest: "myapp-production-drill-private-2" },
        ]);
    });

    it("deletes the drill's secrets in their recovery window for good, ignores names that are not the drill's, and is clean", () => {
        expect(report.teardown.forceDeletedSecrets).toEqual(["myapp/production-drill/DATABASE_URL"]);
        expect(report.teardown.remaining).toEqual([]);
        expect(report.teardown.clean).toBe(true);
        expect(report.teardown.predicted.map((l) => [l.kind, l.blocksNextDrill])).toEqual([
            ["secret-recovery-window", true],
            ["key-pending-deletion", false],
        ]);
    });

    it("meets its objectives and writes report.json (versioned), report.md and the summary for docs/dr-drills/", () => {
        expect(report.outcome).toBe("met");
        expect(report.outageSimulation.primaryRegionDenied).toBe(true);
        expect([...runner.files.keys()].sort()).toEqual([`${DIR}/dr-drills/2026-10-15-production-dr-drill.md`, `${DIR}/events.jsonl`, `${DIR}/report.json`, `${DIR}/report.md`].sort());
        const json = JSON.parse(runner.files.get(path.join(DIR, "report.json"))!) as DrillReport;
        expect(json.schema).toBe(REPORT_SCHEMA);
        expect(json).toEqual(JSON.parse(JSON.stringify(report)));
        expect(runner.files.get(path.join(DIR, "report.md"))).toContain("# DR drill of production-dr-drill in us-west-2: met its objectives");
        expect(runner.files.get(path.join(DIR, "dr-drills", "2026-10-15-production-dr-drill.md"))).toContain("full report: report.json, report.md and events.jsonl in /reports/dr-drill)");
    });
});

describe("runDrill, guards", () => {
    it("refuses to start while the failover switch is engaged (a real failover), and builds and destroys nothing", async () => {
        const { report, runner } = await drill([[/^aws cloudwatch describe-alarms/, { stdout: { MetricAlarms: [{ StateValue: "ALARM" }] } }]]);
        expect(report.outcome).toBe("failed");
        expect(report.problems[0]).toMatch(/^preflight: the failover switch myapp-production-dr-failover is engaged \(ALARM\): a real failover is under way/);
        expect(runner.calls.filter((c) => /^pulumi (up|destroy|stack init|stack rm)/.test(c))).toEqual([]);
    });

    it("refuses a stack still holding an earlier drill's resources, naming --teardown-only, and destroys nothing", async () => {
        const { report, runner } = await drill([[/^pulumi stack ls/, { stdout: [{ name: STACK }] }]]);
        expect(report.problems[0]).toContain("still holds 3 resource(s) from an earlier drill: tear it down first (npm run dr:drill -- --stack production-dr-drill --report-dir <dir> --teardown-only)");
        expect(runner.calls.some((c) => c.startsWith("pulumi destroy"))).toBe(false);
    });

    it("--require-outage-simulation: stops before building when the primary region still answers", async () => {
        const { report, runner } = await drill([[/^aws ec2 describe-availability-zones/, { stdout: { AvailabilityZones: [] } }]], { requireOutageSimulation: true });
        expect(report.outcome).toBe("failed");
        expect(report.outageSimulation.primaryRegionDenied).toBe(false);
        expect(report.problems[0]).toContain("outage-session-policy.json");
        expect(runner.calls.some((c) => c.startsWith("pulumi up"))).toBe(false);
    });

    it("without the requirement, a primary region that answers is reported as no simulation, and the drill goes on", async () => {
        const { report } = await drill([[/^aws ec2 describe-availability-zones/, { stdout: { AvailabilityZones: [] } }]]);
        expect(report.steps.find((s) => s.name === "outage-simulation")!.status).toBe("skip");
        expect(report.outcome).toBe("met");
    });

    it("no replicated backups of the primary: stops before building, saying how to check them", async () => {
        const { report, runner } = await drill([[/^aws rds describe-db-instance-automated-backups/, { stdout: { DBInstanceAutomatedBackups: [] } }]]);
        expect(report.problems).toEqual(["restore-source: no automated backups of myapp-production replicated to us-west-2: is backup.replicateAutomatedBackups on in production? (./scripts/verify_backups.sh --stack production checks it)"]);
        expect(runner.calls.some((c) => c.startsWith("pulumi up"))).toBe(false);
    });
});

describe("runDrill, what it measures going wrong", () => {
    it("an RPO over 15 minutes is missed, not hidden", async () => {
        const { report } = await drill([
            [/^aws rds describe-db-instance-automated-backups/, { stdout: { DBInstanceAutomatedBackups: [{ DBInstanceIdentifier: "myapp-production", Region: "us-east-1", Status: "replicating", DBInstanceAutomatedBackupsArn: ARN, RestoreWindow: { LatestTime: "2026-10-15T08:40:00+00:00" } }] } }],
        ]);
        expect(report.rpo!.rpoSeconds).toBe(1200);
        expect(report.outcome).toBe("missed");
        expect(report.problems).toEqual(["RPO 1200s is over the objective 900s (replication status replicating)"]);
    });

    it("a failed pulumi up still tears down what it built, and the drill fails", async () => {
        const { report, runner } = await drill([[/^pulumi up/, { code: 255, seconds: 600, stderr: "error: update failed\n", writes: { file: /events\.jsonl$/, text: EVENTS } }]]);
        expect(report.outcome).toBe("failed");
        expect(report.problems[0]).toBe("stack-up: pulumi up failed: error: update failed");
        expect(runner.calls.some((c) => c.startsWith("http"))).toBe(false);
        expect(runner.calls.some((c) => c.startsWith("pulumi destroy"))).toBe(true);
        expect(report.resourceTypes.length).toBe(4);
    });

    it("an app that never answers 200 fails at its deadline, RTO not reached, then teardown", async () => {
        const { report, runner } = await drill([], { healthTimeoutSeconds: 60 }, (r) => (r.health = [{ status: 503, seconds: 1 }]));
        expect(report.recovery).toEqual({ secondsToHealthy: null, met: false });
        expect(report.problems[0]).toMatch(/^health-check: https:\/\/dr-drill\.example\.com\/health did not answer 200 within 60s \(last: HTTP 503\)$/);
        expect(runner.calls.filter((c) => c.startsWith("http")).length).toBe(5);
        expect(runner.calls.some((c) => c.startsWith("pulumi stack rm"))).toBe(true);
    });

    it("stops before pulumi up when Helm cannot log into the mirror's registry, and tears down nothing it did not build", async () => {
        const { report, runner } = await drill([[/^script dr_registry_login/, { code: 1, stderr: "dr_registry_login.sh: could not log helm into 123456789012.dkr.ecr.us-west-2.amazonaws.com\n" }]]);
        expect(report.problems[0]).toBe("stack-up: dr_registry_login.sh failed, so pulumi up could not install the mirrored charts: dr_registry_login.sh: could not log helm into 123456789012.dkr.ecr.us-west-2.amazonaws.com");
        expect(runner.calls.filter((c) => c.startsWith("pulumi up"))).toEqual([]);
        expect(report.outcome).toBe("failed");
    });

    it("a healthy app after the RTO is missed, with the time it took", async () => {
        const { report } = await drill([[/^pulumi up/, { seconds: 3700, writes: { file: /events\.jsonl$/, text: EVENTS } }]]);
        expect(report.recovery).toEqual({ secondsToHealthy: 3713, met: false });
        expect(report.outcome).toBe("missed");
    });

    it("a failed verify_database.sh fails the drill, quoting the failed checks", async () => {
        const { report } = await drill([[/^script verify_database/, { code: 1, stdout: "ok    connects over TLS: t\nFAIL  writable (not a replica in recovery): got t, expected ^f$\n" }]]);
        expect(report.problems).toEqual(["verify-database: verify_database.sh failed (exit 1): FAIL  writable (not a replica in recovery): got t, expected ^f$"]);
        expect(report.outcome).toBe("failed");
    });
});

describe("runDrill, teardown checks", () => {
    it("lists what blocks the next drill: a final snapshot still there, a retained resource, a tagged resource with the drill's name", async () => {
        const state = {
            deployment: {
                resources: [
                    { urn: urn("aws:rds/instance:Instance", "db"), type: "aws:rds/instance:Instance", custom: true, inputs: { identifier: "myapp-production-drill", skipFinalSnapshot: false, finalSnapshotIdentifier: "myapp-production-drill-final" } },
                    { urn: urn("aws:s3/bucket:Bucket", "logs"), type: "aws:s3/bucket:Bucket", custom: true, retainOnDelete: true, inputs: { bucket: "myapp-production-drill-alb-logs", forceDestroy: false } },
                ],
            },
        };
        const { report } = await drill([
            [/^pulumi stack export/, { stdout: state }],
            [/^aws rds describe-db-snapshots --db-snapshot-identifier myapp-production-drill-final --region us-west-2 --output json$/, { stdout: { DBSnapshots: [{ DBSnapshotIdentifier: "myapp-production-drill-final" }] } }],
            [/^aws secretsmanager list-secrets/, { stdout: { SecretList: [] } }],
            [/^aws resourcegroupstaggingapi/, { stdout: { ResourceTagMappingList: [{ ResourceARN: "arn:aws:s3:::myapp-production-drill-alb-logs" }, { ResourceARN: "arn:aws:elasticache:us-west-2:123456789012:replicationgroup:myapp-production-drill" }, { ResourceARN: "arn:aws:rds:us-west-2:123456789012:db:myapp-production" }] } }],
        ]);
        expect(report.teardown.remaining.map((l) => [l.kind, l.name])).toEqual([
            ["final-snapshot", "myapp-production-drill-final"],
            ["retained", "myapp-production-drill-alb-logs"],
            ["still-exists", "arn:aws:elasticache:us-west-2:123456789012:replicationgroup:myapp-production-drill"],
        ]);
        expect(report.teardown.clean).toBe(false);
        expect(report.outcome).toBe("failed");
        expect(report.problems).toContain("teardown left 3 item(s) that block the next drill");
    });

    it("a failed destroy keeps the stack (no stack rm) so the teardown can be retried", async () => {
        const { report, runner } = await drill([[/^pulumi destroy/, { code: 255, stderr: "error: BucketNotEmpty\n" }]]);
        expect(report.problems[0]).toBe("teardown-destroy: pulumi destroy failed: error: BucketNotEmpty (the stack is kept: fix and run --teardown-only)");
        expect(runner.calls.some((c) => c.startsWith("pulumi stack rm"))).toBe(false);
        expect(report.teardown.clean).toBe(false);
    });

    it("--keep: builds, measures and leaves the stack up: no destroy, no stack rm", async () => {
        const { report, runner } = await drill([], { keep: true });
        expect(runner.calls.some((c) => /^pulumi (destroy|stack rm)/.test(c))).toBe(false);
        expect(report.teardown.performed).toBe(false);
        expect(report.outcome).toBe("met");
    });

    it("--teardown-only: destroys an existing drill stack, checks and removes it; builds nothing", async () => {
        const { report, runner } = await drill([[/^pulumi stack ls/, { stdout: [{ name: STACK }] }]], { teardownOnly: true });
        expect(runner.calls.some((c) => /^pulumi up|^aws rds describe-db-instance-automated/.test(c))).toBe(false);
        expect(runner.calls.filter((c) => /^pulumi (destroy|stack rm)/.test(c)).length).toBe(2);
        expect(report.outcome).toBe("met");
    });

    it("never force-deletes secrets outside a drill's scope, even if the stack says so", async () => {
        const { report, runner } = await drill([[/^pulumi stack output/, { stdout: { ...OUTPUTS, secretsPrefix: "myapp/production/" } }]]);
        expect(report.problems).toContain('teardown-check: refusing to delete secrets under "myapp/production/" without recovery: only a drill\'s (<app>/<scope>-drill/) are');
        expect(runner.calls.some((c) => c.includes("delete-secret"))).toBe(false);
    });
});
