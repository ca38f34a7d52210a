import { CI_ROLES, OidcContext } from "./oidc";

/**
 * The roles of the delivery workflows as the bootstrap stack creates them and the clusters admit
 * them: for each workflow context of `CI_ROLES`, its IAM name, the runbook environment it belongs
 * to (so an account that hosts one environment gets only that environment's roles), what it may
 * do in AWS, and what each cluster lets it do.
 *
 * The names are a contract between two stacks that never read each other: the bootstrap stack
 * creates `<app>-ci-<name>`, and each cloud stack's cluster grants the same names access
 * (`clusterAccess`), so a cloud stack deploys during a regional outage without reading the
 * bootstrap stack's state.
 */

/** The runbook environments whose stacks have deploy roles (the bootstrap's `bootstrap.environments`). */
export const CI_ENVIRONMENTS = ["staging", "production"] as const;
export type CiEnvironment = (typeof CI_ENVIRONMENTS)[number];

/**
 * What a role may do in AWS:
 * - `readOnly`: read every resource's configuration, the state, and decrypt the stacks' secrets
 *   (`previewPolicy`): pull requests' previews and the nightly drift check;
 * - `plan`: `readOnly`, and write the saved plan beside the state (production's plan job);
 * - `previewDeploy`: the `pr-<N>` stacks' state and keys only (they create no AWS resources);
 * - `deploy`: create, change and delete the environment's resources (`deployPolicies`);
 * - `drMirror`: read the state, push to the environment's DR mirror and pull through the DR
 *   region's caches, nothing else (`drMirrorStatements`).
 */
export type CiRoleRights = "readOnly" | "plan" | "previewDeploy" | "deploy" | "drMirror";

/** What a role may do on an environment's cluster (an EKS access entry). */
export type ClusterAccessLevel = "admin" | "view";

/** One role of the catalogue. */
export interface CiRoleSpec {
    /** `<app>-ci-<suffix>`: the role's IAM name. */
    suffix: string;
    /** The runbook environment it belongs to; undefined for the read-only role every account has. */
    environment?: CiEnvironment;
    rights: CiRoleRights;
    /** The cluster access it needs, per environment whose cluster it reaches. */
    clusters: Partial<Record<CiEnvironment, ClusterAccessLevel>>;
    /** What the role is for, in the IAM description and the docs. */
    description: string;
}

/** Every CI role, keyed as `CI_ROLES` (modules/ci/oidc.ts) keys the contexts each trusts. */
export const CI_ROLE_CATALOGUE: Readonly<Record<keyof typeof CI_ROLES, CiRoleSpec>> = {
    preview: {
        suffix: "read-only",
        rights: "readOnly",
        clusters: { staging: "view", production: "view" },
        description: "Read-only: pull requests' previews of staging and production, and the nightly drift check",
    },
    previewDeploy: {
        suffix: "preview",
        environment: "staging",
        rights: "previewDeploy",
        // A pr-<N> stack creates its own namespace (a cluster-scoped object) on the staging cluster.
        clusters: { staging: "admin" },
        description: "The pr-<N> preview stacks on the staging cluster, and the preview sweeper",
    },
    staging: { suffix: "staging", environment: "staging", rights: "deploy", clusters: { staging: "admin" }, description: "Deploys the staging stack" },
    productionPlan: {
        suffix: "production-plan",
        environment: "production",
        rights: "plan",
        clusters: { production: "view" },
        description: "Saves production's plan for approval: reads the stack, writes the plan beside the state",
    },
    production: { suffix: "production", environment: "production", rights: "deploy", clusters: { production: "admin" }, description: "Deploys the production stack" },
    // The drill's cluster is the drill stack's own: its stack names this role as `cluster.ciRole`.
    drDrill: { suffix: "dr-drill", environment: "production", rights: "deploy", clusters: {}, description: "Runs the quarterly DR drill in the DR region" },
    drMirror: {
        suffix: "dr-mirror",
        environment: "production",
        rights: "drMirror",
        clusters: {},
        description: "Fills the DR region's mirror of the controllers' charts and images, and pre-warms its pull-through caches (scripts/dr_mirror.sh)",
    },
};

export type CiRoleKey = keyof typeof CI_ROLE_CATALOGUE;

/** A role's IAM name: `<app>-ci-<suffix>` (64 characters at most, IAM's limit). */
export function ciRoleName(app: string, role: CiRoleKey): string {
    const name = `${app}-ci-${CI_ROLE_CATALOGUE[role].suffix}`;
    if (name.length > 64) throw new Error(`CI role name ${name} is longer than IAM's 64 characters: shorten appName`);
    return name;
}

/** The roles an account hosting these environments gets: the read-only role, and each environment's. */
export function ciRolesFor(environments: readonly CiEnvironment[]): CiRoleKey[] {
    return (Object.keys(CI_ROLE_CATALOGUE) as CiRoleKey[]).filter((k) => {
        const env = CI_ROLE_CATALOGUE[k].environment;
        return env === undefined || environments.includes(env);
    });
}

/** The `sub` contexts a role trusts (`CI_ROLES`). */
export function ciRoleContexts(role: CiRoleKey): OidcContext[] {
    return [...CI_ROLES[role]];
}

/** The roles a cluster admits, by name, and at which level. */
export interface ClusterCiAccess {
    /** Cluster admin (`AmazonEKSClusterAdminPolicy`). */
    admin: string[];
    /** Read-only (`AmazonEKSViewPolicy`, and Helm's release records: see modules/cluster). */
    view: string[];
}

/**
 * The CI roles an environment's cluster admits. The stack's own deploy role is `deployRole`
 * (the stack's `cluster.ciRole`, else the catalogue's role of the environment); the other roles
 * of the catalogue follow. An environment outside the catalogue (a development sandbox) admits
 * only `deployRole`, when one is named.
 */
export function clusterAccess(app: string, environment: string, deployRole?: string): ClusterCiAccess {
    const out: ClusterCiAccess = { admin: [], view: [] };
    const own = (CI_ENVIRONMENTS as readonly string[]).includes(environment) ? (environment as CiEnvironment) : undefined;
    const defaultDeploy = own && (Object.keys(CI_ROLE_CATALOGUE) as CiRoleKey[]).find((k) => k === own);
    const deploy = deployRole ?? (defaultDeploy ? ciRoleName(app, defaultDeploy) : undefined);
    if (deploy) out.admin.push(deploy);
    if (!own) return out;
    for (const key of Object.keys(CI_ROLE_CATALOGUE) as CiRoleKey[]) {
        if (key === own) continue;
        const level = CI_ROLE_CATALOGUE[key].clusters[own];
        if (level) out[level].push(ciRoleName(app, key));
    }
    return out;
}
