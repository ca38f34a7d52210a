import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrust } from "../aws/iam";
import { RoleSpec, Roles, arnOf } from "../aws/roles";
import { planSubnets } from "./cidr";

/** How many NAT gateways: one per zone (a zone outage leaves the others' egress up) or one shared. */
export type NatGateways = "perZone" | "single";

export interface NetworkArgs {
    /** VPC block, /16 to /20, from the CIDR plan (docs/network.md). Changing it replaces the VPC and everything in it. */
    cidr: string;
    /** Availability zones, 2 or 3. Adding one adds subnets; removing one destroys that zone's subnets. */
    azCount: number;
    /** Cost: each NAT gateway is billed per hour and per GB. */
    natGateways: NatGateways;
    /** Region, for the VPC endpoints' service names. */
    region: string;
    /** Port the app listens on: the only port the load balancer may reach the app tier on. */
    appPort: number;
    /** Retention of the flow logs, in days. */
    logRetentionDays: number;
    /** The `logs` customer-managed key (modules/keys): encrypts the flow-log group. */
    logsKeyArn: pulumi.Input<string>;
    provider: aws.Provider;
    /** Where the flow logs' role comes from. @default created here */
    roles?: Roles;
}

/** Interface endpoints: image pulls, secrets, logs and credentials stay off the NAT gateways. */
const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "secretsmanager", "logs", "sts"] as const;

/**
 * A VPC across `azCount` zones with public, private and isolated subnets from the CIDR plan, NAT,
 * VPC endpoints, flow logs, the default security group emptied, and one security group per tier.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidr: string;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly isolatedSubnetIds: pulumi.Output<string>[];
    /** Security groups per tier: `alb` (public edge), `app` (nodes and pods), `database`, `cache`, `endpoints`. */
    readonly securityGroupIds: Record<"alb" | "app" | "database" | "cache" | "endpoints", pulumi.Output<string>>;

    constructor(name: string, private readonly args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:network:Network", name, {}, opts);
        const plan = planSubnets(args.cidr, args.azCount);
        this.cidr = plan.vpc;

        const vpc = this.createVpc(name);
        this.vpcId = vpc.id;
        const zones = this.zoneNames();
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id }, this.opts());

        const publicSubnets = this.createSubnets(name, "public", plan.public, zones);
        const privateSubnets = this.createSubnets(name, "private", plan.private, zones);
        const isolatedSubnets = this.createSubnets(name, "isolated", plan.isolated, zones);
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.isolatedSubnetIds = isolatedSubnets.map((s) => s.id);

        this.routePublic(name, igw, publicSubnets);
        const nats = this.createNatGateways(name, publicSubnets);
        const privateTables = this.routePrivate(name, nats, privateSubnets);
        const isolatedTable = this.routeIsolated(name, isolatedSubnets);

        this.securityGroupIds = this.createSecurityGroups(name);
        this.createEndpoints(name, [...privateTables, isolatedTable]);
        this.createFlowLogs(name);
        // An empty default security group: anything launched without one gets no access at all.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [] }, this.opts());

        this.registerOutputs({ vpcId: this.vpcId });
    }

    private opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider, ...extra };
    }

    private createVpc(name: string): aws.ec2.Vpc {
        return new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: this.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
            this.opts(),
        );
    }

    /** The region's first `azCount` zones, in AWS's order. */
    private zoneNames(): pulumi.Output<string>[] {
        const azs = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this, provider: this.args.provider });
        return Array.from({ length: this.args.azCount }, (_, i) => azs.names.apply((n) => n[i]!));
    }

    private createSubnets(name: string, tier: "public" | "private" | "isolated", cidrs: string[], zones: pulumi.Output<string>[]): aws.ec2.Subnet[] {
        // The role tags let the load balancer controller find subnets should anything ever ask it to.
        const roleTag: Record<string, string> =
            tier === "public" ? { "kubernetes.io/role/elb": "1" } : tier === "private" ? { "kubernetes.io/role/internal-elb": "1" } : {};
        return cidrs.map(
            (cidrBlock, i) =>
                new aws.ec2.Subnet(
                    `${name}-${tier}-${i + 1}`,
                    {
                        vpcId: this.vpcId,
                        cidrBlock,
                        availabilityZone: zones[i]!,
                        mapPublicIpOnLaunch: false,
                        tags: { Name: `${name}-${tier}-${i + 1}`, tier, ...roleTag },
                    },
                    this.opts(),
                ),
        );
    }

    private routePublic(name: string, igw: aws.ec2.InternetGateway, subnets: aws.ec2.Subnet[]): void {
        const table = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            { vpcId: this.vpcId, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: { Name: `${name}-public` } },
            this.opts(),
        );
        subnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-rta-${i + 1}`, { subnetId: s.id, routeTableId: table.id }, this.opts()));
    }

    private createNatGateways(name: string, publicSubnets: aws.ec2.Subnet[]): aws.ec2.NatGateway[] {
        const count = this.args.natGateways === "perZone" ? publicSubnets.length : 1;
        return publicSubnets.slice(0, count).map((subnet, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-eip-${i + 1}`, { domain: "vpc", tags: { Name: `${name}-nat-${i + 1}` } }, this.opts());
            return new aws.ec2.NatGateway(
                `${name}-nat-${i + 1}`,
                { allocationId: eip.id, subnetId: subnet.id, connectivityType: "public", tags: { Name: `${name}-nat-${i + 1}` } },
                this.opts(),
            );
        });
    }

    /** One table per zone, to that zone's NAT gateway (or the shared one). */
    private routePrivate(name: string, nats: aws.ec2.NatGateway[], subnets: aws.ec2.Subnet[]): aws.ec2.RouteTable[] {
        return subnets.map((s, i) => {
            const nat = nats[Math.min(i, nats.length - 1)]!;
            const table = new aws.ec2.RouteTable(
                `${name}-private-rt-${i + 1}`,
                { vpcId: this.vpcId, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: { Name: `${name}-private-${i + 1}` } },
                this.opts(),
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-rta-${i + 1}`, { subnetId: s.id, routeTableId: table.id }, this.opts());
            return table;
        });
    }

    /** The data tier: only the VPC's local route. */
    private routeIsolated(name: string, subnets: aws.ec2.Subnet[]): aws.ec2.RouteTable {
        const table = new aws.ec2.RouteTable(`${name}-isolated-rt`, { vpcId: this.vpcId, tags: { Name: `${name}-isolated` } }, this.opts());
        subnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-isolated-rta-${i + 1}`, { subnetId: s.id, routeTableId: table.id }, this.opts()));
        return table;
    }

    /**
     * One group per tier, rules as separate resources with a description each. The app tier's
     * groups are attached to the nodes (the pods share the nodes' primary interface).
     */
    private createSecurityGroups(name: string): Network["securityGroupIds"] {
        const group = (tier: string, description: string): aws.ec2.SecurityGroup =>
            new aws.ec2.SecurityGroup(`${name}-${tier}-sg`, { vpcId: this.vpcId, description, tags: { Name: `${name}-${tier}`, tier } }, this.opts());
        const alb = group("alb", "Public load balancer: HTTP and HTTPS from the internet");
        const app = group("app", "App tier: EKS nodes and pods");
        const database = group("database", "PostgreSQL: from the app tier only");
        const cache = group("cache", "Redis: from the app tier only");
        const endpoints = group("endpoints", "VPC interface endpoints: HTTPS from inside the VPC");
        const port = this.args.appPort;

        const ingress = (rule: string, args: aws.vpc.SecurityGroupIngressRuleArgs): void => {
            new aws.vpc.SecurityGroupIngressRule(`${name}-${rule}`, args, this.opts());
        };
        const egress = (rule: string, args: aws.vpc.SecurityGroupEgressRuleArgs): void => {
            new aws.vpc.SecurityGroupEgressRule(`${name}-${rule}`, args, this.opts());
        };
        for (const [p, what] of [
            [443, "HTTPS"],
            [80, "HTTP (redirected to HTTPS)"],
        ] as const) {
            ingress(`alb-in-${p}-v4`, { securityGroupId: alb.id, ipProtocol: "tcp", fromPort: p, toPort: p, cidrIpv4: "0.0.0.0/0", description: `${what} from the internet` });
        }
        egress("alb-out-app", { securityGroupId: alb.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: app.id, description: "To the app pods (target groups, ip targets)" });
        ingress("app-in-alb", { securityGroupId: app.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: alb.id, description: "From the load balancer to the app port" });
        egress("app-out-postgres", { securityGroupId: app.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: database.id, description: "To PostgreSQL" });
        egress("app-out-redis", { securityGroupId: app.id, ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: cache.id, description: "To Redis" });
        egress("app-out-https", { securityGroupId: app.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS to AWS APIs, the registry and the external API" });
        ingress("postgres-in-app", { securityGroupId: database.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: app.id, description: "PostgreSQL from the app tier" });
        ingress("redis-in-app", { securityGroupId: cache.id, ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: app.id, description: "Redis from the app tier" });
        ingress("endpoints-in-vpc", { securityGroupId: endpoints.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: this.cidr, description: "HTTPS to the interface endpoints from inside the VPC" });
        return { alb: alb.id, app: app.id, database: database.id, cache: cache.id, endpoints: endpoints.id };
    }

    private createEndpoints(name: string, routeTables: aws.ec2.RouteTable[]): void {
        const region = this.args.region;
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            { vpcId: this.vpcId, serviceName: `com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway", routeTableIds: routeTables.map((t) => t.id) },
            this.opts(),
        );
        for (const service of INTERFACE_ENDPOINTS) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(".", "-")}`,
                {
                    vpcId: this.vpcId,
                    serviceName: `com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: this.privateSubnetIds,
                    securityGroupIds: [this.securityGroupIds.endpoints],
                },
                this.opts(),
            );
        }
    }

    private createFlowLogs(name: string): void {
        const logGroupName = flowLogsLogGroupName(name);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { name: logGroupName, retentionInDays: this.args.logRetentionDays, kmsKeyId: this.args.logsKeyArn },
            this.opts(),
        );
        const role = (this.args.roles ?? new Roles()).role(flowLogsRoleSpec(this.args.region, logGroupName), { role: `${name}-flow-logs`, policy: () => `${name}-flow-logs` }, this.opts());
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            { vpcId: this.vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn, iamRoleArn: role.arn, maxAggregationInterval: 60 },
            this.opts(),
        );
    }
}

/** The log group the VPC's flow logs go to. */
export function flowLogsLogGroupName(name: string): string {
    return `/aws/vpc/${name}/flow-logs`;
}

/**
 * The flow logs' role. One statement per resource type, as the Service Authorization Reference
 * scopes each action: DescribeLogGroups takes only "*", DescribeLogStreams the log group, and
 * CreateLogStream and PutLogEvents its streams. Granted on the group's ARN, the first would never
 * apply; granted on the group, the last two would not.
 */
export function flowLogsRoleSpec(region: string, logGroupName: string): RoleSpec {
    const group = arnOf("logs", region, `log-group:${logGroupName}`);
    return {
        purpose: "flow-logs",
        trustPolicy: serviceTrust("vpc-flow-logs.amazonaws.com"),
        managedPolicyArns: [],
        inlinePolicies: {
            "flow-logs": [
                { Sid: "FindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
                { Sid: "ListOwnStreams", Effect: "Allow", Action: "logs:DescribeLogStreams", Resource: group },
                { Sid: "WriteOwnStreams", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${group}:log-stream:*` },
            ],
        },
    };
}
