/**
 * S3 buckets. A bucket's settings live in separate resources (@pulumi/aws 7: BucketPublicAccessBlock,
 * BucketServerSideEncryptionConfiguration, BucketVersioning, ...), each naming its bucket in the
 * `bucket` input; the deprecated inline inputs of `aws.s3.Bucket` count too.
 */
import { EVERYWHERE, PolicyResource, PolicyRule, StackView, productionOnly, sharedEnvironments } from "../rule";
import { S3_BUCKET_TYPES, asArray, asObject, at, isTrue, names, refersTo, regionOf, shown, statementsOf, str } from "../values";

const PUBLIC_ACCESS_BLOCK = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
const ENCRYPTION = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
const LIFECYCLE = ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"];
const POLICY = ["aws:s3/bucketPolicy:BucketPolicy"];
const OWNERSHIP = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"];
const ACL = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
const REPLICATION = ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"];
const SELECTION = "aws:backup/selection:Selection";

/** The four settings of a full public access block. */
export const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** The resources of some types that configure this bucket (their `bucket` input names it). */
function configsOf(bucket: PolicyResource, stack: StackView, types: readonly string[]): PolicyResource[] {
    return stack.ofType(...types).filter((x) => refersTo(x, "bucket", bucket));
}

/** The bucket's policy documents: its BucketPolicy resources and the inline `policy` input. */
function bucketPolicies(bucket: PolicyResource, stack: StackView): unknown[] {
    const docs = configsOf(bucket, stack, POLICY).map((p) => p.inputs["policy"]);
    if (bucket.inputs["policy"] !== undefined) docs.push(bucket.inputs["policy"]);
    return docs;
}

/** Whether versioning is enabled, by a BucketVersioning resource or the inline input. */
function versioned(bucket: PolicyResource, stack: StackView): boolean {
    if (isTrue(at(bucket.inputs, "versioning", "enabled"))) return true;
    return configsOf(bucket, stack, VERSIONING).some((v) => at(v.inputs, "versioningConfiguration", "status") === "Enabled");
}

/** Whether a backup selection picks the bucket by its tags (the data buckets). */
function selectedForBackup(bucket: PolicyResource, stack: StackView): boolean {
    const tags = asObject(bucket.inputs["tags"]) ?? {};
    return stack.ofType(SELECTION).some(
        (s) => refersTo(s, "resources", bucket) || asArray(s.inputs["selectionTags"]).some((t) => tags[String(at(t, "key"))] === at(t, "value") && at(t, "value") !== undefined),
    );
}

export const s3Rules: PolicyRule[] = [
    {
        name: "s3-public-access-blocked",
        service: "S3",
        description: "Every bucket has its own public access block with all four settings on.",
        rationale: "The block is what stops a later ACL or policy from making objects public; another bucket's block protects nothing here.",
        controls: [
            { framework: "Security Hub FSBP", id: "S3.8" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-S2" },
        ],
        enforcement: EVERYWHERE,
        types: S3_BUCKET_TYPES,
        check: (b, stack) => {
            const blocks = configsOf(b, stack, PUBLIC_ACCESS_BLOCK);
            if (blocks.length === 0) return ["no aws.s3.BucketPublicAccessBlock for this bucket"];
            const off = PUBLIC_ACCESS_FLAGS.filter((f) => !blocks.some((x) => isTrue(x.inputs[f])));
            return off.length > 0 ? [`its public access block leaves ${off.join(", ")} off`] : [];
        },
    },
    {
        name: "s3-tls-only",
        service: "S3",
        description: "The bucket policy denies every request made without TLS (aws:SecureTransport false).",
        rationale: "S3 accepts plain HTTP unless the bucket policy refuses it; objects and presigned URLs would then cross the network in the clear.",
        controls: [
            { framework: "Security Hub FSBP", id: "S3.5" },
            { framework: "CIS AWS Foundations 1.4.0", id: "2.1.2" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-S10" },
        ],
        enforcement: EVERYWHERE,
        types: S3_BUCKET_TYPES,
        check: (b, stack) => {
            const denies = bucketPolicies(b, stack)
                .flatMap(statementsOf)
                .some((s) => s.effect === "Deny" && s.principals.includes("*") && s.actions.some((a) => a === "s3:*" || a === "*") && String(at(s.condition, "Bool", "aws:SecureTransport")) === "false");
            return denies ? [] : ['no bucket policy statement denies s3:* when "aws:SecureTransport" is "false"'];
        },
    },
    {
        name: "s3-encrypted-with-kms",
        service: "S3",
        description: "Default encryption is SSE-KMS with a customer-managed key.",
        rationale: "A customer-managed key puts reads behind a second permission (kms:Decrypt) and in CloudTrail; SSE-S3 protects only against the loss of a disk.",
        controls: [
            { framework: "Security Hub FSBP", id: "S3.4" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-S3DefaultEncryptionKMS" },
        ],
        enforcement: EVERYWHERE,
        types: S3_BUCKET_TYPES,
        check: (b, stack) => {
            const rules = [
                ...configsOf(b, stack, ENCRYPTION).flatMap((c) => asArray(c.inputs["rules"])),
                ...asArray(at(b.inputs, "serverSideEncryptionConfiguration", "rule")),
            ];
            if (rules.length === 0) return ["no aws.s3.BucketServerSideEncryptionConfiguration for this bucket"];
            const kms = rules.some((r) => String(at(r, "applyServerSideEncryptionByDefault", "sseAlgorithm")).startsWith("aws:kms") && str(at(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")));
            return kms ? [] : [`default encryption is ${shown(at(rules[0], "applyServerSideEncryptionByDefault", "sseAlgorithm"))}, not aws:kms with kmsMasterKeyId`];
        },
    },
    {
        name: "s3-versioning",
        service: "S3",
        description: "Versioning is enabled.",
        rationale: "Versioning keeps overwritten and deleted objects recoverable (runbook 3.9: files); AWS Backup and replication both require it.",
        controls: [
            { framework: "Security Hub NIST 800-53", id: "S3.14" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-S3BucketVersioningEnabled" },
            { framework: "Runbook", id: "3.9 files: S3 versioning enabled, lifecycle policy" },
        ],
        enforcement: EVERYWHERE,
        types: S3_BUCKET_TYPES,
        check: (b, stack) => (versioned(b, stack) ? [] : ['no aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" for this bucket']),
    },
    {
        name: "s3-lifecycle",
        service: "S3",
        description: "An enabled lifecycle rule bounds what the bucket keeps; a versioned bucket expires its noncurrent versions.",
        rationale: "Without expiry, logs and old versions accumulate forever: cost, and data kept longer than anyone decided.",
        controls: [
            { framework: "Security Hub FSBP", id: "S3.13" },
            { framework: "Security Hub FSBP", id: "S3.10" },
            { framework: "Runbook", id: "3.9 files: lifecycle policy" },
        ],
        enforcement: EVERYWHERE,
        types: S3_BUCKET_TYPES,
        check: (b, stack) => {
            const rules = [
                ...configsOf(b, stack, LIFECYCLE)
                    .flatMap((c) => asArray(c.inputs["rules"]))
                    .filter((r) => at(r, "status") === "Enabled"),
                ...asArray(b.inputs["lifecycleRules"]).filter((r) => isTrue(at(r, "enabled"))),
            ];
            if (rules.length === 0) return ["no enabled lifecycle rule for this bucket"];
            if (versioned(b, stack) && !rules.some((r) => at(r, "noncurrentVersionExpiration") !== undefined))
                return ["it is versioned but no enabled lifecycle rule sets noncurrentVersionExpiration"];
            return [];
        },
    },
    {
        name: "s3-acls-disabled",
        service: "S3",
        description: "Object ownership is BucketOwnerEnforced (ACLs disabled), and no ACL is set.",
        rationale: "ACLs grant access outside IAM and bucket policies, where no reviewer looks; BucketOwnerEnforced turns them off.",
        controls: [{ framework: "Security Hub FSBP", id: "S3.12" }],
        enforcement: EVERYWHERE,
        types: S3_BUCKET_TYPES,
        check: (b, stack) => {
            const out: string[] = [];
            const enforced = configsOf(b, stack, OWNERSHIP).some((o) => at(o.inputs, "rule", "objectOwnership") === "BucketOwnerEnforced");
            if (!enforced) out.push('no aws.s3.BucketOwnershipControls with objectOwnership "BucketOwnerEnforced"');
            if (configsOf(b, stack, ACL).length > 0 || b.inputs["acl"] !== undefined || asArray(b.inputs["grants"]).length > 0) out.push("an ACL is set: remove it and grant access in the bucket policy");
            return out;
        },
    },
    {
        name: "s3-policy-not-public",
        service: "S3",
        description: "No bucket policy allows an anonymous principal (*) without a condition.",
        rationale: "An unconditional Allow to * makes the objects readable or writable by anyone on the internet, the public access block notwithstanding once it is lifted.",
        controls: [
            { framework: "Security Hub FSBP", id: "S3.2" },
            { framework: "Security Hub FSBP", id: "S3.3" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-S3BucketPublicReadProhibited" },
        ],
        enforcement: EVERYWHERE,
        types: S3_BUCKET_TYPES,
        check: (b, stack) =>
            bucketPolicies(b, stack)
                .flatMap(statementsOf)
                .filter((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)
                .map((s) => `its policy allows ${s.actions.join(", ") || "actions"} to any principal without a condition${s.sid ? ` (statement ${s.sid})` : ""}`),
    },
    {
        name: "s3-no-force-destroy",
        service: "S3",
        description: "Buckets of shared environments cannot be deleted with their objects (forceDestroy is not true).",
        rationale: "forceDestroy lets a replacing or destroying update empty the bucket first; without it, deleting a bucket that holds data fails safely.",
        controls: [{ framework: "Project", id: "production is safe by default: no deletion of data by accident" }],
        enforcement: sharedEnvironments("previews and development sandboxes hold nothing worth keeping, and tearing them down must empty their buckets."),
        types: S3_BUCKET_TYPES,
        check: (b) => (isTrue(b.inputs["forceDestroy"]) ? ["forceDestroy is true: set it to false"] : []),
    },
    {
        name: "s3-data-replicated-to-dr",
        service: "S3",
        description: "In production, every bucket under the backup plan replicates to a bucket in another region.",
        rationale: "The DR rebuild serves files from the replica while the primary region is down (runbook 3.9); a daily backup copy alone would lose up to a day of uploads.",
        controls: [
            { framework: "Security Hub NIST 800-53", id: "S3.7" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-S3BucketReplicationEnabled" },
            { framework: "Runbook", id: "3.9 regional outage" },
        ],
        enforcement: productionOnly("only production keeps DR copies; staging files are rebuilt with staging."),
        types: S3_BUCKET_TYPES,
        check: (b, stack) => {
            if (!selectedForBackup(b, stack)) return [];
            const own = regionOf(b, stack.resources);
            const buckets = stack.ofType(...S3_BUCKET_TYPES);
            const replicated = configsOf(b, stack, REPLICATION).some((c) =>
                asArray(c.inputs["rules"]).some((rule) => {
                    if (at(rule, "status") !== "Enabled") return false;
                    const target = buckets.find((x) => x !== b && names(at(rule, "destination", "bucket"), x));
                    return target === undefined || regionOf(target, stack.resources) !== own;
                }),
            );
            return replicated ? [] : ["it holds backed-up data but no enabled aws.s3.BucketReplicationConfig rule copies it to another region"];
        },
    },
];
