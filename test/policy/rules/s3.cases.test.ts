import { PolicyResource } from "../../../policy/rule";
import { s3Rules } from "../../../policy/rules/s3";
import { DR_PROVIDER_URN, findings, providers, res, usesRules } from "../fixtures";

/** More cases of the S3 rules (s3.test.ts tests each three ways): several configurations, statements, rules and selections for one bucket. */

usesRules(s3Rules);

const bucket = (name: string, inputs: Record<string, unknown> = {}, extra: Partial<PolicyResource> = {}) => res("aws:s3/bucket:Bucket", { bucket: name, ...inputs }, { name, id: name, ...extra });
const FLAGS = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const block = (name: string, over: Record<string, unknown> = {}, id = `${name}-block`) => res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: name, ...FLAGS, ...over }, { name: id });
const policy = (name: string, ...statements: unknown[]) => res("aws:s3/bucketPolicy:BucketPolicy", { bucket: name, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, { name: `${name}-policy` });
const deny = (Action: unknown) => ({ Effect: "Deny", Principal: "*", Action, Resource: "arn:aws:s3:::files/*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
const sse = (name: string, ...rules: unknown[]) => res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: name, rules }, { name: `${name}-sse` });
const byDefault = (sseAlgorithm: string, kmsMasterKeyId?: string) => ({ applyServerSideEncryptionByDefault: { sseAlgorithm, ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}) } });
const KEY = "arn:aws:kms:us-east-1:1:key/k";
const versioning = (name: string) => res("aws:s3/bucketVersioning:BucketVersioning", { bucket: name, versioningConfiguration: { status: "Enabled" } }, { name: `${name}-versioning` });
const lifecycle = (name: string, ...rules: unknown[]) => res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: name, rules }, { name: `${name}-lifecycle` });
const selection = (inputs: Record<string, unknown>, name: string) => res("aws:backup/selection:Selection", inputs, { name });
const tagged = { tags: { "backup-plan": "daily" } };
const NOT_REPLICATED = "files: it holds backed-up data but no enabled aws.s3.BucketReplicationConfig rule copies it to another region";

describe("s3-public-access-blocked", () => {
    it("takes each setting from any of the bucket's blocks", () => {
        expect(findings("s3-public-access-blocked", [bucket("files"), block("files", { blockPublicAcls: false }, "a"), block("files", {}, "b")])).toEqual([]);
    });
});

describe("s3-tls-only", () => {
    it("takes a Deny of s3:* or * among other actions, and not one of some actions only", () => {
        expect(findings("s3-tls-only", [bucket("files"), policy("files", deny(["s3:GetObject", "s3:*"]))])).toEqual([]);
        expect(findings("s3-tls-only", [bucket("files"), policy("files", deny("*"))])).toEqual([]);
        expect(findings("s3-tls-only", [bucket("files"), policy("files", deny(["s3:GetObject", "s3:PutObject"]))])).toEqual(['files: no bucket policy statement denies s3:* when "aws:SecureTransport" is "false"']);
    });
});

describe("s3-encrypted-with-kms", () => {
    it("takes any rule with a customer-managed KMS key, DSSE-KMS included", () => {
        expect(findings("s3-encrypted-with-kms", [bucket("files"), sse("files", byDefault("AES256"), byDefault("aws:kms", KEY))])).toEqual([]);
        expect(findings("s3-encrypted-with-kms", [bucket("files"), sse("files", byDefault("aws:kms:dsse", KEY))])).toEqual([]);
    });

    it("refuses SSE-S3 even with a key named", () => {
        expect(findings("s3-encrypted-with-kms", [bucket("files"), sse("files", byDefault("AES256", KEY))])).toEqual(['files: default encryption is "AES256", not aws:kms with kmsMasterKeyId']);
    });
});

describe("s3-lifecycle", () => {
    it("counts only enabled inline rules", () => {
        expect(findings("s3-lifecycle", [bucket("files", { lifecycleRules: [{ enabled: false, expiration: { days: 30 } }] })])).toEqual(["files: no enabled lifecycle rule for this bucket"]);
        expect(findings("s3-lifecycle", [bucket("files", { lifecycleRules: [{ enabled: true, expiration: { days: 30 } }] })])).toEqual([]);
    });

    it("takes noncurrentVersionExpiration from any enabled rule of a versioned bucket", () => {
        const rules = [
            { id: "a", status: "Enabled", expiration: { days: 30 } },
            { id: "b", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } },
        ];
        expect(findings("s3-lifecycle", [bucket("files"), versioning("files"), lifecycle("files", ...rules)])).toEqual([]);
    });
});

describe("s3-acls-disabled", () => {
    const enforced = (name: string) => res("aws:s3/bucketOwnershipControls:BucketOwnershipControls", { bucket: name, rule: { objectOwnership: "BucketOwnerEnforced" } }, { name: `${name}-ownership` });
    it("refuses an inline ACL or grants", () => {
        expect(findings("s3-acls-disabled", [bucket("files", { acl: "private" }), enforced("files")])).toEqual(["files: an ACL is set: remove it and grant access in the bucket policy"]);
        expect(findings("s3-acls-disabled", [bucket("files", { grants: [{ type: "CanonicalUser", permissions: ["READ"] }] }), enforced("files")])).toEqual([
            "files: an ACL is set: remove it and grant access in the bucket policy",
        ]);
        expect(findings("s3-acls-disabled", [bucket("files", { grants: [] }), enforced("files")])).toEqual([]);
    });

    it("refuses an ACL resource for the bucket", () => {
        const acl = res("aws:s3/bucketAclV2:BucketAclV2", { bucket: "files", acl: "private" }, { name: "files-acl" });
        expect(findings("s3-acls-disabled", [bucket("files"), enforced("files"), acl])).toEqual(["files: an ACL is set: remove it and grant access in the bucket policy"]);
    });
});

describe("s3-policy-not-public", () => {
    it("names every action, or says actions when the statement lists none; the statement id only when it has one", () => {
        expect(
            findings("s3-policy-not-public", [bucket("files"), policy("files", { Effect: "Allow", Principal: "*", Action: ["s3:GetObject", "s3:PutObject"], Resource: "*" }, { Effect: "Allow", Principal: "*", Resource: "*" })]),
        ).toEqual(["files: its policy allows s3:GetObject, s3:PutObject to any principal without a condition", "files: its policy allows actions to any principal without a condition"]);
    });

    it("judges only Allow statements", () => {
        expect(findings("s3-policy-not-public", [bucket("files"), policy("files", { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" })])).toEqual([]);
    });
});

describe("s3-data-replicated-to-dr", () => {
    const replication = (...rules: unknown[]) => res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", { bucket: "files", rules }, { name: "files-replication" });
    const toReplica = (status: string) => ({ id: status, status, destination: { bucket: "arn:aws:s3:::replica" } });
    const replica = () => bucket("replica", {}, { provider: DR_PROVIDER_URN });

    it("finds the bucket in any selection, by its ARN or by any of the selection's tags", () => {
        const other = selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan", value: "weekly" }] }, "other");
        const byTag = selection({ selectionTags: [{ type: "STRINGEQUALS", key: "team", value: "x" }, { type: "STRINGEQUALS", key: "backup-plan", value: "daily" }] }, "by-tag");
        expect(findings("s3-data-replicated-to-dr", [...providers(), other, byTag, bucket("files", tagged)])).toEqual([NOT_REPLICATED]);
        expect(findings("s3-data-replicated-to-dr", [...providers(), selection({ resources: ["arn:aws:s3:::files"] }, "by-arn"), bucket("files", { arn: "arn:aws:s3:::files" })])).toEqual([NOT_REPLICATED]);
    });

    it("does not take a tag without a value as selecting an untagged bucket", () => {
        expect(findings("s3-data-replicated-to-dr", [...providers(), selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan" }] }, "s"), bucket("files")])).toEqual([]);
    });

    it("takes a rule to a bucket outside this stack as replication elsewhere (another account's or stack's)", () => {
        const elsewhere = res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", { bucket: "files", rules: [{ id: "out", status: "Enabled", destination: { bucket: "arn:aws:s3:::dr-account-files" } }] }, { name: "files-replication" });
        expect(findings("s3-data-replicated-to-dr", [...providers(), selection({ selectionTags: [{ key: "backup-plan", value: "daily" }] }, "s"), bucket("files", tagged), elsewhere])).toEqual([]);
    });

    it("takes any enabled rule to another region", () => {
        expect(findings("s3-data-replicated-to-dr", [...providers(), selection({ selectionTags: [{ key: "backup-plan", value: "daily" }] }, "s"), bucket("files", tagged), replica(), replication(toReplica("Disabled"), toReplica("Enabled"))])).toEqual([]);
    });
});

describe("the V2 resource types of @pulumi/aws", () => {
    it("read encryption, versioning, lifecycle and ACLs from the V2 (and v1 ACL) resources as from the others", () => {
        const sseV2 = res("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", { bucket: "files", rules: [byDefault("aws:kms", KEY)] }, { name: "files-sse" });
        expect(findings("s3-encrypted-with-kms", [bucket("files"), sseV2])).toEqual([]);
        const versioningV2 = res("aws:s3/bucketVersioningV2:BucketVersioningV2", { bucket: "files", versioningConfiguration: { status: "Enabled" } }, { name: "files-versioning" });
        expect(findings("s3-lifecycle", [bucket("files"), versioningV2, lifecycle("files", { id: "a", status: "Enabled", expiration: { days: 30 } })])).toEqual([
            "files: it is versioned but no enabled lifecycle rule sets noncurrentVersionExpiration",
        ]);
        const lifecycleV2 = res("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", { bucket: "files", rules: [{ id: "a", status: "Enabled", expiration: { days: 30 } }] }, { name: "files-lifecycle" });
        expect(findings("s3-lifecycle", [bucket("files"), lifecycleV2])).toEqual([]);
        const enforced = res("aws:s3/bucketOwnershipControls:BucketOwnershipControls", { bucket: "files", rule: { objectOwnership: "BucketOwnerEnforced" } }, { name: "files-ownership" });
        const aclV1 = res("aws:s3/bucketAcl:BucketAcl", { bucket: "files", acl: "private" }, { name: "files-acl" });
        expect(findings("s3-acls-disabled", [bucket("files"), enforced, aclV1])).toEqual(["files: an ACL is set: remove it and grant access in the bucket policy"]);
    });
});
