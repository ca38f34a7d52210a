import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadSettings } from "../../settings/load";
import { stackNames } from "../../environments/names";
import { DEVELOPMENT_EXTERNAL_API_KEY, composeWorkload } from "../../environments/workload";
import { stackShape } from "../../settings/shape";
import { RealisticMocks } from "../../tools/plan/mocks";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { ROOT } from "../helpers/stacks";

/**
 * The secret half of the runbook's environment variables (2.2), which the plan can only show
 * redacted: read here from the Secret's inputs under mocks, in this process.
 */

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply(resolve));
}

async function devSecretValues(env: Record<string, string>): Promise<Record<string, string>> {
    const files = readStackConfig(ROOT, "dev");
    await pulumi.runtime.setMocks(new RealisticMocks("us-east-1"), "ops", "dev", false);
    const settings = loadSettings({ project: "ops", stack: "dev", config: files.config, env });
    const names = stackNames(settings, stackShape(settings));
    const workload = composeWorkload(settings, names, { kubernetes: new k8s.Provider("test-cluster", { context: "kind-ops" }), secrets: { kind: "inCluster" } });
    const stringData = workload.app.secret!.stringData as pulumi.Output<Record<string, string>>;
    return valueOf(pulumi.output(stringData) as pulumi.Output<Record<string, string>>);
}

describe("the app's secret variables on dev", () => {
    it("are DATABASE_URL and REDIS_URL of the in-cluster stores, a 256-bit SECRET_KEY, and a labelled development EXTERNAL_API_KEY", async () => {
        // WHEN externalApiKey is not set
        const values = await devSecretValues({});
        // THEN
        expect(Object.keys(values).sort()).toEqual(["DATABASE_URL", "EXTERNAL_API_KEY", "REDIS_URL", "SECRET_KEY"]);
        expect(values["DATABASE_URL"]).toMatch(/^postgresql:\/\/app:[A-Za-z0-9_-]{32}@postgres\.myapp\.svc\.cluster\.local:5432\/app$/);
        expect(values["REDIS_URL"]).toMatch(/^redis:\/\/:[A-Za-z0-9_-]{32}@redis\.myapp\.svc\.cluster\.local:6379\/0$/);
        expect(Buffer.from(values["SECRET_KEY"]!, "base64")).toHaveLength(32);
        expect(values["EXTERNAL_API_KEY"]).toBe(DEVELOPMENT_EXTERNAL_API_KEY);
        expect(DEVELOPMENT_EXTERNAL_API_KEY).toContain("development-only");
    });
});
