import { ROLLOUT_ALLOWANCE_SECONDS } from "../../modules/secrets/timing";
import { SettingsError } from "../../settings/errors";
import { loadPlan } from "../helpers/plan";
import { PlanQuery } from "../helpers/plan";
import { planWith } from "../helpers/planWith";

/** The secrets settings reach the resources: periods, refresh interval, replication, key window. */
describe("secrets settings on a plan", () => {
    it("take the rotation periods, refresh interval, replication and every key's deletion window from settings", async () => {
        // Staging moved to us-west-2 (its DR region us-east-1), so that it has an alert key in us-east-1 too.
        const plan = await planWith({
            stack: "staging",
            env: {
                OPS_REGION: "us-west-2",
                OPS_DR_REGION: "us-east-1",
                OPS_EXTERNAL_API_KEY: "sentinel-in-process-41d2",
                OPS_ROTATION__DATABASE_PASSWORD_DAYS: "30",
                OPS_ROTATION__API_KEY_DAYS: "60",
                OPS_ROTATION__JWT_SIGNING_KEY_DAYS: "120",
                OPS_SECRETS__REFRESH_INTERVAL: "15m",
                OPS_SECRETS__REPLICATE_TO_DR: "true",
                OPS_SECRETS__KEY_DELETION_WINDOW_DAYS: "7",
            },
        });
        const q = new PlanQuery(plan);
        const days = Object.fromEntries(
            q.ofType("aws:secretsmanager/secretRotation:SecretRotation").map((r) => [r.name, (r.inputs["rotationRules"] as { automaticallyAfterDays: number }).automaticallyAfterDays]),
        );
        expect(days).toEqual({ "myapp-staging-rotate-database-password": 30, "myapp-staging-rotate-jwt-signing-key": 120 });
        expect(q.one("aws:scheduler/schedule:Schedule", "myapp-staging-api-key-reminder").inputs["scheduleExpression"]).toBe("rate(60 days)");
        expect((q.one("kubernetes:external-secrets.io/v1:ExternalSecret").inputs["spec"] as { refreshInterval: string }).refreshInterval).toBe("15m");
        // The JWT rotation publishes a next key for that refresh interval (900 s) plus the rollout allowance before it signs.
        const jwtRotation = q.one("aws:lambda/function:Function", "myapp-staging-rotate-jwt-signing-key");
        expect((jwtRotation.inputs["environment"] as { variables: Record<string, string> }).variables["MIN_NEXT_KEY_AGE_SECONDS"]).toBe(String(900 + ROLLOUT_ALLOWANCE_SECONDS));
        const urlSecret = q.ofType("aws:secretsmanager/secret:Secret").find((s) => s.inputs["name"] === "myapp/staging/DATABASE_URL")!;
        expect((urlSecret.inputs["replicas"] as Array<{ region: string }>).map((r) => r.region)).toEqual(["us-east-1"]);
        expect(urlSecret.inputs["tags"]).toEqual({ "rotation-period-days": "30" });
        // modules/keys' five, the cluster's and the registry's own, and the us-east-1 alert topics' key.
        expect(q.ofType("aws:kms/key:Key").map((k) => [k.name, k.inputs["deletionWindowInDays"]])).toEqual([
            ["myapp-staging-keys-secrets", 7],
            ["myapp-staging-keys-data", 7],
            ["myapp-staging-keys-logs", 7],
            ["myapp-staging-keys-dr-secrets", 7],
            ["myapp-staging-keys-dr-data", 7],
            ["myapp-staging-secrets", 7],
            ["myapp-staging-images", 7],
            ["myapp-staging-alerts-us-east-1", 7],
        ]);
        expect(JSON.stringify(plan)).not.toContain("sentinel-in-process-41d2");
    });

    it("stops a cloud stack without the external API key, saying how to set it", async () => {
        const run = planWith({ stack: "staging", env: {} });
        await expect(run).rejects.toThrow(SettingsError);
        await expect(run).rejects.toThrow(/ops:externalApiKey[\s\S]*pulumi config set --secret externalApiKey <value>/);
    });
});

describe("the order of a cloud stack's first deploy", () => {
    it.each(["staging", "production"])("%s: the SecretStore waits for the database bootstrap, so the migrations Job cannot start before the app role exists", (stack) => {
        const q = new PlanQuery(loadPlan(stack));
        const invocation = q.one("aws:lambda/invocation:Invocation");
        const store = q.one("kubernetes:external-secrets.io/v1:SecretStore");
        expect(store.dependsOn).toContain(invocation.urn);
        // The ExternalSecret reads the store; the migrations Job waits for the ExternalSecret.
        const externalSecret = q.one("kubernetes:external-secrets.io/v1:ExternalSecret");
        expect(externalSecret.dependencies).toContain(store.urn);
        const migrations = q.ofType("kubernetes:batch/v1:Job").filter((j) => j.name.includes("migrat"));
        expect(migrations.length).toBeGreaterThan(0);
        for (const job of migrations) expect([...job.dependsOn, ...job.dependencies]).toContain(externalSecret.urn);
    });
});
