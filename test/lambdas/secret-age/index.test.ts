import { ListSecretVersionIdsCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { measure } from "../../../lambdas/secret-age";
import { lambdaWithEnv, secretsManagerOf, withEnv } from "../lambdaEnv";

/** What the check reads of each secret, the edges of the API's answers, and the Lambda's environment. */

const NOW = new Date("2026-11-28T12:00:00Z");
const daysAgo = (d: number): Date => new Date(NOW.getTime() - d * 86400000);
const PREFIX = "myapp/production/";
const tagged = (days: string) => [{ Key: "rotation-period-days", Value: days }];

function client(): { sm: SecretsManagerClient; mock: ReturnType<typeof mockClient> } {
    const sm = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    return { sm, mock: mockClient(sm) };
}

describe("measure", () => {
    it("skips secrets without a name or an ARN, and reads the period tag among others", async () => {
        const { sm, mock } = client();
        mock.on(ListSecretsCommand).resolves({
            SecretList: [
                { ARN: "arn:nameless", Tags: tagged("1") },
                { Name: `${PREFIX}NO_ARN`, Tags: tagged("1") },
                { Name: `${PREFIX}OTHER_TAGS`, ARN: "arn:other", Tags: [{ Key: "owner", Value: "30" }] },
                { Name: `${PREFIX}A`, ARN: "arn:a", Tags: [{ Key: "owner", Value: "30" }, ...tagged("90")] },
            ],
        });
        mock.on(ListSecretVersionIdsCommand).resolves({ Versions: [{ VersionStages: ["AWSCURRENT"], CreatedDate: daysAgo(10) }] });
        expect(await measure({ sm, log: () => undefined, prefix: PREFIX, namespace: "ns", now: () => NOW })).toEqual([{ name: `${PREFIX}A`, ageDays: 10, periodDays: 90, overdue: false }]);
        expect(mock.commandCalls(ListSecretVersionIdsCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: "arn:a" }]);
    });

    it("takes the secret's own date when no version is AWSCURRENT or the answer lists none", async () => {
        const { sm, mock } = client();
        mock.on(ListSecretsCommand).resolves({
            SecretList: [
                { Name: `${PREFIX}A`, ARN: "arn:a", Tags: tagged("30"), CreatedDate: daysAgo(40) },
                { Name: `${PREFIX}B`, ARN: "arn:b", Tags: tagged("30"), CreatedDate: daysAgo(20) },
            ],
        });
        mock.on(ListSecretVersionIdsCommand, { SecretId: "arn:a" }).resolves({ Versions: [{ CreatedDate: daysAgo(1) }, { VersionStages: ["AWSPREVIOUS"], CreatedDate: daysAgo(2) }] });
        mock.on(ListSecretVersionIdsCommand, { SecretId: "arn:b" }).resolves({});
        expect((await measure({ sm, log: () => undefined, prefix: PREFIX, namespace: "ns", now: () => NOW })).map((a) => [a.name, a.ageDays, a.overdue])).toEqual([
            [`${PREFIX}A`, 40, true],
            [`${PREFIX}B`, 20, false],
        ]);
    });

    it("reads a page that lists no secrets as empty", async () => {
        const { sm, mock } = client();
        mock.on(ListSecretsCommand).resolves({});
        expect(await measure({ sm, log: () => undefined, prefix: PREFIX, namespace: "ns", now: () => NOW })).toEqual([]);
    });

    it("fails on a secret with no date at all, naming it", async () => {
        const { sm, mock } = client();
        mock.on(ListSecretsCommand).resolves({ SecretList: [{ Name: `${PREFIX}A`, ARN: "arn:a", Tags: tagged("30") }] });
        mock.on(ListSecretVersionIdsCommand).resolves({ Versions: [] });
        await expect(measure({ sm, log: () => undefined, prefix: PREFIX, namespace: "ns", now: () => NOW })).rejects.toThrow(`Secret ${PREFIX}A has no current version date.`);
    });

    it("measures against the current time by default", async () => {
        const { sm, mock } = client();
        mock.on(ListSecretsCommand).resolves({ SecretList: [{ Name: `${PREFIX}A`, ARN: "arn:a", Tags: tagged("30"), CreatedDate: new Date(Date.now() - 3 * 86400000 - 60000) }] });
        mock.on(ListSecretVersionIdsCommand).resolves({});
        expect((await measure({ sm, log: () => undefined, prefix: PREFIX, namespace: "ns" })).map((a) => a.ageDays)).toEqual([3]);
    });
});

describe("the handler", () => {
    it("checks the secrets under SECRETS_PREFIX, publishing in METRIC_NAMESPACE on stdout, one JSON record a line", async () => {
        const { sm, mock } = client();
        mock.on(ListSecretsCommand).resolves({ SecretList: [{ Name: `${PREFIX}A`, ARN: "arn:a", Tags: tagged("30"), CreatedDate: new Date(Date.now() - 31 * 86400000) }] });
        mock.on(ListSecretVersionIdsCommand).resolves({});
        const env = { SECRETS_PREFIX: PREFIX, METRIC_NAMESPACE: "myapp/Secrets" };
        const { handler } = lambdaWithEnv<typeof import("../../../lambdas/secret-age")>("secret-age", env, [secretsManagerOf(sm)]);
        const written: string[] = [];
        const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
        try {
            await expect(withEnv(env, () => handler())).resolves.toEqual({ overdue: [`${PREFIX}A`] });
        } finally {
            spy.mockRestore();
        }
        expect(mock.commandCalls(ListSecretsCommand)[0]!.args[0].input.Filters).toEqual([{ Key: "name", Values: [PREFIX] }]);
        expect(written.map((w) => w.endsWith("}\n"))).toEqual([true, true]);
        const records = written.map((w) => JSON.parse(w) as { _aws: { CloudWatchMetrics: { Namespace: string }[] }; SecretsPrefix: string });
        expect(records.map((r) => [r._aws.CloudWatchMetrics[0]!.Namespace, r.SecretsPrefix])).toEqual([
            ["myapp/Secrets", PREFIX],
            ["myapp/Secrets", PREFIX],
        ]);
    });

    it("lists every secret and publishes in no namespace when its environment is empty", async () => {
        const { sm, mock } = client();
        mock.on(ListSecretsCommand).resolves({ SecretList: [] });
        const { handler } = lambdaWithEnv<typeof import("../../../lambdas/secret-age")>("secret-age", {}, [secretsManagerOf(sm)]);
        const written: string[] = [];
        const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
        try {
            await withEnv({}, () => handler());
        } finally {
            spy.mockRestore();
        }
        expect(mock.commandCalls(ListSecretsCommand)[0]!.args[0].input.Filters).toEqual([{ Key: "name", Values: [""] }]);
        expect(JSON.parse(written[0]!)).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: "" }] }, SecretsPrefix: "" });
    });
});
