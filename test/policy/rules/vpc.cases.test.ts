import { vpcRules } from "../../../policy/rules/vpc";
import { findings, res, usesRules } from "../fixtures";

/** More cases of the VPC rules (vpc.test.ts tests each three ways): each resource type's own inputs, IPv6 and port ranges. */

usesRules(vpcRules);

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const MESSAGE = "only tcp 80 and 443 may be open to 0.0.0.0/0 or ::/0";
const world = (...resources: ReturnType<typeof res>[]) => findings("no-world-ingress-except-web", resources);

describe("no-world-ingress-except-web", () => {
    it("reads each resource type's own inputs only", () => {
        expect(
            world(
                res(SG, { description: "x", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 22, toPort: 22 }, { name: "sg" }),
                res(SG_RULE, { type: "egress", protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], fromPort: 22, toPort: 22 }, { name: "egress" }),
                res(INGRESS, { ipProtocol: "tcp", cidrIpv4: "10.0.0.0/8", fromPort: 443, toPort: 443, ingress: [{ protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], fromPort: 22, toPort: 22 }] }, { name: "rule" }),
            ),
        ).toEqual([]);
    });

    it("reads the IPv6 source and the port range of every kind of rule", () => {
        expect(
            world(
                res(INGRESS, { ipProtocol: "tcp", cidrIpv6: "::/0", fromPort: 22, toPort: 22 }, { name: "v6" }),
                res(SG_RULE, { type: "ingress", protocol: "tcp", ipv6CidrBlocks: ["::/0"], fromPort: 22, toPort: 443 }, { name: "v6-range" }),
                res(SG, { description: "x", ingress: [{ protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], fromPort: 80, toPort: 443 }] }, { name: "sg-range" }),
            ),
        ).toEqual([`v6: admits the internet on tcp 22: ${MESSAGE}`, `v6-range: admits the internet on tcp 22-443: ${MESSAGE}`, `sg-range: admits the internet on tcp 80-443: ${MESSAGE}`]);
    });
});

describe("vpc-flow-logs", () => {
    it("takes a flow log of rejected traffic only", () => {
        const vpc = res("aws:ec2/vpc:Vpc", { cidrBlock: "10.30.0.0/16" }, { name: "vpc", id: "vpc-1" });
        expect(findings("vpc-flow-logs", [vpc, res("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-1", trafficType: "REJECT" })])).toEqual([]);
    });
});
