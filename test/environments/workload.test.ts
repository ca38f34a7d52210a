import { SettingsError } from "../../settings/errors";
import { Settings, SettingsSource, loadSettings } from "../../settings/load";
import { stackNames } from "../../environments/names";
import { appConfig, workloadSettingsProblems } from "../../environments/workload";
import { stackShape } from "../../settings/shape";
import { imageReference } from "../../modules/workload";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { planWith } from "../helpers/planWith";
import { Plan, PlanQuery, PlannedResource } from "../helpers/plan";
import { deployEnv, ROOT, SECRET_SENTINELS } from "../helpers/stacks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plan's JSON, read by path in a test
type Json = any;

function source(stack: string, config: Record<string, string> = {}, env: Record<string, string> = {}): SettingsSource {
    const files = readStackConfig(ROOT, stack);
    return { project: "ops", stack, config: { ...files.config, ...config }, env: { ...deployEnv(stack), ...env } };
}

function problemKeys(src: SettingsSource): string[] {
    try {
        loadSettings(src);
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.problems.map((p) => p.key);
        throw e;
    }
    throw new Error("expected a SettingsError, but the settings loaded");
}

const spec = (r: PlannedResource): Json => r.inputs["spec"] as Json;
const podOf = (r: PlannedResource): Json => spec(r).template.spec;
const nameOf = (r: PlannedResource): string => (r.inputs["metadata"] as Json).name;

describe("the dev stack's workload", () => {
    const dev = (): PlanQuery => PlanQuery.of("dev");
    const deployment = (): PlannedResource => dev().one("kubernetes:apps/v1:Deployment", "myapp-stable-deployment");
    const migrations = (): PlannedResource => dev().one("kubernetes:batch/v1:Job", "myapp-stable-migrations");

    it("creates no AWS resource and no AWS provider at all", () => {
        expect(dev().ofPackage("aws")).toEqual([]);
        expect(dev().resources.filter((r) => r.type === "pulumi:providers:aws")).toEqual([]);
    });

    it("deploys to the kind cluster's kube context", () => {
        expect(dev().one("pulumi:providers:kubernetes").inputs).toMatchObject({ context: "kind-ops" });
    });

    it("names the Deployment app-deployment, rolls without dropping below capacity, and keeps revisions", () => {
        const d = deployment();
        expect(nameOf(d)).toBe("app-deployment");
        expect(spec(d).strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } });
        expect(spec(d).revisionHistoryLimit).toBe(10);
        // The autoscaler owns the replica count.
        expect(spec(d).replicas).toBeUndefined();
    });

    it("runs the pinned image with the dev profile's resources and graceful termination", () => {
        const pod = podOf(deployment());
        const app = pod.containers[0];
        expect(app.image).toBe("myapp/backend:1.0.0");
        expect(app.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
        expect(pod.terminationGracePeriodSeconds).toBe(30);
        expect(app.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
        expect(pod.topologySpreadConstraints.map((t: Json) => t.topologyKey)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
    });

    it("probes liveness, readiness and startup differently: alive, /health, started", () => {
        const app = podOf(deployment()).containers[0];
        expect(app.livenessProbe).toMatchObject({ tcpSocket: { port: "http" } });
        expect(app.readinessProbe).toMatchObject({ httpGet: { path: "/health", port: "http" } });
        expect(app.startupProbe).toMatchObject({ tcpSocket: { port: "http" }, failureThreshold: 24 });
        expect(app.livenessProbe).not.toEqual(app.readinessProbe);
        expect(app.ports).toEqual([{ name: "http", containerPort: 8000, protocol: "TCP" }]);
    });

    it("migrates before the rollout: the Deployment depends on the migrations Job, which runs the app's image and environment", () => {
        const job = migrations();
        expect(deployment().dependsOn).toContain(job.urn);
        const migrate = podOf(job).containers[0];
        expect(migrate.command).toEqual(["alembic", "upgrade", "head"]);
        expect(migrate.image).toBe(podOf(deployment()).containers[0].image);
        expect(migrate.envFrom).toEqual(podOf(deployment()).containers[0].envFrom);
        expect(podOf(job).restartPolicy).toBe("Never");
        expect(nameOf(job)).toMatch(/^app-deployment-migrate-[0-9a-f]{10}$/);
        expect(job.options).toMatchObject({ customTimeouts: { create: "20m", update: "20m" } });
    });

    it("migrates once the in-cluster stores are up, and seeds after the migrations", () => {
        const stores = ["myapp-stores-postgres", "myapp-stores-redis"].map((n) => dev().one("kubernetes:apps/v1:StatefulSet", n).urn);
        // And the feature flags' ConfigMap, which the app's pods mount.
        const flags = dev().one("kubernetes:core/v1:ConfigMap", "myapp-development-flags-config").urn;
        expect(migrations().dependsOn).toEqual([...stores, flags]);
        const seed = dev().one("kubernetes:batch/v1:Job", "myapp-seed-job");
        expect(seed.dependsOn).toEqual([migrations().urn]);
        expect(podOf(seed).containers[0].command.join(" ")).toContain("--file=/seed/seed.sql");
    });

    it("gives the app the runbook's plain variables in a ConfigMap and its secrets in a Secret", () => {
        const config = dev().one("kubernetes:core/v1:ConfigMap", "myapp-config").inputs;
        expect(config["data"]).toEqual({
            LOG_LEVEL: "DEBUG",
            ENVIRONMENT: "development",
            JWT_EXPIRATION_MINUTES: "60",
            EXTERNAL_API_URL: "https://api.example.com",
            FEATURE_FLAGS_URL: "http://localhost:2772/applications/myapp-development/environments/development/configurations/feature-flags",
            PORT: "8000",
        });
        expect(config["immutable"]).toBe(true);
        const secret = dev().one("kubernetes:core/v1:Secret", "myapp-secrets").inputs;
        expect(secret["stringData"]).toBe("[secret]");
        const envFrom = podOf(deployment()).containers[0].envFrom;
        // Auto-named (immutable: a changed value is a new object, and the pods roll).
        expect(envFrom).toEqual([
            { configMapRef: { name: expect.stringMatching(/^myapp-config-[0-9a-f]{8}$/) } },
            { secretRef: { name: expect.stringMatching(/^myapp-secrets-[0-9a-f]{8}$/) } },
        ]);
    });

    it("exposes the app on node port 30800 (kind maps it to localhost:8000), autoscales 1 to 2, and lets drains through", () => {
        const service = dev().one("kubernetes:core/v1:Service", "myapp-stable-service");
        expect(nameOf(service)).toBe("app");
        expect(spec(service)).toMatchObject({ type: "NodePort", ports: [{ name: "http", port: 80, targetPort: "http", nodePort: 30800, protocol: "TCP" }] });
        const hpa = spec(dev().one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler"));
        expect([hpa.minReplicas, hpa.maxReplicas, hpa.scaleTargetRef.name]).toEqual([1, 2, "app-deployment"]);
        expect(spec(dev().one("kubernetes:policy/v1:PodDisruptionBudget"))).toMatchObject({ maxUnavailable: 1 });
        expect(dev().one("kubernetes:core/v1:ServiceAccount").inputs["automountServiceAccountToken"]).toBe(false);
    });

    it("runs PostgreSQL and Redis from pinned official images, on persistent volumes, with random passwords", () => {
        const images = dev()
            .ofType("kubernetes:apps/v1:StatefulSet")
            .map((s) => podOf(s).containers[0].image);
        expect(images).toEqual(["postgres:16.4-bookworm", "redis:7.4.1-bookworm"]);
        for (const s of dev().allOf("kubernetes:apps/v1:StatefulSet")) {
            expect(spec(s).volumeClaimTemplates[0].spec.resources.requests.storage).toBe("1Gi");
            // Disposable data: the volume goes with the StatefulSet (a reset, a closed preview).
            expect(spec(s).persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Delete", whenScaled: "Retain" });
            expect(podOf(s).containers[0].readinessProbe.exec.command.length).toBeGreaterThan(1);
        }
        expect(dev().ofType("random:index/randomPassword:RandomPassword").map((r) => r.inputs["length"])).toEqual([32, 32]);
        expect(dev().one("random:index/randomBytes:RandomBytes").inputs["length"]).toBe(32);
    });

    it("prints the URL and the commands to reach it", () => {
        expect(dev().plan.outputs).toMatchObject({
            url: "http://localhost:8000",
            namespace: "myapp",
            deployments: ["app-deployment"],
            services: { stable: "app" },
            portForwardCommand: "kubectl --context kind-ops --namespace myapp port-forward service/app 8000:80",
            healthCheckCommand: "curl -i http://localhost:8000/health",
            rollbackCommand: "kubectl --context kind-ops --namespace myapp rollout undo deployment/app-deployment",
        });
    });
});

describe("a pr-<N> stack's workload", () => {
    const pr = (): PlanQuery => PlanQuery.of("pr-42");

    it("deploys into its own namespace on the staging cluster, through the staging stack's kubeconfig output", () => {
        expect(pr().one("pulumi:pulumi:StackReference").inputs).toEqual({ name: "organization/ops/staging" });
        expect(pr().one("pulumi:providers:kubernetes").inputs).toEqual({ kubeconfig: "[secret]" });
        expect(nameOf(pr().one("kubernetes:core/v1:Namespace"))).toBe("myapp-pr-42");
        expect(podOf(pr().one("kubernetes:apps/v1:Deployment")).containers[0].image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/staging/app:pr-42-3f9c2d1");
    });

    it("logs at INFO as staging, behind a ClusterIP Service", () => {
        expect(pr().one("kubernetes:core/v1:ConfigMap", "myapp-config").inputs["data"]).toMatchObject({ LOG_LEVEL: "INFO", ENVIRONMENT: "staging" });
        expect(spec(pr().one("kubernetes:core/v1:Service", "myapp-stable-service")).type).toBe("ClusterIP");
    });
});

describe("deployment strategies (runbook 1.2), planned in process", () => {
    // Serial: Pulumi's runtime state is per process.
    let canary: Plan;
    let blueGreen: Plan;
    beforeAll(async () => {
        const image = (tag: string): Json => ({ repository: "myapp/backend", tag });
        canary = await planWith({
            stack: "dev",
            config: { "ops:deployment": JSON.stringify({ strategy: "canary", canary: { image: image("1.1.0"), weights: { stable: 90, canary: 10 } } }) },
        });
        // Blue/green, with a new image on blue (app.image) too.
        blueGreen = await planWith({
            stack: "dev",
            config: { "ops:deployment": JSON.stringify({ strategy: "blueGreen", blueGreen: { greenImage: image("1.1.0"), active: "green" } }) },
            env: { ...SECRET_SENTINELS, OPS_APP__IMAGE__TAG: "1.0.1" },
        });
    }, 60000);

    const deployments = (plan: Plan): Array<[string, string]> =>
        new PlanQuery(plan).ofType("kubernetes:apps/v1:Deployment").map((d) => [nameOf(d), podOf(d).containers[0].image]);
    const services = (plan: Plan): Array<[string, string]> =>
        new PlanQuery(plan)
            .ofType("kubernetes:core/v1:Service")
            .filter((s) => (s.inputs["metadata"] as Json).name.startsWith("app"))
            .map((s) => [nameOf(s), spec(s).type]);

    it("canary: app-deployment-canary runs its own image beside the stable track, with its own Service", () => {
        expect(deployments(canary)).toEqual([
            ["app-deployment", "myapp/backend:1.0.0"],
            ["app-deployment-canary", "myapp/backend:1.1.0"],
        ]);
        expect(services(canary)).toEqual([
            ["app", "NodePort"],
            ["app-canary", "ClusterIP"],
        ]);
        expect(canary.outputs["services"]).toEqual({ stable: "app", canary: "app-canary" });
        // The canary migrates with its own image, after the stable track's migrations.
        const q = new PlanQuery(canary);
        const stableJob = q.one("kubernetes:batch/v1:Job", "myapp-stable-migrations");
        const canaryJob = q.one("kubernetes:batch/v1:Job", "myapp-canary-migrations");
        expect(canaryJob.dependsOn).toEqual([stableJob.urn]);
        expect(q.one("kubernetes:apps/v1:Deployment", "myapp-canary-deployment").dependsOn).toEqual([canaryJob.urn, q.one("kubernetes:core/v1:Service", "myapp-canary-service").urn]);
        expect(spec(q.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "myapp-canary-autoscaler")).minReplicas).toBe(1);
    });

    it("blue/green: app-deployment (blue) and app-deployment-green, localhost:8000 on the active one", () => {
        // Blue keeps the stable track's resources (names, selector): switching strategy updates app-deployment in place.
        const blue = new PlanQuery(blueGreen).one("kubernetes:apps/v1:Deployment", "myapp-stable-deployment");
        expect(spec(blue).selector).toEqual(spec(PlanQuery.of("dev").one("kubernetes:apps/v1:Deployment")).selector);
        expect(spec(blue).selector).toEqual({ matchLabels: { "app.kubernetes.io/name": "myapp", "app.kubernetes.io/instance": "app-deployment" } });
        expect(spec(blue).template.metadata.labels.track).toBe("blue");
        expect(blueGreen.outputs["services"]).toEqual({ blue: "app", green: "app-green" });
        expect(deployments(blueGreen)).toEqual([
            ["app-deployment", "myapp/backend:1.0.1"],
            ["app-deployment-green", "myapp/backend:1.1.0"],
        ]);
        expect(services(blueGreen)).toEqual([
            ["app", "ClusterIP"],
            ["app-green", "NodePort"],
        ]);
    });

    it("a new image is a new migrations Job (Jobs are immutable), under the same Deployment name", () => {
        const jobName = (plan: Plan, track: string): string => nameOf(new PlanQuery(plan).one("kubernetes:batch/v1:Job", `myapp-${track}-migrations`));
        // app.image 1.0.0 on dev, 1.0.1 on the blue track: same Deployment, another Job.
        expect(jobName(canary, "stable")).toBe(jobName(PlanQuery.of("dev").plan, "stable"));
        expect(jobName(blueGreen, "stable")).not.toBe(jobName(PlanQuery.of("dev").plan, "stable"));
        expect(jobName(blueGreen, "stable")).toMatch(/^app-deployment-migrate-[0-9a-f]{10}$/);
    });
});

describe("workload settings that are wrong", () => {
    it.each<[string, SettingsSource, string]>([
        ["a `latest` tag", source("dev", {}, { OPS_APP__IMAGE__TAG: "latest" }), "ops:app.image.tag"],
        ["min replicas above max", source("dev", { "ops:app": JSON.stringify({ image: { repository: "a/b", tag: "1" }, replicas: { min: 5, max: 2 } }) }), "ops:app.replicas.min"],
        ["an unknown log level", source("dev", {}, { OPS_LOGGING__LEVEL: "VERBOSE" }), "ops:logging.level"],
        ["an unpinned PostgreSQL image", source("dev", {}, { OPS_IN_CLUSTER_STORES__POSTGRES_IMAGE: "postgres" }), "ops:inClusterStores.postgresImage"],
        ["a `latest` Redis image", source("dev", {}, { OPS_IN_CLUSTER_STORES__REDIS_IMAGE: "redis:latest" }), "ops:inClusterStores.redisImage"],
        ["a patch-level Kubernetes version", source("dev", {}, { OPS_KUBERNETES__VERSION: "1.33.1" }), "ops:kubernetes.version"],
        ["a CPU quantity with a unit typo", source("dev", {}, { OPS_APP__RESOURCES__LIMITS__CPU: "2cores" }), "ops:app.resources.limits.cpu"],
        ["a seed file outside the project", source("dev", {}, { OPS_IN_CLUSTER_STORES__SEED_SQL_PATH: "../secrets/prod.sql" }), "ops:inClusterStores.seedSqlPath"],
    ])("refuses %s, naming the key", (_what, src, key) => {
        expect(problemKeys(src)).toEqual([key]);
    });

    it("says what is allowed for a `latest` tag", () => {
        try {
            loadSettings(source("dev", {}, { OPS_APP__IMAGE__TAG: "latest" }));
            throw new Error("loaded");
        } catch (e) {
            expect((e as Error).message).toContain("a pinned tag (`latest` moves under you and cannot be rolled back to)");
            expect((e as Error).message).toContain("environment variable OPS_APP__IMAGE__TAG");
        }
    });

    const loaded = (stack: string, env: Record<string, string> = {}): Settings => loadSettings(source(stack, {}, { ...SECRET_SENTINELS, ...env }));

    it("refuses requests above limits", () => {
        const s = loaded("dev", { OPS_APP__RESOURCES__REQUESTS__MEMORY: "1Gi" });
        expect(workloadSettingsProblems(s, stackShape(s)).map((p) => [p.key, p.received, p.allowed])).toEqual([
            ["ops:app.resources.requests.memory", '"1Gi"', "at most the limit app.resources.limits.memory (512Mi)"],
        ]);
    });

    it("refuses a dev stack without a kube context (it would deploy to whatever cluster is current)", () => {
        const s = { ...loaded("dev"), kubernetes: { version: "1.33" } };
        expect(workloadSettingsProblems(s, stackShape(s)).map((p) => p.key)).toEqual(["ops:kubernetes.context"]);
    });

    it("refuses a preview without the staging stack to deploy into, or without an external API key", () => {
        const s = { ...loaded("pr-42"), kubernetes: { version: "1.33" }, externalApiKey: undefined };
        expect(workloadSettingsProblems(s, stackShape(s)).map((p) => p.key)).toEqual(["ops:kubernetes.clusterStack", "ops:externalApiKey"]);
    });

    // A node port on a cloud stack: the loader refuses it (test/settings/load.test.ts, "keys only some shapes read").
});

describe("workload settings helpers", () => {
    const dev = (): Settings => loadSettings(source("dev"));

    it("follows the environment for LOG_LEVEL and ENVIRONMENT", () => {
        expect(appConfig(loadSettings(source("production")))).toMatchObject({ LOG_LEVEL: "INFO", ENVIRONMENT: "production" });
        expect(appConfig(loadSettings(source("staging")))).toMatchObject({ LOG_LEVEL: "INFO", ENVIRONMENT: "staging" });
        expect(appConfig(dev())).toMatchObject({ LOG_LEVEL: "DEBUG", ENVIRONMENT: "development" });
    });

    it("names namespaces: the app's, a preview's own, or the configured one", () => {
        const namespaceName = (s: Settings): string => stackNames(s, stackShape(s)).workload.namespace;
        expect(namespaceName(dev())).toBe("myapp");
        expect(namespaceName(loadSettings(source("pr-7")))).toBe("myapp-pr-7");
        expect(namespaceName({ ...dev(), kubernetes: { version: "1.33", namespace: "team-a" } })).toBe("team-a");
    });

    it("pins images: digest first, never latest", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        expect(imageReference({ repository: "r/x", tag: "1.0", digest })).toBe(`r/x@${digest}`);
        expect(imageReference({ repository: "r/x", tag: "1.0" })).toBe("r/x:1.0");
        expect(() => imageReference({ repository: "r/x", tag: "latest" })).toThrow("needs a pinned tag or a digest; got latest");
        expect(() => imageReference({ repository: "r/x" })).toThrow("got neither");
    });
});
