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
        const smMock = mockClient(sm);
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
        const lines: string[] = [];

        const result = await checkAges({ sm, log: (l) => lines.push(l), prefix: "myapp/production/", namespace: "myapp/Secrets", now: () => NOW });

        expect(result).toEqual({ overdue: ["myapp/production/EXTERNAL_API_KEY"] });
        expect(smMock.commandCalls(ListSecretsCommand)[0]!.args[0].input.Filters).toEqual([{ Key: "name", Values: ["myapp/production/"] }]);
        expect(smMock.commandCalls(ListSecretVersionIdsCommand).map((c) => c.args[0].input.SecretId)).toEqual(["arn:db", "arn:api"]);
        const meta = (dimensions: string[][], name: string, unit: string) => ({
            Timestamp: NOW.getTime(),
            CloudWatchMetrics: [{ Namespace: "myapp/Secrets", Dimensions: dimensions, Metrics: [{ Name: name, Unit: unit }] }],
        });
        expect(lines.map((l) => JSON.parse(l))).toEqual([
            { _aws: meta([["SecretsPrefix"]], "OverdueSecrets", "Count"), SecretsPrefix: "myapp/production/", OverdueSecrets: 1 },
            {
                _aws: meta([["SecretsPrefix", "SecretName"]], "SecretAgeDays", "None"),
                SecretsPrefix: "myapp/production/",
                SecretName: "myapp/production/DATABASE_URL",
                SecretAgeDays: 30,
                PeriodDays: 90,
            },
            {
                _aws: meta([["SecretsPrefix", "SecretName"]], "SecretAgeDays", "None"),
                SecretsPrefix: "myapp/production/",
                SecretName: "myapp/production/EXTERNAL_API_KEY",
                SecretAgeDays: 181,
                PeriodDays: 180,
            },
        ]);
    });

    it("publishes zero overdue when every secret is within its period", async () => {
        const sm = new SecretsManagerClient({ region: "us-east-1" });
        mockClient(sm)
            .on(ListSecretsCommand)
            .resolves({ SecretList: [{ Name: "myapp/staging/SECRET_KEY", ARN: "arn:jwt", Tags: [{ Key: "rotation-period-days", Value: "365" }] }] })
            .on(ListSecretVersionIdsCommand)
            .resolves({ Versions: [{ VersionStages: ["AWSCURRENT"], CreatedDate: daysAgo(365) }] });
        const lines: string[] = [];
        await expect(checkAges({ sm, log: (l) => lines.push(l), prefix: "myapp/staging/", namespace: "ns", now: () => NOW })).resolves.toEqual({ overdue: [] });
        expect(JSON.parse(lines[0]!)).toEqual(expect.objectContaining({ OverdueSecrets: 0 }));
    });
});
