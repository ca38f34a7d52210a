import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../aws/providers";
import type { KeyRef } from "../aws/roles";
import { KeyPurpose, keyPolicy } from "./policy";

export interface KeysArgs {
    /** Primary region: where `secrets`, `data` and `logs` live. */
    region: string;
    /**
     * DR region: where `dr.data` and `dr.secrets` live (backup copies, secret replicas). Unset, or
     * without a DR provider: no DR keys (a DR rebuild copies nothing out of its region).
     */
    drRegion?: string;
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
    alerts: "the SNS alert topics of a region other than the stack's (Route53 health-check alarms publish in us-east-1)",
};

/** The deletion window KMS allows, in days; data under a deleted key is lost for good. */
function deletionWindow(owner: string, days: number | undefined): number {
    const window = days ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
        throw new Error(`${owner}: deletionWindowDays must be an integer from 7 to 30 (KMS's limits). Got ${window}.`);
    }
    return window;
}

/** What one customer-managed key is: its purpose and where it lives, the name of its alias. */
interface KeySpec {
    purpose: KeyPurpose;
    /** The region the key's policy is written for (and, with `regionInput`, the key's own `region`). */
    region: string;
    /** Sets the key's and the alias's `region` input, for a region other than the provider's. */
    regionInput: boolean;
    alias: string;
    description: string;
    deletionWindowInDays: number;
    accountId: pulumi.Output<string>;
}

/**
 * One key with yearly automatic rotation, its explicit policy, and its alias: the one way every key
 * of the project is made. `protect` and retain-on-delete keep a `pulumi up` or `destroy` from
 * scheduling a key for deletion by accident.
 */
function createKey(name: string, spec: KeySpec, opts: { parent: pulumi.Resource; provider: aws.Provider; protect: boolean; aliases?: pulumi.Input<pulumi.Alias>[] }): aws.kms.Key {
    const region = spec.regionInput ? { region: spec.region } : {};
    const key = new aws.kms.Key(
        name,
        {
            description: spec.description,
            enableKeyRotation: true,
            rotationPeriodInDays: 365,
            deletionWindowInDays: spec.deletionWindowInDays,
            ...region,
            policy: spec.accountId.apply((accountId) => keyPolicy(spec.purpose, { accountId, region: spec.region })),
        },
        { parent: opts.parent, provider: opts.provider, protect: opts.protect, retainOnDelete: opts.protect, ...(opts.aliases ? { aliases: opts.aliases } : {}) },
    );
    new aws.kms.Alias(`${name}-alias`, { name: spec.alias, targetKeyId: key.keyId, ...region }, { parent: opts.parent, provider: opts.provider });
    return key;
}

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
    /** The DR region's keys; absent on a stack that makes no cross-region copies (a DR rebuild). */
    readonly dr?: { secrets: aws.kms.Key; data: aws.kms.Key };
    /** Each key by alias and region: how IAM policies name them (modules/aws/roles.ts `keyByAlias`). */
    readonly refs: { secrets: KeyRef; data: KeyRef; logs: KeyRef; dr: { secrets: KeyRef; data: KeyRef } };

    constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:keys:Keys", name, {}, opts);
        const deletionWindowInDays = deletionWindow(`Keys ${name}`, args.deletionWindowDays);
        const protect = args.protect ?? true;
        const accountId = aws.getCallerIdentityOutput({}, { provider: args.providers.primary, parent: this }).accountId;

        const key = (purpose: KeyPurpose, where: "primary" | "dr"): aws.kms.Key => {
            const dr = where === "dr";
            return createKey(
                dr ? `${name}-dr-${purpose}` : `${name}-${purpose}`,
                {
                    purpose,
                    region: dr ? args.drRegion! : args.region,
                    regionInput: false,
                    alias: keyAlias(args.aliasPrefix, purpose, dr),
                    description: `${args.aliasPrefix} ${purpose}${dr ? " (DR region)" : ""}: ${KEY_USES[purpose]}`,
                    deletionWindowInDays,
                    accountId,
                },
                { parent: this, provider: (dr ? args.providers.dr : undefined) ?? args.providers.primary, protect },
            );
        };

        this.secrets = key("secrets", "primary");
        this.data = key("data", "primary");
        this.logs = key("logs", "primary");
        this.dr = args.drRegion !== undefined && args.providers.dr !== undefined ? { secrets: key("secrets", "dr"), data: key("data", "dr") } : undefined;
        this.refs = keyRefs(args.aliasPrefix, args.region, args.drRegion ?? args.region);

        this.registerOutputs({
            secretsKeyArn: this.secrets.arn,
            dataKeyArn: this.data.arn,
            logsKeyArn: this.logs.arn,
            ...(this.dr ? { drSecretsKeyArn: this.dr.secrets.arn, drDataKeyArn: this.dr.data.arn } : {}),
        });
    }
}

/** A key's alias: `alias/<prefix>/<purpose>`, with `-dr` for the DR region's. */
export function keyAlias(aliasPrefix: string, purpose: KeyPurpose, dr = false): string {
    return `alias/${aliasPrefix}/${purpose}${dr ? "-dr" : ""}`;
}

/** The stack's keys by alias and region, as `Keys` creates them. */
export function keyRefs(aliasPrefix: string, region: string, drRegion: string): Keys["refs"] {
    const ref = (purpose: KeyPurpose, dr: boolean): KeyRef => ({ region: dr ? drRegion : region, alias: keyAlias(aliasPrefix, purpose, dr) });
    return { secrets: ref("secrets", false), data: ref("data", false), logs: ref("logs", false), dr: { secrets: ref("secrets", true), data: ref("data", true) } };
}

export interface RegionalKeyArgs {
    purpose: KeyPurpose;
    /**
     * The region the key lives in, whatever the provider's: KMS keys are regional, and a resource
     * in another region (the us-east-1 alert topics of a stack elsewhere) needs a key there.
     */
    region: string;
    /** Alias prefix: the key becomes `alias/<prefix>/<purpose>` in that region. */
    aliasPrefix: string;
    /**
     * Waiting period before a deleted key is gone, 7 to 30 days.
     * @default 30
     */
    deletionWindowDays?: number;
    /**
     * Pulumi `protect` and retain-on-delete on the key.
     * @default true
     */
    protect?: boolean;
    /** The provider; the key and its alias set their own `region`. */
    provider: aws.Provider;
    /** Earlier identities of the key (`aliases`), when it moved into this component, so it is not replaced. */
    keyAliases?: pulumi.Input<pulumi.Alias>[];
}

/**
 * One customer-managed key of one purpose in a region of the caller's choice, made as the stack's
 * `Keys` are (rotation, explicit policy, alias, deletion window, protection). The key takes the
 * component's name.
 */
export class RegionalKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: RegionalKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:keys:RegionalKey", name, {}, opts);
        const accountId = aws.getCallerIdentityOutput({}, { provider: args.provider, parent: this }).accountId;
        this.key = createKey(
            name,
            {
                purpose: args.purpose,
                region: args.region,
                regionInput: true,
                alias: `alias/${args.aliasPrefix}/${args.purpose}`,
                description: `${args.aliasPrefix} ${args.purpose} (${args.region}): ${KEY_USES[args.purpose]}`,
                deletionWindowInDays: deletionWindow(`RegionalKey ${name}`, args.deletionWindowDays),
                accountId,
            },
            { parent: this, provider: args.provider, protect: args.protect ?? true, aliases: args.keyAliases },
        );
        this.arn = this.key.arn;
        this.registerOutputs({ keyArn: this.arn });
    }
}
