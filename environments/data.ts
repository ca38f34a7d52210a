import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import { Backup, RestoreValidation } from "../modules/backup";
import { RedisCache } from "../modules/cache";
import { PostgresDatabase, restoreSourceOf } from "../modules/database";
import { FilesBucket } from "../modules/files";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";

/**
 * The data layer of a cloud stack (issue 5; runbook 2.2, 3.9, 4.1): PostgreSQL on RDS, Redis on
 * ElastiCache, the files bucket and its DR replica, AWS Backup with copies to the DR region and a
 * weekly restore test with its automated validation. Staging and production only: dev and pr-<N> run the in-cluster stores of
 * the workload layer.
 */

/** The keys the data layer encrypts with (modules/keys `Keys` fits). KMS keys are regional: `dr` is in the DR region. */
export interface DataKeys {
    data: { arn: pulumi.Input<string> };
    logs: { arn: pulumi.Input<string> };
    /** The key of the secrets: the restore validation decrypts the master user secret with it. */
    secrets: { arn: pulumi.Input<string> };
    dr: { data: { arn: pulumi.Input<string> } };
}

/** What the data layer needs from the network (modules/network `Network` fits). */
export interface DataNetwork {
    isolatedSubnetIds: pulumi.Input<string>[];
    /** Where the restore validation runs: it reaches the restored instance and, through NAT, the Backup and RDS APIs. */
    privateSubnetIds: pulumi.Input<string>[];
    /** `app`: the group the database's group admits on 5432; the restore validation runs in it. */
    securityGroupIds: { database: pulumi.Input<string>; cache: pulumi.Input<string>; app: pulumi.Input<string> };
}

export interface DataDeps {
    providers: AwsProviders;
    network: DataNetwork;
    keys: DataKeys;
    /** SNS topic for failed backup, copy and restore-test jobs (the observability layer's high-severity topic). */
    alertTopicArn?: pulumi.Input<string>;
}

/** The data layer's resources and values. */
export interface DataLayer {
    /** DATABASE_URL (runbook 2.2), secret: for the secrets layer to store and deliver. */
    databaseUrl: pulumi.Output<string>;
    /** REDIS_URL (runbook 2.2), secret. */
    redisUrl: pulumi.Output<string>;
    /** The RDS master user as RDS-style JSON `{"username","password"}`, secret: the password rotation's MASTER_SECRET. */
    databaseMasterCredentials: pulumi.Output<string>;
    /** The restore test's validation result metric (`<app>/Backup RestoreValidationFailed`), where it runs: the restore alarm counts it. */
    restoreValidationMetric?: { namespace: string; restoreTestingPlan: pulumi.Input<string> };
    database: PostgresDatabase;
    cache: RedisCache;
    files: FilesBucket;
    backup: Backup;
    /** The weekly restore test's validation, where restore testing is enabled. */
    restoreValidation?: RestoreValidation;
    /** Stack outputs (no secrets). */
    outputs: Record<string, pulumi.Input<unknown>>;
}

export function composeData(settings: Settings, names: StackNames, deps: DataDeps): DataLayer {
    const { providers, network, keys } = deps;
    const name = names.regional;
    const protect = settings.protectStatefulResources;
    const retention = settings.logging.retentionDays;
    const db = settings.database;

    // The tag that puts a resource in the daily backup plan (the Backup component's selection).
    const backupTag = names.data.backupTag;

    const database = new PostgresDatabase(name, {
        identifier: name,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        allocatedStorageGiB: db.allocatedStorageGiB,
        maxAllocatedStorageGiB: db.maxAllocatedStorageGiB,
        multiAz: db.multiAz,
        dbName: db.name,
        username: db.username,
        backupRetentionDays: db.backupRetentionDays,
        backupWindow: db.backupWindow,
        maintenanceWindow: db.maintenanceWindow,
        slowStatementMs: db.slowStatementMs,
        performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
        monitoringIntervalSeconds: db.monitoringIntervalSeconds,
        subnetIds: network.isolatedSubnetIds,
        securityGroupIds: [network.securityGroupIds.database],
        kmsKeyArn: keys.data.arn,
        logsKmsKeyArn: keys.logs.arn,
        logRetentionDays: retention,
        deletionProtection: protect,
        restore: restoreSourceOf(settings.restore),
        tags: backupTag,
        replicateBackups: settings.backup.replicateAutomatedBackups
            ? { retentionDays: settings.backup.replicatedRetentionDays, kmsKeyArn: keys.dr.data.arn, provider: providers.dr }
            : undefined,
        provider: providers.primary,
    });

    const cache = new RedisCache(name, {
        replicationGroupId: name,
        engineVersion: settings.cache.engineVersion,
        nodeType: settings.cache.nodeType,
        nodes: settings.cache.nodes,
        multiAz: settings.cache.multiAz,
        snapshotRetentionDays: settings.cache.snapshotRetentionDays,
        snapshotWindow: settings.cache.snapshotWindow,
        maintenanceWindow: settings.cache.maintenanceWindow,
        authTokenVersion: settings.cache.authTokenVersion,
        authTokenUpdateStrategy: settings.cache.authTokenUpdateStrategy,
        subnetIds: network.isolatedSubnetIds,
        securityGroupIds: [network.securityGroupIds.cache],
        kmsKeyArn: keys.data.arn,
        logsKmsKeyArn: keys.logs.arn,
        logRetentionDays: retention,
        deletionProtection: protect,
        provider: providers.primary,
    });

    const files = new FilesBucket(names.data.filesComponent, {
        bucketName: names.data.bucket,
        replicaBucketName: settings.files.replicateToDr ? names.data.replicaBucket : undefined,
        noncurrentVersionExpirationDays: settings.files.noncurrentVersionExpirationDays,
        abortIncompleteUploadDays: settings.files.abortIncompleteUploadDays,
        kmsKeyArn: keys.data.arn,
        drKmsKeyArn: keys.dr.data.arn,
        deletionProtection: protect,
        tags: backupTag,
        primaryProvider: providers.primary,
        drProvider: providers.dr,
    });

    const b = settings.backup;
    const backup = new Backup(names.data.backupComponent, {
        namePrefix: name,
        schedule: b.schedule,
        retentionDays: b.retentionDays,
        startWindowMinutes: b.startWindowMinutes,
        completionWindowMinutes: b.completionWindowMinutes,
        copyToDr: b.copyToDr,
        vaultLock: b.vaultLock,
        vaultLockChangeableForDays: b.vaultLockChangeableForDays,
        kmsKeyArn: keys.data.arn,
        drKmsKeyArn: keys.dr.data.arn,
        restoreTesting: b.restoreTesting.enabled
            ? {
                  schedule: b.restoreTesting.schedule,
                  validationWindowHours: b.restoreTesting.validationWindowHours,
                  databaseArn: database.arn,
                  dbSubnetGroupName: database.subnetGroupName,
                  securityGroupIds: [network.securityGroupIds.database],
              }
            : undefined,
        alertTopicArn: deps.alertTopicArn,
        deletionProtection: protect,
        primaryProvider: providers.primary,
        drProvider: providers.dr,
    });

    // The restored test instance gets the database's security group (restore metadata), which
    // admits the app tier on 5432: the validation runs in the app tier's group, on the existing
    // rule, in the private subnets (Backup and RDS have no VPC endpoint; NAT reaches them).
    const restoreValidation =
        backup.restoreTestingPlanArn !== undefined && backup.restoreTestingPlanName !== undefined
            ? new RestoreValidation(names.data.restoreValidationComponent, {
                  namePrefix: name,
                  region: settings.region,
                  restoreTestingPlanArn: backup.restoreTestingPlanArn,
                  restoreTestingPlanName: backup.restoreTestingPlanName,
                  metricNamespace: names.data.restoreValidationMetricNamespace,
                  masterSecretName: names.secrets.databaseMaster,
                  secretsKeyArn: keys.secrets.arn,
                  logsKeyArn: keys.logs.arn,
                  logRetentionDays: retention,
                  databaseName: db.name,
                  vpc: { subnetIds: network.privateSubnetIds, securityGroupIds: [network.securityGroupIds.app] },
                  provider: providers.primary,
              })
            : undefined;

    const databaseMasterCredentials = pulumi.secret(pulumi.jsonStringify({ username: db.username, password: database.password }));
    return {
        databaseUrl: database.url,
        redisUrl: cache.url,
        databaseMasterCredentials,
        ...(restoreValidation && backup.restoreTestingPlanName
            ? { restoreValidationMetric: { namespace: names.data.restoreValidationMetricNamespace, restoreTestingPlan: backup.restoreTestingPlanName } }
            : {}),
        database,
        cache,
        files,
        backup,
        restoreValidation,
        outputs: {
            databaseIdentifier: database.identifier,
            databaseAddress: database.address,
            // A DR rebuild's restore.sourceAutomatedBackupsArn (docs/disaster-recovery.md).
            ...(database.drAutomatedBackupsArn ? { databaseDrAutomatedBackupsArn: database.drAutomatedBackupsArn } : {}),
            cacheReplicationGroupId: cache.replicationGroupId,
            filesBucket: files.bucketName,
            ...(files.replicaBucketName ? { filesReplicaBucket: files.replicaBucketName } : {}),
            backupVault: backup.vaultName,
            drBackupVault: backup.drVaultName,
            ...(backup.restoreTestingPlanName ? { restoreTestingPlan: backup.restoreTestingPlanName } : {}),
            ...(restoreValidation ? { restoreValidationFunction: restoreValidation.functionName } : {}),
        },
    };
}
