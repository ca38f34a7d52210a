/**
 * The CIDR plan, as pure functions: which address block each environment owns, and how a VPC's
 * block is cut into public, private and isolated subnets per availability zone. Documented in
 * docs/network.md; nothing here touches Pulumi, so it is tested on its own.
 */

/** An IPv4 block: the network address as a 32-bit unsigned number, and its prefix length. */
export interface Cidr {
    base: number;
    prefix: number;
}

/**
 * The block each cloud environment owns. They never overlap, so the VPCs can later be peered or
 * joined to a transit gateway, and a DR rebuild gets its own block beside production's. A stack
 * may take its own environment's blocks or any block that overlaps none of them.
 */
export const ENVIRONMENT_BLOCKS = [
    { name: "development", environment: "development", cidr: "10.10.0.0/16" },
    { name: "staging", environment: "staging", cidr: "10.20.0.0/16" },
    { name: "production", environment: "production", cidr: "10.30.0.0/16" },
    { name: "production-dr", environment: "production", cidr: "10.40.0.0/16" },
] as const;

/** The VPC prefix lengths the subnet layout supports. */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 20;

/** The availability zone counts a VPC may span. */
export const SUPPORTED_AZ_COUNTS = [2, 3] as const;

/** Parses `a.b.c.d/n`; undefined when it is not a valid IPv4 CIDR with its host bits zero. */
export function parseCidr(text: string): Cidr | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % 2 ** (32 - prefix) !== 0) return undefined;
    return { base, prefix };
}

/** `a.b.c.d/n` of a block. */
export function formatCidr(c: Cidr): string {
    const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
    return `${o.join(".")}/${c.prefix}`;
}

function size(c: Cidr): number {
    return 2 ** (32 - c.prefix);
}

/** True when two blocks share at least one address. */
export function overlaps(a: Cidr | string, b: Cidr | string): boolean {
    const x = typeof a === "string" ? parseCidr(a) : a;
    const y = typeof b === "string" ? parseCidr(b) : b;
    if (!x || !y) return false;
    return x.base < y.base + size(y) && y.base < x.base + size(x);
}

/** The `index`-th block of prefix `prefix + newBits` inside `block` (Terraform's `cidrsubnet`). */
export function subnet(block: Cidr, newBits: number, index: number): Cidr {
    const prefix = block.prefix + newBits;
    if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
        throw new RangeError(`no subnet ${index} of /${prefix} in ${formatCidr(block)}`);
    }
    return { base: block.base + index * 2 ** (32 - prefix), prefix };
}

/** The subnets of one VPC, one per availability zone in each tier, zone order. */
export interface SubnetPlan {
    vpc: string;
    /** Load balancer and NAT gateways; routed to the internet gateway. */
    public: string[];
    /** Nodes and pods; routed out through NAT. Pods take VPC addresses, so these are the large ones. */
    private: string[];
    /** Data stores (RDS, ElastiCache); no route out of the VPC at all. */
    isolated: string[];
}

/**
 * Cuts a VPC block into subnets. With a /16:
 *
 *   private   /19 each: the first three eighths   (10.30.0.0/19, 10.30.32.0/19, 10.30.64.0/19)
 *   public    /22 each: the 4th eighth, slots 0-2  (10.30.96.0/22, 10.30.100.0/22, 10.30.104.0/22)
 *   isolated  /22 each: the 4th eighth, slots 4-6  (10.30.112.0/22, 10.30.116.0/22, 10.30.120.0/22)
 *   spare: the 4th eighth's slots 3 and 7, and the whole upper half (10.30.128.0/17)
 *
 * Smaller VPCs keep the same shape with every subnet proportionally smaller. Adding a zone later
 * only adds subnets: existing ones keep their blocks.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
    const vpc = parseCidr(vpcCidr);
    if (!vpc) throw new RangeError(`${vpcCidr} is not an IPv4 CIDR block`);
    if (vpc.prefix < MIN_VPC_PREFIX || vpc.prefix > MAX_VPC_PREFIX) {
        throw new RangeError(`a VPC block must be /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}, got ${vpcCidr}`);
    }
    if (!(SUPPORTED_AZ_COUNTS as readonly number[]).includes(azCount)) {
        throw new RangeError(`the subnet plan spans ${SUPPORTED_AZ_COUNTS.join(" or ")} zones, got ${azCount}`);
    }
    const edge = subnet(vpc, 3, 3);
    const zones = Array.from({ length: azCount }, (_, i) => i);
    return {
        vpc: formatCidr(vpc),
        private: zones.map((i) => formatCidr(subnet(vpc, 3, i))),
        public: zones.map((i) => formatCidr(subnet(edge, 3, i))),
        isolated: zones.map((i) => formatCidr(subnet(edge, 3, 4 + i))),
    };
}

/**
 * The reserved blocks a stack's VPC block collides with: every environment block it overlaps,
 * except the blocks reserved for its own environment when it takes one of them exactly.
 */
export function conflictingBlocks(environment: string, cidr: string): Array<(typeof ENVIRONMENT_BLOCKS)[number]> {
    const own = ENVIRONMENT_BLOCKS.find((b) => b.environment === environment && b.cidr === cidr);
    return ENVIRONMENT_BLOCKS.filter((b) => b !== own && overlaps(b.cidr, cidr));
}
