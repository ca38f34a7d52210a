import { z } from "zod";
import { positiveInt } from "./primitives";

/**
 * The settings of the workload layer (runbook 1.2, 2.2, 4.1): the app, its deployment strategy,
 * the Kubernetes cluster it runs on, and the in-cluster PostgreSQL and Redis of the stacks
 * without managed data stores. Declared here and composed into the one schema in `schema.ts`;
 * defaults live in `profiles.ts`.
 */

/** Deployment strategies (runbook 1.2). */
export const DEPLOYMENT_STRATEGIES = ["rolling", "canary", "blueGreen"] as const;

/** A Kubernetes CPU quantity: cores (`1`, `0.5`) or millicores (`250m`). */
const cpuQuantity = z.string().regex(/^(\d+(\.\d+)?|\d+m)$/, "a CPU quantity such as 250m or 1");

/** A Kubernetes memory quantity in binary units: `256Mi`, `1Gi`. */
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, "a memory quantity such as 256Mi or 1Gi");

/** A CPU or memory quantity as a number (cores, bytes), for comparisons. */
export function quantity(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(q);
    if (!m) return NaN;
    const factor = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2] ?? ""] ?? 1;
    return Number(m[1]) * factor;
}

/** `repository:tag` or `repository@sha256:...`, never `latest` or untagged. */
const pinnedImageRef = z
    .string()
    .regex(
        /^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
        "an image reference such as postgres:16.4 or postgres@sha256:<digest>",
    )
    .refine((r) => /@sha256:/.test(r) || /:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(r), "a pinned tag or digest (an image without either is `latest`)")
    .refine((r) => !/:latest(@|$)/.test(r), "a pinned tag (`latest` moves under you and cannot be rolled back to)");

/** An image by repository and tag or digest, never `latest`. */
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

export const appSchema = z.strictObject({
    image: imageSchema.meta({
        description: "The app's container image (this project does not build it).",
        // A pull request's stack runs the image CI builds for it (tools/ci/stacks.ts previewImage).
        planStandIn: {
            // In the stack region's ECR, under the mocks' account: a cloud stack pulls from no other.
            value: ({ region }: { region: string }) => ({ repository: `123456789012.dkr.ecr.${region}.amazonaws.com/plan-stand-in/app`, tag: "plan-stand-in" }),
            realRun: "the image to run: CI sets OPS_APP__IMAGE__REPOSITORY and OPS_APP__IMAGE__TAG to the one it builds for a pull request (npm run ci -- preview-env); elsewhere pulumi config set --path app.image.repository <repository> and --path app.image.tag <tag>",
        },
    }),
    port: z.number().int().min(1024).max(65535).meta({ description: "Port the app listens on (non-root, so 1024 or above)." }),
    replicas: z
        .strictObject({
            min: positiveInt.max(100).meta({ description: "Autoscaler minimum." }),
            max: positiveInt.max(100).meta({ description: "Autoscaler maximum." }),
        })
        .refine((r) => r.min <= r.max, { message: "a minimum no greater than app.replicas.max", path: ["min"] }),
    jwtExpirationMinutes: positiveInt.max(24 * 60).meta({ description: "JWT_EXPIRATION_MINUTES for the app." }),
    externalApiUrl: z.url({ protocol: /^https$/, error: "an https URL such as https://api.example.com" }).meta({ description: "EXTERNAL_API_URL for the app (https)." }),
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
});

export const deploymentSchema = z
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
    });

export const kubernetesSchema = z
    .strictObject({
        version: z
            .string()
            .regex(/^1\.\d{2}$/, "a pinned Kubernetes minor version such as 1.35")
            .meta({ description: "Kubernetes minor version of the cluster; the workload's manifests are validated against its OpenAPI schema." }),
        context: z
            .string()
            .min(1)
            .optional()
            .meta({ description: "kubeconfig context of the local cluster (dev). kind names it `kind-<cluster name>`.", readBy: ["local"] }),
        kubeconfig: z
            .string()
            .min(1)
            .optional()
            .meta({ description: "Path to (or contents of) the kubeconfig for the local cluster (dev); default: $KUBECONFIG or ~/.kube/config.", readBy: ["local"] }),
        clusterStack: z
            .string()
            .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/, "a stack reference such as organization/ops/staging")
            .optional()
            .meta({ description: "Stack whose `kubeconfig` output (secret) is the cluster a pr-<N> stack deploys into (the staging stack).", readBy: ["preview"] }),
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
            .meta({
                description: "Expose the stable track's Service on this node port (dev: kind maps it to localhost:8000, see kind/cluster.yaml). Cloud stacks and previews are reached through their load balancer.",
                readBy: ["local"],
            }),
    })
    .meta({ description: "The Kubernetes cluster the workload runs on." });

export const inClusterStoresSchema = z
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
    .meta({ description: "PostgreSQL and Redis inside the namespace, for the stacks without managed data stores (dev, pr-<N>)." });
