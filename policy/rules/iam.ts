/**
 * IAM: identity policies (every statement of every document), managed policy attachments, role
 * trust policies and long-lived users.
 */
import { EVERYWHERE, PolicyRule } from "../rule";
import { IDENTITY_POLICY_TYPES, Statement, actionMatches, identityPoliciesOf, statementLabel, statementsOf, stringsIn } from "../values";

const ATTACHMENTS = [
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
];
const ROLE = "aws:iam/role:Role";
const USER_TYPES = ["aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/userLoginProfile:UserLoginProfile"];

/** AWS managed policies that grant administration of the account, or of IAM itself. */
export const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"] as const;

/** GitHub's OIDC issuer: a role it may assume must pin the repository in the `sub` claim. */
export const GITHUB_OIDC = "token.actions.githubusercontent.com";

/** The Allow statements of a resource's identity policies, each with its label for messages. */
function allowStatements(policies: { label: string; policy: unknown }[]): { label: string; s: Statement }[] {
    return policies.flatMap(({ label, policy }) =>
        statementsOf(policy)
            .map((s, i) => ({ label: `${label} ${statementLabel(s, i)}`, s }))
            .filter(({ s }) => s.effect === "Allow"),
    );
}

/** Whether a statement's conditions pin a claim of an OIDC issuer (`<issuer>:sub`). */
function pinsClaim(s: Statement, claim: string): boolean {
    return Object.values(s.condition).some((block) => Object.keys((block ?? {}) as object).some((k) => k === claim));
}

export const iamRules: PolicyRule[] = [
    {
        name: "iam-no-admin-statements",
        service: "IAM",
        description: 'No IAM policy statement allows every action ("*") on every resource.',
        rationale: "Full administrative privileges let the holder undo every other control, this policy pack's included.",
        controls: [
            { framework: "Security Hub FSBP", id: "IAM.1" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess" },
        ],
        enforcement: EVERYWHERE,
        types: IDENTITY_POLICY_TYPES,
        check: (r) =>
            allowStatements(identityPoliciesOf(r))
                .filter(({ s }) => s.actions.includes("*") && s.resources.includes("*"))
                .map(({ label }) => `${label} allows * on *`),
    },
    {
        name: "iam-no-service-wildcards",
        service: "IAM",
        description: 'No IAM policy statement allows a whole service ("s3:*", "kms:*").',
        rationale: "A service wildcard grants the actions nobody reviewed, including the ones the service adds next year: list the actions the principal uses.",
        controls: [
            { framework: "Security Hub FSBP", id: "IAM.21" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess" },
        ],
        enforcement: EVERYWHERE,
        types: IDENTITY_POLICY_TYPES,
        check: (r) =>
            allowStatements(identityPoliciesOf(r)).flatMap(({ label, s }) =>
                s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a)).map((a) => `${label} allows ${a}: list the actions`),
            ),
    },
    {
        name: "iam-no-admin-managed-policies",
        service: "IAM",
        description: `No role, user or group is given ${ADMIN_MANAGED_POLICIES.join(", ")}.`,
        rationale: "These AWS managed policies grant account-wide administration; the program's roles each do one job.",
        controls: [
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess" },
            { framework: "Security Hub FSBP", id: "IAM.1" },
        ],
        enforcement: EVERYWHERE,
        types: [...ATTACHMENTS, ROLE],
        check: (r) =>
            [...stringsIn(r.inputs["policyArn"]), ...stringsIn(r.inputs["managedPolicyArns"])]
                .filter((arn) => ADMIN_MANAGED_POLICIES.some((p) => arn.endsWith(`:policy/${p}`)))
                .map((arn) => `attaches ${arn}: grant the actions the principal needs instead`),
    },
    {
        name: "iam-no-users",
        service: "IAM",
        description: "The program creates no IAM users, access keys or console passwords.",
        rationale: "Long-lived credentials leak and do not expire; people assume the platform-admin role and CI its OIDC role (README: Deploy for real).",
        controls: [
            { framework: "Security Hub FSBP", id: "IAM.2" },
            { framework: "Security Hub FSBP", id: "IAM.3" },
        ],
        enforcement: EVERYWHERE,
        types: USER_TYPES,
        check: (r) => [`creates ${r.type.split(":").pop() ?? "an IAM user"}: use a role instead`],
    },
    {
        name: "iam-trust-policy-scoped",
        service: "IAM",
        description: "No role trusts any principal (*) without a condition, and a role GitHub's OIDC may assume pins the repository (token.actions.githubusercontent.com:sub).",
        rationale: "A wildcard trust lets any AWS account assume the role; a GitHub OIDC trust without `sub` lets every repository on GitHub do so.",
        controls: [{ framework: "Project", id: "ARCHITECTURE.md: CI assumes roles through GitHub OIDC" }],
        enforcement: EVERYWHERE,
        types: [ROLE],
        check: (r) =>
            statementsOf(r.inputs["assumeRolePolicy"])
                .map((s, i) => ({ s, i }))
                .filter(({ s }) => s.effect === "Allow")
                .flatMap(({ s, i }) => {
                    const label = `trust ${statementLabel(s, i)}`;
                    if (s.principals.includes("*") && !s.hasCondition) return [`${label} lets any principal assume the role`];
                    if (s.principals.some((p) => p.endsWith(GITHUB_OIDC)) && !pinsClaim(s, `${GITHUB_OIDC}:sub`)) return [`${label} trusts GitHub's OIDC without a ${GITHUB_OIDC}:sub condition`];
                    return [];
                }),
    },
    {
        name: "iam-pass-role-scoped",
        service: "IAM",
        description: "No IAM policy allows iam:PassRole on every role.",
        rationale: "PassRole on * lets the holder hand any role, the most privileged included, to a Lambda or an instance it controls.",
        controls: [{ framework: "cdk-nag AwsSolutions", id: "AwsSolutions-IAM5" }],
        enforcement: EVERYWHERE,
        types: IDENTITY_POLICY_TYPES,
        check: (r) =>
            allowStatements(identityPoliciesOf(r))
                .filter(({ s }) => s.resources.includes("*") && s.actions.some((a) => a !== "*" && actionMatches(a, "iam:PassRole")))
                .map(({ label }) => `${label} allows iam:PassRole on *: name the roles`),
    },
];
