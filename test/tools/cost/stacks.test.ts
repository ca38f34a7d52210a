import * as fs from "fs";
import * as path from "path";
import { diffEstimates } from "../../../tools/cost/delta";
import { estimateCost } from "../../../tools/cost/estimate";
import type { CostEstimate } from "../../../tools/cost/model";
import { Prices, loadPriceTable } from "../../../tools/cost/priceTable";
import { clusterNodeOf, clusterStackOf } from "../../../tools/cost/preview";
import { loadPlan } from "../../helpers/plan";
import { planWith } from "../../helpers/planWith";
import { PREVIEW_STACK, ROOT, SECRET_SENTINELS } from "../../helpers/stacks";

// The committed stacks with the committed prices and assumptions, on a fixed day: when a price,
// an assumption or a stack changes, these figures (and the table in docs/cost.md) change with it.
const AS_OF = "2026-12-01";
const prices = new Prices(loadPriceTable());
const estimate = (stack: string): CostEstimate => estimateCost(loadPlan(stack), { prices, asOf: AS_OF });
const resource = (e: CostEstimate, type: string, name?: string) => e.resources.find((r) => r.type === type && (name === undefined || r.name === name))!;

describe("the committed stacks", () => {
    test.each([
        ["staging", 506.35],
        // With its standby footprint in us-west-2 (the replica, the DR VPC, the standby ALB, the mirror): +$752.47.
        ["production", 2238.51],
        // The rebuild on the standby: no database, VPC or ALB of its own (production pays for them).
        ["production-dr", 682.48],
        ["production-dr-drill", 1048.02],
        ["dev", 0],
    ])("%s is estimated at $%d a month", (stack, total) => {
        expect(estimate(stack).totalMonthlyUsd).toBe(total);
    });

    test("production: the database and its standing DR replica, the cache and the nodes lead", () => {
        const e = estimate("production");
        const top = [...e.resources].sort((a, b) => b.monthlyUsd - a.monthlyUsd).slice(0, 4);
        expect(top.map((r) => [r.type, r.name, r.monthlyUsd])).toEqual([
            ["aws:rds/instance:Instance", "myapp-production", 352.66], // db.r6g.large Multi-AZ 328.50 + 100 GiB gp3 23.00 + backups 1.16
            // The replica: the source's class, Multi-AZ and storage (inherited), in us-west-2.
            ["aws:rds/instance:Instance", "myapp-production-dr-replica", 352.66],
            ["aws:elasticache/replicationGroup:ReplicationGroup", "myapp-production", 319.74], // 2 × cache.r7g.large
            ["aws:eks/nodeGroup:NodeGroup", "myapp-production-nodes", 222.24], // 3 × m6i.large 210.24 + 3 × 50 GiB gp3 12.00
        ]);
        expect(resource(e, "aws:ec2/natGateway:NatGateway").lines[0]!.monthlyUsd).toBe(32.85);
        // Three in each VPC: production's, and the standby's DR VPC.
        expect(e.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").map((r) => r.region)).toEqual(["us-east-1", "us-east-1", "us-east-1", "us-west-2", "us-west-2", "us-west-2"]);
    });

    test("every AWS resource of every stack is priced or free, but the restore test, which is listed as unpriced", () => {
        for (const stack of ["staging", "production", "production-dr", "production-dr-drill"]) {
            const e = estimate(stack);
            expect(e.resources.length).toBeGreaterThan(100);
            expect(e.unpriced.map((u) => u.type)).toEqual(
                stack === "staging" || stack === "production-dr-drill" ? [] : ["aws:backup/restoreTestingPlan:RestoreTestingPlan", "aws:backup/restoreTestingSelection:RestoreTestingSelection"],
            );
        }
    });

    test("the DR rebuild prices every resource in us-west-2: nothing of it is in us-east-1", () => {
        const e = estimate("production-dr");
        expect(resource(e, "aws:eks/cluster:Cluster").region).toBe("us-west-2");
        expect(e.resources.filter((r) => typeof r.region === "string" && r.region !== "us-west-2").map((r) => `${r.type} ${r.name} ${String(r.region)}`)).toEqual([]);
    });

    test("the clusters' Kubernetes version is in standard support today, and the estimate warns once it is past it", () => {
        expect(estimate("staging").warnings.join("\n")).not.toMatch(/standard support/);
        const later = estimateCost(loadPlan("staging"), { prices, asOf: "2027-04-01" });
        expect(later.warnings.join("\n")).toMatch(/1\.35 left standard support on 2027-03-27/);
    });

    test("a pr-<N> preview adds its pods' share of a staging node and its volumes", () => {
        const preview = loadPlan(PREVIEW_STACK);
        expect(clusterStackOf(preview)).toBe("staging");
        const node = clusterNodeOf(loadPlan("staging"), prices);
        expect(node).toMatchObject({ instanceType: "t3.large", vcpu: 2, memoryGiB: 8, hourlyUsd: 0.0832 });
        const e = estimateCost(preview, { prices, asOf: AS_OF, clusterNode: node });
        // app: 0.25 vCPU of 2 = 12.5% × 730 h × 0.0832 = 7.592; each store: 0.1 vCPU = 5% = 3.0368, + 1 GiB gp3 0.08
        expect(e.totalMonthlyUsd).toBe(13.83);
        expect(estimateCost(preview, { prices, asOf: AS_OF }).totalMonthlyUsd).toBe(0);
    });

    test("docs/cost.md shows each stack's current total", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "cost.md"), "utf8");
        for (const stack of ["staging", "production", "production-dr", "production-dr-drill"]) {
            const total = estimate(stack).totalMonthlyUsd.toLocaleString("en-US", { minimumFractionDigits: 2 });
            expect(doc).toContain(`| \`${stack}\` | $${total} |`);
        }
    });
});

describe("what a settings change costs on staging", () => {
    const base = () => estimate("staging");
    const head = async (env: Record<string, string>) => estimateCost(await planWith({ stack: "staging", env: { ...SECRET_SENTINELS, ...env } }), { prices, asOf: AS_OF });

    test("database.multiAz: true doubles the instance and storage rates", async () => {
        const d = diffEstimates(base(), await head({ OPS_DATABASE__MULTI_AZ: "true" }));
        // db.t4g.medium 47.45 → 94.90, 50 GiB gp3 5.75 → 11.50
        expect(d.resources.find((r) => r.type === "aws:rds/instance:Instance")!.deltaMonthlyUsd).toBe(53.2);
        expect(d.deltaMonthlyUsd).toBe(53.2);
    });

    test("network.natGateways: perZone adds two gateways and their addresses; the traffic stays the same", async () => {
        const d = diffEstimates(base(), await head({ OPS_NETWORK__NAT_GATEWAYS: "perZone" }));
        const added = d.resources.filter((r) => r.change === "added");
        expect(added.map((r) => r.type).sort()).toEqual(["aws:ec2/eip:Eip", "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway", "aws:ec2/natGateway:NatGateway"]);
        // 2 × 32.85 gateway hours + 2 × 3.65 addresses; the 50 GiB of traffic is split three ways instead of one
        expect(d.deltaMonthlyUsd).toBe(73);
    });

    test("one more node: an instance and its root volume", async () => {
        const d = diffEstimates(base(), await head({ OPS_CLUSTER__NODE_GROUP__DESIRED_SIZE: "3" }));
        expect(d.resources).toEqual([expect.objectContaining({ type: "aws:eks/nodeGroup:NodeGroup", change: "changed", deltaMonthlyUsd: 64.74 })]); // 730 × 0.0832 + 50 × 0.08
        expect(d.deltaMonthlyUsd).toBeCloseTo(64.74, 1); // plus the new node's share of per-node usage
    });
});
