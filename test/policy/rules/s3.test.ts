import { s3Rules } from "../../../policy/rules/s3";
import { PolicyResource } from "../../../policy/rule";
import { DR_PROVIDER_URN, findings, providers, res, ruleSuite } from "../fixtures";

const BUCKET = "aws:s3/bucket:Bucket";

/** A bucket named `name` (its id, as the mocks give it) and the resources that configure it. */
const bucket = (name: string, inputs: Record<string, unknown> = {}, extra: Partial<PolicyResource> = {}) => res(BUCKET, { bucket: name, ...inputs }, { name, id: name, ...extra });
const block = (name: string, over: Record<string, unknown> = {}) =>
    res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: name, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...over }, { name: `${name}-block` });
const sse = (name: string, algorithm = "aws:kms", key: string | null = "arn:aws:kms:us-east-1:1:key/k") =>
    res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, ...(key ? { kmsMasterKeyId: key } : {}) } }] }, { name: `${name}-sse` });
const versioning = (name: string, status = "Enabled") => res("aws:s3/bucketVersioning:BucketVersioning", { bucket: name, versioningConfiguration: { status } }, { name: `${name}-versioning` });
const lifecycle = (name: string, rules: unknown[]) => res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: name, rules }, { name: `${name}-lifecycle` });
const ownership = (name: string, objectOwnership = "BucketOwnerEnforced") => res("aws:s3/bucketOwnershipControls:BucketOwnershipControls", { bucket: name, rule: { objectOwnership } }, { name: `${name}-ownership` });
const policy = (name: string, statements: unknown[]) => res("aws:s3/bucketPolicy:BucketPolicy", { bucket: name, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, { name: `${name}-policy` });
const tlsOnly = (name: string) => ({
    Sid: "DenyPlainHttp",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const backupSelection = () => res("aws:backup/selection:Selection", { selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan", value: "daily" }] }, { name: "selection" });
const replication = (source: string, destination: string, status = "Enabled") =>
    res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", { bucket: source, rules: [{ id: "all", status, destination: { bucket: `arn:aws:s3:::${destination}` } }] }, { name: `${source}-replication` });

describe("S3 rules", () => {
    const rule = ruleSuite(s3Rules);

    rule("s3-public-access-blocked", {
        compliant: () => [bucket("files"), block("files")],
        missing: () => [bucket("files")],
        missingFindings: ["files: no aws.s3.BucketPublicAccessBlock for this bucket"],
        wrong: () => [bucket("files"), block("files", { restrictPublicBuckets: false, blockPublicAcls: false })],
        wrongFindings: ["files: its public access block leaves blockPublicAcls, restrictPublicBuckets off"],
    });

    rule("s3-tls-only", {
        compliant: () => [bucket("files"), policy("files", [tlsOnly("files")])],
        missing: () => [bucket("files")],
        missingFindings: ['files: no bucket policy statement denies s3:* when "aws:SecureTransport" is "false"'],
        wrong: () => [bucket("files"), policy("files", [{ ...tlsOnly("files"), Effect: "Allow" }, { ...tlsOnly("files"), Condition: { Bool: { "aws:SecureTransport": "true" } } }])],
        wrongFindings: ['files: no bucket policy statement denies s3:* when "aws:SecureTransport" is "false"'],
    });

    rule("s3-encrypted-with-kms", {
        compliant: () => [bucket("files"), sse("files")],
        missing: () => [bucket("files")],
        missingFindings: ["files: no aws.s3.BucketServerSideEncryptionConfiguration for this bucket"],
        wrong: () => [bucket("files"), sse("files", "AES256", null), bucket("logs"), sse("logs", "aws:kms", null)],
        wrongFindings: ['files: default encryption is "AES256", not aws:kms with kmsMasterKeyId', 'logs: default encryption is "aws:kms", not aws:kms with kmsMasterKeyId'],
    });

    rule("s3-versioning", {
        compliant: () => [bucket("files"), versioning("files")],
        missing: () => [bucket("files")],
        missingFindings: ['files: no aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" for this bucket'],
        wrong: () => [bucket("files"), versioning("files", "Suspended")],
        wrongFindings: ['files: no aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" for this bucket'],
    });

    rule("s3-lifecycle", {
        compliant: () => [bucket("files"), versioning("files"), lifecycle("files", [{ id: "old", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } }])],
        missing: () => [bucket("files")],
        missingFindings: ["files: no enabled lifecycle rule for this bucket"],
        wrong: () => [
            bucket("files"),
            versioning("files"),
            lifecycle("files", [{ id: "logs", status: "Enabled", filter: {}, expiration: { days: 90 } }, { id: "old", status: "Disabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } }]),
            bucket("logs"),
            lifecycle("logs", [{ id: "x", status: "Disabled", filter: {}, expiration: { days: 1 } }]),
        ],
        wrongFindings: ["files: it is versioned but no enabled lifecycle rule sets noncurrentVersionExpiration", "logs: no enabled lifecycle rule for this bucket"],
    });

    rule("s3-acls-disabled", {
        compliant: () => [bucket("files"), ownership("files")],
        missing: () => [bucket("files")],
        missingFindings: ['files: no aws.s3.BucketOwnershipControls with objectOwnership "BucketOwnerEnforced"'],
        wrong: () => [bucket("files", { acl: "public-read" }), ownership("files", "ObjectWriter")],
        wrongFindings: ['files: no aws.s3.BucketOwnershipControls with objectOwnership "BucketOwnerEnforced"', "files: an ACL is set: remove it and grant access in the bucket policy"],
    });

    rule("s3-policy-not-public", {
        compliant: () => [bucket("files"), policy("files", [tlsOnly("files"), { Sid: "Logs", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::files/*" }])],
        missing: () => [bucket("files")],
        missingFindings: [],
        safeDefault: "a bucket without a policy grants nothing to anyone",
        wrong: () => [
            bucket("files"),
            policy("files", [tlsOnly("files"), { Sid: "Public", Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::files/*" }, { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "s3:PutObject", Resource: "arn:aws:s3:::files/*", Condition: { StringEquals: { "aws:SourceAccount": "1" } } }]),
        ],
        wrongFindings: ["files: its policy allows s3:GetObject to any principal without a condition (statement Public)"],
    });

    rule("s3-no-force-destroy", {
        compliant: () => [bucket("files", { forceDestroy: false })],
        missing: () => [bucket("files")],
        missingFindings: [],
        safeDefault: "the provider's default, false, refuses to delete a bucket that holds objects",
        wrong: () => [bucket("files", { forceDestroy: true })],
        wrongFindings: ["files: forceDestroy is true: set it to false"],
    });

    rule("s3-data-replicated-to-dr", {
        compliant: () => [...providers(), backupSelection(), bucket("files", { tags: { "backup-plan": "daily" } }), bucket("replica", {}, { provider: DR_PROVIDER_URN }), replication("files", "replica")],
        missing: () => [...providers(), backupSelection(), bucket("files", { tags: { "backup-plan": "daily" } })],
        missingFindings: ["files: it holds backed-up data but no enabled aws.s3.BucketReplicationConfig rule copies it to another region"],
        wrong: () => [...providers(), backupSelection(), bucket("files", { tags: { "backup-plan": "daily" } }), bucket("same-region"), replication("files", "same-region"), bucket("other", { tags: { "backup-plan": "daily" } }), bucket("r2", {}, { provider: DR_PROVIDER_URN }), replication("other", "r2", "Disabled")],
        wrongFindings: [
            "files: it holds backed-up data but no enabled aws.s3.BucketReplicationConfig rule copies it to another region",
            "other: it holds backed-up data but no enabled aws.s3.BucketReplicationConfig rule copies it to another region",
        ],
    });

    describe("with several buckets, each is judged by its own configuration", () => {
        it("a full public access block on one bucket does not cover another, even one whose name extends it", () => {
            expect(findings("s3-public-access-blocked", [bucket("files"), bucket("files-replica"), block("files-replica")])).toEqual(["files: no aws.s3.BucketPublicAccessBlock for this bucket"]);
            expect(findings("s3-public-access-blocked", [bucket("files"), block("files"), bucket("logs"), block("logs", { ignorePublicAcls: false })])).toEqual([
                "logs: its public access block leaves ignorePublicAcls off",
            ]);
        });

        it("encryption, versioning, policies and ownership of one bucket do not count for another", () => {
            const stack = [bucket("a"), sse("a"), versioning("a"), policy("a", [tlsOnly("a")]), ownership("a"), bucket("b")];
            expect(findings("s3-encrypted-with-kms", stack)).toEqual(["b: no aws.s3.BucketServerSideEncryptionConfiguration for this bucket"]);
            expect(findings("s3-versioning", stack)).toEqual(['b: no aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" for this bucket']);
            expect(findings("s3-tls-only", stack)).toEqual(['b: no bucket policy statement denies s3:* when "aws:SecureTransport" is "false"']);
            expect(findings("s3-acls-disabled", stack)).toEqual(['b: no aws.s3.BucketOwnershipControls with objectOwnership "BucketOwnerEnforced"']);
        });

        it("matches an auto-named bucket by the id its configuration names", () => {
            expect(findings("s3-public-access-blocked", [res(BUCKET, {}, { name: "alb-logs", id: "alb-logs-1a2b3c" }), block("alb-logs-1a2b3c")])).toEqual([]);
        });

        it("replication of one backed-up bucket does not count for another", () => {
            const stack = [...providers(), backupSelection(), bucket("a", { tags: { "backup-plan": "daily" } }), bucket("b", { tags: { "backup-plan": "daily" } }), bucket("ra", {}, { provider: DR_PROVIDER_URN }), replication("a", "ra")];
            expect(findings("s3-data-replicated-to-dr", stack)).toEqual(["b: it holds backed-up data but no enabled aws.s3.BucketReplicationConfig rule copies it to another region"]);
        });
    });

    it("accepts the deprecated inline inputs of aws.s3.Bucket", () => {
        const inline = bucket("files", {
            versioning: { enabled: true },
            serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:k" } } },
            policy: JSON.stringify({ Statement: [tlsOnly("files")] }),
            lifecycleRules: [{ enabled: true, noncurrentVersionExpiration: { days: 30 } }],
        });
        for (const rule of ["s3-versioning", "s3-encrypted-with-kms", "s3-tls-only", "s3-lifecycle"]) expect(findings(rule, [inline])).toEqual([]);
    });

    it("asks for DR replication only of buckets under the backup plan", () => {
        expect(findings("s3-data-replicated-to-dr", [...providers(), backupSelection(), bucket("logs")])).toEqual([]);
    });
});
