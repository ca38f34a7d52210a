export { CI_ROLES, GITHUB_OIDC_HOST, STS_AUDIENCE, githubTrustPolicy, oidcProblems, subjects, type OidcContext, type Repository } from "./oidc";
export { DATA_READ_ACTIONS, PREVIEW_READ_ACTIONS, previewPolicy, type PreviewPolicyArgs } from "./previewPolicy";
