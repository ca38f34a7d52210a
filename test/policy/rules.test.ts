import { PolicyContext, PolicyResource, REQUIRED_TAGS, checkPolicies, rules } from "../../policy/rules";

// GIVEN helpers that build the smallest plan a rule can judge.
let n = 0;
function res(type: string, inputs: Record<string, unknown> = {}, extra: Partial<PolicyResource> = {}): PolicyResource {
    n += 1;
    const name = extra.name ?? `r${n}`;
    return { urn: `urn:pulumi:s::ops::${type}::${name}`, type, name, custom: true, provider: "urn:provider", protect: false, retainOnDelete: false, inputs, ...extra };
}

function violations(ruleName: string, resources: PolicyResource[], environment = "production"): string[] {
    const rule = rules.find((r) => r.name === ruleName);
    if (!rule) throw new Error(`no rule ${ruleName}`);
    return rule.check({ environment, resources }).map((v) => v.message);
}

const allTags = JSON.stringify({ tags: Object.fromEntries(REQUIRED_TAGS.map((t) => [t, "x"])) });

describe("the policy pack", () => {
    it("holds exactly these rules, all mandatory", () => {
        expect(rules.map((r) => [r.name, r.enforcement])).toEqual([
            ["aws-explicit-provider", "mandatory"],
            ["aws-default-tags", "mandatory"],
            ["production-stateful-protected", "mandatory"],
            ["rds-encrypted-private-protected", "mandatory"],
            ["elasticache-encrypted", "mandatory"],
            ["s3-private-encrypted", "mandatory"],
            ["log-groups-encrypted-retained", "mandatory"],
            ["no-world-ingress-except-web", "mandatory"],
            ["iam-no-star-on-star", "mandatory"],
            ["kms-rotation-no-wildcard-principal", "mandatory"],
            ["sns-topics-encrypted", "mandatory"],
        ]);
    });

    it("sorts violations by enforcement", () => {
        const ctx: PolicyContext = { environment: "production", resources: [res("aws:sns/topic:Topic")] };
        expect(checkPolicies(ctx).mandatory.map((v) => v.rule)).toEqual(["sns-topics-encrypted"]);
        expect(checkPolicies(ctx).advisory).toEqual([]);
    });
});

describe("aws-explicit-provider", () => {
    it("passes a resource with an explicit provider, and ignores components", () => {
        expect(violations("aws-explicit-provider", [res("aws:s3/bucket:Bucket"), res("ops:x:Y", {}, { custom: false, provider: null })])).toEqual([]);
    });
    it("fails a resource on the default provider", () => {
        expect(violations("aws-explicit-provider", [res("aws:s3/bucket:Bucket", {}, { name: "b", provider: null })])).toEqual([
            "b uses the default AWS provider; pass { provider } from modules/aws/providers.ts",
        ]);
    });
});

describe("aws-default-tags", () => {
    it("passes a provider with every required tag", () => {
        expect(violations("aws-default-tags", [res("pulumi:providers:aws", { defaultTags: allTags })])).toEqual([]);
    });
    it("fails a provider without default tags, or with some missing", () => {
        expect(violations("aws-default-tags", [res("pulumi:providers:aws", {}, { name: "p" })])).toEqual([
            "provider p lacks default tags: environment, project, owner, cost-center, managed-by",
        ]);
        expect(violations("aws-default-tags", [res("pulumi:providers:aws", { defaultTags: JSON.stringify({ tags: { environment: "x", project: "y", owner: "", "managed-by": "pulumi" } }) }, { name: "p" })])).toEqual([
            "provider p lacks default tags: owner, cost-center",
        ]);
    });
});

describe("production-stateful-protected", () => {
    it("passes protected stateful resources in production, and anything outside production", () => {
        expect(violations("production-stateful-protected", [res("aws:rds/instance:Instance", {}, { protect: true })])).toEqual([]);
        expect(violations("production-stateful-protected", [res("aws:rds/instance:Instance")], "staging")).toEqual([]);
    });
    it("fails an unprotected database in production", () => {
        expect(violations("production-stateful-protected", [res("aws:rds/instance:Instance", {}, { name: "db" })])).toEqual([
            "aws:rds/instance:Instance db holds data but is not protected",
        ]);
    });
});

describe("rds-encrypted-private-protected", () => {
    const good = { storageEncrypted: true, kmsKeyId: "arn:key", publiclyAccessible: false, deletionProtection: true };
    it("passes an encrypted private instance with deletion protection", () => {
        expect(violations("rds-encrypted-private-protected", [res("aws:rds/instance:Instance", good)])).toEqual([]);
    });
    it("fails each missing safeguard", () => {
        expect(violations("rds-encrypted-private-protected", [res("aws:rds/instance:Instance", {}, { name: "db" })])).toEqual([
            "db: storageEncrypted is not true",
            "db: no customer-managed kmsKeyId",
            "db: deletionProtection is not true in production",
        ]);
    });
    it("fails an instance explicitly made public", () => {
        expect(violations("rds-encrypted-private-protected", [res("aws:rds/instance:Instance", { ...good, publiclyAccessible: true }, { name: "db" })])).toEqual([
            "db: publiclyAccessible is true",
        ]);
    });
    it("does not require deletion protection outside production", () => {
        expect(violations("rds-encrypted-private-protected", [res("aws:rds/instance:Instance", { ...good, deletionProtection: false })], "staging")).toEqual([]);
    });
});

describe("elasticache-encrypted", () => {
    it("passes encryption at rest and in transit", () => {
        expect(violations("elasticache-encrypted", [res("aws:elasticache/replicationGroup:ReplicationGroup", { atRestEncryptionEnabled: true, transitEncryptionEnabled: true })])).toEqual([]);
    });
    it("fails when either is off or unset", () => {
        expect(violations("elasticache-encrypted", [res("aws:elasticache/replicationGroup:ReplicationGroup", { atRestEncryptionEnabled: false }, { name: "c" })])).toEqual([
            "c: atRestEncryptionEnabled is not true",
            "c: transitEncryptionEnabled is not true",
        ]);
    });
});

describe("s3-private-encrypted", () => {
    const bucket = () => res("aws:s3/bucket:Bucket", { bucket: "files-1" }, { name: "files" });
    const block = (over: Record<string, unknown> = {}) =>
        res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "files-1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...over });
    const sse = () => res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: "files-1" });
    it("passes a bucket with a full public access block and encryption", () => {
        expect(violations("s3-private-encrypted", [bucket(), block(), sse()])).toEqual([]);
    });
    it("fails a bare bucket", () => {
        expect(violations("s3-private-encrypted", [bucket()])).toEqual(["bucket files lacks a full public access block", "bucket files has no server-side encryption configuration"]);
    });
    it("fails a public access block with one setting off", () => {
        expect(violations("s3-private-encrypted", [bucket(), block({ restrictPublicBuckets: false }), sse()])).toEqual(["bucket files lacks a full public access block"]);
    });
});

describe("log-groups-encrypted-retained", () => {
    it("passes a log group with retention and a key", () => {
        expect(violations("log-groups-encrypted-retained", [res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 90, kmsKeyId: "arn:key" })])).toEqual([]);
    });
    it("fails one that keeps logs forever, unencrypted", () => {
        expect(violations("log-groups-encrypted-retained", [res("aws:cloudwatch/logGroup:LogGroup", {}, { name: "lg" })])).toEqual(["lg: no retentionInDays", "lg: no kmsKeyId"]);
    });
});

describe("no-world-ingress-except-web", () => {
    it("passes HTTPS and HTTP from the world, and anything from inside", () => {
        expect(
            violations("no-world-ingress-except-web", [
                res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
                res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { cidrIpv6: "::/0", fromPort: 80, toPort: 80 }),
                res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { cidrIpv4: "10.0.0.0/16", fromPort: 5432, toPort: 5432 }),
            ]),
        ).toEqual([]);
    });
    it("fails the world on any other port, in each way a rule can be written", () => {
        expect(
            violations("no-world-ingress-except-web", [
                res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 }, { name: "a" }),
                res("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "ingress", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 65535 }, { name: "b" }),
                res("aws:ec2/securityGroup:SecurityGroup", { ingress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 5432, toPort: 5432 }] }, { name: "c" }),
            ]),
        ).toEqual(["a admits the internet on 22-22", "b admits the internet on 0-65535", "c admits the internet on 5432-5432"]);
    });
});

describe("iam-no-star-on-star", () => {
    const doc = (Action: unknown, Resource: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource }] });
    it("passes scoped policies, and * actions on a scoped resource", () => {
        expect(
            violations("iam-no-star-on-star", [
                res("aws:iam/policy:Policy", { policy: doc(["s3:GetObject"], "*") }),
                res("aws:iam/rolePolicy:RolePolicy", { policy: doc("*", "arn:aws:s3:::b/*") }),
            ]),
        ).toEqual([]);
    });
    it("fails * on *, in a policy or a role's inline policy", () => {
        expect(
            violations("iam-no-star-on-star", [
                res("aws:iam/policy:Policy", { policy: doc("*", "*") }, { name: "p" }),
                res("aws:iam/role:Role", { inlinePolicies: [{ name: "inline", policy: doc(["*"], ["*"]) }] }, { name: "r" }),
            ]),
        ).toEqual(["p allows * on *", "r: inline policy inline allows * on *"]);
    });
});

describe("kms-rotation-no-wildcard-principal", () => {
    const policy = (Principal: unknown) => JSON.stringify({ Statement: [{ Effect: "Allow", Principal, Action: "kms:*", Resource: "*" }] });
    it("passes a rotating key granted to the account root", () => {
        expect(violations("kms-rotation-no-wildcard-principal", [res("aws:kms/key:Key", { enableKeyRotation: true, policy: policy({ AWS: "arn:aws:iam::123456789012:root" }) })])).toEqual([]);
    });
    it("fails a key without rotation, or granted to *", () => {
        expect(violations("kms-rotation-no-wildcard-principal", [res("aws:kms/key:Key", { policy: policy("*") }, { name: "k" })])).toEqual([
            "k: enableKeyRotation is not true",
            "k: key policy grants to a wildcard principal",
        ]);
        expect(violations("kms-rotation-no-wildcard-principal", [res("aws:kms/key:Key", { enableKeyRotation: true, policy: policy({ AWS: ["*"] }) }, { name: "k" })])).toEqual([
            "k: key policy grants to a wildcard principal",
        ]);
    });
});

describe("sns-topics-encrypted", () => {
    it("passes an encrypted topic and fails a plain one", () => {
        expect(violations("sns-topics-encrypted", [res("aws:sns/topic:Topic", { kmsMasterKeyId: "arn:key" })])).toEqual([]);
        expect(violations("sns-topics-encrypted", [res("aws:sns/topic:Topic", {}, { name: "t" })])).toEqual(["t: no kmsMasterKeyId"]);
    });
});
