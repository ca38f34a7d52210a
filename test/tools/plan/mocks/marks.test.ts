import { MOCK_ACCOUNT_ID, MOCK_MARK, isMockMade } from "../../../../tools/plan/mocks";
import { PlannedResource, loadPlan } from "../../../helpers/plan";
import { plannedStacks } from "../../../helpers/stacks";
import { arnsIn, planStrings } from "./planValues";

/**
 * What the mocks invent is recognisable as invented (tools/plan/mocks/mark.ts): a tool that reads
 * a plan can tell the mocks' values from the program's, and nothing in a plan could be taken for
 * a real account's resources, addresses or name servers.
 */

describe("isMockMade", () => {
    it.each([
        ["the mock account", "arn:aws:iam::123456789012:role/x"],
        ["an EC2 id", "vpc-0a1b2c3d412345678"],
        ["a UUID", "9026f46c-6eb3-47e9-99de-123456789012"],
        ["an autoname", "myapp-staging-flow-logs-1234567"],
        ["an upper-case id", "Z62C75EDDF7039EXAMPLE"],
        ["a name server", "ns-199.awsdns-49.com.example"],
        ["a documentation address", "198.51.100.7"],
        ["an endpoint's account hash", "master.myapp.123456.use1.cache.amazonaws.com"],
    ])("recognises %s", (_what, value) => {
        expect(isMockMade(value)).toBe(true);
        expect(value.match(MOCK_MARK)?.length).toBeGreaterThan(0);
    });

    it.each([
        ["a domain the program chose", "api.example.com"],
        ["a hostname under example.com", "https://staging.example.com/health"],
        ["a name", "myapp-production"],
        ["a CIDR", "10.0.0.0/16"],
        ["a managed policy", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
        ["a public address outside the documentation network", "203.0.114.9"],
    ])("leaves %s alone", (_what, value) => {
        expect(isMockMade(value)).toBe(false);
    });
});

/** Elastic Load Balancing's own accounts, which an ALB log bucket must trust in older regions (ELB User Guide, access logs). */
const ELB_LOG_ACCOUNTS = new Set(["127311923021", "797873946194"]);

const PUBLIC_ADDRESS = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
/** Addresses nobody owns on the internet: private, loopback, link-local, shared, unspecified. */
function isPrivate(a: number, b: number): boolean {
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128);
}

/** Values that would look like a real account's data were they not marked. */
const LOOKS_REAL: Array<[string, RegExp]> = [
    ["EC2 id", /\b(?:vpc|subnet|sg|sgr|igw|nat|eipalloc|rtb|rtbassoc|vpce|fl|lt|acl|eni|dopt|pl)-[0-9a-f]{8,17}\b/g],
    ["UUID", /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g],
    ["RDS resource id", /\bdb-[A-Z0-9]{26}\b/g],
    // Endpoints of one account's resources (not service principals such as monitoring.rds.amazonaws.com).
    ["per-account endpoint", /[a-z0-9.-]+\.(?:[a-z]{2}(?:-[a-z]+)+-\d\.(?:rds|elb|eks)|[a-z]{3,}\d\.cache)\.amazonaws\.com/g],
    ["name server", /\bns-\d+\.awsdns-\d+\.[a-z.]+/g],
];

/** Every string of a resource's inputs, the pieces its id may be made of. */
function inputStrings(r: PlannedResource): string[] {
    const out: string[] = [];
    const walk = (v: unknown): void => {
        if (typeof v === "string") out.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(r.inputs);
    return out.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

describe.each(plannedStacks())("the plan of %s", (stack) => {
    const plan = loadPlan(stack);
    const strings = planStrings(plan);

    it("marks every id the mocks chose; the rest are the program's own names", () => {
        const custom = plan.resources.filter((r) => r.custom && !r.type.startsWith("random:"));
        expect(custom.length).toBeGreaterThan(10);
        const unmarked = custom.filter((r) => {
            if (isMockMade(r.id ?? "")) return false;
            // What is left of the id once the program's inputs and the separators are taken out.
            let rest = r.id ?? "";
            for (const s of inputStrings(r)) rest = rest.split(s).join("");
            return rest.replace(/[:/#,|_]/g, "").replace(/^default$/, "") !== "";
        });
        expect(unmarked.map((r) => `${r.type} ${r.name}: ${String(r.id)}`)).toEqual([]);
    });

    it("marks everything that would otherwise look like a real account's data", () => {
        const problems: string[] = [];
        for (const s of strings) {
            for (const [what, pattern] of LOOKS_REAL) {
                for (const m of s.text.matchAll(pattern)) if (!isMockMade(m[0])) problems.push(`${what} ${m[0]} (${s.kind} ${s.path})`);
            }
            for (const m of s.text.matchAll(PUBLIC_ADDRESS)) {
                const [a, b] = [Number(m[1]), Number(m[2])];
                if (!isPrivate(a, b) && !isMockMade(m[0])) problems.push(`public address ${m[0]} (${s.kind} ${s.path})`);
            }
            for (const arn of arnsIn(s.text)) {
                const account = arn.split(":")[4] ?? "";
                if (!["", "aws", MOCK_ACCOUNT_ID].includes(account) && !ELB_LOG_ACCOUNTS.has(account)) problems.push(`account ${account} in ${arn}`);
            }
        }
        expect([...new Set(problems)]).toEqual([]);
    });
});
