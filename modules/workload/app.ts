import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { reloadAnnotations } from "../secrets/reload";
import { contentHash, imageReference } from "./image";
import { isBareRepository } from "../registry/imageSource";
import { TMP_MOUNT, TMP_VOLUME, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";
import type { TrackSpec } from "./tracks";

/** The path the app answers health checks on (runbook 3.7): 200 healthy, 503 unhealthy. */
export const HEALTH_PATH = "/health";

/** The port every app Service listens on; it forwards to the container's named port `http`. */
export const SERVICE_PORT = 80;

/** CPU and memory of each app container. */
export interface ContainerResources {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

/**
 * Where the secret environment variables come from: values this component puts in a Secret of
 * its own, or the name of a Secret that already exists in the namespace (cloud stacks: the one
 * External Secrets Operator keeps in step with Secrets Manager).
 */
export type SecretSource = { values: Record<string, pulumi.Input<string>> } | { existingSecretName: pulumi.Input<string> };

/**
 * Containers that run beside the app in every track's pods (the feature-flag agent,
 * modules/flags): native sidecars (init containers with `restartPolicy: Always`) and their
 * volumes. Not in the migrations Jobs: a sidecar there would outlive the migration.
 */
export interface PodSidecar {
    initContainers: k8s.types.input.core.v1.Container[];
    volumes: k8s.types.input.core.v1.Volume[];
}

export interface AppWorkloadArgs {
    /** Namespace to create everything in (it must exist: pass its output). */
    namespace: pulumi.Input<string>;
    /** `app.kubernetes.io/name` of every object. */
    appName: string;
    /** Port the app listens on inside the container. */
    port: number;
    /** The tracks; the first is the stable one (`app-deployment`). At least one. */
    tracks: TrackSpec[];
    /** Plain environment variables, delivered through a ConfigMap. */
    config: Record<string, string>;
    /** Secret environment variables. */
    secrets: SecretSource;
    /** Migration command run, before each track rolls out, with that track's image (runbook 4.1). */
    migrationCommand: string[];
    /**
     * The registry a bare repository (`myapp/production/app`, no host) is pulled from: the stack's
     * own region's ECR (modules/registry/imageSource.ts). The settings allow a bare name on a cloud
     * stack only for its own registry repository.
     * @default none: references are pulled as written
     */
    registryHost?: pulumi.Input<string>;
    resources: ContainerResources;
    /** Seconds between SIGTERM and SIGKILL for a stopping pod. */
    terminationGracePeriodSeconds: number;
    /** Non-root UID and GID of the app's containers. */
    runAsUser: number;
    /** Mount the service account token (only for an app that calls the Kubernetes API). @default false */
    mountServiceAccountToken?: boolean;
    /** Node port of the exposed track's Service; a ClusterIP Service when unset. */
    nodePort?: number;
    /** Resources the migrations must wait for (the in-cluster data stores). */
    migrationsDependOn?: pulumi.Resource[];
    /** Sidecars of the Deployments' pods. @default none */
    sidecar?: PodSidecar;
    /**
     * What must exist, once a track's Service does, before the track's Deployment makes its first
     * pod: on cloud stacks its `TargetGroupBinding`, without which the load balancer controller
     * injects no readiness gate into the pods (modules/edge/bindings.ts).
     * @default nothing: the Deployment waits for its migrations and its Service only
     */
    beforePods?: (track: TrackSpec, service: k8s.core.v1.Service) => pulumi.Resource[];
}

/** What a track's resources share: its spec, image reference, labels and environment. */
interface TrackParts {
    spec: TrackSpec;
    /** The reference as the settings name it (`repository:tag`): what the migrations Job is named after. */
    imageKey: string;
    /** The reference the pods pull: `imageKey`, a bare repository completed with `registryHost`. */
    image: pulumi.Input<string>;
    selector: Record<string, string>;
    labels: Record<string, string>;
    envFrom: EnvFromSource[];
}

/** What the component made for one track. */
export interface Track {
    spec: TrackSpec;
    migrations: k8s.batch.v1.Job;
    deployment: k8s.apps.v1.Deployment;
    service: k8s.core.v1.Service;
    autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
}

type EnvFromSource = k8s.types.input.core.v1.EnvFromSource;

/**
 * The app on Kubernetes: per track a migrations Job, a Deployment, a Service, an autoscaler and a
 * disruption budget; shared by the tracks a ServiceAccount, the ConfigMap of plain settings and
 * the Secret of secret ones.
 *
 * Migrations before rollout: each track's Deployment `dependsOn` its migrations Job, and the
 * Kubernetes provider waits for a Job to complete (or fail) before it reports it created. A
 * failed migration therefore fails `pulumi up` before the Deployment is touched: the pods keep
 * running the previous image. Jobs are immutable, so each is named after its image and command:
 * a new image is a new Job (the old one is deleted after), and an unchanged one does not run again.
 * Tracks migrate one after the other, never two migrations at once against the same database.
 */
export class AppWorkload extends pulumi.ComponentResource {
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly configMap: k8s.core.v1.ConfigMap;
    /** The Secret this component made, when given values. */
    readonly secret?: k8s.core.v1.Secret;
    /** Name of the Secret the pods read their secret variables from. */
    readonly secretName: pulumi.Output<string>;
    /** The tracks, stable first. */
    readonly tracks: Track[];
    /** Names of the per-track Services, by track: what the load balancer binds to. */
    readonly serviceNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: AppWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:workload:App", name, {}, opts);
        validateArgs(args);
        const child = { parent: this };
        const ns = args.namespace;
        const baseLabels = { "app.kubernetes.io/name": args.appName, "app.kubernetes.io/managed-by": "pulumi" };

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            { metadata: { name: args.appName, namespace: ns, labels: baseLabels }, automountServiceAccountToken: args.mountServiceAccountToken ?? false },
            child,
        );

        // Immutable and auto-named: a changed value is a new ConfigMap (or Secret), so the pod
        // template changes and the Deployment rolls, instead of pods keeping stale variables.
        this.configMap = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            { metadata: { namespace: ns, labels: baseLabels }, immutable: true, data: args.config },
            child,
        );
        if ("values" in args.secrets) {
            this.secret = new k8s.core.v1.Secret(
                `${name}-secrets`,
                { metadata: { namespace: ns, labels: baseLabels }, immutable: true, type: "Opaque", stringData: secretValues(args.secrets.values) },
                child,
            );
            this.secretName = this.secret.metadata.name;
        } else {
            this.secretName = pulumi.output(args.secrets.existingSecretName);
        }
        const envFrom: EnvFromSource[] = [{ configMapRef: { name: this.configMap.metadata.name } }, { secretRef: { name: this.secretName } }];

        const tracks: Track[] = [];
        let previousMigrations: pulumi.Resource[] = args.migrationsDependOn ?? [];
        for (const spec of args.tracks) {
            const track = this.createTrack(name, spec, args, envFrom, previousMigrations);
            previousMigrations = [track.migrations];
            tracks.push(track);
        }
        this.tracks = tracks;
        this.serviceNames = pulumi
            .all(tracks.map((t) => t.service.metadata.name))
            .apply((names) => Object.fromEntries(tracks.map((t, i) => [t.spec.track, names[i]!])));
        this.registerOutputs({ serviceNames: this.serviceNames, secretName: this.secretName });
    }

    private createTrack(name: string, spec: TrackSpec, args: AppWorkloadArgs, envFrom: EnvFromSource[], migrateAfter: pulumi.Resource[]): Track {
        const child = { parent: this };
        const ns = args.namespace;
        // Selector and resource names follow the Deployment's name, not the track: switching the
        // strategy (rolling → blue/green: the stable track becomes blue) then updates app-deployment
        // in place, where a changed selector (immutable) or resource name would replace it.
        const selector = { "app.kubernetes.io/name": args.appName, "app.kubernetes.io/instance": spec.deploymentName };
        const labels = { ...selector, track: spec.track, "app.kubernetes.io/component": "server", "app.kubernetes.io/managed-by": "pulumi" };
        const prefix = `${name}-${spec.deploymentName.replace(/^app-deployment-?/, "") || "stable"}`;
        const imageKey = imageReference(spec.image);
        const image = args.registryHost !== undefined && isBareRepository(spec.image.repository) ? pulumi.interpolate`${args.registryHost}/${imageKey}` : imageKey;
        const t: TrackParts = { spec, imageKey, image, selector, labels, envFrom };

        const exposed = spec.exposed === true && args.nodePort !== undefined;
        const service = new k8s.core.v1.Service(
            `${prefix}-service`,
            {
                // Created before the pods it selects (the load balancer's webhook reads it when they
                // are made), so Pulumi must not wait for its endpoints: they follow the Deployment,
                // whose own await checks that the pods become Ready.
                metadata: { name: spec.serviceName, namespace: ns, labels, annotations: { "pulumi.com/skipAwait": "true" } },
                spec: {
                    type: exposed ? "NodePort" : "ClusterIP",
                    selector,
                    ports: [{ name: "http", port: SERVICE_PORT, targetPort: "http", protocol: "TCP", ...(exposed ? { nodePort: args.nodePort } : {}) }],
                },
            },
            child,
        );

        const migrations = this.createMigrations(prefix, t, args, migrateAfter);
        // The Service (and what must follow it) before the pods, which the Service's selector picks.
        const deployment = this.createDeployment(prefix, t, args, [migrations, service, ...(args.beforePods?.(spec, service) ?? [])]);

        const autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${prefix}-autoscaler`,
            {
                metadata: { name: spec.deploymentName, namespace: ns, labels },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                    minReplicas: spec.replicas.min,
                    maxReplicas: spec.replicas.max,
                    // Runbook 3.2 targets: CPU under 70%, memory under 80%.
                    metrics: [
                        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
                        { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
                    ],
                },
            },
            child,
        );

        const disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            `${prefix}-disruption-budget`,
            {
                metadata: { name: spec.deploymentName, namespace: ns, labels },
                spec: {
                    // One pod at a time for voluntary disruptions (node drains): never blocks a drain, even at one replica.
                    maxUnavailable: 1,
                    unhealthyPodEvictionPolicy: "AlwaysAllow",
                    selector: { matchLabels: selector },
                },
            },
            child,
        );

        return { spec, migrations, deployment, service, autoscaler, disruptionBudget };
    }

    /** The track's migrations Job: the app's image runs `migrationCommand` before the Deployment rolls (runbook 4.1). */
    private createMigrations(prefix: string, t: TrackParts, args: AppWorkloadArgs, migrateAfter: pulumi.Resource[]): k8s.batch.v1.Job {
        return new k8s.batch.v1.Job(
            `${prefix}-migrations`,
            {
                metadata: {
                    name: `${t.spec.deploymentName}-migrate-${contentHash(t.imageKey, ...args.migrationCommand)}`,
                    namespace: args.namespace,
                    labels: { ...t.labels, "app.kubernetes.io/component": "migrations" },
                },
                spec: {
                    backoffLimit: 2,
                    activeDeadlineSeconds: 900,
                    template: {
                        metadata: { labels: { ...t.selector, "app.kubernetes.io/component": "migrations" } },
                        spec: {
                            restartPolicy: "Never",
                            serviceAccountName: this.serviceAccount.metadata.name,
                            automountServiceAccountToken: args.mountServiceAccountToken ?? false,
                            securityContext: restrictedPodSecurityContext(args.runAsUser),
                            containers: [
                                {
                                    name: "migrate",
                                    image: t.image,
                                    imagePullPolicy: "IfNotPresent",
                                    command: args.migrationCommand,
                                    envFrom: t.envFrom,
                                    resources: args.resources,
                                    securityContext: restrictedContainerSecurityContext(args.runAsUser),
                                    volumeMounts: [TMP_MOUNT],
                                },
                            ],
                            volumes: [TMP_VOLUME],
                        },
                    },
                },
            },
            { parent: this, dependsOn: migrateAfter, customTimeouts: { create: "20m", update: "20m" } },
        );
    }

    /** The track's Deployment: rolls without dropping below capacity, probes, graceful termination. */
    private createDeployment(prefix: string, t: TrackParts, args: AppWorkloadArgs, dependsOn: pulumi.Resource[]): k8s.apps.v1.Deployment {
        return new k8s.apps.v1.Deployment(
            `${prefix}-deployment`,
            {
                // A Secret kept by External Secrets changes in place: the Reloader rolls the pods when it does.
                metadata: {
                    name: t.spec.deploymentName,
                    namespace: args.namespace,
                    labels: t.labels,
                    ...("existingSecretName" in args.secrets ? { annotations: reloadAnnotations(this.secretName) } : {}),
                },
                spec: {
                    // No `replicas`: the autoscaler owns the count, and a value here would reset it on
                    // every `pulumi up`. A new Deployment starts at one pod; the autoscaler raises it
                    // to its minimum within a sync period.
                    revisionHistoryLimit: 10,
                    progressDeadlineSeconds: 600,
                    minReadySeconds: 5,
                    // Never below the desired capacity: new pods come up (and pass readiness) before old ones go.
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                    selector: { matchLabels: t.selector },
                    template: {
                        metadata: { labels: t.labels },
                        spec: {
                            serviceAccountName: this.serviceAccount.metadata.name,
                            automountServiceAccountToken: args.mountServiceAccountToken ?? false,
                            securityContext: restrictedPodSecurityContext(args.runAsUser),
                            ...(args.sidecar ? { initContainers: args.sidecar.initContainers } : {}),
                            terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
                            topologySpreadConstraints: ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
                                topologyKey,
                                maxSkew: 1,
                                // Soft: a single-node dev cluster or a zone short of capacity still schedules.
                                whenUnsatisfiable: "ScheduleAnyway",
                                labelSelector: { matchLabels: t.selector },
                                matchLabelKeys: ["pod-template-hash"],
                            })),
                            containers: [
                                {
                                    name: "app",
                                    image: t.image,
                                    imagePullPolicy: "IfNotPresent",
                                    ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
                                    envFrom: t.envFrom,
                                    resources: args.resources,
                                    securityContext: restrictedContainerSecurityContext(args.runAsUser),
                                    // Startup: the process listens, within 2 minutes; liveness and readiness wait for it.
                                    startupProbe: { tcpSocket: { port: "http" }, periodSeconds: 5, failureThreshold: 24 },
                                    // Liveness: the process answers on its port. Not /health: a database
                                    // outage must take pods out of the load balancer, not restart them all.
                                    livenessProbe: { tcpSocket: { port: "http" }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
                                    // Readiness: /health's dependency checks pass (runbook 3.7), so traffic may come.
                                    readinessProbe: {
                                        httpGet: { path: HEALTH_PATH, port: "http" },
                                        periodSeconds: 5,
                                        timeoutSeconds: 3,
                                        failureThreshold: 3,
                                        successThreshold: 1,
                                    },
                                    // Graceful termination: keep serving while endpoints and the load balancer
                                    // deregister the pod, then SIGTERM lets in-flight requests finish.
                                    lifecycle: { preStop: { sleep: { seconds: 5 } } },
                                    volumeMounts: [TMP_MOUNT],
                                },
                            ],
                            volumes: [TMP_VOLUME, ...(args.sidecar?.volumes ?? [])],
                        },
                    },
                },
            },
            { parent: this, dependsOn },
        );
    }
}

function secretValues(values: Record<string, pulumi.Input<string>>): Record<string, pulumi.Output<string>> {
    // Each value a Pulumi secret of its own, so no plan, state or output shows one in plain text.
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, pulumi.secret(v)]));
}

/** Structural checks, before any resource exists; every problem at once. */
function validateArgs(args: AppWorkloadArgs): void {
    const problems: string[] = [];
    if (args.tracks.length === 0) problems.push("tracks: at least one (the stable track)");
    const names = args.tracks.flatMap((t) => [t.deploymentName, t.serviceName]);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) problems.push(`tracks: names must be unique, ${duplicate} appears twice`);
    for (const t of args.tracks) {
        if (t.replicas.min > t.replicas.max) problems.push(`tracks.${t.track}.replicas: min ${t.replicas.min} is above max ${t.replicas.max}`);
    }
    if (args.tracks.filter((t) => t.exposed).length > 1) problems.push("tracks: at most one exposed track");
    if (problems.length > 0) throw new Error(`AppWorkload: ${problems.join("; ")}`);
}
