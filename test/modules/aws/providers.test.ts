import { PlanQuery } from "../../helpers/plan";

describe.each(["production", "staging"])("tags on every AWS resource of %s", (stack) => {
    const plan = PlanQuery.of(stack);

    it("creates every AWS resource through an explicit provider that carries the default tags", () => {
        const providers = new Map(plan.ofType("pulumi:providers:aws").map((p) => [p.urn, p]));
        // One provider per region: the primary and the DR region.
        expect(providers.size).toBe(2);
        for (const p of providers.values()) {
            expect(JSON.parse(String(p.inputs["defaultTags"]))).toEqual({
                tags: { environment: stack, project: "myapp", owner: "platform-engineering", "cost-center": "platform", "managed-by": "pulumi" },
            });
        }
        const aws = plan.ofPackage("aws");
        expect(aws.length).toBeGreaterThan(100);
        const untagged = aws.filter((r) => r.provider === null || !providers.has(r.provider)).map((r) => `${r.type} ${r.name}`);
        expect(untagged).toEqual([]);
    });

    it("creates the platform in the primary region", () => {
        const primary = plan.ofType("pulumi:providers:aws").find((p) => p.inputs["region"] === "us-east-1")!;
        const platformTypes = ["aws:ec2/vpc:Vpc", "aws:eks/cluster:Cluster", "aws:lb/loadBalancer:LoadBalancer", "aws:ecr/repository:Repository"];
        // The standby footprint's (modules/dr) are in the DR region: the platform's own are the ones outside ops:dr components.
        for (const t of platformTypes) {
            const own = plan.ofType(t).filter((r) => !r.name.startsWith("myapp-production-dr"));
            expect(own).toHaveLength(1);
            expect(own[0]!.provider).toBe(primary.urn);
        }
    });
});
