import * as fs from "fs";
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    AppNamespace,
    AppWorkload,
    DataSeed,
    InClusterStores,
    SERVICE_PORT,
    SecretSource,
    type TrackSpec,
    appTracks,
    borrowedClusterProvider,
    generatedSecretKey,
    localClusterProvider,
} from "../modules/workload";
import type { Problem } from "../settings/errors";
import type { Settings } from "../settings/load";
import type { StackShape } from "../settings/shape";
import { quantity } from "../settings/workloadSchema";
import type { FlagsSidecar } from "./flags";
import type { StackNames } from "./names";

/**
 * The workload layer of a stack: the app on Kubernetes, and for the stacks without managed data
 * stores (dev, pr-<N>) PostgreSQL and Redis inside the namespace, seeded with synthetic data.
 */

/** The project root: settings paths (the seed SQL) are relative to it. */
const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * EXTERNAL_API_KEY on dev when `externalApiKey` is not set: a development value, not a secret
 * of any real service (runbook 2.2's `.env` uses the same idea).
 */
export const DEVELOPMENT_EXTERNAL_API_KEY = "dev-api-key-development-only-not-a-secret";

/**
 * Where the app's secret variables (DATABASE_URL, REDIS_URL, SECRET_KEY, EXTERNAL_API_KEY) come from.
 * - `inCluster` (dev, previews): PostgreSQL and Redis in the namespace; the layer keeps their URLs
 *   and generated values in a Secret of its own.
 * - `external` (cloud stacks): a Secret another layer fills in the namespace (External Secrets
 *   Operator, from Secrets Manager). `inNamespace` makes what fills it once the namespace exists
 *   (the namespace is this layer's, so the caller cannot make it first) and returns what the
 *   migrations wait for: the Job reads that Secret.
 */
export type WorkloadSecrets =
    | { kind: "inCluster" }
    | { kind: "external"; secretName: string; inNamespace: (namespace: pulumi.Output<string>) => pulumi.Resource[] };

/** What the workload is composed on. */
export interface WorkloadDeps {
    /** The cluster: dev's local one, staging's for a preview, or the cloud stack's own. */
    kubernetes: k8s.Provider;
    secrets: WorkloadSecrets;
    /** Plain environment variables the stack's other layers give the app (the tracing endpoint). */
    config?: Record<string, string>;
    /** The feature-flag agent beside the app (environments/flags.ts). */
    flags?: FlagsSidecar;
    /** What the app's first pod must wait for: its Pod Identity association (credentials are injected at pod creation). */
    podsAwait?: pulumi.Resource[];
    /**
     * The load balancer the pods join (cloud stacks): the labels the namespace carries for it, and
     * what each track's Deployment waits for once its Service exists (its TargetGroupBinding).
     * @default none: dev and previews are reached without the load balancer controller
     */
    loadBalancer?: {
        namespaceLabels: Readonly<Record<string, string>>;
        beforePods: (namespace: pulumi.Output<string>, track: TrackSpec, service: k8s.core.v1.Service) => pulumi.Resource[];
    };
    /** The registry host a bare image repository is pulled from (the stack's own ECR; staging's for a pr-<N>). */
    registryHost?: pulumi.Input<string>;
    /** The kube context the printed kubectl commands name, when not `kubernetes.context` (a cloud stack's: the context its kubeconfig creates). */
    kubeContext?: string;
}

/** What the composition made, for the platform layer (load balancer) and the stack outputs. */
export interface ComposedWorkload {
    namespace: AppNamespace;
    app: AppWorkload;
    stores?: InClusterStores;
    seed?: DataSeed;
    /** Stack outputs of the workload layer. */
    outputs: Record<string, pulumi.Input<unknown>>;
}

/** The plain environment variables of the app (runbook 2.2), for its ConfigMap. */
export function appConfig(settings: Pick<Settings, "logging" | "environment" | "app">): Record<string, string> {
    return {
        LOG_LEVEL: settings.logging.level,
        ENVIRONMENT: settings.environment,
        JWT_EXPIRATION_MINUTES: String(settings.app.jwtExpirationMinutes),
        EXTERNAL_API_URL: settings.app.externalApiUrl,
        PORT: String(settings.app.port),
    };
}

/** dev's local cluster: the kube context or kubeconfig from settings (the pre-check requires one). */
export function localCluster(settings: Settings, names: StackNames): k8s.Provider {
    return localClusterProvider(names.workload.localCluster, { context: settings.kubernetes.context, kubeconfig: settings.kubernetes.kubeconfig });
}

/** A preview's cluster: staging's, through the staging stack's `kubeconfig` output. */
export function previewCluster(settings: Settings, names: StackNames): k8s.Provider {
    // kubernetes.clusterStack is set: the pre-check (workloadSettingsProblems) stops a preview without it.
    return borrowedClusterProvider(names.workload.previewCluster, { stackReferenceName: names.workload.clusterStackReference, clusterStack: settings.kubernetes.clusterStack! });
}

/** Settings the workload needs that the schema alone cannot require (they depend on the stack's shape). */
export function workloadSettingsProblems(settings: Settings, shape: StackShape): Problem[] {
    const problems: Problem[] = [];
    const k = settings.kubernetes;
    if (shape === "local" && !k.context && !k.kubeconfig) {
        problems.push({
            key: "ops:kubernetes.context",
            received: "nothing (neither kubernetes.context nor kubernetes.kubeconfig is set)",
            allowed: "the kube context of the local cluster: without one, dev would deploy to whatever cluster is current",
            fix: "pulumi config set --path kubernetes.context kind-ops   (or set kubernetes.kubeconfig)",
        });
    }
    if (shape === "preview" && !k.clusterStack) {
        problems.push({
            key: "ops:kubernetes.clusterStack",
            received: "nothing (the key is not set)",
            allowed: "the stack reference of the staging stack, whose kubeconfig output is the cluster a preview runs on",
            fix: "pulumi config set --path kubernetes.clusterStack organization/ops/staging",
        });
    }
    if (shape === "preview" && settings.externalApiKey === undefined) {
        problems.push({
            key: "ops:externalApiKey",
            received: "nothing (the key is not set)",
            allowed: "the EXTERNAL_API_KEY of the staging external API, as a secret (only dev falls back to a development value)",
            fix: "pulumi config set --secret externalApiKey <value>   (or set OPS_EXTERNAL_API_KEY in CI)",
        });
    }
    // A node port outside a local cluster: the loader refuses it (kubernetes.nodePort is read by local stacks only).
    for (const unit of ["cpu", "memory"] as const) {
        const req = quantity(settings.app.resources.requests[unit]);
        const lim = quantity(settings.app.resources.limits[unit]);
        if (req > lim) {
            problems.push({
                key: `ops:app.resources.requests.${unit}`,
                received: JSON.stringify(settings.app.resources.requests[unit]),
                allowed: `at most the limit app.resources.limits.${unit} (${settings.app.resources.limits[unit]})`,
                fix: `lower app.resources.requests.${unit} or raise app.resources.limits.${unit}`,
            });
        }
    }
    return problems;
}

/**
 * Composes the workload of a stack on the given cluster: the namespace, the app's tracks and, with
 * in-cluster secrets (dev, pr-<N>), PostgreSQL and Redis in the namespace and the seed Job.
 */
export function composeWorkload(settings: Settings, names: StackNames, deps: WorkloadDeps): ComposedWorkload {
    const opts = { providers: { kubernetes: deps.kubernetes } };
    const n = names.workload;
    const namespace = new AppNamespace(n.app, { name: n.namespace, labels: { "app.kubernetes.io/part-of": n.app, ...deps.loadBalancer?.namespaceLabels } }, opts);
    const ns = namespace.name;
    let stores: InClusterStores | undefined;
    let secrets: SecretSource;
    let secretSources: pulumi.Resource[] = [];
    if (deps.secrets.kind === "inCluster") {
        const inCluster = inClusterStores(settings, names, ns, opts);
        stores = inCluster.stores;
        secrets = { values: inCluster.secretValues };
    } else {
        secrets = { existingSecretName: deps.secrets.secretName };
        secretSources = deps.secrets.inNamespace(ns);
    }
    const tracks = appTracks(settings.app, settings.deployment);
    const flagsSources = deps.flags?.inNamespace?.(ns, opts) ?? [];

    const app = new AppWorkload(
        n.app,
        {
            namespace: ns,
            appName: n.app,
            port: settings.app.port,
            tracks,
            config: { ...appConfig(settings), ...deps.config, ...deps.flags?.config },
            secrets,
            migrationCommand: settings.app.migrationCommand,
            ...(deps.registryHost !== undefined ? { registryHost: deps.registryHost } : {}),
            resources: settings.app.resources,
            terminationGracePeriodSeconds: settings.app.terminationGracePeriodSeconds,
            runAsUser: settings.app.runAsUser,
            mountServiceAccountToken: settings.app.mountServiceAccountToken,
            nodePort: settings.kubernetes.nodePort,
            migrationsDependOn: [...(stores ? [stores.postgres, stores.redis] : []), ...secretSources, ...flagsSources, ...(deps.podsAwait ?? [])],
            ...(deps.flags ? { sidecar: deps.flags.sidecar } : {}),
            ...(deps.loadBalancer ? { beforePods: (track: TrackSpec, service: k8s.core.v1.Service) => deps.loadBalancer!.beforePods(ns, track, service) } : {}),
        },
        opts,
    );

    const seed = stores
        ? new DataSeed(
              n.seed,
              {
                  namespace: ns,
                  sql: fs.readFileSync(path.join(PROJECT_ROOT, settings.inClusterStores.seedSqlPath), "utf8"),
                  image: settings.inClusterStores.postgresImage,
                  databaseUrlSecret: { name: app.secretName, key: "DATABASE_URL" },
                  dependsOn: app.tracks.map((t) => t.migrations),
              },
              opts,
          )
        : undefined;

    const outputs: Record<string, pulumi.Input<unknown>> = {
        namespace: ns,
        deployments: app.tracks.map((t) => t.spec.deploymentName),
        services: app.serviceNames,
        rollbackCommand: pulumi.interpolate`kubectl${contextFlag(deps.kubeContext ?? settings.kubernetes.context)} --namespace ${ns} rollout undo deployment/${tracks[0]!.deploymentName}`,
    };
    return { namespace, app, stores, seed, outputs };
}

/** PostgreSQL and Redis in the namespace, and the app's secret values: their URLs and generated ones. */
function inClusterStores(
    settings: Settings,
    names: StackNames,
    namespace: pulumi.Output<string>,
    opts: pulumi.ComponentResourceOptions,
): { stores: InClusterStores; secretValues: Record<string, pulumi.Input<string>> } {
    const s = settings.inClusterStores;
    const stores = new InClusterStores(names.workload.stores, { namespace, postgresImage: s.postgresImage, redisImage: s.redisImage, storageGiB: s.storageGiB }, opts);
    return {
        stores,
        secretValues: {
            DATABASE_URL: stores.databaseUrl,
            REDIS_URL: stores.redisUrl,
            // Beside the stores whose secrets it joins; first made at the root, so the alias keeps it (a new key would log everyone out).
            SECRET_KEY: generatedSecretKey(names.workload.secretKey, { parent: stores, aliases: [{ parent: pulumi.rootStackResource }] }),
            EXTERNAL_API_KEY: settings.externalApiKey ?? DEVELOPMENT_EXTERNAL_API_KEY,
        },
    };
}

/** ` --context <context>` when there is one, for the printed kubectl commands. */
function contextFlag(context: string | undefined): string {
    return context ? ` --context ${context}` : "";
}

/** How to reach the app on a local cluster: the port-forward and health-check commands (stack outputs). */
export function localAccessOutputs(settings: Settings, workload: ComposedWorkload): Record<string, pulumi.Input<unknown>> {
    const tracks = appTracks(settings.app, settings.deployment);
    const exposed = tracks.find((t) => t.exposed) ?? tracks[0]!;
    return {
        portForwardCommand: pulumi.interpolate`kubectl${contextFlag(settings.kubernetes.context)} --namespace ${workload.namespace.name} port-forward service/${exposed.serviceName} ${settings.app.port}:${SERVICE_PORT}`,
        healthCheckCommand: `curl -i http://localhost:${settings.app.port}/health`,
    };
}
