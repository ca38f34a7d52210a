import { loadPlan } from "../helpers/plan";
import { parseReport, Route, runScriptAsync, statuses, type Answer, type RunOptions, type RunResult } from "./harness";
import * as rec from "./recordings";
import * as fs from "fs";

/**
 * scripts/verify_backups.sh against recorded AWS answers: a healthy production, then each way a
 * check fails, --dry-run, --json, the flags that replace the stack's outputs, and bad arguments.
 */

type Answers = Record<string, [string, Answer]>;

/** A week in which everything worked: points 5.5 h old, copies done, Monday's test validated, replication 4 minutes behind. */
function healthy(): Answers {
    return {
        outputs: ["^pulumi stack output --json --stack production ", { out: JSON.stringify(loadPlan("production").outputs) }],
        plans: ["^aws backup list-backup-plans --region us-east-1 ", { out: rec.backupPlans() }],
        plan: [`^aws backup get-backup-plan --region us-east-1 --backup-plan-id ${rec.PLAN_ID} `, { out: rec.backupPlan() }],
        primary: ["^aws backup list-recovery-points-by-backup-vault --region us-east-1 --backup-vault-name myapp-production ", { out: rec.recoveryPoints(rec.PRIMARY_VAULT_ARN, 5.5, 5.4) }],
        dr: ["^aws backup list-recovery-points-by-backup-vault --region us-west-2 --backup-vault-name myapp-production-dr ", { out: rec.recoveryPoints(rec.DR_VAULT_ARN, 5.0, 4.9) }],
        copies: [
            "^aws backup list-copy-jobs --region us-east-1 ",
            { out: rec.copyJobs([rec.copyJob(rec.DB_ARN, 5.2, "COMPLETED"), rec.copyJob(rec.DB_ARN, 29.2, "COMPLETED"), rec.copyJob(rec.FILES_ARN, 5.1, "COMPLETED")]) },
        ],
        testPlan: ["^aws backup get-restore-testing-plan --region us-east-1 --restore-testing-plan-name myapp_production_weekly ", { out: rec.restoreTestingPlan() }],
        restoreJobs: [
            `^aws backup list-restore-jobs --region us-east-1 --by-restore-testing-plan-arn ${rec.TEST_PLAN_ARN} `,
            { out: rec.restoreJobs([rec.restoreJob(74, "COMPLETED", "SUCCESSFUL", "All checks passed: SELECT 1; TLS; 42 tables in schema public.")]) },
        ],
        replicated: ["^aws rds describe-db-instance-automated-backups --region us-west-2 ", { out: rec.automatedBackups([rec.automatedBackup(4)]) }],
    };
}

/**
 * Without a fake for one of the tools, only the system's own tools this script uses are on PATH:
 * a machine with a real one in /usr/local/bin (GitHub's runners have the AWS CLI there) would
 * otherwise answer in its place.
 */
const SCRIPT_SYSTEM_TOOLS = ["jq", "sed", "date", "cat", "mktemp", "rm", "dirname", "basename", "tr", "grep", "awk", "sort", "head", "printf"];

const exists = (tool: string): boolean => ["/usr/local/bin", "/usr/bin", "/bin"].some((d) => fs.existsSync(`${d}/${tool}`));

function run(answers: Answers, args: string[] = ["--json"], tools?: RunOptions["tools"]) {
    const routes: Route[] = Object.values(answers);
    return runScriptAsync("verify_backups.sh", args, routes, { env: { VERIFY_NOW: rec.NOW_EPOCH }, ...(tools ? { tools, systemTools: SCRIPT_SYSTEM_TOOLS.filter(exists) } : {}) });
}

/** The healthy week with --json, run once for the tests that read different parts of its report. */
let healthyRun: Promise<RunResult> | undefined;
function runHealthy(): Promise<RunResult> {
    return (healthyRun ??= run(healthy()));
}

function check(stdout: string, name: string) {
    const c = parseReport(stdout).checks.find((x) => x.name === name);
    if (!c) throw new Error(`no check ${name} in ${stdout}`);
    return c;
}

describe("scripts/verify_backups.sh", () => {
    it.concurrent("a healthy week: every check passes, exit 0, and the JSON report has the documented shape", async () => {
        const r = await runHealthy();
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const report = parseReport(r.stdout);
        expect(report).toMatchObject({ script: "verify_backups.sh", stack: "production", checkedAt: "2026-01-15T10:30:00Z", ok: true });
        expect(statuses(report)).toEqual({
            "backup-plan": "pass",
            "recovery-points": "pass",
            "dr-recovery-points": "pass",
            "dr-copy-jobs": "pass",
            "restore-test": "pass",
            "replicated-automated-backups": "pass",
        });
        expect(check(r.stdout, "recovery-points").detail).toBe(
            "myapp-production in us-east-1: newest completed per resource: myapp-production (RDS) 5.5 h ago, myapp-production-files-us-east-1 (S3) 5.4 h ago (limit 26 h)",
        );
        expect(check(r.stdout, "restore-test").detail).toContain("restore job restore-74 of 2026-01-12T08:30:00Z: COMPLETED, validation SUCCESSFUL (All checks passed");
        expect(check(r.stdout, "replicated-automated-backups").detail).toContain("latest restorable time 2026-01-15T10:26:00Z, 4 min ago (RPO 15 min)");
    });

    it.concurrent("asks only what it needs, read-only, in each region: the primary for plans, points, copy and restore jobs; the DR region for its vault and the replica", async () => {
        const r = await runHealthy();
        const verbs = r.calls.map((c) => c.split(" ").slice(0, 3).join(" "));
        expect(verbs).toEqual([
            "pulumi stack output",
            "aws backup list-backup-plans",
            "aws backup get-backup-plan",
            "aws backup list-recovery-points-by-backup-vault",
            "aws backup list-recovery-points-by-backup-vault",
            "aws backup list-copy-jobs",
            "aws backup get-restore-testing-plan",
            "aws backup list-restore-jobs",
            "aws rds describe-db-instance-automated-backups",
        ]);
        expect(r.calls.filter((c) => c.startsWith("aws ")).every((c) => / --output json( |$)/.test(c))).toBe(true);
        expect(r.calls[3]).toContain("--by-created-after 2026-01-08T10:30:00Z");
        expect(r.calls[5]).toContain(`--by-destination-vault-arn ${rec.DR_VAULT_ARN} --by-created-after 2026-01-14T05:30:00Z`);
        expect(r.calls[7]).toContain("--by-created-after 2026-01-07T10:30:00Z");
    });

    it.concurrent("prints a short text report without --json", async () => {
        const r = await run(healthy(), []);
        expect(r.status).toBe(0);
        const lines = r.stdout.trim().split("\n");
        expect(lines[0]).toBe("verify_backups.sh, stack production, 2026-01-15T10:30:00Z");
        expect(lines.slice(1, -1).map((l) => l.split(":")[0])).toEqual([
            "  PASS  backup-plan",
            "  PASS  recovery-points",
            "  PASS  dr-recovery-points",
            "  PASS  dr-copy-jobs",
            "  PASS  restore-test",
            "  PASS  replicated-automated-backups",
        ]);
        expect(lines.at(-1)).toBe("All checks passed.");
    });

    it.concurrent("reads timestamps as AWS CLI v1 prints them too (epoch seconds for Backup)", async () => {
        const a = healthy();
        const points = rec.recoveryPoints(rec.PRIMARY_VAULT_ARN, 5.5, 5.4);
        const epochs = JSON.parse(JSON.stringify(points), (k, v: unknown) => (k === "CreationDate" || k === "CompletionDate" ? new Date(v as string).getTime() / 1000 : v)) as object;
        a["primary"]![1] = { out: JSON.stringify(epochs) };
        const r = await run(a);
        expect(check(r.stdout, "recovery-points")).toMatchObject({ status: "pass" });
        expect(check(r.stdout, "recovery-points").detail).toContain("myapp-production (RDS) 5.5 h ago");
    });

    describe("each failure fails its check and exits 1", () => {
        const cases: Array<[string, (a: Answers) => void, string, RegExp]> = [
            ["no backup plan", (a) => (a["plans"]![1] = { out: { BackupPlansList: [] } }), "backup-plan", /no backup plan named myapp-production-daily in us-east-1/],
            ["the list of plans is not JSON", (a) => (a["plans"]![1] = { out: "<html>Bad Gateway</html>\n" }), "backup-plan", /^aws backup list-backup-plans --region us-east-1: not the JSON it prints \((jq: )?parse error: /],
            ["the plan is not JSON", (a) => (a["plan"]![1] = { out: "{" }), "backup-plan", /^aws backup get-backup-plan --backup-plan-id 8f2a6b1e-\S+: not the JSON it prints \((jq: )?parse error: /],
            ["the plan has no rule into the vault", (a) => (a["plan"]![1] = { out: { ...rec.backupPlan(), BackupPlan: { BackupPlanName: "myapp-production-daily", Rules: [] } } }), "backup-plan", /^plan myapp-production-daily has no rule backing up into vault myapp-production$/],
            ["the plan copies elsewhere", (a) => (a["plan"]![1] = { out: rec.backupPlan(true, `arn:aws:backup:eu-west-1:${rec.ACCOUNT}:backup-vault:other`) }), "backup-plan", /copies go to arn:aws:backup:eu-west-1:.*not the DR vault myapp-production-dr in us-west-2/],
            ["yesterday's database backup missing", (a) => (a["primary"]![1] = { out: rec.recoveryPoints(rec.PRIMARY_VAULT_ARN, 29.5, 5.4) }), "recovery-points", /myapp-production \(RDS\): newest completed 29.5 h ago \(limit 26 h\)/],
            ["no database recovery point at all", (a) => (a["primary"]![1] = { out: rec.recoveryPoints(rec.PRIMARY_VAULT_ARN, null, 5.4) }), "recovery-points", /no completed recovery point of database myapp-production in the past 7 days/],
            [
                "only a failed (partial) point today",
                (a) => (a["primary"]![1] = { out: rec.recoveryPoints(rec.PRIMARY_VAULT_ARN, 30, 5.4, [rec.recoveryPoint(rec.PRIMARY_VAULT_ARN, rec.DB_ARN, 5.5, "PARTIAL")]) }),
                "recovery-points",
                /newest completed 30 h ago/,
            ],
            ["the DR vault is behind", (a) => (a["dr"]![1] = { out: rec.recoveryPoints(rec.DR_VAULT_ARN, 53, 4.9) }), "dr-recovery-points", /myapp-production-dr in us-west-2: myapp-production \(RDS\): newest completed 53 h ago \(limit 29 h\)/],
            [
                "the DR region answers with a proxy's error page, not JSON",
                (a) => (a["dr"]![1] = { out: "<html>\n  <body>502 Bad Gateway</body>\n</html>\n" }),
                "dr-recovery-points",
                /^myapp-production-dr in us-west-2: could not read the answer: not JSON: <html> <body>502 Bad Gateway<\/body> <\/html>$/,
            ],
            [
                "a recovery point's date is not a timestamp",
                (a) => (a["primary"]![1] = { out: JSON.stringify(rec.recoveryPoints(rec.PRIMARY_VAULT_ARN, 5.5, 5.4)).replace(/"CreationDate":"[^"]+"/, '"CreationDate":"yesterday"') }),
                "recovery-points",
                /^myapp-production in us-east-1: could not read the answer: not a timestamp: yesterday$/,
            ],
            ["the DR region does not answer", (a) => (a["dr"]![1] = { err: "\nCould not connect to the endpoint URL: \"https://backup.us-west-2.amazonaws.com/\"\n", rc: 255 }), "dr-recovery-points", /Could not connect to the endpoint URL/],
            [
                "the newest copy failed",
                (a) => (a["copies"]![1] = { out: rec.copyJobs([rec.copyJob(rec.DB_ARN, 5.2, "FAILED", "Access denied to KMS key"), rec.copyJob(rec.DB_ARN, 29.2, "COMPLETED"), rec.copyJob(rec.FILES_ARN, 5.1, "COMPLETED")]) }),
                "dr-copy-jobs",
                /myapp-production: FAILED copy-db-52 \(Access denied to KMS key\)/,
            ],
            ["no copy job at all", (a) => (a["copies"]![1] = { out: rec.copyJobs([]) }), "dr-copy-jobs", /no copy job to myapp-production-dr in the past 29 h/],
            ["the restore testing plan's answer has no ARN", (a) => (a["testPlan"]![1] = { out: {} }), "restore-test", /^restore testing plan myapp_production_weekly: no RestoreTestingPlanArn in the answer$/],
            ["the restore test failed", (a) => (a["restoreJobs"]![1] = { out: rec.restoreJobs([rec.restoreJob(74, "FAILED", undefined, "KMS key not accessible")]) }), "restore-test", /FAILED \(KMS key not accessible\)/],
            [
                "the restore test restored but failed validation",
                (a) => (a["restoreJobs"]![1] = { out: rec.restoreJobs([rec.restoreJob(74, "COMPLETED", "FAILED", "no tables in schema public")]) }),
                "restore-test",
                /COMPLETED, validation FAILED \(no tables in schema public\)/,
            ],
            ["no restore test this week", (a) => (a["restoreJobs"]![1] = { out: rec.restoreJobs([]) }), "restore-test", /no finished restore test in the past 8 days/],
            [
                "only a test still validating",
                (a) => (a["restoreJobs"]![1] = { out: rec.restoreJobs([rec.restoreJob(2, "COMPLETED", "VALIDATING")]) }),
                "restore-test",
                /no finished restore test in the past 8 days \(weekly schedule\); 1 newer still running or validating/,
            ],
            ["replication 40 minutes behind", (a) => (a["replicated"]![1] = { out: rec.automatedBackups([rec.automatedBackup(40)]) }), "replicated-automated-backups", /40 min ago \(RPO 15 min\)/],
            [
                "replication stopped (retained)",
                (a) => (a["replicated"]![1] = { out: rec.automatedBackups([rec.automatedBackup(3, { Status: "retained" })]) }),
                "replicated-automated-backups",
                /\(retained\)/,
            ],
            [
                "only the DR region's own instance",
                (a) => (a["replicated"]![1] = { out: rec.automatedBackups([rec.automatedBackup(2, { Region: "us-west-2", Status: "active" })]) }),
                "replicated-automated-backups",
                /no automated backups of myapp-production replicated to us-west-2/,
            ],
        ];
        it.concurrent.each(cases)("%s", async (_what, breakIt, name, detail) => {
            const a = healthy();
            breakIt(a);
            const r = await run(a);
            expect(r.status).toBe(1);
            const report = parseReport(r.stdout);
            expect(report.ok).toBe(false);
            const c = check(r.stdout, name);
            expect(c.status).toBe("fail");
            expect(c.detail).toMatch(detail);
            expect(report.checks.filter((x) => x.status === "fail").map((x) => x.name)).toEqual([name]);
        });

        it.concurrent("the text report names the failed check and counts the failures", async () => {
            const a = healthy();
            a["copies"]![1] = { out: rec.copyJobs([]) };
            const r = await run(a, []);
            expect(r.status).toBe(1);
            expect(r.stdout).toContain("  FAIL  dr-copy-jobs: to myapp-production-dr in us-west-2: no copy job");
            expect(r.stdout.trim().split("\n").at(-1)).toBe("1 check(s) failed.");
        });
    });

    it.concurrent("staging: no copies, no restore test, no replication: those checks say why they are skipped, and it passes", async () => {
        const a = healthy();
        a["outputs"] = ["^pulumi stack output --json --stack staging ", { out: JSON.stringify(loadPlan("staging").outputs) }];
        const plans = rec.backupPlans();
        a["plans"]![1] = { out: plans };
        const plan = rec.backupPlan(false);
        plan.BackupPlan!.Rules![0]!.TargetBackupVaultName = "myapp-staging";
        plan.BackupPlan!.BackupPlanName = "myapp-staging-daily";
        a["plan"] = ["^aws backup get-backup-plan --region us-east-1 --backup-plan-id 0c9d8e7f-0000-4000-8000-000000000001 ", { out: plan }];
        const points = JSON.stringify(rec.recoveryPoints(rec.PRIMARY_VAULT_ARN, 5.5, 5.4)).replaceAll("myapp-production", "myapp-staging");
        a["primary"] = ["^aws backup list-recovery-points-by-backup-vault --region us-east-1 --backup-vault-name myapp-staging ", { out: points }];
        const r = await run(a, ["--stack", "staging", "--json"]);
        expect(r.status).toBe(0);
        const report = parseReport(r.stdout);
        expect(statuses(report)).toEqual({
            "backup-plan": "pass",
            "recovery-points": "pass",
            "dr-recovery-points": "skip",
            "dr-copy-jobs": "skip",
            "restore-test": "skip",
            "replicated-automated-backups": "skip",
        });
        expect(check(r.stdout, "backup-plan").detail).toBe("myapp-staging-daily into myapp-staging: cron(0 5 * * ? *) (start window 60 min), no copy to another region");
        expect(check(r.stdout, "restore-test").detail).toContain("pass --restore-testing-plan");
        expect(r.calls.some((c) => c.includes("us-west-2"))).toBe(false);
    });

    it.concurrent("--dry-run prints every AWS call and makes none (only the stack's outputs are read)", async () => {
        const r = await run(healthy(), ["--dry-run"]);
        expect(r.status).toBe(0);
        expect(r.calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual(["pulumi stack output"]);
        const printed = r.stdout.trim().split("\n");
        expect(printed[0]).toBe("# verify_backups.sh --stack production --dry-run: the calls it would make, none made");
        expect(printed.slice(1).map((l) => l.split(" ").slice(0, 4).join(" "))).toEqual([
            "+ aws backup list-backup-plans",
            "+ aws backup get-backup-plan",
            "+ aws backup list-recovery-points-by-backup-vault",
            "+ aws backup list-recovery-points-by-backup-vault",
            "+ aws backup list-copy-jobs",
            "+ aws backup get-restore-testing-plan",
            "+ aws backup list-restore-jobs",
            "+ aws rds describe-db-instance-automated-backups",
        ]);
        expect(printed[2]).toContain("--backup-plan-id \\<BackupPlanId\\ of\\ myapp-production-daily\\>");
    });

    it.concurrent("--dry-run: the dates it asks from are UTC days counted back from now, across a leap day", async () => {
        const now = String(Date.UTC(2028, 2, 1, 6) / 1000);
        const r = await runScriptAsync("verify_backups.sh", ["--dry-run"], [healthy()["outputs"]!], { env: { VERIFY_NOW: now } });
        expect(r.status).toBe(0);
        const created = r.stdout.split("\n").map((l) => / --by-created-after (\S+)/.exec(l)?.[1]).filter((d) => d !== undefined);
        // recovery points: 7 days (twice); copy jobs: the DR limit, 24 h + the 60-minute start window + 1 h + 3 h; restore jobs: 8 days.
        expect(created).toEqual(["2028-02-23T06:00:00Z", "2028-02-23T06:00:00Z", "2028-02-29T01:00:00Z", "2028-02-22T06:00:00Z"]);
    });

    it.concurrent("--dry-run --json: the calls as a list", async () => {
        const r = await run(healthy(), ["--dry-run", "--json"]);
        const out = JSON.parse(r.stdout) as { script: string; stack: string; dryRun: boolean; calls: string[] };
        expect(Object.keys(out)).toEqual(["script", "stack", "dryRun", "calls"]);
        expect(out.dryRun).toBe(true);
        expect(out.calls).toHaveLength(8);
        expect(out.calls[0]).toBe("aws backup list-backup-plans --region us-east-1 --output json");
    });

    it.concurrent("works without Pulumi when every name is a flag, and the flags are what it asks about", async () => {
        const a = healthy();
        delete a["outputs"];
        const args = ["--region", "us-east-1", "--dr-region", "us-west-2", "--vault", "myapp-production", "--dr-vault", "myapp-production-dr", "--identifier", "myapp-production", "--restore-testing-plan", "myapp_production_weekly", "--json"];
        const r = await run(a, args, ["aws"]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.calls.some((c) => c.startsWith("pulumi"))).toBe(false);
        expect(Object.values(statuses(parseReport(r.stdout)))).toEqual(["pass", "pass", "pass", "pass", "pass", "pass"]);
    });

    it.concurrent("a name that starts with a dash (a vault name may) reaches the report as it is", async () => {
        const a = healthy();
        a["primary"]![0] = "^aws backup list-recovery-points-by-backup-vault --region us-east-1 --backup-vault-name -vault ";
        const r = await run(a, ["--json", "--vault", "-vault", "--backup-plan", "myapp-production-daily"]);
        expect(r.stderr).toBe("");
        expect(check(r.stdout, "recovery-points")).toMatchObject({ status: "pass", detail: expect.stringMatching(/^-vault in us-east-1: newest completed per resource: /) });
        expect(check(r.stdout, "backup-plan")).toMatchObject({ status: "fail", detail: "plan myapp-production-daily has no rule backing up into vault -vault" });
    });

    it.concurrent("--max-age-hours and --rpo-minutes tighten the limits", async () => {
        const r = await run(healthy(), ["--json", "--max-age-hours", "4", "--rpo-minutes", "3"]);
        expect(r.status).toBe(1);
        expect(check(r.stdout, "recovery-points").detail).toContain("(limit 4 h)");
        expect(check(r.stdout, "replicated-automated-backups")).toMatchObject({ status: "fail" });
    });

    describe("cannot run: exit 2, a message naming the fix, nothing on stdout", () => {
        const cases: Array<[string, string[], Answers | null, string]> = [
            ["an unknown argument", ["--stak", "production"], null, "unknown argument '--stak' (see --help)"],
            ["a flag without its value", ["--region"], null, "--region needs a value (see --help)"],
            ["a flag followed by another flag", ["--vault", "--json"], null, "--vault needs a value (see --help)"],
            ["a bad limit", ["--max-age-hours", "a day"], null, "--max-age-hours takes whole hours, got 'a day'"],
            ["a stack Pulumi cannot read", ["--stack", "nope"], { o: ["^pulumi stack output", { err: "error: no stack named 'nope' found\n", rc: 255 }] }, "could not read the outputs of stack 'nope' (error: no stack named 'nope' found"],
            ["a stack without AWS (dev)", ["--stack", "dev"], { o: ["^pulumi stack output", { out: JSON.stringify(loadPlan("dev").outputs) }] }, "no primary region: stack 'dev' has no output 'region' (is it an AWS stack?); pass --region"],
        ];
        it.concurrent.each(cases)("%s", async (_what, args, answers, message) => {
            const r = await run(answers ?? {}, args);
            expect(r.status).toBe(2);
            expect(r.stdout).toBe("");
            expect(r.stderr).toContain(`verify_backups.sh: ${message}`);
            expect(r.calls.some((c) => c.startsWith("aws "))).toBe(false);
        });

        it.concurrent("without Pulumi and without the flags: says which flag", async () => {
            const r = await run({}, ["--json"], ["aws"]);
            expect(r.status).toBe(2);
            expect(r.stderr).toContain("pulumi is not installed: every name must come from its flag");
            expect(r.stderr).toContain("pass --region");
        });

        it.concurrent("with a jq older than 1.6", async () => {
            const r = await run({ jq: ["^jq --version$", { out: "jq-1.5\n" }] }, ["--json"], ["aws", "pulumi", "jq"]);
            expect(r.status).toBe(2);
            expect(r.stdout).toBe("");
            expect(r.stderr).toBe("verify_backups.sh: jq 1.6 or later is required, this is jq-1.5: apt-get install -y jq (Debian, Ubuntu), brew install jq (macOS); AWS CloudShell has it\n");
            expect(r.calls).toEqual(["jq --version"]);
        });

        it.concurrent("without the AWS CLI", async () => {
            const r = await run(healthy(), ["--json"], ["pulumi"]);
            expect(r.status).toBe(2);
            expect(r.stderr).toContain("the AWS CLI is required");
        });
    });

    it.concurrent("--help prints the usage and exits 0", async () => {
        const r = await run({}, ["--help"]);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("Weekly backup verification (runbook 4.1)");
        expect(r.stdout).toContain("--restore-testing-plan <name>");
    });
});
