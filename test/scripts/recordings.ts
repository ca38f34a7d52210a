import type {
    CopyJob,
    GetBackupPlanOutput,
    GetRestoreTestingPlanOutput,
    ListBackupPlansOutput,
    ListCopyJobsOutput,
    ListRecoveryPointsByBackupVaultOutput,
    ListRestoreJobsOutput,
    RecoveryPointByBackupVault,
    RestoreJobsListMember,
} from "@aws-sdk/client-backup";
import type { ListCertificatesResponse } from "@aws-sdk/client-acm";
import type { DescribeAlarmsOutput, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { DBInstanceAutomatedBackup, DBInstanceAutomatedBackupMessage, DBInstanceMessage } from "@aws-sdk/client-rds";
import type { GetSecretValueResponse } from "@aws-sdk/client-secrets-manager";

/**
 * Recorded AWS answers for the scripts' tests, in the shapes of the AWS APIs. Each is typed with
 * the AWS SDK's own output type, so `tsc` refuses a field name or a value type the API does not
 * have (the SDK types are generated from the same service models as the AWS CLI). The harness
 * prints them as the CLI prints JSON.
 */

/** The clock of every recording: 2026-01-15T10:30:00Z, passed to the scripts as VERIFY_NOW. */
export const NOW = new Date("2026-01-15T10:30:00Z");
export const NOW_EPOCH = String(NOW.getTime() / 1000);

/** A time `hours` before NOW. */
export function ago(hours: number): Date {
    return new Date(NOW.getTime() - hours * 3600 * 1000);
}

export const ACCOUNT = "123456789012";
export const DB_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:db:myapp-production`;
export const FILES_ARN = "arn:aws:s3:::myapp-production-files-us-east-1";
export const DR_VAULT_ARN = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:myapp-production-dr`;
export const TEST_PLAN_ARN = `arn:aws:backup:us-east-1:${ACCOUNT}:restore-testing-plan:myapp_production_weekly-0a1b2c3d`;
export const PLAN_ID = "8f2a6b1e-4c3d-4e5f-9a8b-7c6d5e4f3a2b";

/** `aws backup list-backup-plans`: the stack's daily plan among another stack's. */
export function backupPlans(): ListBackupPlansOutput {
    return {
        BackupPlansList: [
            { BackupPlanArn: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:0c9d8e7f-0000-4000-8000-000000000001`, BackupPlanId: "0c9d8e7f-0000-4000-8000-000000000001", BackupPlanName: "myapp-staging-daily", CreationDate: ago(2000), VersionId: "ZmYyNjE0", LastExecutionDate: ago(5) },
            { BackupPlanArn: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:${PLAN_ID}`, BackupPlanId: PLAN_ID, BackupPlanName: "myapp-production-daily", CreationDate: ago(2000), VersionId: "NjBkMzQ5", LastExecutionDate: ago(5.5) },
        ],
    };
}

/** `aws backup get-backup-plan`: daily at 05:00 UTC, a 60-minute start window, copied to the DR vault unless `copy` is false. */
export function backupPlan(copy = true, copyTo = DR_VAULT_ARN): GetBackupPlanOutput {
    return {
        BackupPlanId: PLAN_ID,
        BackupPlanArn: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:${PLAN_ID}`,
        VersionId: "NjBkMzQ5",
        CreationDate: ago(2000),
        BackupPlan: {
            BackupPlanName: "myapp-production-daily",
            Rules: [
                {
                    RuleName: "daily",
                    RuleId: "7e6d5c4b-3a29-4818-8716-151413121110",
                    TargetBackupVaultName: "myapp-production",
                    ScheduleExpression: "cron(0 5 * * ? *)",
                    ScheduleExpressionTimezone: "Etc/UTC",
                    StartWindowMinutes: 60,
                    CompletionWindowMinutes: 360,
                    Lifecycle: { DeleteAfterDays: 30 },
                    RecoveryPointTags: { "backup-plan": "myapp-production-daily" },
                    CopyActions: copy ? [{ DestinationBackupVaultArn: copyTo, Lifecycle: { DeleteAfterDays: 30 } }] : [],
                },
            ],
        },
    };
}

function recoveryPoint(vaultArn: string, resourceArn: string, hoursAgo: number, status: RecoveryPointByBackupVault["Status"] = "COMPLETED"): RecoveryPointByBackupVault {
    const vault = vaultArn.split(":").pop()!;
    const rds = resourceArn.includes(":rds:");
    const region = vaultArn.split(":")[3]!;
    return {
        RecoveryPointArn: rds
            ? `arn:aws:rds:${region}:${ACCOUNT}:snapshot:awsbackup:job-${Math.round(hoursAgo * 100).toString(16).padStart(8, "0")}`
            : `arn:aws:backup:${region}:${ACCOUNT}:recovery-point:${Math.round(hoursAgo * 100).toString(16).padStart(8, "0")}-1111-4222-8333-444455556666`,
        BackupVaultName: vault,
        BackupVaultArn: vaultArn,
        ResourceArn: resourceArn,
        ResourceType: rds ? "RDS" : "S3",
        IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/myapp-production-backup-role-104cb5c`,
        Status: status,
        CreationDate: ago(hoursAgo),
        ...(status === "COMPLETED" ? { CompletionDate: ago(hoursAgo - 0.2) } : {}),
        EncryptionKeyArn: `arn:aws:kms:${region}:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
        IsEncrypted: true,
        ...(vault.endsWith("-dr") ? { SourceBackupVaultArn: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:myapp-production` } : {}),
    };
}

/** `aws backup list-recovery-points-by-backup-vault`: the database's and the bucket's points, newest `dbHours` / `filesHours` ago. */
export function recoveryPoints(vaultArn: string, dbHours: number | null, filesHours: number, extra: RecoveryPointByBackupVault[] = []): ListRecoveryPointsByBackupVaultOutput {
    const points: RecoveryPointByBackupVault[] = [];
    if (dbHours !== null) points.push(recoveryPoint(vaultArn, DB_ARN, dbHours), recoveryPoint(vaultArn, DB_ARN, dbHours + 24));
    points.push(recoveryPoint(vaultArn, FILES_ARN, filesHours), recoveryPoint(vaultArn, FILES_ARN, filesHours + 24));
    return { RecoveryPoints: [...points, ...extra] };
}

export { recoveryPoint };
export const PRIMARY_VAULT_ARN = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:myapp-production`;

/** One copy job to the DR vault. */
export function copyJob(resourceArn: string, hoursAgo: number, state: CopyJob["State"], message?: string): CopyJob {
    return {
        AccountId: ACCOUNT,
        CopyJobId: `copy-${resourceArn.includes(":rds:") ? "db" : "files"}-${Math.round(hoursAgo * 10)}`,
        SourceBackupVaultArn: PRIMARY_VAULT_ARN,
        SourceRecoveryPointArn: `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:${Math.round(hoursAgo * 10)}`,
        DestinationBackupVaultArn: DR_VAULT_ARN,
        ResourceArn: resourceArn,
        ResourceType: resourceArn.includes(":rds:") ? "RDS" : "S3",
        CreationDate: ago(hoursAgo),
        ...(state === "COMPLETED" || state === "FAILED" ? { CompletionDate: ago(hoursAgo - 0.3) } : {}),
        State: state,
        ...(message ? { StatusMessage: message } : {}),
        IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/myapp-production-backup-role-104cb5c`,
    };
}

/** `aws backup list-copy-jobs`. */
export function copyJobs(jobs: CopyJob[]): ListCopyJobsOutput {
    return { CopyJobs: jobs };
}

/** `aws backup get-restore-testing-plan`. */
export function restoreTestingPlan(): GetRestoreTestingPlanOutput {
    return {
        RestoreTestingPlan: {
            CreationTime: ago(2000),
            RecoveryPointSelection: { Algorithm: "LATEST_WITHIN_WINDOW", IncludeVaults: [PRIMARY_VAULT_ARN], RecoveryPointTypes: ["SNAPSHOT"], SelectionWindowDays: 7 },
            RestoreTestingPlanArn: TEST_PLAN_ARN,
            RestoreTestingPlanName: "myapp_production_weekly",
            ScheduleExpression: "cron(0 8 ? * MON *)",
            ScheduleExpressionTimezone: "Etc/UTC",
            StartWindowHours: 1,
        },
    };
}

/** One restore job of the weekly test. */
export function restoreJob(hoursAgo: number, status: RestoreJobsListMember["Status"], validation?: RestoreJobsListMember["ValidationStatus"], message?: string): RestoreJobsListMember {
    return {
        AccountId: ACCOUNT,
        RestoreJobId: `restore-${Math.round(hoursAgo)}`,
        RecoveryPointArn: `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:awsbackup:job-0001`,
        CreationDate: ago(hoursAgo),
        ...(status === "COMPLETED" || status === "FAILED" ? { CompletionDate: ago(hoursAgo - 0.5) } : {}),
        Status: status,
        ...(status === "FAILED" && message ? { StatusMessage: message } : {}),
        ...(status === "COMPLETED" ? { CreatedResourceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:awsbackup-restore-test-${Math.round(hoursAgo)}` } : {}),
        ResourceType: "RDS",
        CreatedBy: { RestoreTestingPlanArn: TEST_PLAN_ARN },
        ...(validation ? { ValidationStatus: validation } : {}),
        ...(validation && message ? { ValidationStatusMessage: message } : {}),
        IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/myapp-production-backup-role-104cb5c`,
    };
}

/** `aws backup list-restore-jobs --by-restore-testing-plan-arn`. */
export function restoreJobs(jobs: RestoreJobsListMember[]): ListRestoreJobsOutput {
    return { RestoreJobs: jobs };
}

/** One automated backup as `describe-db-instance-automated-backups` lists it in us-west-2. */
export function automatedBackup(latestMinutesAgo: number, overrides: Partial<DBInstanceAutomatedBackup> = {}): DBInstanceAutomatedBackup {
    return {
        DBInstanceArn: DB_ARN,
        DbiResourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY2",
        Region: "us-east-1",
        DBInstanceIdentifier: "myapp-production",
        RestoreWindow: { EarliestTime: ago(24 * 7), LatestTime: ago(latestMinutesAgo / 60) },
        AllocatedStorage: 100,
        Status: "replicating",
        Port: 5432,
        InstanceCreateTime: ago(5000),
        MasterUsername: "app",
        Engine: "postgres",
        EngineVersion: "16.4",
        LicenseModel: "postgresql-license",
        Encrypted: true,
        StorageType: "gp3",
        KmsKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d`,
        IAMDatabaseAuthenticationEnabled: true,
        BackupRetentionPeriod: 7,
        DBInstanceAutomatedBackupsArn: `arn:aws:rds:us-west-2:${ACCOUNT}:auto-backup:ab-4x7kq2m9p3r8s1t6v5w0y2z4a`,
        BackupTarget: "region",
        ...overrides,
    };
}

/** `aws rds describe-db-instance-automated-backups --region us-west-2`. */
export function automatedBackups(backups: DBInstanceAutomatedBackup[]): DBInstanceAutomatedBackupMessage {
    return { DBInstanceAutomatedBackups: backups };
}

/** One alarm as `describe-alarms --state-value ALARM` returns it. */
export function alarm(name: string, region: string): MetricAlarm {
    return {
        AlarmName: name,
        AlarmArn: `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${name}`,
        AlarmDescription: `${name}: runbook https://github.com/example/ops/blob/main/docs/runbooks/${name.split("-").slice(2).join("-")}.md`,
        ActionsEnabled: true,
        AlarmActions: [`arn:aws:sns:${region}:${ACCOUNT}:myapp-production-alerts-critical`],
        StateValue: "ALARM",
        StateReason: "Threshold Crossed: 1 datapoint [1.0 (15/01/26 10:20:00)] was greater than or equal to the threshold (1.0).",
        StateUpdatedTimestamp: ago(0.2),
        MetricName: "HealthCheckStatus",
        Namespace: "AWS/Route53",
        Statistic: "Minimum",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "LessThanThreshold",
        TreatMissingData: "breaching",
    };
}

/** `aws cloudwatch describe-alarms`. */
export function alarms(metricAlarms: MetricAlarm[]): DescribeAlarmsOutput {
    return { MetricAlarms: metricAlarms, CompositeAlarms: [] };
}

/** `aws acm list-certificates`: the stack's certificate, in use by the load balancer, expiring `days` from NOW. */
export function certificates(days: number, inUse = true, domain = "api.example.com"): ListCertificatesResponse {
    return {
        CertificateSummaryList: [
            {
                CertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/9356358c-9ea5-4159-8301-ee692dda83ff`,
                DomainName: domain,
                SubjectAlternativeNameSummaries: [domain],
                HasAdditionalSubjectAlternativeNames: false,
                Status: "ISSUED",
                Type: "AMAZON_ISSUED",
                KeyAlgorithm: "RSA_2048",
                KeyUsages: ["DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"],
                ExtendedKeyUsages: ["TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION"],
                InUse: inUse,
                RenewalEligibility: "ELIGIBLE",
                NotBefore: ago(24 * 300),
                NotAfter: ago(-24 * days),
                CreatedAt: ago(24 * 300),
                IssuedAt: ago(24 * 300),
            },
            {
                CertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/11111111-2222-4333-8444-555555555555`,
                DomainName: "staging.example.com",
                Status: "ISSUED",
                Type: "AMAZON_ISSUED",
                InUse: true,
                NotAfter: ago(-24 * 3),
            },
        ],
    };
}

/** `aws rds describe-db-instances` for one instance: its endpoint. */
export function dbInstance(identifier: string, region: string): DBInstanceMessage {
    return {
        DBInstances: [
            {
                DBInstanceIdentifier: identifier,
                DBInstanceStatus: "available",
                Engine: "postgres",
                Endpoint: { Address: `${identifier}.ccb1db2acb33.${region}.rds.amazonaws.com`, Port: 5432, HostedZoneId: "Z2R2ITUGPM61AM" },
                DBInstanceArn: `arn:aws:rds:${region}:${ACCOUNT}:db:${identifier}`,
            },
        ],
    };
}

/** `aws secretsmanager get-secret-value` of a DATABASE_URL secret. */
export function databaseUrlSecret(name: string, region: string, host: string): GetSecretValueResponse {
    return {
        ARN: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`,
        Name: name,
        VersionId: "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",
        SecretString: `postgresql://app:s3cr3tpassw0rd@${host}:5432/myapp?sslmode=require`,
        VersionStages: ["AWSCURRENT"],
        CreatedDate: ago(100),
    };
}
