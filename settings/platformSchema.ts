import { z } from "zod";
import { ENVIRONMENT_BLOCKS, MAX_VPC_PREFIX, MIN_VPC_PREFIX, SUPPORTED_AZ_COUNTS, conflictingBlocks, parseCidr } from "../modules/network/cidr";

/**
 * The settings sections of the AWS platform layer (network, cluster, controllers, registry,
 * edge) and their cross-field rules. Declared here and composed into the one schema in
 * `schema.ts`; defaults live in `profiles.ts`.
 */

const ipv4Cidr = z.string().refine((c) => parseCidr(c) !== undefined, "an IPv4 CIDR block with its host bits zero, such as 203.0.113.0/24");

/**
 * An IAM role by name (`platform-admin`, resolved in the deploying account) or by full ARN (a role
 * in another account or partition). A name keeps account ids out of the stack files.
 */
const role = z
    .string()
    .regex(
        /^([\w+=,.@-]{1,64}|arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/,
        "an IAM role name such as platform-admin (a role in the deploying account) or a full role ARN such as arn:aws:iam::<account>:role/platform-admin",
    );

/** EKS add-on versions as EKS names them: `v1.20.0-eksbuild.1`. */
const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "a pinned add-on version such as v1.20.0-eksbuild.1 (aws eks describe-addon-versions)");

/** Helm chart versions: exact semver, no ranges. */
const chartVersion = z.string().regex(/^\d+\.\d+\.\d+$/, "an exact chart version such as 1.13.3 (no ranges: a range moves under you)");

export const networkSchema = z
    .strictObject({
        cidr: z
            .string()
            .refine((c) => {
                const p = parseCidr(c);
                return p !== undefined && p.prefix >= MIN_VPC_PREFIX && p.prefix <= MAX_VPC_PREFIX;
            }, `an IPv4 block from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} from the CIDR plan (docs/network.md): ${ENVIRONMENT_BLOCKS.map((b) => `${b.name} ${b.cidr}`).join(", ")}`)
            .meta({ description: "The VPC's block (docs/network.md). Changing it replaces the VPC and everything in it." }),
        azCount: z
            .number()
            .int()
            .meta({ description: "Availability zones the VPC spans: 3, or 2 outside production." }),
        natGateways: z.enum(["perZone", "single"]).meta({
            description: "`perZone`: one NAT gateway per zone (egress survives a zone outage). `single`: one shared (cheaper; staging).",
        }),
    })
    .meta({ description: "The VPC (AWS platform stacks)." });

export const clusterSchema = z
    .strictObject({
        version: z.string().regex(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.35").meta({
            description: "EKS Kubernetes version, pinned. Upgrade one minor version at a time, with the add-on versions and the AMI release.",
        }),
        publicAccessCidrs: z.array(ipv4Cidr).meta({
            description: "CIDRs that may reach the public API endpoint. Empty: private endpoint only. 0.0.0.0/0 is refused in production.",
        }),
        adminRole: role.meta({
            description:
                "IAM role people assume to administer the cluster, granted cluster admin through an access entry: a role name (a role of that name must exist in the deploying account) or a full role ARN.",
        }),
        ciRole: role.optional().meta({
            description:
                "IAM role CI deploys with, granted cluster admin through an access entry: a role name (a role of that name must exist in the deploying account) or a full role ARN. Unset: the bootstrap stack's deploy role of the environment, `<appName>-ci-<environment>` (staging and production; none for another environment). The bootstrap's other CI roles are admitted beside it (docs/bootstrap.md).",
        }),
        nodeGroup: z.strictObject({
            instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as m6i.large")).min(1).meta({ description: "EC2 instance types of the managed node group." }),
            minSize: z.number().int().min(1).max(100).meta({ description: "Fewest nodes." }),
            maxSize: z.number().int().min(1).max(100).meta({ description: "Most nodes." }),
            desiredSize: z.number().int().min(1).max(100).meta({ description: "Nodes to run, from minSize to maxSize (no node autoscaler is installed: this is the count)." }),
            amiType: z.enum(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"]).meta({ description: "EKS-optimised AMI family." }),
            amiReleaseVersion: z.string().regex(/^\d+\.\d+\.\d+-\d{8}$/, "an EKS AMI release such as 1.35.6-20260714").meta({
                description: "Pinned AMI release: a security patch (runbook 4.3) is this one-line change, reviewed, then `pulumi up` (nodes roll `maxUnavailable` at a time).",
            }),
            diskSizeGiB: z.number().int().min(20).max(1000).meta({ description: "Root volume (gp3, encrypted) in GiB." }),
            maxUnavailable: z.number().int().min(1).max(100).meta({ description: "Nodes replaced at once during an update." }),
        }),
        addons: z.strictObject({
            vpcCni: addonVersion.meta({ description: "vpc-cni add-on version." }),
            coredns: addonVersion.meta({ description: "coredns add-on version." }),
            kubeProxy: addonVersion.meta({ description: "kube-proxy add-on version." }),
            podIdentityAgent: addonVersion.meta({ description: "eks-pod-identity-agent add-on version." }),
            ebsCsiDriver: addonVersion.meta({ description: "aws-ebs-csi-driver add-on version." }),
            cloudwatchObservability: addonVersion.meta({ description: "amazon-cloudwatch-observability add-on version." }),
        }),
    })
    .meta({ description: "The EKS cluster (AWS platform stacks)." });

export const controllersSchema = z
    .strictObject({
        awsLoadBalancerController: chartVersion.meta({ description: "aws-load-balancer-controller chart version (eks-charts)." }),
        externalSecrets: chartVersion.meta({ description: "external-secrets chart version." }),
        metricsServer: chartVersion.meta({ description: "metrics-server chart version." }),
        reloader: chartVersion.meta({ description: "Stakater reloader chart version (stakater-charts): rolls the app's pods when External Secrets writes a rotated value into their Secret." }),
    })
    .meta({ description: "Helm chart versions of the cluster's controllers, pinned." });

export const registrySchema = z
    .strictObject({
        keepImages: z.number().int().min(1).max(1000).meta({ description: "Images the ECR lifecycle policy keeps; a rollback can go back this far." }),
    })
    .meta({ description: "The app's ECR repository." });

export const edgeSchema = z
    .strictObject({
        zone: z.strictObject({
            name: z
                .string()
                .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, "a DNS zone such as example.com")
                .meta({ description: "The hosted zone's domain; `hostname` must be in it." }),
            existingZoneId: z
                .string()
                .regex(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
                .optional()
                .meta({ description: "Use this existing hosted zone instead of creating one." }),
        }),
        wafRateLimit: z.number().int().min(10).max(2_000_000_000).meta({ description: "Requests per 5 minutes from one IP before the WAF blocks it." }),
        deletionProtection: z.boolean().meta({ description: "ALB deletion protection (on in production)." }),
    })
    .meta({ description: "DNS, certificate, load balancer and WAF." });

interface Ctx {
    addIssue(issue: { code: "custom"; path: (string | number)[]; input: unknown; message: string }): void;
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Cross-field rules of the platform sections. They run even when other fields are invalid, so
 * each rule checks the types of what it reads.
 */
export function platformRules(s: Record<string, unknown>, ctx: Ctx): void {
    if (s["platform"] !== "aws") return;
    const environment = s["environment"];
    const network = obj(s["network"]);
    const cluster = obj(s["cluster"]);
    const edge = obj(s["edge"]);

    if (network && typeof network["azCount"] === "number") {
        const n = network["azCount"];
        if (!(SUPPORTED_AZ_COUNTS as readonly number[]).includes(n)) {
            ctx.addIssue({ code: "custom", path: ["network", "azCount"], input: n, message: `${SUPPORTED_AZ_COUNTS.join(" or ")} availability zones (the subnet plan supports no other count)` });
        } else if (environment === "production" && n !== 3) {
            ctx.addIssue({ code: "custom", path: ["network", "azCount"], input: n, message: "3 in production (2 zones are allowed for staging only)" });
        }
    }
    if (network && typeof network["cidr"] === "string" && typeof environment === "string") {
        const conflicts = conflictingBlocks(environment, network["cidr"]);
        if (conflicts.length > 0) {
            ctx.addIssue({
                code: "custom",
                path: ["network", "cidr"],
                input: network["cidr"],
                message: `a block that overlaps no other environment's (it overlaps ${conflicts.map((b) => `${b.name} ${b.cidr}`).join(", ")}); ${environment} owns ${
                    ENVIRONMENT_BLOCKS.filter((b) => b.environment === environment)
                        .map((b) => b.cidr)
                        .join(" and ") || "no reserved block"
                } (docs/network.md)`,
            });
        }
    }
    const cidrs = cluster?.["publicAccessCidrs"];
    if (environment === "production" && Array.isArray(cidrs)) {
        cidrs.forEach((c, i) => {
            if (typeof c === "string" && parseCidr(c)?.prefix === 0) {
                ctx.addIssue({
                    code: "custom",
                    path: ["cluster", "publicAccessCidrs", i],
                    input: c,
                    message: "specific CIDRs (the office, CI egress) in production: an API endpoint open to the whole internet is refused; an empty list keeps it private",
                });
            }
        });
    }
    const ng = obj(cluster?.["nodeGroup"]);
    if (ng && typeof ng["minSize"] === "number" && typeof ng["maxSize"] === "number" && typeof ng["desiredSize"] === "number") {
        if (ng["minSize"] > ng["maxSize"]) {
            ctx.addIssue({ code: "custom", path: ["cluster", "nodeGroup", "minSize"], input: ng["minSize"], message: `a minimum no greater than cluster.nodeGroup.maxSize (${ng["maxSize"]})` });
        } else if (ng["desiredSize"] < ng["minSize"] || ng["desiredSize"] > ng["maxSize"]) {
            ctx.addIssue({ code: "custom", path: ["cluster", "nodeGroup", "desiredSize"], input: ng["desiredSize"], message: `a size from cluster.nodeGroup.minSize (${ng["minSize"]}) to maxSize (${ng["maxSize"]})` });
        }
    }
    if (ng && typeof ng["amiReleaseVersion"] === "string" && typeof cluster?.["version"] === "string" && !ng["amiReleaseVersion"].startsWith(`${cluster["version"]}.`)) {
        ctx.addIssue({
            code: "custom",
            path: ["cluster", "nodeGroup", "amiReleaseVersion"],
            input: ng["amiReleaseVersion"],
            message: `an AMI release for Kubernetes ${cluster["version"]} (cluster.version), such as ${cluster["version"]}.0-20250704`,
        });
    }
    // Two keys name the Kubernetes version (the workload validates its manifests against
    // `kubernetes.version`); on a cluster the program builds they must agree.
    const k8sVersion = obj(s["kubernetes"])?.["version"];
    if (typeof k8sVersion === "string" && typeof cluster?.["version"] === "string" && k8sVersion !== cluster["version"]) {
        ctx.addIssue({
            code: "custom",
            path: ["cluster", "version"],
            input: cluster["version"],
            message: `the same version as kubernetes.version (${k8sVersion}): the workload's manifests are validated against it; change both together`,
        });
    }
    const zone = obj(edge?.["zone"]);
    const host = s["hostname"];
    // These rules run for stacks with a platform of their own: `localhost` (the development profile's,
    // for a local cluster) is no name ACM certifies or Route 53 resolves (RFC 6761 reserves it).
    if (host === "localhost") {
        ctx.addIssue({
            code: "custom",
            path: ["hostname"],
            input: host,
            message: `a public DNS name in the zone edge.zone.name (such as app.${typeof zone?.["name"] === "string" && isDnsLength(zone["name"]) ? zone["name"] : "example.com"}): the load balancer's certificate and DNS record are for it, and localhost is a local cluster's`,
        });
    } else if (zone && typeof zone["name"] === "string" && typeof host === "string" && isDnsLength(host) && host !== zone["name"] && !host.endsWith(`.${zone["name"]}`)) {
        // A host name longer than DNS allows is a problem of its own key, and is not echoed here.
        ctx.addIssue({ code: "custom", path: ["edge", "zone", "name"], input: zone["name"], message: `a zone that contains the hostname ${host}` });
    }
}

/** Whether a name fits DNS (253 characters at most): a longer one is refused on its own key and never quoted in another's message. */
function isDnsLength(name: string): boolean {
    return name.length <= 253;
}
