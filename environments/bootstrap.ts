import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAwsProviders } from "../modules/aws/providers";
import { CI_ROLES, CiRoleKey, GithubOidc, OidcContext } from "../modules/ci";
import { StateBackend, backendUrl, secretsProviderUrl } from "../modules/stateBackend";
import { defaultStateBucketPrefix } from "../settings/bootstrapSchema";
import type { Problem } from "../settings/errors";
import type { BootstrapSettings } from "../settings/load";
import { bootstrapNames } from "./names";

/**
 * The bootstrap stack (docs/bootstrap.md), created once per account while everything is healthy:
 * the Pulumi state backend (a bucket in each region, replicated both ways), the secrets
 * provider's multi-Region key, GitHub's OIDC provider and the CI roles. Everything global here
 * (IAM, the OIDC provider) and everything in the primary region is made and changed only while
 * the primary region is up; during an outage the stacks use what exists: the DR bucket and the
 * keys' replicas.
 */
export function composeBootstrapStack(settings: BootstrapSettings): Record<string, pulumi.Input<unknown>> {
    const names = bootstrapNames(settings);
    const b = settings.bootstrap;
    const providers = createAwsProviders(names.awsProviders, {
        region: settings.region,
        drRegion: settings.drRegion,
        tags: { environment: settings.environment, project: settings.appName, owner: settings.owner, costCenter: settings.costCenter },
    });
    const accountId = aws.getCallerIdentityOutput({}, { provider: providers.primary }).accountId;
    const backend = new StateBackend(names.stateBackend, {
        app: settings.appName,
        bucketPrefix: b.stateBucketPrefix ?? accountId.apply((id) => defaultStateBucketPrefix(settings.appName, id)),
        region: settings.region,
        drRegion: settings.drRegion,
        noncurrentVersionDays: b.noncurrentVersionDays,
        keepNewestVersions: b.keepNewestVersions,
        keyDeletionWindowDays: b.keyDeletionWindowDays,
        protect: settings.protectStatefulResources,
        providers,
    });
    const [owner, name] = settings.githubRepository!.split("/") as [string, string];
    const ci = new GithubOidc(names.githubOidc, {
        app: settings.appName,
        repository: { owner, name, ownerId: b.repositoryOwnerId, repositoryId: b.repositoryId },
        environments: [...b.environments],
        region: settings.region,
        drRegion: settings.drRegion,
        backend: pulumi
            .all([
                pulumi.all([backend.primary.bucket.arn, backend.dr.bucket.arn]),
                pulumi.all([backend.primary.stateKeyArn, backend.dr.stateKeyArn]),
                pulumi.all([backend.primary.secretsKeyArn, backend.dr.secretsKeyArn]),
                pulumi.all([...backend.primary.aliasArns, ...backend.dr.aliasArns]),
            ])
            .apply(([stateBucketArns, stateKeyArns, secretsKeyArns, keyAliasArns]) => ({ stateBucketArns, stateKeyArns, secretsKeyArns, keyAliasArns })),
        provider: providers.primary,
    });
    return bootstrapOutputs(settings, backend, ci);
}

/** What the one-time setup reads from the stack (docs/bootstrap.md): logins, secrets providers, the workflows' variables. */
function bootstrapOutputs(settings: BootstrapSettings, backend: StateBackend, ci: GithubOidc): Record<string, pulumi.Input<unknown>> {
    const role = (key: CiRoleKey) => ci.roleArns[key];
    const deployRoles = Object.fromEntries(
        (Object.keys(ci.roleArns) as CiRoleKey[])
            .filter((k) => k !== "preview")
            // The GitHub environment each role's trust names is where its ARN goes.
            .map((k) => [environmentOf(k), { AWS_DEPLOY_ROLE_ARN: role(k) }]),
    );
    return {
        environment: settings.environment,
        profile: settings.profile,
        stateBackend: {
            [settings.region]: backend.primary.bucket.bucket.apply((bucket) => backendUrl(bucket, settings.region)),
            [settings.drRegion]: backend.dr.bucket.bucket.apply((bucket) => backendUrl(bucket, settings.drRegion)),
        },
        secretsProviders: { [settings.region]: secretsProviderUrl(settings.appName, settings.region), [settings.drRegion]: secretsProviderUrl(settings.appName, settings.drRegion) },
        githubOidcProviderArn: ci.providerArn,
        // `gh variable set` for each (docs/bootstrap.md, step 5).
        githubVariables: {
            PULUMI_BACKEND_URL: backend.primary.bucket.bucket.apply((bucket) => backendUrl(bucket, settings.region)),
            PULUMI_SECRETS_PROVIDER: secretsProviderUrl(settings.appName, settings.region),
            PULUMI_PLAN_URL: pulumi.interpolate`s3://${backend.primary.bucket.bucket}/plans`,
            AWS_REGION: settings.region,
            AWS_DR_REGION: settings.drRegion,
            AWS_PREVIEW_ROLE_ARN: role("preview"),
        },
        // `gh variable set --env <environment>` for each.
        githubEnvironments: deployRoles,
    };
}

/** The GitHub environment a deploy role's trust names (each has exactly one). */
function environmentOf(key: CiRoleKey): string {
    const contexts: readonly OidcContext[] = CI_ROLES[key];
    const env = contexts.find((c): c is { environment: string } => "environment" in c);
    if (!env) throw new Error(`CI role ${key} trusts no GitHub environment`);
    return env.environment;
}

/** What the bootstrap stack needs beyond its schema: the repository every role trusts. */
export function bootstrapSettingsProblems(settings: BootstrapSettings): Problem[] {
    if (settings.githubRepository !== undefined) return [];
    return [
        {
            key: "ops:githubRepository",
            received: "nothing (the key is not set)",
            allowed: "owner/name of this repository on GitHub, exactly as GitHub spells it: every CI role trusts only its workflows",
            fix: "pulumi config set githubRepository \"$(gh repo view --json nameWithOwner --jq .nameWithOwner)\" --stack bootstrap",
        },
    ];
}
