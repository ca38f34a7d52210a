/**
 * The pure parts of the Pulumi state backend (modules/stateBackend/backend.ts): the buckets' and
 * keys' names, the URLs `pulumi login` and `--secrets-provider` take, the replication rule each
 * bucket carries, and the lifecycle of old versions.
 *
 * Two buckets, one per region, replicated both ways with replica modification sync (S3 user
 * guide, "Replicating metadata changes with replica modification sync"): while the primary region
 * is healthy every write goes to the primary bucket and is copied to the DR one; during a
 * regional outage the on-call logs in to the DR bucket, writes there, and those writes are copied
 * back once the primary returns. Each bucket is encrypted with its own region's copy of one
 * multi-Region key, and the secrets provider's key is a second multi-Region key, so either
 * region decrypts the same state and the same secrets.
 */

/** The keys' aliases, the same in both regions: `awskms://alias/<app>-pulumi-secrets?region=<either>`. */
export function keyAliases(app: string): { state: string; secrets: string } {
    return { state: `alias/${app}-pulumi-state`, secrets: `alias/${app}-pulumi-secrets` };
}

/** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Why a bucket name is refused, or undefined (S3 user guide, "General purpose bucket naming rules"). */
export function bucketNameProblem(name: string): string | undefined {
    if (!BUCKET_NAME.test(name)) return "3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or a digit";
    if (name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return "no two adjacent dots, and not an IP address";
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return "none of the prefixes and suffixes S3 reserves";
    return undefined;
}

/** The two buckets: `<prefix>-<region>` in each region (bucket names are global). */
export function stateBucketNames(prefix: string, region: string, drRegion: string): { primary: string; dr: string } {
    return { primary: `${prefix}-${region}`, dr: `${prefix}-${drRegion}` };
}

/**
 * `pulumi login` for one region's bucket. The region is in the URL: the S3 client otherwise asks
 * the primary region's endpoint first, which is down in the outage the DR bucket is for.
 */
export function backendUrl(bucket: string, region: string): string {
    return `s3://${bucket}?region=${region}`;
}

/** `--secrets-provider` for one region's copy of the secrets key. */
export function secretsProviderUrl(app: string, region: string): string {
    return `awskms://${keyAliases(app).secrets}?region=${region}`;
}

/** What one bucket's replication rule says, in the AWS provider's `BucketReplicationConfig` shape. */
export interface ReplicationRule {
    id: string;
    status: "Enabled";
    priority: number;
    filter: Record<string, never>;
    deleteMarkerReplication: { status: "Enabled" };
    sourceSelectionCriteria: { replicaModifications: { status: "Enabled" }; sseKmsEncryptedObjects: { status: "Enabled" } };
    destination: {
        bucket: string;
        storageClass: "STANDARD";
        encryptionConfiguration: { replicaKmsKeyId: string };
        replicationTime: { status: "Enabled"; time: { minutes: 15 } };
        metrics: { status: "Enabled"; eventThreshold: { minutes: 15 } };
    };
}

/**
 * The rule of one direction. Every object, delete markers included (a released Pulumi lock is a
 * delete marker: without it the other copy would keep the lock forever), SSE-KMS objects
 * re-encrypted with the destination region's copy of the key, within 15 minutes (Replication
 * Time Control, with its metrics), and replica modification sync, so that a change made to a
 * replica (its tags, its ACL) goes back to the source: with the rule in both directions either
 * bucket can be written.
 */
export function replicationRule(direction: string, destinationBucketArn: string, destinationKeyArn: string): ReplicationRule {
    return {
        id: `state-to-${direction}`,
        status: "Enabled",
        priority: 1,
        filter: {},
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: { replicaModifications: { status: "Enabled" }, sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
            bucket: destinationBucketArn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: destinationKeyArn },
            replicationTime: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
        },
    };
}

/** How long the backend keeps what was overwritten, in the AWS provider's `BucketLifecycleConfiguration` rules. */
export function lifecycleRules(noncurrentVersionDays: number, keepNewestNoncurrentVersions: number): unknown[] {
    return [
        {
            // Every checkpoint write makes the previous one a noncurrent version: kept for the
            // window (the history an export can return to), the newest few kept whatever their age.
            id: "expire-old-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: noncurrentVersionDays, newerNoncurrentVersions: keepNewestNoncurrentVersions },
            // Each released lock leaves a delete marker; once its versions expire, the marker goes too.
            expiration: { expiredObjectDeleteMarker: true },
        },
        { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ];
}
