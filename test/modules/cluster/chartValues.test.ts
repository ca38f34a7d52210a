import { HELM_KEEP, externalSecretsValues } from "../../../modules/cluster/chartValues";
import { PlanQuery } from "../../helpers/plan";

// Each key as the pinned chart version reads it: external-secrets 2.8.0 values.yaml (`crds.annotations`,
// rendered onto every CRD by hack/helm.generate.sh).
describe("External Secrets' chart values", () => {
    it("keep the CRDs when the release is uninstalled or replaced (helm.sh/resource-policy: keep)", () => {
        expect(HELM_KEEP).toEqual({ "helm.sh/resource-policy": "keep" });
        expect(externalSecretsValues("external-secrets")).toEqual({
            installCRDs: true,
            crds: { annotations: { "helm.sh/resource-policy": "keep" } },
            serviceAccount: { create: true, name: "external-secrets" },
        });
    });
});

describe.each(["staging", "production", "production-dr"])("the %s controllers' releases", (stack) => {
    const releases = PlanQuery.of(stack).allOf("kubernetes:helm.sh/v3:Release");
    const values = (chart: string) => releases.find((r) => r.inputs["chart"] === chart)!.inputs["values"] as Record<string, unknown>;

    it("get those values", () => {
        expect(values("external-secrets")).toEqual(externalSecretsValues("external-secrets"));
    });
});
