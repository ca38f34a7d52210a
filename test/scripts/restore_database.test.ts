import { spawnSync } from "child_process";
import * as path from "path";
import { ROOT } from "../helpers/stacks";
import { loadPlan } from "../helpers/plan";
import { runScript, type Answer, type Route } from "./harness";
import * as rec from "./recordings";

/**
 * scripts/restore_database.sh against recorded answers. The restore itself runs under --dry-run:
 * it may only read from AWS and must print the writes in the documented order. `--dr-arn` must
 * print the ARN alone, or fail with a reason on stderr and nothing on stdout.
 *
 * The `describe-db-instances --query ... --output text` answers are recorded as the CLI prints
 * those queries (text, tab-separated); the JSON answers as the API returns them.
 */

/** What `--query DBInstances[0].<field> --output text` prints for production's instance. */
const INSTANCE: Record<string, string> = {
    "DBSubnetGroup.DBSubnetGroupName": "myapp-production-subnets-1",
    "VpcSecurityGroups[].VpcSecurityGroupId": "sg-111\tsg-222",
    "DBParameterGroups[0].DBParameterGroupName": "myapp-production-postgres16-1",
    KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/data",
    DBInstanceClass: "db.r6g.large",
    MultiAZ: "True",
};

function instanceRoutes(): Route[] {
    return Object.entries(INSTANCE).map(([q, a]) => [`^aws rds describe-db-instances .*--query DBInstances\\[0\\]\\.${q.replace(/[[\].]/g, "\\$&")} `, { out: `${a}\n` }]);
}

const REPLICA = rec.automatedBackup(6);
const DR_OWN = rec.automatedBackup(1, { Region: "us-west-2", Status: "active", DBInstanceArn: "arn:aws:rds:us-west-2:123456789012:db:myapp-production", DBInstanceAutomatedBackupsArn: "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-ownrebuild0000000000000000" });

function drRoute(answer: Answer): Route {
    return ["^aws rds describe-db-instance-automated-backups --region us-west-2 --output json$", answer];
}

function restore(args: string[], routes: Route[], tools?: Parameters<typeof runScript>[3]) {
    return runScript("restore_database.sh", args, routes, tools);
}

describe("scripts/restore_database.sh --dry-run", () => {
    it("latest: reads the instance, then prints snapshot, point-in-time restore with the same network and key, wait, and the name swap", () => {
        const r = restore(["--dry-run", "--identifier", "myapp-production", "--region", "us-east-1", "latest"], instanceRoutes());
        expect(r.status).toBe(0);
        expect(r.calls.length).toBe(6);
        expect(r.calls.every((c) => c.startsWith("aws rds describe-db-instances --region us-east-1 --db-instance-identifier myapp-production "))).toBe(true);
        const printed = r.stdout.trim().split("\n").map((l) => l.split(" ").slice(1, 4).join(" "));
        expect(printed).toEqual([
            "aws rds create-db-snapshot",
            "aws rds restore-db-instance-to-point-in-time",
            "aws rds wait",
            "aws rds modify-db-instance",
            "aws rds wait",
            "aws rds modify-db-instance",
            "aws rds wait",
        ]);
        const pitr = r.stdout.split("\n")[1]!;
        for (const part of ["--use-latest-restorable-time", "--source-db-instance-identifier myapp-production", "--db-subnet-group-name myapp-production-subnets-1", "--vpc-security-group-ids sg-111 sg-222", "--multi-az", "--deletion-protection"]) {
            expect(pitr).toContain(part);
        }
        expect(r.stdout).toMatch(/--db-instance-identifier myapp-production-restore-\d{8}-\d{6} --new-db-instance-identifier myapp-production\b/);
    });

    it("<id>: restores that snapshot or recovery point", () => {
        const r = restore(["--dry-run", "--identifier", "myapp-production", "--region", "us-east-1", "backup-20260115-1030"], instanceRoutes());
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/restore-db-instance-from-db-snapshot .*--db-snapshot-identifier backup-20260115-1030/);
        expect(r.stdout).not.toContain("restore-db-instance-to-point-in-time");
    });

    it("names from the stack's outputs when not given", () => {
        const routes: Route[] = [
            ["^pulumi stack output databaseIdentifier --stack production ", { out: `${String(loadPlan("production").outputs["databaseIdentifier"])}\n` }],
            ["^pulumi stack output region --stack production ", { out: "us-east-1\n" }],
            ...instanceRoutes(),
        ];
        const r = restore(["--dry-run", "latest"], routes);
        expect(r.status).toBe(0);
        expect(r.calls[0]).toMatch(/^pulumi stack output databaseIdentifier /);
        expect(r.calls[2]).toMatch(/^aws rds describe-db-instances --region us-east-1 --db-instance-identifier myapp-production /);
    });

    it("the instance is gone: exit 1, the reason and the fix on stderr, nothing on stdout, nothing written", () => {
        const r = restore(["--dry-run", "--identifier", "myapp-production", "--region", "us-east-1", "latest"], [
            ["^aws rds describe-db-instances ", { err: "\nAn error occurred (DBInstanceNotFound) when calling the DescribeDBInstances operation: DBInstance myapp-production not found.\n", rc: 254 }],
        ]);
        expect(r.status).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain("restore_database.sh: no instance myapp-production in us-east-1: this restore copies the current instance's settings");
        expect(r.calls).toHaveLength(1);
    });

    it("a field the instance lacks (None): exit 1 naming it", () => {
        const routes = instanceRoutes();
        routes.unshift(["--query DBInstances\\[0\\]\\.DBParameterGroups", { out: "None\n" }]);
        const r = restore(["--dry-run", "--identifier", "myapp-production", "--region", "us-east-1", "latest"], routes);
        expect(r.status).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain("instance myapp-production in us-east-1 has no DBParameterGroups[0].DBParameterGroupName");
    });
});

describe("scripts/restore_database.sh --dr-arn", () => {
    it("asks only the DR region and prints the replica's ARN alone, not the DR rebuild's own backups", () => {
        const r = restore(["--identifier", "myapp-production", "--dr-region", "us-west-2", "--dr-arn"], [drRoute({ out: rec.automatedBackups([DR_OWN, REPLICA]) })]);
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(`${REPLICA.DBInstanceAutomatedBackupsArn}\n`);
        expect(r.calls).toEqual(["aws rds describe-db-instance-automated-backups --region us-west-2 --output json"]);
        expect(r.stderr).toContain("replicated from us-east-1, status replicating; latest restorable time in us-west-2: 2026-01-15T10:24:00+00:00");
        expect(r.stderr).toContain(`next: export OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN=${REPLICA.DBInstanceAutomatedBackupsArn}`);
    });

    it("replication stopped (retained): still the ARN, with a warning", () => {
        const r = restore(["--identifier", "myapp-production", "--dr-region", "us-west-2", "--dr-arn"], [drRoute({ out: rec.automatedBackups([{ ...REPLICA, Status: "retained" }]) })]);
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(`${REPLICA.DBInstanceAutomatedBackupsArn}\n`);
        expect(r.stderr).toContain("warning: replication is not running (status retained)");
    });

    const failures: Array<[string, string[], Route[], RegExp, RunTools | null]> = [
        ["none replicated", ["--identifier", "myapp-production", "--dr-region", "us-west-2"], [drRoute({ out: rec.automatedBackups([DR_OWN]) })], /no automated backups of myapp-production replicated to us-west-2 .*Is backup.replicateAutomatedBackups on/, null],
        ["an empty listing", ["--identifier", "myapp-production", "--dr-region", "us-west-2"], [drRoute({ out: { DBInstanceAutomatedBackups: [] } })], /no automated backups of myapp-production replicated to us-west-2/, null],
        ["the DR region refuses", ["--identifier", "myapp-production", "--dr-region", "us-west-2"], [drRoute({ err: "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n", rc: 253 })], /describe-db-instance-automated-backups --region us-west-2 failed: Unable to locate credentials/, null],
        ["not JSON", ["--identifier", "myapp-production", "--dr-region", "us-west-2"], [drRoute({ out: "None\tNone\n" })], /did not answer JSON/, null],
        ["no restorable time yet", ["--identifier", "myapp-production", "--dr-region", "us-west-2"], [drRoute({ out: rec.automatedBackups([{ ...REPLICA, RestoreWindow: {} }]) })], /have no restorable time yet/, null],
        ["pulumi not installed, no --identifier", ["--dr-region", "us-west-2"], [], /no databaseIdentifier: pulumi is not installed, so pass --identifier/, ["aws"]],
        ["the stack cannot be read", ["--dr-region", "us-west-2"], [["^pulumi stack output databaseIdentifier", { err: "error: no stack named 'production' found\n", rc: 255 }]], /no databaseIdentifier: pulumi stack output databaseIdentifier --stack production failed \(error: no stack named 'production' found/, null],
        ["no DR region in the outputs", ["--identifier", "myapp-production"], [["^pulumi stack output drRegion", { out: "\n" }]], /no drRegion: stack production exports an empty drRegion; pass --dr-region/, null],
    ];
    type RunTools = NonNullable<Parameters<typeof runScript>[3]>["tools"];
    it.each(failures)("%s: exit 1, the reason on stderr, nothing on stdout", (_what, args, routes, message, tools) => {
        const r = restore([...args, "--dr-arn"], routes, tools ? { tools } : undefined);
        expect(r.status).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(message);
    });

    it("the documented use stops the shell instead of exporting an empty value", () => {
        const bin = path.join(ROOT, "scripts", "restore_database.sh");
        // The docs' form, in a strict shell, with no AWS CLI and no Pulumi on PATH.
        const snippet = `set -euo pipefail\narn="$(${bin} --dr-arn)" || exit 1\nexport OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN="$arn"\necho "exported [$arn]"\n`;
        const r = spawnSync("bash", ["-c", snippet], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
        expect(r.status).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain("restore_database.sh: the AWS CLI is required");
    });
});

describe("scripts/restore_database.sh arguments", () => {
    const cases: Array<[string, string[], string]> = [
        ["no target", [], "no target: latest, a snapshot or recovery point id, or --dr-arn"],
        ["two targets", ["latest", "backup-1"], "give one target, got latest and backup-1"],
        ["a target and --dr-arn", ["latest", "--dr-arn"], "give one target, got latest and --dr-arn"],
        ["an unknown option", ["--regoin", "x"], "unknown option --regoin"],
        ["a flag without a value", ["--dr-arn", "--identifier"], "--identifier needs a value"],
    ];
    it.each(cases)("%s: exit 2, the usage on stderr, nothing on stdout", (_what, args, message) => {
        const r = restore(args, []);
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(`restore_database.sh: ${message}`);
        expect(r.stderr).toContain("./scripts/restore_database.sh latest");
        expect(r.calls).toEqual([]);
    });

    it("--help: the usage on stdout, exit 0", () => {
        const r = restore(["--help"], []);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain('arn="$(./scripts/restore_database.sh --dr-arn)" || exit 1');
    });
});
