import type { PlannedResource } from "../../plan/record";
import type { PricingContext } from "../context";
import type { CostLine } from "../model";
import { Priced, arr, obj } from "./types";

/** Kubernetes CPU quantity in cores (`250m`, `1`, `0.5`). */
export function cpuCores(q: unknown): number {
    const s = String(q ?? "0");
    return s.endsWith("m") ? Number(s.slice(0, -1)) / 1000 : Number(s) || 0;
}

const MEMORY_UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** Kubernetes memory or storage quantity in GiB (`256Mi`, `1Gi`, `512M`). */
export function quantityGiB(q: unknown): number {
    const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q ?? "0"));
    if (!m) return 0;
    const factor = m[2] ? MEMORY_UNITS[m[2]] : 1;
    return factor === undefined ? 0 : (Number(m[1]) * factor) / 2 ** 30;
}

/** Replicas a workload runs at rest: its autoscaler's minimum, else `spec.replicas`, else 1. */
function restingReplicas(r: PlannedResource, ctx: PricingContext): number {
    const name = obj(r.inputs["metadata"])["name"];
    const hpa = ctx
        .ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
        .find((h) => obj(obj(h.inputs["spec"])["scaleTargetRef"])["name"] === name && obj(obj(h.inputs["spec"])["scaleTargetRef"])["kind"] === r.type.split(":").pop());
    const min = obj(hpa?.inputs["spec"])["minReplicas"];
    const replicas = obj(r.inputs["spec"])["replicas"];
    return typeof min === "number" ? min : typeof replicas === "number" ? replicas : 1;
}

/**
 * A Deployment or StatefulSet on a cluster whose nodes this stack does not own (a `pr-<N>`
 * preview on the staging cluster): its share of a node, the larger of its CPU and memory requests
 * over the node's, and the EBS volumes its claim templates create. A stack that owns its nodes
 * pays for them on the node group instead.
 */
export function workload(r: PlannedResource, ctx: PricingContext): Priced {
    const node = ctx.clusterNode;
    if (!node) return { free: "runs on the cluster's nodes: priced on the node group" };
    const spec = obj(obj(obj(r.inputs["spec"])["template"])["spec"]);
    const containers = arr(spec["containers"]).map(obj);
    const cpu = containers.reduce((s, c) => s + cpuCores(obj(obj(c["resources"])["requests"])["cpu"]), 0);
    const mem = containers.reduce((s, c) => s + quantityGiB(obj(obj(c["resources"])["requests"])["memory"]), 0);
    const replicas = restingReplicas(r, ctx);
    const share = Math.max(cpu / node.vcpu, mem / node.memoryGiB);
    const lines: CostLine[] = [
        ctx.line(`${replicas} pod(s) requesting ${cpu} vCPU and ${mem.toFixed(2)} GiB: ${(share * 100).toFixed(1)}% of a ${node.instanceType} node each`, replicas * share * ctx.hoursPerMonth, node.priceKey, node.region, {
            note: `the ${node.stack} node group's capacity these pods hold; it becomes an extra node only when the group is full`,
        }),
    ];
    const claims = arr(obj(r.inputs["spec"])["volumeClaimTemplates"]).map(obj);
    const claimGiB = claims.reduce((s, c) => s + quantityGiB(obj(obj(obj(c["spec"])["resources"])["requests"])["storage"]), 0);
    if (claimGiB > 0) {
        lines.push(
            ctx.line(`${replicas} × ${claimGiB} GiB persistent volumes`, replicas * claimGiB, "ebs.gp3", node.region, {
                note: "EBS gp3 through the cluster's default StorageClass; the claims name none",
            }),
        );
    }
    return { lines };
}
