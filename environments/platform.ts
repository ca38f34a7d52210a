import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import { Cluster } from "../modules/cluster/cluster";
import { Controllers } from "../modules/cluster/controllers";
import { bindTargetGroups } from "../modules/edge/bindings";
import { Edge } from "../modules/edge/edge";
import { trackWeights } from "../modules/edge/tracks";
import { Network } from "../modules/network/vpc";
import { Registry } from "../modules/registry/repository";
import { Problem, SettingsError } from "./errors";
import type { Settings } from "./load";

/**
 * The AWS platform layer of a cloud stack (staging, production; never dev or a pr-<N> preview):
 * network, cluster and controllers, registry, edge. Returns the Kubernetes provider the workload
 * is deployed through, and `bind`, which joins the workload's Services to the load balancer.
 */
export interface Platform {
    kubernetes: k8s.Provider;
    /** The VPC: the data layer (environments/data.ts) places its stores in its isolated subnets. */
    network: Network;
    /** The cluster and the edge: the observability layer (environments/observability.ts) alarms on them. */
    cluster: Cluster;
    edge: Edge;
    /**
     * The Secret (DATABASE_URL, REDIS_URL, SECRET_KEY, EXTERNAL_API_KEY) the app reads on a cloud
     * stack: External Secrets Operator (installed here) keeps it from Secrets Manager through an
     * ExternalSecret of that name, which the secrets layer defines.
     */
    appSecretName: string;
    /** Joins each track's Service to its target group (`TargetGroupBinding`). */
    bind(workload: {
        namespace: pulumi.Input<string>;
        /** The port of each track's Service (the ip targets resolve it to the pods' port). */
        servicePort: number;
        serviceNames?: pulumi.Input<Record<string, string>>;
        dependsOn?: pulumi.Resource[];
    }): void;
    /** Stack outputs of the platform layer; `kubeconfig` is a secret (pr-<N> stacks read it from staging). */
    outputs: Record<string, pulumi.Input<unknown>>;
}

/** Whether a stack builds the AWS platform: cloud stacks, except previews (they borrow staging's cluster). */
export function buildsPlatform(settings: Pick<Settings, "platform" | "profile">): boolean {
    return settings.platform === "aws" && settings.profile !== "preview";
}

/** Settings a platform stack needs that the schema cannot require of every stack. */
export function platformSettingsProblems(settings: Settings): Problem[] {
    const problems: Problem[] = [];
    for (const key of ["adminRoleArn", "ciRoleArn"] as const) {
        if (settings.cluster[key] === undefined) {
            problems.push({
                key: `ops:cluster.${key}`,
                received: "nothing (the key is not set)",
                allowed: `an IAM role ARN: stack ${settings.stack} builds an EKS cluster, and the ${key === "adminRoleArn" ? "admin" : "CI"} role is how anyone reaches it (the cluster creator gets no access of its own)`,
                fix: `pulumi config set --path cluster.${key} arn:aws:iam::<account>:role/<role>`,
            });
        }
    }
    return problems;
}

export function composePlatform(settings: Settings, aws: AwsProviders): Platform {
    const problems = platformSettingsProblems(settings);
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    const name = `${settings.appName}-${settings.environment}`;
    const provider = aws.primary;
    const retention = settings.logging.retentionDays;

    const network = new Network(name, {
        cidr: settings.network.cidr,
        azCount: settings.network.azCount,
        natGateways: settings.network.natGateways,
        region: settings.region,
        appPort: settings.app.port,
        logRetentionDays: retention,
        provider,
    });

    const cluster = new Cluster(name, {
        clusterName: name,
        version: settings.cluster.version,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        nodeSecurityGroupIds: [network.securityGroupIds.app],
        publicAccessCidrs: settings.cluster.publicAccessCidrs,
        adminRoleArn: settings.cluster.adminRoleArn!,
        ciRoleArn: settings.cluster.ciRoleArn!,
        nodeGroup: settings.cluster.nodeGroup,
        addons: settings.cluster.addons,
        region: settings.region,
        logRetentionDays: retention,
        provider,
    });

    const controllers = new Controllers(`${name}-controllers`, {
        clusterName: cluster.name,
        vpcId: network.vpcId,
        region: settings.region,
        secretsPrefix: `${settings.appName}/${settings.environment}/`,
        versions: settings.controllers,
        awsProvider: provider,
        k8sProvider: cluster.provider,
    });

    const registry = new Registry(name, { repositoryName: `${settings.appName}/${settings.environment}/app`, keepImages: settings.registry.keepImages, provider });

    const tracks = trackWeights(settings.deployment);
    const edge = new Edge(name, {
        hostname: settings.hostname,
        zone: settings.edge.zone,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        securityGroupId: network.securityGroupIds.alb,
        targetPort: settings.app.port,
        tracks,
        deletionProtection: settings.edge.deletionProtection,
        wafRateLimit: settings.edge.wafRateLimit,
        logRetentionDays: retention,
        region: settings.region,
        provider,
    });

    return {
        kubernetes: cluster.provider,
        network,
        cluster,
        edge,
        appSecretName: `${settings.appName}-app`,
        bind: (workload) => {
            bindTargetGroups(name, {
                namespace: workload.namespace,
                servicePort: workload.servicePort,
                tracks,
                serviceNames: workload.serviceNames,
                targetGroupArns: edge.targetGroupArns,
                provider: cluster.provider,
                controller: controllers.loadBalancerController,
                dependsOn: workload.dependsOn,
            });
        },
        outputs: {
            vpcId: network.vpcId,
            clusterName: cluster.name,
            kubeconfig: cluster.kubeconfig,
            repositoryUrl: registry.repositoryUrl,
            loadBalancerDnsName: edge.loadBalancerDnsName,
            nameServers: edge.nameServers,
            // What the listener sends where: a strategy change shows here in every preview.
            trafficWeights: Object.fromEntries(tracks.map((t) => [t.track, t.weight])),
        },
    };
}
