import { z } from "zod";
import { imageSourceProblem } from "../modules/registry/imageSource";

/**
 * The settings of disaster recovery (runbook 3.9, docs/dr-standby.md): whether a stack keeps a
 * standby footprint in its DR region, and whether it is itself a DR rebuild of another region's
 * stack. Declared here and composed into the one schema in `schema.ts`; defaults live in
 * `profiles.ts` (the production profile keeps the standby).
 */

/** How a DR rebuild's database comes back (runbook 3.9). */
export const DR_DATABASE_MODES = ["promoteReplica", "restoreReplicatedBackups"] as const;
export type DrDatabaseMode = (typeof DR_DATABASE_MODES)[number];

/** The settings that make a copy in the DR region: a rebuild turns every one of them off. */
export const CROSS_REGION_COPY_KEYS = [
    ["secrets", "replicateToDr"],
    ["files", "replicateToDr"],
    ["backup", "copyToDr"],
    ["backup", "replicateAutomatedBackups"],
] as const;

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region code such as us-east-1");

export const drSchema = z
    .strictObject({
        standby: z.boolean().meta({
            description:
                "Keep the standby footprint in `drRegion` while the primary is healthy: the DR VPC, the standby ALB and certificate, Route 53 failover records and their health checks, the failover switch alarm, the cross-region read replica, ECR replication and the RPO alarms (docs/dr-standby.md). On in production; a DR rebuild sets it false.",
        }),
        rebuildOf: awsRegion.optional().meta({
            description:
                "Set on a DR rebuild: the failed primary region whose stack this one rebuilds in `region` (production-dr: us-east-1). The stack then creates only regional resources on a `region` provider, no provider for `rebuildOf`, no Route 53, IAM or other global resource, and no cross-region copies (they resume at failback); it takes the standby's VPC, load balancer and certificate by lookup. Unset: not a rebuild.",
        }),
        database: z.enum(DR_DATABASE_MODES).meta({
            description:
                "How a DR rebuild's database comes back. `promoteReplica`: the on-call promotes the standing cross-region read replica `<app>-<environment>-dr` first (scripts/dr_promote_database.sh), the rebuild looks it up (RPO: the replica lag, seconds). `restoreReplicatedBackups`: a point-in-time restore from the automated backups replicated to `region` (`restore.mode: replicatedBackup`; RPO minutes, 30 to 45 minutes longer), the fallback and the drill's mode. Read only when `rebuildOf` is set.",
        }),
        regionalName: z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, "lower-case letters, digits and dashes, 3 to 40 characters")
            .optional()
            .meta({
                description:
                    "The regional prefix of the stack's physical names instead of `<appName>-<environment>` (cluster, database, cache, vaults, key aliases): a DR drill's own (`myapp-production-drill`), so it never collides with a real rebuild. Changing it replaces those resources.",
            }),
    })
    .meta({ description: "Disaster recovery: the standby footprint and the DR rebuild (docs/dr-standby.md)." });

interface RuleContext {
    addIssue(issue: { code: "custom"; path: (string | number)[]; input: unknown; message: string }): void;
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
}

/**
 * Cross-field rules of disaster recovery, on AWS stacks. A rebuild must depend on nothing in the
 * region it stands in for: not be in it, copy nothing to it, and keep no standby of its own; its
 * database mode and its `restore` section must say the same thing.
 */
export function drRules(s: Record<string, unknown>, ctx: RuleContext): void {
    if (s["platform"] !== "aws") return;
    const dr = obj(s["dr"]);
    const failed = dr?.["rebuildOf"];
    if (typeof failed !== "string") return;
    if (s["region"] === failed) {
        ctx.addIssue({
            code: "custom",
            path: ["region"],
            input: s["region"],
            message: `a region other than dr.rebuildOf ${failed}: a DR rebuild runs while ${failed} is down, so nothing of it may live there`,
        });
    }
    for (const [section, key] of CROSS_REGION_COPY_KEYS) {
        if (obj(s[section])?.[key] === true) {
            const into = s["drRegion"] === failed ? `drRegion ${String(s["drRegion"])} is the failed region (dr.rebuildOf)` : `a DR rebuild makes no cross-region copies`;
            ctx.addIssue({
                code: "custom",
                path: [section, key],
                input: true,
                message: `false on a DR rebuild (dr.rebuildOf ${failed}): ${into}; copies resume at failback, from the primary stack`,
            });
        }
    }
    if (dr?.["standby"] === true) {
        ctx.addIssue({ code: "custom", path: ["dr", "standby"], input: true, message: `false on a DR rebuild (dr.rebuildOf ${failed}): the standby is the primary stack's, made ahead of time in this region` });
    }
    const mode = obj(s["restore"])?.["mode"];
    const wants = dr?.["database"] === "restoreReplicatedBackups" ? "replicatedBackup" : dr?.["database"] === "promoteReplica" ? "none" : undefined;
    if (wants !== undefined && mode !== undefined && mode !== wants) {
        ctx.addIssue({
            code: "custom",
            path: ["restore", "mode"],
            input: mode,
            message:
                wants === "none"
                    ? "none with dr.database promoteReplica: the rebuild looks the promoted replica up and creates no database (or set dr.database restoreReplicatedBackups)"
                    : "replicatedBackup with dr.database restoreReplicatedBackups: the database is restored from the automated backups replicated to this region",
        });
    }
}

/**
 * Where an AWS stack's app images come from (modules/registry/imageSource.ts): its own region's
 * ECR, as a full repository URL or as the bare name of the stack's registry repository
 * (`<appName>/<environment>/app`; a pr-<N> preview's is staging's, which CI pushes to). A bare
 * Docker Hub name is refused: a pull from outside the region is what fails in a regional outage.
 */
export function imageSourceRules(s: Record<string, unknown>, ctx: RuleContext, ownRepository: string): void {
    if (s["platform"] !== "aws" || typeof s["region"] !== "string") return;
    const region = s["region"];
    const deployment = obj(s["deployment"]);
    const images: Array<[(string | number)[], unknown]> = [
        [["app", "image", "repository"], obj(obj(s["app"])?.["image"])?.["repository"]],
        [["deployment", "canary", "image", "repository"], obj(obj(deployment?.["canary"])?.["image"])?.["repository"]],
        [["deployment", "blueGreen", "greenImage", "repository"], obj(obj(deployment?.["blueGreen"])?.["greenImage"])?.["repository"]],
    ];
    for (const [path, repository] of images) {
        if (typeof repository !== "string") continue;
        const problem = imageSourceProblem(repository, region, [ownRepository]);
        if (problem === undefined) continue;
        ctx.addIssue({
            code: "custom",
            path,
            input: repository,
            message: `an image in this stack's own region's ECR: <account>.dkr.ecr.${region}.amazonaws.com/<name>, or the bare name ${ownRepository} (the stack's registry repository, pulled from its own region's registry); got ${problem}`,
        });
    }
}
