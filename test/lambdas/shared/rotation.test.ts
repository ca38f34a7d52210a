import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { RotationError, RotationSteps, finishSecret, getSecretString, getSecretVersion, rotationHandler } from "../../../lambdas/shared/rotation";
import { FakeSecretsManager } from "../fakeSecretsManager";

/** The protocol's edges: the service's answers with fields missing, and what a retried step does. The whole rotation is in test/lambdas/rotation.test.ts. */

const SECRET = "myapp/production/SECRET_KEY";

function mocked() {
    const sm = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    return { sm, mock: mockClient(sm) };
}

describe("RotationError", () => {
    it("is named so in Secrets Manager's and Lambda's logs", () => {
        expect(new RotationError("x").name).toBe("RotationError");
        expect(String(new RotationError("refused"))).toBe("RotationError: refused");
    });
});

describe("getSecretVersion", () => {
    it("asks for the version by id as well as by label: another version's AWSPENDING is not this rotation's", async () => {
        const sm = new FakeSecretsManager();
        sm.create(SECRET, "v0-value");
        sm.startRotation(SECRET, "t1");
        expect(await getSecretString(sm.client, SECRET, "AWSPENDING", "t2")).toBeUndefined();
        expect(sm.mock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: SECRET, VersionStage: "AWSPENDING", VersionId: "t2" }]);
    });

    it("takes the version id the service names, else the one asked for, else none", async () => {
        const a = mocked();
        a.mock.on(GetSecretValueCommand).resolves({ SecretString: "x" });
        expect(await getSecretVersion(a.sm, SECRET, "AWSPENDING", "t1")).toEqual({ versionId: "t1", value: "x" });
        expect(await getSecretVersion(a.sm, SECRET, "AWSCURRENT")).toEqual({ versionId: "", value: "x" });
        const b = mocked();
        const created = new Date("2026-01-01T00:00:00Z");
        b.mock.on(GetSecretValueCommand).resolves({ VersionId: "v0", SecretString: "x", CreatedDate: created });
        expect(await getSecretVersion(b.sm, SECRET, "AWSCURRENT", "t1")).toEqual({ versionId: "v0", value: "x", createdDate: created });
    });
});

describe("finishSecret", () => {
    it("moves nothing when this rotation's version is already AWSCURRENT", async () => {
        const { sm, mock } = mocked();
        mock.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT"] } });
        await finishSecret({ sm, secretId: SECRET, token: "t1" });
        expect(mock.commandCalls(UpdateSecretVersionStageCommand)).toEqual([]);
    });

    it("reads versions the service lists without labels, and moves AWSCURRENT from the version that has it", async () => {
        const { sm, mock } = mocked();
        mock.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { old: undefined as unknown as string[], v0: ["AWSCURRENT"], t1: ["AWSPENDING"] } });
        mock.on(UpdateSecretVersionStageCommand).resolves({});
        await finishSecret({ sm, secretId: SECRET, token: "t1" });
        expect(mock.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: SECRET, VersionStage: "AWSCURRENT", MoveToVersionId: "t1", RemoveFromVersionId: "v0" }]);
    });

    it("moves AWSCURRENT without RemoveFromVersionId when no version has it", async () => {
        const { sm, mock } = mocked();
        mock.on(DescribeSecretCommand).resolves({});
        mock.on(UpdateSecretVersionStageCommand).resolves({});
        await finishSecret({ sm, secretId: SECRET, token: "t1" });
        expect(mock.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: SECRET, VersionStage: "AWSCURRENT", MoveToVersionId: "t1" }]);
    });
});

describe("rotationHandler", () => {
    const noSteps = (seen: string[]): RotationSteps => ({
        createSecret: async () => void seen.push("createSecret"),
        setSecret: async () => void seen.push("setSecret"),
        testSecret: async () => void seen.push("testSecret"),
        afterFinish: async () => void seen.push("afterFinish"),
    });

    it("refuses a secret the service lists no versions of", async () => {
        const { sm, mock } = mocked();
        mock.on(DescribeSecretCommand).resolves({ RotationEnabled: true });
        await expect(rotationHandler(sm, noSteps([]))({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toThrow(`Secret ${SECRET} has no version t1 to rotate to.`);
    });

    it("runs afterFinish again only for a retried finishSecret, not for the other steps of a finished rotation", async () => {
        const { sm, mock } = mocked();
        mock.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { t1: ["AWSCURRENT"] } });
        const seen: string[] = [];
        const handler = rotationHandler(sm, noSteps(seen));
        for (const Step of ["createSecret", "setSecret", "testSecret"] as const) await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step });
        expect(seen).toEqual([]);
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "finishSecret" });
        expect(seen).toEqual(["afterFinish"]);
    });
});
