import type * as pulumi from "@pulumi/pulumi";
import { INVOKE_MOCKS, MOCK_ACCOUNT_ID, RESOURCE_MOCKS, RealisticMocks, mockAnswer } from "../../../../tools/plan/mocks";
import { table } from "../../../../tools/plan/mocks/registry";
import { arnRegion, loadArnFormats, matchingFormats } from "../../../helpers/arnFormats";
import { loadPlan } from "../../../helpers/plan";
import { plannedStacks } from "../../../helpers/stacks";
import { arnsIn, isPattern, regionOf } from "./planValues";

/**
 * The registry of resource and invoke mocks, directly (no Pulumi runtime): which region a
 * resource's answer names, that answers are the same on every run, that an unknown invoke fails
 * loudly, the generic answer of a type without an entry, and every entry's answers for the
 * stacks' real resources.
 */

/** A resource registration as the Pulumi mock monitor passes it. */
function registration(type: string, name: string, inputs: Record<string, unknown> = {}, provider?: string): pulumi.runtime.MockResourceArgs {
    return { type, name, inputs, provider, custom: true } as pulumi.runtime.MockResourceArgs;
}

/** Registers a provider with the mocks, returning the reference its resources carry (`<urn>::<id>`). */
function providerIn(mocks: RealisticMocks, name: string, region: string): string {
    const { id } = mocks.newResource(registration("pulumi:providers:aws", name, { region }));
    return `urn:pulumi:s::ops::pulumi:providers:aws::${name}::${String(id)}`;
}

describe("the region a mock answers in", () => {
    // GIVEN a stack whose default region is eu-west-1 and a provider in us-west-2
    const mocks = new RealisticMocks("eu-west-1");
    const drProvider = providerIn(mocks, "dr", "us-west-2");

    it("is the resource's own region input first (as in @pulumi/aws 7)", () => {
        const key = mocks.newResource(registration("aws:kms/key:Key", "alerts", { region: "us-east-1" }, drProvider));
        expect(key.state["arn"]).toBe(`arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/${String(key.id)}`);
        expect(key.state["region"]).toBe("us-east-1");
    });

    it("is the provider's region when the resource names none", () => {
        const key = mocks.newResource(registration("aws:kms/key:Key", "data", {}, drProvider));
        expect(key.state["arn"]).toBe(`arn:aws:kms:us-west-2:${MOCK_ACCOUNT_ID}:key/${String(key.id)}`);
    });

    it("is the stack's default region without either", () => {
        const topic = mocks.newResource(registration("aws:sns/topic:Topic", "t", { name: "alerts" }));
        expect(topic.id).toBe(`arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:alerts`);
    });

    it("holds for every type, not only some families", () => {
        const types = ["aws:secretsmanager/secret:Secret", "aws:lambda/function:Function", "aws:cloudwatch/logGroup:LogGroup", "aws:rds/instance:Instance", "aws:sns/topic:Topic"];
        for (const type of types) {
            const { state } = mocks.newResource(registration(type, `x-${type}`, { region: "ap-southeast-2", name: "x", identifier: "x" }, drProvider));
            expect([type, arnRegion(String(state["arn"]))]).toEqual([type, "ap-southeast-2"]);
        }
    });

    it("leaves global ARNs without a region", () => {
        const role = mocks.newResource(registration("aws:iam/role:Role", "r", { name: "ops-role" }, drProvider));
        expect(role.state["arn"]).toBe(`arn:aws:iam::${MOCK_ACCOUNT_ID}:role/ops-role`);
        expect(role.state["region"]).toBeUndefined();
    });

    it("applies to invokes too: their region argument, else their provider's", () => {
        expect(mocks.call({ token: "aws:index/getRegion:getRegion", inputs: { region: "us-east-1" }, provider: drProvider })["region"]).toBe("us-east-1");
        expect(mocks.call({ token: "aws:index/getRegion:getRegion", inputs: {}, provider: drProvider })["region"]).toBe("us-west-2");
        expect(mocks.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {}, provider: drProvider })["zoneIds"]).toEqual([
            "usw2-az1",
            "usw2-az2",
            "usw2-az3",
            "usw2-az4",
        ]);
    });
});

describe("the mocks' answers", () => {
    it("are the same on every run for the same program", () => {
        // GIVEN two fresh mocks, as two runs of the plan would create
        const run = (): unknown[] => {
            const mocks = new RealisticMocks("us-east-1");
            const provider = providerIn(mocks, "p", "us-east-1");
            return [
                mocks.newResource(registration("aws:ec2/vpc:Vpc", "vpc", {}, provider)),
                mocks.newResource(registration("aws:kms/key:Key", "key", {}, provider)),
                mocks.newResource(registration("aws:iam/role:Role", "role", {}, provider)),
                mocks.newResource(registration("kubernetes:core/v1:ConfigMap", "config", { metadata: { namespace: "myapp" } })),
            ];
        };
        // THEN both runs get identical ids and states
        expect(run()).toEqual(run());
    });

    it("differ between resources of one type", () => {
        const mocks = new RealisticMocks("us-east-1");
        const ids = ["a", "b", "c"].map((n) => mocks.newResource(registration("aws:ec2/subnet:Subnet", n)).id);
        expect(new Set(ids).size).toBe(3);
    });

    it("name the VPC of a cluster's subnets, as EKS reports it", () => {
        const mocks = new RealisticMocks("us-east-1");
        const subnet = mocks.newResource(registration("aws:ec2/subnet:Subnet", "s", { vpcId: "vpc-0123456789abcdef0" }));
        const cluster = mocks.newResource(registration("aws:eks/cluster:Cluster", "c", { name: "c", vpcConfig: { subnetIds: [subnet.id] } }));
        expect((cluster.state["vpcConfig"] as Record<string, unknown>)["vpcId"]).toBe("vpc-0123456789abcdef0");
    });

    it("autoname a resource the program does not name, within the type's length limit", () => {
        const lb = mockAnswer({ type: "aws:lb/loadBalancer:LoadBalancer", name: "myapp-production-dr-application-lb", inputs: {}, region: "us-west-2" });
        expect(lb.outputs["name"]).toBe("myapp-production-dr-appl-1234567");
        expect(String(lb.outputs["name"]).length).toBeLessThanOrEqual(32);
    });
});

describe("an invoke the mocks have no answer for", () => {
    it("throws, naming the invoke, and is remembered for the plan's error", () => {
        const mocks = new RealisticMocks("us-east-1");
        expect(() => mocks.call({ token: "aws:ec2/getAmi:getAmi", inputs: {} } as pulumi.runtime.MockCallArgs)).toThrow(
            "The plan's mocks have no answer for the invoke aws:ec2/getAmi:getAmi. Add one to tools/plan/mocks/invokes.ts",
        );
        expect(mocks.unanswered).toEqual(["aws:ec2/getAmi:getAmi"]);
    });

    it("is not in the invoke table, which answers the program's invokes", () => {
        expect(Object.keys(INVOKE_MOCKS).sort()).toEqual([
            // What a DR rebuild finds of the standby footprint (modules/dr/lookup.ts), and the
            // primary's DATABASE_MASTER as replicated to its region (environments/data.ts).
            "aws:acm/getCertificate:getCertificate",
            "aws:ec2/getSecurityGroup:getSecurityGroup",
            "aws:ec2/getSubnet:getSubnet",
            "aws:ec2/getVpc:getVpc",
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:index/getPartition:getPartition",
            "aws:index/getRegion:getRegion",
            "aws:kms/getKey:getKey",
            "aws:lb/getLoadBalancer:getLoadBalancer",
            "aws:lb/getTargetGroup:getTargetGroup",
            "aws:rds/getInstance:getInstance",
            "aws:secretsmanager/getSecretVersion:getSecretVersion",
            // The on-call's user and vendor look-ups (modules/oncall), with a PagerDuty token.
            "pagerduty:index/getUser:getUser",
            "pagerduty:index/getVendor:getVendor",
        ]);
    });
});

describe("a type without an entry", () => {
    it("gets a well-formed id and ARN in its service's namespace and the resource's region", () => {
        const queue = mockAnswer({ type: "aws:sqs/queue:Queue", name: "jobs", inputs: {}, region: "eu-west-1" });
        expect(queue.id).toBe("jobs-1234567");
        expect(queue.outputs["arn"]).toBe(`arn:aws:sqs:eu-west-1:${MOCK_ACCOUNT_ID}:queue/jobs-1234567`);
        const rule = mockAnswer({ type: "aws:lb/listenerCertificate:ListenerCertificate", name: "r", inputs: { name: "r" }, region: "us-east-1" });
        expect(rule.outputs["arn"]).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:/);
        const user = mockAnswer({ type: "aws:iam/user:User", name: "u", inputs: { name: "ci" }, region: "us-east-1" });
        expect(user.outputs["arn"]).toBe(`arn:aws:iam::${MOCK_ACCOUNT_ID}:user/ci`);
    });

    it("never replaces an entry: the table refuses a type claimed twice", () => {
        const fn = () => ({ id: "x" });
        expect(() => table({ "aws:sns/topic:Topic": fn }, { "aws:sns/topic:Topic": fn })).toThrow("The plan's mocks answer aws:sns/topic:Topic twice: keep one entry.");
    });
});

describe("every entry, on the stacks' own resources", () => {
    const stacks = plannedStacks().map((s) => loadPlan(s));
    beforeAll(() => loadArnFormats());

    it("exists for every AWS, random and Helm type the stacks create (no stack type falls back)", () => {
        const types = new Set(stacks.flatMap((p) => p.resources.filter((r) => r.custom).map((r) => r.type)));
        const generic = [...types].filter((t) => /^(aws|random):|^kubernetes:helm/.test(t) && !RESOURCE_MOCKS[t]);
        expect(types.size).toBeGreaterThan(70);
        expect(generic).toEqual([]);
    });

    it("answers the id in the plan, and only ARNs in AWS's formats and the resource's region", () => {
        const problems: string[] = [];
        let checked = 0;
        for (const plan of stacks) {
            const byId = new Map(plan.resources.filter((r) => r.id).map((r) => [r.id!, { type: r.type, inputs: r.inputs }]));
            for (const r of plan.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
                const region = regionOf(plan, r);
                const answer = mockAnswer({ type: r.type, name: r.name, inputs: r.inputs, region, lookup: (id) => byId.get(id) });
                if (answer.id !== r.id) problems.push(`${r.type} ${r.name}: id ${answer.id}, plan ${String(r.id)}`);
                const own = [answer.id, ...Object.values(answer.outputs).filter((v): v is string => typeof v === "string")];
                for (const arn of own.flatMap(arnsIn).filter((a) => !isPattern(a))) {
                    checked++;
                    const formats = matchingFormats(arn);
                    if (formats.length === 0) problems.push(`${r.type} ${r.name}: ${arn} matches no format`);
                    else if (formats.some((f) => f.regional) && arnRegion(arn) !== region) problems.push(`${r.type} ${r.name}: ${arn} is not in ${region}`);
                }
            }
        }
        expect(checked).toBeGreaterThan(500);
        expect(problems).toEqual([]);
    });
});
