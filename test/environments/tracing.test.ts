import { PlanQuery } from "../helpers/plan";

const configOf = (stack: string): Record<string, string> =>
    PlanQuery.of(stack).one("kubernetes:core/v1:ConfigMap", "myapp-config").inputs["data"] as Record<string, string>;

describe("the app's tracing endpoint (runbook 3.4)", () => {
    it.each(["staging", "production", "production-dr"])("%s sends traces to the cluster's collector", (stack) => {
        const q = PlanQuery.of(stack);
        expect(q.plan.outputs["otlpEndpoint"]).toBe("http://adot-collector.opentelemetry.svc.cluster.local:4317");
        expect(configOf(stack)).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: q.plan.outputs["otlpEndpoint"], OTEL_SERVICE_NAME: "myapp" });
    });

    it.each(["dev", "pr-42"])("%s has no collector, and the app is not pointed at one", (stack) => {
        expect(PlanQuery.of(stack).plan.outputs["otlpEndpoint"]).toBeUndefined();
        expect(configOf(stack)["OTEL_EXPORTER_OTLP_ENDPOINT"]).toBeUndefined();
    });
});
