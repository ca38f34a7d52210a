import { MOCK_ACCOUNT_ID } from "../mark";
import { MockFn, MockRequest, shortRegion } from "../kit";

/**
 * The data stores and their backups (RDS, ElastiCache, AWS Backup, S3). Since provider 5 an RDS
 * instance's id is its resource id `db-…`, the identifier a separate output
 * (hashicorp/terraform-provider-aws#31232); an automated-backups replication's id is its ARN.
 * Endpoint hosts carry a per-account hash, here the account's digits.
 */

/** An S3 resource configured on a bucket: its id is the bucket (with `,<owner>` when one is expected). */
const bucketConfig: MockFn = (r) => {
    const owner = r.str("expectedBucketOwner");
    return { id: owner ? `${r.need("bucket")},${owner}` : r.need("bucket") };
};

/** An RDS or ElastiCache group named by the program or autonamed, lower-case as those services keep names. */
function group(service: "rds" | "elasticache", arnType: string): MockFn {
    return (r) => {
        const name = r.autoname("name", 255).toLowerCase();
        return { id: name, outputs: { name, arn: r.arn(service, `${arnType}:${name}`) } };
    };
}

function rdsInstance(r: MockRequest): ReturnType<MockFn> {
    const identifier = r.autoname("identifier", 63).toLowerCase();
    const port = typeof r.inputs["port"] === "number" ? r.inputs["port"] : 5432;
    const address = `${identifier}.${MOCK_ACCOUNT_ID}.${r.region}.rds.amazonaws.com`;
    const resourceId = `db-${r.upper(26)}`;
    return {
        id: resourceId,
        outputs: { identifier, resourceId, arn: r.arn("rds", `db:${identifier}`), address, port, endpoint: `${address}:${port}`, status: "available" },
    };
}

function replicationGroup(r: MockRequest): ReturnType<MockFn> {
    const id = r.need("replicationGroupId").toLowerCase();
    const host = `${id}.${MOCK_ACCOUNT_ID.slice(0, 6)}.${shortRegion(r.region)}.cache.amazonaws.com`;
    const members = typeof r.inputs["numCacheClusters"] === "number" ? r.inputs["numCacheClusters"] : 1;
    return {
        id,
        outputs: {
            replicationGroupId: id,
            arn: r.arn("elasticache", `replicationgroup:${id}`),
            primaryEndpointAddress: `master.${host}`,
            readerEndpointAddress: `replica.${host}`,
            memberClusters: Array.from({ length: members }, (_, i) => `${id}-${String(i + 1).padStart(3, "0")}`),
        },
    };
}

export const DATA: Record<string, MockFn> = {
    "aws:rds/instance:Instance": rdsInstance,
    "aws:rds/subnetGroup:SubnetGroup": group("rds", "subgrp"),
    "aws:rds/parameterGroup:ParameterGroup": group("rds", "pg"),
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": (r) => {
        const arn = r.arn("rds", `auto-backup:ab-${r.hex(38)}`);
        return { id: arn };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:elasticache/subnetGroup:SubnetGroup": group("elasticache", "subnetgroup"),
    "aws:backup/vault:Vault": (r) => {
        const name = r.autoname("name", 50);
        return { id: name, outputs: { name, arn: r.arn("backup", `backup-vault:${name}`), recoveryPoints: 0 } };
    },
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": (r) => ({
        id: r.need("backupVaultName"),
        outputs: { backupVaultArn: r.arn("backup", `backup-vault:${r.need("backupVaultName")}`) },
    }),
    "aws:backup/plan:Plan": (r) => {
        const id = r.uuid();
        return { id, outputs: { name: r.autoname("name", 50), arn: r.arn("backup", `backup-plan:${id}`), version: r.hex(32, "version") } };
    },
    "aws:backup/selection:Selection": (r) => ({ id: r.uuid(), outputs: { name: r.autoname("name", 50) } }),
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": (r) => {
        const name = r.autoname("name", 50);
        return { id: name, outputs: { name, arn: r.arn("backup", `restore-testing-plan:${name}-${r.uuid()}`) } };
    },
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": (r) => ({ id: `${r.autoname("name", 50)}:${r.need("restoreTestingPlanName")}` }),
    "aws:s3/bucket:Bucket": (r) => {
        const bucket = r.autoname("bucket", 63).toLowerCase();
        return {
            id: bucket,
            outputs: {
                bucket,
                arn: `arn:aws:s3:::${bucket}`,
                bucketDomainName: `${bucket}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucket}.s3.${r.region}.amazonaws.com`,
                bucketRegion: r.region,
            },
        };
    },
    "aws:s3/bucketPolicy:BucketPolicy": bucketConfig,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketConfig,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketConfig,
    "aws:s3/bucketVersioning:BucketVersioning": bucketConfig,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketConfig,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketConfig,
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketConfig,
};
