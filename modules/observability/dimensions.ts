import * as pulumi from "@pulumi/pulumi";

/**
 * The dimensions CloudWatch identifies monitored resources by, derived from what the resources
 * themselves expose: pure, so the alarms, the dashboards and the tests derive them alike.
 */

/** `arn:...:loadbalancer/app/<name>/<id>` → `app/<name>/<id>`, the ALB's metric dimension. */
export function loadBalancerArnSuffix(arn: string): string {
    return arn.replace(/^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:loadbalancer\//, "");
}

/** `arn:...:targetgroup/<name>/<id>` → `targetgroup/<name>/<id>`, the target group's metric dimension. */
export function targetGroupArnSuffix(arn: string): string {
    return arn.replace(/^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:/, "");
}

/** The member clusters (nodes) of a replication group without cluster mode: `<id>-001`, `<id>-002`... */
export function cacheClusterIds(replicationGroupId: string, nodes: number): string[] {
    return Array.from({ length: nodes }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

/** The same, from the replication group's output (the node count is a setting, known at plan time). */
export function cacheNodeIds(replicationGroupId: pulumi.Input<string>, nodes: number): Array<pulumi.Output<string>> {
    return Array.from({ length: nodes }, (_, i) => pulumi.output(replicationGroupId).apply((id) => cacheClusterIds(id, nodes)[i]!));
}
