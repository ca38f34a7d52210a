/**
 * Rules over every AWS resource: explicit providers, the required tags, protection of data.
 */
import { EVERYWHERE, PolicyRule, productionOnly } from "../rule";
import { asObject, parseJson } from "../values";

/** The required tag keys, set on every AWS resource through the providers' default tags. */
export const REQUIRED_TAGS = ["environment", "project", "owner", "cost-center", "managed-by"] as const;

/** Resource types that hold data or the keys to it: they must be `protect`ed in production. */
export const STATEFUL_TYPES = [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:backup/vault:Vault",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:kms/key:Key",
    "aws:dynamodb/table:Table",
    "aws:efs/fileSystem:FileSystem",
] as const;

export const generalRules: PolicyRule[] = [
    {
        name: "aws-explicit-provider",
        service: "General",
        description: "Every AWS resource names an explicit provider.",
        rationale:
            "The default provider takes its region and credentials from the shell running `pulumi up`; a DR rebuild must create everything on the DR-region providers, with the stack's default tags.",
        controls: [{ framework: "Project", id: "ARCHITECTURE.md: DR-region providers; modules/aws/providers.ts" }],
        enforcement: EVERYWHERE,
        types: ["aws:*"],
        check: (r) => (r.custom && r.provider === null ? ["uses the default AWS provider; pass { provider } from modules/aws/providers.ts"] : []),
    },
    {
        name: "aws-default-tags",
        service: "General",
        description: "Every AWS provider tags what it creates with environment, project, owner, cost-center and managed-by, the environment being the stack's.",
        rationale:
            "Cost allocation, ownership during an incident and the backup and alarm selections read these tags; an environment tag that disagrees with the stack means the stack is judged, billed and paged as something it is not.",
        controls: [{ framework: "Project", id: "README Configuration: tags in Pulumi.yaml; modules/aws/providers.ts" }],
        enforcement: EVERYWHERE,
        types: ["pulumi:providers:aws"],
        check: (p, stack) => {
            const tags = asObject(asObject(parseJson(p.inputs["defaultTags"]))?.["tags"]);
            const missing = REQUIRED_TAGS.filter((t) => typeof tags?.[t] !== "string" || tags[t] === "");
            const out = missing.length > 0 ? [`defaultTags lacks ${missing.join(", ")}`] : [];
            const env = tags?.["environment"];
            if (typeof env === "string" && env !== "" && env !== stack.environment)
                out.push(`defaultTags environment is "${env}" but stack "${stack.ctx.stack}" is ${stack.tier} (environment "${stack.environment}")`);
            return out;
        },
    },
    {
        name: "stateful-resources-protected",
        service: "General",
        description: "In production, every resource that holds data (databases, caches, buckets, vaults, keys) is `protect`ed.",
        rationale: "A protected resource cannot be deleted by `pulumi up`, `destroy` or a replacing change until someone removes the protection on purpose.",
        controls: [
            { framework: "Project", id: "production is safe by default: protect on stateful resources" },
            { framework: "Runbook", id: "3.9 backup strategy" },
        ],
        enforcement: productionOnly("staging and previews are rebuilt from anonymised or synthetic data, and their profiles opt out of protection so they can be torn down."),
        types: STATEFUL_TYPES,
        check: (r) => (r.protect ? [] : ["holds data but is not protected: pass { protect: true } (the stack's protect-stateful-resources setting)"]),
    },
];
