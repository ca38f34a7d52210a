import { ACCOUNT, decideIdentity, decideTrust } from "../../helpers/iamSimulate";
import { PlanQuery } from "../../helpers/plan";
import { planWith } from "../../helpers/planWith";

/**
 * The bootstrap stack's trust and identity policies, exactly as its plan holds them, as IAM
 * evaluates them (@cloud-copilot/iam-simulate). The plan is made with the repository's numeric
 * ids, so each trust accepts both `sub` formats.
 */

const OWNER_ID = "1234567";
const REPO_ID = "456789012";
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const BUCKETS = ["us-east-1", "us-west-2"].map((r) => `arn:aws:s3:::myapp-pulumi-state-${ACCOUNT}-${r}`);

let plan: PlanQuery;
beforeAll(async () => {
    plan = new PlanQuery(await planWith({ stack: "bootstrap", env: { OPS_BOOTSTRAP__REPOSITORY_OWNER_ID: OWNER_ID, OPS_BOOTSTRAP__REPOSITORY_ID: REPO_ID } }));
}, 60_000);

const trustOf = (name: string): unknown => JSON.parse(String(plan.ofType("aws:iam/role:Role").find((r) => r.inputs["name"] === name)!.inputs["assumeRolePolicy"]));
const policiesOf = (name: string): unknown[] => {
    const docs = plan.ofType("aws:iam/policy:Policy").filter((p) => String(p.inputs["name"]).replace(/-\d+$/, "") === name);
    if (docs.length === 0) throw new Error(`no policy of ${name}`);
    return docs.map((p) => JSON.parse(String(p.inputs["policy"])));
};
const keyId = (name: string): string => String(plan.one("aws:kms/key:Key", name).id);
const keyArn = (name: string, region: string): string => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId(name)}`;

/** A GitHub Actions token's claims: `sub` in the name format or GitHub's immutable one. */
function token(context: string, opts: { repo?: string; owner?: string; immutable?: boolean; aud?: string } = {}): Record<string, string> {
    const owner = opts.owner ?? "octo-org";
    const repo = opts.repo ?? "octo-repo";
    const prefix = opts.immutable ? `repo:${owner}@${OWNER_ID}/${repo}@${REPO_ID}` : `repo:${owner}/${repo}`;
    return { "token.actions.githubusercontent.com:sub": `${prefix}:${context}`, "token.actions.githubusercontent.com:aud": opts.aud ?? "sts.amazonaws.com" };
}
const assume = (roleName: string, claims: Record<string, string>, principal = PROVIDER) => decideTrust(trustOf(roleName), role(roleName), principal, claims);

describe("who may assume the production deploy role", () => {
    it.each([
        ["this repository's production environment", token("environment:production"), "Allowed"],
        ["the same, in GitHub's immutable sub format", token("environment:production", { immutable: true }), "Allowed"],
        ["another repository's production environment", token("environment:production", { repo: "other-repo" }), "ImplicitlyDenied"],
        ["another owner's repository of the same name (a fork)", token("environment:production", { owner: "forker" }), "ImplicitlyDenied"],
        ["a fork's pull request", token("pull_request", { owner: "forker" }), "ImplicitlyDenied"],
        ["this repository's pull request", token("pull_request"), "ImplicitlyDenied"],
        ["the staging environment", token("environment:staging"), "ImplicitlyDenied"],
        ["the staging environment, immutable format", token("environment:staging", { immutable: true }), "ImplicitlyDenied"],
        ["production's plan environment (no approval)", token("environment:production-plan"), "ImplicitlyDenied"],
        ["a push to main (no environment)", token("ref:refs/heads/main"), "ImplicitlyDenied"],
        ["a token minted for another audience", token("environment:production", { aud: "https://github.com/octo-org" }), "ImplicitlyDenied"],
    ])("%s: %s", (_what, claims, expected) => {
        expect(assume("myapp-ci-production", claims)).toBe(expected);
    });

    it("not through another identity provider, even with the right claims", () => {
        expect(assume("myapp-ci-production", token("environment:production"), `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`)).toBe("ImplicitlyDenied");
    });

    it("not with the immutable format's ids of another repository", () => {
        const claims = token("environment:production", { immutable: true });
        claims["token.actions.githubusercontent.com:sub"] = claims["token.actions.githubusercontent.com:sub"]!.replace(`@${REPO_ID}`, "@999");
        expect(assume("myapp-ci-production", claims)).toBe("ImplicitlyDenied");
    });
});

describe("each role trusts its own context of this repository, and nothing else", () => {
    const contexts = [
        "pull_request",
        "environment:drift",
        "environment:preview",
        "environment:staging",
        "environment:production-plan",
        "environment:production",
        "environment:dr-drill",
        "environment:dr-mirror",
        "ref:refs/heads/develop",
        "ref:refs/heads/main",
    ];
    it.each([
        ["myapp-ci-read-only", ["pull_request", "environment:drift"]],
        ["myapp-ci-preview", ["environment:preview"]],
        ["myapp-ci-staging", ["environment:staging"]],
        ["myapp-ci-production-plan", ["environment:production-plan"]],
        ["myapp-ci-production", ["environment:production"]],
        ["myapp-ci-dr-drill", ["environment:dr-drill"]],
        ["myapp-ci-dr-mirror", ["environment:dr-mirror"]],
    ])("%s: %j", (roleName, allowed) => {
        for (const immutable of [false, true]) {
            const decided = contexts.filter((c) => assume(roleName, token(c, { immutable })) === "Allowed");
            expect([immutable, decided]).toEqual([immutable, allowed]);
        }
        expect(assume(roleName, token(allowed[0]!, { owner: "forker" }))).toBe("ImplicitlyDenied");
    });
});

describe("what the production deploy role may do", () => {
    const policies = () => policiesOf("myapp-ci-production");
    const decide = (action: string, resource: string, context: Record<string, string> = {}) => decideIdentity(policies(), action, resource, context, role("myapp-ci-production"));
    const tagged = (environment: string) => ({ "aws:ResourceTag/environment": environment, "aws:ResourceTag/project": "myapp" });
    const anyKey = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;

    it.each([
        ["eks:CreateCluster", "*", {}, "Allowed"],
        ["rds:CreateDBInstance", `arn:aws:rds:us-east-1:${ACCOUNT}:db:myapp-production`, {}, "Allowed"],
        ["ec2:CreateVpc", `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0a1b2c3d4e5f67890`, {}, "Allowed"],
        ["codebuild:CreateProject", `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/ops-ci-production`, {}, "Allowed"],
        ["iam:CreateRole", role("myapp-production-cluster-1a2b3c4"), {}, "Allowed"],
        ["iam:PassRole", role("myapp-production-cluster-1a2b3c4"), {}, "Allowed"],
        // Its own environment's keys, named by the tags the stack gives them; not staging's.
        ["kms:Decrypt", anyKey, tagged("production"), "Allowed"],
        ["kms:CreateGrant", anyKey, tagged("production"), "Allowed"],
        ["kms:Decrypt", anyKey, tagged("staging"), "ImplicitlyDenied"],
        ["kms:Decrypt", anyKey, {}, "ImplicitlyDenied"],
        // IAM outside its environment, users, and the CI identities themselves.
        ["iam:CreateRole", role("myapp-staging-cluster-1a2b3c4"), {}, "ImplicitlyDenied"],
        ["iam:PassRole", role("platform-admin"), {}, "ImplicitlyDenied"],
        ["iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/someone`, {}, "ImplicitlyDenied"],
        ["iam:UpdateAssumeRolePolicy", role("myapp-ci-production"), {}, "ExplicitlyDenied"],
        ["iam:DeleteOpenIDConnectProvider", PROVIDER, {}, "ExplicitlyDenied"],
        ["organizations:LeaveOrganization", "*", {}, "ImplicitlyDenied"],
    ])("%s on %s %j: %s", async (action, resource, context, expected) => {
        expect(await decide(action, resource, context)).toBe(expected);
    });

    it("may not attach an account-wide managed policy, even to its own roles", async () => {
        const own = role("myapp-production-app-1a2b3c4");
        expect(await decide("iam:AttachRolePolicy", own, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" })).toBe("Allowed");
        expect(await decide("iam:AttachRolePolicy", own, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" })).toBe("ExplicitlyDenied");
    });

    it("writes the state in either region, and can neither weaken the buckets, erase their history nor destroy the keys", async () => {
        for (const b of BUCKETS) {
            expect(await decide("s3:PutObject", `${b}/.pulumi/stacks/ops/production.json`)).toBe("Allowed");
            expect(await decide("s3:DeleteObject", `${b}/.pulumi/locks/organization/ops/production/a.json`)).toBe("Allowed");
            expect(await decide("s3:DeleteObjectVersion", `${b}/.pulumi/stacks/ops/production.json`)).toBe("ExplicitlyDenied");
            for (const a of ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutReplicationConfiguration", "s3:PutLifecycleConfiguration"]) expect([a, await decide(a, b)]).toEqual([a, "ExplicitlyDenied"]);
        }
        for (const region of ["us-east-1", "us-west-2"]) {
            const secrets = keyArn("myapp-pulumi-state-secrets-key", region);
            expect(await decide("kms:Decrypt", secrets)).toBe("Allowed");
            expect(await decide("kms:GenerateDataKey", keyArn("myapp-pulumi-state-state-key", region))).toBe("Allowed");
            for (const a of ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant"]) expect([a, await decide(a, secrets, a === "kms:CreateGrant" ? tagged("production") : {})]).toEqual([a, "ExplicitlyDenied"]);
            expect(await decide("kms:UpdateAlias", `arn:aws:kms:${region}:${ACCOUNT}:alias/myapp-pulumi-secrets`)).toBe("ExplicitlyDenied");
        }
    });
});

describe("what the staging deploy role may do in an account shared with production", () => {
    const decide = (action: string, resource: string, context: Record<string, string> = {}) => decideIdentity(policiesOf("myapp-ci-staging"), action, resource, context, role("myapp-ci-staging"));

    it("creates staging's IAM and uses staging's keys, not production's", async () => {
        expect(await decide("iam:CreateRole", role("myapp-staging-nodes-1a2b3c4"))).toBe("Allowed");
        expect(await decide("iam:CreateRole", role("myapp-production-nodes-1a2b3c4"))).toBe("ImplicitlyDenied");
        const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
        expect(await decide("kms:Decrypt", key, { "aws:ResourceTag/environment": "staging", "aws:ResourceTag/project": "myapp" })).toBe("Allowed");
        expect(await decide("kms:Decrypt", key, { "aws:ResourceTag/environment": "production", "aws:ResourceTag/project": "myapp" })).toBe("ImplicitlyDenied");
    });
});

describe("what the read-only role may do", () => {
    const decide = (action: string, resource: string) => decideIdentity(policiesOf("myapp-ci-read-only"), action, resource, {}, role("myapp-ci-read-only"));

    it("reads the state of either region and decrypts it and the stacks' secrets, the way pulumi preview does", async () => {
        for (const region of ["us-east-1", "us-west-2"]) {
            const bucket = BUCKETS.find((b) => b.endsWith(region))!;
            expect(await decide("s3:ListBucket", bucket)).toBe("Allowed");
            expect(await decide("s3:GetObject", `${bucket}/.pulumi/stacks/ops/production.json`)).toBe("Allowed");
            expect(await decide("kms:Decrypt", keyArn("myapp-pulumi-state-state-key", region))).toBe("Allowed");
            expect(await decide("kms:Decrypt", keyArn("myapp-pulumi-state-secrets-key", region))).toBe("Allowed");
        }
        expect(await decide("ec2:DescribeVpcs", "*")).toBe("Allowed");
        expect(await decide("eks:DescribeCluster", `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/myapp-production`)).toBe("Allowed");
    });

    it("writes nothing, takes no lock, and reads no data", async () => {
        expect(await decide("s3:PutObject", `${BUCKETS[0]}/.pulumi/locks/organization/ops/production/a.json`)).toBe("ImplicitlyDenied");
        expect(await decide("s3:DeleteObject", `${BUCKETS[0]}/.pulumi/stacks/ops/production.json`)).toBe("ImplicitlyDenied");
        expect(await decide("kms:Encrypt", keyArn("myapp-pulumi-state-secrets-key", "us-east-1"))).toBe("ImplicitlyDenied");
        expect(await decide("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:myapp/production/DATABASE_URL-AbCdEf`)).toBe("ImplicitlyDenied");
        expect(await decide("kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`)).toBe("ImplicitlyDenied");
        expect(await decide("s3:GetObject", `arn:aws:s3:::myapp-production-files-us-east-1/uploads/a.png`)).toBe("ImplicitlyDenied");
    });
});

describe("what the DR mirror role may do", () => {
    const decide = (action: string, resource: string) => decideIdentity(policiesOf("myapp-ci-dr-mirror"), action, resource, {}, role("myapp-ci-dr-mirror"));
    const ecr = (region: string, repository: string) => `arn:aws:ecr:${region}:${ACCOUNT}:repository/${repository}`;
    const MIRROR = "myapp/production/mirror";

    it("reads production's drMirror output from the state of either region, and writes none of it", async () => {
        for (const bucket of BUCKETS) {
            expect(await decide("s3:GetObject", `${bucket}/.pulumi/stacks/ops/production.json`)).toBe("Allowed");
            expect(await decide("s3:PutObject", `${bucket}/.pulumi/stacks/ops/production.json`)).toBe("ImplicitlyDenied");
        }
        for (const region of ["us-east-1", "us-west-2"]) expect(await decide("kms:Decrypt", keyArn("myapp-pulumi-state-state-key", region))).toBe("Allowed");
    });

    it.each([
        // The registry's login takes no resource.
        ["ecr:GetAuthorizationToken", "*", "Allowed"],
        // The mirror's repositories in the DR region: push, read, check a tag.
        ...["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages"].map(
            (a) => [a, ecr("us-west-2", `${MIRROR}/charts/external-secrets`), "Allowed"],
        ),
        ["ecr:PutImage", ecr("us-west-2", `${MIRROR}/stakater/reloader`), "Allowed"],
        // A first pull through each cache creates its repository and imports the image.
        ["ecr:CreateRepository", ecr("us-west-2", "ecr-public/eks/aws-load-balancer-controller"), "Allowed"],
        ["ecr:BatchImportUpstreamImage", ecr("us-west-2", "k8s/metrics-server/metrics-server"), "Allowed"],
        ["ecr:BatchGetImage", ecr("us-west-2", "quay/prometheus/node-exporter"), "Allowed"],
        ["ecr:GetDownloadUrlForLayer", ecr("us-west-2", "ecr-public/aws-observability/aws-otel-collector"), "Allowed"],
        // Nothing else: no write into a cache, no delete, no other repository, region or environment.
        ["ecr:PutImage", ecr("us-west-2", "ecr-public/eks/aws-load-balancer-controller"), "ImplicitlyDenied"],
        ["ecr:CreateRepository", ecr("us-west-2", `${MIRROR}/charts/new-chart`), "ImplicitlyDenied"],
        ["ecr:BatchDeleteImage", ecr("us-west-2", `${MIRROR}/charts/external-secrets`), "ImplicitlyDenied"],
        ["ecr:DeleteRepository", ecr("us-west-2", `${MIRROR}/charts/external-secrets`), "ImplicitlyDenied"],
        ["ecr:SetRepositoryPolicy", ecr("us-west-2", `${MIRROR}/charts/external-secrets`), "ImplicitlyDenied"],
        ["ecr:PutImage", ecr("us-west-2", "myapp/production/app"), "ImplicitlyDenied"],
        ["ecr:PutImage", ecr("us-west-2", "myapp/staging/mirror/charts/reloader"), "ImplicitlyDenied"],
        ["ecr:PutImage", ecr("us-east-1", `${MIRROR}/charts/reloader`), "ImplicitlyDenied"],
        ["ecr:BatchImportUpstreamImage", ecr("us-east-1", "ecr-public/eks/aws-load-balancer-controller"), "ImplicitlyDenied"],
        ["ecr:CreatePullThroughCacheRule", "*", "ImplicitlyDenied"],
        ["iam:CreateRole", role("myapp-production-x"), "ImplicitlyDenied"],
    ])("%s on %s: %s", async (action, resource, expected) => {
        expect(await decide(action, resource)).toBe(expected);
    });
});

describe("what the plan and preview roles may write", () => {
    it("production's plan role saves the plan beside the state, and writes no state", async () => {
        const decide = (action: string, resource: string) => decideIdentity(policiesOf("myapp-ci-production-plan"), action, resource, {}, role("myapp-ci-production-plan"));
        expect(await decide("s3:PutObject", `${BUCKETS[0]}/plans/production/123.json`)).toBe("Allowed");
        expect(await decide("kms:GenerateDataKey", keyArn("myapp-pulumi-state-state-key", "us-east-1"))).toBe("Allowed");
        expect(await decide("s3:PutObject", `${BUCKETS[0]}/.pulumi/stacks/ops/production.json`)).toBe("ImplicitlyDenied");
    });

    it("the preview stacks' role writes the pr-<N> stacks' files only, and reads the staging cluster", async () => {
        const decide = (action: string, resource: string) => decideIdentity(policiesOf("myapp-ci-preview"), action, resource, {}, role("myapp-ci-preview"));
        for (const key of [".pulumi/stacks/ops/pr-42.json", ".pulumi/history/ops/pr-42/pr-42-1.history.json", ".pulumi/backups/ops/pr-42/pr-42.1.json", ".pulumi/locks/organization/ops/pr-42/a.json"]) {
            expect([key, await decide("s3:PutObject", `${BUCKETS[0]}/${key}`)]).toEqual([key, "Allowed"]);
        }
        for (const key of [".pulumi/stacks/ops/staging.json", ".pulumi/stacks/ops/production.json", ".pulumi/locks/organization/ops/staging/a.json", "plans/production/1.json"]) {
            expect([key, await decide("s3:PutObject", `${BUCKETS[0]}/${key}`)]).toEqual([key, "ImplicitlyDenied"]);
        }
        expect(await decide("kms:Encrypt", keyArn("myapp-pulumi-state-secrets-key", "us-east-1"))).toBe("Allowed");
        expect(await decide("eks:DescribeCluster", `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/myapp-staging`)).toBe("Allowed");
        expect(await decide("eks:DescribeCluster", `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/myapp-production`)).toBe("ImplicitlyDenied");
        expect(await decide("ec2:CreateVpc", `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0a1b2c3d4e5f67890`)).toBe("ImplicitlyDenied");
        expect(await decide("iam:CreateRole", role("myapp-staging-x"))).toBe("ImplicitlyDenied");
    });
});
