import type { Plan } from "../plan/record";
import type { ClusterNode } from "./context";
import { arr, obj } from "./pricers/types";
import type { Prices } from "./priceTable";

/**
 * The cluster stack a preview stack runs on: the last segment of its StackReference's name
 * (`organization/ops/staging` → `staging`), or undefined for a stack that owns its cluster.
 */
export function clusterStackOf(plan: Plan): string | undefined {
    const ref = plan.resources.find((r) => r.type === "pulumi:pulumi:StackReference");
    const name = ref ? String(ref.inputs["name"] ?? "") : "";
    return name ? name.split("/").pop() : undefined;
}

/**
 * The node a preview's pods share, from the cluster stack's plan: its node group's first instance
 * type, with that type's vCPUs, memory and hourly price. Throws when the plan has no node group or
 * the price table lacks the type.
 */
export function clusterNodeOf(clusterPlan: Plan, prices: Prices): ClusterNode {
    const group = clusterPlan.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
    if (!group) throw new Error(`Stack ${clusterPlan.stack} has no EKS node group: a preview's share of its nodes cannot be priced.`);
    const type = String(arr(group.inputs["instanceTypes"])[0] ?? "t3.medium");
    const provider = clusterPlan.resources.find((r) => r.urn === group.provider);
    const region = String(obj(provider?.inputs)["region"] ?? "us-east-1");
    const key = `ec2.instance/${type}`;
    const entry = prices.entry(key);
    const price = prices.find(key, region);
    if (!entry?.spec || !price) throw new Error(`No price or size for ${type} in ${region} in tools/cost/prices/prices.json: add the entry ${key}.`);
    return { stack: clusterPlan.stack, instanceType: type, region, vcpu: entry.spec.vcpu, memoryGiB: entry.spec.memoryGiB, hourlyUsd: price.usd, priceKey: key };
}
