import { z } from "zod";
import { CI_ENVIRONMENTS } from "../modules/ci/roles";
import { CONNECTION_ARN } from "../modules/ci/runnerPolicy";
import { bucketNameProblem, stateBucketNames } from "../modules/stateBackend/layout";

/**
 * The settings of delivery's AWS side: the GitHub repository every CI role trusts and every runner
 * serves (`githubRepository`), the bootstrap stack's own section (`bootstrap`: the state backend,
 * the secrets provider's key, the OIDC roles: docs/bootstrap.md) and the cloud stacks' CI runner
 * (`ciRunner`: docs/delivery.md, "Reaching the cluster"). Declared here and composed into the one
 * schema in `schema.ts`; defaults live in `profiles.ts`.
 */

/**
 * `owner/name` as GitHub spells it: an owner of 1 to 39 letters, digits and single hyphens, and a
 * repository name of letters, digits, `.`, `_` and `-`. The `sub` claim compares it exactly, case
 * included, so it must be written as GitHub writes it (`gh repo view --json nameWithOwner`).
 */
export const githubRepositorySchema = z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9_.-]{1,100}$/, "owner/name of a GitHub repository, as `gh repo view --json nameWithOwner` prints it")
    .optional()
    .meta({
        description:
            "The GitHub repository (`owner/name`, exactly as GitHub spells it) whose workflows the CI roles trust and the runners serve. Required by the bootstrap stack and by a cloud stack with its CI runner.",
        planStandIn: {
            value: "octo-org/octo-repo",
            realRun: "the repository the CI roles trust: pulumi config set githubRepository <owner/name> (or OPS_GITHUB_REPOSITORY, which the workflows set from github.repository)",
        },
    });

/** The image a CodeBuild-hosted runner may run: CodeBuild's curated Linux images (the runner needs CodeBuild's own agent). */
const RUNNER_IMAGE = /^aws\/codebuild\/(amazonlinux-(x86_64|aarch64)-standard|standard):\d+\.\d+$/;

export const ciRunnerSchema = z
    .strictObject({
        enabled: z.boolean().meta({ description: "Create the stack's CodeBuild-hosted GitHub Actions runner in its VPC (docs/delivery.md, \"Reaching the cluster\")." }),
        computeType: z.enum(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"]).meta({
            description: "CodeBuild compute of each job (billed per minute while a job runs; nothing while idle).",
        }),
        image: z.string().regex(RUNNER_IMAGE, "a CodeBuild-curated Linux image such as aws/codebuild/amazonlinux-x86_64-standard:5.0").meta({ description: "The runner's CodeBuild image." }),
        buildTimeoutMinutes: z.number().int().min(5).max(2160).meta({ description: "The longest job, in minutes (CodeBuild's 5 to 2160): the DR drill takes up to 240." }),
        connectionArn: z
            .string()
            .regex(CONNECTION_ARN, "a CodeConnections connection ARN such as arn:aws:codeconnections:us-east-1:<account>:connection/<uuid>")
            .optional()
            .meta({ description: "The CodeConnections connection to GitHub (a one-time console step: docs/bootstrap.md). Unset: the account's default source credential in the stack's region." }),
    })
    .meta({ description: "The stack's CI runner (cloud stacks)." });

export const bootstrapSchema = z
    .strictObject({
        repositoryOwnerId: z.number().int().positive().optional().meta({
            description: "The repository owner's numeric id (`gh api repos/OWNER/REPO --jq .owner.id`): with `repositoryId`, the trust policies also accept GitHub's immutable `sub` format.",
        }),
        repositoryId: z.number().int().positive().optional().meta({ description: "The repository's numeric id (`gh api repos/OWNER/REPO --jq .id`)." }),
        stateBucketPrefix: z.string().optional().meta({
            description: "The state buckets are `<prefix>-<region>` and `<prefix>-<drRegion>`; bucket names are global, so the prefix must be yours. Unset: `<appName>-pulumi-state-<account id>`. Changing it replaces both buckets.",
        }),
        environments: z
            .array(z.enum(CI_ENVIRONMENTS))
            .min(1)
            .meta({ description: "The environments this account hosts, whose CI roles the bootstrap creates (staging: its deploy and preview roles; production: its deploy, plan and DR drill roles). The read-only role is always created." }),
        noncurrentVersionDays: z.number().int().min(1).max(3650).meta({ description: "Days an overwritten state file (a noncurrent version) is kept." }),
        keepNewestVersions: z.number().int().min(1).max(100).meta({ description: "Noncurrent versions kept per state file whatever their age." }),
        keyDeletionWindowDays: z.number().int().min(7).max(30).meta({ description: "Days between scheduling the state or secrets key for deletion and its end (KMS's 7 to 30)." }),
    })
    .optional()
    .meta({ description: "The bootstrap stack: the state backend, the secrets provider's key, GitHub's OIDC roles (docs/bootstrap.md)." });

/** The state buckets' prefix when `bootstrap.stateBucketPrefix` is unset: the account id makes it the account's own. */
export function defaultStateBucketPrefix(app: string, accountId: string): string {
    return `${app}-pulumi-state-${accountId}`;
}

interface Ctx {
    addIssue(issue: { code: "custom"; path: (string | number)[]; input: unknown; message: string }): void;
}

/** The bootstrap stack's cross-field rules: both numeric ids or neither, real bucket names, no environment twice. */
export function bootstrapRules(s: Record<string, unknown>, ctx: Ctx): void {
    if (s["platform"] !== "aws") {
        ctx.addIssue({ code: "custom", path: ["platform"], input: s["platform"], message: '"aws": the bootstrap stack provisions the account\'s state backend and CI roles' });
    }
    const b = s["bootstrap"] as Record<string, unknown> | undefined;
    if (!b || typeof b !== "object") return;
    if ((b["repositoryOwnerId"] === undefined) !== (b["repositoryId"] === undefined)) {
        const missing = b["repositoryOwnerId"] === undefined ? "repositoryOwnerId" : "repositoryId";
        ctx.addIssue({ code: "custom", path: ["bootstrap", missing], input: undefined, message: "both repositoryOwnerId and repositoryId (the immutable sub claim carries both), or neither" });
    }
    const prefix = b["stateBucketPrefix"];
    if (typeof s["region"] === "string" && typeof s["drRegion"] === "string" && typeof s["appName"] === "string") {
        // Unset, the prefix carries the account id, known only at deployment: check its longest form.
        const given = typeof prefix === "string";
        const names = stateBucketNames(given ? prefix : defaultStateBucketPrefix(s["appName"], "000000000000"), s["region"], s["drRegion"]);
        for (const name of [names.primary, names.dr]) {
            const problem = bucketNameProblem(name);
            if (!problem) continue;
            const message = given
                ? `a prefix that makes ${name} a valid bucket name: ${problem}`
                : `a prefix of your own: the default <appName>-pulumi-state-<account id> makes ${name}, which breaks S3's rule (${problem})`;
            ctx.addIssue({ code: "custom", path: ["bootstrap", "stateBucketPrefix"], input: prefix, message });
        }
    }
    const envs = b["environments"];
    if (Array.isArray(envs) && new Set(envs).size !== envs.length) {
        ctx.addIssue({ code: "custom", path: ["bootstrap", "environments"], input: envs, message: "each environment once" });
    }
}
