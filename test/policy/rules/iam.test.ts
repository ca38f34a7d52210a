import { iamRules } from "../../../policy/rules/iam";
import { findings, res, ruleSuite } from "../fixtures";

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const rolePolicy = (policy: string, name = "p") => res("aws:iam/rolePolicy:RolePolicy", { role: "r", policy }, { name });
const role = (inputs: Record<string, unknown>, name = "role") => res("aws:iam/role:Role", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), ...inputs }, { name });
const GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

describe("IAM rules", () => {
    const rule = ruleSuite(iamRules);

    rule("iam-no-admin-statements", {
        compliant: () => [rolePolicy(doc(allow(["s3:GetObject"], "*"), allow("*", "arn:aws:s3:::b/*")))],
        missing: () => [rolePolicy(doc())],
        missingFindings: [],
        safeDefault: "a policy without statements grants nothing",
        wrong: () => [
            rolePolicy(doc(allow("s3:GetObject", "arn:aws:s3:::b/*"), allow("*", "*", { Sid: "Admin" }))),
            res("aws:iam/policy:Policy", { policy: doc(allow(["*"], ["arn:aws:s3:::b", "*"])) }, { name: "managed" }),
            role({ inlinePolicies: [{ name: "ok", policy: doc(allow("logs:PutLogEvents", "*")) }, { name: "bad", policy: doc(allow("*", "*")) }] }),
        ],
        wrongFindings: ["p: policy statement Admin allows * on *", "managed: policy statement 1 allows * on *", "role: inline policy bad statement 1 allows * on *"],
    });

    rule("iam-no-service-wildcards", {
        compliant: () => [rolePolicy(doc(allow(["secretsmanager:GetSecretValue", "kms:Decrypt"], "arn:aws:secretsmanager:us-east-1:1:secret:s"), allow("ec2:Describe*", "*")))],
        missing: () => [rolePolicy(doc(allow("logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:g:*")))],
        missingFindings: [],
        safeDefault: "a policy that lists its actions names no service wildcard",
        wrong: () => [rolePolicy(doc(allow("s3:GetObject", "*"), allow(["kms:*", "s3:PutObject", "backup:*"], "*", { Sid: "Broad" }), { Effect: "Deny", Action: "iam:*", Resource: "*" }))],
        wrongFindings: ["p: policy statement Broad allows kms:*: list the actions", "p: policy statement Broad allows backup:*: list the actions"],
    });

    rule("iam-no-admin-managed-policies", {
        compliant: () => [res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" })],
        missing: () => [role({})],
        missingFindings: [],
        safeDefault: "a role without attachments holds only what its own policies grant",
        wrong: () => [
            res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, { name: "attach" }),
            role({ managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/PowerUserAccess"] }),
            res("aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "u", policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }, { name: "user-attach" }),
        ],
        wrongFindings: [
            "attach: attaches arn:aws:iam::aws:policy/AdministratorAccess: grant the actions the principal needs instead",
            "role: attaches arn:aws:iam::aws:policy/PowerUserAccess: grant the actions the principal needs instead",
            "user-attach: attaches arn:aws:iam::aws:policy/IAMFullAccess: grant the actions the principal needs instead",
        ],
    });

    rule("iam-no-users", {
        compliantWhenAbsent: true,
        compliant: () => [role({}), res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" })],
        missing: () => [res("aws:iam/user:User", { name: "deploy" }, { name: "u" })],
        missingFindings: ["u: creates User: use a role instead"],
        wrong: () => [res("aws:iam/accessKey:AccessKey", { user: "deploy" }, { name: "key" }), res("aws:iam/userLoginProfile:UserLoginProfile", { user: "deploy" }, { name: "login" })],
        wrongFindings: ["key: creates AccessKey: use a role instead", "login: creates UserLoginProfile: use a role instead"],
    });

    rule("iam-trust-policy-scoped", {
        compliant: () => [
            role({}),
            role({ assumeRolePolicy: doc({ Effect: "Allow", Principal: { Federated: GITHUB }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:org/ops:*" } } }) }, "ci"),
        ],
        missing: () => [role({ assumeRolePolicy: doc({ Effect: "Allow", Principal: { Federated: GITHUB }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } }) }, "ci")],
        missingFindings: ["ci: trust statement 1 trusts GitHub's OIDC without a token.actions.githubusercontent.com:sub condition"],
        wrong: () => [role({ assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }, { Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) })],
        wrongFindings: ["role: trust statement Anyone lets any principal assume the role"],
    });

    rule("iam-pass-role-scoped", {
        compliant: () => [rolePolicy(doc(allow("iam:PassRole", "arn:aws:iam::1:role/lambda-exec"), allow("iam:GetRole", "*")))],
        missing: () => [rolePolicy(doc(allow("lambda:CreateFunction", "*")))],
        missingFindings: [],
        safeDefault: "a policy that does not mention iam:PassRole cannot pass roles",
        wrong: () => [rolePolicy(doc(allow("lambda:CreateFunction", "*"), allow(["iam:Pass*"], "*", { Sid: "Pass" }), allow("iam:*", ["*"], { Sid: "Iam" })))],
        wrongFindings: ["p: policy statement Pass allows iam:PassRole on *: name the roles", "p: policy statement Iam allows iam:PassRole on *: name the roles"],
    });

    describe("policies with many statements", () => {
        it("flags the one bad statement among good ones, wherever it sits", () => {
            const good = [allow("s3:GetObject", "arn:aws:s3:::b/*"), allow("logs:PutLogEvents", "arn:aws:logs:*:*:*")];
            for (let i = 0; i <= good.length; i++) {
                const statements = [...good.slice(0, i), allow("*", "*"), ...good.slice(i)];
                expect(findings("iam-no-admin-statements", [rolePolicy(doc(...statements))])).toEqual([`p: policy statement ${i + 1} allows * on *`]);
            }
        });

        it("needs both the wildcard action and the wildcard resource in the same statement", () => {
            expect(findings("iam-no-admin-statements", [rolePolicy(doc(allow("*", "arn:aws:s3:::b"), allow("s3:GetObject", "*")))])).toEqual([]);
        });

        it("reads a single statement given as an object, and ignores Deny statements", () => {
            expect(findings("iam-no-admin-statements", [rolePolicy(JSON.stringify({ Statement: allow("*", "*") }))])).toEqual(["p: policy statement 1 allows * on *"]);
            expect(findings("iam-no-admin-statements", [rolePolicy(doc({ Effect: "Deny", Action: "*", Resource: "*" }))])).toEqual([]);
        });

        it("reads a policy document given as an object (the engine's view)", () => {
            expect(findings("iam-no-admin-statements", [res("aws:iam/rolePolicy:RolePolicy", { policy: { Statement: [allow("*", "*")] } }, { name: "p" })])).toEqual(["p: policy statement 1 allows * on *"]);
        });
    });
});
