import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AppNamespace, AppWorkload, DataSeed, InClusterStores, SERVICE_PORT, TrackSpec } from "../modules/workload";
import { Problem, SettingsError } from "../settings/errors";
import type { Settings } from "../settings/load";

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

/** The stack output a cluster stack (staging) exports for pr-<N> stacks: its kubeconfig, secret. */
export const CLUSTER_KUBECONFIG_OUTPUT = "kubeconfig";

/** What the platform layer hands the workload on cloud stacks. */
export interface WorkloadExtras {
    /**
     * Name of an existing Secret in the namespace with DATABASE_URL, REDIS_URL, SECRET_KEY and
     * EXTERNAL_API_KEY (External Secrets Operator's). Required on stacks without in-cluster stores.
     */
    existingSecretName?: pulumi.Input<string>;
    /** Resources the migrations wait for (the database, the secret sync). */
    dependsOn?: pulumi.Resource[];
    /**
     * Makes what fills `existingSecretName` inside the namespace once it exists (on cloud stacks the
     * ExternalSecret), and returns the resources the migrations wait for beside `dependsOn`: the
     * Job reads that Secret, and the namespace is this layer's, so the caller cannot make it first.
     */
    inNamespace?: (namespace: pulumi.Output<string>) => pulumi.Resource[];
    /** Plain environment variables the stack's other layers give the app (the tracing endpoint). */
    config?: Record<string, string>;
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

/** dev and pr-<N> run their own PostgreSQL and Redis in the namespace (architecture, "Stacks"). */
export function usesInClusterStores(settings: Pick<Settings, "platform" | "profile">): boolean {
    return settings.platform === "local" || settings.profile === "preview";
}

/** The workload's namespace: `kubernetes.namespace`, else the app name, suffixed by the stack for a preview. */
export function namespaceName(settings: Pick<Settings, "kubernetes" | "appName" | "profile" | "stack">): string {
    if (settings.kubernetes.namespace) return settings.kubernetes.namespace;
    return settings.profile === "preview" ? `${settings.appName}-${settings.stack}` : settings.appName;
}

/** The app's tracks for the deployment strategy (runbook 1.2), stable first. */
export function tracksFor(settings: Pick<Settings, "app" | "deployment">): TrackSpec[] {
    const { app, deployment } = settings;
    const stable = { deploymentName: "app-deployment", serviceName: "app", image: app.image, replicas: app.replicas };
    switch (deployment.strategy) {
        case "rolling":
            return [{ ...stable, track: "stable", exposed: true }];
        case "canary":
            return [
                { ...stable, track: "stable", exposed: true },
                {
                    track: "canary",
                    deploymentName: "app-deployment-canary",
                    serviceName: "app-canary",
                    image: deployment.canary!.image,
                    // The canary takes a share of traffic, so it scales from one pod.
                    replicas: { min: 1, max: app.replicas.max },
                },
            ];
        case "blueGreen": {
            const active = deployment.blueGreen!.active;
            return [
                { ...stable, track: "blue", exposed: active === "blue" },
                {
                    track: "green",
                    deploymentName: "app-deployment-green",
                    serviceName: "app-green",
                    image: deployment.blueGreen!.greenImage,
                    // Either colour may take all the traffic: both are sized alike.
                    replicas: app.replicas,
                    exposed: active === "green",
                },
            ];
        }
    }
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

/**
 * The Kubernetes provider of a stack that has no cluster of its own: dev's local cluster (kube
 * context or kubeconfig from settings), or, for pr-<N>, the staging cluster through a
 * StackReference to the staging stack's `kubeconfig` output. Cloud stacks (staging, production)
 * get theirs from the cluster module: undefined here.
 */
export function kubernetesProviderFor(settings: Settings): k8s.Provider | undefined {
    const problems = workloadSettingsProblems(settings);
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    if (settings.platform === "local") {
        return new k8s.Provider("local-cluster", {
            ...(settings.kubernetes.context ? { context: settings.kubernetes.context } : {}),
            ...(settings.kubernetes.kubeconfig ? { kubeconfig: settings.kubernetes.kubeconfig } : {}),
        });
    }
    if (settings.profile === "preview") {
        const cluster = new pulumi.StackReference("cluster-stack", { name: settings.kubernetes.clusterStack! });
        return new k8s.Provider("preview-cluster", {
            kubeconfig: pulumi.secret(cluster.requireOutput(CLUSTER_KUBECONFIG_OUTPUT).apply(String)),
        });
    }
    return undefined;
}

/** Settings the workload needs that the schema alone cannot require (they depend on the stack). */
export function workloadSettingsProblems(settings: Settings): Problem[] {
    const problems: Problem[] = [];
    const k = settings.kubernetes;
    if (settings.platform === "local" && !k.context && !k.kubeconfig) {
        problems.push({
            key: "ops:kubernetes.context",
            received: "nothing (neither kubernetes.context nor kubernetes.kubeconfig is set)",
            allowed: "the kube context of the local cluster: without one, dev would deploy to whatever cluster is current",
            fix: "pulumi config set --path kubernetes.context kind-ops   (or set kubernetes.kubeconfig)",
        });
    }
    if (settings.profile === "preview" && !k.clusterStack) {
        problems.push({
            key: "ops:kubernetes.clusterStack",
            received: "nothing (the key is not set)",
            allowed: "the stack reference of the staging stack, whose kubeconfig output is the cluster a preview runs on",
            fix: "pulumi config set --path kubernetes.clusterStack organization/ops/staging",
        });
    }
    if (settings.profile === "preview" && settings.externalApiKey === undefined) {
        problems.push({
            key: "ops:externalApiKey",
            received: "nothing (the key is not set)",
            allowed: "the EXTERNAL_API_KEY of the staging external API, as a secret (only dev falls back to a development value)",
            fix: "pulumi config set --secret externalApiKey <value>   (or set OPS_EXTERNAL_API_KEY in CI)",
        });
    }
    if (k.nodePort !== undefined && settings.platform !== "local") {
        problems.push({
            key: "ops:kubernetes.nodePort",
            received: String(k.nodePort),
            allowed: "no value outside dev: cloud stacks are reached through the load balancer",
            fix: "pulumi config rm --path kubernetes.nodePort",
        });
    }
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

/** A CPU or memory quantity as a number (cores, bytes), for comparisons. */
export function quantity(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(q);
    if (!m) return NaN;
    const factor = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2] ?? ""] ?? 1;
    return Number(m[1]) * factor;
}

/**
 * Composes the workload of a stack on the given cluster. In-cluster stores on dev and pr-<N>;
 * on cloud stacks `extras.existingSecretName` names the Secret the platform layer keeps.
 */
export function composeWorkload(settings: Settings, provider: k8s.Provider, extras: WorkloadExtras = {}): ComposedWorkload {
    const problems = workloadSettingsProblems(settings);
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    const opts = { providers: { kubernetes: provider } };
    const name = settings.appName;
    const namespace = new AppNamespace(name, { name: namespaceName(settings), labels: { "app.kubernetes.io/part-of": name } }, opts);
    const ns = namespace.name;

    let stores: InClusterStores | undefined;
    let secrets: ConstructorParameters<typeof AppWorkload>[1]["secrets"];
    if (usesInClusterStores(settings)) {
        const s = settings.inClusterStores;
        stores = new InClusterStores(`${name}-stores`, { namespace: ns, postgresImage: s.postgresImage, redisImage: s.redisImage, storageGiB: s.storageGiB }, opts);
        // 256 random bits (runbook 2.2: SECRET_KEY, a random 256-bit key).
        const secretKey = new random.RandomBytes(`${name}-secret-key`, { length: 32 });
        secrets = {
            values: {
                DATABASE_URL: stores.databaseUrl,
                REDIS_URL: stores.redisUrl,
                SECRET_KEY: pulumi.secret(secretKey.base64),
                EXTERNAL_API_KEY: settings.externalApiKey ?? DEVELOPMENT_EXTERNAL_API_KEY,
            },
        };
    } else if (extras.existingSecretName !== undefined) {
        secrets = { existingSecretName: extras.existingSecretName };
    } else {
        throw new Error(
            `Stack ${settings.stack} has no in-cluster data stores, so composeWorkload needs extras.existingSecretName: the Secret with DATABASE_URL, REDIS_URL, SECRET_KEY and EXTERNAL_API_KEY.`,
        );
    }
    const secretSources = extras.inNamespace?.(ns) ?? [];

    const app = new AppWorkload(
        name,
        {
            namespace: ns,
            appName: name,
            port: settings.app.port,
            tracks: tracksFor(settings),
            config: { ...appConfig(settings), ...extras.config },
            secrets,
            migrationCommand: settings.app.migrationCommand,
            resources: settings.app.resources,
            terminationGracePeriodSeconds: settings.app.terminationGracePeriodSeconds,
            runAsUser: settings.app.runAsUser,
            mountServiceAccountToken: settings.app.mountServiceAccountToken,
            nodePort: settings.kubernetes.nodePort,
            migrationsDependOn: [...(stores ? [stores.postgres, stores.redis] : []), ...(extras.dependsOn ?? []), ...secretSources],
        },
        opts,
    );

    let seed: DataSeed | undefined;
    if (stores) {
        seed = new DataSeed(
            `${name}-seed`,
            {
                namespace: ns,
                sql: fs.readFileSync(path.join(PROJECT_ROOT, settings.inClusterStores.seedSqlPath), "utf8"),
                image: settings.inClusterStores.postgresImage,
                databaseUrlSecret: { name: app.secretName, key: "DATABASE_URL" },
                dependsOn: app.tracks.map((t) => t.migrations),
            },
            opts,
        );
    }

    const context = settings.kubernetes.context ? ` --context ${settings.kubernetes.context}` : "";
    const exposed = tracksFor(settings).find((t) => t.exposed) ?? tracksFor(settings)[0]!;
    const outputs: Record<string, pulumi.Input<unknown>> = {
        namespace: ns,
        deployments: app.tracks.map((t) => t.spec.deploymentName),
        services: app.serviceNames,
        rollbackCommand: pulumi.interpolate`kubectl${context} --namespace ${ns} rollout undo deployment/app-deployment`,
    };
    if (settings.platform === "local") {
        outputs["portForwardCommand"] = pulumi.interpolate`kubectl${context} --namespace ${ns} port-forward service/${exposed.serviceName} ${settings.app.port}:${SERVICE_PORT}`;
        outputs["healthCheckCommand"] = `curl -i http://localhost:${settings.app.port}/health`;
    }
    return { namespace, app, stores, seed, outputs };
}
