/**
 * AWS Backup: plans, vaults, what they cover and how failures surface (runbook 3.9 and 4.1).
 */
import { EVERYWHERE, PolicyResource, PolicyRule, StackView, productionOnly, sharedEnvironments } from "../rule";
import { asArray, asObject, at, num, parseJson, refersTo, regionOf, shown, str, stringsIn } from "../values";

const PLAN = "aws:backup/plan:Plan";
const VAULT = "aws:backup/vault:Vault";
const VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const SELECTION = "aws:backup/selection:Selection";
const RESTORE_TESTING_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
const RDS_INSTANCE = "aws:rds/instance:Instance";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const TOPIC = "aws:sns/topic:Topic";

/** Runbook 3.9: 30-day retention, for the backups and their DR copies. */
export const PRODUCTION_BACKUP_DAYS = 30;

const PRODUCTION_WHY = "the staging profile keeps 7 days, in one region, without a vault lock: its data is anonymised production data, rebuilt at will.";

/** The region inside an ARN (`arn:aws:backup:us-west-2:...`). */
function arnRegion(arn: unknown): string | undefined {
    return typeof arn === "string" ? arn.split(":")[3] || undefined : undefined;
}

/** Whether a backup selection picks a resource: by ARN (or `*`) or by a tag it carries. */
function selects(selection: PolicyResource, target: PolicyResource): boolean {
    if (stringsIn(selection.inputs["resources"]).includes("*") || refersTo(selection, "resources", target)) return true;
    const tags = asObject(target.inputs["tags"]) ?? {};
    return asArray(selection.inputs["selectionTags"]).some((t) => at(t, "type") === "STRINGEQUALS" && at(t, "value") !== undefined && tags[String(at(t, "key"))] === at(t, "value"));
}

/** Whether an alarm watches a metric of a namespace, directly or in a metric query. */
function watches(alarm: PolicyResource, namespace: string, metric: string): boolean {
    return [alarm.inputs, ...asArray(alarm.inputs["metricQueries"]).map((q) => at(q, "metric"))].some((m) => at(m, "namespace") === namespace && at(m, "metricName") === metric);
}

/** Whether failed backup jobs reach an alert topic: an AWS/Backup alarm, or an EventBridge rule on aws.backup targeting a topic. */
function failuresAlerted(stack: StackView): boolean {
    if (stack.ofType(ALARM).some((a) => watches(a, "AWS/Backup", "NumberOfBackupJobsFailed") && stringsIn(a.inputs["alarmActions"]).length > 0)) return true;
    const topics = stack.ofType(TOPIC);
    return stack
        .ofType(EVENT_RULE)
        .filter((r) => asArray(at(parseJson(r.inputs["eventPattern"]), "source")).includes("aws.backup"))
        .some((rule) => stack.ofType(EVENT_TARGET).some((t) => refersTo(t, "rule", rule) && topics.some((topic) => refersTo(t, "arn", topic))));
}

export const backupRules: PolicyRule[] = [
    {
        name: "backup-retention",
        service: "AWS Backup",
        description: `Production backup rules keep recovery points ${PRODUCTION_BACKUP_DAYS} days.`,
        rationale: "Runbook 3.9 promises 30 days of backups: a corruption noticed after a week must still have a clean point to restore.",
        controls: [{ framework: "Runbook", id: "3.9 automated daily backups, 30-day retention" }],
        enforcement: productionOnly(PRODUCTION_WHY),
        types: [PLAN],
        check: (p) =>
            asArray(p.inputs["rules"]).flatMap((rule) => {
                const days = num(at(rule, "lifecycle", "deleteAfter"));
                return days !== undefined && days >= PRODUCTION_BACKUP_DAYS ? [] : [`rule ${shown(at(rule, "ruleName"))}: lifecycle.deleteAfter is ${shown(at(rule, "lifecycle", "deleteAfter"))}: set ${PRODUCTION_BACKUP_DAYS}`];
            }),
    },
    {
        name: "backup-dr-copy",
        service: "AWS Backup",
        description: `Production backup rules copy each recovery point to a vault in another region, kept ${PRODUCTION_BACKUP_DAYS} days.`,
        rationale: "A regional outage takes the primary vault with it; the DR rebuild restores from the copy (runbook 3.9).",
        controls: [{ framework: "Runbook", id: "3.9 DR copies in a second region" }],
        enforcement: productionOnly(PRODUCTION_WHY),
        types: [PLAN],
        check: (p, stack) => {
            const own = regionOf(p, stack.resources);
            return asArray(p.inputs["rules"]).flatMap((rule) => {
                const copies = asArray(at(rule, "copyActions")).filter((c) => {
                    const region = arnRegion(at(c, "destinationVaultArn"));
                    return region !== undefined && region !== own && (num(at(c, "lifecycle", "deleteAfter")) ?? 0) >= PRODUCTION_BACKUP_DAYS;
                });
                return copies.length > 0 ? [] : [`rule ${shown(at(rule, "ruleName"))} copies no recovery point to another region for ${PRODUCTION_BACKUP_DAYS} days`];
            });
        },
    },
    {
        name: "backup-vault-encrypted",
        service: "AWS Backup",
        description: "Backup vaults encrypt recovery points with a customer-managed KMS key.",
        rationale: "Copies to the DR region and restores need a key the stack controls; the AWS managed aws/backup key cannot be shared or governed by the stack's key policy.",
        controls: [{ framework: "Project", id: "modules/keys: the data key encrypts RDS, ElastiCache, S3 and AWS Backup" }],
        enforcement: EVERYWHERE,
        types: [VAULT],
        check: (v) => (str(v.inputs["kmsKeyArn"]) ? [] : ["no kmsKeyArn: encrypt with the stack's data key"]),
    },
    {
        name: "backup-vault-lock",
        service: "AWS Backup",
        description: `Production vaults are locked in compliance mode with a minimum retention of ${PRODUCTION_BACKUP_DAYS} days.`,
        rationale: "Without a lock, whoever can delete recovery points (an attacker with the account, a bad script) can erase every backup before erasing the data.",
        controls: [{ framework: "Runbook", id: "3.9 backup strategy" }],
        enforcement: productionOnly(PRODUCTION_WHY),
        types: [VAULT],
        check: (v, stack) => {
            const locks = stack.ofType(VAULT_LOCK).filter((l) => refersTo(l, "backupVaultName", v));
            if (locks.length === 0) return ["no aws.backup.VaultLockConfiguration for this vault"];
            const out: string[] = [];
            if (!locks.some((l) => (num(l.inputs["minRetentionDays"]) ?? 0) >= PRODUCTION_BACKUP_DAYS)) out.push(`its lock's minRetentionDays is below ${PRODUCTION_BACKUP_DAYS}`);
            if (!locks.some((l) => num(l.inputs["changeableForDays"]) !== undefined)) out.push("its lock has no changeableForDays: governance mode can be removed by any administrator; use compliance mode");
            return out;
        },
    },
    {
        name: "backup-covers-databases",
        service: "AWS Backup",
        description: "Every RDS instance is selected by a backup plan.",
        rationale: "Automated RDS backups disappear with the instance's retention; the backup plan's vault, copies and lock are what survive a deletion or a regional outage.",
        controls: [
            { framework: "Security Hub NIST 800-53", id: "RDS.26" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-RDSInBackupPlan" },
            { framework: "Runbook", id: "3.9 backup strategy" },
        ],
        enforcement: sharedEnvironments("development sandboxes hold synthetic data, reseeded at will."),
        types: [RDS_INSTANCE],
        // A read replica holds its source's data, which the plan backs up (and AWS Backup takes no RDS read replica).
        check: (db, stack) =>
            db.inputs["replicateSourceDb"] !== undefined || stack.ofType(SELECTION).some((s) => selects(s, db)) ? [] : ["no aws.backup.Selection picks it (by ARN or by a tag it carries)"],
    },
    {
        name: "backup-restore-tested",
        service: "AWS Backup",
        description: "Production databases are restored and validated by a restore testing plan.",
        rationale: "Runbook 4.1: weekly backup verification (the backup exists, is not corrupt, restores, passes integrity checks). An untested backup is a hope.",
        controls: [{ framework: "Runbook", id: "4.1 database backup verification (weekly)" }],
        enforcement: productionOnly("the staging profile turns restore testing off: its backups are not the ones anyone restores from."),
        types: [RDS_INSTANCE],
        check: (db, stack) =>
            db.inputs["replicateSourceDb"] !== undefined ||
            stack.ofType(RESTORE_TESTING_SELECTION).some((s) => stringsIn(s.inputs["protectedResourceArns"]).includes("*") || refersTo(s, "protectedResourceArns", db))
                ? []
                : ["no aws.backup.RestoreTestingSelection restores it"],
    },
    {
        name: "backup-failures-alerted",
        service: "AWS Backup",
        description: "Failed backup jobs reach an alert topic (an AWS/Backup alarm, or an EventBridge rule on aws.backup events).",
        rationale: "A backup that fails silently is found missing on the day of the restore.",
        controls: [
            { framework: "Runbook", id: "3.9 backup strategy" },
            { framework: "Runbook", id: "3.5 alerting" },
        ],
        enforcement: EVERYWHERE,
        types: [PLAN],
        check: (_p, stack) => (failuresAlerted(stack) ? [] : ["no alarm on AWS/Backup NumberOfBackupJobsFailed and no aws.backup EventBridge rule targets an alert topic"]),
    },
];
