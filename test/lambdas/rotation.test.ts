import {
    DecryptionFailure,
    GetSecretValueCommand,
    InternalServiceError,
    PutSecretValueCommand,
    ResourceExistsException,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { jwtSteps } from "../../lambdas/jwt-signing-key";
import { RotationSteps, getSecretString, rotationHandler } from "../../lambdas/shared/rotation";
import { FakeSecretsManager } from "./fakeSecretsManager";

/**
 * The protocol every rotation shares (lambdas/shared/rotation.ts), driven through the JWT key's
 * steps (they touch nothing but Secrets Manager), against a fake as strict as the service.
 */

const SECRET = "myapp/production/SECRET_KEY";
const key = (n: number) => Buffer.alloc(32, n).toString("base64");
const INITIAL = JSON.stringify({ current: key(1), next: key(2), previous: key(1) });
const meta = { $metadata: {} };

function setup(rotationEnabled = true) {
    const sm = new FakeSecretsManager();
    sm.create(SECRET, INITIAL, rotationEnabled);
    const later = new Date(sm.now.getTime() + 365 * 24 * 3600 * 1000);
    const steps = jwtSteps({ minNextKeyAgeSeconds: 7200, now: () => later });
    sm.now = later;
    return { sm, steps, handler: rotationHandler(sm.client, steps) };
}

describe("createSecret", () => {
    it("writes the new version as AWSPENDING only: AWSCURRENT stays on the old value until finishSecret", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        expect(sm.mock.commandCalls(PutSecretValueCommand).map((c) => ({ ...c.args[0].input, SecretString: "(new value)" }))).toEqual([
            { SecretId: SECRET, ClientRequestToken: "t1", SecretString: "(new value)", VersionStages: ["AWSPENDING"] },
        ]);
        expect(sm.stages(SECRET)).toEqual({ v0: ["AWSCURRENT"], t1: ["AWSPENDING"] });
        expect(sm.valueAt(SECRET, "AWSCURRENT")).toBe(INITIAL);
    });

    it.each([
        ["KMS refusing the key (DecryptionFailure)", () => new DecryptionFailure({ message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.", ...meta })],
        ["a service error", () => new InternalServiceError({ message: "An error occurred on the server side.", ...meta })],
        ["throttling", () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" })],
    ])("does not read %s on the pending version as 'no pending version yet': it fails, and writes no second value", async (_what, error) => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        // A first createSecret wrote the pending keys; its retry cannot read them back.
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        const pending = sm.valueAt(SECRET, "AWSPENDING");
        const e = error();
        sm.failNext("GetSecretValueCommand", e, (i) => i["VersionStage"] === "AWSPENDING");
        sm.mock.resetHistory();
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toBe(e);
        expect(sm.calls()).not.toContain("PutSecretValueCommand");
        expect(sm.valueAt(SECRET, "AWSPENDING")).toBe(pending);
    });

    it("propagates an error reading AWSCURRENT instead of reporting a secret without a current version", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        const e = new DecryptionFailure({ message: "Access to KMS is not allowed", ...meta });
        sm.failNext("GetSecretValueCommand", e, (i) => i["VersionStage"] === "AWSCURRENT");
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toBe(e);
        expect(sm.stages(SECRET)).toEqual({ v0: ["AWSCURRENT"], t1: ["AWSPENDING"] });
    });

    it("reads a missing version as undefined only on ResourceNotFoundException", async () => {
        const { sm } = setup();
        expect(await getSecretString(sm.client, SECRET, "AWSPENDING", "nope")).toBeUndefined();
        sm.failNext("GetSecretValueCommand", new ResourceExistsException({ message: "odd", ...meta }));
        await expect(getSecretString(sm.client, SECRET, "AWSCURRENT")).rejects.toThrow("odd");
    });

    it("keeps a pending value another run already wrote for this token (Secrets Manager's retry) and never tries to overwrite it", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        const first = sm.valueAt(SECRET, "AWSPENDING");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        expect(sm.valueAt(SECRET, "AWSPENDING")).toBe(first);
        // The fake, like the service, refuses another value for the same token.
        await expect(
            sm.client.send(new PutSecretValueCommand({ SecretId: SECRET, ClientRequestToken: "t1", SecretString: "other", VersionStages: ["AWSPENDING"] })),
        ).rejects.toBeInstanceOf(ResourceExistsException);
    });
});

describe("reading versions", () => {
    it("says when a step runs before createSecret wrote the pending value", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "testSecret" })).rejects.toThrow(`Secret ${SECRET} has no AWSPENDING version t1: createSecret has not run.`);
    });

    it("says when the secret has no AWSCURRENT version", async () => {
        const { sm, handler } = setup();
        await sm.client.send(new UpdateSecretVersionStageCommand({ SecretId: SECRET, VersionStage: "AWSCURRENT", RemoveFromVersionId: "v0" }));
        sm.startRotation(SECRET, "t1");
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toThrow(`Secret ${SECRET} has no AWSCURRENT version.`);
    });

    it("refuses a binary secret", async () => {
        const client = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        mockClient(client).on(GetSecretValueCommand).resolves({ VersionId: "v0", SecretBinary: new Uint8Array([1]) });
        await expect(getSecretString(client, SECRET, "AWSCURRENT")).rejects.toThrow(`Secret ${SECRET} (AWSCURRENT) has no SecretString; binary secrets are not rotated here.`);
    });
});

describe("finishSecret", () => {
    it("moves AWSCURRENT to the new version and AWSPREVIOUS to the old one; the service then takes AWSPENDING off", async () => {
        const { sm, handler } = setup();
        await sm.rotate(handler, SECRET, "t1");
        expect(sm.mock.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([
            { SecretId: SECRET, VersionStage: "AWSCURRENT", MoveToVersionId: "t1", RemoveFromVersionId: "v0" },
        ]);
        expect(sm.stages(SECRET)).toEqual({ v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT"] });
    });

    it("leaves AWSCURRENT on the old value when moving the label fails, and a retry finishes", async () => {
        const { sm, handler } = setup();
        sm.failNext("UpdateSecretVersionStageCommand", new InternalServiceError({ message: "An error occurred on the server side.", ...meta }));
        await expect(sm.rotate(handler, SECRET, "t1")).rejects.toThrow("An error occurred on the server side.");
        expect(sm.valueAt(SECRET, "AWSCURRENT")).toBe(INITIAL);
        await sm.resume(handler, SECRET, "t1");
        expect(sm.stages(SECRET)).toEqual({ v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT"] });
    });

    it("runs afterFinish after the move, and again on a retried finishSecret (which moves nothing)", async () => {
        const { sm, steps } = setup();
        const seen: string[] = [];
        const withHook: RotationSteps = { ...steps, afterFinish: async (ctx) => void seen.push(String(await getSecretString(ctx.sm, ctx.secretId, "AWSCURRENT") === INITIAL)) };
        const handler = rotationHandler(sm.client, withHook);
        await sm.rotate(handler, SECRET, "t1");
        sm.mock.resetHistory();
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "finishSecret" });
        expect(seen).toEqual(["false", "false"]);
        expect(sm.calls()).not.toContain("UpdateSecretVersionStageCommand");
    });
});

describe("the handler's checks (AWS's rotation templates)", () => {
    it("refuses to run when rotation is off", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        sm.disableRotation(SECRET);
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toThrow(`Secret ${SECRET} does not have rotation enabled.`);
    });

    it("refuses a token that is not a version of the secret", async () => {
        const { handler } = setup();
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "nope", Step: "createSecret" })).rejects.toThrow(`Secret ${SECRET} has no version nope to rotate to.`);
    });

    it("refuses a version that is not AWSPENDING", async () => {
        const { sm, handler } = setup();
        await sm.rotate(handler, SECRET, "t1");
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "v0", Step: "setSecret" })).rejects.toThrow(`Version v0 of secret ${SECRET} is not AWSPENDING.`);
    });

    it("does nothing when the version is already AWSCURRENT (a retried, finished rotation)", async () => {
        const { sm, handler } = setup();
        await sm.rotate(handler, SECRET, "t1");
        sm.mock.resetHistory();
        for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step });
        expect(sm.calls()).toEqual(["DescribeSecretCommand", "DescribeSecretCommand", "DescribeSecretCommand", "DescribeSecretCommand"]);
    });

    it("refuses an unknown step", async () => {
        const { handler } = setup();
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "v0", Step: "dropSecret" as never })).rejects.toThrow("Unknown rotation step dropSecret.");
    });
});

describe("the fake Secrets Manager is as strict as the service", () => {
    it("refuses a new rotation while a failed one left AWSPENDING on another version, and accepts the retry of that one", async () => {
        const { sm, handler } = setup();
        sm.failNext("PutSecretValueCommand", new InternalServiceError({ message: "boom", ...meta }));
        await expect(sm.rotate(handler, SECRET, "t1")).rejects.toThrow("boom");
        expect(() => sm.startRotation(SECRET, "t2")).toThrow("A previous rotation isn't complete. That rotation will be reattempted.");
        expect(() => sm.startRotation(SECRET, "t1")).not.toThrow();
        await sm.resume(handler, SECRET, "t1");
        expect(() => sm.startRotation(SECRET, "t2")).not.toThrow();
    });

    it("refuses to move a label held by another version unless RemoveFromVersionId names it", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        await expect(sm.client.send(new UpdateSecretVersionStageCommand({ SecretId: SECRET, VersionStage: "AWSCURRENT", MoveToVersionId: "t1" }))).rejects.toThrow(
            "The parameter RemoveFromVersionId doesn't match the current version that AWSCURRENT is attached to (v0).",
        );
        await expect(sm.client.send(new UpdateSecretVersionStageCommand({ SecretId: SECRET, VersionStage: "AWSPREVIOUS", RemoveFromVersionId: "v0" }))).rejects.toThrow(
            "The staging label AWSPREVIOUS is not attached to version v0.",
        );
    });

    it("answers GetSecretValue only when VersionId and VersionStage name the same version", async () => {
        const { sm, handler } = setup();
        await sm.rotate(handler, SECRET, "t1");
        await expect(sm.client.send(new GetSecretValueCommand({ SecretId: SECRET, VersionId: "v0", VersionStage: "AWSCURRENT" }))).rejects.toThrow(/can't find/);
        expect((await sm.client.send(new GetSecretValueCommand({ SecretId: SECRET, VersionId: "v0", VersionStage: "AWSPREVIOUS" }))).SecretString).toBe(INITIAL);
    });
});
