import { SettingsError } from "../../settings/errors";
import { PlanQuery } from "../helpers/plan";
import { planWith } from "../helpers/planWith";
import { DR_REBUILD_ENV, SECRET_SENTINELS } from "../helpers/stacks";

/** The secrets settings reach the resources: periods, refresh interval, replication, key window. */
describe("secrets settings on a plan", () => {
    it("take the rotation periods, refresh interval, replication and key deletion window from settings", async () => {
        const plan = await planWith({
            stack: "staging",
            env: {
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
        const urlSecret = q.ofType("aws:secretsmanager/secret:Secret").find((s) => s.inputs["name"] === "myapp/staging/DATABASE_URL")!;
        expect((urlSecret.inputs["replicas"] as Array<{ region: string }>).map((r) => r.region)).toEqual(["us-west-2"]);
        expect(urlSecret.inputs["tags"]).toEqual({ "rotation-period-days": "30" });
        const keys = q.ofType("aws:kms/key:Key");
        // modules/keys' five, and the cluster's and the registry's own.
        expect(keys.map((k) => k.inputs["deletionWindowInDays"])).toEqual([7, 7, 7, 7, 7, 7, 7]);
        expect(JSON.stringify(plan)).not.toContain("sentinel-in-process-41d2");
    });

    it("give every key of a stack, the DR rebuild's us-east-1 alert key included, the deletion window of secrets.keyDeletionWindowDays", async () => {
        const q = new PlanQuery(await planWith({ stack: "production-dr", env: { ...SECRET_SENTINELS, ...DR_REBUILD_ENV, OPS_SECRETS__KEY_DELETION_WINDOW_DAYS: "7" } }));
        const keys = q.ofType("aws:kms/key:Key");
        // modules/keys' five, the alert key, and the cluster's and the registry's own.
        expect(keys.map((k) => [k.name, k.inputs["deletionWindowInDays"]])).toEqual([
            ["myapp-production-keys-secrets", 7],
            ["myapp-production-keys-data", 7],
            ["myapp-production-keys-logs", 7],
            ["myapp-production-keys-dr-secrets", 7],
            ["myapp-production-keys-dr-data", 7],
            ["myapp-production-secrets", 7],
            ["myapp-production-images", 7],
            ["myapp-production-dr-alerts-us-east-1", 7],
        ]);
    });

    it("stops a cloud stack without the external API key, saying how to set it", async () => {
        const run = planWith({ stack: "staging", env: {} });
        await expect(run).rejects.toThrow(SettingsError);
        await expect(run).rejects.toThrow(/ops:externalApiKey[\s\S]*pulumi config set --secret externalApiKey <value>/);
    });
});
