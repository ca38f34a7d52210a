import { runnerLabel, runnerProjectName, runnerStatements } from "../../../modules/ci/runnerPolicy";
import { SettingsError } from "../../../settings/errors";
import { ACCOUNT, decideIdentity, decideServiceTrust } from "../../helpers/iamSimulate";
import { PlanQuery, PlannedResource } from "../../helpers/plan";
import { planWith } from "../../helpers/planWith";
import { PREVIEW_STACK, SECRET_SENTINELS } from "../../helpers/stacks";

/**
 * The CodeBuild-hosted GitHub Actions runner in staging's and production's VPCs (docs/delivery.md,
 * "Reaching the cluster"), from the plans globalSetup made.
 */

describe.each(["staging", "production"] as const)("the %s runner", (stack) => {
    const q = PlanQuery.of(stack).withoutStandby();
    const project = q.one("aws:codebuild/project:Project");
    const sg = q.one("aws:ec2/securityGroup:SecurityGroup", `myapp-${stack}-ci-runner-sg`);
    const privateSubnets = q
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs["tags"] as Record<string, string>)["tier"] === "private")
        .map((s) => s.id);

    it("is the CodeBuild project the workflows' label names, for this repository, through the account's GitHub credential", () => {
        expect(project.inputs["name"]).toBe(runnerProjectName(stack));
        expect(runnerLabel(stack)).toBe(`codebuild-ops-ci-${stack}-\${{ github.run_id }}-\${{ github.run_attempt }}`);
        expect(project.inputs["source"]).toEqual({ type: "GITHUB", location: "https://github.com/octo-org/octo-repo" });
        expect(project.inputs["artifacts"]).toEqual({ type: "NO_ARTIFACTS" });
        expect(project.inputs["environment"]).toEqual({ type: "LINUX_CONTAINER", computeType: "BUILD_GENERAL1_MEDIUM", image: "aws/codebuild/amazonlinux-x86_64-standard:5.0", imagePullCredentialsType: "CODEBUILD", privilegedMode: false });
        // The DR drill's 240 minutes and some margin.
        expect(project.inputs["buildTimeout"]).toBe(300);
    });

    it("starts on queued workflow jobs only", () => {
        const hook = q.one("aws:codebuild/webhook:Webhook");
        expect(hook.inputs).toEqual({ projectName: project.inputs["name"], buildType: "BUILD", filterGroups: [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }] });
    });

    it("runs in the private subnets, with a group that sends HTTPS out, takes nothing in, and is admitted to the cluster's endpoint", () => {
        expect(privateSubnets.length).toBeGreaterThan(0);
        const vpc = project.inputs["vpcConfig"] as { vpcId: string; subnets: string[]; securityGroupIds: string[] };
        expect([...vpc.subnets].sort()).toEqual([...privateSubnets].sort());
        expect(vpc.securityGroupIds).toEqual([sg.id]);
        expect(vpc.vpcId).toBe(q.one("aws:ec2/vpc:Vpc").id);
        const rules = (type: string, key: string) => q.ofType(type).filter((r) => r.inputs[key] === sg.id);
        expect(rules("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "securityGroupId")).toEqual([]);
        expect(rules("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "securityGroupId").map((r) => [r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"], r.inputs["cidrIpv4"]])).toEqual([["tcp", 443, 443, "0.0.0.0/0"]]);
        const admitted = rules("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "referencedSecurityGroupId");
        expect(admitted.map((r) => [r.inputs["fromPort"], r.inputs["toPort"]])).toEqual([[443, 443]]);
        // The group EKS made for the cluster (its private endpoint's interfaces).
        expect(admitted[0]!.dependencies).toContain(q.one("aws:eks/cluster:Cluster").urn);
    });

    it("writes its logs to a log group with the stack's retention and logs key", () => {
        const logs = q.one("aws:cloudwatch/logGroup:LogGroup", `myapp-${stack}-ci-runner-logs`);
        expect(logs.inputs).toMatchObject({ name: `/aws/codebuild/ops-ci-${stack}`, retentionInDays: stack === "production" ? 90 : 30 });
        expect(String(logs.inputs["kmsKeyId"])).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
        expect((project.inputs["logsConfig"] as { cloudwatchLogs: { groupName: string } }).cloudwatchLogs.groupName).toBe(logs.inputs["name"]);
    });

    const role = (): PlannedResource => q.one("aws:iam/role:Role", `myapp-${stack}-ci-runner-service`);
    const roleArn = () => `arn:aws:iam::${ACCOUNT}:role/${String(role().id)}`;

    it("has a service role CodeBuild assumes for this project of this account only", () => {
        expect(project.inputs["serviceRole"]).toBe(roleArn());
        const trust = JSON.parse(String(role().inputs["assumeRolePolicy"]));
        const as = (sourceArn: string, account = ACCOUNT) => decideServiceTrust(trust, roleArn(), "codebuild.amazonaws.com", { "aws:SourceArn": sourceArn, "aws:SourceAccount": account });
        expect(as(`arn:aws:codebuild:us-east-1:${ACCOUNT}:project/ops-ci-${stack}`)).toBe("Allowed");
        expect(as(`arn:aws:codebuild:us-east-1:${ACCOUNT}:project/someone-elses`)).toBe("ImplicitlyDenied");
        expect(as(`arn:aws:codebuild:us-east-1:210987654321:project/ops-ci-${stack}`, "210987654321")).toBe("ImplicitlyDenied");
    });

    it("lets the runner make its interfaces in its subnets and write its logs, and nothing a job could use", async () => {
        const policy = JSON.parse(String(q.one("aws:iam/rolePolicy:RolePolicy", `myapp-${stack}-ci-runner-service`).inputs["policy"]));
        const decide = (action: string, resource: string, context: Record<string, string> = {}) => decideIdentity([policy], action, resource, context, roleArn());
        const eni = `arn:aws:ec2:us-east-1:${ACCOUNT}:network-interface/eni-0a1b2c3d4e5f67890`;
        const subnet = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/${id}`;
        expect(await decide("ec2:CreateNetworkInterfacePermission", eni, { "ec2:Subnet": subnet(privateSubnets[0]!), "ec2:AuthorizedService": "codebuild.amazonaws.com" })).toBe("Allowed");
        const publicSubnet = q.ofType("aws:ec2/subnet:Subnet").find((s) => (s.inputs["tags"] as Record<string, string>)["tier"] === "public")!.id!;
        expect(await decide("ec2:CreateNetworkInterfacePermission", eni, { "ec2:Subnet": subnet(publicSubnet), "ec2:AuthorizedService": "codebuild.amazonaws.com" })).toBe("ImplicitlyDenied");
        expect(await decide("logs:PutLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/codebuild/ops-ci-${stack}:log-stream:a`)).toBe("Allowed");
        expect(await decide("codeconnections:GetConnectionToken", `arn:aws:codeconnections:us-east-1:${ACCOUNT}:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`)).toBe("Allowed");
        expect(await decide("s3:GetObject", `arn:aws:s3:::myapp-pulumi-state-${ACCOUNT}-us-east-1/.pulumi/stacks/ops/${stack}.json`)).toBe("ImplicitlyDenied");
        expect(await decide("eks:DescribeCluster", `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/myapp-${stack}`)).toBe("ImplicitlyDenied");
        expect(await decide("sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/myapp-ci-${stack}`)).toBe("ImplicitlyDenied");
    });
});

describe("where runners are", () => {
    it.each(["dev", PREVIEW_STACK, "production-dr", "bootstrap"])("%s has none (the DR region's is production's standby footprint)", (stack) => {
        expect(PlanQuery.of(stack).ofType("aws:codebuild/project:Project")).toEqual([]);
    });
});

describe("a runner's settings", () => {
    it("scope the service role to a connection when one is named", () => {
        const ctx = { partition: "aws", accountId: ACCOUNT, region: "us-east-1", projectName: "ops-ci-staging", subnetArns: ["arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1"], logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:g" };
        const connection = "arn:aws:codeconnections:us-east-1:123456789012:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
        expect(runnerStatements({ ...ctx, connectionArn: connection }).at(-1)).toEqual({ Sid: "UseTheGitHubConnection", Effect: "Allow", Action: ["codeconnections:GetConnectionToken", "codeconnections:GetConnection"], Resource: [connection] });
        expect(runnerStatements(ctx).slice(-2)).toEqual([
            { Sid: "UseTheGitHubConnection", Effect: "Allow", Action: ["codeconnections:GetConnectionToken", "codeconnections:GetConnection"], Resource: ["arn:aws:codeconnections:*:123456789012:connection/*"] },
            { Sid: "UseTheGitHubConnectionByItsFormerName", Effect: "Allow", Action: ["codestar-connections:GetConnectionToken", "codestar-connections:GetConnection"], Resource: ["arn:aws:codestar-connections:*:123456789012:connection/*"] },
        ]);
        const legacy = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
        expect(runnerStatements({ ...ctx, connectionArn: legacy }).at(-1)).toEqual({ Sid: "UseTheGitHubConnectionByItsFormerName", Effect: "Allow", Action: ["codestar-connections:GetConnectionToken", "codestar-connections:GetConnection"], Resource: [legacy] });
    });

    it("authenticate the project with the named connection", async () => {
        const connectionArn = "arn:aws:codeconnections:us-east-1:123456789012:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
        const q = new PlanQuery(await planWith({ stack: "staging", env: { ...SECRET_SENTINELS, OPS_CI_RUNNER__CONNECTION_ARN: connectionArn } }));
        expect(q.one("aws:codebuild/project:Project").inputs["source"]).toEqual({ type: "GITHUB", location: "https://github.com/octo-org/octo-repo", auth: { type: "CODECONNECTIONS", resource: connectionArn } });
    });

    it("need the repository the runner serves, and a network of their own", async () => {
        const noRepo = planWith({ stack: "staging", env: { ...SECRET_SENTINELS, OPS_GITHUB_REPOSITORY: undefined as unknown as string } });
        await expect(noRepo).rejects.toThrow(SettingsError);
        await expect(noRepo).rejects.toThrow(/ops:githubRepository[\s\S]*the stack's CI runner serves its workflow jobs/);
        const sandbox = planWith({ stack: "sandbox", config: { "ops:environment": "development", "ops:platform": "aws", "ops:hostname": "app.sandbox.example.com", "ops:edge": JSON.stringify({ zone: { name: "sandbox.example.com" } }), "ops:app": JSON.stringify({ image: { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/backend", tag: "1.0.0" } }) }, env: { ...SECRET_SENTINELS, OPS_CI_RUNNER__ENABLED: "true" } });
        await expect(sandbox).rejects.toThrow(/ops:ciRunner\.enabled[\s\S]*false on a development stack/);
        await expect(planWith({ stack: "staging", env: { ...SECRET_SENTINELS, OPS_CI_RUNNER__CONNECTION_ARN: "arn:aws:iam::123456789012:role/x" } })).rejects.toThrow(/ops:ciRunner\.connectionArn[\s\S]*a CodeConnections connection ARN/);
    });
});
