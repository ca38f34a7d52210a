/**
 * KMS keys (`aws:kms/key:Key`) and the IAM policies that use them.
 */
import { EVERYWHERE, PolicyRule, productionOnly } from "../rule";
import { IDENTITY_POLICY_TYPES, actionMatches, identityPoliciesOf, isTrue, num, shown, statementLabel, statementsOf } from "../values";

const KEY = "aws:kms/key:Key";

/** The longest rotation period the project accepts: KMS's default, yearly (KMS allows 90 to 2560 days). */
export const MAX_KEY_ROTATION_DAYS = 365;
/** KMS's longest waiting period before a scheduled deletion. */
export const PRODUCTION_KEY_DELETION_WINDOW_DAYS = 30;

/** The actions KMS.1 and KMS.2 call decryption actions. */
export const DECRYPTION_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"] as const;

/** Whether a key spec is symmetric (the only keys KMS rotates automatically). */
function symmetric(spec: unknown): boolean {
    return spec === undefined || spec === "SYMMETRIC_DEFAULT";
}

/** Whether a policy resource names every key: `*`, or any key of any account or region. */
function allKeys(resource: string): boolean {
    return resource === "*" || /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:(key\/)?\*$/.test(resource);
}

/**
 * Whether a statement's conditions narrow "every key" to named ones: by the keys' tags
 * (`aws:ResourceTag/<tag>` equal to fixed values) or aliases (`kms:ResourceAliases`), the way a
 * deploy role uses keys it creates, whose ids nobody knows beforehand. KMS.1 and KMS.2 judge what
 * a policy allows (Security Hub evaluates them with Zelkova), so such a statement does not allow
 * decryption on every key. A wildcard value scopes nothing.
 */
function scopesKeys(condition: Record<string, unknown>): boolean {
    return Object.entries(condition).some(([operator, block]) => {
        if (!/^(ForAnyValue:|ForAllValues:)?String(Equals|Like)$/.test(operator) || typeof block !== "object" || block === null) return false;
        return Object.entries(block as Record<string, unknown>).some(([key, value]) => {
            if (!/^aws:ResourceTag\/.+$/i.test(key) && key.toLowerCase() !== "kms:resourcealiases") return false;
            const values = Array.isArray(value) ? value : [value];
            return values.length > 0 && values.every((v) => typeof v === "string" && v !== "" && v !== "*");
        });
    });
}

export const kmsRules: PolicyRule[] = [
    {
        name: "kms-key-rotation",
        service: "KMS",
        description: `Symmetric keys rotate automatically, at least every ${MAX_KEY_ROTATION_DAYS} days.`,
        rationale: "Rotation bounds how much data one key version protects; KMS keeps old versions for decryption, so rotating costs nothing operationally.",
        controls: [
            { framework: "Security Hub NIST 800-53", id: "KMS.4" },
            { framework: "CIS AWS Foundations 1.4.0", id: "3.8" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-KMS5" },
        ],
        enforcement: EVERYWHERE,
        types: [KEY],
        check: (k) => {
            if (!symmetric(k.inputs["customerMasterKeySpec"])) return [];
            if (!isTrue(k.inputs["enableKeyRotation"])) return [`enableKeyRotation is ${shown(k.inputs["enableKeyRotation"])}: set it to true`];
            const days = num(k.inputs["rotationPeriodInDays"]);
            return days !== undefined && days > MAX_KEY_ROTATION_DAYS ? [`rotationPeriodInDays is ${days}: rotate at least every ${MAX_KEY_ROTATION_DAYS} days`] : [];
        },
    },
    {
        name: "kms-key-policy-not-public",
        service: "KMS",
        description: "No key policy allows a wildcard principal without a condition.",
        rationale: "A key policy is the key's only gate; an unconditional Allow to * lets any AWS account use the key, whatever IAM says.",
        controls: [{ framework: "Project", id: "keys grant to the account and named services only (modules/keys/policy.ts)" }],
        enforcement: EVERYWHERE,
        types: [KEY],
        check: (k) =>
            statementsOf(k.inputs["policy"])
                .map((s, i) => ({ s, i }))
                .filter(({ s }) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)
                .map(({ s, i }) => `key policy ${statementLabel(s, i)} allows any principal without a condition`),
    },
    {
        name: "kms-deletion-window",
        service: "KMS",
        description: `Production keys wait the longest period, ${PRODUCTION_KEY_DELETION_WINDOW_DAYS} days, before a scheduled deletion.`,
        rationale: "Deleting a key destroys every backup and snapshot encrypted with it; the waiting period is the only time to cancel a mistaken deletion.",
        controls: [{ framework: "Security Hub FSBP", id: "KMS.3" }],
        enforcement: productionOnly("keys outside production protect rebuildable data; a shorter window lets a torn-down stack's keys go sooner."),
        types: [KEY],
        check: (k) => {
            const days = num(k.inputs["deletionWindowInDays"]);
            return days === undefined || days >= PRODUCTION_KEY_DELETION_WINDOW_DAYS ? [] : [`deletionWindowInDays is ${days}: set ${PRODUCTION_KEY_DELETION_WINDOW_DAYS}`];
        },
    },
    {
        name: "kms-no-decrypt-on-all-keys",
        service: "KMS",
        description: "No IAM policy allows kms:Decrypt or kms:ReEncryptFrom on every key (a statement narrowed to keys of given tags or aliases names them).",
        rationale: "Decryption on `*` turns any principal holding the policy into a reader of every encrypted secret, bucket and snapshot of the account; scope it to the keys the principal needs.",
        controls: [
            { framework: "Security Hub FSBP", id: "KMS.1" },
            { framework: "Security Hub FSBP", id: "KMS.2" },
        ],
        enforcement: EVERYWHERE,
        types: IDENTITY_POLICY_TYPES,
        check: (r) =>
            identityPoliciesOf(r).flatMap(({ label, policy }) =>
                statementsOf(policy)
                    .map((s, i) => ({ s, i }))
                    .filter(({ s }) => s.effect === "Allow" && s.resources.some(allKeys) && !scopesKeys(s.condition) && DECRYPTION_ACTIONS.some((a) => s.actions.some((p) => actionMatches(p, a))))
                    .map(({ s, i }) => `${label} ${statementLabel(s, i)} allows decryption on every KMS key: name the keys`),
            ),
    },
];
