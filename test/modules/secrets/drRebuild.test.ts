import { PlanQuery } from "../../helpers/plan";

const SECRET = "aws:secretsmanager/secret:Secret";
const names = (stack: string): string[] => PlanQuery.of(stack).ofType(SECRET).map((s) => String(s.inputs["name"]));

describe("a DR rebuild's secrets beside production's replicas", () => {
    it("production replicates myapp/production/* into the DR region", () => {
        const prod = PlanQuery.of("production").ofType(SECRET);
        expect(prod.length).toBeGreaterThan(0);
        for (const s of prod) {
            expect(String(s.inputs["name"])).toMatch(/^myapp\/production\/[A-Z_]+$/);
            expect((s.inputs["replicas"] as Array<{ region: string }>).map((r) => r.region)).toEqual(["us-west-2"]);
        }
    });

    it("production-dr names its own secrets myapp/production-dr/*, so none collides with a replica in us-west-2", () => {
        const dr = names("production-dr");
        expect(dr.sort()).toEqual(names("production").map((n) => n.replace("myapp/production/", "myapp/production-dr/")).sort());
        for (const n of dr) expect(names("production")).not.toContain(n);
    });

    it("production-dr's pods read, and its External Secrets role may read, only myapp/production-dr/*", () => {
        const q = PlanQuery.of("production-dr");
        const keys = (q.one("kubernetes:external-secrets.io/v1:ExternalSecret").inputs["spec"] as { data: Array<{ remoteRef: { key: string } }> }).data.map((d) => d.remoteRef.key);
        expect(keys.length).toBeGreaterThan(0);
        for (const k of keys) expect(k).toMatch(/^myapp\/production-dr\//);
        // The rebuild's External Secrets role is production's DR role (created ahead: a rebuild creates no IAM).
        const eso = (q.plan.outputs["drRoles"] as { roles: Array<{ purpose: string; inlinePolicies: Record<string, unknown> }> }).roles.find((r) => r.purpose === "external-secrets");
        expect(JSON.stringify(eso?.inlinePolicies)).toContain(":secret:myapp/production-dr/*");
        expect(JSON.stringify(eso?.inlinePolicies)).not.toContain(":secret:myapp/production/");
        const created = PlanQuery.of("production").ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === "myapp-production-dr-external-secrets");
        expect(created).toHaveLength(1);
        expect(String(created[0]!.inputs["policy"])).toContain(":secret:myapp/production-dr/*");
        expect(String(created[0]!.inputs["policy"])).not.toContain(":secret:myapp/production/");
    });
});
