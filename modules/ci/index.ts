export { CI_ROLES, GITHUB_OIDC_HOST, STS_AUDIENCE, githubTrustPolicy, oidcProblems, subjects, type OidcContext, type Repository } from "./oidc";
export { DATA_READ_ACTIONS, PREVIEW_READ_ACTIONS, previewPolicy, type PreviewPolicyArgs } from "./previewPolicy";
export { CI_ENVIRONMENTS, CI_ROLE_CATALOGUE, ciRoleContexts, ciRoleName, ciRolesFor, clusterAccess, type CiEnvironment, type CiRoleKey, type CiRoleSpec, type ClusterCiAccess } from "./roles";
export {
    DEPLOY_ACTIONS,
    MANAGED_POLICY_MAX_CHARS,
    deployStatements,
    drMirrorStatements,
    CACHE_PULL_ACTIONS,
    MIRROR_PUSH_ACTIONS,
    guardStatements,
    iamServiceOf,
    planStatements,
    policyDocuments,
    policyGroups,
    previewDeployStatements,
    previewStackObjects,
    type CiPolicyContext,
    type PolicyDocument,
} from "./deployPolicy";
export { CONNECTION_ARN, RUNNER_NETWORKS, RUNNER_PROJECT_PREFIX, RUNNER_WEBHOOK_EVENT, runnerLabel, runnerProjectName, runnerStatements, runnerTrustPolicy, type RunnerNetwork } from "./runnerPolicy";
export { CiRunner, type CiRunnerArgs } from "./runner";
export { GithubOidc, roleStatements, type GithubOidcArgs } from "./githubOidc";
