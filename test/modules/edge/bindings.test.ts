import { READINESS_GATE_LABELS } from "../../../modules/edge/bindings";
import { PlanQuery, PlannedResource } from "../../helpers/plan";
import { planWith } from "../../helpers/planWith";
import { SECRET_SENTINELS, deployEnv } from "../../helpers/stacks";

const BINDING = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";

const meta = (r: PlannedResource) => r.inputs["metadata"] as { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };

/** Every URN a resource waits for, through dependsOn and inputs, transitively. */
function waitsFor(q: PlanQuery, r: PlannedResource, seen = new Set<string>()): Set<string> {
    for (const urn of [...(r.dependsOn ?? []), ...(r.dependencies ?? [])]) {
        if (seen.has(urn)) continue;
        seen.add(urn);
        const next = q.byUrn(urn);
        if (next) waitsFor(q, next, seen);
    }
    return seen;
}

// AWS Load Balancer Controller docs, "Pod readiness gate": the webhook injects the readiness gate
// at pod creation, into pods of namespaces labelled elbv2.k8s.aws/pod-readiness-gate-inject:
// enabled that a TargetGroupBinding's Service selects (ip targets only). Without it a rolling
// update can leave the target group with only initial and draining targets: an outage.
describe.each(["staging", "production", "production-dr"])("the %s app's pods and the load balancer", (stack) => {
    const q = PlanQuery.of(stack);
    const namespace = q.one("kubernetes:core/v1:Namespace", "myapp-namespace");

    it("live in a namespace labelled for the controller's readiness gates", () => {
        expect(READINESS_GATE_LABELS).toEqual({ "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" });
        expect(meta(namespace).labels).toMatchObject({ "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" });
    });

    it("are made only once their TargetGroupBinding exists, which waits for the controller and the track's Service", () => {
        const bindings = q.allOf(BINDING);
        const lbc = q.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs["name"] === "aws-load-balancer-controller")!;
        for (const binding of bindings) {
            const track = meta(binding).labels!["track"]!;
            const service = q.ofType(SERVICE).find((s) => meta(s).labels?.["track"] === track)!;
            expect((binding.inputs["spec"] as { targetType: string }).targetType).toBe("ip");
            expect(binding.dependsOn).toEqual(expect.arrayContaining([lbc.urn, service.urn]));
            const deployment = q.ofType(DEPLOYMENT).find((d) => meta(d).labels?.["track"] === track)!;
            expect(deployment.dependsOn).toContain(binding.urn);
            expect(waitsFor(q, deployment)).toContain(service.urn);
            // The binding never waits for the pods it binds.
            expect(waitsFor(q, binding)).not.toContain(deployment.urn);
        }
    });

    it("are selected by Services that Pulumi does not wait on for endpoints (those follow the pods)", () => {
        for (const service of q.allOf(SERVICE).filter((s) => meta(s).namespace === meta(namespace).name)) {
            expect(meta(service).annotations).toEqual({ "pulumi.com/skipAwait": "true" });
        }
    });
});

describe("stacks without the load balancer controller's bindings", () => {
    it.each(["dev", "pr-42"])("%s labels no namespace for readiness gates and binds nothing", (stack) => {
        const q = PlanQuery.of(stack);
        expect(meta(q.one("kubernetes:core/v1:Namespace", "myapp-namespace")).labels).not.toHaveProperty("elbv2.k8s.aws/pod-readiness-gate-inject");
        expect(q.ofType(BINDING)).toEqual([]);
    });
});

describe("every track of a strategy", () => {
    it("gets its binding before its pods (canary: stable and canary)", async () => {
        const deployment = { strategy: "canary", canary: { image: { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/backend", tag: "1.1.0" }, weights: { stable: 90, canary: 10 } } };
        const q = new PlanQuery(await planWith({ stack: "staging", config: { "ops:deployment": JSON.stringify(deployment) }, env: { ...SECRET_SENTINELS, ...deployEnv("staging") } }));
        const bindings = q.ofType(BINDING);
        expect(bindings.map((b) => meta(b).labels!["track"]).sort()).toEqual(["canary", "stable"]);
        for (const binding of bindings) {
            const deployment = q.ofType(DEPLOYMENT).find((d) => meta(d).labels?.["track"] === meta(binding).labels!["track"])!;
            expect(deployment.dependsOn).toContain(binding.urn);
        }
    });
});
