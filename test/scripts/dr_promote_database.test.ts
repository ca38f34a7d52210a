import { runScript, type Route } from "./harness";

/**
 * scripts/dr_promote_database.sh against recorded answers: it promotes only an available read
 * replica whose lag is known, prints the RPO at promotion from ReplicaLag, and calls only the
 * region it is told (RDS and CloudWatch there).
 */

const SOURCE = "arn:aws:rds:us-east-1:123456789012:db:myapp-production";
const DESCRIBE = "^aws rds describe-db-instances --region us-west-2 --db-instance-identifier myapp-production-dr --query DBInstances\\[0\\]\\.\\[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier,DBInstanceArn\\] --output text$";
const replica = (status = "available", source = SOURCE): Route => [DESCRIBE, { out: `${status}\t${source}\tarn:aws:rds:us-west-2:123456789012:db:myapp-production-dr\n` }];
// 2026-10-15T09:00:00Z: the lag is read over the 15 minutes before it.
const NOW = { DR_PROMOTE_NOW: "1792054800", DR_PROMOTE_POLL_SECONDS: "0", DR_PROMOTE_WAIT_SECONDS: "2" };
const lag = (out: string): Route => ["^aws cloudwatch get-metric-statistics --region us-west-2 --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=myapp-production-dr --start-time 2026-10-15T08:45:00Z --end-time 2026-10-15T09:00:00Z --period 60 --statistics Maximum ", { out }];
const PROMOTE: Route = ["^aws rds promote-read-replica --region us-west-2 --db-instance-identifier myapp-production-dr --backup-retention-period 30$", { out: "{}\n" }];

function run(args: string[], routes: Route[]) {
    return runScript("dr_promote_database.sh", args, routes, { env: NOW });
}

describe("scripts/dr_promote_database.sh", () => {
    it("checks the replica, reads its lag, prints the RPO, promotes with 30 days of backups", () => {
        const r = run([], [replica(), lag("42.0\t2026-10-15T08:59:00+00:00\n"), PROMOTE]);
        expect(r.status).toBe(0);
        expect(r.calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual(["aws rds describe-db-instances", "aws cloudwatch get-metric-statistics", "aws rds promote-read-replica"]);
        expect(r.calls[1]).toContain("--namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier\\,Value=myapp-production-dr --start-time 2026-10-15T08:45:00Z --end-time 2026-10-15T09:00:00Z --period 60 --statistics Maximum");
        expect(r.calls[2]).toBe("aws rds promote-read-replica --region us-west-2 --db-instance-identifier myapp-production-dr --backup-retention-period 30");
        expect(r.stdout.split("\n")[0]).toBe(`RPO at promotion: 42 s of writes behind ${SOURCE} (ReplicaLag at 2026-10-15T08:59:00+00:00; objective 900 s)`);
    });

    it("--wait: polls the instance after the promotion until it names no source, and gives up at its deadline saying where to look", () => {
        // The recorded answer stays "a replica, available" (the fake answers a call the same way each time).
        const r = run(["--wait"], [replica(), lag("3.0\t2026-10-15T08:59:00+00:00\n"), PROMOTE]);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("myapp-production-dr is still available (source arn:aws:rds:us-east-1:123456789012:db:myapp-production) after 2 s: see the RDS events");
        expect(r.calls.filter((c) => c.startsWith("aws rds describe-db-instances"))).toHaveLength(4);
    });

    it("refuses an instance that is not a replica (already promoted), or not available", () => {
        const standalone = run([], [replica("available", "None")]);
        expect(standalone.status).toBe(1);
        expect(standalone.stderr).toContain("myapp-production-dr in us-west-2 is not a read replica (status available): it is already standalone, promoted before?");
        expect(standalone.calls).toHaveLength(1);
        const busy = run([], [replica("modifying")]);
        expect(busy.status).toBe(1);
        expect(busy.stderr).toContain("myapp-production-dr in us-west-2 is modifying, not available");
    });

    it.each([
        ["no datapoint", "None\n", "no ReplicaLag datapoint for myapp-production-dr between 2026-10-15T08:45:00Z and 2026-10-15T09:00:00Z"],
        ["-1", "-1.0\t2026-10-15T08:59:00+00:00\n", "ReplicaLag is -1 at 2026-10-15T08:59:00+00:00: replication is not running"],
    ])("refuses when the lag is unknown (%s), unless --accept-unknown-rpo", (_case, out, why) => {
        const refused = run([], [replica(), lag(out)]);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toContain(`${why}, so the data loss at promotion is unknown`);
        expect(refused.calls.some((c) => c.includes("promote-read-replica"))).toBe(false);
        const accepted = run(["--accept-unknown-rpo"], [replica(), lag(out), PROMOTE]);
        expect(accepted.status).toBe(0);
        expect(accepted.stdout.split("\n")[0]).toBe(`RPO at promotion: unknown (${why})`);
    });

    it("warns when the lag is over the RPO objective, and still promotes", () => {
        const r = run([], [replica(), lag("1200.0\t2026-10-15T08:59:00+00:00\n"), PROMOTE]);
        expect(r.status).toBe(0);
        expect(r.stderr).toContain("warning: the lag 1200 s is over the 15-minute RPO objective");
    });

    it("failback: --region us-east-1 --identifier myapp-production promotes the primary region's replica there, calling only that region", () => {
        const r = run(["--region", "us-east-1", "--identifier", "myapp-production", "--dry-run"], [
            ["^aws rds describe-db-instances --region us-east-1 --db-instance-identifier myapp-production ", { out: "available\tarn:aws:rds:us-west-2:123456789012:db:myapp-production-dr\tarn:aws:rds:us-east-1:123456789012:db:myapp-production\n" }],
            ["^aws cloudwatch get-metric-statistics --region us-east-1 .*Value=myapp-production ", { out: "0.0\t2026-10-15T08:59:00+00:00\n" }],
        ]);
        expect(r.status).toBe(0);
        expect(r.calls.every((c) => c.includes("--region us-east-1"))).toBe(true);
        expect(r.stdout).toContain("+ aws rds promote-read-replica --region us-east-1 --db-instance-identifier myapp-production --backup-retention-period 30\n");
    });

    it("a missing instance names the identifier and region", () => {
        const r = run([], [[DESCRIBE, { err: "\nAn error occurred (DBInstanceNotFound) when calling the DescribeDBInstances operation: DBInstance myapp-production-dr not found.\n", rc: 254 }]]);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("no instance myapp-production-dr in us-west-2: check --identifier and --region");
    });

    it.each([
        [["--region"], "--region needs a value"],
        [["--backup-retention-days", "0"], "--backup-retention-days needs 1 to 35 (RDS's range), got '0'"],
        [["--promote"], "unknown argument --promote"],
    ])("bad arguments %j exit 2: %s", (args, message) => {
        const r = run(args, []);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(`dr_promote_database.sh: ${message} (see --help)\n`);
    });
});
