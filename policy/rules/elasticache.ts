/**
 * ElastiCache (Redis OSS / Valkey) replication groups (`aws:elasticache/replicationGroup:ReplicationGroup`).
 */
import { EVERYWHERE, PolicyRule, productionOnly } from "../rule";
import { asArray, isFalse, isTrue, num, shown, str } from "../values";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

export const elasticacheRules: PolicyRule[] = [
    {
        name: "elasticache-encrypted-at-rest",
        service: "ElastiCache",
        description: "Cache data is encrypted at rest with a customer-managed KMS key.",
        rationale: "Snapshots and swap hold session and cached data; at-rest encryption can only be chosen when the group is created.",
        controls: [
            { framework: "Security Hub FSBP", id: "ElastiCache.4" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-AEC3" },
        ],
        enforcement: EVERYWHERE,
        types: [GROUP],
        check: (r) => {
            const out: string[] = [];
            if (!isTrue(r.inputs["atRestEncryptionEnabled"])) out.push(`atRestEncryptionEnabled is ${shown(r.inputs["atRestEncryptionEnabled"])}: set it to true`);
            if (!str(r.inputs["kmsKeyId"])) out.push("no kmsKeyId: encrypt with the stack's data key");
            return out;
        },
    },
    {
        name: "elasticache-encrypted-in-transit",
        service: "ElastiCache",
        description: "Clients must use TLS (transitEncryptionEnabled, mode required).",
        rationale: "REDIS_URL's AUTH token and every cached value cross the network; mode `preferred` still accepts plain-text clients.",
        controls: [
            { framework: "Security Hub FSBP", id: "ElastiCache.5" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-AEC3" },
        ],
        enforcement: EVERYWHERE,
        types: [GROUP],
        check: (r) => {
            if (!isTrue(r.inputs["transitEncryptionEnabled"])) return [`transitEncryptionEnabled is ${shown(r.inputs["transitEncryptionEnabled"])}: set it to true`];
            return r.inputs["transitEncryptionMode"] === "preferred" ? ['transitEncryptionMode is "preferred", which admits plain-text clients: set "required"'] : [];
        },
    },
    {
        name: "elasticache-auth",
        service: "ElastiCache",
        description: "Clients authenticate: an AUTH token or RBAC user groups.",
        rationale: "Without AUTH anything that reaches the port can read and write every key.",
        controls: [
            { framework: "Security Hub FSBP", id: "ElastiCache.6" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-AEC6" },
        ],
        enforcement: EVERYWHERE,
        types: [GROUP],
        check: (r) =>
            r.inputs["authToken"] !== undefined || r.inputs["authTokenWo"] !== undefined || asArray(r.inputs["userGroupIds"]).length > 0
                ? []
                : ["neither authToken nor userGroupIds: set an AUTH token (a Pulumi secret) or RBAC user groups"],
    },
    {
        name: "elasticache-automatic-failover",
        service: "ElastiCache",
        description: "Production caches have a replica in another Availability Zone and fail over to it automatically.",
        rationale: "With one node, a node or zone failure empties the cache and stops every request that needs it until a replacement is built.",
        controls: [
            { framework: "Security Hub FSBP", id: "ElastiCache.3" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-AEC4" },
        ],
        enforcement: productionOnly("the staging profile runs one node: a cache miss storm there costs nothing but time."),
        types: [GROUP],
        check: (r) => {
            const out: string[] = [];
            if (!isTrue(r.inputs["automaticFailoverEnabled"])) out.push(`automaticFailoverEnabled is ${shown(r.inputs["automaticFailoverEnabled"])}: set it to true`);
            if (!isTrue(r.inputs["multiAzEnabled"])) out.push(`multiAzEnabled is ${shown(r.inputs["multiAzEnabled"])}: set it to true`);
            const nodes = num(r.inputs["numCacheClusters"]) ?? (num(r.inputs["replicasPerNodeGroup"]) !== undefined ? (num(r.inputs["replicasPerNodeGroup"]) ?? 0) + 1 : undefined);
            if (nodes === undefined || nodes < 2) out.push(`numCacheClusters is ${shown(r.inputs["numCacheClusters"])}: failover needs at least 2 nodes`);
            return out;
        },
    },
    {
        name: "elasticache-backups",
        service: "ElastiCache",
        description: "Daily snapshots are kept (snapshotRetentionLimit of at least 1).",
        rationale: "A snapshot lets the cache warm from yesterday's state instead of from nothing after a failure or a bad flush; 0 turns snapshots off.",
        controls: [
            { framework: "Security Hub FSBP", id: "ElastiCache.1" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup" },
        ],
        enforcement: EVERYWHERE,
        types: [GROUP],
        check: (r) => {
            const days = num(r.inputs["snapshotRetentionLimit"]);
            return days !== undefined && days >= 1 ? [] : [`snapshotRetentionLimit is ${shown(r.inputs["snapshotRetentionLimit"])}: keep at least 1 day of snapshots`];
        },
    },
    {
        name: "elasticache-auto-minor-version-upgrade",
        service: "ElastiCache",
        description: "Minor engine versions are applied automatically.",
        rationale: "Minor versions carry the security fixes (runbook 4.3); ElastiCache's default is on.",
        controls: [{ framework: "Security Hub FSBP", id: "ElastiCache.2" }],
        enforcement: EVERYWHERE,
        types: [GROUP],
        check: (r) => (isFalse(r.inputs["autoMinorVersionUpgrade"]) ? ["autoMinorVersionUpgrade is false: set it to true"] : []),
    },
    {
        name: "elasticache-subnet-group",
        service: "ElastiCache",
        description: "The cache sits in the stack's own subnet group, not the default one.",
        rationale: "The default subnet group spans the default VPC's public subnets; the cache belongs in the isolated tier.",
        controls: [{ framework: "Security Hub FSBP", id: "ElastiCache.7" }],
        enforcement: EVERYWHERE,
        types: [GROUP],
        check: (r) => {
            const group = r.inputs["subnetGroupName"];
            return str(group) && group !== "default" ? [] : [`subnetGroupName is ${shown(group)}: use the stack's aws.elasticache.SubnetGroup`];
        },
    },
];
