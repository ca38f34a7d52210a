import { MOCK_ACCOUNT_ID } from "./mark";
import type { MockFn, MockRequest, State } from "./kit";

/**
 * Kubernetes objects as the Pulumi provider reports them: `metadata.name` autonamed
 * `<logical name>-<8 characters>` when the program gives none, `metadata.namespace` defaulted for
 * namespaced kinds, a `metadata.uid`, and the id `<namespace>/<name>` (the name alone for
 * cluster-scoped kinds). Helm releases are `<namespace>/<release name>`.
 */

/** Kinds that live outside namespaces (the ones this program or its charts create). */
const CLUSTER_SCOPED = /:(Namespace|ClusterRole|ClusterRoleBinding|CustomResourceDefinition|PersistentVolume|StorageClass|PriorityClass|ValidatingWebhookConfiguration|MutatingWebhookConfiguration|APIService|IngressClass)$/;

/** What Pulumi's Kubernetes provider appends to an autonamed object: here the account's first eight digits. */
const K8S_AUTONAME_SUFFIX = `-${MOCK_ACCOUNT_ID.slice(0, 8)}`;

/** Any Kubernetes object (the package's answer for every kind). */
export const kubernetesObject: MockFn = (r: MockRequest) => {
    const metadata: State = { ...((r.inputs["metadata"] as State | undefined) ?? {}) };
    if (metadata["name"] === undefined) metadata["name"] = `${r.name}${K8S_AUTONAME_SUFFIX}`;
    const namespaced = !CLUSTER_SCOPED.test(r.type);
    if (namespaced && metadata["namespace"] === undefined) metadata["namespace"] = "default";
    metadata["uid"] = r.uuid("uid");
    const id = namespaced ? `${String(metadata["namespace"])}/${String(metadata["name"])}` : String(metadata["name"]);
    return { id, outputs: { metadata } };
};

export const KUBERNETES: Record<string, MockFn> = {
    "kubernetes:helm.sh/v3:Release": (r) => {
        const name = r.str("name") ?? `${r.name}${K8S_AUTONAME_SUFFIX}`;
        const namespace = r.str("namespace") ?? "default";
        return { id: `${namespace}/${name}`, outputs: { name, namespace, status: { name, namespace, status: "deployed", version: 1 } } };
    },
};
