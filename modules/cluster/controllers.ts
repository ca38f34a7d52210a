import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { POD_IDENTITY_TRUST } from "../aws/iam";
import { KeyRef, RoleStatement, Roles, arnOf } from "../aws/roles";
import { secretsReaderPolicy } from "../secrets/policies";
import { RELOADER_NAMESPACE, reloaderValues } from "../secrets/reload";
import { cachedImage } from "../dr/names";
import { CONTROLLER_CHARTS, MIRRORED_IMAGES, imageRepository, mirroredChart } from "../dr/mirror";
import { CONTROLLER_IMAGES, externalSecretsValues, loadBalancerControllerAvailability, metricsServerValues } from "./chartValues";

/** Pinned Helm chart versions (the charts and their repositories: modules/dr/mirror.ts `CONTROLLER_CHARTS`). */
export interface ControllerVersions {
    /** https://aws.github.io/eks-charts `aws-load-balancer-controller`. */
    awsLoadBalancerController: string;
    /** https://charts.external-secrets.io `external-secrets`. */
    externalSecrets: string;
    /** https://kubernetes-sigs.github.io/metrics-server `metrics-server` (no EKS add-on here provides it). */
    metricsServer: string;
    /** https://stakater.github.io/stakater-charts `reloader`: rolls the app when its Secret changes. */
    reloader: string;
}

export interface ControllersArgs {
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    region: string;
    /** Secrets the app may read: `<appName>/<environment>/` in Secrets Manager. */
    secretsPrefix: string;
    /** The customer-managed key the secrets are encrypted with (modules/keys `secrets`), by alias: ESO decrypts with it. */
    secretsKey: KeyRef;
    /** Where the controllers' roles come from. @default created here */
    roles?: Roles;
    versions: ControllerVersions;
    /**
     * The registry host whose pull-through cache serves the controllers' public images (a DR
     * rebuild: its own region's ECR, modules/dr/names.ts `cachedImage`). @default the charts' upstream images
     */
    imageCacheHost?: pulumi.Input<string>;
    /**
     * The DR region's mirror (modules/dr/mirror.ts), for a DR rebuild: every chart is installed
     * from `oci://<registryHost>/<prefix>/charts/<chart>` and External Secrets' and Reloader's
     * images come from their copies. @default the charts' upstream repositories and images
     */
    mirror?: { registryHost: pulumi.Input<string>; prefix: string };
    awsProvider: aws.Provider;
    k8sProvider: k8s.Provider;
}

const SYSTEM_NAMESPACE = "kube-system";
const LBC_SERVICE_ACCOUNT = "aws-load-balancer-controller";
const ESO_NAMESPACE = "external-secrets";
const ESO_SERVICE_ACCOUNT = "external-secrets";
const METRICS_SERVER_RELEASE = "metrics-server";

/**
 * The namespaces of the controllers' Helm releases: a preview of a release reads Helm's record of
 * it, a Secret in the release's namespace, so the previewing CI roles may read Secrets there
 * (modules/cluster/cluster.ts `CLUSTER_ADMIN_VIEW_POLICY`). A test checks every Release of every
 * cloud stack is in one of them.
 */
export const HELM_RELEASE_NAMESPACES: readonly string[] = [SYSTEM_NAMESPACE, ESO_NAMESPACE, RELOADER_NAMESPACE];

/**
 * The cluster's controllers as Helm releases at pinned chart versions, each AWS-facing one with
 * its own least-privilege role through Pod Identity:
 * - AWS Load Balancer Controller, used only for `TargetGroupBinding` (the program owns the ALB);
 * - External Secrets Operator, reading the stack's secrets from Secrets Manager;
 * - metrics-server, for the autoscaler;
 * - Stakater Reloader, which rolls the app's Deployments when External Secrets writes a rotated
 *   value into their Secret (modules/secrets/reload.ts).
 */
export class Controllers extends pulumi.ComponentResource {
    /** The load balancer controller: `TargetGroupBinding` resources depend on it (its CRDs and webhook). */
    readonly loadBalancerController: k8s.helm.v3.Release;
    /** External Secrets Operator: SecretStore and ExternalSecret resources depend on it (its CRDs and webhook). */
    readonly externalSecrets: k8s.helm.v3.Release;
    readonly metricsServer: k8s.helm.v3.Release;
    readonly reloader: k8s.helm.v3.Release;

    constructor(name: string, private readonly args: ControllersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:cluster:Controllers", name, {}, opts);

        const lbcRole = this.podRole(name, "lb-controller", SYSTEM_NAMESPACE, LBC_SERVICE_ACCOUNT, loadBalancerControllerPolicy(args.region));
        this.loadBalancerController = new k8s.helm.v3.Release(
            `${name}-aws-load-balancer-controller`,
            {
                name: "aws-load-balancer-controller",
                ...this.chart("awsLoadBalancerController"),
                namespace: SYSTEM_NAMESPACE,
                atomic: true,
                values: {
                    clusterName: args.clusterName,
                    region: args.region,
                    vpcId: args.vpcId,
                    ...loadBalancerControllerAvailability(),
                    ...this.image(CONTROLLER_IMAGES.awsLoadBalancerController),
                    serviceAccount: { create: true, name: LBC_SERVICE_ACCOUNT },
                    // The program owns the load balancer, its WAF and Shield settings: the controller only binds pods.
                    enableShield: false,
                    enableWaf: false,
                    enableWafv2: false,
                    enableServiceMutatorWebhook: false,
                },
            },
            { parent: this, provider: args.k8sProvider, dependsOn: [lbcRole] },
        );

        const esoRole = this.podRole(name, "external-secrets", ESO_NAMESPACE, ESO_SERVICE_ACCOUNT, externalSecretsPolicy(args.region, args.secretsPrefix, args.secretsKey));
        this.externalSecrets = new k8s.helm.v3.Release(
            `${name}-external-secrets`,
            {
                name: "external-secrets",
                ...this.chart("externalSecrets"),
                namespace: ESO_NAMESPACE,
                createNamespace: true,
                atomic: true,
                values: { ...externalSecretsValues(ESO_SERVICE_ACCOUNT), ...this.mirroredImage(MIRRORED_IMAGES.externalSecrets, ["", "webhook", "certController"]) },
            },
            { parent: this, provider: args.k8sProvider, dependsOn: [esoRole] },
        );

        this.metricsServer = new k8s.helm.v3.Release(
            `${name}-metrics-server`,
            {
                name: METRICS_SERVER_RELEASE,
                ...this.chart("metricsServer"),
                namespace: SYSTEM_NAMESPACE,
                atomic: true,
                values: { ...metricsServerValues(METRICS_SERVER_RELEASE), ...this.image(CONTROLLER_IMAGES.metricsServer) },
            },
            { parent: this, provider: args.k8sProvider },
        );

        this.reloader = new k8s.helm.v3.Release(
            `${name}-reloader`,
            {
                name: "reloader",
                ...this.chart("reloader"),
                namespace: RELOADER_NAMESPACE,
                createNamespace: true,
                atomic: true,
                values: { ...reloaderValues(), ...this.mirroredImage(MIRRORED_IMAGES.reloader, [""]) },
            },
            { parent: this, provider: args.k8sProvider },
        );
        this.registerOutputs({});
    }

    /** A release's chart and version: from its upstream repository, or from the DR mirror. */
    private chart(controller: keyof ControllerVersions): { chart: pulumi.Input<string>; version: string; repositoryOpts?: { repo: string } } {
        const source = CONTROLLER_CHARTS[controller];
        const version = this.args.versions[controller];
        const mirror = this.args.mirror;
        if (mirror === undefined) return { chart: source.chart, version, repositoryOpts: { repo: source.repo } };
        return { chart: pulumi.output(mirror.registryHost).apply((h) => mirroredChart(h, mirror.prefix, source.chart)), version };
    }

    /**
     * The `image.repository` values (at each of `paths`, "" the top level) pointing a chart's
     * upstream image at its copy in the DR mirror, or nothing without a mirror. The tag stays the chart's.
     */
    private mirroredImage(upstream: string, paths: string[]): Record<string, unknown> {
        const mirror = this.args.mirror;
        if (mirror === undefined) return {};
        const repository = pulumi.interpolate`${mirror.registryHost}/${imageRepository(mirror.prefix, upstream)}`;
        return Object.fromEntries(paths.map((p) => (p === "" ? ["image", { repository }] : [p, { image: { repository } }])));
    }

    /** The `image` value of a chart whose upstream image the cache serves, or nothing without a cache. */
    private image(upstream: string): Record<string, unknown> {
        const host = this.args.imageCacheHost;
        if (host === undefined) return {};
        return { image: { repository: pulumi.output(host).apply((h) => cachedImage(h, upstream)) } };
    }

    /** A role with one inline policy, associated with a service account through Pod Identity. */
    private podRole(name: string, purpose: string, namespace: string, serviceAccount: string, statements: RoleStatement[]): aws.eks.PodIdentityAssociation {
        const opts = { parent: this, provider: this.args.awsProvider };
        const spec = { purpose, trustPolicy: POD_IDENTITY_TRUST, managedPolicyArns: [], inlinePolicies: { [purpose]: statements } };
        const role = (this.args.roles ?? new Roles()).role(spec, { role: `${name}-${purpose}`, policy: () => `${name}-${purpose}` }, opts);
        return new aws.eks.PodIdentityAssociation(`${name}-${purpose}`, { clusterName: this.args.clusterName, namespace, serviceAccount, roleArn: role.arn }, opts);
    }
}

/**
 * What the load balancer controller needs to reconcile `TargetGroupBinding`s: read the load
 * balancers, target groups and the network, and register pod IPs in this account's target groups.
 * It creates no load balancer, security group or rule: the program owns those.
 */
export function loadBalancerControllerPolicy(region: string): RoleStatement[] {
    return [
        {
            Sid: "Describe",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeTags",
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcs",
            ],
            // These Describe calls support no resource-level permissions.
            Resource: "*",
        },
        {
            Sid: "RegisterPods",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: arnOf("elasticloadbalancing", region, "targetgroup/*/*"),
        },
    ];
}

/**
 * Read-only access to the stack's own secrets (`<prefix>*`) in Secrets Manager, and decrypt with
 * their customer-managed key through Secrets Manager only: without the key, GetSecretValue on a
 * secret under a customer-managed key is denied (the AWS managed key needs no grant; this one does).
 */
export function externalSecretsPolicy(region: string, prefix: string, secretsKey: KeyRef): RoleStatement[] {
    return secretsReaderPolicy(region, prefix, secretsKey);
}
