import { iamRules } from "../../../policy/rules/iam";
import { findings, res, usesRules } from "../fixtures";

/** More cases of the IAM rules (iam.test.ts tests each three ways): statements, principals, actions and conditions among others. */

usesRules(iamRules);

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const rolePolicy = (policy: string) => res("aws:iam/rolePolicy:RolePolicy", { role: "r", policy }, { name: "p" });
const trusting = (...statements: unknown[]) => res("aws:iam/role:Role", { assumeRolePolicy: doc(...statements) }, { name: "role" });
const GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const SUB = "token.actions.githubusercontent.com:sub";
const AUD = "token.actions.githubusercontent.com:aud";
const oidc = (Condition: unknown, Federated: unknown = GITHUB) => ({ Effect: "Allow", Principal: { Federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition });

describe("iam-trust-policy-scoped", () => {
    it("finds the sub claim in any condition block, beside other claims", () => {
        expect(findings("iam-trust-policy-scoped", [trusting(oidc({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "repo:org/ops:*" } }))])).toEqual([]);
        expect(findings("iam-trust-policy-scoped", [trusting(oidc({ StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:org/ops:ref:refs/heads/main" } }))])).toEqual([]);
    });

    it("needs the sub claim when GitHub's OIDC is one principal among others", () => {
        expect(findings("iam-trust-policy-scoped", [trusting(oidc({ StringEquals: { [AUD]: "sts.amazonaws.com" } }, [GITHUB, "arn:aws:iam::123456789012:oidc-provider/example.com"]))])).toEqual([
            `role: trust statement 1 trusts GitHub's OIDC without a ${SUB} condition`,
        ]);
    });

    it("judges only Allow statements: a Deny to any principal is not a trust", () => {
        expect(findings("iam-trust-policy-scoped", [trusting({ Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })])).toEqual([]);
    });
});

describe("iam-pass-role-scoped", () => {
    it("finds iam:PassRole among other actions of a statement", () => {
        expect(findings("iam-pass-role-scoped", [rolePolicy(doc(allow(["s3:GetObject", "iam:PassRole"], "*")))])).toEqual(["p: policy statement 1 allows iam:PassRole on *: name the roles"]);
    });

    it("leaves * on * to iam-no-admin-statements", () => {
        expect(findings("iam-pass-role-scoped", [rolePolicy(doc(allow("*", "*")))])).toEqual([]);
        expect(findings("iam-no-admin-statements", [rolePolicy(doc(allow("*", "*")))])).toEqual(["p: policy statement 1 allows * on *"]);
    });
});

describe("iam-no-service-wildcards", () => {
    it("flags only a whole service, not a wildcard within one", () => {
        expect(findings("iam-no-service-wildcards", [rolePolicy(doc(allow(["s3:*Object", "s3:Get*", "S3:*"], "*")))])).toEqual(["p: policy statement 1 allows S3:*: list the actions"]);
    });
});

describe("iam-no-admin-managed-policies", () => {
    it("judges group attachments and the exclusive policy attachment too", () => {
        const arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        expect(
            findings("iam-no-admin-managed-policies", [
                res("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", { group: "g", policyArn: arn }, { name: "group" }),
                res("aws:iam/policyAttachment:PolicyAttachment", { roles: ["r"], policyArn: arn }, { name: "exclusive" }),
            ]),
        ).toEqual([`group: attaches ${arn}: grant the actions the principal needs instead`, `exclusive: attaches ${arn}: grant the actions the principal needs instead`]);
        expect(iamRules.find((r) => r.name === "iam-no-admin-managed-policies")?.description).toBe("No role, user or group is given AdministratorAccess, PowerUserAccess, IAMFullAccess.");
    });
});
