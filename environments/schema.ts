import { z } from "zod";
import { dailyWindow, weeklyWindow } from "./primitives";
import { clusterSchema, controllersSchema, edgeSchema, networkSchema, platformRules, registrySchema } from "./platformSchema";
import { backupSchema, cacheSchema, dataRules, databaseExtraShape, filesSchema, restoreSchema } from "./dataSchema";
import { alertsSchema, pagerDutyIntegrationUrlSchema, tracingSchema } from "./observabilitySchema";

/**
 * The one schema of a stack's settings.
 *
 * Every key is reachable from `Pulumi.<stack>.yaml` under the `ops:` namespace (nested keys with
 * `pulumi config set --path`) and from an environment variable (see `envVarName`). Defaults do not
 * live here: they live in the profiles (`profiles.ts`), so that one place says what each
 * environment gets. `.meta({ description })` feeds the generated configuration reference
 * (`docs/configuration.md`); `.meta({ secret: true })` marks values that must stay Pulumi secrets.
 */

/** The runbook's three environments (section 1.1); also the app's `ENVIRONMENT` value. */
export const ENVIRONMENTS = ["development", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Deployment strategies (runbook 1.2). */
export const DEPLOYMENT_STRATEGIES = ["rolling", "canary", "blueGreen"] as const;

/** Log levels the app understands (runbook 3.3). */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const awsRegion = z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region code such as us-east-1");

const positiveInt = z.number().int().positive();

/** A Kubernetes CPU quantity: cores (`1`, `0.5`) or millicores (`250m`). */
const cpuQuantity = z.string().regex(/^(\d+(\.\d+)?|\d+m)$/, "a CPU quantity such as 250m or 1");

/** A Kubernetes memory quantity in binary units: `256Mi`, `1Gi`. */
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, "a memory quantity such as 256Mi or 1Gi");

/** `repository:tag` or `repository@sha256:...`, never `latest` or untagged. */
const pinnedImageRef = z
    .string()
    .regex(
        /^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
        "an image reference such as postgres:16.4 or postgres@sha256:<digest>",
    )
    .refine((r) => /@sha256:/.test(r) || /:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(r), "a pinned tag or digest (an image without either is `latest`)")
    .refine((r) => !/:latest(@|$)/.test(r), "a pinned tag (`latest` moves under you and cannot be rolled back to)");

/** A secret string: validated here, then held as a Pulumi secret by the loader. */
const secretString = z.string().min(1).meta({ secret: true });

const imageSchema = z
    .strictObject({
        repository: z
            .string()
            .regex(/^[a-z0-9]+([._/:-][a-z0-9]+)*$/, "an image repository such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp")
            .meta({ description: "Image repository, without tag or digest." }),
        tag: z
            .string()
            .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a Docker tag such as v1.0.0")
            .refine((t) => t !== "latest", "a pinned tag (`latest` moves under you and cannot be rolled back to)")
            .optional()
            .meta({ description: "Immutable image tag (`latest` is refused). Set this or `digest`." }),
        digest: z
            .string()
            .regex(/^sha256:[a-f0-9]{64}$/, "an image digest sha256:<64 hex characters>")
            .optional()
            .meta({ description: "Image digest; wins over `tag` when both are set." }),
    })
    .refine((i) => i.tag !== undefined || i.digest !== undefined, {
        message: "a tag or a digest (an image without either is `latest`)",
    });

export const settingsSchema = z
    .strictObject({
        environment: z.enum(ENVIRONMENTS).meta({
            description:
                "Runbook environment. Set by the stack name for dev, staging, production and pr-<N>; required in the stack file for any other stack name.",
        }),
        platform: z.enum(["local", "aws"]).meta({
            description: "`local`: Kubernetes only, no AWS account. `aws`: AWS platform layer (VPC, EKS, managed data stores).",
        }),
        appName: z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, "lower-case letters, digits and dashes, 3 to 32 characters")
            .meta({ description: "Application name: prefixes resource names and secret paths (`<appName>/<environment>/<name>`)." }),
        region: awsRegion.meta({ description: "Primary AWS region." }),
        drRegion: awsRegion.meta({ description: "Disaster-recovery AWS region: backup copies and replicas land here." }),
        hostname: z
            .string()
            .regex(/^(localhost|([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})$/, "a DNS name such as api.example.com")
            .meta({ description: "Public host name of the app (runbook 1.1)." }),
        owner: z.string().min(1).meta({ description: "Owning team: the `owner` tag on every AWS resource." }),
        costCenter: z.string().min(1).meta({ description: "Cost centre: the `cost-center` tag on every AWS resource." }),
        logging: z.strictObject({
            level: z.enum(LOG_LEVELS).meta({ description: "The app's LOG_LEVEL (runbook 2.2): DEBUG in development, INFO otherwise." }),
            retentionDays: z
                .number()
                .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
                    message: `one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
                })
                .meta({ description: "Log retention in days (runbook 3.3: 7 development, 30 staging, 90 production)." }),
        }),
        rotation: z
            .strictObject({
                databasePasswordDays: positiveInt.max(1000).meta({ description: "Database password rotation period (runbook 2.3: 90)." }),
                apiKeyDays: positiveInt.max(1000).meta({ description: "API key rotation period (runbook 2.3: 180)." }),
                jwtSigningKeyDays: positiveInt.max(1000).meta({ description: "JWT signing key rotation period (runbook 2.3: 365)." }),
            })
            .meta({ description: "Secret rotation periods in days (Secrets Manager accepts 1 to 1000)." }),
        secrets: z
            .strictObject({
                refreshInterval: z
                    .string()
                    .regex(/^[1-9]\d*(m|h)$/, "a duration in minutes or hours such as 15m or 1h")
                    .meta({ description: "How often External Secrets Operator re-reads Secrets Manager into the app's Kubernetes Secret (a rotation reaches the Secret within this)." }),
                recoveryWindowDays: z
                    .number()
                    .int()
                    .min(7)
                    .max(30)
                    .meta({ description: "Days a deleted Secrets Manager secret can still be restored (7 to 30; force-deletion is not offered)." }),
                replicateToDr: z
                    .boolean()
                    .meta({ description: "Replicate the secrets to the DR region (encrypted with the DR secrets key), so a DR rebuild finds them there." }),
                keyDeletionWindowDays: z
                    .number()
                    .int()
                    .min(7)
                    .max(30)
                    .meta({ description: "Days before a deleted KMS key is gone; data under a deleted key is lost for good (7 to 30)." }),
                pathScope: z
                    .string()
                    .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, "lower-case letters, digits and dashes, such as production-dr")
                    .optional()
                    .meta({
                        description:
                            "Middle of the secret names, `<appName>/<pathScope>/<NAME>`. Default: the environment. A DR rebuild sets its own (production-dr), since production's replicas already hold `<appName>/production/*` in that region. Changing it creates new secrets.",
                    }),
            })
            .meta({ description: "Secrets Manager secrets, their delivery to pods and the KMS keys (docs/secrets.md)." }),
        app: z.strictObject({
            image: imageSchema.meta({ description: "The app's container image (this project does not build it)." }),
            port: z.number().int().min(1024).max(65535).meta({ description: "Port the app listens on (non-root, so 1024 or above)." }),
            replicas: z
                .strictObject({
                    min: positiveInt.max(100).meta({ description: "Autoscaler minimum." }),
                    max: positiveInt.max(100).meta({ description: "Autoscaler maximum." }),
                })
                .refine((r) => r.min <= r.max, { message: "a minimum no greater than app.replicas.max", path: ["min"] }),
            jwtExpirationMinutes: positiveInt.max(24 * 60).meta({ description: "JWT_EXPIRATION_MINUTES for the app." }),
            externalApiUrl: z.url({ protocol: /^https$/ }).meta({ description: "EXTERNAL_API_URL for the app (https)." }),
            migrationCommand: z
                .array(z.string().min(1))
                .min(1)
                .meta({ description: "Command the migrations Job runs with the app image (runbook 4.1)." }),
            resources: z
                .strictObject({
                    requests: z.strictObject({
                        cpu: cpuQuantity.meta({ description: "CPU the scheduler reserves per pod, e.g. `250m`." }),
                        memory: memoryQuantity.meta({ description: "Memory the scheduler reserves per pod, e.g. `256Mi`." }),
                    }),
                    limits: z.strictObject({
                        cpu: cpuQuantity.meta({ description: "CPU ceiling per pod (throttled above it)." }),
                        memory: memoryQuantity.meta({ description: "Memory ceiling per pod (OOM-killed above it)." }),
                    }),
                })
                .meta({ description: "CPU and memory requests and limits of each app container (the autoscaler's utilisation is against requests)." }),
            terminationGracePeriodSeconds: z
                .number()
                .int()
                .min(5)
                .max(600)
                .meta({ description: "Seconds a stopping pod gets to finish in-flight requests after SIGTERM (graceful termination)." }),
            runAsUser: z
                .number()
                .int()
                .min(1)
                .max(2147483647)
                .meta({ description: "Non-root UID (and GID) the app runs as under the restricted Pod Security profile." }),
            mountServiceAccountToken: z
                .boolean()
                .meta({ description: "Mount the service account token in app pods. Only if the app calls the Kubernetes API." }),
        }),
        deployment: z
            .strictObject({
                strategy: z.enum(DEPLOYMENT_STRATEGIES).meta({
                    description:
                        "Runbook 1.2. `rolling`: one track. `canary`: a canary track beside the stable one, sharing traffic by listener weights. `blueGreen`: a green track beside blue (the stable `app-deployment`), all traffic on the active one.",
                }),
                canary: z
                    .strictObject({
                        image: imageSchema.meta({ description: "Image of the canary track (`app-deployment-canary`)." }),
                        weights: z
                            .strictObject({
                                stable: z.number().int().min(0).max(100).meta({ description: "Percent of requests to the stable track." }),
                                canary: z.number().int().min(0).max(100).meta({ description: "Percent of requests to the canary track." }),
                            })
                            .refine((w) => w.stable + w.canary === 100, {
                                message: "weights that add up to 100 (stable + canary)",
                                path: ["canary"],
                            }),
                    })
                    .optional()
                    .meta({ description: "The canary track; required when strategy is `canary`." }),
                blueGreen: z
                    .strictObject({
                        greenImage: imageSchema.meta({ description: "Image of the green track (`app-deployment-green`); blue runs `app.image`." }),
                        active: z.enum(["blue", "green"]).meta({ description: "The track that takes all traffic (100/0)." }),
                    })
                    .optional()
                    .meta({ description: "The green track; required when strategy is `blueGreen`." }),
            })
            .superRefine((d, ctx) => {
                for (const section of ["canary", "blueGreen"] as const) {
                    if (d.strategy === section && d[section] === undefined) {
                        ctx.addIssue({ code: "custom", path: [section], input: undefined, message: `deployment.${section} settings, since strategy is ${section}` });
                    }
                    if (d.strategy !== section && d[section] !== undefined) {
                        ctx.addIssue({
                            code: "custom",
                            path: [section],
                            input: d[section],
                            message: `no deployment.${section} while strategy is ${d.strategy} (remove it, or set strategy ${section})`,
                        });
                    }
                }
            }),
        kubernetes: z
            .strictObject({
                version: z
                    .string()
                    .regex(/^1\.\d{2}$/, "a pinned Kubernetes minor version such as 1.33")
                    .meta({ description: "Kubernetes minor version of the cluster; the workload's manifests are validated against its OpenAPI schema." }),
                context: z
                    .string()
                    .min(1)
                    .optional()
                    .meta({ description: "kubeconfig context of the local cluster (dev). kind names it `kind-<cluster name>`." }),
                kubeconfig: z
                    .string()
                    .min(1)
                    .optional()
                    .meta({ description: "Path to (or contents of) the kubeconfig for the local cluster (dev); default: $KUBECONFIG or ~/.kube/config." }),
                clusterStack: z
                    .string()
                    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/, "a stack reference such as organization/ops/staging")
                    .optional()
                    .meta({ description: "Stack whose `kubeconfig` output (secret) is the cluster a pr-<N> stack deploys into (the staging stack)." }),
                namespace: z
                    .string()
                    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "a DNS label such as myapp")
                    .optional()
                    .meta({ description: "Namespace of the workload. Default: the app name; `<appName>-pr-<N>` for a preview stack." }),
                nodePort: z
                    .number()
                    .int()
                    .min(30000)
                    .max(32767)
                    .optional()
                    .meta({ description: "Expose the stable track's Service on this node port (dev: kind maps it to localhost:8000, see kind/cluster.yaml)." }),
            })
            .meta({ description: "The Kubernetes cluster the workload runs on." }),
        inClusterStores: z
            .strictObject({
                postgresImage: pinnedImageRef.meta({ description: "Official PostgreSQL image for the in-cluster database (dev, pr-<N>), pinned." }),
                redisImage: pinnedImageRef.meta({ description: "Official Redis image for the in-cluster cache (dev, pr-<N>), pinned." }),
                storageGiB: z.number().int().min(1).max(100).meta({ description: "Persistent volume size of each in-cluster store, GiB." }),
                seedSqlPath: z
                    .string()
                    .regex(/^[A-Za-z0-9_./-]+\.sql$/, "a path to a .sql file, relative to the project root, such as data/seed/synthetic.sql")
                    .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "a path inside the project (relative, no `..`)")
                    .meta({ description: "SQL file of synthetic data the seed Job loads (relative to the project root)." }),
            })
            .meta({ description: "PostgreSQL and Redis inside the namespace, for the stacks without managed data stores (dev, pr-<N>)." }),
        database: z.strictObject({
            engineVersion: z
                .string()
                .regex(/^\d+\.\d+$/, "a pinned PostgreSQL major.minor version such as 16.4")
                .meta({ description: "PostgreSQL engine version, pinned." }),
            instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.r6g.large").meta({
                description: "RDS instance class. Changing it modifies the instance in place during the maintenance window.",
            }),
            allocatedStorageGiB: z.number().int().min(20).max(65536).meta({ description: "Initial gp3 storage in GiB." }),
            maxAllocatedStorageGiB: z.number().int().min(20).max(65536).meta({ description: "Storage autoscaling ceiling in GiB." }),
            multiAz: z.boolean().meta({ description: "Multi-AZ standby. Production requires it unless `multiAzWaiver` says why not." }),
            multiAzWaiver: z
                .string()
                .min(10)
                .optional()
                .meta({ description: "Reason production runs without Multi-AZ (at least 10 characters); required to turn it off there." }),
            backupRetentionDays: z.number().int().min(1).max(35).meta({ description: "Automated backup retention (runbook 3.9: 30 in production)." }),
            backupWindow: dailyWindow.meta({ description: "Daily automated backup window, UTC." }),
            maintenanceWindow: weeklyWindow.meta({ description: "Weekly maintenance window, UTC; must not overlap the backup window (runbook 4.3)." }),
            // The managed database's other knobs (environments/dataSchema.ts).
            ...databaseExtraShape,
        }),
        // The data layer (environments/dataSchema.ts): read only by staging and production.
        cache: cacheSchema,
        files: filesSchema,
        backup: backupSchema,
        restore: restoreSchema,
        // The AWS platform layer (environments/platformSchema.ts): read only by cloud stacks.
        network: networkSchema,
        cluster: clusterSchema,
        controllers: controllersSchema,
        registry: registrySchema,
        edge: edgeSchema,
        // The observability layer (environments/observabilitySchema.ts): read only by cloud stacks.
        alerts: alertsSchema,
        tracing: tracingSchema,
        pagerDutyIntegrationUrl: pagerDutyIntegrationUrlSchema,
        externalApiKey: secretString.optional().meta({
            secret: true,
            description: "EXTERNAL_API_KEY for the app. Secret: `pulumi config set --secret externalApiKey ...`.",
        }),
    })
    // Cross-field rules run even when some fields are invalid (`when`), so a user sees every
    // problem in one go; each rule therefore checks the types of what it reads.
    .superRefine((s, ctx) => {
        if (typeof s.database !== "object" || s.database === null) return;
        if (
            typeof s.database.maxAllocatedStorageGiB === "number" &&
            typeof s.database.allocatedStorageGiB === "number" &&
            s.database.maxAllocatedStorageGiB < s.database.allocatedStorageGiB
        ) {
            ctx.addIssue({
                code: "custom",
                path: ["database", "maxAllocatedStorageGiB"],
                input: s.database.maxAllocatedStorageGiB,
                message: `a ceiling at or above database.allocatedStorageGiB (${s.database.allocatedStorageGiB})`,
            });
        }
        const overlap =
            typeof s.database.backupWindow === "string" && typeof s.database.maintenanceWindow === "string"
                ? windowsOverlap(s.database.backupWindow, s.database.maintenanceWindow)
                : undefined;
        if (overlap) {
            ctx.addIssue({
                code: "custom",
                path: ["database", "maintenanceWindow"],
                input: s.database.maintenanceWindow,
                message: `a window that does not overlap the daily backup window ${s.database.backupWindow} (they share ${overlap})`,
            });
        }
        if (s.environment === "production" && s.database.multiAz === false && s.database.multiAzWaiver === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["database", "multiAz"],
                input: false,
                message: "true in production, or false together with database.multiAzWaiver giving the reason",
            });
        }
        if (s.platform === "aws" && s.region === s.drRegion) {
            ctx.addIssue({
                code: "custom",
                path: ["drRegion"],
                input: s.drRegion,
                message: `a region other than the primary region ${s.region} (a DR copy in the same region survives no regional outage)`,
            });
        }
    }, { when: () => true })
    .superRefine(platformRules, { when: () => true })
    .superRefine((s, ctx) => dataRules(windowsOverlap)(s, ctx), { when: () => true });

/** What a stack's config and environment variables may say (before defaults are merged). */
export type SettingsInput = z.input<typeof settingsSchema>;
/** Validated settings, with secret values held as Pulumi secrets by the loader. */
export type ValidatedSettings = z.output<typeof settingsSchema>;

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

function minuteOfDay(hhmm: string): number {
    const [h, m] = hhmm.split(":").map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
}

/** Half-open [start, end) intervals on the week's minute line; a window that wraps is split. */
function weekIntervals(start: number, end: number): Array<[number, number]> {
    return end > start ? [[start, end]] : [[start, MINUTES_PER_WEEK], [0, end]];
}

function formatWeekMinute(m: number): string {
    const day = DAYS[Math.floor(m / MINUTES_PER_DAY) % 7];
    const rest = m % MINUTES_PER_DAY;
    return `${day}:${String(Math.floor(rest / 60)).padStart(2, "0")}:${String(rest % 60).padStart(2, "0")}`;
}

/**
 * Where a daily window and a weekly window overlap, as `ddd:hh:mm-ddd:hh:mm`, or undefined.
 * Both are UTC, as RDS reads them. Malformed windows yield undefined (their format error is
 * reported on its own).
 */
export function windowsOverlap(daily: string, weekly: string): string | undefined {
    const d = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(daily);
    const w = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(weekly);
    if (!d || !w) return undefined;
    const wStart = DAYS.indexOf(w[1]!) * MINUTES_PER_DAY + minuteOfDay(w[2]!);
    const wEnd = DAYS.indexOf(w[3]!) * MINUTES_PER_DAY + minuteOfDay(w[4]!);
    const weeklyParts = weekIntervals(wStart, wEnd);
    const shared: Array<[number, number]> = [];
    for (let day = 0; day < 7; day++) {
        const dStart = day * MINUTES_PER_DAY + minuteOfDay(d[1]!);
        let dEnd = day * MINUTES_PER_DAY + minuteOfDay(d[2]!);
        if (dEnd <= dStart) dEnd += MINUTES_PER_DAY; // a daily window across midnight
        for (const [ds, de] of weekIntervals(dStart % MINUTES_PER_WEEK, dEnd % MINUTES_PER_WEEK)) {
            for (const [ws, we] of weeklyParts) {
                const s = Math.max(ds, ws);
                const e = Math.min(de, we);
                if (s < e) shared.push([s, e]);
            }
        }
    }
    if (shared.length === 0) return undefined;
    shared.sort(([a], [b]) => a - b);
    // A stretch across the week's end (Sunday night into Monday) is one stretch, not two.
    const last = shared[shared.length - 1]!;
    const first = shared[0]!;
    const [start, end] = shared.length > 1 && last[1] === MINUTES_PER_WEEK && first[0] === 0 ? [last[0], first[1]] : first;
    return `${formatWeekMinute(start)}-${formatWeekMinute(end)}`;
}
