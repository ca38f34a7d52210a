import { overlaps } from "../../../modules/network/cidr";
import { PlanQuery, PlannedResource } from "../../helpers/plan";
import { plannedStacks } from "../../helpers/stacks";
import { nonEmpty } from "../../helpers/nonEmpty";

const SUBNET = "aws:ec2/subnet:Subnet";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";

function tierOf(s: PlannedResource): string {
    return (s.inputs["tags"] as Record<string, string>)["tier"]!;
}

describe.each([
    // stack, zones, NAT gateways, VPC block
    ["production", 3, 3, "10.30.0.0/16"],
    ["staging", 3, 1, "10.20.0.0/16"],
] as const)("the %s network", (stack, zones, nats, cidr) => {
    const plan = PlanQuery.of(stack).withoutStandby();

    it(`spans ${zones} zones with a public, a private and an isolated subnet in each`, () => {
        expect(plan.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"]).toBe(cidr);
        const subnets = plan.ofType(SUBNET);
        expect(subnets).toHaveLength(3 * zones);
        for (const tier of ["public", "private", "isolated"]) {
            const inTier = subnets.filter((s) => tierOf(s) === tier);
            expect(inTier).toHaveLength(zones);
            expect(new Set(inTier.map((s) => s.inputs["availabilityZone"])).size).toBe(zones);
        }
        expect(subnets.every((s) => s.inputs["mapPublicIpOnLaunch"] === false)).toBe(true);
    });

    it(`has ${nats} NAT gateway(s), in public subnets, and routes each private subnet through one`, () => {
        const natGateways = plan.ofType("aws:ec2/natGateway:NatGateway");
        expect(natGateways).toHaveLength(nats);
        const publicIds = plan.ofType(SUBNET).filter((s) => tierOf(s) === "public").map((s) => s.id);
        for (const n of natGateways) expect(publicIds).toContain(n.inputs["subnetId"]);
        const privateTables = plan.ofType("aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("-private-rt-"));
        expect(privateTables).toHaveLength(zones);
        const natIds = new Set(natGateways.map((n) => n.id));
        const used = privateTables.map((t) => (t.inputs["routes"] as Array<{ natGatewayId: string }>)[0]!.natGatewayId);
        expect(used.every((id) => natIds.has(id))).toBe(true);
        expect(new Set(used).size).toBe(nats);
    });

    it("gives the isolated subnets no route out of the VPC", () => {
        const isolated = plan.one("aws:ec2/routeTable:RouteTable", `myapp-${stack}-isolated-rt`);
        expect(isolated.inputs["routes"]).toBeUndefined();
    });

    it("has endpoints for S3, ECR, Secrets Manager, CloudWatch Logs and STS", () => {
        const services = plan.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => [e.inputs["serviceName"], e.inputs["vpcEndpointType"]]);
        expect(services.sort()).toEqual(
            [
                ["com.amazonaws.us-east-1.ecr.api", "Interface"],
                ["com.amazonaws.us-east-1.ecr.dkr", "Interface"],
                ["com.amazonaws.us-east-1.logs", "Interface"],
                ["com.amazonaws.us-east-1.s3", "Gateway"],
                ["com.amazonaws.us-east-1.secretsmanager", "Interface"],
                ["com.amazonaws.us-east-1.sts", "Interface"],
            ].sort(),
        );
    });

    it("sends flow logs to CloudWatch with the environment's retention", () => {
        const flow = plan.one("aws:ec2/flowLog:FlowLog");
        expect(flow.inputs["trafficType"]).toBe("ALL");
        expect(flow.inputs["logDestinationType"]).toBe("cloud-watch-logs");
        const group = plan.one("aws:cloudwatch/logGroup:LogGroup", `myapp-${stack}-flow-logs`);
        expect(flow.inputs["logDestination"]).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/myapp-${stack}/flow-logs`);
        expect(group.inputs["retentionInDays"]).toBe(stack === "production" ? 90 : 30);
    });

    // Service Authorization Reference, CloudWatch Logs: DescribeLogGroups has no resource type (only
    // "*" applies), DescribeLogStreams acts on a log-group, CreateLogStream and PutLogEvents on a
    // log-stream (`...:log-group:<name>:log-stream:<stream>`). A grant on another ARN never applies.
    it("lets the flow-log service find the group, list and write its streams, each on the ARN the action takes", () => {
        const group = `arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/myapp-${stack}/flow-logs`;
        const policy = JSON.parse(String(plan.one("aws:iam/rolePolicy:RolePolicy", `myapp-${stack}-flow-logs`).inputs["policy"])) as { Statement: unknown[] };
        expect(policy.Statement).toEqual([
            { Sid: "FindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
            { Sid: "ListOwnStreams", Effect: "Allow", Action: "logs:DescribeLogStreams", Resource: group },
            { Sid: "WriteOwnStreams", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${group}:log-stream:*` },
        ]);
    });

    it("strips the default security group of every rule", () => {
        const sg = plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        expect(sg.inputs["ingress"]).toEqual([]);
        expect(sg.inputs["egress"]).toEqual([]);
    });

    it("admits nothing from the world but 80 and 443 on the load balancer, and describes every rule", () => {
        const sgName = new Map(plan.ofType(SG).map((g) => [g.id, g.name.replace(`myapp-${stack}-`, "")]));
        const rules = [...plan.ofType(INGRESS), ...plan.ofType(EGRESS)];
        for (const r of nonEmpty(rules, "the security group rules")) expect(String(r.inputs["description"]).length).toBeGreaterThan(5);
        const fromWorld = plan
            .ofType(INGRESS)
            .filter((r) => r.inputs["cidrIpv4"] === "0.0.0.0/0" || r.inputs["cidrIpv6"] === "::/0")
            .map((r) => [sgName.get(String(r.inputs["securityGroupId"])), r.inputs["fromPort"], r.inputs["toPort"]]);
        expect(fromWorld.sort()).toEqual([
            ["alb-sg", 443, 443],
            ["alb-sg", 80, 80],
        ]);
    });

    it("opens each tier only to the one before it: ALB to app, app to PostgreSQL and Redis", () => {
        const sgName = new Map(plan.ofType(SG).map((g) => [g.id, g.name.replace(`myapp-${stack}-`, "").replace(/-sg$/, "")]));
        const referenced = plan
            .ofType(INGRESS)
            .filter((r) => r.inputs["referencedSecurityGroupId"] !== undefined)
            // The EKS-made cluster group is no resource of the plan: the CI runner reaches the API endpoint through it.
            .map((r) => `${sgName.get(String(r.inputs["referencedSecurityGroupId"]))} -> ${sgName.get(String(r.inputs["securityGroupId"])) ?? "eks-cluster"}:${String(r.inputs["fromPort"])}-${String(r.inputs["toPort"])}`);
        expect(referenced.sort()).toEqual(["alb -> app:8000-8000", "app -> cache:6379-6379", "app -> database:5432-5432", "ci-runner -> eks-cluster:443-443"]);
    });
});

describe("stacks without the AWS platform", () => {
    it.each(["dev", "pr-42"])("%s creates no AWS resource", (stack) => {
        const plan = PlanQuery.of(stack);
        expect(plan.ofPackage("aws").map((r) => r.type)).toEqual([]);
        expect(plan.ofType("pulumi:providers:aws").filter((p) => plan.resources.some((r) => r.provider?.endsWith(`::${p.name}`)))).toEqual([]);
    });
});

describe("the VPCs of all stacks", () => {
    it("never overlap: production, its DR standby (which the rebuild and the drill find, creating none) and staging each have their own block", () => {
        const blocks = plannedStacks().flatMap((stack) => PlanQuery.of(stack).ofType("aws:ec2/vpc:Vpc").map((v) => [`${stack} ${String((v.inputs["tags"] as Record<string, string>)["Name"])}`, String(v.inputs["cidrBlock"])] as const));
        expect(Object.fromEntries(blocks)).toEqual({ "production myapp-production": "10.30.0.0/16", "production myapp-production-dr": "10.40.0.0/16", "staging myapp-staging": "10.20.0.0/16" });
        for (const [i, [a, ca]] of blocks.entries()) {
            for (const [b, cb] of blocks.slice(i + 1)) expect([a, b, overlaps(ca, cb)]).toEqual([a, b, false]);
        }
    });
});
