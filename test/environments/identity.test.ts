import { runSimulation } from "@cloud-copilot/iam-simulate";
import { checkedPurpose } from "../../modules/identity";
import { BUSINESS_METRICS } from "../../modules/observability/businessMetrics";
import { PlanQuery } from "../helpers/plan";

/**
 * The app's AWS identity (environments/identity.ts, modules/identity): one Pod Identity role for
 * the app's service account, a policy per purpose, the business metrics policy among them; and the
 * Business dashboard reading exactly what that policy lets the app publish.
 */

const ACCOUNT = "123456789012";

describe.each(["staging", "production", "production-dr"])("the app's identity on %s", (stack) => {
    const q = PlanQuery.of(stack);
    const identity = q.one("ops:identity:AppIdentity");
    const children = q.childrenOf(identity);
    // A DR rebuild creates no IAM: its app role is production's DR role `myapp-production-dr-app` (docs/dr-roles.md).
    const rebuild = stack === "production-dr";
    const iam = rebuild ? PlanQuery.of("production") : q;
    const role = rebuild ? iam.ofType("aws:iam/role:Role").find((r) => r.inputs["name"] === "myapp-production-dr-app")! : children.find((r) => r.type === "aws:iam/role:Role")!;
    const rolePolicies = iam.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === role.id);
    const policy = rolePolicies.find((r) => r.inputs["name"] === "business-metrics")!;

    it("is one role, taken through Pod Identity by the app's service account in the app's namespace, with a policy per purpose", () => {
        expect(children.map((r) => r.type).sort()).toEqual(
            rebuild
                ? ["aws:eks/podIdentityAssociation:PodIdentityAssociation"]
                : ["aws:eks/podIdentityAssociation:PodIdentityAssociation", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicy:RolePolicy"],
        );
        expect(rolePolicies.map((r) => r.inputs["name"]).sort()).toEqual(["business-metrics", "feature-flags"]);
        expect(JSON.parse(String(role.inputs["assumeRolePolicy"]))).toEqual({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
        });
        const association = children.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation")!;
        const cluster = q.one("aws:eks/cluster:Cluster");
        const serviceAccount = q.one("kubernetes:core/v1:ServiceAccount", "myapp-service-account");
        const metadata = serviceAccount.inputs["metadata"] as { name: string; namespace: string };
        expect(association.inputs).toMatchObject({ clusterName: cluster.inputs["name"], namespace: metadata.namespace, serviceAccount: metadata.name });
        expect(association.inputs["roleArn"]).toBe(`arn:aws:iam::${ACCOUNT}:role/${role.id}`);
        // EKS allows one association per service account: nothing else associates the app's.
        const others = q.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").filter((a) => a.inputs["namespace"] === metadata.namespace);
        expect(others.map((a) => a.urn)).toEqual([association.urn]);
        expect(q.plan.outputs["appRoleArn"]).toBe(association.inputs["roleArn"]);
    });

    it("is in place before any app pod starts: the migrations Job, and so every Deployment, waits for the association", () => {
        const association = children.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation")!;
        const migrations = q.ofType("kubernetes:batch/v1:Job").filter((j) => j.name.includes("migrat"));
        expect(migrations.length).toBeGreaterThan(0);
        for (const job of migrations) expect(job.dependsOn).toContain(association.urn);
    });

    it("has the business metrics policy, named for its purpose", () => {
        expect(policy.inputs["name"]).toBe("business-metrics");
        expect(JSON.parse(String(policy.inputs["policy"]))).toEqual({
            Version: "2012-10-17",
            Statement: [{ Sid: "PublishBusinessMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "myapp/Business" } } }],
        });
    });

    it("gives the Business dashboard exactly the metric names and dimensions the app publishes", () => {
        const board = q.ofType("aws:cloudwatch/dashboard:Dashboard").find((d) => String(d.inputs["dashboardName"]).endsWith("-business"))!;
        const body = JSON.parse(String(board.inputs["dashboardBody"])) as { widgets: Array<{ type: string; properties: { metrics?: unknown[][] } }> };
        const series = body.widgets.flatMap((w) => w.properties.metrics ?? []).map((m) => m.filter((x) => typeof x === "string") as string[]);
        expect(series.length).toBeGreaterThan(0);
        const byName = new Map(Object.values(BUSINESS_METRICS).map((m) => [m.name as string, m.dimensions.map((d) => d.name as string)]));
        for (const [namespace, name, ...pairs] of series) {
            expect(namespace).toBe("myapp/Business");
            expect(pairs.filter((_, i) => i % 2 === 0)).toEqual(byName.get(name!));
        }
        expect([...new Set(series.map((s) => s[1]))].sort()).toEqual(["ActiveUsers", "Signups"]);
    });
});

describe("the business metrics policy, as IAM evaluates it", () => {
    const policy = PlanQuery.of("production").ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs["name"] === "business-metrics")!;
    const decide = async (action: string, context: Record<string, string>): Promise<string> => {
        const result = await runSimulation(
            {
                identityPolicies: [{ name: "business-metrics", policy: JSON.parse(String(policy.inputs["policy"])) as Record<string, unknown> }],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/myapp-production-app-identity-1234567`, resource: { accountId: ACCOUNT, resource: "*" }, contextVariables: context },
            },
            {},
        );
        if (result.resultType === "error") throw new Error(`iam-simulate refused the request: ${JSON.stringify(result.errors)}`);
        return result.overallResult;
    };

    it("lets the app publish to myapp/Business, and to no other namespace", async () => {
        expect(await decide("cloudwatch:PutMetricData", { "cloudwatch:namespace": "myapp/Business" })).toBe("Allowed");
        expect(await decide("cloudwatch:PutMetricData", { "cloudwatch:namespace": "AWS/ApplicationELB" })).toBe("ImplicitlyDenied");
        expect(await decide("cloudwatch:PutMetricData", { "cloudwatch:namespace": "myapp/Backup" })).toBe("ImplicitlyDenied");
        expect(await decide("cloudwatch:PutMetricData", {})).toBe("ImplicitlyDenied");
        expect(await decide("cloudwatch:GetMetricData", {})).toBe("ImplicitlyDenied");
    });
});

describe("a purpose of the app's role", () => {
    it("is lower-case words joined by dashes, and has one policy", () => {
        expect(checkedPurpose("feature-flags", ["business-metrics"])).toBe("feature-flags");
        expect(() => checkedPurpose("Feature Flags", [])).toThrow('AppIdentity: the purpose "Feature Flags" must be lower-case words joined by dashes, such as feature-flags.');
        expect(() => checkedPurpose("business-metrics", ["business-metrics"])).toThrow("AppIdentity: the role already has a business-metrics policy; give each purpose one policy.");
    });
});
