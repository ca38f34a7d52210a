/**
 * Trust policies for the roles GitHub Actions assumes through OIDC (docs/delivery.md, "One-time
 * setup"): each role trusts one repository and one context of it, written as the `sub` claim of
 * the token GitHub mints for the job, matched exactly (StringEquals), never by pattern.
 *
 * The `sub` claim names the job's context: `repo:OWNER/REPO:environment:NAME` for a job in an
 * environment (deployments), `repo:OWNER/REPO:pull_request` for a pull request's job, and
 * `repo:OWNER/REPO:ref:refs/heads/BRANCH` otherwise. Repositories created since July 2026, and
 * older ones that opted in, get GitHub's immutable format instead, which adds the owner's and the
 * repository's numeric ids: `repo:OWNER@OWNER_ID/REPO@REPO_ID:environment:NAME`. It survives a
 * rename, and a deleted repository's name taken by someone else cannot mint it. Given the ids,
 * a policy accepts both formats, so it keeps working when the repository switches.
 * Sources: docs.github.com/en/actions/reference/security/oidc ("Immutable subject claims",
 * "Filtering for a specific environment"); GitHub changelog 2026-04-23.
 */

/** The OIDC issuer of GitHub Actions, and the IAM condition key prefix of its claims. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** The audience configure-aws-credentials asks for (its `audience` input default). */
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface Repository {
    owner: string;
    name: string;
    /** The owner's numeric id (`GET /users/OWNER` → id), for the immutable `sub` format. */
    ownerId?: number;
    /** The repository's numeric id (`GET /repos/OWNER/REPO` → id). */
    repositoryId?: number;
}

/** The job context a role trusts. */
export type OidcContext = { environment: string } | { pullRequest: true } | { branch: string };

const NAME = /^[A-Za-z0-9_.-]+$/;
/** GitHub environment names: no wildcard or claim separator may slip into an exact match. */
const ENVIRONMENT = /^[A-Za-z0-9_. -]{1,255}$/;

/** Problems with a repository and contexts, each with the value and what is allowed. */
export function oidcProblems(repo: Repository, contexts: OidcContext[]): string[] {
    const out: string[] = [];
    if (!NAME.test(repo.owner)) out.push(`repository owner ${JSON.stringify(repo.owner)}: letters, digits, ".", "_" and "-" only`);
    if (!NAME.test(repo.name)) out.push(`repository name ${JSON.stringify(repo.name)}: letters, digits, ".", "_" and "-" only`);
    if ((repo.ownerId === undefined) !== (repo.repositoryId === undefined)) out.push("ownerId and repositoryId: give both (the immutable sub claim carries both) or neither");
    for (const id of [repo.ownerId, repo.repositoryId]) if (id !== undefined && !(Number.isInteger(id) && id > 0)) out.push(`numeric id ${id}: a positive whole number from the GitHub API`);
    if (contexts.length === 0) out.push("contexts: at least one (an environment, pull requests or a branch)");
    for (const c of contexts) {
        if ("environment" in c && !ENVIRONMENT.test(c.environment)) out.push(`environment ${JSON.stringify(c.environment)}: 1-255 letters, digits, spaces, ".", "_" and "-"`);
        if ("branch" in c && !/^[A-Za-z0-9_./-]+$/.test(c.branch)) out.push(`branch ${JSON.stringify(c.branch)}: a branch name without wildcards`);
    }
    return out;
}

function contextClaim(c: OidcContext): string {
    if ("environment" in c) return `environment:${c.environment}`;
    if ("pullRequest" in c) return "pull_request";
    return `ref:refs/heads/${c.branch}`;
}

/** Every `sub` value a role accepts: each context, in the name format and (ids given) the immutable one. */
export function subjects(repo: Repository, contexts: OidcContext[]): string[] {
    const problems = oidcProblems(repo, contexts);
    if (problems.length > 0) throw new Error(`GitHub OIDC trust: ${problems.join("; ")}`);
    const prefixes = [`repo:${repo.owner}/${repo.name}`];
    if (repo.ownerId !== undefined && repo.repositoryId !== undefined) prefixes.push(`repo:${repo.owner}@${repo.ownerId}/${repo.name}@${repo.repositoryId}`);
    return contexts.flatMap((c) => prefixes.map((p) => `${p}:${contextClaim(c)}`));
}

/** The trust policy of a role GitHub Actions assumes with `sts:AssumeRoleWithWebIdentity`. */
export function githubTrustPolicy(providerArn: string, repo: Repository, contexts: OidcContext[]): { Version: "2012-10-17"; Statement: unknown[] } {
    if (!/^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(providerArn)) {
        throw new Error(`GitHub OIDC trust: ${JSON.stringify(providerArn)} is not the ARN of the account's token.actions.githubusercontent.com OIDC provider`);
    }
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubActions",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
                        [`${GITHUB_OIDC_HOST}:sub`]: subjects(repo, contexts),
                    },
                },
            },
        ],
    };
}

/** The roles of the delivery workflows and the context each trusts (docs/delivery.md). */
export const CI_ROLES = {
    /** Read-only: pull requests' previews of staging and production, and the nightly drift check. */
    preview: [{ pullRequest: true }, { environment: "drift" }],
    /** pr-<N> stacks on the staging cluster, and the sweeper. */
    previewDeploy: [{ environment: "preview" }],
    staging: [{ environment: "staging" }],
    /** Saves production's plan for approval: reads the stack, writes the plan beside the state. */
    productionPlan: [{ environment: "production-plan" }],
    production: [{ environment: "production" }],
    drDrill: [{ environment: "dr-drill" }],
    /** Fills the DR region's mirror and pre-warms its caches (.github/workflows/dr-mirror.yml). */
    drMirror: [{ environment: "dr-mirror" }],
} as const satisfies Record<string, OidcContext[]>;
