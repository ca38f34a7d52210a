import { SettingsError } from "../../settings/errors";
import { loadSettings } from "../../settings/load";
import { stackSettingsProblems } from "../../environments/stack";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { PlanQuery } from "../helpers/plan";
import { planWith } from "../helpers/planWith";
import { ROOT, SECRET_SENTINELS, deployEnv } from "../helpers/stacks";

function settings(stack: string, env: Record<string, string> = {}) {
    return loadSettings({ project: "ops", stack, config: readStackConfig(ROOT, stack).config, env: { ...deployEnv(stack), ...env } });
}

describe("the layers' settings checks, before any resource", () => {
    it("find nothing wrong with every stack as its deployment runs it", () => {
        for (const stack of ["dev", "staging", "production", "production-dr", "pr-7"]) {
            expect({ stack, problems: stackSettingsProblems(settings(stack, SECRET_SENTINELS)) }).toEqual({ stack, problems: [] });
        }
    });

    it("report every layer's problem together", () => {
        // GIVEN production without its external API key and with an instance class the connections alarm can't size
        const problems = stackSettingsProblems(settings("production", { OPS_DATABASE__INSTANCE_CLASS: "db.x9.huge" }));
        // THEN both layers speak at once
        expect(problems.map((p) => p.key)).toEqual(["ops:externalApiKey", "ops:alerts.databaseMaxConnections"]);
    });

    it("ask nothing of the cloud layers on dev and previews", () => {
        expect(stackSettingsProblems(settings("dev", { OPS_DATABASE__INSTANCE_CLASS: "db.x9.huge" }))).toEqual([]);
    });

    it("stop the program with all of them before it registers anything", async () => {
        const run = planWith({ stack: "production", env: { OPS_DATABASE__INSTANCE_CLASS: "db.x9.huge" } });
        await expect(run).rejects.toThrow(SettingsError);
        await expect(run).rejects.toThrow(/has 2 configuration problems[\s\S]*ops:externalApiKey[\s\S]*ops:alerts.databaseMaxConnections/);
    });
});

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
