/**
 * The project's policy rules, as pure functions over a plan's resources. The same rules run in
 * three places: the test suite (on every stack's offline plan), `npm run policy -- --stack <name>`
 * (offline), and `pulumi preview --policy-pack policy` (the real CLI, through `policy/index.ts`).
 *
 * Each rule states the runbook or standard it enforces. Mandatory rules fail a preview; advisory
 * rules are printed.
 */

/** What a rule sees of one resource: the plan's shape (and what @pulumi/policy gives, adapted). */
export interface PolicyResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Provider URN, or null for the default provider. */
    provider: string | null;
    protect: boolean;
    retainOnDelete: boolean;
    inputs: Record<string, unknown>;
}

export interface PolicyContext {
    /** The stack's environment (`development`, `staging`, `production`). */
    environment: string;
    resources: readonly PolicyResource[];
}

export interface Violation {
    rule: string;
    urn: string;
    message: string;
}

export interface PolicyRule {
    name: string;
    description: string;
    enforcement: "mandatory" | "advisory";
    check(ctx: PolicyContext): Violation[];
}

const ofType = (ctx: PolicyContext, ...types: string[]): PolicyResource[] => ctx.resources.filter((r) => types.includes(r.type));

/** Values the plan cannot know yet (`[unknown]`) pass: only what is known can be judged. */
const UNKNOWN = "[unknown]";

function parseJson(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

function asArray<T>(v: T | T[] | undefined): T[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The required tag keys, set on every AWS resource through the providers' default tags. */
export const REQUIRED_TAGS = ["environment", "project", "owner", "cost-center", "managed-by"] as const;

/** Resource types that hold data: they must be protected in production. */
export const STATEFUL_TYPES = [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:backup/vault:Vault",
    "aws:kms/key:Key",
    "aws:dynamodb/table:Table",
    "aws:efs/fileSystem:FileSystem",
] as const;

const violation = (rule: string, r: PolicyResource, message: string): Violation => ({ rule, urn: r.urn, message });

/** IAM statements that allow every action on every resource. */
function starStar(policy: unknown): boolean {
    const doc = parseJson(policy) as { Statement?: unknown } | undefined;
    if (!doc || typeof doc !== "object") return false;
    return asArray(doc.Statement as Record<string, unknown>[] | Record<string, unknown>).some((s) => {
        if (!s || s["Effect"] !== "Allow") return false;
        const actions = asArray(s["Action"] as string | string[]);
        const resources = asArray(s["Resource"] as string | string[]);
        return actions.includes("*") && resources.includes("*");
    });
}

function wildcardPrincipal(policy: unknown): boolean {
    const doc = parseJson(policy) as { Statement?: unknown } | undefined;
    if (!doc || typeof doc !== "object") return false;
    return asArray(doc.Statement as Record<string, unknown>[] | Record<string, unknown>).some((s) => {
        if (!s || s["Effect"] !== "Allow") return false;
        const p = s["Principal"] as unknown;
        if (p === "*") return true;
        if (p && typeof p === "object") return Object.values(p as Record<string, unknown>).some((v) => asArray(v as string | string[]).includes("*"));
        return false;
    });
}

export const rules: readonly PolicyRule[] = [
    {
        name: "aws-explicit-provider",
        description: "Every AWS resource names an explicit provider, so its region and default tags are the stack's, never the shell's.",
        enforcement: "mandatory",
        check: (ctx) =>
            ctx.resources
                .filter((r) => r.custom && r.type.startsWith("aws:") && r.provider === null)
                .map((r) => violation("aws-explicit-provider", r, `${r.name} uses the default AWS provider; pass { provider } from modules/aws/providers.ts`)),
    },
    {
        name: "aws-default-tags",
        description: "Every AWS provider tags what it creates with environment, project, owner, cost-center and managed-by.",
        enforcement: "mandatory",
        check: (ctx) =>
            ofType(ctx, "pulumi:providers:aws").flatMap((p) => {
                const defaultTags = parseJson(p.inputs["defaultTags"]) as { tags?: Record<string, unknown> } | undefined;
                const missing = REQUIRED_TAGS.filter((t) => typeof defaultTags?.tags?.[t] !== "string" || defaultTags.tags[t] === "");
                return missing.length > 0 ? [violation("aws-default-tags", p, `provider ${p.name} lacks default tags: ${missing.join(", ")}`)] : [];
            }),
    },
    {
        name: "production-stateful-protected",
        description: "In production, every stateful resource is `protect`ed, so no `pulumi up` or `destroy` can delete data by accident.",
        enforcement: "mandatory",
        check: (ctx) =>
            ctx.environment !== "production"
                ? []
                : ctx.resources
                      .filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type) && !r.protect)
                      .map((r) => violation("production-stateful-protected", r, `${r.type} ${r.name} holds data but is not protected`)),
    },
    {
        name: "rds-encrypted-private-protected",
        description: "RDS: storage encrypted with a customer-managed key, never publicly accessible; deletion protection in production.",
        enforcement: "mandatory",
        check: (ctx) =>
            ofType(ctx, "aws:rds/instance:Instance").flatMap((r) => {
                const v: Violation[] = [];
                const i = r.inputs;
                if (i["storageEncrypted"] !== true && i["storageEncrypted"] !== UNKNOWN) v.push(violation("rds-encrypted-private-protected", r, `${r.name}: storageEncrypted is not true`));
                if (i["kmsKeyId"] === undefined) v.push(violation("rds-encrypted-private-protected", r, `${r.name}: no customer-managed kmsKeyId`));
                if (i["publiclyAccessible"] === true) v.push(violation("rds-encrypted-private-protected", r, `${r.name}: publiclyAccessible is true`));
                if (ctx.environment === "production" && i["deletionProtection"] !== true)
                    v.push(violation("rds-encrypted-private-protected", r, `${r.name}: deletionProtection is not true in production`));
                return v;
            }),
    },
    {
        name: "elasticache-encrypted",
        description: "ElastiCache: encryption at rest and in transit.",
        enforcement: "mandatory",
        check: (ctx) =>
            ofType(ctx, "aws:elasticache/replicationGroup:ReplicationGroup").flatMap((r) =>
                (["atRestEncryptionEnabled", "transitEncryptionEnabled"] as const)
                    .filter((k) => r.inputs[k] !== true && r.inputs[k] !== UNKNOWN)
                    .map((k) => violation("elasticache-encrypted", r, `${r.name}: ${k} is not true`)),
            ),
    },
    {
        name: "s3-private-encrypted",
        description: "S3: every bucket has a public access block with all four settings on, and server-side encryption configured.",
        enforcement: "mandatory",
        check: (ctx) => {
            const buckets = ofType(ctx, "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2");
            const blocks = ofType(ctx, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            const sse = ofType(
                ctx,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            );
            // Buckets are referenced by name (`bucket` input); the mocks give the bucket its name as id.
            const names = (b: PolicyResource): unknown[] => [b.inputs["bucket"], b.name];
            return buckets.flatMap((b) => {
                const v: Violation[] = [];
                const mine = (x: PolicyResource) => names(b).includes(x.inputs["bucket"]) || x.name.startsWith(b.name);
                const block = blocks.find(mine);
                const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
                if (!block || flags.some((f) => block.inputs[f] !== true)) v.push(violation("s3-private-encrypted", b, `bucket ${b.name} lacks a full public access block`));
                if (!sse.some(mine)) v.push(violation("s3-private-encrypted", b, `bucket ${b.name} has no server-side encryption configuration`));
                return v;
            });
        },
    },
    {
        name: "log-groups-encrypted-retained",
        description: "CloudWatch log groups: a retention period (runbook 3.3) and a KMS key.",
        enforcement: "mandatory",
        check: (ctx) =>
            ofType(ctx, "aws:cloudwatch/logGroup:LogGroup").flatMap((r) => {
                const v: Violation[] = [];
                if (typeof r.inputs["retentionInDays"] !== "number") v.push(violation("log-groups-encrypted-retained", r, `${r.name}: no retentionInDays`));
                if (r.inputs["kmsKeyId"] === undefined) v.push(violation("log-groups-encrypted-retained", r, `${r.name}: no kmsKeyId`));
                return v;
            }),
    },
    {
        name: "no-world-ingress-except-web",
        description: "No security group admits the internet (0.0.0.0/0, ::/0) except on 80 and 443.",
        enforcement: "mandatory",
        check: (ctx) => {
            const world = (cidrs: unknown): boolean => asArray(cidrs as string | string[]).some((c) => c === "0.0.0.0/0" || c === "::/0");
            const web = (from: unknown, to: unknown): boolean => (from === 80 && to === 80) || (from === 443 && to === 443);
            const out: Violation[] = [];
            for (const r of ofType(ctx, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
                if ((world(r.inputs["cidrIpv4"]) || world(r.inputs["cidrIpv6"])) && !web(r.inputs["fromPort"], r.inputs["toPort"]))
                    out.push(violation("no-world-ingress-except-web", r, `${r.name} admits the internet on ${String(r.inputs["fromPort"])}-${String(r.inputs["toPort"])}`));
            }
            for (const r of ofType(ctx, "aws:ec2/securityGroupRule:SecurityGroupRule")) {
                if (r.inputs["type"] === "ingress" && (world(r.inputs["cidrBlocks"]) || world(r.inputs["ipv6CidrBlocks"])) && !web(r.inputs["fromPort"], r.inputs["toPort"]))
                    out.push(violation("no-world-ingress-except-web", r, `${r.name} admits the internet on ${String(r.inputs["fromPort"])}-${String(r.inputs["toPort"])}`));
            }
            for (const r of ofType(ctx, "aws:ec2/securityGroup:SecurityGroup")) {
                for (const rule of asArray(r.inputs["ingress"] as Record<string, unknown>[] | undefined)) {
                    if ((world(rule["cidrBlocks"]) || world(rule["ipv6CidrBlocks"])) && !web(rule["fromPort"], rule["toPort"]))
                        out.push(violation("no-world-ingress-except-web", r, `${r.name} admits the internet on ${String(rule["fromPort"])}-${String(rule["toPort"])}`));
                }
            }
            return out;
        },
    },
    {
        name: "iam-no-star-on-star",
        description: "No IAM policy allows every action on every resource.",
        enforcement: "mandatory",
        check: (ctx) => {
            const out: Violation[] = [];
            for (const r of ofType(ctx, "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy")) {
                if (starStar(r.inputs["policy"])) out.push(violation("iam-no-star-on-star", r, `${r.name} allows * on *`));
            }
            for (const r of ofType(ctx, "aws:iam/role:Role")) {
                for (const p of asArray(r.inputs["inlinePolicies"] as Record<string, unknown>[] | undefined)) {
                    if (starStar(p["policy"])) out.push(violation("iam-no-star-on-star", r, `${r.name}: inline policy ${String(p["name"])} allows * on *`));
                }
            }
            return out;
        },
    },
    {
        name: "kms-rotation-no-wildcard-principal",
        description: "KMS keys rotate, and no key policy grants to a wildcard principal.",
        enforcement: "mandatory",
        check: (ctx) =>
            ofType(ctx, "aws:kms/key:Key").flatMap((r) => {
                const v: Violation[] = [];
                if (r.inputs["enableKeyRotation"] !== true) v.push(violation("kms-rotation-no-wildcard-principal", r, `${r.name}: enableKeyRotation is not true`));
                if (wildcardPrincipal(r.inputs["policy"])) v.push(violation("kms-rotation-no-wildcard-principal", r, `${r.name}: key policy grants to a wildcard principal`));
                return v;
            }),
    },
    {
        name: "sns-topics-encrypted",
        description: "SNS topics are encrypted with a KMS key (alerts can carry incident details).",
        enforcement: "mandatory",
        check: (ctx) =>
            ofType(ctx, "aws:sns/topic:Topic")
                .filter((r) => r.inputs["kmsMasterKeyId"] === undefined)
                .map((r) => violation("sns-topics-encrypted", r, `${r.name}: no kmsMasterKeyId`)),
    },
];

/** Runs every rule on a plan; violations of mandatory rules first. */
export function checkPolicies(ctx: PolicyContext, selected: readonly PolicyRule[] = rules): { mandatory: Violation[]; advisory: Violation[] } {
    const mandatory: Violation[] = [];
    const advisory: Violation[] = [];
    for (const rule of selected) (rule.enforcement === "mandatory" ? mandatory : advisory).push(...rule.check(ctx));
    return { mandatory, advisory };
}
