import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../aws/iam";
import { CONNECTION_ARN, RUNNER_WEBHOOK_EVENT, RunnerNetwork, runnerProjectName, runnerStatements, runnerTrustPolicy } from "./runnerPolicy";

export interface CiRunnerArgs {
    /** The network it serves: names the project `ops-ci-<network>`, the label the workflows use. Changing it replaces the project. */
    network: RunnerNetwork;
    /** The GitHub repository (`owner/name`) whose workflow jobs it runs. */
    repository: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets with a route to a NAT gateway: the runner reaches GitHub, the AWS APIs and the cluster's private endpoint from there. */
    subnetIds: pulumi.Input<string>[];
    /**
     * Security groups that admit the runner on 443: the cluster's (its private API endpoint).
     * During a DR rebuild the cluster comes later: the rebuild adds its own rule (see docs/bootstrap.md).
     * @default none
     */
    admitOn443?: pulumi.Input<string>[];
    /**
     * The CodeConnections connection to GitHub (a one-time console step: docs/bootstrap.md).
     * @default the account's default source credential in the runner's region
     */
    connectionArn?: string;
    /** CodeBuild compute type. Cost note: billed per build minute while a job runs; nothing while idle. */
    computeType: "BUILD_GENERAL1_SMALL" | "BUILD_GENERAL1_MEDIUM" | "BUILD_GENERAL1_LARGE";
    /** A CodeBuild-curated Linux image the runner supports (`aws/codebuild/amazonlinux-x86_64-standard:5.0`). */
    image: string;
    /** The longest job, in minutes (CodeBuild's 5 to 2160): the DR drill's 240 and some margin. */
    buildTimeoutMinutes: number;
    logRetentionDays: number;
    /** The stack's `logs` key: encrypts the runner's log group. */
    logsKeyArn: pulumi.Input<string>;
    region: string;
    provider: aws.Provider;
}

/**
 * A CodeBuild project configured as a self-hosted GitHub Actions runner inside a VPC (CodeBuild
 * user guide, "Self-hosted GitHub Actions runners in AWS CodeBuild"): a webhook on
 * `WORKFLOW_JOB_QUEUED` starts a fresh container for each queued job whose first label is
 * `codebuild-ops-ci-<network>-${{ github.run_id }}-${{ github.run_attempt }}`; the container
 * registers as an ephemeral runner, runs that one job and is gone. Its security group may reach
 * the cluster's private endpoint; its service role may only run the runner (modules/ci/runnerPolicy.ts).
 */
export class CiRunner extends pulumi.ComponentResource {
    readonly projectName: pulumi.Output<string>;
    /** The runner's security group: what a cluster admits on 443. */
    readonly securityGroupId: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: CiRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:ci:CiRunner", name, {}, opts);
        if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(args.repository)) throw new Error(`CiRunner ${name}: repository ${JSON.stringify(args.repository)} is not owner/name`);
        if (args.connectionArn !== undefined && !CONNECTION_ARN.test(args.connectionArn)) throw new Error(`CiRunner ${name}: ${JSON.stringify(args.connectionArn)} is not a CodeConnections connection ARN`);
        if (!Number.isInteger(args.buildTimeoutMinutes) || args.buildTimeoutMinutes < 5 || args.buildTimeoutMinutes > 2160) {
            throw new Error(`CiRunner ${name}: buildTimeoutMinutes must be a whole number from 5 to 2160 (CodeBuild's limits). Got ${args.buildTimeoutMinutes}.`);
        }
        const projectName = runnerProjectName(args.network);
        const opts1 = { parent: this, provider: args.provider };
        const account = pulumi
            .all([aws.getCallerIdentityOutput({}, opts1).accountId, aws.getPartitionOutput({}, opts1).partition])
            .apply(([accountId, partition]) => ({ accountId, partition }));

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/codebuild/${projectName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn }, opts1);
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `GitHub Actions runner ${projectName}: HTTPS out (GitHub, AWS APIs, the cluster endpoint), nothing in`, tags: { Name: projectName } },
            opts1,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-out-https`,
            { securityGroupId: securityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS to GitHub, the AWS APIs, the registries and the cluster's endpoint" },
            opts1,
        );
        (args.admitOn443 ?? []).forEach(
            (groupId, i) =>
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-admitted-${i + 1}`,
                    { securityGroupId: groupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: securityGroup.id, description: `The API endpoint from the CI runner ${projectName}` },
                    opts1,
                ),
        );

        const role = new aws.iam.Role(
            `${name}-service`,
            { description: `CodeBuild service role of the runner ${projectName}: its network interfaces, logs and GitHub connection only`, assumeRolePolicy: account.apply((a) => runnerTrustPolicy({ ...a, region: args.region, projectName })) },
            opts1,
        );
        const subnetArns = pulumi.all([account, pulumi.all(args.subnetIds)]).apply(([a, ids]) => ids.map((id) => `arn:${a.partition}:ec2:${args.region}:${a.accountId}:subnet/${id}`));
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-service`,
            {
                role: role.id,
                policy: pulumi
                    .all([account, subnetArns, logGroup.arn])
                    .apply(([a, subnets, logGroupArn]) => policyJson(runnerStatements({ ...a, region: args.region, projectName, subnetArns: subnets, logGroupArn, connectionArn: args.connectionArn }))),
            },
            opts1,
        );

        const project = new aws.codebuild.Project(
            `${name}-project`,
            {
                name: projectName,
                description: `Self-hosted GitHub Actions runner for ${args.repository}, in the ${args.network} network (label codebuild-${projectName}-<run id>-<attempt>)`,
                serviceRole: role.arn,
                buildTimeout: args.buildTimeoutMinutes,
                source: {
                    type: "GITHUB",
                    location: `https://github.com/${args.repository}`,
                    ...(args.connectionArn ? { auth: { type: "CODECONNECTIONS", resource: args.connectionArn } } : {}),
                },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: { type: "LINUX_CONTAINER", computeType: args.computeType, image: args.image, imagePullCredentialsType: "CODEBUILD", privilegedMode: false },
                vpcConfig: { vpcId: args.vpcId, subnets: args.subnetIds, securityGroupIds: [securityGroup.id] },
                logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
            },
            // CodeBuild checks the role's VPC rights when the project is created.
            { ...opts1, dependsOn: [rolePolicy] },
        );
        new aws.codebuild.Webhook(`${name}-webhook`, { projectName: project.name, buildType: "BUILD", filterGroups: [{ filters: [{ type: "EVENT", pattern: RUNNER_WEBHOOK_EVENT }] }] }, opts1);

        this.projectName = project.name;
        this.securityGroupId = securityGroup.id;
        this.roleArn = role.arn;
        this.registerOutputs({ projectName: this.projectName, securityGroupId: this.securityGroupId });
    }
}
