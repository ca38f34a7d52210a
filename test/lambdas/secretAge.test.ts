import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ListSecretVersionIdsCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { checkAges } from "../../lambdas/secret-age";
import { periodFromTag, secretAge } from "../../lambdas/secret-age/age";

const NOW = new Date("2026-11-28T12:00:00Z");
const daysAgo = (d: number): Date => new Date(NOW.getTime() - d * 86400000);

describe("secret age", () => {
    it("is overdue only once older than its period", () => {
        expect(secretAge("a", daysAgo(180), 180, NOW)).toEqual({ name: "a", ageDays: 180, periodDays: 180, overdue: false });
        expect(secretAge("a", daysAgo(181), 180, NOW).overdue).toBe(true);
    });

    it("reads periods only from positive integer tags", () => {
        expect(periodFromTag("90")).toBe(90);
        expect(periodFromTag(undefined)).toBeUndefined();
        expect(periodFromTag("0")).toBeUndefined();
        expect(periodFromTag("90d")).toBeUndefined();
    });
});

describe("secret age check", () => {
    it("publishes the overdue count and each secret's age, across pages, skipping untagged and foreign secrets", async () => {
        const sm = new SecretsManagerClient({ region: "us-east-1" });
        const cw = new CloudWatchClient({ region: "us-east-1" });
        const smMock = mockClient(sm);
        const cwMock = mockClient(cw);
        const tag = (days: string) => [{ Key: "rotation-period-days", Value: days }];
        smMock
            .on(ListSecretsCommand, { NextToken: undefined })
            .resolves({
                SecretList: [
                    { Name: "myapp/production/DATABASE_URL", ARN: "arn:db", Tags: tag("90") },
                    { Name: "myapp/production/REDIS_URL", ARN: "arn:redis" },
                    { Name: "myapp/production-old/X", ARN: "arn:foreign", Tags: tag("1") },
                ],
                NextToken: "p2",
            })
            .on(ListSecretsCommand, { NextToken: "p2" })
            .resolves({ SecretList: [{ Name: "myapp/production/EXTERNAL_API_KEY", ARN: "arn:api", Tags: tag("180") }] });
        smMock
            .on(ListSecretVersionIdsCommand, { SecretId: "arn:db" })
            .resolves({ Versions: [{ VersionStages: ["AWSPREVIOUS"], CreatedDate: daysAgo(200) }, { VersionStages: ["AWSCURRENT"], CreatedDate: daysAgo(30) }] })
            .on(ListSecretVersionIdsCommand, { SecretId: "arn:api" })
            .resolves({ Versions: [{ VersionStages: ["AWSCURRENT"], CreatedDate: daysAgo(181) }] });
        cwMock.on(PutMetricDataCommand).resolves({});

        const result = await checkAges({ sm, cw, prefix: "myapp/production/", namespace: "myapp/Secrets", now: () => NOW });

        expect(result).toEqual({ overdue: ["myapp/production/EXTERNAL_API_KEY"] });
        expect(smMock.commandCalls(ListSecretsCommand)[0]!.args[0].input.Filters).toEqual([{ Key: "name", Values: ["myapp/production/"] }]);
        expect(smMock.commandCalls(ListSecretVersionIdsCommand).map((c) => c.args[0].input.SecretId)).toEqual(["arn:db", "arn:api"]);
        const prefix = { Name: "SecretsPrefix", Value: "myapp/production/" };
        expect(cwMock.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input)).toEqual([
            {
                Namespace: "myapp/Secrets",
                MetricData: [
                    { MetricName: "OverdueSecrets", Dimensions: [prefix], Value: 1, Unit: "Count" },
                    { MetricName: "SecretAgeDays", Dimensions: [prefix, { Name: "SecretName", Value: "myapp/production/DATABASE_URL" }], Value: 30, Unit: "None" },
                    { MetricName: "SecretAgeDays", Dimensions: [prefix, { Name: "SecretName", Value: "myapp/production/EXTERNAL_API_KEY" }], Value: 181, Unit: "None" },
                ],
            },
        ]);
    });

    it("publishes zero overdue when every secret is within its period", async () => {
        const sm = new SecretsManagerClient({ region: "us-east-1" });
        const cw = new CloudWatchClient({ region: "us-east-1" });
        mockClient(sm)
            .on(ListSecretsCommand)
            .resolves({ SecretList: [{ Name: "myapp/staging/SECRET_KEY", ARN: "arn:jwt", Tags: [{ Key: "rotation-period-days", Value: "365" }] }] })
            .on(ListSecretVersionIdsCommand)
            .resolves({ Versions: [{ VersionStages: ["AWSCURRENT"], CreatedDate: daysAgo(365) }] });
        const cwMock = mockClient(cw).on(PutMetricDataCommand).resolves({});
        await expect(checkAges({ sm, cw, prefix: "myapp/staging/", namespace: "ns", now: () => NOW })).resolves.toEqual({ overdue: [] });
        expect(cwMock.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData![0]!.Value).toBe(0);
    });
});
