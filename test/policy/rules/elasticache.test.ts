import { elasticacheRules } from "../../../policy/rules/elasticache";
import { levelIn } from "../../../policy/rule";
import { findings, res, ruleNamed, ruleSuite } from "../fixtures";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const good = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    atRestEncryptionEnabled: true,
    kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    authToken: "[secret]",
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    numCacheClusters: 2,
    snapshotRetentionLimit: 7,
    autoMinorVersionUpgrade: true,
    subnetGroupName: "myapp-production-subnets",
    ...over,
});
const cache = (over: Record<string, unknown> = {}) => res(GROUP, good(over), { name: "c" });
const without = (...keys: string[]) => {
    const inputs = good();
    for (const k of keys) delete inputs[k];
    return res(GROUP, inputs, { name: "c" });
};

describe("ElastiCache rules", () => {
    const rule = ruleSuite(elasticacheRules);

    rule("elasticache-encrypted-at-rest", {
        compliant: () => [cache()],
        missing: () => [without("atRestEncryptionEnabled", "kmsKeyId")],
        missingFindings: ["c: atRestEncryptionEnabled is unset: set it to true", "c: no kmsKeyId: encrypt with the stack's data key"],
        wrong: () => [cache({ atRestEncryptionEnabled: false })],
        wrongFindings: ["c: atRestEncryptionEnabled is false: set it to true"],
    });

    rule("elasticache-encrypted-in-transit", {
        compliant: () => [cache()],
        missing: () => [without("transitEncryptionEnabled")],
        missingFindings: ["c: transitEncryptionEnabled is unset: set it to true"],
        wrong: () => [cache({ transitEncryptionMode: "preferred" }), res(GROUP, good({ transitEncryptionEnabled: false }), { name: "d" })],
        wrongFindings: ['c: transitEncryptionMode is "preferred", which admits plain-text clients: set "required"', "d: transitEncryptionEnabled is false: set it to true"],
    });

    rule("elasticache-auth", {
        compliant: () => [cache(), res(GROUP, good({ authToken: undefined, userGroupIds: ["app-users"] }))],
        missing: () => [without("authToken")],
        missingFindings: ["c: neither authToken nor userGroupIds: set an AUTH token (a Pulumi secret) or RBAC user groups"],
        wrong: () => [cache({ authToken: undefined, userGroupIds: [] })],
        wrongFindings: ["c: neither authToken nor userGroupIds: set an AUTH token (a Pulumi secret) or RBAC user groups"],
    });

    rule("elasticache-automatic-failover", {
        compliant: () => [cache(), res(GROUP, good({ numCacheClusters: undefined, replicasPerNodeGroup: 1 }))],
        missing: () => [without("automaticFailoverEnabled", "multiAzEnabled", "numCacheClusters")],
        missingFindings: ["c: automaticFailoverEnabled is unset: set it to true", "c: multiAzEnabled is unset: set it to true", "c: numCacheClusters is unset: failover needs at least 2 nodes"],
        wrong: () => [cache({ automaticFailoverEnabled: false, numCacheClusters: 1 })],
        wrongFindings: ["c: automaticFailoverEnabled is false: set it to true", "c: numCacheClusters is 1: failover needs at least 2 nodes"],
    });

    rule("elasticache-backups", {
        compliant: () => [cache({ snapshotRetentionLimit: 1 })],
        missing: () => [without("snapshotRetentionLimit")],
        missingFindings: ["c: snapshotRetentionLimit is unset: keep at least 1 day of snapshots"],
        wrong: () => [cache({ snapshotRetentionLimit: 0 })],
        wrongFindings: ["c: snapshotRetentionLimit is 0: keep at least 1 day of snapshots"],
    });

    rule("elasticache-auto-minor-version-upgrade", {
        compliant: () => [cache()],
        missing: () => [without("autoMinorVersionUpgrade")],
        missingFindings: [],
        safeDefault: "ElastiCache applies minor versions automatically by default",
        wrong: () => [cache({ autoMinorVersionUpgrade: false })],
        wrongFindings: ["c: autoMinorVersionUpgrade is false: set it to true"],
    });

    rule("elasticache-subnet-group", {
        compliant: () => [cache()],
        missing: () => [without("subnetGroupName")],
        missingFindings: ["c: subnetGroupName is unset: use the stack's aws.elasticache.SubnetGroup"],
        wrong: () => [cache({ subnetGroupName: "default" })],
        wrongFindings: ['c: subnetGroupName is "default": use the stack\'s aws.elasticache.SubnetGroup'],
    });

    it("reports a single-node cache in staging too, where failover is advisory", () => {
        expect(findings("elasticache-automatic-failover", [cache({ numCacheClusters: 1 })], "staging")).toEqual(["c: numCacheClusters is 1: failover needs at least 2 nodes"]);
        expect(levelIn(ruleNamed("elasticache-automatic-failover"), "staging")).toBe("advisory");
        expect(levelIn(ruleNamed("elasticache-automatic-failover"), "production")).toBe("mandatory");
    });
});

describe("ElastiCache rules, more cases", () => {
    it("takes a write-only AUTH token (authTokenWo) as an AUTH token", () => {
        expect(findings("elasticache-auth", [cache({ authToken: undefined, authTokenWo: "[secret]" })])).toEqual([]);
    });

    it("names an explicit false multiAzEnabled", () => {
        expect(findings("elasticache-automatic-failover", [cache({ multiAzEnabled: false })])).toEqual(["c: multiAzEnabled is false: set it to true"]);
    });

    it("counts a cluster-mode group's nodes as its replicas per shard and the primary", () => {
        expect(findings("elasticache-automatic-failover", [cache({ numCacheClusters: undefined, replicasPerNodeGroup: 0 })])).toEqual(["c: numCacheClusters is unset: failover needs at least 2 nodes"]);
        expect(findings("elasticache-automatic-failover", [cache({ numCacheClusters: undefined, replicasPerNodeGroup: "2" })])).toEqual([]);
    });
});
