import { MOCK_PUBLIC_NETWORK } from "../mark";
import { MockFn, MockRequest, shortRegion } from "../kit";

/**
 * EC2 networking: ids `<prefix>-<17 hex>` as EC2 gives them, ARNs `arn:aws:ec2:<region>:<account>:
 * <resource type>/<id>` with EC2's own resource-type words (`natgateway` has no ARN output,
 * `elastic-ip`, `vpc-flow-log`, `security-group-rule`).
 */

/** The zone id AWS gives an availability zone name: `us-east-1b` → `use1-az2`. */
export function zoneIdOf(zone: string, region: string): string {
    const letter = zone.startsWith(region) ? zone.slice(region.length) : "a";
    return `${shortRegion(region)}-az${letter.charCodeAt(0) - "a".charCodeAt(0) + 1}`;
}

/** A public address from the documentation network, stable for the resource. */
function publicIp(r: MockRequest): string {
    return `${MOCK_PUBLIC_NETWORK}.${(parseInt(r.hex(16).slice(0, 4), 16) % 254) + 1}`;
}

/** An EC2 resource with an ARN of its own. */
function ec2(prefix: string, arnType: string, extra?: (r: MockRequest, id: string) => Record<string, unknown>): MockFn {
    return (r) => {
        const id = r.ec2Id(prefix);
        return { id, outputs: { arn: r.arn("ec2", `${arnType}/${id}`), ownerId: r.account, ...(extra?.(r, id) ?? {}) } };
    };
}

export const NETWORK: Record<string, MockFn> = {
    "aws:ec2/vpc:Vpc": ec2("vpc", "vpc", (r) => {
        const mainRouteTableId = r.ec2Id("rtb");
        return {
            defaultSecurityGroupId: r.ec2Id("sg"),
            defaultRouteTableId: mainRouteTableId,
            mainRouteTableId,
            defaultNetworkAclId: r.ec2Id("acl"),
            dhcpOptionsId: r.ec2Id("dopt"),
        };
    }),
    "aws:ec2/subnet:Subnet": ec2("subnet", "subnet", (r) => {
        const zone = r.str("availabilityZone");
        return zone ? { availabilityZoneId: zoneIdOf(zone, r.region) } : {};
    }),
    "aws:ec2/securityGroup:SecurityGroup": ec2("sg", "security-group", (r) => ({ name: r.autoname("name", 255) })),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group", () => ({ name: "default" })),
    "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
    "aws:ec2/networkAcl:NetworkAcl": ec2("acl", "network-acl"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint", (r) => (r.str("vpcEndpointType") === "Gateway" ? { prefixListId: r.ec2Id("pl") } : {})),
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
    "aws:ec2/launchTemplate:LaunchTemplate": ec2("lt", "launch-template", (r) => ({ name: r.autoname("name", 128), latestVersion: 1, defaultVersion: 1 })),
    "aws:ec2/eip:Eip": (r) => {
        const id = r.ec2Id("eipalloc");
        return { id, outputs: { allocationId: id, arn: r.arn("ec2", `elastic-ip/${id}`), publicIp: publicIp(r), domain: "vpc" } };
    },
    "aws:ec2/natGateway:NatGateway": (r) => ({ id: r.ec2Id("nat"), outputs: { networkInterfaceId: r.ec2Id("eni"), publicIp: publicIp(r) } }),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (r) => ({ id: r.ec2Id("rtbassoc") }),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr", "security-group-rule", (_r, id) => ({ securityGroupRuleId: id })),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("sgr", "security-group-rule", (_r, id) => ({ securityGroupRuleId: id })),
};
