import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { POD_IDENTITY_TRUST, managedPolicy, serviceTrust } from "../aws/iam";
import { RoleSpec, RoleStatement, Roles, StackRole, arnOf, keyByAlias } from "../aws/roles";
import { CACHE_FILL_ACTIONS } from "../dr/names";
import { defaultStorageClass } from "./storage";

/** Every control-plane log type EKS can send to CloudWatch. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The log group EKS writes the control plane's logs to: `/aws/eks/<cluster>/cluster` (the name EKS chooses). */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}

/** The access policy the admin and CI roles get (API authentication mode). */
export const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** Read-only access to every object but Secrets (Kubernetes' `view` role): the CI roles that only preview. */
export const CLUSTER_VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

/**
 * Read-only access to every object, Secrets included: given to the previewing roles in the Helm
 * releases' namespaces only, where Helm keeps each release's record as a Secret
 * (`sh.helm.release.v1.<release>.v<n>`) that a preview of the release must read.
 */
export const CLUSTER_ADMIN_VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";

/** Pinned versions of the managed add-ons, by add-on name. */
export interface AddonVersions {
    vpcCni: string;
    coredns: string;
    kubeProxy: string;
    podIdentityAgent: string;
    ebsCsiDriver: string;
    cloudwatchObservability: string;
}

export interface NodeGroupArgs {
    instanceTypes: string[];
    minSize: number;
    maxSize: number;
    desiredSize: number;
    /** `AL2023_x86_64_STANDARD`, `AL2023_ARM_64_STANDARD`, `BOTTLEROCKET_x86_64`... */
    amiType: string;
    /** Pinned EKS-optimised AMI release (`1.35.6-20260714`): a patch (runbook 4.3) is a one-line, reviewed change. */
    amiReleaseVersion: string;
    diskSizeGiB: number;
    /** Nodes replaced at once during an update. */
    maxUnavailable: number;
}

export interface ClusterArgs {
    /**
     * The ECR pull-through cache prefixes the nodes pull through (a DR rebuild: modules/dr/names.ts
     * `PULL_THROUGH_CACHES`): the node role may then import upstream images into them. @default none
     */
    pullThroughCachePrefixes?: readonly string[];
    /** Cluster name. Changing it replaces the cluster. */
    clusterName: string;
    /** Kubernetes `major.minor`, pinned. Upgrades go one minor version at a time. */
    version: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets: the control plane's interfaces and the nodes. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups attached to the nodes beside the cluster's own. */
    nodeSecurityGroupIds: pulumi.Input<string>[];
    /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private only. */
    publicAccessCidrs: string[];
    /** Role people assume to administer the cluster (an access entry with cluster admin). */
    adminRoleArn: pulumi.Input<string>;
    /**
     * Roles CI deploys with (access entries with cluster admin): the stack's deploy role, and the
     * preview stacks' role on staging (modules/ci `clusterAccess`).
     */
    ciAdminRoleArns: pulumi.Input<string>[];
    /**
     * Roles CI previews with: `AmazonEKSViewPolicy` on the cluster, and `AmazonEKSAdminViewPolicy`
     * in `helmReleaseNamespaces` (Helm's release records are Secrets).
     * @default none
     */
    ciViewRoleArns?: pulumi.Input<string>[];
    /** The namespaces the cluster's Helm releases are installed in (modules/cluster/controllers `HELM_RELEASE_NAMESPACES`). */
    helmReleaseNamespaces?: string[];
    nodeGroup: NodeGroupArgs;
    addons: AddonVersions;
    region: string;
    logRetentionDays: number;
    /** The `logs` customer-managed key (modules/keys): encrypts the control-plane log group. */
    logsKeyArn: pulumi.Input<string>;
    /**
     * Pulumi `protect` and retain-on-delete on the cluster's secrets key: Kubernetes Secrets
     * encrypted under a deleted key are lost. On in production.
     */
    protect: boolean;
    /**
     * Days before that key, once deleted, is gone (7 to 30): the stack's `secrets.keyDeletionWindowDays`.
     * @default 30
     */
    keyDeletionWindowDays?: number;
    /**
     * What the `amazon-cloudwatch-observability` add-on waits for: the Container Insights log
     * groups it writes, made by the caller with retention and a key (else its agents create them).
     * @default none
     */
    observabilityAddonDependsOn?: pulumi.Resource[];
    provider: aws.Provider;
    /** Where the cluster's, nodes' and add-ons' roles come from. @default created here */
    roles?: Roles;
}

/**
 * An EKS cluster: private API endpoint, secrets envelope-encrypted with a KMS key, every
 * control-plane log type in CloudWatch, access entries for the admin and CI roles (CI's deploy
 * roles as admins, its previewing roles read-only), one managed
 * node group in the private subnets with a pinned AMI release, managed add-ons at pinned versions
 * with Pod Identity, and the Kubernetes provider the workload is deployed through.
 */
export class Cluster extends pulumi.ComponentResource {
    readonly name: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** kubeconfig using `aws eks get-token`; a secret. */
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    private rolesFallback?: Roles;
    /** Created once the nodes and their network are up: what Kubernetes resources wait for. */
    readonly ready: pulumi.Resource[];
    /** The default StorageClass (encrypted gp3, EBS CSI): what a claim naming no class gets. */
    readonly storageClass: k8s.storage.v1.StorageClass;

    constructor(name: string, private readonly args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:cluster:Cluster", name, {}, opts);
        const key = this.createKey(name);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            { name: controlPlaneLogGroupName(args.clusterName), retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            this.opts(),
        );
        const cluster = this.createCluster(name, key, logGroup);
        this.name = cluster.name;
        this.endpoint = cluster.endpoint;
        this.securityGroupId = cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? "");
        this.grantAccess(name, cluster);
        const podIdentityAgent = this.addon(name, cluster, "eks-pod-identity-agent", args.addons.podIdentityAgent);
        const vpcCni = this.addon(name, cluster, "vpc-cni", args.addons.vpcCni, this.podRole(name, "vpc-cni", ["AmazonEKS_CNI_Policy"]), "aws-node", [podIdentityAgent]);
        const nodes = this.createNodeGroup(name, cluster, [vpcCni]);
        const afterNodes = [nodes, podIdentityAgent];
        const kubeProxy = this.addon(name, cluster, "kube-proxy", args.addons.kubeProxy);
        this.addon(name, cluster, "coredns", args.addons.coredns, undefined, undefined, afterNodes);
        this.addon(name, cluster, "aws-ebs-csi-driver", args.addons.ebsCsiDriver, this.podRole(name, "ebs-csi", ["service-role/AmazonEBSCSIDriverPolicy"]), "ebs-csi-controller-sa", afterNodes);
        this.addon(
            name,
            cluster,
            "amazon-cloudwatch-observability",
            args.addons.cloudwatchObservability,
            this.podRole(name, "cloudwatch-agent", ["CloudWatchAgentServerPolicy"]),
            "cloudwatch-agent",
            [...afterNodes, ...(args.observabilityAddonDependsOn ?? [])],
        );
        // What the Kubernetes provider, and so every Kubernetes object, waits for: nodes to run pods
        // on, their network (vpc-cni; kube-proxy, which routes Services, the API server's
        // ClusterIP among them) and Pod Identity (the controllers' AWS credentials). Not the other
        // add-ons, which install alongside in a rebuild's critical path: a pod that resolves a
        // name retries until CoreDNS runs (a minute or two after the nodes, long before the first
        // secret is synced), a claim waits for the EBS CSI driver, and nothing waits for metrics.
        this.ready = [nodes, vpcCni, podIdentityAgent, kubeProxy];
        this.kubeconfig = pulumi.secret(kubeconfigFor(cluster, args.region));
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this, dependsOn: this.ready });
        // Claims that name no class (the previews' in-cluster stores) get encrypted gp3 volumes.
        this.storageClass = defaultStorageClass(name, { parent: this, provider: this.provider });
        this.registerOutputs({ name: this.name, endpoint: this.endpoint });
    }

    private opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider, ...extra };
    }

    private createKey(name: string): aws.kms.Key {
        const key = new aws.kms.Key(
            `${name}-secrets`,
            { description: `Envelope encryption of ${this.args.clusterName} Kubernetes secrets`, enableKeyRotation: true, deletionWindowInDays: this.args.keyDeletionWindowDays ?? 30 },
            this.opts({ protect: this.args.protect, retainOnDelete: this.args.protect }),
        );
        new aws.kms.Alias(`${name}-secrets`, { name: clusterKeyAlias(this.args.clusterName), targetKeyId: key.keyId }, this.opts());
        return key;
    }

    private createCluster(name: string, key: aws.kms.Key, logGroup: aws.cloudwatch.LogGroup): aws.eks.Cluster {
        const role = this.roles.role(clusterRoleSpec(this.args.region, this.args.clusterName), { role: `${name}-cluster`, attachment: () => `${name}-cluster`, policy: () => `${name}-cluster-kms` }, this.opts());
        const publicCidrs = this.args.publicAccessCidrs;
        return new aws.eks.Cluster(
            `${name}-cluster`,
            {
                name: this.args.clusterName,
                version: this.args.version,
                roleArn: role.arn,
                vpcConfig: {
                    subnetIds: this.args.subnetIds,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: publicCidrs.length > 0,
                    ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}),
                },
                encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
                // Add-ons are managed below at pinned versions; EKS's unmanaged defaults would fight them.
                bootstrapSelfManagedAddons: false,
                upgradePolicy: { supportType: "STANDARD" },
            },
            // The log group first, so EKS doesn't create it without a retention.
            this.opts({ dependsOn: [logGroup, ...role.ready] }),
        );
    }

    private grantAccess(name: string, cluster: aws.eks.Cluster): void {
        const associate = (resource: string, principalArn: pulumi.Input<string>, entry: aws.eks.AccessEntry, policyArn: string, accessScope: aws.types.input.eks.AccessPolicyAssociationAccessScope) =>
            new aws.eks.AccessPolicyAssociation(resource, { clusterName: cluster.name, principalArn, policyArn, accessScope }, this.opts({ dependsOn: [entry] }));
        const entry = (resource: string, principalArn: pulumi.Input<string>) => new aws.eks.AccessEntry(resource, { clusterName: cluster.name, principalArn, type: "STANDARD" }, this.opts());
        // The first CI role keeps the name the single CI role had, so that it is not replaced.
        const admins: [string, pulumi.Input<string>][] = [["admin", this.args.adminRoleArn], ...this.args.ciAdminRoleArns.map((arn, i): [string, pulumi.Input<string>] => [i === 0 ? "ci" : `ci-${i + 1}`, arn])];
        for (const [who, principalArn] of admins) {
            associate(`${name}-${who}`, principalArn, entry(`${name}-${who}`, principalArn), CLUSTER_ADMIN_POLICY, { type: "cluster" });
        }
        const namespaces = this.args.helmReleaseNamespaces ?? [];
        (this.args.ciViewRoleArns ?? []).forEach((principalArn, i) => {
            const who = `${name}-ci-view-${i + 1}`;
            const e = entry(who, principalArn);
            associate(who, principalArn, e, CLUSTER_VIEW_POLICY, { type: "cluster" });
            if (namespaces.length > 0) associate(`${who}-helm-releases`, principalArn, e, CLUSTER_ADMIN_VIEW_POLICY, { type: "namespace", namespaces });
        });
    }

    /** A role for one add-on's service account, through Pod Identity, with AWS managed policies only. */
    private podRole(name: string, purpose: string, policies: string[]): StackRole {
        return this.roles.role(addonRoleSpec(purpose, policies), { role: `${name}-${purpose}` }, this.opts());
    }

    private get roles(): Roles {
        return (this.rolesFallback ??= this.args.roles ?? new Roles());
    }

    private addon(
        name: string,
        cluster: aws.eks.Cluster,
        addonName: string,
        addonVersion: string,
        role?: StackRole,
        serviceAccount?: string,
        dependsOn: pulumi.Resource[] = [],
    ): aws.eks.Addon {
        return new aws.eks.Addon(
            `${name}-${addonName}`,
            {
                clusterName: cluster.name,
                addonName,
                addonVersion,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                ...(role && serviceAccount ? { podIdentityAssociations: [{ roleArn: role.arn, serviceAccount }] } : {}),
            },
            this.opts({ dependsOn }),
        );
    }

    private createNodeGroup(name: string, cluster: aws.eks.Cluster, dependsOn: pulumi.Resource[]): aws.eks.NodeGroup {
        const ng = this.args.nodeGroup;
        const role = this.roles.role(nodeRoleSpec(this.args.region, this.args.pullThroughCachePrefixes ?? []), { role: `${name}-nodes`, attachment: (arn) => `${name}-nodes-${arn.split("/").pop()!}` }, this.opts());
        // A launch template for what the node group API has no field for: the app tier's security
        // group, an encrypted gp3 root volume, and IMDSv2 only. Hop limit 2, not 1: the CloudWatch
        // agent reads instance metadata from its pod; every controller gets its AWS credentials
        // from Pod Identity, never from the node role, which can only join the cluster and pull images.
        const template = new aws.ec2.LaunchTemplate(
            `${name}-nodes`,
            {
                updateDefaultVersion: true,
                vpcSecurityGroupIds: [cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? ""), ...this.args.nodeSecurityGroupIds],
                blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: ng.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
                tagSpecifications: [{ resourceType: "instance", tags: { Name: `${this.args.clusterName}-node` } }],
            },
            this.opts(),
        );
        return new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: cluster.name,
                nodeRoleArn: role.arn,
                subnetIds: this.args.subnetIds,
                instanceTypes: ng.instanceTypes,
                amiType: ng.amiType,
                version: this.args.version,
                releaseVersion: ng.amiReleaseVersion,
                capacityType: "ON_DEMAND",
                scalingConfig: { minSize: ng.minSize, maxSize: ng.maxSize, desiredSize: ng.desiredSize },
                updateConfig: { maxUnavailable: ng.maxUnavailable },
                launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
            },
            this.opts({ dependsOn: [...role.ready, ...dependsOn] }),
        );
    }
}

/** The cluster's KMS alias (`alias/<cluster>-eks-secrets`): its role's grant names the key by it. */
export function clusterKeyAlias(clusterName: string): string {
    return `alias/${clusterName}-eks-secrets`;
}

/** The EKS cluster's role: the managed policy, and envelope encryption with the cluster's own key (which the managed policy does not grant). */
export function clusterRoleSpec(region: string, clusterName: string): RoleSpec {
    return {
        purpose: "cluster",
        trustPolicy: serviceTrust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
        managedPolicyArns: [managedPolicy("AmazonEKSClusterPolicy")],
        inlinePolicies: { kms: [keyByAlias({ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"] }, region, clusterKeyAlias(clusterName))] },
    };
}

/**
 * The managed node group's role: join the cluster, pull images, Session Manager. Controllers get
 * their AWS access from Pod Identity, never from it. Pulling through a pull-through cache rule
 * also takes `ecr:BatchImportUpstreamImage`, and `ecr:CreateRepository` when the cached repository
 * does not exist yet (ECR user guide, "IAM permissions required to sync an upstream registry"):
 * granted on the repositories under `cachePrefixes` in `region` only, so a cache whose pre-warm
 * missed an image still serves it in a rebuild.
 */
export function nodeRoleSpec(region: string, cachePrefixes: readonly string[]): RoleSpec {
    const cache: RoleStatement[] =
        cachePrefixes.length === 0
            ? []
            : [{ Sid: "FillThePullThroughCaches", Effect: "Allow", Action: [...CACHE_FILL_ACTIONS], Resource: cachePrefixes.map((p) => arnOf("ecr", region, `repository/${p}/*`)) }];
    return {
        purpose: "nodes",
        trustPolicy: serviceTrust("ec2.amazonaws.com"),
        managedPolicyArns: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"].map(managedPolicy),
        inlinePolicies: cache.length === 0 ? {} : { "pull-through-cache": cache },
    };
}

/** A role for one add-on's service account, through Pod Identity, with AWS managed policies only. */
export function addonRoleSpec(purpose: string, policies: string[]): RoleSpec {
    return { purpose, trustPolicy: POD_IDENTITY_TRUST, managedPolicyArns: policies.map(managedPolicy), inlinePolicies: {} };
}

/** A kubeconfig for the cluster that authenticates with `aws eks get-token` (the caller's own AWS identity). */
export function kubeconfigFor(cluster: aws.eks.Cluster, region: string): pulumi.Output<string> {
    return pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([clusterName, server, ca]) =>
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": ca.data } }],
            contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
            "current-context": clusterName,
            users: [
                {
                    name: clusterName,
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
                        },
                    },
                },
            ],
        }),
    );
}
