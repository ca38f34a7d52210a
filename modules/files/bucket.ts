import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, policyJson, serviceTrust } from "../aws/iam";
import { KeyRef, PARTITION, RoleSpec, Roles, keyByAlias } from "../aws/roles";

export interface FilesBucketArgs {
    /** Bucket name in the primary region (global namespace). Changing it replaces the bucket: copy the objects first. */
    bucketName: string;
    /** Replica bucket name in the DR region, when replicating. */
    replicaBucketName?: string;
    /** Days an old (noncurrent) version is kept. */
    noncurrentVersionExpirationDays: number;
    /** Days before an unfinished multipart upload is aborted. */
    abortIncompleteUploadDays: number;
    /** Key of the primary bucket. */
    kmsKeyArn: pulumi.Input<string>;
    /** Key of the replica bucket, in the DR region; required with a replica. */
    drKmsKeyArn?: pulumi.Input<string>;
    /** Both keys by alias and region: the replication role's grants name them so. Required with a replica. */
    keyRefs?: { primary: KeyRef; dr: KeyRef };
    /** Where the replication role comes from. @default created here */
    roles?: Roles;
    /** `protect` and retain-on-delete on both buckets. */
    deletionProtection: boolean;
    /** Tags of the primary bucket (the backup selection tag). */
    tags?: Record<string, string>;
    primaryProvider: aws.Provider;
    /** The DR region's provider; required with a replica. */
    drProvider?: aws.Provider;
}

/** The TLS-only policy of a bucket: plain HTTP and TLS below 1.2 are refused, whoever asks. */
export function tlsOnlyStatements(bucketArn: pulumi.Input<string>): Statement[] {
    const resources = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
    return [
        { Sid: "DenyPlainHttp", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: resources, Condition: { Bool: { "aws:SecureTransport": "false" } } },
        { Sid: "DenyTlsBelow12", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: resources, Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
    ];
}

/**
 * The files bucket (runbook 3.9): versioned, KMS-encrypted, public access blocked, object
 * ownership enforced (no ACLs), TLS only, old versions expired and unfinished uploads aborted,
 * and every object replicated to a bucket in the DR region within 15 minutes (S3 Replication
 * Time Control: the runbook's RPO).
 */
export class FilesBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly replica?: aws.s3.Bucket;
    readonly bucketName: pulumi.Output<string>;
    readonly replicaBucketName?: pulumi.Output<string>;

    constructor(name: string, private readonly args: FilesBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:files:FilesBucket", name, {}, opts);
        const primary = this.hardenedBucket(name, args.bucketName, args.kmsKeyArn, args.primaryProvider, args.tags);
        this.bucket = primary.bucket;
        this.bucketName = primary.bucket.bucket;
        if (args.replicaBucketName !== undefined) {
            if (args.drKmsKeyArn === undefined || args.drProvider === undefined) throw new Error(`FilesBucket ${name}: a replica needs drKmsKeyArn, a key in the DR region, and drProvider.`);
            const replica = this.hardenedBucket(`${name}-replica`, args.replicaBucketName, args.drKmsKeyArn, args.drProvider);
            this.replica = replica.bucket;
            this.replicaBucketName = replica.bucket.bucket;
            this.replicate(name, primary, replica, args.drKmsKeyArn);
        }
        this.registerOutputs({ bucketName: this.bucketName, replicaBucketName: this.replicaBucketName });
    }

    private hardenedBucket(
        name: string,
        bucketName: string,
        kmsKeyArn: pulumi.Input<string>,
        provider: aws.Provider,
        tags?: Record<string, string>,
    ): { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning } {
        const opts = { parent: this, provider };
        const bucket = new aws.s3.Bucket(
            name,
            { bucket: bucketName, forceDestroy: false, tags },
            { ...opts, protect: this.args.deletionProtection, retainOnDelete: this.args.deletionProtection },
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            opts,
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }] },
            opts,
        );
        new aws.s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, policy: policyJson(tlsOnlyStatements(bucket.arn)) }, opts);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: this.args.noncurrentVersionExpirationDays },
                    },
                    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: this.args.abortIncompleteUploadDays } },
                ],
            },
            // Versioning first: a lifecycle rule on noncurrent versions means nothing before it.
            { ...opts, dependsOn: [versioning] },
        );
        return { bucket, versioning };
    }

    private replicate(
        name: string,
        source: { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning },
        destination: { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning },
        drKmsKeyArn: pulumi.Input<string>,
    ): void {
        const opts = { parent: this, provider: this.args.primaryProvider };
        if (!this.args.keyRefs || !this.args.replicaBucketName) throw new Error(`FilesBucket ${name}: a replica needs replicaBucketName and keyRefs (both keys by alias).`);
        const spec = replicationRoleSpec(this.args.bucketName, this.args.replicaBucketName, this.args.keyRefs);
        const role = (this.args.roles ?? new Roles()).role(spec, { role: `${name}-replication`, policy: () => `${name}-replication` }, opts);
        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            {
                bucket: source.bucket.id,
                role: role.arn,
                rules: [
                    {
                        id: "everything-to-dr",
                        status: "Enabled",
                        priority: 1,
                        filter: {},
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: destination.bucket.arn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: drKmsKeyArn },
                            // Replication Time Control: 99.99% of objects within 15 minutes, the runbook's RPO.
                            replicationTime: { status: "Enabled", time: { minutes: 15 } },
                            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                        },
                    },
                ],
            },
            // Both buckets must be versioned before S3 accepts a replication configuration.
            { ...opts, dependsOn: [source.versioning, destination.versioning] },
        );
    }
}

/** A bucket's ARN by name (S3 ARNs carry no region or account). */
function bucketArn(bucketName: string): string {
    return `arn:${PARTITION}:s3:::${bucketName}`;
}

/** S3 Replication's role: read the source bucket's versions, write replicas, both keys. */
export function replicationRoleSpec(source: string, destination: string, keys: { primary: KeyRef; dr: KeyRef }): RoleSpec {
    return {
        purpose: "files-replication",
        trustPolicy: serviceTrust("s3.amazonaws.com"),
        managedPolicyArns: [],
        inlinePolicies: {
            replication: [
                { Sid: "ReadSourceConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: bucketArn(source) },
                {
                    Sid: "ReadSourceVersions",
                    Effect: "Allow",
                    Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                    Resource: `${bucketArn(source)}/*`,
                },
                { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${bucketArn(destination)}/*` },
                keyByAlias({ Sid: "DecryptSource", Effect: "Allow", Action: "kms:Decrypt" }, keys.primary.region, keys.primary.alias),
                keyByAlias({ Sid: "EncryptReplica", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"] }, keys.dr.region, keys.dr.alias),
            ],
        },
    };
}
