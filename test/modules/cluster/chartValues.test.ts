import { HELM_KEEP, externalSecretsValues, loadBalancerControllerAvailability, metricsServerSelector, metricsServerValues } from "../../../modules/cluster/chartValues";
import { PlanQuery } from "../../helpers/plan";

// Each key as the pinned chart version reads it: external-secrets 2.8.0 values.yaml (`crds.annotations`,
// rendered onto every CRD by hack/helm.generate.sh), metrics-server 3.13.1 values.yaml and
// templates/pdb.yaml, deployment.yaml (`affinity`, `topologySpreadConstraints`, `updateStrategy`),
// aws-load-balancer-controller 3.5.0 values.yaml and templates/pdb.yaml (rendered only when
// podDisruptionBudget is set and replicaCount > 1).
describe("External Secrets' chart values", () => {
    it("keep the CRDs when the release is uninstalled or replaced (helm.sh/resource-policy: keep)", () => {
        expect(HELM_KEEP).toEqual({ "helm.sh/resource-policy": "keep" });
        expect(externalSecretsValues("external-secrets")).toEqual({
            installCRDs: true,
            crds: { annotations: { "helm.sh/resource-policy": "keep" } },
            serviceAccount: { create: true, name: "external-secrets" },
        });
    });
});

describe("metrics-server's chart values", () => {
    it("run two replicas on two nodes, spread over zones, one replaced at a time, one always available", () => {
        const selector = { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": "metrics-server" };
        expect(metricsServerSelector("metrics-server")).toEqual(selector);
        expect(metricsServerValues("metrics-server")).toEqual({
            replicas: 2,
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
            podDisruptionBudget: { enabled: true, minAvailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" },
            affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" }] } },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }],
        });
    });

    it("leave a drain room to evict one pod: fewer pods required available than replicas", () => {
        const v = metricsServerValues("m") as { replicas: number; podDisruptionBudget: { minAvailable: number } };
        expect(v.podDisruptionBudget.minAvailable).toBeLessThan(v.replicas);
    });
});

describe("the load balancer controller's chart values", () => {
    it("run two replicas kept apart, with a disruption budget the chart renders (replicaCount above 1)", () => {
        const v = loadBalancerControllerAvailability() as { replicaCount: number; configureDefaultAffinity: boolean; podDisruptionBudget: { maxUnavailable: number } };
        expect(v).toEqual({ replicaCount: 2, configureDefaultAffinity: true, podDisruptionBudget: { maxUnavailable: 1 } });
        expect(v.replicaCount).toBeGreaterThan(1);
        expect(v.podDisruptionBudget.maxUnavailable).toBeLessThan(v.replicaCount);
    });
});

describe.each(["staging", "production", "production-dr"])("the %s controllers' releases", (stack) => {
    const releases = PlanQuery.of(stack).allOf("kubernetes:helm.sh/v3:Release");
    // A release by its name: a DR rebuild's chart is its mirror's OCI reference (modules/dr/mirror.ts).
    const values = (name: string) => releases.find((r) => r.inputs["name"] === name)!.inputs["values"] as Record<string, unknown>;

    it("get those values", () => {
        // A DR rebuild's External Secrets images from the mirror.
        const eso = { repository: "123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp/production/mirror/external-secrets/external-secrets" };
        const mirrored = stack === "production-dr" ? { image: eso, webhook: { image: eso }, certController: { image: eso } } : {};
        expect(values("external-secrets")).toEqual({ ...externalSecretsValues("external-secrets"), ...mirrored });
        // A DR rebuild's image through its region's pull-through cache (modules/dr/names.ts cachedImage).
        const cached = stack === "production-dr" ? { image: { repository: "123456789012.dkr.ecr.us-west-2.amazonaws.com/k8s/metrics-server/metrics-server" } } : {};
        expect(values("metrics-server")).toEqual({ ...metricsServerValues("metrics-server"), ...cached });
        expect(values("aws-load-balancer-controller")).toMatchObject(loadBalancerControllerAvailability());
        // The selector the anti-affinity names is the release's own.
        expect(releases.filter((r) => String(r.inputs["chart"]).endsWith("metrics-server")).map((r) => r.inputs["name"])).toEqual(["metrics-server"]);
    });
});
