import { vpcRules } from "../../../policy/rules/vpc";
import { findings, res, ruleSuite } from "../fixtures";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const vpc = () => res("aws:ec2/vpc:Vpc", { cidrBlock: "10.30.0.0/16" }, { name: "vpc", id: "vpc-1" });
const flowLog = (trafficType = "ALL", vpcId = "vpc-1") => res("aws:ec2/flowLog:FlowLog", { vpcId, trafficType, logDestinationType: "cloud-watch-logs" }, { name: "flow" });
const defaultSg = (inputs: Record<string, unknown> = { ingress: [], egress: [] }, vpcId = "vpc-1") => res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", { vpcId, ...inputs }, { name: "default-sg" });
const ingress = (inputs: Record<string, unknown>, name = "in") => res(INGRESS, { ipProtocol: "tcp", securityGroupId: "sg-1", ...inputs }, { name });
const MESSAGE = "only tcp 80 and 443 may be open to 0.0.0.0/0 or ::/0";

describe("VPC rules", () => {
    const rule = ruleSuite(vpcRules);

    rule("vpc-flow-logs", {
        compliant: () => [vpc(), flowLog()],
        missing: () => [vpc()],
        missingFindings: ["vpc: no aws.ec2.FlowLog of ALL (or REJECT) traffic for this VPC"],
        wrong: () => [vpc(), flowLog("ACCEPT"), flowLog("ALL", "vpc-2")],
        wrongFindings: ["vpc: no aws.ec2.FlowLog of ALL (or REJECT) traffic for this VPC"],
    });

    rule("vpc-default-security-group-closed", {
        compliant: () => [vpc(), defaultSg()],
        missing: () => [vpc()],
        missingFindings: ["vpc: no aws.ec2.DefaultSecurityGroup empties its default security group"],
        wrong: () => [vpc(), defaultSg({ ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }] })],
        wrongFindings: ["vpc: its default security group's ingress and egress is not an empty list"],
    });

    rule("no-world-ingress-except-web", {
        compliant: () => [
            ingress({ cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
            ingress({ cidrIpv6: "::/0", fromPort: 80, toPort: 80 }),
            ingress({ cidrIpv4: "10.30.0.0/16", fromPort: 5432, toPort: 5432 }),
            ingress({ ipProtocol: "6", cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
        ],
        missing: () => [ingress({ cidrIpv4: "0.0.0.0/0", ipProtocol: "-1" })],
        missingFindings: [`in: admits the internet on all traffic: ${MESSAGE}`],
        wrong: () => [
            ingress({ cidrIpv4: "0.0.0.0/0", fromPort: 0, toPort: 443 }, "a"),
            res(SG_RULE, { type: "ingress", protocol: "tcp", cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"], fromPort: 22, toPort: 22 }, { name: "b" }),
            res(SG, { description: "x", ingress: [{ protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], fromPort: 443, toPort: 443 }, { protocol: "udp", ipv6CidrBlocks: ["::/0"], fromPort: 443, toPort: 443 }] }, { name: "c" }),
        ],
        wrongFindings: [`a: admits the internet on tcp 0-443: ${MESSAGE}`, `b: admits the internet on tcp 22: ${MESSAGE}`, `c: admits the internet on udp 443: ${MESSAGE}`],
    });

    rule("subnets-no-public-ip-on-launch", {
        compliant: () => [res("aws:ec2/subnet:Subnet", { mapPublicIpOnLaunch: false })],
        missing: () => [res("aws:ec2/subnet:Subnet", {})],
        missingFindings: [],
        safeDefault: "EC2 subnets the program creates assign no public addresses unless told to",
        wrong: () => [res("aws:ec2/subnet:Subnet", { mapPublicIpOnLaunch: true }, { name: "s" })],
        wrongFindings: ["s: mapPublicIpOnLaunch is true: set it to false"],
    });

    rule("security-groups-described", {
        compliant: () => [res(SG, { description: "PostgreSQL: from the app tier only" })],
        missing: () => [res(SG, {}, { name: "g" })],
        missingFindings: ["g: description is unset: say which tier the group guards"],
        wrong: () => [res(SG, { description: "Managed by Pulumi" }, { name: "g" }), res(SG, { description: "  " }, { name: "h" })],
        wrongFindings: ['g: description is "Managed by Pulumi": say which tier the group guards', 'h: description is "  ": say which tier the group guards'],
    });

    describe("port ranges open to the world", () => {
        it.each([
            [0, 443, "tcp 0-443"],
            [80, 443, "tcp 80-443"],
            [443, 444, "tcp 443-444"],
            [0, 65535, "tcp 0-65535"],
            [79, 80, "tcp 79-80"],
            [22, 22, "tcp 22"],
            [3389, 3389, "tcp 3389"],
        ])("fails tcp %i-%i", (from, to, shown) => {
            expect(findings("no-world-ingress-except-web", [ingress({ cidrIpv4: "0.0.0.0/0", fromPort: from, toPort: to })])).toEqual([`in: admits the internet on ${shown}: ${MESSAGE}`]);
        });

        it("passes 80 and 443 alone, from IPv4 and IPv6, in every way a rule can be written", () => {
            expect(
                findings("no-world-ingress-except-web", [
                    ingress({ cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80 }),
                    res(SG_RULE, { type: "ingress", protocol: "tcp", ipv6CidrBlocks: ["::/0"], fromPort: 443, toPort: 443 }),
                    res(SG, { description: "alb", ingress: [{ protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], fromPort: 80, toPort: 80 }] }),
                ]),
            ).toEqual([]);
        });

        it("judges protocol -1 and all as every port, whatever the port fields say", () => {
            expect(findings("no-world-ingress-except-web", [ingress({ cidrIpv4: "0.0.0.0/0", ipProtocol: "-1", fromPort: 443, toPort: 443 })])).toEqual([`in: admits the internet on all traffic: ${MESSAGE}`]);
            expect(findings("no-world-ingress-except-web", [res(SG_RULE, { type: "ingress", protocol: "all", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0 }, { name: "in" })])).toEqual([`in: admits the internet on all traffic: ${MESSAGE}`]);
        });

        it("ignores egress rules and sources inside the network", () => {
            expect(findings("no-world-ingress-except-web", [res(SG_RULE, { type: "egress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0 })])).toEqual([]);
            expect(findings("no-world-ingress-except-web", [ingress({ cidrIpv4: "10.0.0.0/8", fromPort: 22, toPort: 22 })])).toEqual([]);
        });
    });
});
