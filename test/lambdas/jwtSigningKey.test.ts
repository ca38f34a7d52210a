import { PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { steps } from "../../lambdas/jwt-signing-key";
import { KEY_BYTES, parseJwtKeys, rotateJwtKeys } from "../../lambdas/jwt-signing-key/key";
import { rotationHandler } from "../../lambdas/shared/rotation";
import { FakeSecretsManager, runRotation } from "./fakeSecretsManager";

const SECRET = "myapp/production/SECRET_KEY";
const K0 = Buffer.alloc(32, 1).toString("base64");
const INITIAL = JSON.stringify({ current: K0, previous: K0 });

function setup(): { sm: FakeSecretsManager; handler: ReturnType<typeof rotationHandler> } {
    const sm = new FakeSecretsManager();
    sm.create(SECRET, INITIAL);
    return { sm, handler: rotationHandler(sm.client, steps) };
}

describe("JWT signing key value", () => {
    it("parses a value with two 256-bit keys", () => {
        expect(parseJwtKeys(INITIAL)).toEqual({ current: K0, previous: K0 });
        expect(KEY_BYTES).toBe(32);
    });

    it("refuses keys of another length and values that are not JSON", () => {
        const short = Buffer.alloc(16, 1).toString("base64");
        expect(() => parseJwtKeys(JSON.stringify({ current: short, previous: K0 }))).toThrow('The JWT key secret\'s "current" is not 32 bytes of base64.');
        expect(() => parseJwtKeys("plain-key")).toThrow('The JWT key secret is not JSON {"current", "previous"}.');
    });

    it("keeps the signing key as previous when rotating, with a fresh random key", () => {
        const next = rotateJwtKeys({ current: K0, previous: K0 });
        expect(next.previous).toBe(K0);
        expect(Buffer.from(next.current, "base64")).toHaveLength(32);
        expect(next.current).not.toBe(K0);
        expect(rotateJwtKeys({ current: K0, previous: K0 }).current).not.toBe(next.current);
    });
});

describe("JWT signing key rotation", () => {
    it("signs with a new key and keeps the old one readable as previous (and as AWSPREVIOUS)", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await runRotation(handler, SECRET, "t1");
        const now = parseJwtKeys(sm.valueAt(SECRET, "AWSCURRENT")!);
        expect(now.previous).toBe(K0);
        expect(now.current).not.toBe(K0);
        expect(sm.valueAt(SECRET, "AWSPREVIOUS")).toBe(INITIAL);
        expect(sm.stages(SECRET)).toEqual({ v0: ["AWSPREVIOUS"], t1: ["AWSCURRENT", "AWSPENDING"] });
    });

    it("drops the key from two rotations ago only on the second rotation", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await runRotation(handler, SECRET, "t1");
        const first = parseJwtKeys(sm.valueAt(SECRET, "AWSCURRENT")!);
        sm.startRotation(SECRET, "t2");
        await runRotation(handler, SECRET, "t2");
        const second = parseJwtKeys(sm.valueAt(SECRET, "AWSCURRENT")!);
        expect(second.previous).toBe(first.current);
        expect([second.current, second.previous]).not.toContain(K0);
    });

    it("keeps the pending key on a retried createSecret", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        const pending = sm.valueAt(SECRET, "AWSPENDING");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        expect(sm.valueAt(SECRET, "AWSPENDING")).toBe(pending);
        expect(sm.mock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    });

    it("fails testSecret, leaving AWSCURRENT alone, when the pending value would drop the signing key", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        const other = Buffer.alloc(32, 7).toString("base64");
        await sm.client.send(
            new PutSecretValueCommand({ SecretId: SECRET, ClientRequestToken: "t1", SecretString: JSON.stringify({ current: other, previous: other }), VersionStages: ["AWSPENDING"] }),
        );
        await expect(runRotation(handler, SECRET, "t1")).rejects.toThrow(
            "The pending JWT key secret does not keep the current signing key as previous: tokens issued now would stop verifying.",
        );
        expect(sm.valueAt(SECRET, "AWSCURRENT")).toBe(INITIAL);
    });
});

describe("rotation protocol checks", () => {
    it("refuses to run when rotation is off", async () => {
        const sm = new FakeSecretsManager();
        sm.create(SECRET, INITIAL, false);
        sm.startRotation(SECRET, "t1");
        await expect(rotationHandler(sm.client, steps)({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" })).rejects.toThrow(
            `Secret ${SECRET} does not have rotation enabled.`,
        );
    });

    it("refuses a token that is not a version of the secret", async () => {
        const { handler } = setup();
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "nope", Step: "createSecret" })).rejects.toThrow(
            `Secret ${SECRET} has no version nope to rotate to.`,
        );
    });

    it("refuses a version that is not AWSPENDING", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await runRotation(handler, SECRET, "t1");
        sm.startRotation(SECRET, "t2");
        // t1 is now AWSCURRENT only after t2 took AWSPENDING; make v0 (AWSPREVIOUS) the target.
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "v0", Step: "setSecret" })).rejects.toThrow(`Version v0 of secret ${SECRET} is not AWSPENDING.`);
    });

    it("does nothing when the version is already AWSCURRENT (a retried, finished rotation)", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await runRotation(handler, SECRET, "t1");
        sm.mock.resetHistory();
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "finishSecret" });
        expect(sm.calls()).toEqual(["DescribeSecretCommand"]);
    });

    it("refuses an unknown step", async () => {
        const { handler } = setup();
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "v0", Step: "dropSecret" as never })).rejects.toThrow("Unknown rotation step dropSecret.");
    });
});
