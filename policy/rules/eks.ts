/**
 * EKS clusters (`aws:eks/cluster:Cluster`) and the launch templates of their nodes.
 */
import { eksSupportNotice } from "../../modules/cluster/versions";
import { EVERYWHERE, NOTICE, PolicyRule } from "../rule";
import { asArray, at, isFalse, isTrue, num, shown, str } from "../values";

const CLUSTER = "aws:eks/cluster:Cluster";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** The control plane logs AwsSolutions-EKS2 requires. */
export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * The highest IMDS hop limit accepted: 2 lets the node's own containers (the CloudWatch agent,
 * the VPC CNI) reach instance metadata, as EKS's managed node groups set it.
 */
export const MAX_METADATA_HOP_LIMIT = 2;

export const eksRules: PolicyRule[] = [
    {
        name: "eks-version-standard-support",
        service: "EKS",
        description: "The cluster's Kubernetes version has more than 60 days of EKS standard support left (modules/cluster/versions.ts).",
        rationale:
            "Past the end of standard support EKS either charges the extended-support rate or, with upgradePolicy STANDARD, upgrades the control plane on its own, ahead of the add-ons, the node AMI and the charts pinned for the old version. An upgrade is planned work: it is flagged 60 days ahead.",
        controls: [
            { framework: "Runbook", id: "4.3 security patching" },
            { framework: "Project", id: "modules/cluster/versions.ts: the EKS release calendar" },
        ],
        enforcement: NOTICE,
        types: [CLUSTER],
        check: (c, stack) => {
            const version = str(c.inputs["version"]);
            if (version === undefined) return ["version is unset: EKS picks its default, which no pin or support date follows; set cluster.version"];
            const notice = eksSupportNotice(version, stack.today);
            return notice ? [notice] : [];
        },
    },
    {
        name: "eks-endpoint-private",
        service: "EKS",
        description: "The Kubernetes API endpoint is private (endpointPublicAccess false).",
        rationale: "A public endpoint exposes the API server, and any credential leak, to the internet; EKS's default is public.",
        controls: [
            { framework: "Security Hub", id: "EKS.1" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-EKS1" },
            { framework: "AWS Config", id: "eks-endpoint-no-public-access" },
        ],
        enforcement: EVERYWHERE,
        types: [CLUSTER],
        check: (c) => (isFalse(at(c.inputs, "vpcConfig", "endpointPublicAccess")) ? [] : [`vpcConfig.endpointPublicAccess is ${shown(at(c.inputs, "vpcConfig", "endpointPublicAccess"))} (EKS's default is public): set it to false`]),
    },
    {
        name: "eks-secrets-encrypted",
        service: "EKS",
        description: "Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key.",
        rationale: "Without it, Secrets sit in etcd encrypted only at the disk level; anyone with etcd or backup access reads them. It cannot be turned off once on.",
        controls: [{ framework: "AWS Config", id: "eks-secrets-encrypted" }],
        enforcement: EVERYWHERE,
        types: [CLUSTER],
        check: (c) => {
            const config = asArray(c.inputs["encryptionConfig"]);
            const secrets = config.some((e) => asArray(at(e, "resources")).includes("secrets") && str(at(e, "provider", "keyArn")));
            return secrets ? [] : ['encryptionConfig does not encrypt "secrets" with a provider.keyArn'];
        },
    },
    {
        name: "eks-control-plane-logs",
        service: "EKS",
        description: "The control plane publishes all five log types (api, audit, authenticator, controllerManager, scheduler).",
        rationale: "The audit log is the record of who did what to the cluster; the others explain scheduling and authentication failures. None is on by default.",
        controls: [{ framework: "cdk-nag AwsSolutions", id: "AwsSolutions-EKS2" }],
        enforcement: EVERYWHERE,
        types: [CLUSTER],
        check: (c) => {
            const enabled = asArray(c.inputs["enabledClusterLogTypes"]);
            const missing = CONTROL_PLANE_LOGS.filter((l) => !enabled.includes(l));
            return missing.length > 0 ? [`enabledClusterLogTypes lacks ${missing.join(", ")}`] : [];
        },
    },
    {
        name: "eks-access-entries",
        service: "EKS",
        description: "Cluster access is granted by access entries only (authenticationMode API), and the creator gets no hidden admin.",
        rationale:
            "The aws-auth ConfigMap is edited outside any review and can lock everyone out; bootstrapClusterCreatorAdminPermissions makes whoever ran `pulumi up` a permanent, invisible cluster admin.",
        controls: [{ framework: "Project", id: "README: the cluster access roles a cloud stack expects (modules/cluster)" }],
        enforcement: EVERYWHERE,
        types: [CLUSTER],
        check: (c) => {
            const out: string[] = [];
            const mode = at(c.inputs, "accessConfig", "authenticationMode");
            if (mode !== "API") out.push(`accessConfig.authenticationMode is ${shown(mode)}: set "API"`);
            if (!isFalse(at(c.inputs, "accessConfig", "bootstrapClusterCreatorAdminPermissions")))
                out.push(`accessConfig.bootstrapClusterCreatorAdminPermissions is ${shown(at(c.inputs, "accessConfig", "bootstrapClusterCreatorAdminPermissions"))} (EKS's default is true): set it to false`);
            return out;
        },
    },
    {
        name: "eks-nodes-imdsv2",
        service: "EKS",
        description: `Node launch templates require IMDSv2 tokens, with a hop limit of at most ${MAX_METADATA_HOP_LIMIT}.`,
        rationale: "IMDSv1 answers any request that reaches 169.254.169.254, so an SSRF in a pod hands out the node role's credentials.",
        controls: [
            { framework: "Security Hub FSBP", id: "EC2.8" },
            { framework: "Security Hub FSBP", id: "AutoScaling.3" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-EC2IMDSv2Enabled" },
        ],
        enforcement: EVERYWHERE,
        types: [LAUNCH_TEMPLATE],
        check: (t) => {
            const out: string[] = [];
            if (at(t.inputs, "metadataOptions", "httpTokens") !== "required") out.push(`metadataOptions.httpTokens is ${shown(at(t.inputs, "metadataOptions", "httpTokens"))}: set "required"`);
            const hops = num(at(t.inputs, "metadataOptions", "httpPutResponseHopLimit"));
            if (hops !== undefined && hops > MAX_METADATA_HOP_LIMIT) out.push(`metadataOptions.httpPutResponseHopLimit is ${hops}: at most ${MAX_METADATA_HOP_LIMIT}`);
            return out;
        },
    },
    {
        name: "eks-nodes-encrypted-volumes",
        service: "EKS",
        description: "Every EBS volume a node launch template defines is encrypted.",
        rationale: "Node volumes hold container images, emptyDir data and logs; an unencrypted volume or snapshot is readable wherever it is copied.",
        controls: [
            { framework: "Security Hub FSBP", id: "EC2.3" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-EC26" },
        ],
        enforcement: EVERYWHERE,
        types: [LAUNCH_TEMPLATE],
        check: (t) => {
            const mappings = asArray(t.inputs["blockDeviceMappings"]).filter((m) => at(m, "ebs") !== undefined);
            if (mappings.length === 0) return ["no blockDeviceMappings with ebs: the AMI's default volume is encrypted only if the account's EBS default says so; state encrypted: \"true\""];
            return mappings.filter((m) => !isTrue(at(m, "ebs", "encrypted"))).map((m) => `${shown(at(m, "deviceName"))}: ebs.encrypted is ${shown(at(m, "ebs", "encrypted"))}: set "true"`);
        },
    },
    {
        name: "eks-nodes-no-public-ip",
        service: "EKS",
        description: "Node launch templates assign no public IP addresses.",
        rationale: "Nodes live in private subnets behind NAT; a public address makes every node port reachable from the internet, security groups permitting.",
        controls: [{ framework: "Security Hub FSBP", id: "EC2.25" }],
        enforcement: EVERYWHERE,
        types: [LAUNCH_TEMPLATE],
        check: (t) =>
            asArray(t.inputs["networkInterfaces"])
                .filter((n) => isTrue(at(n, "associatePublicIpAddress")))
                .map(() => 'networkInterfaces sets associatePublicIpAddress "true": remove it'),
    },
];
