import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../aws/providers";
import { KeyPurpose, keyPolicy } from "./policy";

export interface KeysArgs {
    /** Primary region: where `secrets`, `data` and `logs` live. */
    region: string;
    /** DR region: where `dr.data` and `dr.secrets` live (backup copies, secret replicas). */
    drRegion: string;
    /** Alias prefix, `<appName>/<environment>`: the keys become `alias/<prefix>/<purpose>`. */
    aliasPrefix: string;
    /**
     * Waiting period before a deleted key is gone, 7 to 30 days. Data encrypted under a deleted
     * key is lost for good, so the longest window is the safe default.
     * @default 30
     */
    deletionWindowDays?: number;
    /**
     * Pulumi `protect` and retain-on-delete on every key, so no `pulumi up` or `destroy` schedules
     * one for deletion by accident. Stacks whose data is disposable (staging) opt out explicitly.
     * @default true
     */
    protect?: boolean;
    providers: AwsProviders;
}

/** What each key encrypts; the key descriptions and docs/secrets.md say the same. */
export const KEY_USES: Record<KeyPurpose, string> = {
    secrets: "Secrets Manager secrets (DATABASE_URL, REDIS_URL, SECRET_KEY, EXTERNAL_API_KEY, DATABASE_MASTER)",
    data: "data at rest: RDS storage, snapshots and Performance Insights, ElastiCache, S3 buckets, AWS Backup vaults",
    logs: "CloudWatch Logs log groups and the SNS alert topics",
};

/**
 * The stack's customer-managed KMS keys, one per purpose, each with yearly automatic rotation and
 * an explicit key policy (account root through IAM, plus the service principals that encrypt on
 * their own behalf; never `"Principal": "*"`). One key per purpose, not one for everything: a
 * role allowed to decrypt logs can then never decrypt a database snapshot or a secret, and each
 * key's CloudTrail usage reads as one kind of data.
 *
 * - `secrets`: Secrets Manager secrets.
 * - `data`: RDS, ElastiCache, S3, AWS Backup (primary region).
 * - `logs`: CloudWatch log groups and SNS alert topics.
 * - `dr.data`, `dr.secrets`: the same purposes in the DR region (KMS keys are regional; backup
 *   copies and secret replicas there are encrypted by these).
 *
 * Data stores, logs and backups take these keys as args; none of them creates its own.
 */
export class Keys extends pulumi.ComponentResource {
    readonly secrets: aws.kms.Key;
    readonly data: aws.kms.Key;
    readonly logs: aws.kms.Key;
    readonly dr: { secrets: aws.kms.Key; data: aws.kms.Key };

    constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:keys:Keys", name, {}, opts);
        const deletionWindowInDays = args.deletionWindowDays ?? 30;
        if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
            throw new Error(`Keys ${name}: deletionWindowDays must be an integer from 7 to 30 (KMS's limits). Got ${deletionWindowInDays}.`);
        }
        const protect = args.protect ?? true;
        const accountId = aws.getCallerIdentityOutput({}, { provider: args.providers.primary, parent: this }).accountId;

        const key = (purpose: KeyPurpose, where: "primary" | "dr"): aws.kms.Key => {
            const region = where === "primary" ? args.region : args.drRegion;
            const keyName = where === "primary" ? `${name}-${purpose}` : `${name}-dr-${purpose}`;
            const provider = args.providers[where];
            const k = new aws.kms.Key(
                keyName,
                {
                    description: `${args.aliasPrefix} ${purpose}${where === "dr" ? " (DR region)" : ""}: ${KEY_USES[purpose]}`,
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays,
                    policy: accountId.apply((id) => keyPolicy(purpose, { accountId: id, region })),
                },
                { parent: this, provider, protect, retainOnDelete: protect },
            );
            new aws.kms.Alias(
                `${keyName}-alias`,
                { name: `alias/${args.aliasPrefix}/${purpose}${where === "dr" ? "-dr" : ""}`, targetKeyId: k.keyId },
                { parent: this, provider },
            );
            return k;
        };

        this.secrets = key("secrets", "primary");
        this.data = key("data", "primary");
        this.logs = key("logs", "primary");
        this.dr = { secrets: key("secrets", "dr"), data: key("data", "dr") };

        this.registerOutputs({
            secretsKeyArn: this.secrets.arn,
            dataKeyArn: this.data.arn,
            logsKeyArn: this.logs.arn,
            drSecretsKeyArn: this.dr.secrets.arn,
            drDataKeyArn: this.dr.data.arn,
        });
    }
}
