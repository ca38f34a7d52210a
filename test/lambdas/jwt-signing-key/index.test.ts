import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { DEFAULT_MIN_NEXT_KEY_AGE_SECONDS, jwtSteps, minAgeFromEnv } from "../../../lambdas/jwt-signing-key";
import { FakeSecretsManager } from "../fakeSecretsManager";
import { lambdaWithEnv, secretsManagerOf } from "../lambdaEnv";

/** The Lambda's entry point: the wait before a `next` key signs, from its environment. */

const SECRET = "myapp/production/SECRET_KEY";
const key = (n: number) => Buffer.alloc(32, n).toString("base64");
const INITIAL = JSON.stringify({ current: key(1), next: key(2), previous: key(1) });
const DAY = 24 * 3600 * 1000;

describe("MIN_NEXT_KEY_AGE_SECONDS", () => {
    it.each<[string | undefined, number]>([
        [undefined, DEFAULT_MIN_NEXT_KEY_AGE_SECONDS],
        ["0", 0],
        ["60", 60],
        ["7200", 7200],
        ["", DEFAULT_MIN_NEXT_KEY_AGE_SECONDS],
        [" ", DEFAULT_MIN_NEXT_KEY_AGE_SECONDS],
        ["-1", DEFAULT_MIN_NEXT_KEY_AGE_SECONDS],
        ["1.5", DEFAULT_MIN_NEXT_KEY_AGE_SECONDS],
        ["60s", DEFAULT_MIN_NEXT_KEY_AGE_SECONDS],
        ["1e3", DEFAULT_MIN_NEXT_KEY_AGE_SECONDS],
    ])("reads %j as %d seconds", (value, seconds) => {
        expect(DEFAULT_MIN_NEXT_KEY_AGE_SECONDS).toBe(7200);
        expect(minAgeFromEnv(value)).toBe(seconds);
    });
});

describe("the handler", () => {
    /** Rotates once (the published `next` is a year old), then again at once (the new `next` is seconds old). */
    async function rotateTwice(env: Record<string, string>): Promise<void> {
        const sm = new FakeSecretsManager();
        sm.now = new Date(Date.now() - 365 * DAY);
        sm.create(SECRET, INITIAL);
        const { handler } = lambdaWithEnv<typeof import("../../../lambdas/jwt-signing-key")>("jwt-signing-key", env, [secretsManagerOf(sm.client)]);
        sm.now = new Date();
        await sm.rotate(handler, SECRET, "t1");
        await sm.rotate(handler, SECRET, "t2");
    }

    it("waits the default two hours without MIN_NEXT_KEY_AGE_SECONDS", async () => {
        await expect(rotateTwice({})).rejects.toThrow(/^The next JWT key was published 0 minutes ago; it signs no sooner than 120 minutes after/);
    });

    it("takes MIN_NEXT_KEY_AGE_SECONDS from its environment", async () => {
        await expect(rotateTwice({ MIN_NEXT_KEY_AGE_SECONDS: "0" })).resolves.toBeUndefined();
    });
});

describe("createSecret's wait", () => {
    const ctx = (sm: SecretsManagerClient) => ({ sm, secretId: SECRET, token: "t1" });

    it("does not wait on a value from before `next` existed: nothing is promoted", async () => {
        const sm = new FakeSecretsManager();
        sm.create(SECRET, JSON.stringify({ current: key(1), previous: key(1) }));
        sm.startRotation(SECRET, "t1");
        await jwtSteps({ minNextKeyAgeSeconds: 7200, now: () => sm.now }).createSecret(ctx(sm.client));
        expect(JSON.parse(sm.valueAt(SECRET, "AWSPENDING")!)).toMatchObject({ current: key(1), previous: key(1) });
    });

    it("refuses to promote a next key of a version without a creation date, even with no wait", async () => {
        const client = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        const mock = mockClient(client);
        mock.on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" }).resolves({ VersionId: "v0", SecretString: INITIAL });
        mock.on(GetSecretValueCommand, { VersionStage: "AWSPENDING" }).rejects(new ResourceNotFoundException({ message: "none", $metadata: {} }));
        await expect(jwtSteps({ minNextKeyAgeSeconds: 0, now: () => new Date() }).createSecret(ctx(client))).rejects.toThrow(
            "The next JWT key was published at an unknown time ago; it signs no sooner than 0 minutes after, once every pod can hold it. Rotate again later (docs/runbooks/secret-overdue.md).",
        );
        expect(mock.commandCalls(PutSecretValueCommand)).toEqual([]);
    });
});
