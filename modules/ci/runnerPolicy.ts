/**
 * The pure parts of a CodeBuild-hosted GitHub Actions runner (modules/ci/runner.ts): its project
 * name, the label a workflow's `runs-on` gives it, and its service role's trust and rights.
 *
 * The service role is what the runner's container holds while it runs a job: CodeBuild puts its
 * credentials in the build environment, so every step of every job that lands on the runner can
 * use them. It may therefore do only what the runner itself needs (its network interfaces in the
 * VPC, its logs, the GitHub connection's token); the job's own rights come from the GitHub
 * environment's role, taken through OIDC (`aws-actions/configure-aws-credentials`), whose trust
 * names the job's environment. A workflow edited in a pull request can choose a runner label, but
 * not an environment's role: the environment's protection rules decide that.
 */
import type { Statement } from "../aws/iam";

/** The networks a runner serves; each has one CodeBuild project, and so one label. */
export const RUNNER_NETWORKS = ["staging", "production", "dr"] as const;
export type RunnerNetwork = (typeof RUNNER_NETWORKS)[number];

/**
 * The prefix of the runners' project names. The workflows' labels name it literally
 * (`codebuild-ops-ci-staging-…`; a test ties them), after this repository.
 */
export const RUNNER_PROJECT_PREFIX = "ops-ci";

/** The CodeBuild project of a network's runner: `ops-ci-<network>`. */
export function runnerProjectName(network: RunnerNetwork): string {
    return `${RUNNER_PROJECT_PREFIX}-${network}`;
}

/**
 * The first `runs-on` label of a job for this runner, as CodeBuild requires it:
 * `codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}` (CodeBuild user guide,
 * "Label overrides supported with the CodeBuild-hosted GitHub Actions runner").
 */
export function runnerLabel(network: RunnerNetwork | "${{ matrix.stack }}"): string {
    const project = network === "${{ matrix.stack }}" ? `${RUNNER_PROJECT_PREFIX}-${network}` : runnerProjectName(network);
    return `codebuild-${project}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/** The webhook event that starts a runner: a workflow job queued with the project's label. */
export const RUNNER_WEBHOOK_EVENT = "WORKFLOW_JOB_QUEUED";

/** Where a runner runs, to write its policies. */
export interface RunnerPolicyContext {
    partition: string;
    accountId: string;
    region: string;
    projectName: string;
    /** The private subnets the runner's network interfaces go in, by ARN. */
    subnetArns: string[];
    logGroupArn: string;
    /** The CodeConnections connection, or undefined for the account's default source credential. */
    connectionArn?: string;
}

/**
 * CodeBuild assumes the service role for this project only (`aws:SourceArn`) and this account
 * (`aws:SourceAccount`): no confused deputy.
 */
export function runnerTrustPolicy(ctx: Pick<RunnerPolicyContext, "partition" | "accountId" | "region" | "projectName">): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "codebuild.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": ctx.accountId },
                    ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.accountId}:project/${ctx.projectName}` },
                },
            },
        ],
    });
}

/**
 * The service role's rights (CodeBuild user guide: "Allow CodeBuild access to AWS services
 * required to create a VPC network interface", and "GitHub App connections", step 2): the
 * interfaces in its subnets, its log streams, and the GitHub connection's token.
 */
export function runnerStatements(ctx: RunnerPolicyContext): Statement[] {
    // The named connection, or (the account's default source credential) any of the account's
    // connections in either namespace. Each namespace's actions act only on its own ARNs, so each
    // gets its own statement.
    const namespaces = ctx.connectionArn ? [ctx.connectionArn.split(":")[2] as ConnectionNamespace] : CONNECTION_NAMESPACES;
    const connections = namespaces.map(
        (ns): Statement => ({
            Sid: ns === "codeconnections" ? "UseTheGitHubConnection" : "UseTheGitHubConnectionByItsFormerName",
            Effect: "Allow",
            Action: [`${ns}:GetConnectionToken`, `${ns}:GetConnection`],
            Resource: [ctx.connectionArn ?? `arn:${ctx.partition}:${ns}:*:${ctx.accountId}:connection/*`],
        }),
    );
    return [
        {
            Sid: "NetworkInterfacesInTheVpc",
            Effect: "Allow",
            Action: [
                "ec2:CreateNetworkInterface",
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcs",
            ],
            Resource: "*",
        },
        {
            Sid: "InterfacesInTheRunnersSubnetsOnly",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterfacePermission",
            Resource: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:network-interface/*`,
            Condition: { StringEquals: { "ec2:Subnet": ctx.subnetArns, "ec2:AuthorizedService": "codebuild.amazonaws.com" } },
        },
        // Both actions act on log streams (`log-group:<name>:log-stream:<stream>`), which `:*` covers.
        { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${ctx.logGroupArn}:*` },
        ...connections,
    ];
}

/** CodeConnections' two ARN namespaces: the service was CodeStar Connections until 2024. */
const CONNECTION_NAMESPACES = ["codeconnections", "codestar-connections"] as const;
type ConnectionNamespace = (typeof CONNECTION_NAMESPACES)[number];

/** The connection ARN formats CodeConnections issues (the service was CodeStar Connections until 2024). */
export const CONNECTION_ARN = /^arn:aws[\w-]*:(codeconnections|codestar-connections):[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:connection\/[0-9a-f-]{36}$/;
