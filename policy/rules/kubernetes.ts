/**
 * Kubernetes objects: the restricted Pod Security Standard, resources, probes, pinned images,
 * service account tokens and disruption budgets. Inputs are the objects as the Kubernetes API
 * takes them (`spec.template.spec.containers[*].securityContext`, ...).
 */
import { EVERYWHERE, PolicyResource, PolicyRule, StackView, exceptDevelopment } from "../rule";
import { asArray, asObject, at, isFalse, isTrue, num, shown, str } from "../values";

const POD = "kubernetes:core/v1:Pod";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
const REPLICA_SET = "kubernetes:apps/v1:ReplicaSet";
const JOB = "kubernetes:batch/v1:Job";
const CRON_JOB = "kubernetes:batch/v1:CronJob";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const BINDINGS = ["kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"];
const HELM = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];

/** Every object that carries a pod template. */
export const WORKLOAD_TYPES = [POD, DEPLOYMENT, STATEFUL_SET, DAEMON_SET, REPLICA_SET, JOB, CRON_JOB] as const;
/** Workloads whose pods run until replaced (probes matter; Jobs run to completion). */
export const LONG_RUNNING_TYPES = [POD, DEPLOYMENT, STATEFUL_SET, DAEMON_SET, REPLICA_SET] as const;

/** The volume types the restricted profile allows. */
export const RESTRICTED_VOLUME_TYPES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"] as const;

/** The pod spec of a workload. */
export function podSpecOf(r: PolicyResource): Record<string, unknown> {
    if (r.type === POD) return asObject(r.inputs["spec"]) ?? {};
    if (r.type === CRON_JOB) return asObject(at(r.inputs, "spec", "jobTemplate", "spec", "template", "spec")) ?? {};
    return asObject(at(r.inputs, "spec", "template", "spec")) ?? {};
}

/** The labels the pods of a Deployment or StatefulSet carry (their template's). */
function podLabelsOf(r: PolicyResource): Record<string, unknown> {
    return asObject(at(r.inputs, "spec", "template", "metadata", "labels")) ?? {};
}

/** Every container of a pod spec (init and ephemeral ones included), with its kind for messages. */
function containersOf(spec: Record<string, unknown>): { label: string; c: Record<string, unknown> }[] {
    return (["containers", "initContainers", "ephemeralContainers"] as const).flatMap((k) =>
        asArray(spec[k])
            .map(asObject)
            .filter((c): c is Record<string, unknown> => c !== undefined)
            .map((c) => ({ label: `${k === "containers" ? "container" : k === "initContainers" ? "init container" : "ephemeral container"} ${shown(c["name"])}`, c })),
    );
}

/** A container's setting, else the pod's (securityContext fields the pod may set for all). */
function effective(spec: Record<string, unknown>, c: Record<string, unknown>, key: string): unknown {
    return at(c, "securityContext", key) ?? at(spec, "securityContext", key);
}

/** A problem per container that fails a test. */
function perContainer(r: PolicyResource, test: (c: Record<string, unknown>, spec: Record<string, unknown>) => string | undefined): string[] {
    const spec = podSpecOf(r);
    return containersOf(spec).flatMap(({ label, c }) => {
        const problem = test(c, spec);
        return problem ? [`${label}: ${problem}`] : [];
    });
}

/** Whether an image reference names a tag other than `latest`, or a digest. */
export function pinned(image: unknown): boolean {
    if (typeof image !== "string" || image === "") return false;
    if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
    const last = image.slice(image.lastIndexOf("/") + 1);
    const colon = last.lastIndexOf(":");
    return colon > 0 && last.slice(colon + 1) !== "" && last.slice(colon + 1) !== "latest";
}

/** Whether a service account is bound to a role in the stack: its pods need the API, and the token. */
function boundServiceAccount(stack: StackView, namespace: unknown, name: string): boolean {
    return stack
        .ofType(...BINDINGS)
        .some((b) => asArray(b.inputs["subjects"]).some((s) => at(s, "kind") === "ServiceAccount" && at(s, "name") === name && (at(s, "namespace") ?? at(b.inputs, "metadata", "namespace")) === namespace));
}

/** The replicas a workload runs at least: its HPA's minReplicas, else spec.replicas (default 1). */
function minReplicas(r: PolicyResource, stack: StackView): number {
    const namespace = at(r.inputs, "metadata", "namespace");
    const hpa = stack
        .ofType(HPA)
        .find((h) => at(h.inputs, "spec", "scaleTargetRef", "name") === at(r.inputs, "metadata", "name") && at(h.inputs, "spec", "scaleTargetRef", "kind") === String(r.type.split(":").pop()) && at(h.inputs, "metadata", "namespace") === namespace);
    return num(at(hpa?.inputs, "spec", "minReplicas")) ?? num(at(r.inputs, "spec", "replicas")) ?? 1;
}

/** Whether a disruption budget lets at least one of `replicas` pods go. */
function allowsDisruption(pdb: PolicyResource, replicas: number): boolean {
    const maxUnavailable = at(pdb.inputs, "spec", "maxUnavailable");
    const minAvailable = at(pdb.inputs, "spec", "minAvailable");
    const percent = (v: unknown): number | undefined => (typeof v === "string" && v.endsWith("%") ? num(v.slice(0, -1)) : undefined);
    if (maxUnavailable !== undefined) return (num(maxUnavailable) ?? 0) >= 1 || (percent(maxUnavailable) ?? 0) * replicas >= 100;
    if (minAvailable !== undefined) return num(minAvailable) !== undefined ? (num(minAvailable) ?? replicas) < replicas : Math.ceil(((percent(minAvailable) ?? 100) * replicas) / 100) < replicas;
    return false;
}

const PSS = (control: string) => ({ framework: "Pod Security Standards" as const, id: control });

export const kubernetesRules: PolicyRule[] = [
    {
        name: "k8s-namespace-restricted",
        service: "Kubernetes",
        description: "Namespaces enforce the restricted Pod Security Standard (pod-security.kubernetes.io/enforce: restricted).",
        rationale: "Pod Security Admission then refuses any pod that breaks the rules below, whatever creates it (a Helm chart, kubectl during an incident).",
        controls: [PSS("restricted"), { framework: "CIS Amazon EKS Benchmark", id: "4.2" }],
        enforcement: EVERYWHERE,
        types: [NAMESPACE],
        check: (ns) => {
            const level = at(ns.inputs, "metadata", "labels", "pod-security.kubernetes.io/enforce");
            return level === "restricted" ? [] : [`label pod-security.kubernetes.io/enforce is ${shown(level)}: set "restricted"`];
        },
    },
    {
        name: "k8s-run-as-non-root",
        service: "Kubernetes",
        description: "Every container must run as a non-root user (runAsNonRoot true, runAsUser not 0).",
        rationale: "Root in a container is root on the node the moment a kernel or runtime escape appears.",
        controls: [PSS("restricted: Running as Non-root"), PSS("restricted: Running as Non-root user"), { framework: "CIS Amazon EKS Benchmark", id: "4.2.6" }],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) =>
            perContainer(r, (c, spec) => {
                if (!isTrue(effective(spec, c, "runAsNonRoot"))) return `runAsNonRoot is ${shown(effective(spec, c, "runAsNonRoot"))}: set securityContext.runAsNonRoot: true`;
                return num(effective(spec, c, "runAsUser")) === 0 ? "runAsUser is 0 (root)" : undefined;
            }),
    },
    {
        name: "k8s-no-privilege-escalation",
        service: "Kubernetes",
        description: "No container may gain privileges (allowPrivilegeEscalation false).",
        rationale: "Unset, a setuid binary in the image can make the process more privileged than its user.",
        controls: [PSS("restricted: Privilege Escalation"), { framework: "CIS Amazon EKS Benchmark", id: "4.2.5" }],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) => perContainer(r, (c) => (isFalse(at(c, "securityContext", "allowPrivilegeEscalation")) ? undefined : `allowPrivilegeEscalation is ${shown(at(c, "securityContext", "allowPrivilegeEscalation"))}: set false`)),
    },
    {
        name: "k8s-drop-all-capabilities",
        service: "Kubernetes",
        description: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE.",
        rationale: "The runtime's default capabilities (NET_RAW, CHOWN, SETUID...) are what most container escapes and network spoofing start from.",
        controls: [PSS("restricted: Capabilities"), { framework: "CIS Amazon EKS Benchmark", id: "4.2.9" }],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) =>
            perContainer(r, (c) => {
                if (!asArray(at(c, "securityContext", "capabilities", "drop")).includes("ALL")) return 'securityContext.capabilities.drop lacks "ALL"';
                const added = asArray(at(c, "securityContext", "capabilities", "add")).filter((x) => x !== "NET_BIND_SERVICE");
                return added.length > 0 ? `adds capabilities ${added.map(String).join(", ")}` : undefined;
            }),
    },
    {
        name: "k8s-seccomp",
        service: "Kubernetes",
        description: "Every container runs under a seccomp profile (RuntimeDefault or Localhost).",
        rationale: "Without seccomp every system call is open to the process, including the rarely used ones most kernel exploits need.",
        controls: [PSS("restricted: Seccomp")],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) =>
            perContainer(r, (c, spec) => {
                const type = at(c, "securityContext", "seccompProfile", "type") ?? at(spec, "securityContext", "seccompProfile", "type");
                return type === "RuntimeDefault" || type === "Localhost" ? undefined : `seccompProfile.type is ${shown(type)}: set "RuntimeDefault"`;
            }),
    },
    {
        name: "k8s-no-privileged-containers",
        service: "Kubernetes",
        description: "No container is privileged.",
        rationale: "A privileged container has every device and capability of the node: it is the node.",
        controls: [PSS("baseline: Privileged Containers"), { framework: "CIS Amazon EKS Benchmark", id: "4.2.1" }],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) => perContainer(r, (c) => (isTrue(at(c, "securityContext", "privileged")) ? "privileged is true" : undefined)),
    },
    {
        name: "k8s-no-host-namespaces",
        service: "Kubernetes",
        description: "No pod shares the node's network, process or IPC namespace.",
        rationale: "hostNetwork exposes every node port and the instance metadata service; hostPID and hostIPC let the pod see and signal the node's processes.",
        controls: [PSS("baseline: Host Namespaces"), { framework: "CIS Amazon EKS Benchmark", id: "4.2.2" }, { framework: "CIS Amazon EKS Benchmark", id: "4.2.4" }],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) => {
            const spec = podSpecOf(r);
            return (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => isTrue(spec[k])).map((k) => `${k} is true`);
        },
    },
    {
        name: "k8s-volume-types",
        service: "Kubernetes",
        description: `Pods mount only the volume types the restricted profile allows (${RESTRICTED_VOLUME_TYPES.join(", ")}).`,
        rationale: "hostPath reads and writes the node's disk; network volume types bypass the storage classes the cluster controls.",
        controls: [PSS("restricted: Volume Types"), PSS("baseline: HostPath Volumes")],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) =>
            asArray(podSpecOf(r)["volumes"]).flatMap((v) => {
                const kinds = Object.keys(asObject(v) ?? {}).filter((k) => k !== "name");
                const bad = kinds.filter((k) => !(RESTRICTED_VOLUME_TYPES as readonly string[]).includes(k));
                return bad.length > 0 ? [`volume ${shown(at(v, "name"))} is ${bad.join(", ")}`] : [];
            }),
    },
    {
        name: "k8s-no-host-ports",
        service: "Kubernetes",
        description: "No container binds a port on the node (hostPort).",
        rationale: "A host port bypasses the Service and the load balancer's security group, and pins the pod to nodes where the port is free.",
        controls: [PSS("baseline: Host Ports")],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) =>
            perContainer(r, (c) => {
                const ports = asArray(c["ports"]).filter((p) => (num(at(p, "hostPort")) ?? 0) !== 0);
                return ports.length > 0 ? `hostPort ${ports.map((p) => String(at(p, "hostPort"))).join(", ")}` : undefined;
            }),
    },
    {
        name: "k8s-read-only-root-filesystem",
        service: "Kubernetes",
        description: "Every container's root filesystem is read-only (writes go to mounted volumes such as /tmp).",
        rationale: "An attacker who gets code execution cannot drop tools or alter the application in place; the app writes only to /tmp (README: develop locally).",
        controls: [{ framework: "CIS Amazon EKS Benchmark", id: "4.6.2" }],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) => perContainer(r, (c) => (isTrue(at(c, "securityContext", "readOnlyRootFilesystem")) ? undefined : `readOnlyRootFilesystem is ${shown(at(c, "securityContext", "readOnlyRootFilesystem"))}: set true`)),
    },
    {
        name: "k8s-resources",
        service: "Kubernetes",
        description: "Every container requests CPU and memory and limits its memory.",
        rationale: "The scheduler places pods by their requests and the autoscaler scales on utilisation of them; a container without a memory limit can take the node's memory and get its neighbours OOM-killed.",
        controls: [{ framework: "Kubernetes", id: "Resource Management for Pods and Containers" }],
        enforcement: EVERYWHERE,
        types: WORKLOAD_TYPES,
        check: (r) =>
            perContainer(r, (c) => {
                const missing = [
                    ["requests.cpu", at(c, "resources", "requests", "cpu")],
                    ["requests.memory", at(c, "resources", "requests", "memory")],
                    ["limits.memory", at(c, "resources", "limits", "memory")],
                ]
                    .filter(([, v]) => v === undefined || v === "")
                    .map(([k]) => String(k));
                return missing.length > 0 ? `resources lacks ${missing.join(", ")}` : undefined;
            }),
    },
    {
        name: "k8s-probes",
        service: "Kubernetes",
        description: "Every container of a long-running workload has a readiness and a liveness probe.",
        rationale: "Readiness keeps traffic off a pod that cannot serve (runbook 3.7); liveness restarts one that hangs. A rollout without readiness is declared done before the app works.",
        controls: [{ framework: "Kubernetes", id: "Configure Liveness, Readiness and Startup Probes" }, { framework: "Runbook", id: "3.7 health checks: liveness, readiness" }],
        enforcement: EVERYWHERE,
        types: LONG_RUNNING_TYPES,
        check: (r) =>
            asArray(podSpecOf(r)["containers"]).flatMap((c) => {
                const missing = (["readinessProbe", "livenessProbe"] as const).filter((p) => at(c, p) === undefined);
                return missing.length > 0 ? [`container ${shown(at(c, "name"))}: no ${missing.join(" and no ")}`] : [];
            }),
    },
    {
        name: "k8s-images-pinned",
        service: "Kubernetes",
        description: "Every image names a tag other than latest, or a digest.",
        rationale: "An unpinned image changes under the same manifest: two pods of one Deployment can run different code, and a rollback restores nothing.",
        controls: [{ framework: "Kubernetes", id: "Configuration Best Practices: container images" }, { framework: "Security Hub FSBP", id: "ECR.2" }],
        enforcement: exceptDevelopment("a local cluster runs images loaded by hand (`kind load docker-image`), whatever their tag."),
        types: WORKLOAD_TYPES,
        check: (r) => perContainer(r, (c) => (pinned(c["image"]) ? undefined : `image ${shown(c["image"])} is not pinned: give it a release tag or a digest`)),
    },
    {
        name: "k8s-service-account-token",
        service: "Kubernetes",
        description: "No pod or service account mounts an API token unless a role binding in the stack grants that service account something.",
        rationale: "A mounted token is a credential in every container's filesystem; most workloads never call the API server.",
        controls: [{ framework: "CIS Amazon EKS Benchmark", id: "4.1.6" }, { framework: "CIS Amazon EKS Benchmark", id: "4.1.5" }],
        enforcement: EVERYWHERE,
        types: [...WORKLOAD_TYPES, SERVICE_ACCOUNT],
        check: (r, stack) => {
            const namespace = at(r.inputs, "metadata", "namespace");
            if (r.type === SERVICE_ACCOUNT) {
                const name = String(at(r.inputs, "metadata", "name") ?? "");
                return isFalse(r.inputs["automountServiceAccountToken"]) || boundServiceAccount(stack, namespace, name) ? [] : [`automountServiceAccountToken is ${shown(r.inputs["automountServiceAccountToken"])}: set false`];
            }
            const spec = podSpecOf(r);
            const account = str(spec["serviceAccountName"]) ?? "default";
            if (isFalse(spec["automountServiceAccountToken"]) || boundServiceAccount(stack, namespace, account)) return [];
            const sa = stack.ofType(SERVICE_ACCOUNT).find((s) => at(s.inputs, "metadata", "name") === account && at(s.inputs, "metadata", "namespace") === namespace);
            if (spec["automountServiceAccountToken"] === undefined && sa && isFalse(sa.inputs["automountServiceAccountToken"])) return [];
            return [`pods mount the token of service account ${shown(account)}: set automountServiceAccountToken: false`];
        },
    },
    {
        name: "k8s-pdb-for-replicated",
        service: "Kubernetes",
        description: "Every workload that runs more than one replica has a PodDisruptionBudget that still lets one pod go.",
        rationale: "Node drains (upgrades, scale-in) evict pods; without a budget they can evict every replica at once, with one that allows none they block the drain forever.",
        controls: [{ framework: "Kubernetes", id: "Specifying a Disruption Budget for your Application" }],
        enforcement: EVERYWHERE,
        types: [DEPLOYMENT, STATEFUL_SET],
        check: (r, stack) => {
            const replicas = minReplicas(r, stack);
            if (replicas < 2) return [];
            const labels = podLabelsOf(r);
            const namespace = at(r.inputs, "metadata", "namespace");
            const budgets = stack.ofType(PDB).filter((p) => {
                const match = asObject(at(p.inputs, "spec", "selector", "matchLabels"));
                return at(p.inputs, "metadata", "namespace") === namespace && match !== undefined && Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => labels[k] === v);
            });
            if (budgets.length === 0) return [`it runs at least ${replicas} replicas but no PodDisruptionBudget selects its pods`];
            return budgets.some((p) => allowsDisruption(p, replicas)) ? [] : [`its PodDisruptionBudget allows no disruption of ${replicas} replicas: node drains would hang`];
        },
    },
    {
        name: "k8s-not-default-namespace",
        service: "Kubernetes",
        description: "Workloads and service accounts live in a namespace of their own, not default.",
        rationale: "The default namespace enforces no Pod Security Standard and mixes whatever else lands there; namespaces are the unit of RBAC, quotas and policy.",
        controls: [{ framework: "CIS Amazon EKS Benchmark", id: "4.6.3" }],
        enforcement: EVERYWHERE,
        types: [...WORKLOAD_TYPES, SERVICE_ACCOUNT],
        check: (r) => {
            const namespace = at(r.inputs, "metadata", "namespace");
            return typeof namespace === "string" && namespace !== "" && namespace !== "default" ? [] : [`metadata.namespace is ${shown(namespace)}: set the app's namespace`];
        },
    },
    {
        name: "k8s-helm-chart-pinned",
        service: "Kubernetes",
        description: "Every Helm release pins its chart version.",
        rationale: "An unpinned chart installs whatever the repository serves on the day of the next `pulumi up`, in the middle of an unrelated change.",
        controls: [{ framework: "Project", id: "settings controllers.* pin every chart version" }],
        enforcement: EVERYWHERE,
        types: HELM,
        check: (r) => (str(r.inputs["version"]) ? [] : ["no version: pin the chart version"]),
    },
];
