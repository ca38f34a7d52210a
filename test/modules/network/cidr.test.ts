import { ENVIRONMENT_BLOCKS, conflictingBlocks, formatCidr, overlaps, parseCidr, planSubnets, subnet } from "../../../modules/network/cidr";

describe("the CIDR plan", () => {
    it("parses and formats blocks, refusing host bits and out-of-range octets", () => {
        expect(parseCidr("10.30.0.0/16")).toEqual({ base: 10 * 2 ** 24 + 30 * 2 ** 16, prefix: 16 });
        expect(formatCidr(parseCidr("192.168.4.0/22")!)).toBe("192.168.4.0/22");
        expect(parseCidr("10.30.0.1/16")).toBeUndefined();
        expect(parseCidr("10.300.0.0/16")).toBeUndefined();
        expect(parseCidr("10.30.0.0/33")).toBeUndefined();
        expect(parseCidr("10.30.0.0")).toBeUndefined();
    });

    it("cuts subnets like cidrsubnet", () => {
        expect(formatCidr(subnet(parseCidr("10.30.0.0/16")!, 3, 3))).toBe("10.30.96.0/19");
        expect(() => subnet(parseCidr("10.30.0.0/16")!, 3, 8)).toThrow("no subnet 8 of /19 in 10.30.0.0/16");
    });

    it("lays out production's three zones", () => {
        expect(planSubnets("10.30.0.0/16", 3)).toEqual({
            vpc: "10.30.0.0/16",
            private: ["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"],
            public: ["10.30.96.0/22", "10.30.100.0/22", "10.30.104.0/22"],
            isolated: ["10.30.112.0/22", "10.30.116.0/22", "10.30.120.0/22"],
        });
    });

    it("keeps a zone's subnets when the zone count changes", () => {
        const two = planSubnets("10.20.0.0/16", 2);
        const three = planSubnets("10.20.0.0/16", 3);
        expect(three.private.slice(0, 2)).toEqual(two.private);
        expect(three.public.slice(0, 2)).toEqual(two.public);
        expect(three.isolated.slice(0, 2)).toEqual(two.isolated);
    });

    it.each([16, 17, 18, 19, 20])("never overlaps two subnets, and keeps them all in the VPC, for a /%i", (prefix) => {
        const vpc = `10.40.0.0/${prefix}`;
        const plan = planSubnets(vpc, 3);
        const all = [...plan.public, ...plan.private, ...plan.isolated];
        expect(all).toHaveLength(9);
        for (const [i, a] of all.entries()) {
            expect(parseCidr(a)).toBeDefined();
            expect(overlaps(a, vpc)).toBe(true);
            expect(parseCidr(a)!.prefix).toBeGreaterThan(prefix);
            for (const b of all.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
        }
    });

    it("refuses unsupported zone counts and VPC sizes", () => {
        expect(() => planSubnets("10.30.0.0/16", 1)).toThrow("the subnet plan spans 2 or 3 zones, got 1");
        expect(() => planSubnets("10.30.0.0/16", 4)).toThrow("got 4");
        expect(() => planSubnets("10.0.0.0/8", 3)).toThrow("a VPC block must be /16 to /20, got 10.0.0.0/8");
        expect(() => planSubnets("10.30.0.0/24", 3)).toThrow("got 10.30.0.0/24");
    });

    it("reserves blocks for the environments that overlap none of each other", () => {
        for (const [i, a] of ENVIRONMENT_BLOCKS.entries()) {
            for (const b of ENVIRONMENT_BLOCKS.slice(i + 1)) expect(overlaps(a.cidr, b.cidr)).toBe(false);
        }
    });

    it("reports the blocks a stack's VPC would collide with", () => {
        expect(conflictingBlocks("staging", "10.20.0.0/16")).toEqual([]);
        expect(conflictingBlocks("production", "10.40.0.0/16")).toEqual([]);
        expect(conflictingBlocks("production", "10.50.0.0/16")).toEqual([]);
        expect(conflictingBlocks("staging", "10.30.0.0/16").map((b) => b.name)).toEqual(["production"]);
        expect(conflictingBlocks("staging", "10.20.128.0/17").map((b) => b.name)).toEqual(["staging"]);
        expect(conflictingBlocks("production", "10.0.0.0/8").map((b) => b.name)).toEqual(["development", "staging", "production", "production-dr"]);
    });
});
