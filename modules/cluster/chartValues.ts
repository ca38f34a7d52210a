/**
 * The controllers' Helm values that keep them available and their state safe, as the pinned chart
 * versions read them (each key checked against that version's values.yaml and templates). Pure,
 * so the tests read the same values the releases get.
 */

/** The annotation that makes Helm leave a resource in place when the release is uninstalled or replaced. */
export const HELM_KEEP = { "helm.sh/resource-policy": "keep" } as const;

/**
 * External Secrets Operator (chart `external-secrets` 2.8.0). Its CRDs are chart templates (not
 * Helm's `crds/` directory), so uninstalling or replacing the release deletes them, with them every
 * ExternalSecret and, through `creationPolicy: Owner`, the app's Secret. `crds.annotations` is the
 * chart's hook for annotating every CRD it renders (hack/helm.generate.sh): `keep` leaves them. A
 * release installed again under the same name and namespace adopts them (Helm's ownership labels).
 */
export function externalSecretsValues(serviceAccount: string): Record<string, unknown> {
    return {
        installCRDs: true,
        crds: { annotations: { ...HELM_KEEP } },
        serviceAccount: { create: true, name: serviceAccount },
    };
}

/** The selector labels metrics-server's chart gives its pods (templates/_helpers.tpl `metrics-server.selectorLabels`). */
export function metricsServerSelector(releaseName: string): Record<string, string> {
    return { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": releaseName };
}

/**
 * metrics-server (chart 3.13.1): two replicas on two nodes, never both evicted at once, so one
 * node drain cannot leave the autoscaler without metrics. Required anti-affinity on the node,
 * spread over zones where it can be; a rolling update replaces one pod before starting the next
 * (no surge pod, which required anti-affinity could not place on a two-node cluster); a disruption
 * budget of one available pod, which an unhealthy pod does not hold up (`AlwaysAllow`).
 */
export function metricsServerValues(releaseName: string): Record<string, unknown> {
    const selector = metricsServerSelector(releaseName);
    return {
        replicas: 2,
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        podDisruptionBudget: { enabled: true, minAvailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" },
        affinity: {
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" }] },
        },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }],
    };
}

/**
 * The load balancer controller (chart 3.5.0): two replicas, kept apart by the chart's default
 * anti-affinity (`configureDefaultAffinity`, preferred on the node), and a disruption budget the
 * chart renders only when set and with more than one replica (templates/pdb.yaml). Its pod webhook
 * injects the app's readiness gates and fails open (`podMutatorWebhookConfig.failurePolicy:
 * Ignore`): pods made while no replica runs get no gate, so one must always run.
 */
export function loadBalancerControllerAvailability(): Record<string, unknown> {
    return { replicaCount: 2, configureDefaultAffinity: true, podDisruptionBudget: { maxUnavailable: 1 } };
}

/**
 * The upstream image repositories of the controllers whose registries the DR region's pull-through
 * cache serves (modules/dr/names.ts `PULL_THROUGH_CACHES`), as the pinned charts' values.yaml name
 * them (`image.repository`; the tag stays the chart's appVersion): the load balancer controller
 * (chart 3.5.0) and metrics-server (chart 3.13.1). External Secrets and Reloader publish to
 * ghcr.io, which ECR caches only with a Secrets Manager credential (docs/dr-standby.md).
 */
export const CONTROLLER_IMAGES = {
    awsLoadBalancerController: "public.ecr.aws/eks/aws-load-balancer-controller",
    metricsServer: "registry.k8s.io/metrics-server/metrics-server",
} as const;
