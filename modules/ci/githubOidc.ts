import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement } from "../aws/iam";
import { CiPolicyContext, deployStatements, drMirrorStatements, planStatements, policyDocuments, policyGroups, previewDeployStatements } from "./deployPolicy";
import { GITHUB_OIDC_HOST, Repository, STS_AUDIENCE, githubTrustPolicy } from "./oidc";
import { previewPolicy } from "./previewPolicy";
import { CI_ROLE_CATALOGUE, CiEnvironment, CiRoleKey, ciRoleContexts, ciRoleName, ciRolesFor } from "./roles";

export interface GithubOidcArgs {
    app: string;
    repository: Repository;
    /** The environments whose roles this account gets (the read-only role always). */
    environments: CiEnvironment[];
    /** The primary region: the staging cluster's ARN (the preview deploy role reads it). */
    region: string;
    /** The DR region: the mirror and the pull-through caches the DR mirror role fills. */
    drRegion: string;
    /** The state backend and keys the roles read and write (modules/stateBackend). */
    backend: pulumi.Input<Omit<CiPolicyContext, "partition" | "accountId" | "app">>;
    /** A global service: any provider; the primary region's. */
    provider: aws.Provider;
}

/** Longest session per role: the workflows' `role-duration-seconds` (production's deploy 2 h, the drill 4 h). */
const MAX_SESSION_SECONDS: Partial<Record<CiRoleKey, number>> = { production: 7200, drDrill: 14400 };

/**
 * GitHub Actions' access to the account (docs/bootstrap.md): the OIDC identity provider for
 * `token.actions.githubusercontent.com` with the audience `sts.amazonaws.com`, and one role per
 * workflow context of the CI role catalogue (modules/ci/roles.ts), each trusting exactly this
 * repository and that context (`sub`, both formats), each with its managed policies.
 *
 * No thumbprint: for GitHub's issuer IAM validates the certificate against its own trusted root
 * CAs and ignores any thumbprint configured (IAM user guide, "Create an OpenID Connect identity
 * provider"; @pulumi/aws `OpenIdConnectProvider.thumbprintLists`).
 */
export class GithubOidc extends pulumi.ComponentResource {
    readonly providerArn: pulumi.Output<string>;
    /** Every role's ARN, by catalogue key. */
    readonly roleArns: Partial<Record<CiRoleKey, pulumi.Output<string>>> = {};

    constructor(name: string, args: GithubOidcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:ci:GithubOidc", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const oidc = new aws.iam.OpenIdConnectProvider(`${name}-github`, { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [STS_AUDIENCE] }, o);
        this.providerArn = oidc.arn;
        const account = pulumi
            .all([aws.getCallerIdentityOutput({}, o).accountId, aws.getPartitionOutput({}, o).partition])
            .apply(([accountId, partition]) => ({ accountId, partition }));
        const ctx = pulumi.all([account, args.backend]).apply(([a, backend]): CiPolicyContext => ({ ...a, ...backend, app: args.app }));

        for (const key of ciRolesFor(args.environments)) {
            const spec = CI_ROLE_CATALOGUE[key];
            const roleName = ciRoleName(args.app, key);
            const role = new aws.iam.Role(
                `${name}-${spec.suffix}`,
                {
                    name: roleName,
                    description: `GitHub Actions (${args.repository.owner}/${args.repository.name}): ${spec.description}`,
                    assumeRolePolicy: oidc.arn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, args.repository, ciRoleContexts(key)))),
                    maxSessionDuration: MAX_SESSION_SECONDS[key] ?? 3600,
                },
                o,
            );
            this.roleArns[key] = role.arn;
            // One managed policy per document: IAM caps a managed policy at 6,144 characters. How
            // the statements are cut is decided on a context of the longest names AWS allows, so
            // the number of policies is known before any id exists, and every real document fits.
            const groups = policyGroups(roleStatements(key, LONGEST_CONTEXT, args.region, args.drRegion));
            const documents = ctx.apply((c) => policyDocuments(roleStatements(key, c, args.region, args.drRegion), groups));
            const count = groups.length;
            for (let i = 0; i < count; i++) {
                const policy = new aws.iam.Policy(
                    `${name}-${spec.suffix}-${i + 1}`,
                    { name: `${roleName}-${i + 1}`, description: `${spec.description} (${i + 1} of ${count})`, policy: documents.apply((d) => JSON.stringify(d[i])) },
                    o,
                );
                new aws.iam.RolePolicyAttachment(`${name}-${spec.suffix}-${i + 1}`, { role: role.name, policyArn: policy.arn }, o);
            }
        }
        this.registerOutputs({ providerArn: this.providerArn });
    }
}

/** A context whose every name is as long as AWS allows: no real context's documents are longer. */
const LONGEST_CONTEXT: CiPolicyContext = {
    partition: "aws-us-gov",
    accountId: "000000000000",
    app: "x".repeat(32),
    stateBucketArns: ["b", "b"].map((b, i) => `arn:aws:s3:::${b.repeat(63 - i)}`),
    stateKeyArns: ["us-gov-northeast-1", "us-gov-northeast-2"].map((r) => `arn:aws:kms:${r}:000000000000:key/mrk-${"0".repeat(32)}`),
    secretsKeyArns: ["us-gov-northeast-1", "us-gov-northeast-2"].map((r) => `arn:aws:kms:${r}:000000000000:key/mrk-${"0".repeat(32)}`),
    keyAliasArns: [1, 2, 3, 4].map((i) => `arn:aws:kms:us-gov-northeast-${i}:000000000000:alias/${"x".repeat(32)}-pulumi-secrets`),
};

/** A role's statements, by the rights its catalogue entry gives it (`region` the primary, `drRegion` the DR region). */
export function roleStatements(key: CiRoleKey, ctx: CiPolicyContext, region: string, drRegion: string): Statement[] {
    const spec = CI_ROLE_CATALOGUE[key];
    const readOnly = previewPolicy({ stateBucketArns: ctx.stateBucketArns, stateKeyArns: ctx.stateKeyArns, secretsKeyArns: ctx.secretsKeyArns }).Statement as Statement[];
    switch (spec.rights) {
        case "readOnly":
            return readOnly;
        case "plan":
            return [...readOnly, ...planStatements(ctx)];
        case "previewDeploy":
            return previewDeployStatements(ctx, `arn:${ctx.partition}:eks:${region}:${ctx.accountId}:cluster/${ctx.app}-staging`);
        case "deploy":
            return deployStatements(ctx, spec.environment!);
        case "drMirror":
            return drMirrorStatements(ctx, spec.environment!, drRegion);
    }
}
