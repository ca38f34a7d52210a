import { z } from "zod";
import { costSchema } from "./costSchema";
import { bootstrapRules, bootstrapSchema, ciRunnerSchema, githubRepositorySchema } from "./bootstrapSchema";
import { backupSchema, cacheSchema, dataRules, databaseSchema, filesSchema, restoreSchema } from "./dataSchema";
import { alertsSchema, onCallSchema, pagerDutyIntegrationUrlSchema, pagerDutyTokenSchema, tracingSchema } from "./observabilitySchema";
import { clusterSchema, controllersSchema, edgeSchema, networkSchema, platformRules, registrySchema } from "./platformSchema";
import { flagsRules, flagsSchema } from "./flagsSchema";
import { externalApiKeySchema, rotationSchema, secretsSchema } from "./secretsSchema";
import type { ProfileName } from "./profiles";
import { composes, stackShape } from "./shape";
import { appSchema, deploymentSchema, inClusterStoresSchema, kubernetesSchema } from "./workloadSchema";

/**
 * The one schema of a stack's settings: the keys every layer shares, and each layer's sections,
 * declared in a file of their own (`workloadSchema.ts`, `secretsSchema.ts`, `dataSchema.ts`,
 * `platformSchema.ts`, `observabilitySchema.ts`, `flagsSchema.ts`) with their cross-field rules.
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

/** Log levels the app understands (runbook 3.3). */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const awsRegion = z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region code such as us-east-1");

/** Every key of a stack's settings, its type and description: what the loader, `allKeys` and the docs read. */
export const settingsObject = z.strictObject({
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
        protectStatefulResources: z.boolean().meta({
            description:
                "One intent for every stateful resource (database, cache, files bucket, backup vaults, the KMS keys, the registry, the ALB access-log bucket): RDS deletion protection and a final snapshot, Pulumi `protect` and retain-on-delete. Production requires true.",
        }),
        logging: z.strictObject({
            level: z.enum(LOG_LEVELS).meta({ description: "The app's LOG_LEVEL (runbook 2.2): DEBUG in development, INFO otherwise." }),
            retentionDays: z
                .number()
                .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
                    message: `one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
                })
                .meta({ description: "Log retention in days (runbook 3.3: 7 development, 30 staging, 90 production)." }),
        }),
        // The secrets layer (secretsSchema.ts).
        rotation: rotationSchema,
        secrets: secretsSchema,
        // The workload layer (workloadSchema.ts): every stack.
        app: appSchema,
        deployment: deploymentSchema,
        kubernetes: kubernetesSchema,
        inClusterStores: inClusterStoresSchema,
        // The data layer (dataSchema.ts): read only by staging and production.
        database: databaseSchema,
        cache: cacheSchema,
        files: filesSchema,
        backup: backupSchema,
        restore: restoreSchema,
        // Disaster recovery across regions (runbook 3.9): which side of it this stack is.
        dr: z
            .strictObject({
                rebuild: z.boolean().meta({
                    description:
                        "This stack is a DR rebuild (production-dr, its drills): it creates no IAM resource, and uses the roles `<appName>-<environment>-dr-<purpose>` its primary stack created ahead of time (docs/dr-roles.md).",
                }),
                standby: z.boolean().meta({
                    description:
                        "The primary stack creates, ahead of time, what its DR rebuild needs from the global services: the DR roles of modules/dr/roleSets.json (docs/dr-roles.md). Ignored on a rebuild.",
                }),
            })
            .meta({ description: "Disaster recovery: the rebuild in the DR region, and what the primary stack prepares for it." }),
        // The AWS platform layer (platformSchema.ts): read only by cloud stacks.
        network: networkSchema,
        cluster: clusterSchema,
        controllers: controllersSchema,
        registry: registrySchema,
        edge: edgeSchema,
        // The observability layer (observabilitySchema.ts): read only by cloud stacks.
        alerts: alertsSchema,
        tracing: tracingSchema,
        // What the stack may cost (costSchema.ts): the cost estimate, and AWS Budgets on cloud stacks.
        cost: costSchema,
        onCall: onCallSchema,
        // The feature-flags layer (flagsSchema.ts): every stack.
        flags: flagsSchema,
        pagerDutyIntegrationUrl: pagerDutyIntegrationUrlSchema,
        pagerDutyToken: pagerDutyTokenSchema,
        externalApiKey: externalApiKeySchema,
        // Delivery's AWS side (bootstrapSchema.ts): the repository, the cloud stacks' CI runner, the bootstrap stack.
        githubRepository: githubRepositorySchema,
        ciRunner: ciRunnerSchema,
        bootstrap: bootstrapSchema,
});

/** Rules across the layers: the DR region, the protection of production's state. */
function commonRules(s: Record<string, unknown>, ctx: z.RefinementCtx): void {
    if (s["platform"] === "aws" && s["region"] === s["drRegion"]) {
        ctx.addIssue({
            code: "custom",
            path: ["drRegion"],
            input: s["drRegion"],
            message: `a region other than the primary region ${String(s["region"])} (a DR copy in the same region survives no regional outage)`,
        });
    }
    if (s["environment"] === "production" && s["protectStatefulResources"] === false) {
        ctx.addIssue({ code: "custom", path: ["protectStatefulResources"], input: false, message: "true in production (the data must survive a mistaken destroy)" });
    }
}

/** The keys a bootstrap stack reads: the account-wide identity, and its own section (docs/bootstrap.md). */
export const BOOTSTRAP_KEYS = ["environment", "platform", "appName", "region", "drRegion", "owner", "costCenter", "protectStatefulResources", "githubRepository", "bootstrap"] as const;

/** The bootstrap stack's settings: the keys it reads, its section required. */
export const bootstrapSettingsObject = settingsObject.pick(Object.fromEntries(BOOTSTRAP_KEYS.map((k) => [k, true])) as { [K in (typeof BOOTSTRAP_KEYS)[number]]: true }).extend({
    bootstrap: bootstrapSchema.unwrap(),
});

let bootstrapSchemaCache: z.ZodType | undefined;

/** The one schema of the bootstrap stack: its keys, the rules shared with every stack, and its own. */
export function bootstrapSettingsSchema(): z.ZodType<ValidatedBootstrapSettings> {
    bootstrapSchemaCache ??= bootstrapSettingsObject.superRefine(
        (s, ctx) => {
            commonRules(s, ctx);
            bootstrapRules(s, ctx);
        },
        { when: () => true },
    );
    return bootstrapSchemaCache as z.ZodType<ValidatedBootstrapSettings>;
}

/** The bootstrap stack's validated settings. */
export type ValidatedBootstrapSettings = z.output<typeof bootstrapSettingsObject>;

const schemas = new Map<ProfileName, z.ZodType>();

/**
 * The one schema of a stack that took the given profile: every key of `settingsObject`, then the
 * cross-field rules of the layers its shape composes (settings/shape.ts): a preview builds no VPC
 * and no database, so neither its network nor its database settings are checked, or read.
 * Cross-field rules run even when some fields are invalid (`when`), so a user sees every problem
 * in one go; each rule therefore checks the types of what it reads.
 */
export function settingsSchema(profile: ProfileName): z.ZodType<ValidatedSettings, SettingsInput> {
    let schema = schemas.get(profile);
    if (!schema) {
        schema = settingsObject.superRefine(
            (s, ctx) => {
                commonRules(s, ctx);
                if (s.bootstrap !== undefined) {
                    ctx.addIssue({ code: "custom", path: ["bootstrap"], input: s.bootstrap, message: "nothing: only the bootstrap stack reads bootstrap.* (docs/bootstrap.md)" });
                }
                if (s.platform !== "local" && s.platform !== "aws") return;
                const shape = stackShape({ platform: s.platform, profile });
                if (composes(shape, "platform")) platformRules(s, ctx);
                if (composes(shape, "data")) dataRules(s, ctx);
                if (composes(shape, "flags")) flagsRules(s, ctx);
            },
            { when: () => true },
        );
        schemas.set(profile, schema);
    }
    return schema as z.ZodType<ValidatedSettings, SettingsInput>;
}

/** What a stack's config and environment variables may say (before defaults are merged). */
export type SettingsInput = z.input<typeof settingsObject>;
/** Validated settings, with secret values held as Pulumi secrets by the loader. */
export type ValidatedSettings = z.output<typeof settingsObject>;
