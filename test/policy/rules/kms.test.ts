import { kmsRules } from "../../../policy/rules/kms";
import { findings, res, ruleSuite } from "../fixtures";

const KEY = "aws:kms/key:Key";
const key = (inputs: Record<string, unknown> = {}, name = "k") => res(KEY, { enableKeyRotation: true, deletionWindowInDays: 30, ...inputs }, { name });
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const root = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" };
const rolePolicy = (policy: string, name = "p") => res("aws:iam/rolePolicy:RolePolicy", { policy, role: "r" }, { name });

describe("KMS rules", () => {
    const rule = ruleSuite(kmsRules);

    rule("kms-key-rotation", {
        compliant: () => [key({ rotationPeriodInDays: 365 }), key({ rotationPeriodInDays: 90 }, "k2"), key({}, "k3")],
        missing: () => [res(KEY, {}, { name: "k" })],
        missingFindings: ["k: enableKeyRotation is unset: set it to true"],
        wrong: () => [key({ enableKeyRotation: false }), key({ rotationPeriodInDays: 366 }, "slow")],
        wrongFindings: ["k: enableKeyRotation is false: set it to true", "slow: rotationPeriodInDays is 366: rotate at least every 365 days"],
    });

    rule("kms-key-policy-not-public", {
        compliant: () => [key({ policy: doc(root, { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } } }) })],
        missing: () => [key()],
        missingFindings: [],
        safeDefault: "without a policy, KMS gives the key its default policy: the account root only",
        wrong: () => [key({ policy: doc(root, { Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }, { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"] }, Action: "kms:*", Resource: "*" }) })],
        wrongFindings: ["k: key policy statement Everyone allows any principal without a condition", "k: key policy statement 3 allows any principal without a condition"],
    });

    rule("kms-deletion-window", {
        compliant: () => [key()],
        missing: () => [res(KEY, { enableKeyRotation: true }, { name: "k" })],
        missingFindings: [],
        safeDefault: "KMS waits 30 days when no window is given",
        wrong: () => [key({ deletionWindowInDays: 7 })],
        wrongFindings: ["k: deletionWindowInDays is 7: set 30"],
    });

    rule("kms-no-decrypt-on-all-keys", {
        compliant: () => [rolePolicy(doc({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: "arn:aws:kms:us-east-1:123456789012:key/abc" }, { Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }))],
        missing: () => [rolePolicy(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }))],
        missingFindings: [],
        safeDefault: "a policy that grants no KMS action cannot decrypt anything",
        wrong: () => [
            rolePolicy(doc({ Sid: "Fine", Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:1:key/a" }, { Sid: "All", Effect: "Allow", Action: ["kms:Decrypt*"], Resource: "*" })),
            res("aws:iam/role:Role", { inlinePolicies: [{ name: "inline", policy: doc({ Effect: "Allow", Action: "kms:ReEncrypt*", Resource: "arn:aws:kms:*:123456789012:key/*" }) }] }, { name: "role" }),
            res("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "*", Resource: ["*"] }) }, { name: "admin" }),
        ],
        wrongFindings: [
            "p: policy statement All allows decryption on every KMS key: name the keys",
            "role: inline policy inline statement 1 allows decryption on every KMS key: name the keys",
            "admin: policy statement 1 allows decryption on every KMS key: name the keys",
        ],
    });

    it("does not ask asymmetric keys to rotate (KMS cannot)", () => {
        expect(findings("kms-key-rotation", [res(KEY, { customerMasterKeySpec: "RSA_2048" }, { name: "signing" })])).toEqual([]);
        expect(findings("kms-key-rotation", [res(KEY, { customerMasterKeySpec: "SYMMETRIC_DEFAULT" }, { name: "k" })])).toEqual(["k: enableKeyRotation is unset: set it to true"]);
    });

    it("takes 30 days as the shortest production deletion window", () => {
        expect(findings("kms-deletion-window", [key({ deletionWindowInDays: 30 })])).toEqual([]);
        expect(findings("kms-deletion-window", [key({ deletionWindowInDays: 29 })])).toEqual(["k: deletionWindowInDays is 29: set 30"]);
    });

    it("ignores Deny statements and decryption scoped to named keys", () => {
        expect(findings("kms-no-decrypt-on-all-keys", [rolePolicy(doc({ Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }))])).toEqual([]);
    });

    it("takes keys named by their tags or aliases as named, and a wildcard or another condition as not", () => {
        const on = (Condition: Record<string, unknown>) => findings("kms-no-decrypt-on-all-keys", [rolePolicy(doc({ Sid: "Use", Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition }))]);
        expect(on({ StringEquals: { "aws:ResourceTag/environment": "production", "aws:ResourceTag/project": "myapp" } })).toEqual([]);
        expect(on({ "ForAnyValue:StringLike": { "kms:ResourceAliases": ["alias/myapp/production/*"] } })).toEqual([]);
        const all = ["p: policy statement Use allows decryption on every KMS key: name the keys"];
        expect(on({ StringLike: { "aws:ResourceTag/environment": "*" } })).toEqual(all);
        expect(on({ StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } })).toEqual(all);
        expect(on({ StringNotEquals: { "aws:ResourceTag/environment": "staging" } })).toEqual(all);
    });
});

describe("KMS rules, more cases", () => {
    const decrypt = (Resource: unknown, extra: Record<string, unknown> = {}) => findings("kms-no-decrypt-on-all-keys", [rolePolicy(doc({ Sid: "Use", Effect: "Allow", Action: "kms:Decrypt", Resource, ...extra }))]);
    const ALL = ["p: policy statement Use allows decryption on every KMS key: name the keys"];

    it("reads every key of any partition, region and account as every key", () => {
        expect(decrypt("arn:aws:kms:us-east-1:123456789012:key/*")).toEqual(ALL);
        expect(decrypt("arn:aws:kms:us-east-1:123456789012:*")).toEqual(ALL);
        expect(decrypt("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/*")).toEqual(ALL);
    });

    it("reads a narrower key pattern, or an ARN that only contains a wildcard one, as named keys", () => {
        expect(decrypt("arn:aws:kms:us-east-1:123456789012:key/*-production")).toEqual([]);
        expect(decrypt("prefix-arn:aws:kms:us-east-1:123456789012:key/*")).toEqual([]);
    });

    it("flags a statement with every key among its resources, and decryption among its actions", () => {
        expect(decrypt(["arn:aws:kms:us-east-1:123456789012:key/abc", "*"])).toEqual(ALL);
        expect(findings("kms-no-decrypt-on-all-keys", [rolePolicy(doc({ Sid: "Use", Effect: "Allow", Action: ["kms:DescribeKey", "kms:Decrypt"], Resource: "*" }))])).toEqual(ALL);
    });

    it("takes a tag condition as a scope only when every value is a non-empty, non-wildcard string", () => {
        const tagged = (value: unknown) => decrypt("*", { Condition: { StringEquals: { "aws:ResourceTag/environment": value } } });
        expect(tagged(["production", "staging"])).toEqual([]);
        expect(tagged([])).toEqual(ALL);
        expect(tagged(["production", "*"])).toEqual(ALL);
        expect(tagged("")).toEqual(ALL);
        expect(tagged(1)).toEqual(ALL);
    });

    it("takes a block as a scope when one of its keys names tags, beside other keys", () => {
        expect(decrypt("*", { Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com", "aws:ResourceTag/environment": "production" } } })).toEqual([]);
    });

    it("scopes nothing by another operator, a misspelt one, an empty block or a key that only ends like a tag key", () => {
        expect(decrypt("*", { Condition: { StringEqualsIfExists: { "aws:ResourceTag/environment": "production" } } })).toEqual(ALL);
        expect(decrypt("*", { Condition: { "ForAnyValues:StringEquals": { "aws:ResourceTag/environment": "production" } } })).toEqual(ALL);
        expect(decrypt("*", { Condition: { StringEquals: null } })).toEqual(ALL);
        expect(decrypt("*", { Condition: { StringEquals: { "kms:EncryptionContext:aws:ResourceTag/environment": "production" } } })).toEqual(ALL);
    });

    it("leaves a Deny to any principal in a key policy alone", () => {
        expect(findings("kms-key-policy-not-public", [key({ policy: doc(root, { Sid: "NoDelete", Effect: "Deny", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*" }) })])).toEqual([]);
    });
});
