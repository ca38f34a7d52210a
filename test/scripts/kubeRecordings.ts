import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INode } from "kubernetes-models/v1/Node";
import type { IPod } from "kubernetes-models/v1/Pod";
import { KubernetesObject, validateKubernetesObjects } from "../helpers/kubernetesSchema";
import { ago } from "./recordings";

/**
 * Recorded `kubectl get ... -o json` answers. Typed with kubernetes-models' interfaces (from the
 * Kubernetes OpenAPI schema) and validated against that schema (`validated`), so a recording
 * cannot hold a shape a real API server would not send. The validator runs in a process of its
 * own (test/helpers/kubernetesSchema.ts), so every list a test file recorded is validated once,
 * together, when the file's tests are done: an invalid one fails the file.
 */

const recorded: KubernetesObject[] = [];

afterAll(() => {
    expect(recorded.length).toBeGreaterThan(0);
    const results = validateKubernetesObjects(recorded);
    // A list without a schema (a mistyped kind) fails too: only "valid" passes.
    expect(results.flatMap((r, i) => (r.kind === "valid" ? [] : [{ list: recorded[i]!.type, ...r }]))).toEqual([]);
});

/** A node, Ready or not. */
export function node(name: string, ready = true): INode {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, labels: { "eks.amazonaws.com/nodegroup": "myapp-production-general" } },
        spec: { providerID: `aws:///us-east-1a/i-0${name.length}abcdef12345678` },
        status: {
            conditions: [
                { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", lastTransitionTime: ago(100).toISOString() },
                { type: "Ready", status: ready ? "True" : "False", reason: ready ? "KubeletReady" : "KubeletNotReady", lastTransitionTime: ago(1).toISOString() },
            ],
            nodeInfo: {
                architecture: "arm64",
                bootID: "b",
                containerRuntimeVersion: "containerd://1.7.27",
                kernelVersion: "6.1.0",
                kubeProxyVersion: "v1.35.6-eks",
                kubeletVersion: "v1.35.6-eks",
                machineID: "m",
                operatingSystem: "linux",
                osImage: "Amazon Linux 2023",
                systemUUID: "s",
            },
        },
    };
}

/** The app's Deployment with `ready` of `replicas` pods ready. */
export function deployment(name: string, replicas: number, ready: number): IDeployment {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: "myapp", generation: 4 },
        spec: {
            replicas,
            selector: { matchLabels: { "app.kubernetes.io/name": "app" } },
            template: { metadata: { labels: { "app.kubernetes.io/name": "app" } }, spec: { containers: [{ name: "app", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/production/app:1.0.0" }] } },
        },
        status: { observedGeneration: 4, replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready },
    };
}

/** A pod: Running and Ready, Running and not Ready (`waiting` gives the container's reason), or a finished Job's. */
export function pod(name: string, state: "ready" | "succeeded" | { waiting: string }): IPod {
    const ready = state === "ready";
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: "myapp" },
        spec: { containers: [{ name: "app", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/production/app:1.0.0" }] },
        status: {
            phase: state === "succeeded" ? "Succeeded" : "Running",
            conditions: [{ type: "Ready", status: ready ? "True" : "False", ...(state === "succeeded" ? { reason: "PodCompleted" } : {}) }],
            containerStatuses: [
                {
                    name: "app",
                    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/production/app:1.0.0",
                    imageID: "sha256:0",
                    ready,
                    restartCount: typeof state === "object" ? 7 : 0,
                    state:
                        typeof state === "object"
                            ? { waiting: { reason: state.waiting } }
                            : state === "succeeded"
                              ? { terminated: { exitCode: 0, reason: "Completed" } }
                              : { running: { startedAt: ago(2).toISOString() } },
                },
            ],
        },
    };
}

/** A `kubectl get <kind> -o json` list, validated against the schema (when the file's tests are done). */
export function validated(kind: "NodeList" | "PodList" | "DeploymentList", items: Array<INode | IPod | IDeployment>): object {
    const list = { apiVersion: kind === "DeploymentList" ? "apps/v1" : "v1", kind, metadata: { resourceVersion: "123456" }, items };
    recorded.push({ type: `kubernetes:${kind === "DeploymentList" ? "apps" : "core"}/v1:${kind}`, inputs: list });
    return { ...list, apiVersion: "v1", kind: "List" };
}
