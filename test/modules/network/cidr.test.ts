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

    it("takes the largest octet, 255, and refuses 256", () => {
        expect(parseCidr("10.30.255.0/24")).toEqual({ base: 10 * 2 ** 24 + 30 * 2 ** 16 + 255 * 2 ** 8, prefix: 24 });
        expect(parseCidr("255.255.255.255/32")).toEqual({ base: 2 ** 32 - 1, prefix: 32 });
        expect(parseCidr("10.30.256.0/24")).toBeUndefined();
        expect(parseCidr("256.0.0.0/8")).toBeUndefined();
    });

    it("takes the longest prefix, /32 (one address), and refuses /33", () => {
        expect(parseCidr("10.30.0.1/32")).toEqual({ base: 10 * 2 ** 24 + 30 * 2 ** 16 + 1, prefix: 32 });
        expect(formatCidr(parseCidr("10.30.0.1/32")!)).toBe("10.30.0.1/32");
        expect(parseCidr("10.30.0.1/33")).toBeUndefined();
        expect(parseCidr("0.0.0.0/0")).toEqual({ base: 0, prefix: 0 });
    });

    it("refuses anything around a block", () => {
        expect(parseCidr(" 10.30.0.0/16")).toBeUndefined();
        expect(parseCidr("x10.30.0.0/16")).toBeUndefined();
        expect(parseCidr("10.30.0.0/16x")).toBeUndefined();
        expect(parseCidr("10.30.0.0/160")).toBeUndefined();
        expect(parseCidr("10.30.0.0.0/16")).toBeUndefined();
    });

    it("tells overlapping blocks from adjacent ones, given as text or parsed", () => {
        expect(overlaps("10.30.0.0/17", "10.30.128.0/17")).toBe(false);
        expect(overlaps("10.30.128.0/17", "10.30.0.0/17")).toBe(false);
        expect(overlaps("10.30.0.0/16", "10.30.255.255/32")).toBe(true);
        expect(overlaps("10.30.255.255/32", "10.30.0.0/16")).toBe(true);
        expect(overlaps(parseCidr("10.30.0.0/16")!, parseCidr("10.30.64.0/18")!)).toBe(true);
        expect(overlaps(parseCidr("10.30.0.0/16")!, "10.31.0.0/16")).toBe(false);
    });

    it("finds no overlap with something that is not a block, on either side", () => {
        expect(overlaps("10.30.0.0/16", "10.30.0.0")).toBe(false);
        expect(overlaps("10.30.0.1/16", "10.30.0.0/16")).toBe(false);
        expect(overlaps("nonsense", "also nonsense")).toBe(false);
    });

    it("cuts subnets like cidrsubnet", () => {
        expect(formatCidr(subnet(parseCidr("10.30.0.0/16")!, 3, 3))).toBe("10.30.96.0/19");
        expect(() => subnet(parseCidr("10.30.0.0/16")!, 3, 8)).toThrow("no subnet 8 of /19 in 10.30.0.0/16");
    });

    it("cuts down to the last index and to /32, and no further", () => {
        const vpc = parseCidr("10.30.0.0/16")!;
        expect(formatCidr(subnet(vpc, 3, 0))).toBe("10.30.0.0/19");
        expect(formatCidr(subnet(vpc, 3, 7))).toBe("10.30.224.0/19");
        expect(() => subnet(vpc, 3, -1)).toThrow(new RangeError("no subnet -1 of /19 in 10.30.0.0/16"));
        const small = parseCidr("10.30.0.0/30")!;
        expect(formatCidr(subnet(small, 2, 3))).toBe("10.30.0.3/32");
        expect(() => subnet(small, 3, 0)).toThrow(new RangeError("no subnet 0 of /33 in 10.30.0.0/30"));
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
        expect(() => planSubnets("10.30.0.0/15", 3)).toThrow("got 10.30.0.0/15");
        expect(() => planSubnets("10.30.0.0/21", 3)).toThrow("got 10.30.0.0/21");
        expect(() => planSubnets("10.30.0.0", 3)).toThrow(new RangeError("10.30.0.0 is not an IPv4 CIDR block"));
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
