import { getCallerIdentityOutput, getPartitionOutput } from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { roleArnOf } from "../modules/aws/iam";
import type { AwsProviders } from "../modules/aws/providers";
import type { KeyRef, Roles } from "../modules/aws/roles";
import { Cluster } from "../modules/cluster/cluster";
import { Controllers, HELM_RELEASE_NAMESPACES } from "../modules/cluster/controllers";
import { READINESS_GATE_LABELS, bindTargetGroup } from "../modules/edge/bindings";
import { Edge } from "../modules/edge/edge";
import { Network } from "../modules/network/vpc";
import { lookupStandbyEdge, lookupStandbyNetwork, type StandbyNetwork } from "../modules/dr/lookup";
import { drillHostname, standbyNames } from "../modules/dr/names";
import { ecrRegistryHost } from "../modules/registry/imageSource";
import { mirrorPrefix } from "../modules/dr/mirror";
import { PULL_THROUGH_CACHES } from "../modules/dr/names";
import { Registry } from "../modules/registry/repository";
import { CLUSTER_KUBECONFIG_OUTPUT } from "../modules/workload/clusters";
import { type TrackName, appTracks } from "../modules/workload/tracks";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";
import type { Problem } from "../settings/errors";
import { CiRunner, type RunnerNetwork } from "../modules/ci";
import type * as aws from "@pulumi/aws";

/**
 * The AWS platform layer of a cloud stack (staging, production; never dev or a pr-<N> preview):
 * network, cluster and controllers, registry, edge. Returns the Kubernetes provider the workload
 * is deployed through, and `bind`, which joins the workload's Services to the load balancer.
 */
export interface Platform {
    kubernetes: k8s.Provider;
    /** The VPC (a DR rebuild's: the standby's, found by tag): the data layer (environments/data.ts) places its stores in its isolated subnets. */
    network: StandbyNetwork;
    /** The cluster and the edge: the observability layer (environments/observability.ts) alarms on them. */
    cluster: Cluster;
    edge: PlatformEdge;
    /**
     * External Secrets Operator's Helm release: SecretStore and ExternalSecret resources wait for
     * it (its CRDs and webhook), as the TargetGroupBindings wait for the load balancer controller.
     */
    externalSecrets: pulumi.Resource;
    /**
     * How the workload's pods join the load balancer: the labels its namespace carries (the load
     * balancer controller then injects readiness gates), and `bind`, which joins one track's
     * Service to its target group (`TargetGroupBinding`); the track's Deployment waits for it.
     */
    podBinding: {
        namespaceLabels: Readonly<Record<string, string>>;
        bind(workload: {
            namespace: pulumi.Input<string>;
            track: TrackName;
            service: k8s.core.v1.Service;
            /** The port of the track's Service (the ip targets resolve it to the pods' port). */
            servicePort: number;
        }): pulumi.Resource;
    };
    /** The stack's own region's ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`): bare image repositories are pulled from it. */
    registryHost: pulumi.Output<string>;
    /** A DR rebuild's own ECR host, whose pull-through cache serves the public images it runs (modules/dr/imageCache.ts `rebuildImage`). */
    imageCacheHost?: pulumi.Output<string>;
    /** Stack outputs of the platform layer; `kubeconfig` is a secret (pr-<N> stacks read it from staging). */
    outputs: Record<string, pulumi.Input<unknown>>;
}

/** What the other layers read of the edge: the stack's own `Edge`, or on a DR rebuild the standby's. */
export interface PlatformEdge {
    loadBalancerArn: pulumi.Output<string>;
    loadBalancerDnsName: pulumi.Output<string>;
    certificateArn: pulumi.Output<string>;
    targetGroupArns: Partial<Record<TrackName, pulumi.Output<string>>>;
    /** Name servers of a zone the stack created (none on a DR rebuild, which creates no zone). */
    nameServers?: pulumi.Output<string[]>;
    /** The stack's own edge, where it has one (not on a DR rebuild): its zone and ALB zone for the failover records. */
    own?: Edge;
}

/** The ARNs of the cluster's admin role and CI's roles (environments/names.ts `ci`), in the deploying account and partition. */
function clusterRoleArns(settings: Settings, names: StackNames, provider: AwsProviders["primary"]) {
    const deployer = pulumi
        .all([getCallerIdentityOutput({}, { provider }).accountId, getPartitionOutput({}, { provider }).partition])
        .apply(([accountId, partition]) => ({ accountId, partition }));
    const arnOf = (role: string) => deployer.apply((account) => roleArnOf(role, account));
    return { admin: arnOf(settings.cluster.adminRole), ciAdmins: names.ci.clusterAccess.admin.map(arnOf), ciViewers: names.ci.clusterAccess.view.map(arnOf) };
}

/** What the platform takes from what the stack makes before it. */
export interface PlatformDeps {
    /** The stack's customer-managed keys (modules/keys `Keys`). */
    keys: {
        /** CloudWatch Logs: the control-plane and flow-log groups. */
        logs: { arn: pulumi.Input<string> };
        /** Secrets Manager: External Secrets Operator decrypts the environment's secrets with it. */
        secrets: { arn: pulumi.Input<string> };
        /** Each key by alias and region (policies name keys by alias). */
        refs: { secrets: KeyRef };
    };
    /** Where the platform's roles come from (modules/aws/roles.ts). */
    roles: Roles;
    /** The Container Insights log groups (environments/observability.ts): the CloudWatch observability add-on waits for them. */
    containerInsightsLogGroups: pulumi.Resource[];
}

export function composePlatform(settings: Settings, names: StackNames, aws: AwsProviders, deps: PlatformDeps): Platform {
    const { keys } = deps;
    const name = names.regional;
    const provider = aws.primary;
    const retention = settings.logging.retentionDays;
    // The one intent for stateful resources protects the platform's too: the cluster's KMS key (data
    // encrypted under a deleted key is lost), the registry and the ALB access logs (audit evidence).
    const protect = settings.protectStatefulResources;
    const roles = clusterRoleArns(settings, names, provider);

    const rebuild = settings.dr.rebuildOf !== undefined;
    const standby = standbyNames(settings.appName, settings.environment);
    // A DR rebuild runs in the standby's VPC (its ALB's ip targets must be in it), found by tag.
    const network: StandbyNetwork = rebuild ? lookupStandbyNetwork(standby, settings.network.azCount, provider) : new Network(name, {
        cidr: settings.network.cidr,
        azCount: settings.network.azCount,
        natGateways: settings.network.natGateways,
        region: settings.region,
        appPort: settings.app.port,
        logRetentionDays: retention,
        logsKeyArn: keys.logs.arn,
        provider,
        roles: deps.roles,
    });

    const cluster = new Cluster(name, {
        clusterName: names.cluster,
        version: settings.cluster.version,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        nodeSecurityGroupIds: [network.securityGroupIds.app],
        publicAccessCidrs: settings.cluster.publicAccessCidrs,
        adminRoleArn: roles.admin,
        ciAdminRoleArns: roles.ciAdmins,
        ciViewRoleArns: roles.ciViewers,
        helmReleaseNamespaces: [...HELM_RELEASE_NAMESPACES],
        nodeGroup: settings.cluster.nodeGroup,
        addons: settings.cluster.addons,
        region: settings.region,
        logRetentionDays: retention,
        logsKeyArn: keys.logs.arn,
        protect,
        keyDeletionWindowDays: settings.secrets.keyDeletionWindowDays,
        observabilityAddonDependsOn: deps.containerInsightsLogGroups,
        provider,
        roles: deps.roles,
        ...(rebuild ? { pullThroughCachePrefixes: PULL_THROUGH_CACHES.map((c) => c.prefix) } : {}),
    });

    const runner = settings.ciRunner.enabled
        ? composeCiRunner(settings, names, {
              network: runnerNetworkOf(settings.environment)!,
              vpcId: network.vpcId,
              subnetIds: network.privateSubnetIds,
              admitOn443: [cluster.securityGroupId],
              region: settings.region,
              logsKeyArn: keys.logs.arn,
              provider,
          })
        : undefined;

    // A DR rebuild pulls the primary's repository as ECR replication keeps it in this region (it
    // creates none), the controllers' public images through the standby's pull-through cache, and
    // their charts and ghcr.io images from the standby's mirror (modules/dr/mirror.ts).
    const registryHost = ecrRegistryHost(getCallerIdentityOutput({}, { provider }).accountId, settings.region);
    const controllers = new Controllers(names.controllers, {
        clusterName: cluster.name,
        vpcId: network.vpcId,
        region: settings.region,
        secretsPrefix: names.secrets.prefix,
        secretsKey: keys.refs.secrets,
        roles: deps.roles,
        versions: settings.controllers,
        ...(rebuild ? { imageCacheHost: registryHost, mirror: { registryHost, prefix: mirrorPrefix(settings.appName, settings.environment) } } : {}),
        awsProvider: provider,
        k8sProvider: cluster.provider,
    });

    const repositoryUrl = rebuild
        ? pulumi.interpolate`${registryHost}/${names.registryRepository}`
        : new Registry(name, { repositoryName: names.registryRepository, keepImages: settings.registry.keepImages, protect, keyDeletionWindowDays: settings.secrets.keyDeletionWindowDays, provider }).repositoryUrl;

    const tracks = appTracks(settings.app, settings.deployment);
    const edge: PlatformEdge = rebuild ? rebuildEdge(settings, tracks, provider) : ownEdge(new Edge(name, {
        hostname: settings.hostname,
        zone: settings.edge.zone,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        securityGroupId: network.securityGroupIds.alb,
        targetPort: settings.app.port,
        tracks,
        deletionProtection: settings.edge.deletionProtection,
        protectLogs: protect,
        wafRateLimit: settings.edge.wafRateLimit,
        logRetentionDays: retention,
        logsKeyArn: keys.logs.arn,
        region: settings.region,
        provider,
        // With a standby, production's host is a pair of failover records (environments/standby.ts).
        record: settings.dr.standby ? "none" : "simple",
    }));

    return {
        kubernetes: cluster.provider,
        registryHost,
        ...(rebuild ? { imageCacheHost: registryHost } : {}),
        network,
        cluster,
        edge,
        externalSecrets: controllers.externalSecrets,
        podBinding: {
            namespaceLabels: READINESS_GATE_LABELS,
            bind: (workload) => {
                const targetGroupArn = edge.targetGroupArns[workload.track];
                if (targetGroupArn === undefined) throw new Error(`no target group for the ${workload.track} track`);
                return bindTargetGroup(name, {
                    namespace: workload.namespace,
                    track: workload.track,
                    service: workload.service,
                    servicePort: workload.servicePort,
                    targetGroupArn,
                    provider: cluster.provider,
                    controller: controllers.loadBalancerController,
                },
                // Beside the target groups they fill; first made at the root, so the alias keeps them from being replaced.
                // A DR rebuild's, beside the cluster whose pods they register (the target groups are the standby's).
                edge.own ? { parent: edge.own, aliases: [{ parent: pulumi.rootStackResource }] } : { parent: cluster },
                );
            },
        },
        outputs: {
            vpcId: network.vpcId,
            clusterName: cluster.name,
            [CLUSTER_KUBECONFIG_OUTPUT]: cluster.kubeconfig,
            repositoryUrl,
            loadBalancerDnsName: edge.loadBalancerDnsName,
            ...(edge.nameServers ? { nameServers: edge.nameServers } : {}),
            // What the listener sends where: a strategy change shows here in every preview.
            trafficWeights: Object.fromEntries(tracks.map((t) => [t.track, t.weight])),
            ...(runner ? { ciRunnerProject: runner.projectName } : {}),
        },
    };
}

/**
 * A DR rebuild's edge: the standby ALB, its certificate, and the lane the stack's one exposed track
 * joins (the drill's lane when the stack's host is the drill's). The standby's listener already
 * forwards to it; the rebuild creates no load balancer, certificate or DNS record.
 */
function rebuildEdge(settings: Settings, tracks: ReturnType<typeof appTracks>, provider: aws.Provider): PlatformEdge {
    const exposed = tracks.filter((t) => t.weight > 0);
    if (exposed.length !== 1) throw new Error(`A DR rebuild joins one lane of the standby's load balancer: deployment.strategy must expose one track, got ${exposed.map((t) => t.track).join(", ")}.`);
    const lane = settings.hostname === drillHostnameOf(settings) ? "drill" : "app";
    const found = lookupStandbyEdge(standbyNames(settings.appName, settings.environment), lane, settings.hostname, provider);
    return {
        loadBalancerArn: found.loadBalancerArn,
        loadBalancerDnsName: found.loadBalancerDnsName,
        certificateArn: found.certificateArn,
        targetGroupArns: { [exposed[0]!.track]: found.targetGroupArn },
    };
}

/** The stack's own edge, as the other layers read it. */
function ownEdge(edge: Edge): PlatformEdge {
    return { loadBalancerArn: edge.loadBalancerArn, loadBalancerDnsName: edge.loadBalancerDnsName, certificateArn: edge.certificateArn, targetGroupArns: edge.targetGroupArns, nameServers: edge.nameServers, own: edge };
}

/** The drill lane's host for this stack's zone. */
function drillHostnameOf(settings: Settings): string {
    return drillHostname(settings.edge.zone.name);
}

/** Where a runner goes and what it may reach, beyond the stack's settings. */
export interface CiRunnerPlacement {
    network: RunnerNetwork;
    vpcId: pulumi.Input<string>;
    /** Private subnets routed to a NAT gateway. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups that admit the runner on 443 (a cluster's). */
    admitOn443?: pulumi.Input<string>[];
    region: string;
    /** A `logs` key in the runner's region. */
    logsKeyArn: pulumi.Input<string>;
    provider: aws.Provider;
}

/**
 * A CodeBuild-hosted GitHub Actions runner for a network, with the stack's `ciRunner` settings
 * (docs/delivery.md, "Reaching the cluster"): composed into staging's and production's VPCs here,
 * and usable for the DR region's VPC by production's standby footprint (network `dr`).
 */
export function composeCiRunner(settings: Pick<Settings, "githubRepository" | "ciRunner" | "logging">, names: Pick<StackNames, "ci">, placement: CiRunnerPlacement): CiRunner {
    return new CiRunner(placement.network === "dr" ? `${names.ci.runner}-dr` : names.ci.runner, {
        network: placement.network,
        // The pre-check (ciRunnerSettingsProblems) stops a stack with a runner and no repository.
        repository: settings.githubRepository!,
        vpcId: placement.vpcId,
        subnetIds: placement.subnetIds,
        admitOn443: placement.admitOn443,
        connectionArn: settings.ciRunner.connectionArn,
        computeType: settings.ciRunner.computeType,
        image: settings.ciRunner.image,
        buildTimeoutMinutes: settings.ciRunner.buildTimeoutMinutes,
        logRetentionDays: settings.logging.retentionDays,
        logsKeyArn: placement.logsKeyArn,
        region: placement.region,
        provider: placement.provider,
    });
}

/** The runner network of an environment's own VPC: staging's and production's. */
export function runnerNetworkOf(environment: string): RunnerNetwork | undefined {
    return environment === "staging" || environment === "production" ? environment : undefined;
}

/** What a stack with a CI runner needs beyond the schema: the repository it serves, and a network of its own. */
export function ciRunnerSettingsProblems(settings: Settings): Problem[] {
    if (!settings.ciRunner.enabled) return [];
    const problems: Problem[] = [];
    if (settings.githubRepository === undefined) {
        problems.push({
            key: "ops:githubRepository",
            received: "nothing (the key is not set)",
            allowed: "owner/name of this repository on GitHub: the stack's CI runner serves its workflow jobs (ciRunner.enabled is true)",
            fix: 'pulumi config set githubRepository "$(gh repo view --json nameWithOwner --jq .nameWithOwner)"   (in Pulumi.<stack>.yaml, or OPS_GITHUB_REPOSITORY in CI)',
        });
    }
    if (runnerNetworkOf(settings.environment) === undefined) {
        problems.push({
            key: "ops:ciRunner.enabled",
            received: "true",
            allowed: `false on a ${settings.environment} stack: runners serve staging's and production's networks (labels codebuild-ops-ci-staging|production-…), and the DR region's is production's standby footprint`,
            fix: "pulumi config set --path ciRunner.enabled false",
        });
    }
    return problems;
}
