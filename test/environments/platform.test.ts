import { PlanQuery } from "../helpers/plan";
import { planWith } from "../helpers/planWith";
import { SECRET_SENTINELS } from "../helpers/stacks";

/** Plans in this process with settings the stack files don't hold; serially (one Pulumi runtime per process). */
async function plan(stack: string, config: Record<string, unknown>): Promise<PlanQuery> {
    const strings = Object.fromEntries(Object.entries(config).map(([k, v]) => [`ops:${k}`, JSON.stringify(v)]));
    // The secrets the stacks need come from the environment, as in CI.
    return new PlanQuery(await planWith({ stack, config: strings, env: SECRET_SENTINELS }));
}

interface Forward {
    targetGroups: Array<{ arn: string; weight: number }>;
}

function weightsByTrack(q: PlanQuery): Record<string, number> {
    const https = q.ofType("aws:lb/listener:Listener").find((l) => l.inputs["port"] === 443)!;
    const forward = (https.inputs["defaultActions"] as Array<{ forward: Forward }>)[0]!.forward;
    const trackOf = new Map(q.ofType("aws:lb/targetGroup:TargetGroup").map((tg) => [tg.id, (tg.inputs["tags"] as Record<string, string>)["track"]]));
    return Object.fromEntries(forward.targetGroups.map((g) => [trackOf.get(g.arn), g.weight]));
}

function bindings(q: PlanQuery): Array<[string, string, string]> {
    const trackOf = new Map(q.ofType("aws:lb/targetGroup:TargetGroup").map((tg) => [tg.id, (tg.inputs["tags"] as Record<string, string>)["track"]!]));
    return q
        .ofType("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")
        .map((b) => {
            const spec = b.inputs["spec"] as { targetGroupARN: string; serviceRef: { name: string } };
            return [String((b.inputs["metadata"] as Record<string, string>)["name"]), trackOf.get(spec.targetGroupARN)!, spec.serviceRef.name] as [string, string, string];
        })
        .sort();
}

const image = { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/backend", tag: "1.1.0" };

describe("platform settings variations (planned in process)", () => {
    it("canary: stable and canary target groups at the configured weights, each bound to its track's Service", async () => {
        const q = await plan("production", { deployment: { strategy: "canary", canary: { image, weights: { stable: 90, canary: 10 } } } });
        expect(weightsByTrack(q)).toEqual({ stable: 90, canary: 10 });
        expect(bindings(q)).toEqual([
            ["app-canary", "canary", "app-canary"],
            ["app-stable", "stable", "app"],
        ]);
        expect(q.plan.outputs["trafficWeights"]).toEqual({ stable: 90, canary: 10 });
    });

    it("blue-green: both colours always have a target group; the active one takes 100", async () => {
        const q = await plan("production", { deployment: { strategy: "blueGreen", blueGreen: { greenImage: image, active: "green" } } });
        expect(weightsByTrack(q)).toEqual({ blue: 0, green: 100 });
        expect(bindings(q)).toEqual([
            ["app-blue", "blue", "app"],
            ["app-green", "green", "app-green"],
        ]);
        for (const tg of q.allOf("aws:lb/targetGroup:TargetGroup")) expect(tg.inputs["healthCheck"]).toMatchObject({ path: "/health" });
    });

    it("staging with two zones: two of each subnet, one NAT gateway", async () => {
        const q = await plan("staging", { network: { cidr: "10.20.0.0/16", azCount: 2, natGateways: "single" } });
        const subnets = q.ofType("aws:ec2/subnet:Subnet");
        expect(subnets.map((s) => s.inputs["cidrBlock"]).sort()).toEqual(["10.20.0.0/19", "10.20.100.0/22", "10.20.112.0/22", "10.20.116.0/22", "10.20.32.0/19", "10.20.96.0/22"]);
        expect(new Set(subnets.map((s) => s.inputs["availabilityZone"]))).toEqual(new Set(["us-east-1a", "us-east-1b"]));
        expect(q.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
        expect((q.one("aws:eks/nodeGroup:NodeGroup").inputs["subnetIds"] as string[]).length).toBe(2);
    });

    it("a public API endpoint opens to the configured CIDRs only", async () => {
        const q = await plan("production", { cluster: { publicAccessCidrs: ["203.0.113.0/24"] } });
        expect(q.one("aws:eks/cluster:Cluster").inputs["vpcConfig"]).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    });

    it("a role name resolves in the deploying account; a full ARN is used as given", async () => {
        const q = await plan("production", { cluster: { adminRole: "arn:aws:iam::210987654321:role/ops/break-glass", ciRole: "github-deploy" } });
        // cluster.ciRole replaces the bootstrap stack's deploy role; the previewing roles stay.
        expect(q.ofType("aws:eks/accessEntry:AccessEntry").map((e) => e.inputs["principalArn"]).sort()).toEqual([
            "arn:aws:iam::123456789012:role/github-deploy",
            "arn:aws:iam::123456789012:role/myapp-ci-production-plan",
            "arn:aws:iam::123456789012:role/myapp-ci-read-only",
            "arn:aws:iam::210987654321:role/ops/break-glass",
        ]);
    });

    it("an existing zone is used, not created", async () => {
        const q = await plan("production", { edge: { zone: { name: "example.com", existingZoneId: "Z0123456789ABCDEFGHIJ" } } });
        expect(q.ofType("aws:route53/zone:Zone")).toEqual([]);
        for (const r of q.allOf("aws:route53/record:Record")) expect(r.inputs["zoneId"]).toBe("Z0123456789ABCDEFGHIJ");
    });
});
