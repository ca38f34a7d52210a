import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import type { KeyRef, Roles } from "../modules/aws/roles";
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
    /** Each key by alias and region (policies name keys by alias). */
    refs: { data: KeyRef; secrets: KeyRef; dr: { data: KeyRef } };
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
    /** Where the layer's roles come from (modules/aws/roles.ts). */
    roles: Roles;
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

/**
 * The data layer of a cloud stack, in the order its parts depend on each other: the database,
 * the cache, the files bucket, AWS Backup (its restore test restores the database), and the
 * restore test's validation.
 */
export function composeData(settings: Settings, names: StackNames, deps: DataDeps): DataLayer {
    const database = createDatabase(settings, names, deps);
    const cache = createCache(settings, names, deps);
    const files = createFiles(settings, names, deps);
    const backup = createBackup(settings, names, deps, database);
    const restoreValidation = createRestoreValidation(settings, names, deps, backup);
    const databaseMasterCredentials = pulumi.secret(pulumi.jsonStringify({ username: settings.database.username, password: database.password }));
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

/** PostgreSQL on RDS, in the isolated subnets, with its automated backups replicated to the DR region where set. */
function createDatabase(settings: Settings, names: StackNames, deps: DataDeps): PostgresDatabase {
    const db = settings.database;
    return new PostgresDatabase(names.regional, {
        identifier: names.data.databaseIdentifier,
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
        subnetIds: deps.network.isolatedSubnetIds,
        securityGroupIds: [deps.network.securityGroupIds.database],
        kmsKeyArn: deps.keys.data.arn,
        logsKmsKeyArn: deps.keys.logs.arn,
        logRetentionDays: settings.logging.retentionDays,
        deletionProtection: settings.protectStatefulResources,
        restore: restoreSourceOf(settings.restore),
        tags: names.data.backupTag,
        replicateBackups: settings.backup.replicateAutomatedBackups
            ? { retentionDays: settings.backup.replicatedRetentionDays, kmsKeyArn: deps.keys.dr.data.arn, provider: deps.providers.dr }
            : undefined,
        provider: deps.providers.primary,
        roles: deps.roles,
    });
}

/** Redis on ElastiCache, in the isolated subnets. */
function createCache(settings: Settings, names: StackNames, deps: DataDeps): RedisCache {
    return new RedisCache(names.regional, {
        replicationGroupId: names.data.cacheReplicationGroupId,
        engineVersion: settings.cache.engineVersion,
        nodeType: settings.cache.nodeType,
        nodes: settings.cache.nodes,
        multiAz: settings.cache.multiAz,
        snapshotRetentionDays: settings.cache.snapshotRetentionDays,
        snapshotWindow: settings.cache.snapshotWindow,
        maintenanceWindow: settings.cache.maintenanceWindow,
        authTokenVersion: settings.cache.authTokenVersion,
        authTokenUpdateStrategy: settings.cache.authTokenUpdateStrategy,
        subnetIds: deps.network.isolatedSubnetIds,
        securityGroupIds: [deps.network.securityGroupIds.cache],
        kmsKeyArn: deps.keys.data.arn,
        logsKmsKeyArn: deps.keys.logs.arn,
        logRetentionDays: settings.logging.retentionDays,
        deletionProtection: settings.protectStatefulResources,
        provider: deps.providers.primary,
    });
}

/** The files bucket, and its replica in the DR region where set. */
function createFiles(settings: Settings, names: StackNames, deps: DataDeps): FilesBucket {
    return new FilesBucket(names.data.filesComponent, {
        bucketName: names.data.bucket,
        replicaBucketName: settings.files.replicateToDr ? names.data.replicaBucket : undefined,
        noncurrentVersionExpirationDays: settings.files.noncurrentVersionExpirationDays,
        abortIncompleteUploadDays: settings.files.abortIncompleteUploadDays,
        kmsKeyArn: deps.keys.data.arn,
        drKmsKeyArn: deps.keys.dr.data.arn,
        keyRefs: { primary: deps.keys.refs.data, dr: deps.keys.refs.dr.data },
        roles: deps.roles,
        deletionProtection: settings.protectStatefulResources,
        tags: names.data.backupTag,
        primaryProvider: deps.providers.primary,
        drProvider: deps.providers.dr,
    });
}

/** AWS Backup: vaults in both regions, the daily plan over the tagged resources, the weekly restore test of the database. */
function createBackup(settings: Settings, names: StackNames, deps: DataDeps, database: PostgresDatabase): Backup {
    const b = settings.backup;
    return new Backup(names.data.backupComponent, {
        namePrefix: names.regional,
        schedule: b.schedule,
        retentionDays: b.retentionDays,
        startWindowMinutes: b.startWindowMinutes,
        completionWindowMinutes: b.completionWindowMinutes,
        copyToDr: b.copyToDr,
        vaultLock: b.vaultLock,
        vaultLockChangeableForDays: b.vaultLockChangeableForDays,
        kmsKeyArn: deps.keys.data.arn,
        drKmsKeyArn: deps.keys.dr.data.arn,
        keyRefs: { primary: deps.keys.refs.data, dr: deps.keys.refs.dr.data },
        roles: deps.roles,
        restoreTesting: b.restoreTesting.enabled
            ? {
                  schedule: b.restoreTesting.schedule,
                  validationWindowHours: b.restoreTesting.validationWindowHours,
                  databaseArn: database.arn,
                  dbSubnetGroupName: database.subnetGroupName,
                  securityGroupIds: [deps.network.securityGroupIds.database],
              }
            : undefined,
        alertTopicArn: deps.alertTopicArn,
        deletionProtection: settings.protectStatefulResources,
        primaryProvider: deps.providers.primary,
        drProvider: deps.providers.dr,
    });
}

/** The restore test's automated validation, where the restore test runs. */
function createRestoreValidation(settings: Settings, names: StackNames, deps: DataDeps, backup: Backup): RestoreValidation | undefined {
    // The restored test instance gets the database's security group (restore metadata), which
    // admits the app tier on 5432: the validation runs in the app tier's group, on the existing
    // rule, in the private subnets (Backup and RDS have no VPC endpoint; NAT reaches them).
    if (backup.restoreTestingPlanArn === undefined || backup.restoreTestingPlanName === undefined) return undefined;
    return new RestoreValidation(names.data.restoreValidationComponent, {
        namePrefix: names.regional,
        region: settings.region,
        restoreTestingPlanArn: backup.restoreTestingPlanArn,
        restoreTestingPlanName: backup.restoreTestingPlanName,
        metricNamespace: names.data.restoreValidationMetricNamespace,
        // The app's DATABASE_URL: the validation logs in as the app (never as the master user).
        appSecretName: names.secrets.databaseUrl,
        secretsKey: deps.keys.refs.secrets,
        roles: deps.roles,
        logsKeyArn: deps.keys.logs.arn,
        logRetentionDays: settings.logging.retentionDays,
        databaseName: settings.database.name,
        vpc: { subnetIds: deps.network.privateSubnetIds, securityGroupIds: [deps.network.securityGroupIds.app] },
        provider: deps.providers.primary,
    });
}
