import type { Environment, SettingsInput } from "./schema";

/**
 * Defaults in code: the first level of the runbook's configuration hierarchy (section 2.1).
 *
 * `base` holds the values every environment shares, chosen safe (production-grade); each
 * environment profile states only what differs from it, the way a reviewer wants to read them.
 * Project-wide values that are not environment-specific (`appName`, `region`, `tags`) are typed
 * defaults in `Pulumi.yaml` instead, the second level.
 */

/**
 * The profiles a stack can take. `preview` is a `pr-<N>` stack: staging-like, short-lived.
 * `bootstrap` is the account's one bootstrap stack (docs/bootstrap.md), which reads only its own
 * keys (settings/schema.ts `BOOTSTRAP_KEYS`) and takes none of `base`.
 */
export const PROFILES = ["development", "staging", "production", "preview", "bootstrap"] as const;
export type ProfileName = (typeof PROFILES)[number];

/** A partial settings tree: what a profile, a stack file or the environment may set. */
export type DeepPartial<T> = T extends readonly unknown[]
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/** Settings every stack inherits unless a later level overrides them. */
export const base = {
    platform: "aws",
    // Safe by default: Pulumi protect, retain-on-delete, RDS deletion protection and final snapshots.
    protectStatefulResources: true,
    logging: { level: "INFO", retentionDays: 90 },
    rotation: { databasePasswordDays: 90, apiKeyDays: 180, jwtSigningKeyDays: 365 },
    secrets: { refreshInterval: "1h", recoveryWindowDays: 30, replicateToDr: true, keyDeletionWindowDays: 30 },
    app: {
        port: 8000,
        replicas: { min: 3, max: 10 },
        jwtExpirationMinutes: 60,
        externalApiUrl: "https://api.example.com",
        migrationCommand: ["alembic", "upgrade", "head"],
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
        terminationGracePeriodSeconds: 30,
        runAsUser: 10001,
        mountServiceAccountToken: false,
    },
    deployment: { strategy: "rolling" },
    // EKS standard support until 2027-03-27 (modules/cluster/versions.ts); one minor version after
    // 1.34, which EKS upgrades STANDARD clusters from on 2026-12-02.
    kubernetes: { version: "1.35" },
    inClusterStores: {
        postgresImage: "postgres:16.4-bookworm",
        redisImage: "redis:7.4.1-bookworm",
        storageGiB: 1,
        seedSqlPath: "data/seed/synthetic.sql",
    },
    database: {
        engineVersion: "16.4",
        instanceClass: "db.r6g.large",
        allocatedStorageGiB: 100,
        maxAllocatedStorageGiB: 500,
        multiAz: true,
        backupRetentionDays: 30,
        backupWindow: "03:00-04:00",
        // Sundays after the day's AWS Backup job has started (05:00-06:00: AWS Backup cannot start
        // an RDS backup one hour before or during this window) and after the cache's own window:
        // patches land on a fresh recovery point, and never on both data stores at once.
        maintenanceWindow: "sun:08:00-sun:09:00",
        name: "app",
        username: "app_admin",
        slowStatementMs: 500,
        performanceInsightsRetentionDays: 7,
        monitoringIntervalSeconds: 60,
    },
    // The data layer (docs/data.md), production-grade; read only by staging and production.
    cache: {
        engineVersion: "7.1",
        nodeType: "cache.r7g.large",
        nodes: 2,
        multiAz: true,
        snapshotRetentionDays: 7,
        snapshotWindow: "02:00-03:00",
        maintenanceWindow: "sun:06:30-sun:07:30",
        authTokenVersion: 1,
        authTokenUpdateStrategy: "ROTATE",
    },
    files: { noncurrentVersionExpirationDays: 90, abortIncompleteUploadDays: 7, replicateToDr: true },
    backup: {
        // Daily at 05:00 UTC: its 60-minute start window clears the hour before and the whole of
        // the database's backup window (03:00-04:00) and maintenance window (sun 08:00-09:00).
        schedule: "cron(0 5 * * ? *)",
        retentionDays: 30,
        startWindowMinutes: 60,
        completionWindowMinutes: 360,
        copyToDr: true,
        vaultLock: "compliance",
        vaultLockChangeableForDays: 3,
        replicateAutomatedBackups: true,
        replicatedRetentionDays: 7,
        // Mondays 08:00 UTC: after Sunday's maintenance windows; it restores the newest completed
        // recovery point of the week (Monday's own job may still be running).
        restoreTesting: { enabled: true, schedule: "cron(0 8 ? * MON *)", validationWindowHours: 4 },
    },
    restore: { mode: "none" },
    // The AWS platform layer, production-grade; read only by stacks with platform "aws" (not previews).
    network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "perZone" },
    cluster: {
        version: "1.35",
        publicAccessCidrs: [],
        // Names, resolved in the deploying account: a role of each name must exist there (or set a full ARN).
        // CI's roles are the bootstrap stack's, named after the app and the environment (environments/names.ts).
        adminRole: "platform-admin",
        nodeGroup: {
            instanceTypes: ["m6i.large"],
            minSize: 3,
            maxSize: 9,
            desiredSize: 3,
            amiType: "AL2023_x86_64_STANDARD",
            // awslabs/amazon-eks-ami release v20260714: amazon-eks-node-al2023-x86_64-standard-1.35-v20260714.
            amiReleaseVersion: "1.35.6-20260714",
            diskSizeGiB: 50,
            maxUnavailable: 1,
        },
        // Add-on builds for Kubernetes 1.35. Check before an upgrade:
        //   aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name <name>
        addons: {
            vpcCni: "v1.23.0-eksbuild.1",
            coredns: "v1.14.3-eksbuild.3",
            kubeProxy: "v1.35.3-eksbuild.18",
            podIdentityAgent: "v1.3.10-eksbuild.3",
            ebsCsiDriver: "v1.63.1-eksbuild.1",
            cloudwatchObservability: "v4.5.0-eksbuild.1",
        },
    },
    // Charts supporting Kubernetes 1.35: the load balancer controller v3.5.0 (eks-charts), External
    // Secrets 2.8.0 (its support table: 1.35-1.36), metrics-server 0.8.1 (chart 3.13.1: 1.31+).
    controllers: { awsLoadBalancerController: "3.5.0", externalSecrets: "2.8.0", metricsServer: "3.13.1", reloader: "2.2.16" },
    registry: { keepImages: 30 },
    edge: { zone: { name: "example.com" }, wafRateLimit: 2000, deletionProtection: true },
    // Observability (runbook section 3): the runbook's thresholds; read only by cloud stacks.
    alerts: {
        emails: [],
        runbookBaseUrl: "https://docs.example.com/runbooks",
        // The runbook's alarm thresholds (docs/observability.md).
        thresholds: {
            errorRateHighPercent: 5, // 3.5 high, 1.4 rollback trigger: > 5% for 5 minutes
            errorRateElevatedPercent: 1, // 3.2, 3.5 medium: > 1% for 5 minutes
            latencyP95Ms: 500, // 3.2, 3.5: p95 > 500 ms for 5 minutes
            latencyP99Ms: 1000, // 3.2: p99 > 1000 ms for 5 minutes
            databaseConnectionsPercent: 90, // 3.2: > 90% of max_connections for 5 minutes
            cacheHitRatePercent: 60, // 3.2: < 60% for 10 minutes
            cpuPercent: 85, // 3.2: > 85% for 10 minutes
            memoryPercent: 90, // 3.2: > 90% for 5 minutes
            diskPercent: 85, // 3.2: > 85%
            diskWarningPercent: 70, // 3.5 low: > 70%
            certificateExpiryDays: 30, // 4.2: alert 30 days before expiry
            networkAnomalyBandWidth: 2, // 3.2 anomaly detection: a band of 2 standard deviations
        },
        // The compact JSON of runbook 3.7's healthy body ({"status":"healthy",...}), as most
        // frameworks serialise it; a 503 (unhealthy) fails the check before the body is read.
        healthCheckSearchString: '"status":"healthy"',
    },
    // On-call (runbook 3.8): a weekly rotation handing over on Monday at 9am; used with pagerDutyToken.
    onCall: { responders: [], escalateTo: [], escalateAfterMinutes: 5, handoff: { day: "monday", time: "09:00" }, timeZone: "UTC" },
    // No budget unless the stack sets one (cost.monthlyBudgetUsd): what a stack may cost is its own.
    cost: {},
    // No standby and no rebuild unless the profile or the stack says so (docs/dr-standby.md).
    dr: { standby: false, database: "promoteReplica" },
    tracing: {
        collectorImage: "public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0",
        sampledPercent: 10,
        slowRequestMs: 1000,
    },
    // Feature flags (runbook 2.4, docs/flags.md): production's gradual rollout, 20% of the agents
    // every 4 minutes, then 10 minutes of watching the alarms: half an hour, the runbook's watch.
    flags: {
        file: "flags/flags.yaml",
        agentImage: "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147",
        pollIntervalSeconds: 30,
        rollout: { growthType: "LINEAR", growthPercent: 20, durationMinutes: 20, bakeMinutes: 10 },
    },
    // The CodeBuild-hosted GitHub Actions runner in the stack's VPC (docs/delivery.md): read only by cloud stacks.
    ciRunner: { enabled: true, computeType: "BUILD_GENERAL1_MEDIUM", image: "aws/codebuild/amazonlinux-x86_64-standard:5.0", buildTimeoutMinutes: 300 },
} as const satisfies DeepPartial<SettingsInput>;

/** What each profile changes from `base`. */
export const profiles = {
    development: {
        environment: "development",
        platform: "local",
        hostname: "localhost",
        // Only read by a development-sized sandbox on AWS (platform "aws"): a small VPC in its own block.
        network: { cidr: "10.10.0.0/16", azCount: 2, natGateways: "single" },
        logging: { level: "DEBUG", retentionDays: 7 },
        app: {
            replicas: { min: 1, max: 2 },
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        },
        // The kind cluster of kind/cluster.yaml (named `ops`), which maps node port 30800 to localhost:8000.
        kubernetes: { context: "kind-ops", nodePort: 30800 },
        // A sandbox on AWS is deployed from a laptop, not CI.
        ciRunner: { enabled: false },
        database: {
            instanceClass: "db.t4g.micro",
            allocatedStorageGiB: 20,
            maxAllocatedStorageGiB: 50,
            multiAz: false,
            backupRetentionDays: 7,
        },
    },
    staging: {
        environment: "staging",
        hostname: "staging.example.com",
        // Staging is rebuilt from production's anonymized data at will: it opts out explicitly.
        protectStatefulResources: false,
        network: { cidr: "10.20.0.0/16", natGateways: "single" },
        cluster: { nodeGroup: { instanceTypes: ["t3.large"], minSize: 2, maxSize: 4, desiredSize: 2 } },
        registry: { keepImages: 10 },
        // A zone of its own, delegated from example.com: previews' hosts (pr-<N>.staging.example.com) fall in it too.
        edge: { zone: { name: "staging.example.com" }, wafRateLimit: 1000, deletionProtection: false },
        logging: { retentionDays: 30 },
        app: { replicas: { min: 2, max: 4 } },
        // Staging data is rebuilt from scratch after a regional outage: no DR copies of its secrets.
        secrets: { recoveryWindowDays: 7, replicateToDr: false },
        database: {
            instanceClass: "db.t4g.medium",
            allocatedStorageGiB: 50,
            maxAllocatedStorageGiB: 200,
            multiAz: false,
            backupRetentionDays: 7,
        },
        cache: { nodeType: "cache.t4g.small", nodes: 1, multiAz: false, snapshotRetentionDays: 1 },
        files: { noncurrentVersionExpirationDays: 30, replicateToDr: false },
        // A flags change reaches staging in minutes: half the agents, then the rest, then 5 minutes watched.
        flags: { rollout: { growthPercent: 50, durationMinutes: 2, bakeMinutes: 5 } },
        backup: {
            retentionDays: 7,
            copyToDr: false,
            vaultLock: "none",
            replicateAutomatedBackups: false,
            restoreTesting: { enabled: false },
        },
    },
    production: {
        environment: "production",
        hostname: "api.example.com",
        // The standby footprint in the DR region and the DR roles, made while production is healthy
        // (docs/dr-standby.md, docs/dr-roles.md).
        dr: { standby: true },
    },
    // A namespace on the staging cluster with its own in-cluster stores: it builds no network and no
    // managed data stores, so it states none of their settings (settings/shape.ts).
    preview: {
        environment: "staging",
        logging: { retentionDays: 7 },
        app: { replicas: { min: 1, max: 2 } },
        // The staging stack exports the cluster's kubeconfig.
        kubernetes: { clusterStack: "organization/ops/staging" },
    },
    // The account's state backend, secrets provider's key and CI roles: production-grade, protected.
    bootstrap: {
        environment: "production",
        platform: "aws",
        protectStatefulResources: true,
        bootstrap: { environments: ["staging", "production"], noncurrentVersionDays: 90, keepNewestVersions: 10, keyDeletionWindowDays: 30 },
    },
} as const satisfies Record<ProfileName, DeepPartial<SettingsInput>>;

/** The profile an environment named in a stack file maps to (for stacks with other names). */
export const profileForEnvironment: Record<Environment, ProfileName> = {
    development: "development",
    staging: "staging",
    production: "production",
};

/**
 * The profile a stack name implies, or undefined when the stack must say its `environment`.
 * `dev`, `staging`, `production`, `pr-<N>` and `bootstrap` are the stacks of the architecture.
 */
export function profileForStack(stack: string): ProfileName | undefined {
    if (stack === "dev") return "development";
    if (stack === "bootstrap") return "bootstrap";
    if (stack === "staging" || stack === "production") return stack;
    if (/^pr-[1-9]\d*$/.test(stack)) return "preview";
    return undefined;
}

/** Values a profile derives from the stack name itself (a preview's host carries its number). */
export function stackDerived(stack: string, profile: ProfileName): DeepPartial<SettingsInput> {
    if (profile === "preview") {
        return { hostname: `${stack}.${profiles.staging.hostname}` };
    }
    return {};
}
