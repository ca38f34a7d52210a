import { kubernetesRules, pinned } from "../../../policy/rules/kubernetes";
import { PolicyResource } from "../../../policy/rule";
import { KubernetesObject, validateKubernetesObjects } from "../../helpers/kubernetesSchema";
import { findings, res, ruleNamed, ruleSuite } from "../fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SECURE = {
    runAsNonRoot: true,
    runAsUser: 10001,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};
const LABELS = { "app.kubernetes.io/name": "myapp", "app.kubernetes.io/instance": "app-deployment" };

/** A container as the workload module writes it; `over` replaces fields, `security` the securityContext's. */
const container = (over: Record<string, unknown> = {}, security: Record<string, unknown> = {}) => ({
    name: "app",
    image: "myapp/backend:1.0.0",
    ports: [{ name: "http", containerPort: 8000 }],
    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    securityContext: { ...SECURE, ...security },
    readinessProbe: { httpGet: { path: "/health", port: "http" } },
    livenessProbe: { tcpSocket: { port: "http" } },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    ...over,
});
/** A Deployment in namespace myapp; `spec` replaces fields of the pod spec. */
const deployment = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}, replicas?: number) =>
    res(
        DEPLOYMENT,
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "app-deployment", namespace: "myapp", ...meta },
            spec: {
                ...(replicas !== undefined ? { replicas } : {}),
                selector: { matchLabels: LABELS },
                template: {
                    metadata: { labels: { ...LABELS, track: "stable" } },
                    spec: {
                        serviceAccountName: "myapp",
                        automountServiceAccountToken: false,
                        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
                        containers: [container()],
                        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
                        ...spec,
                    },
                },
            },
        },
        { name: "app", provider: null },
    );
const job = (spec: Record<string, unknown> = {}) =>
    res(
        "kubernetes:batch/v1:Job",
        {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: "migrate", namespace: "myapp" },
            spec: { template: { spec: { restartPolicy: "Never", automountServiceAccountToken: false, containers: [container({ name: "migrate", readinessProbe: undefined, livenessProbe: undefined })], ...spec } } },
        },
        { name: "migrate", provider: null },
    );
const namespace = (labels: Record<string, string>) => res("kubernetes:core/v1:Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: "myapp", labels } }, { name: "ns", provider: null });
const serviceAccount = (inputs: Record<string, unknown> = { automountServiceAccountToken: false }, name = "myapp") =>
    res("kubernetes:core/v1:ServiceAccount", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "myapp" }, ...inputs }, { name: "sa", provider: null });
const pdb = (spec: Record<string, unknown>, labels: Record<string, string> = LABELS, ns = "myapp") =>
    res("kubernetes:policy/v1:PodDisruptionBudget", { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "app", namespace: ns }, spec: { selector: { matchLabels: labels }, ...spec } }, { name: "pdb", provider: null });
const hpa = (minReplicas: number, target = "app-deployment") =>
    res(
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: target, namespace: "myapp" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas, maxReplicas: 10 } },
        { name: "hpa", provider: null },
    );
const binding = (account: string) =>
    res(
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "reader", namespace: "myapp" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" }, subjects: [{ kind: "ServiceAccount", name: account, namespace: "myapp" }] },
        { name: "binding", provider: null },
    );

describe("Kubernetes rules", () => {
    const rule = ruleSuite(kubernetesRules);

    rule("k8s-namespace-restricted", {
        compliant: () => [namespace({ "pod-security.kubernetes.io/enforce": "restricted" })],
        missing: () => [namespace({})],
        missingFindings: ["ns: label pod-security.kubernetes.io/enforce is unset: set \"restricted\""],
        wrong: () => [namespace({ "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" })],
        wrongFindings: ['ns: label pod-security.kubernetes.io/enforce is "baseline": set "restricted"'],
    });

    rule("k8s-run-as-non-root", {
        compliant: () => [deployment(), deployment({ securityContext: {}, containers: [container({}, { runAsNonRoot: true })] })],
        missing: () => [deployment({ securityContext: {}, containers: [container({}, { runAsNonRoot: undefined })] })],
        missingFindings: ['app: container "app": runAsNonRoot is unset: set securityContext.runAsNonRoot: true'],
        wrong: () => [deployment({ containers: [container({}, { runAsNonRoot: false }), container({ name: "sidecar" }, { runAsUser: 0 })] })],
        wrongFindings: ['app: container "app": runAsNonRoot is false: set securityContext.runAsNonRoot: true', 'app: container "sidecar": runAsUser is 0 (root)'],
    });

    rule("k8s-no-privilege-escalation", {
        compliant: () => [deployment()],
        missing: () => [deployment({ containers: [container({}, { allowPrivilegeEscalation: undefined })] })],
        missingFindings: ['app: container "app": allowPrivilegeEscalation is unset: set false'],
        wrong: () => [deployment({ initContainers: [container({ name: "init" }, { allowPrivilegeEscalation: true })] })],
        wrongFindings: ['app: init container "init": allowPrivilegeEscalation is true: set false'],
    });

    rule("k8s-drop-all-capabilities", {
        compliant: () => [deployment({ containers: [container({}, { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } })] })],
        missing: () => [deployment({ containers: [container({}, { capabilities: undefined })] })],
        missingFindings: ['app: container "app": securityContext.capabilities.drop lacks "ALL"'],
        wrong: () => [deployment({ containers: [container({}, { capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "NET_BIND_SERVICE"] } }), container({ name: "b" }, { capabilities: { drop: ["NET_RAW"] } })] })],
        wrongFindings: ['app: container "app": adds capabilities NET_ADMIN', 'app: container "b": securityContext.capabilities.drop lacks "ALL"'],
    });

    rule("k8s-seccomp", {
        compliant: () => [deployment(), deployment({ securityContext: {}, containers: [container({}, { seccompProfile: { type: "Localhost", localhostProfile: "p.json" } })] })],
        missing: () => [deployment({ securityContext: {}, containers: [container({}, { seccompProfile: undefined })] })],
        missingFindings: ['app: container "app": seccompProfile.type is unset: set "RuntimeDefault"'],
        wrong: () => [deployment({ containers: [container({}, { seccompProfile: { type: "Unconfined" } })] })],
        wrongFindings: ['app: container "app": seccompProfile.type is "Unconfined": set "RuntimeDefault"'],
    });

    rule("k8s-no-privileged-containers", {
        compliant: () => [deployment()],
        missing: () => [deployment({ containers: [container({}, { privileged: undefined })] })],
        missingFindings: [],
        safeDefault: "containers are unprivileged unless they ask",
        wrong: () => [deployment({ containers: [container({}, { privileged: true })] })],
        wrongFindings: ['app: container "app": privileged is true'],
    });

    rule("k8s-no-host-namespaces", {
        compliant: () => [deployment({ hostNetwork: false })],
        missing: () => [deployment()],
        missingFindings: [],
        safeDefault: "pods get namespaces of their own unless they ask",
        wrong: () => [deployment({ hostNetwork: true, hostPID: true, hostIPC: false })],
        wrongFindings: ["app: hostNetwork is true", "app: hostPID is true"],
    });

    rule("k8s-volume-types", {
        compliant: () => [deployment({ volumes: [{ name: "tmp", emptyDir: {} }, { name: "config", configMap: { name: "c" } }, { name: "data", persistentVolumeClaim: { claimName: "d" } }, { name: "token", projected: { sources: [] } }] })],
        missing: () => [deployment({ volumes: undefined })],
        missingFindings: [],
        safeDefault: "a pod without volumes mounts nothing from the node",
        wrong: () => [deployment({ volumes: [{ name: "tmp", emptyDir: {} }, { name: "docker", hostPath: { path: "/var/run/docker.sock" } }, { name: "share", nfs: { server: "nfs", path: "/" } }] })],
        wrongFindings: ['app: volume "docker" is hostPath', 'app: volume "share" is nfs'],
    });

    rule("k8s-no-host-ports", {
        compliant: () => [deployment()],
        missing: () => [deployment({ containers: [container({ ports: undefined })] })],
        missingFindings: [],
        safeDefault: "a container without ports binds none on the node",
        wrong: () => [deployment({ containers: [container({ ports: [{ containerPort: 8000, hostPort: 8000 }, { containerPort: 9000, hostPort: 0 }] })] })],
        wrongFindings: ['app: container "app": hostPort 8000'],
    });

    rule("k8s-read-only-root-filesystem", {
        compliant: () => [deployment()],
        missing: () => [deployment({ containers: [container({}, { readOnlyRootFilesystem: undefined })] })],
        missingFindings: ['app: container "app": readOnlyRootFilesystem is unset: set true'],
        wrong: () => [deployment({ containers: [container({}, { readOnlyRootFilesystem: false })] })],
        wrongFindings: ['app: container "app": readOnlyRootFilesystem is false: set true'],
    });

    rule("k8s-resources", {
        compliant: () => [deployment(), deployment({ containers: [container({ resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } } })] })],
        missing: () => [deployment({ containers: [container({ resources: undefined })] })],
        missingFindings: ['app: container "app": resources lacks requests.cpu, requests.memory, limits.memory'],
        wrong: () => [deployment({ containers: [container({ resources: { requests: { cpu: "100m", memory: "" }, limits: { cpu: "1" } } })] })],
        wrongFindings: ['app: container "app": resources lacks requests.memory, limits.memory'],
    });

    rule("k8s-probes", {
        compliant: () => [deployment(), job()],
        missing: () => [deployment({ containers: [container({ readinessProbe: undefined, livenessProbe: undefined })] })],
        missingFindings: ['app: container "app": no readinessProbe and no livenessProbe'],
        wrong: () => [deployment({ containers: [container({ livenessProbe: undefined }), container({ name: "b", readinessProbe: undefined })] })],
        wrongFindings: ['app: container "app": no livenessProbe', 'app: container "b": no readinessProbe'],
    });

    rule("k8s-images-pinned", {
        compliant: () => [deployment({ containers: [container(), container({ name: "b", image: `registry.example.com:5000/team/app@sha256:${"a".repeat(64)}` }), container({ name: "c", image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0" })] })],
        missing: () => [deployment({ containers: [container({ image: "myapp/backend" })] })],
        missingFindings: ['app: container "app": image "myapp/backend" is not pinned: give it a release tag or a digest'],
        wrong: () => [deployment({ containers: [container({ image: "myapp/backend:latest" }), container({ name: "b", image: "registry.example.com:5000/app" })] })],
        wrongFindings: [
            'app: container "app": image "myapp/backend:latest" is not pinned: give it a release tag or a digest',
            'app: container "b": image "registry.example.com:5000/app" is not pinned: give it a release tag or a digest',
        ],
    });

    rule("k8s-service-account-token", {
        compliant: () => [deployment(), serviceAccount(), deployment({ automountServiceAccountToken: undefined }), job()],
        missing: () => [deployment({ automountServiceAccountToken: undefined, serviceAccountName: undefined })],
        missingFindings: ['app: pods mount the token of service account "default": set automountServiceAccountToken: false'],
        wrong: () => [deployment({ automountServiceAccountToken: true }), serviceAccount({ automountServiceAccountToken: true })],
        wrongFindings: ['app: pods mount the token of service account "myapp": set automountServiceAccountToken: false', "sa: automountServiceAccountToken is true: set false"],
    });

    rule("k8s-pdb-for-replicated", {
        compliant: () => [deployment({}, {}, 3), pdb({ maxUnavailable: 1 }), deployment({}, {}, 1)],
        missing: () => [deployment(), hpa(3)],
        missingFindings: ["app: it runs at least 3 replicas but no PodDisruptionBudget selects its pods"],
        wrong: () => [deployment({}, {}, 2), pdb({ minAvailable: 2 })],
        wrongFindings: ["app: its PodDisruptionBudget allows no disruption of 2 replicas: node drains would hang"],
    });

    rule("k8s-not-default-namespace", {
        compliant: () => [deployment(), serviceAccount()],
        missing: () => [deployment({}, { namespace: undefined })],
        missingFindings: ["app: metadata.namespace is unset: set the app's namespace"],
        wrong: () => [deployment({}, { namespace: "default" })],
        wrongFindings: ['app: metadata.namespace is "default": set the app\'s namespace'],
    });

    rule("k8s-helm-chart-pinned", {
        compliant: () => [res("kubernetes:helm.sh/v3:Release", { chart: "external-secrets", version: "0.18.2" })],
        missing: () => [res("kubernetes:helm.sh/v3:Release", { chart: "external-secrets" }, { name: "eso" })],
        missingFindings: ["eso: no version: pin the chart version"],
        wrong: () => [res("kubernetes:helm.sh/v4:Chart", { chart: "metrics-server", version: "" }, { name: "ms" })],
        wrongFindings: ["ms: no version: pin the chart version"],
    });

    describe("fixtures are valid Kubernetes objects (OpenAPI schema)", () => {
        const objects: PolicyResource[] = [deployment(), job(), namespace({ "pod-security.kubernetes.io/enforce": "restricted" }), serviceAccount(), pdb({ maxUnavailable: 1 }), hpa(3), binding("myapp")];
        // One validator process for every fixture.
        const results = validateKubernetesObjects(objects as unknown as KubernetesObject[]);
        it.each(objects.map((o, i) => [o.type, i] as const))("%s", (_type, i) => {
            expect(results[i]).toEqual({ kind: "valid" });
        });
    });

    describe("edge cases", () => {
        it("judges every kind of workload, reading the pod spec where each keeps it", () => {
            const unsafe = container({}, { privileged: true });
            const cron = res("kubernetes:batch/v1:CronJob", { metadata: { namespace: "myapp" }, spec: { jobTemplate: { spec: { template: { spec: { containers: [unsafe] } } } } } }, { name: "cron" });
            const pod = res("kubernetes:core/v1:Pod", { metadata: { namespace: "myapp" }, spec: { containers: [unsafe] } }, { name: "pod" });
            const sts = res("kubernetes:apps/v1:StatefulSet", { metadata: { namespace: "myapp" }, spec: { template: { spec: { containers: [unsafe] } } } }, { name: "sts" });
            const ds = res("kubernetes:apps/v1:DaemonSet", { metadata: { namespace: "myapp" }, spec: { template: { spec: { containers: [unsafe] } } } }, { name: "ds" });
            const rs = res("kubernetes:apps/v1:ReplicaSet", { metadata: { namespace: "myapp" }, spec: { template: { spec: { containers: [unsafe] } } } }, { name: "rs" });
            const batch = res("kubernetes:batch/v1:Job", { metadata: { namespace: "myapp" }, spec: { template: { spec: { containers: [unsafe] } } } }, { name: "job" });
            expect(findings("k8s-no-privileged-containers", [cron, pod, sts, ds, rs, batch])).toEqual([
                'cron: container "app": privileged is true',
                'pod: container "app": privileged is true',
                'sts: container "app": privileged is true',
                'ds: container "app": privileged is true',
                'rs: container "app": privileged is true',
                'job: container "app": privileged is true',
            ]);
        });

        it("wants probes of every long-running kind of workload, not of Jobs", () => {
            const bare = container({ readinessProbe: undefined, livenessProbe: undefined });
            const template = { spec: { template: { spec: { containers: [bare] } } } };
            const stack = [
                res("kubernetes:core/v1:Pod", { spec: { containers: [bare] } }, { name: "pod" }),
                res("kubernetes:apps/v1:StatefulSet", template, { name: "sts" }),
                res("kubernetes:apps/v1:DaemonSet", template, { name: "ds" }),
                res("kubernetes:apps/v1:ReplicaSet", template, { name: "rs" }),
                res("kubernetes:batch/v1:Job", template, { name: "job" }),
                res("kubernetes:batch/v1:CronJob", { spec: { jobTemplate: template } }, { name: "cron" }),
            ];
            const none = 'container "app": no readinessProbe and no livenessProbe';
            expect(findings("k8s-probes", stack)).toEqual([`pod: ${none}`, `sts: ${none}`, `ds: ${none}`, `rs: ${none}`]);
        });

        it("lists the allowed volume types in its description (docs/policy.md)", () => {
            expect(ruleNamed("k8s-volume-types").description).toBe("Pods mount only the volume types the restricted profile allows (configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret).");
        });

        it.each(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"])("allows %s volumes", (kind) => {
            expect(findings("k8s-volume-types", [deployment({ volumes: [{ name: "v", [kind]: {} }] })])).toEqual([]);
        });

        it("lets a container's security context override the pod's", () => {
            expect(findings("k8s-run-as-non-root", [deployment({ securityContext: { runAsNonRoot: true }, containers: [container({}, { runAsNonRoot: false })] })])).toHaveLength(1);
            expect(findings("k8s-seccomp", [deployment({ securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: [container({}, { seccompProfile: undefined })] })])).toEqual([]);
        });

        it("allows the token where a role binding grants its service account something", () => {
            expect(findings("k8s-service-account-token", [deployment({ automountServiceAccountToken: true }), serviceAccount({ automountServiceAccountToken: true }), binding("myapp")])).toEqual([]);
        });

        it("reads the replicas an autoscaler keeps, and matches budgets by labels and namespace", () => {
            expect(findings("k8s-pdb-for-replicated", [deployment(), hpa(1)])).toEqual([]);
            expect(findings("k8s-pdb-for-replicated", [deployment(), hpa(2), pdb({ maxUnavailable: 1 }, { "app.kubernetes.io/name": "other" })])).toEqual(["app: it runs at least 2 replicas but no PodDisruptionBudget selects its pods"]);
            expect(findings("k8s-pdb-for-replicated", [deployment(), hpa(2), pdb({ maxUnavailable: 1 }, LABELS, "other")])).toEqual(["app: it runs at least 2 replicas but no PodDisruptionBudget selects its pods"]);
            expect(findings("k8s-pdb-for-replicated", [deployment(), hpa(2, "another"), deployment({}, {}, 1)])).toEqual([]);
        });

        it.each([
            [{ maxUnavailable: 1 }, 2, true],
            [{ maxUnavailable: 0 }, 3, false],
            [{ maxUnavailable: "25%" }, 4, true],
            [{ maxUnavailable: "25%" }, 3, false],
            [{ minAvailable: 2 }, 3, true],
            [{ minAvailable: 3 }, 3, false],
            [{ minAvailable: "50%" }, 3, true],
            [{ minAvailable: "100%" }, 3, false],
            [{}, 3, false],
        ])("a budget %j over %i replicas lets a pod go: %s", (spec, replicas, allows) => {
            const found = findings("k8s-pdb-for-replicated", [deployment({}, {}, replicas), pdb(spec)]);
            expect(found).toEqual(allows ? [] : [`app: its PodDisruptionBudget allows no disruption of ${replicas} replicas: node drains would hang`]);
        });

        it.each([
            ["myapp/backend:1.0.0", true],
            ["postgres:16.4-bookworm", true],
            [`myapp/backend@sha256:${"0".repeat(64)}`, true],
            ["localhost:5000/app:dev", true],
            ["myapp/backend", false],
            ["myapp/backend:latest", false],
            ["localhost:5000/app", false],
            ["myapp/backend:", false],
            ["", false],
            [":1.0.0", false],
            ["registry.example.com/:1.0.0", false],
            [`myapp/backend@sha256:${"0".repeat(64)}:latest`, false],
            [`myapp/backend@sha256:${"/".repeat(64)}`, false],
            [undefined, false],
            [42, false],
        ])("pins %j: %s", (image, expected) => {
            expect(pinned(image)).toBe(expected);
        });

        it("reads every container, init and ephemeral ones too, and skips entries that are not objects", () => {
            const spec = { containers: [container({}, { privileged: true }), "app", null], initContainers: [container({ name: "init" }, { privileged: true })], ephemeralContainers: [container({ name: "debug" }, { privileged: true })] };
            expect(findings("k8s-no-privileged-containers", [deployment(spec)])).toEqual(['app: container "app": privileged is true', 'app: init container "init": privileged is true', 'app: ephemeral container "debug": privileged is true']);
        });

        it("takes a setting the container leaves unset from the pod's security context", () => {
            expect(findings("k8s-run-as-non-root", [deployment({ securityContext: { runAsNonRoot: true }, containers: [container({}, { runAsNonRoot: undefined, runAsUser: undefined })] })])).toEqual([]);
            expect(findings("k8s-run-as-non-root", [deployment({ securityContext: { runAsNonRoot: true, runAsUser: 0 }, containers: [container({}, { runAsUser: undefined })] })])).toEqual(['app: container "app": runAsUser is 0 (root)']);
        });

        it("lists every offending capability, volume type and host port, comma-separated", () => {
            expect(findings("k8s-drop-all-capabilities", [deployment({ containers: [container({}, { capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "SYS_TIME"] } })] })])).toEqual(['app: container "app": adds capabilities NET_ADMIN, SYS_TIME']);
            expect(findings("k8s-volume-types", [deployment({ volumes: [{ name: "odd", hostPath: { path: "/" }, nfs: { server: "nfs", path: "/" } }] })])).toEqual(['app: volume "odd" is hostPath, nfs']);
            expect(findings("k8s-no-host-ports", [deployment({ containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 443, hostPort: 443 }] })] })])).toEqual(['app: container "app": hostPort 80, 443']);
        });

        it("counts a role binding only for a ServiceAccount subject of that name in that namespace", () => {
            const wrongSubject = (subjects: Record<string, unknown>[], namespace = "myapp") =>
                res("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", { metadata: { name: "b", namespace }, roleRef: { kind: "ClusterRole", name: "view" }, subjects }, { name: "binding" });
            const mounting = () => deployment({ automountServiceAccountToken: true });
            const refused = ['app: pods mount the token of service account "myapp": set automountServiceAccountToken: false'];
            expect(findings("k8s-service-account-token", [mounting(), wrongSubject([{ kind: "User", name: "myapp", namespace: "myapp" }])])).toEqual(refused);
            expect(findings("k8s-service-account-token", [mounting(), wrongSubject([{ kind: "ServiceAccount", name: "other", namespace: "myapp" }])])).toEqual(refused);
            expect(findings("k8s-service-account-token", [mounting(), wrongSubject([{ kind: "ServiceAccount", name: "myapp", namespace: "other" }])])).toEqual(refused);
            expect(findings("k8s-service-account-token", [mounting(), wrongSubject([{ kind: "ServiceAccount", name: "myapp" }], "other")])).toEqual(refused);
            // A subject without a namespace is in the binding's.
            expect(findings("k8s-service-account-token", [mounting(), wrongSubject([{ kind: "ServiceAccount", name: "myapp" }])])).toEqual([]);
            expect(findings("k8s-service-account-token", [mounting(), wrongSubject([{ kind: "User", name: "alice" }, { kind: "ServiceAccount", name: "myapp", namespace: "myapp" }])])).toEqual([]);
        });

        it("takes a pod's token setting from its own service account, and only when the pod leaves it unset", () => {
            const unset = () => deployment({ automountServiceAccountToken: undefined });
            const refused = ['app: pods mount the token of service account "myapp": set automountServiceAccountToken: false'];
            expect(findings("k8s-service-account-token", [unset(), serviceAccount({ automountServiceAccountToken: false }, "other")])).toEqual(refused);
            const elsewhere = res("kubernetes:core/v1:ServiceAccount", { metadata: { name: "myapp", namespace: "other" }, automountServiceAccountToken: false }, { name: "sa" });
            expect(findings("k8s-service-account-token", [unset(), elsewhere])).toEqual(refused);
            expect(findings("k8s-service-account-token", [deployment({ automountServiceAccountToken: true }), serviceAccount()])).toEqual(refused);
        });

        it("applies an autoscaler only to the workload of its kind, name and namespace", () => {
            const sts = res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { metadata: { namespace: "myapp" }, spec: { scaleTargetRef: { kind: "StatefulSet", name: "app-deployment" }, minReplicas: 3 } }, { name: "hpa" });
            const elsewhere = res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { metadata: { namespace: "other" }, spec: { scaleTargetRef: { kind: "Deployment", name: "app-deployment" }, minReplicas: 3 } }, { name: "hpa" });
            expect(findings("k8s-pdb-for-replicated", [deployment({}, {}, 1), sts])).toEqual([]);
            expect(findings("k8s-pdb-for-replicated", [deployment({}, {}, 1), elsewhere])).toEqual([]);
        });

        it("counts a budget as selecting the pods only when every label of a non-empty selector matches", () => {
            const none = ["app: it runs at least 2 replicas but no PodDisruptionBudget selects its pods"];
            expect(findings("k8s-pdb-for-replicated", [deployment({}, {}, 2), pdb({ maxUnavailable: 1 }, {})])).toEqual(none);
            expect(findings("k8s-pdb-for-replicated", [deployment({}, {}, 2), pdb({ maxUnavailable: 1 }, { ...LABELS, track: "canary" })])).toEqual(none);
            const unselecting = res("kubernetes:policy/v1:PodDisruptionBudget", { metadata: { name: "app", namespace: "myapp" }, spec: { maxUnavailable: 1 } }, { name: "pdb" });
            expect(findings("k8s-pdb-for-replicated", [deployment({}, {}, 2), unselecting])).toEqual(none);
        });

        it("passes a workload when any of its budgets lets a pod go, and reads a malformed percentage as none", () => {
            expect(findings("k8s-pdb-for-replicated", [deployment({}, {}, 3), pdb({ minAvailable: 3 }), pdb({ maxUnavailable: 1 })])).toEqual([]);
            expect(findings("k8s-pdb-for-replicated", [deployment({}, {}, 3), pdb({ minAvailable: "1x" })])).toEqual(["app: its PodDisruptionBudget allows no disruption of 3 replicas: node drains would hang"]);
        });

        it("refuses an empty namespace", () => {
            expect(findings("k8s-not-default-namespace", [deployment({}, { namespace: "" })])).toEqual(['app: metadata.namespace is "": set the app\'s namespace']);
        });
    });
});
