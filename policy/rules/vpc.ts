/**
 * VPCs, subnets and security groups.
 */
import { EVERYWHERE, PolicyRule } from "../rule";
import { asArray, at, isTrue, isWorld, openedPorts, refersTo, shown } from "../values";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** The only ports the internet may reach (EC2.18's authorizedTcpPorts default): HTTP and HTTPS, over TCP. */
export const WEB_PORTS = [80, 443] as const;

/** The description @pulumi/aws gives a security group that states none. */
export const PROVIDER_DEFAULT_DESCRIPTION = "Managed by Pulumi";

/** One ingress permission, whichever resource states it. */
interface Ingress {
    sources: unknown[];
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
}

/** What a world-open permission opens beyond the web ports, or undefined when it opens only them. */
function worldProblem(p: Ingress): string | undefined {
    if (!p.sources.some(isWorld)) return undefined;
    const ports = openedPorts(p.protocol, p.fromPort, p.toPort);
    const webOnly = ports.protocol === "tcp" && ports.from === ports.to && (WEB_PORTS as readonly number[]).includes(ports.from);
    if (webOnly) return undefined;
    const what = ports.protocol === "all" ? "all traffic" : `${ports.protocol} ${ports.from === ports.to ? ports.from : `${ports.from}-${ports.to}`}`;
    return `admits the internet on ${what}: only tcp 80 and 443 may be open to 0.0.0.0/0 or ::/0`;
}

export const vpcRules: PolicyRule[] = [
    {
        name: "vpc-flow-logs",
        service: "VPC",
        description: "Every VPC has a flow log of all (or at least rejected) traffic.",
        rationale: "Flow logs are the record of who talked to what; the network-anomaly alarm and any investigation of a breach start there.",
        controls: [
            { framework: "Security Hub FSBP", id: "EC2.6" },
            { framework: "CIS AWS Foundations 1.4.0", id: "3.9" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-VPC7" },
        ],
        enforcement: EVERYWHERE,
        types: [VPC],
        check: (vpc, stack) =>
            stack.ofType(FLOW_LOG).some((f) => refersTo(f, "vpcId", vpc) && ["ALL", "REJECT"].includes(String(f.inputs["trafficType"]))) ? [] : ["no aws.ec2.FlowLog of ALL (or REJECT) traffic for this VPC"],
    },
    {
        name: "vpc-default-security-group-closed",
        service: "VPC",
        description: "Every VPC's default security group is taken over and emptied (no ingress, no egress).",
        rationale: "Anything launched without a security group lands in the default one, which admits its own members and lets everything out.",
        controls: [
            { framework: "Security Hub FSBP", id: "EC2.2" },
            { framework: "CIS AWS Foundations 1.4.0", id: "5.3" },
        ],
        enforcement: EVERYWHERE,
        types: [VPC],
        check: (vpc, stack) => {
            const group = stack.ofType(DEFAULT_SG).find((g) => refersTo(g, "vpcId", vpc));
            if (!group) return ["no aws.ec2.DefaultSecurityGroup empties its default security group"];
            const open = (["ingress", "egress"] as const).filter((k) => !Array.isArray(group.inputs[k]) || asArray(group.inputs[k]).length > 0);
            return open.length > 0 ? [`its default security group's ${open.join(" and ")} is not an empty list`] : [];
        },
    },
    {
        name: "no-world-ingress-except-web",
        service: "VPC",
        description: "No security group admits the internet (0.0.0.0/0, ::/0) except on TCP 80 and 443, each alone.",
        rationale: "A range or protocol wider than the web ports exposes SSH, databases and admin ports (EC2.19's high-risk list) to every scanner on the internet.",
        controls: [
            { framework: "Security Hub FSBP", id: "EC2.18" },
            { framework: "Security Hub FSBP", id: "EC2.19" },
            { framework: "CIS AWS Foundations 1.4.0", id: "5.2" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-EC23" },
        ],
        enforcement: EVERYWHERE,
        types: [SECURITY_GROUP, SG_RULE, INGRESS_RULE],
        check: (r) => {
            const permissions: Ingress[] = [];
            if (r.type === INGRESS_RULE) permissions.push({ sources: [r.inputs["cidrIpv4"], r.inputs["cidrIpv6"]], protocol: r.inputs["ipProtocol"], fromPort: r.inputs["fromPort"], toPort: r.inputs["toPort"] });
            if (r.type === SG_RULE && r.inputs["type"] === "ingress")
                permissions.push({ sources: [...asArray(r.inputs["cidrBlocks"]), ...asArray(r.inputs["ipv6CidrBlocks"])], protocol: r.inputs["protocol"], fromPort: r.inputs["fromPort"], toPort: r.inputs["toPort"] });
            if (r.type === SECURITY_GROUP)
                for (const i of asArray(r.inputs["ingress"]))
                    permissions.push({ sources: [...asArray(at(i, "cidrBlocks")), ...asArray(at(i, "ipv6CidrBlocks"))], protocol: at(i, "protocol"), fromPort: at(i, "fromPort"), toPort: at(i, "toPort") });
            return permissions.map(worldProblem).filter((m): m is string => m !== undefined);
        },
    },
    {
        name: "subnets-no-public-ip-on-launch",
        service: "VPC",
        description: "No subnet gives instances a public IP address automatically.",
        rationale: "Whatever starts in such a subnet is on the internet before anyone decided it should be; the load balancer and NAT gateways take their addresses explicitly.",
        controls: [
            { framework: "Security Hub FSBP", id: "EC2.15" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled" },
        ],
        enforcement: EVERYWHERE,
        types: [SUBNET],
        check: (s) => (isTrue(s.inputs["mapPublicIpOnLaunch"]) ? ["mapPublicIpOnLaunch is true: set it to false"] : []),
    },
    {
        name: "security-groups-described",
        service: "VPC",
        description: `Every security group says what it is for (a description other than the provider's "${PROVIDER_DEFAULT_DESCRIPTION}").`,
        rationale: "During an incident the description is how the on-call tells which tier a group guards; it cannot be changed without replacing the group.",
        controls: [{ framework: "cdk-nag AwsSolutions", id: "AwsSolutions-EC27" }],
        enforcement: EVERYWHERE,
        types: [SECURITY_GROUP],
        check: (g) => {
            const d = g.inputs["description"];
            return typeof d === "string" && d.trim() !== "" && d !== PROVIDER_DEFAULT_DESCRIPTION ? [] : [`description is ${shown(d)}: say which tier the group guards`];
        },
    },
];
