import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Mock outputs of the data layer's resources (RDS, ElastiCache, AWS Backup), in the shapes AWS
 * gives them: endpoints, resource ids, ARNs with their real formats. Deterministic, like the rest
 * of the mocks.
 */

type State = Record<string, unknown>;

function hex(n: number, ...parts: string[]): string {
    return crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, n);
}

/** `us-east-1` → `use1`, as ElastiCache endpoints abbreviate regions. */
function shortRegion(region: string): string {
    const [geo = "", dir = "", n = ""] = region.split("-");
    return `${geo}${dir.replace(/(north|south|east|west|central)/g, (m) => m[0]!)}${n}`;
}

/** The id AWS gives a data-layer resource when it is not its name, or undefined. */
export function dataResourceId(args: pulumi.runtime.MockResourceArgs, region: string, account: string): string | undefined {
    switch (args.type) {
        case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
            // The resource's id is the ARN of the replicated automated backups, in the DR region.
            return `arn:aws:rds:${region}:${account}:auto-backup:ab-${hex(26, args.type, args.name)}`;
        case "aws:backup/plan:Plan":
            return `${hex(8, args.name)}-${hex(4, "a", args.name)}-${hex(4, "b", args.name)}-${hex(4, "c", args.name)}-${hex(12, "d", args.name)}`;
        default:
            return undefined;
    }
}

/** Outputs of a data-layer resource, merged over the mocks' generic state. */
export function dataResourceOutputs(args: pulumi.runtime.MockResourceArgs, ctx: { id: string; region: string; pname: string; account: string }): State {
    const { id, region, pname, account } = ctx;
    const inputs = args.inputs;
    const salt = hex(12, args.type, args.name);
    switch (args.type) {
        case "aws:rds/instance:Instance": {
            const address = `${pname}.${salt}.${region}.rds.amazonaws.com`;
            const port = typeof inputs["port"] === "number" ? inputs["port"] : 5432;
            return {
                identifier: pname,
                arn: `arn:aws:rds:${region}:${account}:db:${pname}`,
                address,
                port,
                endpoint: `${address}:${port}`,
                resourceId: `db-${hex(26, "resource", args.name).toUpperCase()}`,
                hostedZoneId: "Z2R2ITUGPM61AM",
                status: "available",
            };
        }
        case "aws:rds/subnetGroup:SubnetGroup":
        case "aws:rds/parameterGroup:ParameterGroup":
            return { name: pname, arn: `arn:aws:rds:${region}:${account}:${args.type.includes("subnet") ? "subgrp" : "pg"}:${pname}` };
        case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
            return { id };
        case "aws:elasticache/replicationGroup:ReplicationGroup": {
            const host = `${pname}.${hex(6, args.name)}.${shortRegion(region)}.cache.amazonaws.com`;
            return {
                replicationGroupId: pname,
                arn: `arn:aws:elasticache:${region}:${account}:replicationgroup:${pname}`,
                primaryEndpointAddress: `master.${host}`,
                readerEndpointAddress: `replica.${host}`,
                memberClusters: Array.from({ length: typeof inputs["numCacheClusters"] === "number" ? inputs["numCacheClusters"] : 1 }, (_, i) => `${pname}-00${i + 1}`),
            };
        }
        case "aws:elasticache/subnetGroup:SubnetGroup":
            return { name: pname, arn: `arn:aws:elasticache:${region}:${account}:subnetgroup:${pname}` };
        case "aws:backup/vault:Vault":
            return { name: pname, arn: `arn:aws:backup:${region}:${account}:backup-vault:${pname}`, recoveryPoints: 0 };
        case "aws:backup/plan:Plan":
            return { arn: `arn:aws:backup:${region}:${account}:backup-plan:${id}`, version: hex(32, "version", args.name) };
        case "aws:backup/restoreTestingPlan:RestoreTestingPlan":
            return { name: pname, arn: `arn:aws:backup:${region}:${account}:restore-testing-plan:${pname}-${hex(8, args.name)}` };
        case "aws:cloudwatch/eventRule:EventRule":
            return { name: pname, arn: `arn:aws:events:${region}:${account}:rule/${pname}` };
        default:
            return {};
    }
}
