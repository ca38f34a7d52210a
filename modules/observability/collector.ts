import * as aws from "@pulumi/aws";
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { POD_IDENTITY_TRUST, managedPolicy } from "../aws/iam";
import { Roles } from "../aws/roles";
import { POD_SECURITY_LEVEL, TMP_MOUNT, TMP_VOLUME, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../workload/security";

/**
 * The OpenTelemetry collector (ADOT) of a cloud cluster (runbook 3.4): receives the app's spans
 * over OTLP, keeps every error, every request slower than the threshold and a share of the rest
 * (tail sampling, decided once the whole trace is in), and exports them to X-Ray.
 */

/** Ports of the collector's OTLP receivers and health check. */
export const COLLECTOR_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, health: 13133 } as const;

/** Runbook 3.4's sampling: every error, every request slower than `slowRequestMs`, `sampledPercent` of the rest. */
export interface SamplingSettings {
    sampledPercent: number;
    slowRequestMs: number;
}

/** The tail sampling policies, in the collector's config shape. A trace is kept when any policy keeps it. */
export function tailSamplingPolicies(s: SamplingSettings): Array<Record<string, unknown>> {
    return [
        { name: "every-error", type: "status_code", status_code: { status_codes: ["ERROR"] } },
        { name: "every-slow-request", type: "latency", latency: { threshold_ms: s.slowRequestMs } },
        { name: "share-of-the-rest", type: "probabilistic", probabilistic: { sampling_percentage: s.sampledPercent } },
    ];
}

/**
 * The collector's configuration. No batch processor before tail sampling: it could split a
 * trace's spans across decisions (ADOT's own warning); the memory limiter goes first so that a
 * burst is refused at the receiver rather than crashing the pod.
 */
export function collectorConfig(args: { region: string; sampling: SamplingSettings }): Record<string, unknown> {
    return {
        extensions: { health_check: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.health}` } },
        receivers: {
            otlp: {
                protocols: {
                    grpc: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpGrpc}` },
                    http: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpHttp}` },
                },
            },
        },
        processors: {
            memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
            tail_sampling: {
                // Long enough for a request of several seconds to finish all its spans.
                decision_wait: "10s",
                num_traces: 50000,
                expected_new_traces_per_sec: 200,
                policies: tailSamplingPolicies(args.sampling),
            },
            batch: { timeout: "5s", send_batch_size: 256 },
        },
        exporters: {
            // request_id and user_id become X-Ray annotations, so traces can be searched by them.
            awsxray: { region: args.region, indexed_attributes: ["request_id", "user_id"] },
        },
        service: {
            extensions: ["health_check"],
            pipelines: {
                traces: { receivers: ["otlp"], processors: ["memory_limiter", "tail_sampling", "batch"], exporters: ["awsxray"] },
            },
        },
    };
}

export interface TracingCollectorArgs {
    /** Namespace the collector gets (created here, restricted Pod Security). */
    namespace: string;
    /** EKS cluster name (for the Pod Identity association). */
    clusterName: pulumi.Input<string>;
    region: string;
    /** Pinned `public.ecr.aws/aws-observability/aws-otel-collector:vX.Y.Z` (a DR rebuild: its cached copy). */
    image: pulumi.Input<string>;
    sampling: SamplingSettings;
    /** Non-root UID the collector runs as. @default 10001 */
    runAsUser?: number;
    awsProvider: aws.Provider;
    k8sProvider: k8s.Provider;
    /** Where the collector's X-Ray role comes from. @default created here */
    roles?: Roles;
}

/** The collector's name (Deployment, Service, ServiceAccount). */
export const COLLECTOR_NAME = "adot-collector";

/**
 * The collector: a Deployment of one pod (tail sampling needs every span of a trace in the same
 * collector; more replicas would need a load-balancing tier routing by trace id in front), its
 * ConfigMap, a Service for the OTLP ports, and a Pod Identity role that may only write to X-Ray.
 */
export class TracingCollector extends pulumi.ComponentResource {
    /** OTLP gRPC endpoint for the app: `OTEL_EXPORTER_OTLP_ENDPOINT`. */
    readonly otlpEndpoint: string;

    constructor(name: string, args: TracingCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:observability:TracingCollector", name, {}, opts);
        const uid = args.runAsUser ?? 10001;
        const k8sOpts = { parent: this, provider: args.k8sProvider };
        const awsOpts = { parent: this, provider: args.awsProvider };
        const labels = { "app.kubernetes.io/name": COLLECTOR_NAME, "app.kubernetes.io/component": "tracing" };

        const ns = new k8s.core.v1.Namespace(
            `${name}-ns`,
            {
                metadata: {
                    name: args.namespace,
                    labels: Object.fromEntries(
                        ["enforce", "audit", "warn"].flatMap((mode) => [
                            [`pod-security.kubernetes.io/${mode}`, POD_SECURITY_LEVEL],
                            [`pod-security.kubernetes.io/${mode}-version`, "latest"],
                        ]),
                    ),
                },
            },
            k8sOpts,
        );
        const namespace = ns.metadata.name;

        const xraySpec = { purpose: "tracing-xray", description: "ADOT collector: write traces to X-Ray", trustPolicy: POD_IDENTITY_TRUST, managedPolicyArns: [managedPolicy("AWSXrayWriteOnlyAccess")], inlinePolicies: {} };
        const role = (args.roles ?? new Roles()).role(xraySpec, { role: `${name}-xray`, attachment: () => `${name}-xray` }, awsOpts);
        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: { name: COLLECTOR_NAME, namespace, labels }, automountServiceAccountToken: false }, k8sOpts);
        const association = new aws.eks.PodIdentityAssociation(
            `${name}-xray`,
            { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: COLLECTOR_NAME, roleArn: role.arn },
            { ...awsOpts, dependsOn: [sa] },
        );

        const configYaml = YAML.stringify(collectorConfig({ region: args.region, sampling: args.sampling }));
        const config = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: { name: `${COLLECTOR_NAME}-config`, namespace, labels }, data: { "collector.yaml": configYaml } }, k8sOpts);

        const probe = { httpGet: { path: "/", port: COLLECTOR_PORTS.health }, periodSeconds: 10 };
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: COLLECTOR_NAME, namespace, labels },
                spec: {
                    replicas: 1,
                    // One pod at a time: two collectors would each see half of some traces.
                    strategy: { type: "Recreate" },
                    selector: { matchLabels: labels },
                    template: {
                        metadata: {
                            labels,
                            // A config change rolls the pod.
                            annotations: { "checksum/config": hash(configYaml) },
                        },
                        spec: {
                            serviceAccountName: COLLECTOR_NAME,
                            // The collector never calls the Kubernetes API; Pod Identity mounts its own token.
                            automountServiceAccountToken: false,
                            securityContext: restrictedPodSecurityContext(uid),
                            containers: [
                                {
                                    name: "collector",
                                    image: args.image,
                                    args: ["--config=/etc/otel/collector.yaml"],
                                    ports: [
                                        { name: "otlp-grpc", containerPort: COLLECTOR_PORTS.otlpGrpc },
                                        { name: "otlp-http", containerPort: COLLECTOR_PORTS.otlpHttp },
                                        { name: "health", containerPort: COLLECTOR_PORTS.health },
                                    ],
                                    resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                                    securityContext: restrictedContainerSecurityContext(uid),
                                    livenessProbe: probe,
                                    readinessProbe: probe,
                                    volumeMounts: [{ name: "config", mountPath: "/etc/otel", readOnly: true }, TMP_MOUNT],
                                },
                            ],
                            volumes: [{ name: "config", configMap: { name: config.metadata.name } }, TMP_VOLUME],
                        },
                    },
                },
            },
            { ...k8sOpts, dependsOn: [association] },
        );
        new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: COLLECTOR_NAME, namespace, labels },
                spec: {
                    selector: labels,
                    ports: [
                        { name: "otlp-grpc", port: COLLECTOR_PORTS.otlpGrpc, targetPort: "otlp-grpc", appProtocol: "grpc" },
                        { name: "otlp-http", port: COLLECTOR_PORTS.otlpHttp, targetPort: "otlp-http" },
                    ],
                },
            },
            k8sOpts,
        );
        this.otlpEndpoint = collectorOtlpEndpoint(args.namespace);
        this.registerOutputs({ otlpEndpoint: this.otlpEndpoint });
    }
}

function hash(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Where the app sends its traces (OTLP over gRPC) to a collector in `namespace`. */
export function collectorOtlpEndpoint(namespace: string): string {
    return `http://${COLLECTOR_NAME}.${namespace}.svc.cluster.local:${COLLECTOR_PORTS.otlpGrpc}`;
}
