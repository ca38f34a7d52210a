import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import type { KeyRef, Roles } from "../modules/aws/roles";
import { Backup, RestoreValidation } from "../modules/backup";
import { RedisCache } from "../modules/cache";
import * as aws from "@pulumi/aws";
import { PostgresDatabase, restoreSourceOf } from "../modules/database";
import { lookupDrDataKey, lookupPromotedDatabase } from "../modules/dr/lookup";
import { standbyNames } from "../modules/dr/names";
import { DATABASE_MASTER, secretName } from "../modules/secrets/names";
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
    /** Absent on a stack that copies nothing out of its region (a DR rebuild). */
    dr?: { data: { arn: pulumi.Input<string> } };
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

/** The database as the other layers use it: the stack's own `PostgresDatabase`, or a DR rebuild's promoted replica. */
export interface DataDatabase {
    identifier: pulumi.Output<string>;
    address: pulumi.Output<string>;
    arn: pulumi.Output<string>;
    subnetGroupName: pulumi.Output<string>;
    drAutomatedBackupsArn?: pulumi.Output<string>;
    /** Its Enhanced Monitoring role, where the stack made the instance (the standby's replica uses it too). */
    monitoringRoleArn?: pulumi.Output<string>;
    /** Master password, secret. */
    password: pulumi.Output<string>;
    /** DATABASE_URL, secret. */
    url: pulumi.Output<string>;
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
    database: DataDatabase;
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
    const promote = settings.dr.rebuildOf !== undefined && settings.dr.database === "promoteReplica";
    const database = promote ? promotedDatabase(settings, deps) : createDatabase(settings, names, deps);
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
            ...(backup.drVaultName ? { drBackupVault: backup.drVaultName } : {}),
            ...(backup.restoreTestingPlanName ? { restoreTestingPlan: backup.restoreTestingPlanName } : {}),
            ...(restoreValidation ? { restoreValidationFunction: restoreValidation.functionName } : {}),
        },
    };
}

/**
 * A DR rebuild's database in mode promoteReplica: the standby's cross-region replica, promoted by
 * the on-call before the rebuild (scripts/dr_promote_database.sh), found by its identifier. Its
 * master user is the primary's (a replica has no credentials of its own): the rebuild reads them
 * from the primary's DATABASE_MASTER secret as replicated to this region, a regional read.
 */
function promotedDatabase(settings: Settings, deps: DataDeps): DataDatabase {
    const standby = standbyNames(settings.appName, settings.environment);
    const found = lookupPromotedDatabase(standby.replicaIdentifier, deps.providers.primary);
    const master = aws.secretsmanager.getSecretVersionOutput({ secretId: secretName(settings.appName, settings.environment, DATABASE_MASTER) }, { provider: deps.providers.primary });
    const credentials = master.secretString.apply((s) => JSON.parse(s) as { username: string; password: string });
    const password = pulumi.secret(credentials.apply((c) => c.password));
    return {
        identifier: found.identifier,
        address: found.address,
        arn: found.arn,
        subnetGroupName: found.subnetGroupName,
        password,
        url: pulumi.secret(pulumi.interpolate`postgresql://${credentials.apply((c) => c.username)}:${password}@${found.address}:${found.port}/${settings.database.name}?sslmode=require`),
    };
}

/**
 * The key a new database is encrypted with: the stack's data key, except on a DR rebuild that
 * restores the replicated automated backups, where a point-in-time restore keeps the backups' key
 * (the API takes none) — the standby's DR data key — and any other `kmsKeyId` would plan a
 * replacement of the restored database on every later update.
 */
function databaseKeyArn(settings: Settings, deps: DataDeps): pulumi.Input<string> {
    if (settings.dr.rebuildOf !== undefined && settings.restore.mode === "replicatedBackup") {
        return lookupDrDataKey(standbyNames(settings.appName, settings.environment), deps.providers.primary);
    }
    return deps.keys.data.arn;
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
        kmsKeyArn: databaseKeyArn(settings, deps),
        logsKmsKeyArn: deps.keys.logs.arn,
        logRetentionDays: settings.logging.retentionDays,
        deletionProtection: settings.protectStatefulResources,
        restore: restoreSourceOf(settings.restore),
        tags: names.data.backupTag,
        replicateBackups:
            settings.backup.replicateAutomatedBackups && deps.keys.dr && deps.providers.dr
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
        ...drOf(deps),
        // The replica's key is named only where the bucket replicates (replicaBucketName).
        keyRefs: { primary: deps.keys.refs.data, dr: deps.keys.refs.dr.data },
        roles: deps.roles,
        deletionProtection: settings.protectStatefulResources,
        tags: names.data.backupTag,
        primaryProvider: deps.providers.primary,
    });
}

/** AWS Backup: vaults in both regions, the daily plan over the tagged resources, the weekly restore test of the database. */
function createBackup(settings: Settings, names: StackNames, deps: DataDeps, database: DataDatabase): Backup {
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
        ...drOf(deps),
        keyRefs: { primary: deps.keys.refs.data, ...(deps.keys.dr ? { dr: deps.keys.refs.dr.data } : {}) },
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
    });
}

/** The DR region's data key and provider, where the stack has them (not on a DR rebuild). */
function drOf(deps: DataDeps): { drKmsKeyArn?: pulumi.Input<string>; drProvider?: AwsProviders["primary"] } {
    return deps.keys.dr && deps.providers.dr ? { drKmsKeyArn: deps.keys.dr.data.arn, drProvider: deps.providers.dr } : {};
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
