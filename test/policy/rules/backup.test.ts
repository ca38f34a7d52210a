import { backupRules } from "../../../policy/rules/backup";
import { findings, providers, res, ruleSuite } from "../fixtures";

const PLAN = "aws:backup/plan:Plan";
const DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:myapp-production-dr";
const daily = (over: Record<string, unknown> = {}) => ({ ruleName: "daily", targetVaultName: "myapp-production", schedule: "cron(0 5 * * ? *)", lifecycle: { deleteAfter: 30 }, copyActions: [{ destinationVaultArn: DR_VAULT, lifecycle: { deleteAfter: 30 } }], ...over });
const plan = (rules: unknown[] = [daily()]) => res(PLAN, { name: "myapp-production-daily", rules }, { name: "plan" });
const vault = (name = "myapp-production", inputs: Record<string, unknown> = { kmsKeyArn: "arn:aws:kms:us-east-1:1:key/data" }) => res("aws:backup/vault:Vault", { name, ...inputs }, { name: `vault-${name}`, id: name });
const lock = (vaultName: string, inputs: Record<string, unknown> = { minRetentionDays: 30, changeableForDays: 3 }) => res("aws:backup/vaultLockConfiguration:VaultLockConfiguration", { backupVaultName: vaultName, ...inputs }, { name: `lock-${vaultName}` });
const db = (tags: Record<string, string> = { "backup-plan": "daily" }) => res("aws:rds/instance:Instance", { identifier: "myapp-production", tags }, { name: "db", id: "myapp-production" });
const selection = (inputs: Record<string, unknown> = { selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan", value: "daily" }] }) => res("aws:backup/selection:Selection", { planId: "p", iamRoleArn: "r", ...inputs }, { name: "selection" });
const restoreSelection = (arns: string[]) => res("aws:backup/restoreTestingSelection:RestoreTestingSelection", { protectedResourceType: "RDS", protectedResourceArns: arns, restoreTestingPlanName: "weekly" }, { name: "restore-test" });
const topic = () => res("aws:sns/topic:Topic", { name: "alerts-medium" }, { name: "topic", id: "arn:aws:sns:us-east-1:1:alerts-medium" });
const failedJobsAlarm = (actions = ["arn:aws:sns:us-east-1:1:alerts-medium"]) =>
    res("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: actions, metricQueries: [{ id: "v1", metric: { namespace: "AWS/Backup", metricName: "NumberOfBackupJobsFailed", dimensions: { BackupVaultName: "v" } } }] }, { name: "alarm" });
const eventRule = (source = "aws.backup") => res("aws:cloudwatch/eventRule:EventRule", { eventPattern: JSON.stringify({ source: [source], "detail-type": ["Backup Job State Change"], detail: { state: ["FAILED"] } }) }, { name: "failed-jobs", id: "failed-jobs-1" });
const eventTarget = (arn = "arn:aws:sns:us-east-1:1:alerts-medium") => res("aws:cloudwatch/eventTarget:EventTarget", { rule: "failed-jobs-1", arn }, { name: "failed-jobs-target" });

describe("AWS Backup rules", () => {
    const rule = ruleSuite(backupRules);

    rule("backup-retention", {
        compliant: () => [plan()],
        missing: () => [plan([daily({ lifecycle: undefined })])],
        missingFindings: ['plan: rule "daily": lifecycle.deleteAfter is unset: set 30'],
        wrong: () => [plan([daily(), daily({ ruleName: "hourly", lifecycle: { deleteAfter: 7 } })])],
        wrongFindings: ['plan: rule "hourly": lifecycle.deleteAfter is 7: set 30'],
    });

    rule("backup-dr-copy", {
        compliant: () => [...providers(), plan()],
        missing: () => [...providers(), plan([daily({ copyActions: [] })])],
        missingFindings: ['plan: rule "daily" copies no recovery point to another region for 30 days'],
        wrong: () => [
            ...providers(),
            plan([
                daily({ copyActions: [{ destinationVaultArn: "arn:aws:backup:us-east-1:123456789012:backup-vault:same-region", lifecycle: { deleteAfter: 30 } }] }),
                daily({ ruleName: "short", copyActions: [{ destinationVaultArn: DR_VAULT, lifecycle: { deleteAfter: 7 } }] }),
            ]),
        ],
        wrongFindings: ['plan: rule "daily" copies no recovery point to another region for 30 days', 'plan: rule "short" copies no recovery point to another region for 30 days'],
    });

    rule("backup-vault-encrypted", {
        compliant: () => [vault()],
        missing: () => [vault("v", {})],
        missingFindings: ["vault-v: no kmsKeyArn: encrypt with the stack's data key"],
        wrong: () => [vault("v", { kmsKeyArn: "" })],
        wrongFindings: ["vault-v: no kmsKeyArn: encrypt with the stack's data key"],
    });

    rule("backup-vault-lock", {
        compliant: () => [vault(), lock("myapp-production")],
        missing: () => [vault()],
        missingFindings: ["vault-myapp-production: no aws.backup.VaultLockConfiguration for this vault"],
        wrong: () => [vault(), lock("myapp-production", { minRetentionDays: 7 }), vault("other"), lock("myapp-production-other")],
        wrongFindings: [
            "vault-myapp-production: its lock's minRetentionDays is below 30",
            "vault-myapp-production: its lock has no changeableForDays: governance mode can be removed by any administrator; use compliance mode",
            "vault-other: no aws.backup.VaultLockConfiguration for this vault",
        ],
    });

    rule("backup-covers-databases", {
        compliant: () => [db(), selection()],
        missing: () => [db()],
        missingFindings: ["db: no aws.backup.Selection picks it (by ARN or by a tag it carries)"],
        wrong: () => [db({ "backup-plan": "weekly" }), selection()],
        wrongFindings: ["db: no aws.backup.Selection picks it (by ARN or by a tag it carries)"],
    });

    rule("backup-restore-tested", {
        compliant: () => [db(), restoreSelection(["arn:aws:rds:us-east-1:123456789012:db:myapp-production"])],
        missing: () => [db()],
        missingFindings: ["db: no aws.backup.RestoreTestingSelection restores it"],
        wrong: () => [db(), restoreSelection(["arn:aws:rds:us-east-1:123456789012:db:myapp-staging"])],
        wrongFindings: ["db: no aws.backup.RestoreTestingSelection restores it"],
    });

    rule("backup-failures-alerted", {
        compliant: () => [plan(), failedJobsAlarm()],
        missing: () => [plan()],
        missingFindings: ["plan: no alarm on AWS/Backup NumberOfBackupJobsFailed and no aws.backup EventBridge rule targets an alert topic"],
        wrong: () => [plan(), failedJobsAlarm([]), topic(), eventRule("aws.ec2"), eventTarget()],
        wrongFindings: ["plan: no alarm on AWS/Backup NumberOfBackupJobsFailed and no aws.backup EventBridge rule targets an alert topic"],
    });

    it("takes 30 days as the shortest retention of the backups and of their DR copies", () => {
        expect(findings("backup-retention", [plan([daily({ lifecycle: { deleteAfter: 29 } })])])).toEqual(['plan: rule "daily": lifecycle.deleteAfter is 29: set 30']);
        expect(findings("backup-dr-copy", [...providers(), plan([daily({ copyActions: [{ destinationVaultArn: DR_VAULT, lifecycle: { deleteAfter: 29 } }] })])])).toEqual([
            'plan: rule "daily" copies no recovery point to another region for 30 days',
        ]);
        expect(findings("backup-vault-lock", [vault(), lock("myapp-production", { minRetentionDays: 29, changeableForDays: 3 })])).toEqual(["vault-myapp-production: its lock's minRetentionDays is below 30"]);
    });

    it("accepts an EventBridge rule on aws.backup events that targets an alert topic", () => {
        expect(findings("backup-failures-alerted", [plan(), topic(), eventRule(), eventTarget()])).toEqual([]);
        expect(findings("backup-failures-alerted", [plan(), topic(), eventRule(), eventTarget("arn:aws:lambda:us-east-1:1:function:f")])).toHaveLength(1);
    });

    it("selects a database by ARN or by every resource", () => {
        expect(findings("backup-covers-databases", [db({}), selection({ resources: ["arn:aws:rds:us-east-1:123456789012:db:myapp-production"] })])).toEqual([]);
        expect(findings("backup-covers-databases", [db({}), selection({ resources: ["*"] })])).toEqual([]);
        expect(findings("backup-restore-tested", [db({}), restoreSelection(["*"])])).toEqual([]);
    });
});

describe("AWS Backup rules, more cases", () => {
    const otherTopic = () => res("aws:sns/topic:Topic", { name: "alerts-low" }, { name: "topic-low", id: "arn:aws:sns:us-east-1:1:alerts-low" });
    const alarmOn = (namespace: string, metricName: string) => res("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: ["arn:aws:sns:us-east-1:1:alerts-medium"], namespace, metricName }, { name: "alarm" });
    const MISSING = "plan: no alarm on AWS/Backup NumberOfBackupJobsFailed and no aws.backup EventBridge rule targets an alert topic";

    it("counts no copy whose destination vault has no ARN, whatever its retention", () => {
        expect(findings("backup-dr-copy", [...providers(), plan([daily({ copyActions: [{ lifecycle: { deleteAfter: 30 } }] })])])).toEqual(['plan: rule "daily" copies no recovery point to another region for 30 days']);
        expect(findings("backup-dr-copy", [...providers(), plan([daily({ copyActions: [{ destinationVaultArn: "myapp-production-dr", lifecycle: { deleteAfter: 30 } }] })])])).toEqual([
            'plan: rule "daily" copies no recovery point to another region for 30 days',
        ]);
    });

    it("passes a vault when one of its locks keeps 30 days and one is in compliance mode", () => {
        expect(findings("backup-vault-lock", [vault(), lock("myapp-production", { minRetentionDays: 30 }), lock("myapp-production", { minRetentionDays: 7, changeableForDays: 3 })])).toEqual([]);
    });

    it("selects a database by one matching tag condition among others", () => {
        const tags = [
            { type: "STRINGEQUALS", key: "backup-plan", value: "weekly" },
            { type: "STRINGEQUALS", key: "backup-plan", value: "daily" },
        ];
        expect(findings("backup-covers-databases", [db(), selection({ selectionTags: tags })])).toEqual([]);
    });

    it("selects by a STRINGEQUALS condition with a value only", () => {
        const missing = ["db: no aws.backup.Selection picks it (by ARN or by a tag it carries)"];
        expect(findings("backup-covers-databases", [db(), selection({ selectionTags: [{ type: "STRINGLIKE", key: "backup-plan", value: "daily" }] })])).toEqual(missing);
        expect(findings("backup-covers-databases", [db({}), selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan" }] })])).toEqual(missing);
    });

    it("asks no backup selection or restore test of a read replica (its source's backups hold its data)", () => {
        const replica = res("aws:rds/instance:Instance", { identifier: "myapp-production-replica", replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:myapp-production" }, { name: "replica" });
        expect(findings("backup-covers-databases", [replica])).toEqual([]);
        expect(findings("backup-restore-tested", [replica])).toEqual([]);
    });

    it("takes only an alarm on AWS/Backup NumberOfBackupJobsFailed, in the alarm itself too", () => {
        expect(findings("backup-failures-alerted", [plan(), alarmOn("AWS/Backup", "NumberOfBackupJobsFailed")])).toEqual([]);
        expect(findings("backup-failures-alerted", [plan(), alarmOn("AWS/Backup", "NumberOfBackupJobsCompleted")])).toEqual([MISSING]);
        expect(findings("backup-failures-alerted", [plan(), alarmOn("Custom/Backup", "NumberOfBackupJobsFailed")])).toEqual([MISSING]);
    });

    it("accepts an aws.backup rule with one target on one of the topics, beside other targets and topics", () => {
        const lambdaTarget = res("aws:cloudwatch/eventTarget:EventTarget", { rule: "failed-jobs-1", arn: "arn:aws:lambda:us-east-1:1:function:f" }, { name: "lambda-target" });
        expect(findings("backup-failures-alerted", [plan(), topic(), otherTopic(), eventRule(), lambdaTarget, eventTarget()])).toEqual([]);
    });
});
