import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../helpers/stacks";

/**
 * scripts/restore_database.sh under --dry-run, against a stand-in `aws` that answers the
 * read-only calls and records every call: the restore must ask only reads of AWS and print the
 * writes, in the documented order.
 */
function withFakeAws(): { dir: string; calls: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-aws-"));
    const calls = path.join(dir, "calls.log");
    const answers: Record<string, string> = {
        "DBSubnetGroup.DBSubnetGroupName": "myapp-production-subnets-1",
        "VpcSecurityGroups[].VpcSecurityGroupId": "sg-111\tsg-222",
        "DBParameterGroups[0].DBParameterGroupName": "myapp-production-postgres16-1",
        KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/data",
        DBInstanceClass: "db.r6g.large",
        MultiAZ: "True",
    };
    const cases = Object.entries(answers)
        .map(([q, a]) => `    *"DBInstances[0].${q}"*) printf '%s\\n' '${a}' ;;`)
        .join("\n");
    fs.writeFileSync(
        path.join(dir, "aws"),
        `#!/usr/bin/env bash\necho "$*" >> "${calls}"\ncase "$*" in\n${cases}\n    *describe-db-instance-automated-backups*) printf 'arn:aws:rds:us-west-2:123456789012:auto-backup:ab-xyz\\t2026-01-15T10:25:00Z\\n' ;;\n    *) echo "unexpected call: $*" >&2; exit 9 ;;\nesac\n`,
        { mode: 0o755 },
    );
    return { dir, calls };
}

function restore(args: string[]): { status: number | null; stdout: string; stderr: string; calls: string[] } {
    const fake = withFakeAws();
    const r = spawnSync("bash", [path.join(ROOT, "scripts", "restore_database.sh"), ...args], {
        encoding: "utf8",
        env: { PATH: `${fake.dir}:${process.env["PATH"]}` },
    });
    const calls = fs.existsSync(fake.calls) ? fs.readFileSync(fake.calls, "utf8").trim().split("\n") : [];
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

describe("scripts/restore_database.sh --dry-run", () => {
    it("latest: reads the instance, then prints snapshot, point-in-time restore with the same network and key, wait, and the name swap", () => {
        const r = restore(["--dry-run", "--identifier", "myapp-production", "--region", "us-east-1", "latest"]);
        expect(r.status).toBe(0);
        expect(r.calls.every((c) => c.startsWith("rds describe-db-instances"))).toBe(true);
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
        const r = restore(["--dry-run", "--identifier", "myapp-production", "--region", "us-east-1", "backup-20260115-1030"]);
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/restore-db-instance-from-db-snapshot .*--db-snapshot-identifier backup-20260115-1030/);
        expect(r.stdout).not.toContain("restore-db-instance-to-point-in-time");
    });

    it("--dr-arn: asks only the DR region and prints the replicated backups' ARN", () => {
        const r = restore(["--identifier", "myapp-production", "--dr-region", "us-west-2", "--dr-arn"]);
        expect(r.status).toBe(0);
        expect(r.stdout.trim()).toBe("arn:aws:rds:us-west-2:123456789012:auto-backup:ab-xyz");
        expect(r.calls).toEqual([expect.stringMatching(/^rds describe-db-instance-automated-backups --region us-west-2 --db-instance-identifier myapp-production /)]);
        expect(r.stderr).toContain("latest restorable time in us-west-2: 2026-01-15T10:25:00Z");
    });

    it("without a target: prints usage and exits 2", () => {
        const r = restore([]);
        expect(r.status).toBe(2);
        expect(r.stdout).toContain("./scripts/restore_database.sh latest");
    });
});
