import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * How a stack without a cluster of its own reaches one, and the one secret such a stack makes
 * for the app itself. Cloud stacks get their provider from the cluster module instead.
 */

/** The stack output a cluster stack (staging) exports for the stacks that borrow its cluster: its kubeconfig, secret. */
export const CLUSTER_KUBECONFIG_OUTPUT = "kubeconfig";

/** A local cluster (kind, k3d, minikube, Docker Desktop) by kube context or kubeconfig; neither: the current context. */
export function localClusterProvider(name: string, args: { context?: string; kubeconfig?: string }): k8s.Provider {
    return new k8s.Provider(name, {
        ...(args.context ? { context: args.context } : {}),
        ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
    });
}

/**
 * Another stack's cluster, through a StackReference to that stack's `kubeconfig` output (a
 * secret, and kept one here).
 */
export function borrowedClusterProvider(name: string, args: { stackReferenceName: string; clusterStack: string }): k8s.Provider {
    const cluster = new pulumi.StackReference(args.stackReferenceName, { name: args.clusterStack });
    return new k8s.Provider(name, { kubeconfig: pulumi.secret(cluster.requireOutput(CLUSTER_KUBECONFIG_OUTPUT).apply(String)) });
}

/** SECRET_KEY of a stack without Secrets Manager (dev, pr-<N>): 256 random bits, base64 (runbook 2.2), a Pulumi secret. */
export function generatedSecretKey(name: string, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
    return pulumi.secret(new random.RandomBytes(name, { length: 32 }, opts).base64);
}
