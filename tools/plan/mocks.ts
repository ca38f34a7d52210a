import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { dataResourceId, dataResourceOutputs } from "./dataMocks";
import { observabilityResourceOutputs } from "./observabilityMocks";

/**
 * Pulumi mocks that answer like the real providers: ids, ARNs, names and endpoints in the
 * shapes AWS and Kubernetes give them, so that inputs built from outputs (an ARN in an IAM
 * policy, a host in a URL) read like the real thing in the plan. Deterministic: the same program
 * gets the same ids on every run, so plans diff cleanly.
 *
 * An invoke without an answer here throws: a test or a plan must never run on a silent
 * `undefined`.
 */

/** The account every mocked ARN lives in. */
export const MOCK_ACCOUNT_ID = "123456789012";

type State = Record<string, unknown>;

/** A short stable hex digest of the given parts. */
export function digest(length: number, ...parts: string[]): string {
    return crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, length);
}

/** `aws:rds/instance:Instance` → `{ pkg: "aws", module: "rds", kind: "Instance" }`. */
function parseType(type: string): { pkg: string; module: string; kind: string } {
    const [pkg = "", mod = "", kind = ""] = type.split(":");
    return { pkg, module: mod.split("/")[0] ?? "", kind };
}

function kebab(s: string): string {
    return s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** EC2-family resources whose ids carry a prefix. */
const EC2_ID_PREFIXES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

/** Resource types whose physical name is their id (S3 buckets, IAM roles, log groups...). */
function physicalName(name: string, inputs: State): string {
    for (const k of ["name", "bucket", "identifier", "replicationGroupId", "clusterName", "functionName", "roleName"]) {
        const v = inputs[k];
        if (typeof v === "string" && v !== "") return v;
    }
    for (const k of ["namePrefix", "bucketPrefix", "identifierPrefix"]) {
        const v = inputs[k];
        if (typeof v === "string") return `${v}${digest(8, name)}`;
    }
    return `${name}-${digest(7, name)}`;
}

/** A provider reference `urn::id` names its provider resource last-but-one. */
function providerName(ref: string | undefined): string | undefined {
    if (!ref) return undefined;
    const parts = ref.split("::");
    return parts[parts.length - 2];
}

/** Realistic mocks for the program's providers. Create one per plan: it remembers providers' regions. */
export class RealisticMocks implements pulumi.runtime.Mocks {
    private readonly providerRegions = new Map<string, string>();
    /** Invokes asked for that have no answer here (the SDK loses the error's text on the way back). */
    readonly unanswered: string[] = [];

    constructor(private readonly defaultRegion: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const { pkg } = parseType(args.type);
        if (args.type.startsWith("pulumi:providers:")) {
            if (typeof args.inputs["region"] === "string") this.providerRegions.set(args.name, args.inputs["region"]);
            return { id: `${digest(8, args.type, args.name)}-provider`, state: args.inputs };
        }
        if (!args.custom) return { id: undefined, state: {} };
        if (args.type === "pulumi:pulumi:StackReference") return stackReference(args);
        if (pkg === "aws") return this.awsResource(args);
        if (pkg === "kubernetes") return kubernetesResource(args);
        if (pkg === "random") return randomResource(args);
        return { id: `${args.name}-${digest(8, args.type, args.name)}`, state: args.inputs };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const region = this.regionOf(args.provider);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: MOCK_ACCOUNT_ID,
                    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/plan`,
                    userId: "AROAPLAN",
                    id: MOCK_ACCOUNT_ID,
                };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const letters = ["a", "b", "c", "d"];
                return {
                    names: letters.map((l) => `${region}${l}`),
                    zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                    id: region,
                };
            }
            default:
                this.unanswered.push(args.token);
                throw new Error(unansweredMessage([args.token]));
        }
    }

    private regionOf(providerRef: string | undefined): string {
        const name = providerName(providerRef);
        return (name && this.providerRegions.get(name)) || this.defaultRegion;
    }

    private awsResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
        const region = this.regionOf(args.provider);
        const { module, kind } = parseType(args.type);
        const pname = physicalName(args.name, args.inputs);
        const prefix = EC2_ID_PREFIXES[args.type];
        const id = dataResourceId(args, region, MOCK_ACCOUNT_ID) ?? (prefix ? `${prefix}-${digest(17, args.type, args.name)}` : pname);
        const global = module === "iam" || module === "s3" || module === "route53" || module === "cloudfront";
        const arn = `arn:aws:${module}:${global ? "" : region}:${module === "s3" ? "" : MOCK_ACCOUNT_ID}:${
            module === "s3" ? pname : `${kebab(kind)}/${id}`
        }`;
        const state: State = { ...args.inputs, id, arn };
        if (!prefix && args.inputs["name"] === undefined && !global) state["name"] = pname;
        // The data layer's endpoints and ARNs (tools/plan/dataMocks.ts).
        Object.assign(state, dataResourceOutputs(args, { id, region, pname, account: MOCK_ACCOUNT_ID }));
        // Outputs in the shapes the platform layer reads (ARNs with their real formats, endpoints...).
        const extra = awsPlatformOutputs(args, { id, region, pname });
        // The observability layer's topics, alarms and health checks (tools/plan/observabilityMocks.ts).
        Object.assign(extra, observabilityResourceOutputs(args, { region, pname, account: MOCK_ACCOUNT_ID }));
        return { id: typeof extra["id"] === "string" ? extra["id"] : id, state: { ...state, ...extra } };
    }
}

/**
 * Another stack's outputs, as a StackReference reads them: a cluster stack's `kubeconfig` (what a
 * pr-<N> stack deploys with), secret as the real one is.
 */
function stackReference(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const stack = String(args.inputs["name"] ?? args.name);
    const server = `https://${digest(32, stack).toUpperCase()}.gr7.us-east-1.eks.amazonaws.com`;
    const kubeconfig = [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{ name: plan, cluster: { server: "${server}" } }]`,
        "contexts: [{ name: plan, context: { cluster: plan, user: plan } }]",
        "current-context: plan",
        "users: [{ name: plan, user: { token: plan-stand-in } }]",
    ].join("\n");
    return { id: stack, state: { name: stack, outputs: { kubeconfig }, secretOutputNames: ["kubeconfig"] } };
}

function kubernetesResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const metadata = { ...((args.inputs["metadata"] as State | undefined) ?? {}) };
    if (metadata["name"] === undefined) metadata["name"] = `${args.name}-${digest(8, args.type, args.name)}`;
    const namespaced = !/:(Namespace|ClusterRole|ClusterRoleBinding|CustomResourceDefinition|PersistentVolume|StorageClass|PriorityClass)$/.test(
        args.type,
    );
    if (namespaced && metadata["namespace"] === undefined) metadata["namespace"] = "default";
    metadata["uid"] = `${digest(8, args.name)}-${digest(4, "a", args.name)}-${digest(4, "b", args.name)}-${digest(4, "c", args.name)}-${digest(12, "d", args.name)}`;
    const id = namespaced ? `${String(metadata["namespace"])}/${String(metadata["name"])}` : String(metadata["name"]);
    return { id, state: { ...args.inputs, metadata } };
}

function randomResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const seed = digest(64, args.type, args.name);
    const length = typeof args.inputs["length"] === "number" ? args.inputs["length"] : 16;
    switch (args.type) {
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString": {
            const result = Buffer.from(seed).toString("base64url").slice(0, length);
            return { id: "none", state: { ...args.inputs, result, bcryptHash: `$2a$10$${seed.slice(0, 53)}` } };
        }
        case "random:index/randomBytes:RandomBytes": {
            const n = typeof args.inputs["length"] === "number" ? args.inputs["length"] : 32;
            const bytes = crypto.createHash("sha512").update(seed).digest().subarray(0, n);
            return { id: "none", state: { ...args.inputs, base64: bytes.toString("base64"), hex: bytes.toString("hex") } };
        }
        case "random:index/randomId:RandomId": {
            const n = typeof args.inputs["byteLength"] === "number" ? args.inputs["byteLength"] : 8;
            const hex = seed.slice(0, n * 2);
            return { id: hex, state: { ...args.inputs, hex, b64Std: Buffer.from(hex, "hex").toString("base64"), dec: BigInt(`0x${hex}`).toString() } };
        }
        default:
            return { id: seed.slice(0, 16), state: args.inputs };
    }
}

/** The error for invokes the mocks cannot answer. */
export function unansweredMessage(tokens: readonly string[]): string {
    return (
        `The plan's mocks have no answer for the invoke ${[...new Set(tokens)].join(", ")}. Add one to tools/plan/mocks.ts ` +
        `so that plans and tests never run on an undefined result.`
    );
}

/** A deterministic UUID from a resource's identity. */
function mockUuid(...parts: string[]): string {
    const h = digest(32, ...parts);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Route 53 hosted zone ids of ALBs, per region (the alias target's zone). */
const ALB_ZONE_IDS: Record<string, string> = {
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-1": "Z368ELLRRE2KJ0",
    "us-west-2": "Z1H1FL5HABSF5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-central-1": "Z215JYRZR1TBD5",
};

/**
 * Outputs of the AWS platform layer's resources, in the shapes AWS gives them: what the mocks'
 * generic id and ARN don't say. Keys returned replace the generic state (and `id`, the id).
 */
function awsPlatformOutputs(args: pulumi.runtime.MockResourceArgs, ctx: { id: string; region: string; pname: string }): State {
    const { region, pname } = ctx;
    const acct = MOCK_ACCOUNT_ID;
    const inputs = args.inputs;
    const hex = (n: number, ...salt: string[]): string => digest(n, args.type, args.name, ...salt);
    switch (args.type) {
        case "aws:iam/role:Role":
            return { name: pname, arn: `arn:aws:iam::${acct}:role/${pname}`, uniqueId: `AROA${hex(17).toUpperCase()}` };
        case "aws:iam/policy:Policy":
            return { name: pname, arn: `arn:aws:iam::${acct}:policy/${pname}` };
        case "aws:s3/bucket:Bucket":
            return { bucket: pname, arn: `arn:aws:s3:::${pname}`, bucketDomainName: `${pname}.s3.amazonaws.com`, bucketRegionalDomainName: `${pname}.s3.${region}.amazonaws.com`, region };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { name: pname, arn: `arn:aws:logs:${region}:${acct}:log-group:${pname}` };
        case "aws:kms/key:Key": {
            const keyId = mockUuid(args.type, args.name);
            return { id: keyId, keyId, arn: `arn:aws:kms:${region}:${acct}:key/${keyId}` };
        }
        case "aws:kms/alias:Alias":
            return { arn: `arn:aws:kms:${region}:${acct}:${pname}`, targetKeyArn: `arn:aws:kms:${region}:${acct}:key/${String(inputs["targetKeyId"])}` };
        case "aws:eks/cluster:Cluster": {
            const vpcConfig = (inputs["vpcConfig"] as State | undefined) ?? {};
            const endpointId = hex(32).toUpperCase();
            return {
                id: pname,
                name: pname,
                arn: `arn:aws:eks:${region}:${acct}:cluster/${pname}`,
                endpoint: `https://${endpointId}.gr7.${region}.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\nMOCK${hex(48)}\n-----END CERTIFICATE-----\n`).toString("base64") },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${endpointId}` }] }],
                vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${hex(17, "cluster-sg")}`, vpcId: `vpc-${hex(17, "vpc")}` },
                status: "ACTIVE",
                platformVersion: "eks.1",
            };
        }
        case "aws:eks/nodeGroup:NodeGroup":
            return { id: `${String(inputs["clusterName"])}:${pname}`, nodeGroupName: pname, arn: `arn:aws:eks:${region}:${acct}:nodegroup/${String(inputs["clusterName"])}/${pname}/${mockUuid(args.name)}`, status: "ACTIVE" };
        case "aws:eks/addon:Addon":
            return { id: `${String(inputs["clusterName"])}:${String(inputs["addonName"])}`, arn: `arn:aws:eks:${region}:${acct}:addon/${String(inputs["clusterName"])}/${String(inputs["addonName"])}/${mockUuid(args.name)}` };
        case "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
            const associationId = `a-${hex(17)}`;
            return { associationId, associationArn: `arn:aws:eks:${region}:${acct}:podidentityassociation/${String(inputs["clusterName"])}/${associationId}` };
        }
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1, defaultVersion: 1, arn: `arn:aws:ec2:${region}:${acct}:launch-template/${ctx.id}` };
        case "aws:ec2/eip:Eip":
            return { allocationId: ctx.id, publicIp: `198.51.100.${parseInt(hex(2), 16) % 254 + 1}` };
        case "aws:lb/loadBalancer:LoadBalancer": {
            const lbName = pname.slice(0, 32).replace(/-+$/, "");
            const suffix = `app/${lbName}/${hex(16)}`;
            const arn = `arn:aws:elasticloadbalancing:${region}:${acct}:loadbalancer/${suffix}`;
            return { id: arn, arn, arnSuffix: suffix, name: lbName, dnsName: `${lbName}-${parseInt(hex(8), 16)}.${region}.elb.amazonaws.com`, zoneId: ALB_ZONE_IDS[region] ?? "Z35SXDOTRQ7X7K" };
        }
        case "aws:lb/targetGroup:TargetGroup": {
            const tgName = pname.slice(0, 32).replace(/-+$/, "");
            const suffix = `targetgroup/${tgName}/${hex(16)}`;
            const arn = `arn:aws:elasticloadbalancing:${region}:${acct}:${suffix}`;
            return { id: arn, arn, arnSuffix: suffix, name: tgName };
        }
        case "aws:lb/listener:Listener": {
            const arn = `arn:aws:elasticloadbalancing:${region}:${acct}:listener/app/${pname.slice(0, 32)}/${hex(16)}/${hex(16, "listener")}`;
            return { id: arn, arn };
        }
        case "aws:acm/certificate:Certificate": {
            const domainName = String(inputs["domainName"]);
            const arn = `arn:aws:acm:${region}:${acct}:certificate/${mockUuid(args.name)}`;
            return {
                id: arn,
                arn,
                status: "PENDING_VALIDATION",
                domainValidationOptions: [
                    {
                        domainName,
                        resourceRecordName: `_${hex(32, "name")}.${domainName}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${hex(32, "value")}.${hex(10, "zone")}.acm-validations.aws.`,
                    },
                ],
            };
        }
        case "aws:acm/certificateValidation:CertificateValidation":
            return { id: String(inputs["certificateArn"] ?? ctx.id) };
        case "aws:route53/zone:Zone": {
            const zoneId = `Z${hex(20).toUpperCase()}`;
            const n = parseInt(hex(4), 16);
            return {
                id: zoneId,
                zoneId,
                arn: `arn:aws:route53:::hostedzone/${zoneId}`,
                nameServers: [`ns-${n % 512}.awsdns-${n % 64}.com`, `ns-${(n >> 2) % 512 + 512}.awsdns-${(n >> 3) % 64}.net`, `ns-${(n >> 4) % 512 + 1024}.awsdns-${(n >> 5) % 64}.org`, `ns-${(n >> 6) % 512 + 1536}.awsdns-${(n >> 7) % 64}.co.uk`],
            };
        }
        case "aws:route53/record:Record": {
            const fqdn = String(inputs["name"] ?? "").replace(/\.$/, "");
            return { id: `${String(inputs["zoneId"])}_${fqdn}_${String(inputs["type"])}`, fqdn };
        }
        case "aws:ecr/repository:Repository":
            return { id: pname, arn: `arn:aws:ecr:${region}:${acct}:repository/${pname}`, registryId: acct, repositoryUrl: `${acct}.dkr.ecr.${region}.amazonaws.com/${pname}` };
        case "aws:wafv2/webAcl:WebAcl": {
            const aclId = mockUuid(args.name);
            return { id: aclId, arn: `arn:aws:wafv2:${region}:${acct}:regional/webacl/${pname}/${aclId}`, capacity: 800 };
        }
        default:
            return {};
    }
}
