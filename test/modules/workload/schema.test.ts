import { loadSettings } from "../../../settings/load";
import { readStackConfig } from "../../../tools/plan/stackConfig";
import { SCHEMA_KUBERNETES_VERSION, modelPath, validateKubernetesObject, validateKubernetesObjects } from "../../helpers/kubernetesSchema";
import { PlanQuery, PlannedResource } from "../../helpers/plan";
import { ROOT, SECRET_SENTINELS, deployEnv, workloadStacks } from "../../helpers/stacks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plan's JSON, edited by path in a test
type Json = any;

function settingsOf(stack: string): ReturnType<typeof loadSettings> {
    const files = readStackConfig(ROOT, stack);
    const env = { ...SECRET_SENTINELS, ...deployEnv(stack) };
    return loadSettings({ project: files.project, stack, config: files.config, env });
}

describe("Kubernetes objects against the Kubernetes OpenAPI schema", () => {
    // No kubernetes-models release has 1.35's schema (test/helpers/kubernetesSchema.ts): the
    // cluster's minor version or the next one, never an older one.
    it.each(workloadStacks())("the schema's Kubernetes version is the cluster version in settings, or the next minor one, for %s", (stack) => {
        const minor = (v: string) => Number(v.split(".")[1]);
        const cluster = settingsOf(stack).kubernetes.version;
        expect(SCHEMA_KUBERNETES_VERSION.split(".")[0]).toBe(cluster.split(".")[0]);
        expect([0, 1]).toContain(minor(SCHEMA_KUBERNETES_VERSION) - minor(cluster));
    });

    it.each(workloadStacks())("every Kubernetes object of %s validates", (stack) => {
        const objects = PlanQuery.of(stack).ofPackage("kubernetes").filter((r) => r.custom);
        const validations = validateKubernetesObjects(objects);
        const results = objects.map((r, i) => ({ resource: r.name, type: r.type, result: validations[i]! }));
        expect(results.filter((x) => x.result.kind === "invalid")).toEqual([]);
        // Only kinds outside the core API (custom resources, Helm releases) may lack a schema.
        const unvalidated = results.filter((x) => x.result.kind === "no-schema").map((x) => x.type);
        expect(unvalidated.filter((type) => !/^kubernetes:(helm\.sh|[a-z0-9-]+\.(?!k8s\.io)[a-z0-9.-]+)\//.test(type))).toEqual([]);
    });

    it("validates the workload's objects on dev (the validator is not vacuous there)", () => {
        const objects = PlanQuery.of("dev").ofPackage("kubernetes");
        const validations = validateKubernetesObjects(objects);
        const kinds = new Set(objects.filter((_, i) => validations[i]!.kind === "valid").map((r) => r.type));
        expect([...kinds].sort()).toEqual([
            "kubernetes:apps/v1:Deployment",
            "kubernetes:apps/v1:StatefulSet",
            "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            "kubernetes:batch/v1:Job",
            "kubernetes:core/v1:ConfigMap",
            "kubernetes:core/v1:Namespace",
            "kubernetes:core/v1:Secret",
            "kubernetes:core/v1:Service",
            "kubernetes:core/v1:ServiceAccount",
            "kubernetes:policy/v1:PodDisruptionBudget",
        ]);
    });

    it("rejects what the API server would: a wrong type, a value outside an enum, a missing required field", () => {
        // GIVEN the planned Deployment of dev, broken three ways
        const deployment = PlanQuery.of("dev").one("kubernetes:apps/v1:Deployment");
        const broken = (mutate: (spec: Json) => void): PlannedResource => {
            const copy = JSON.parse(JSON.stringify(deployment)) as PlannedResource;
            mutate(copy.inputs["spec"] as Json);
            return copy;
        };
        // THEN each is invalid, with the path of the problem
        const cases: Array<[(s: Json) => void, string]> = [
            [(s) => (s.template.spec.containers[0].ports[0].containerPort = "8000"), "containerPort must be integer"],
            [(s) => (s.strategy.type = "Recreated"), "strategy/type must be equal to one of the allowed values"],
            [(s) => delete s.selector, "data/spec must have required property selector"],
        ];
        const results = validateKubernetesObjects(cases.map(([mutate]) => broken(mutate)));
        cases.forEach(([, message], i) => {
            const result = results[i]!;
            expect(result.kind).toBe("invalid");
            expect(result.kind === "invalid" && result.message).toContain(message);
        });
        expect(validateKubernetesObject(deployment)).toEqual({ kind: "valid" });
    });

    it("maps Pulumi type tokens to the schema's kinds", () => {
        expect(modelPath("kubernetes:core/v1:Service")).toBe("v1/Service");
        expect(modelPath("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toBe("autoscaling/v2/HorizontalPodAutoscaler");
        expect(modelPath("kubernetes:networking.k8s.io/v1:Ingress")).toBe("networking.k8s.io/v1/Ingress");
        expect(modelPath("pulumi:providers:kubernetes")).toBeUndefined();
    });
});
