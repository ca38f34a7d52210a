import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
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
        const id = prefix ? `${prefix}-${digest(17, args.type, args.name)}` : pname;
        const global = module === "iam" || module === "s3" || module === "route53" || module === "cloudfront";
        const arn = `arn:aws:${module}:${global ? "" : region}:${module === "s3" ? "" : MOCK_ACCOUNT_ID}:${
            module === "s3" ? pname : `${kebab(kind)}/${id}`
        }`;
        const state: State = { ...args.inputs, id, arn };
        if (!prefix && args.inputs["name"] === undefined && !global) state["name"] = pname;
        // The observability layer's topics, alarms and health checks (tools/plan/observabilityMocks.ts).
        const extra = observabilityResourceOutputs(args, { region, pname, account: MOCK_ACCOUNT_ID });
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
