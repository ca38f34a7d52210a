import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, serviceTrust } from "../aws/iam";
import type { BothRegionProviders } from "../aws/providers";
import { tlsOnlyStatements } from "../files/bucket";
import { keyPolicy } from "../keys/policy";
import { keyAliases, lifecycleRules, replicationRule, stateBucketNames } from "./layout";

export interface StateBackendArgs {
    app: string;
    /** The buckets are `<bucketPrefix>-<region>`: bucket names are global, so the prefix must be the account's own. Changing it replaces both buckets. */
    bucketPrefix: pulumi.Input<string>;
    region: string;
    drRegion: string;
    /** Days an overwritten checkpoint (a noncurrent version) is kept. */
    noncurrentVersionDays: number;
    /** Noncurrent versions kept per object whatever their age. */
    keepNewestVersions: number;
    /** Days from a key's deletion to its end (7 to 30): every stack's state and secrets are under these keys. */
    keyDeletionWindowDays: number;
    /** Pulumi `protect` and retain-on-delete on the buckets and keys. */
    protect: boolean;
    providers: BothRegionProviders;
}

/** One region's half of the backend. */
export interface RegionalBackend {
    region: string;
    bucket: aws.s3.Bucket;
    /** The state key in this region (the primary key, or its replica): the bucket's default encryption. */
    stateKeyArn: pulumi.Output<string>;
    /** The secrets provider's key in this region. */
    secretsKeyArn: pulumi.Output<string>;
    aliasArns: pulumi.Output<string>[];
}

/**
 * The Pulumi state backend and the secrets provider's key (docs/bootstrap.md): an S3 bucket in
 * each region, versioned, SSE-KMS, TLS only, public access blocked, ACLs disabled, old versions
 * expired, replicated both ways; two multi-Region KMS keys (the buckets' encryption, and the
 * secrets provider's) each with a replica in the DR region and the same alias in both regions.
 */
export class StateBackend extends pulumi.ComponentResource {
    readonly primary: RegionalBackend;
    readonly dr: RegionalBackend;

    constructor(name: string, private readonly args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:stateBackend:StateBackend", name, {}, opts);
        const aliases = keyAliases(args.app);
        const stateKey = this.multiRegionKey(`${name}-state-key`, aliases.state, "Pulumi state buckets (SSE-KMS)");
        const secretsKey = this.multiRegionKey(`${name}-secrets-key`, aliases.secrets, "Pulumi secrets provider of every stack (awskms://)");
        const buckets = pulumi.output(args.bucketPrefix).apply((prefix) => stateBucketNames(prefix, args.region, args.drRegion));
        const primary = this.bucket(`${name}-${args.region}`, buckets.primary, stateKey.primary.arn, args.providers.primary);
        const dr = this.bucket(`${name}-${args.drRegion}`, buckets.dr, stateKey.replica.arn, args.providers.dr);
        this.replicateBothWays(name, { ...primary, keyArn: stateKey.primary.arn }, { ...dr, keyArn: stateKey.replica.arn });
        this.primary = { region: args.region, bucket: primary.bucket, stateKeyArn: stateKey.primary.arn, secretsKeyArn: secretsKey.primary.arn, aliasArns: [stateKey.primaryAlias.arn, secretsKey.primaryAlias.arn] };
        this.dr = { region: args.drRegion, bucket: dr.bucket, stateKeyArn: stateKey.replica.arn, secretsKeyArn: secretsKey.replica.arn, aliasArns: [stateKey.replicaAlias.arn, secretsKey.replicaAlias.arn] };
        this.registerOutputs({ primaryBucket: primary.bucket.bucket, drBucket: dr.bucket.bucket });
    }

    private keep(provider: aws.Provider): pulumi.CustomResourceOptions {
        return { parent: this, provider, protect: this.args.protect, retainOnDelete: this.args.protect };
    }

    /**
     * A multi-Region primary key (yearly rotation, which its replica shares) in the primary region,
     * its replica in the DR region (the same key id and key material: what one encrypts, the other
     * decrypts), and the same alias in each region (aliases are regional).
     */
    private multiRegionKey(name: string, alias: string, purpose: string) {
        const { primary: primaryProvider, dr: drProvider } = this.args.providers;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this, provider: primaryProvider }).accountId;
        const policy = (region: string) => accountId.apply((id) => keyPolicy("secrets", { accountId: id, region }));
        const description = `${this.args.app}: ${purpose}`;
        const primary = new aws.kms.Key(
            name,
            { description, multiRegion: true, enableKeyRotation: true, deletionWindowInDays: this.args.keyDeletionWindowDays, policy: policy(this.args.region) },
            this.keep(primaryProvider),
        );
        const replica = new aws.kms.ReplicaKey(
            `${name}-replica`,
            { description, primaryKeyArn: primary.arn, deletionWindowInDays: this.args.keyDeletionWindowDays, policy: policy(this.args.drRegion) },
            this.keep(drProvider),
        );
        const primaryAlias = new aws.kms.Alias(name, { name: alias, targetKeyId: primary.keyId }, { parent: this, provider: primaryProvider });
        const replicaAlias = new aws.kms.Alias(`${name}-replica`, { name: alias, targetKeyId: replica.keyId }, { parent: this, provider: drProvider });
        return { primary, replica, primaryAlias, replicaAlias };
    }

    private bucket(name: string, bucketName: pulumi.Input<string>, keyArn: pulumi.Input<string>, provider: aws.Provider): { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning } {
        const opts = { parent: this, provider };
        const bucket = new aws.s3.Bucket(name, { bucket: bucketName, forceDestroy: false }, this.keep(provider));
        new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, opts);
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }] },
            opts,
        );
        new aws.s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, policy: policyJson(tlsOnlyStatements(bucket.arn)) }, opts);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            { bucket: bucket.id, rules: lifecycleRules(this.args.noncurrentVersionDays, this.args.keepNewestVersions) as aws.types.input.s3.BucketLifecycleConfigurationRule[] },
            // Versioning first: a lifecycle rule on noncurrent versions means nothing before it.
            { ...opts, dependsOn: [versioning] },
        );
        return { bucket, versioning };
    }

    /**
     * The rule in each direction, under one role (IAM is global). S3 does not replicate a replica
     * again, so the two rules do not loop; each copies what was written to its own bucket.
     */
    private replicateBothWays(
        name: string,
        primary: { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning; keyArn: pulumi.Output<string> },
        dr: { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning; keyArn: pulumi.Output<string> },
    ): void {
        const opts = { parent: this, provider: this.args.providers.primary };
        const role = new aws.iam.Role(`${name}-replication`, { description: "S3 replication of the Pulumi state buckets, both ways", assumeRolePolicy: serviceTrust("s3.amazonaws.com") }, opts);
        const buckets = [primary.bucket.arn, dr.bucket.arn];
        const keys = [primary.keyArn, dr.keyArn];
        const policy = new aws.iam.RolePolicy(
            `${name}-replication`,
            {
                role: role.id,
                policy: policyJson([
                    { Sid: "ReadSourceConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: buckets },
                    {
                        Sid: "ReadSourceVersions",
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                        Resource: buckets.map((b) => pulumi.interpolate`${b}/*`),
                    },
                    { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: buckets.map((b) => pulumi.interpolate`${b}/*`) },
                    { Sid: "DecryptSources", Effect: "Allow", Action: "kms:Decrypt", Resource: keys },
                    { Sid: "EncryptReplicas", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: keys },
                ]),
            },
            opts,
        );
        const both = [primary.versioning, dr.versioning, policy];
        new aws.s3.BucketReplicationConfig(
            `${name}-replication-to-${this.args.drRegion}`,
            { bucket: primary.bucket.id, role: role.arn, rules: [ruleOf(this.args.drRegion, dr.bucket.arn, dr.keyArn)] },
            // Both buckets must be versioned before S3 accepts a replication configuration.
            { ...opts, dependsOn: both },
        );
        new aws.s3.BucketReplicationConfig(
            `${name}-replication-to-${this.args.region}`,
            { bucket: dr.bucket.id, role: role.arn, rules: [ruleOf(this.args.region, primary.bucket.arn, primary.keyArn)] },
            { parent: this, provider: this.args.providers.dr, dependsOn: both },
        );
    }
}

/** The replication rule towards one region, with the destination's ARNs resolved. */
function ruleOf(region: string, bucketArn: pulumi.Output<string>, keyArn: pulumi.Output<string>): pulumi.Output<aws.types.input.s3.BucketReplicationConfigRule> {
    return pulumi.all([bucketArn, keyArn]).apply(([b, k]) => replicationRule(region, b, k));
}
