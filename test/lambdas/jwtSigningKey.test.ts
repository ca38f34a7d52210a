import { PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { DEFAULT_MIN_NEXT_KEY_AGE_SECONDS, jwtSteps } from "../../lambdas/jwt-signing-key";
import { JwtKeys, KEY_BYTES, parseJwtKeys, rotateJwtKeys, rotationProblem } from "../../lambdas/jwt-signing-key/key";
import { rotationHandler } from "../../lambdas/shared/rotation";
import { SECRET_KEYS } from "../../modules/secrets/delivery";
import { FakeSecretsManager } from "./fakeSecretsManager";

const SECRET = "myapp/production/SECRET_KEY";
const key = (n: number) => Buffer.alloc(32, n).toString("base64");
const [K0, K1, K2] = [key(1), key(2), key(3)];
/** The value the program writes first: `current` signs, `next` is published, `previous` is `current`. */
const INITIAL = JSON.stringify({ current: K0, next: K1, previous: K0 });
const DAY = 24 * 3600 * 1000;

function setup(value = INITIAL): { sm: FakeSecretsManager; handler: ReturnType<typeof rotationHandler>; clock: { now: Date } } {
    const sm = new FakeSecretsManager();
    sm.create(SECRET, value);
    // The scheduled rotation runs a whole period (365 days) after the value was written.
    const clock = { now: new Date(sm.now.getTime() + 365 * DAY) };
    sm.now = clock.now;
    return { sm, clock, handler: rotationHandler(sm.client, jwtSteps({ minNextKeyAgeSeconds: DEFAULT_MIN_NEXT_KEY_AGE_SECONDS, now: () => clock.now })) };
}

/** What a pod holding `keys` accepts: a token signed with any of its three keys. */
const verifies = (keys: JwtKeys, signingKey: string) => [keys.current, keys.next, keys.previous].includes(signingKey);

describe("JWT signing key value", () => {
    it("parses a value with three 256-bit keys, and the two-key value from before `next` existed", () => {
        expect(parseJwtKeys(INITIAL)).toEqual({ current: K0, next: K1, previous: K0 });
        expect(parseJwtKeys(JSON.stringify({ current: K0, previous: K0 }))).toEqual({ current: K0, previous: K0 });
        expect(KEY_BYTES).toBe(32);
    });

    it("refuses keys of another length and values that are not JSON, never echoing a key", () => {
        const short = Buffer.alloc(16, 1).toString("base64");
        expect(() => parseJwtKeys(JSON.stringify({ current: short, previous: K0 }))).toThrow('The JWT key secret\'s "current" is not 32 bytes of base64.');
        expect(() => parseJwtKeys(JSON.stringify({ current: K0, previous: short }))).toThrow('The JWT key secret\'s "previous" is not 32 bytes of base64.');
        expect(() => parseJwtKeys(JSON.stringify({ current: K0, previous: K0, next: short }))).toThrow('The JWT key secret\'s "next" is not 32 bytes of base64.');
        expect(() => parseJwtKeys(JSON.stringify({ current: `${K0.slice(0, -2)}F=`, previous: K0 }))).toThrow(/"current" is not 32 bytes/);
        expect(() => parseJwtKeys("plain-key")).toThrow('The JWT key secret is not JSON {"current", "next", "previous"}.');
        expect(() => parseJwtKeys("null")).toThrow(/"current" is not 32 bytes/);
        expect(() => parseJwtKeys(JSON.stringify({ current: short, previous: K0 }))).not.toThrow(short);
    });

    it("promotes the published key, keeps the signing key as previous, and publishes a fresh one", () => {
        expect(rotateJwtKeys({ current: K0, next: K1, previous: K0 }, K2)).toEqual({ current: K1, next: K2, previous: K0 });
        const random = rotateJwtKeys({ current: K0, next: K1, previous: K0 });
        expect(Buffer.from(random.next, "base64")).toHaveLength(32);
        expect([K0, K1]).not.toContain(random.next);
        expect(rotateJwtKeys({ current: K0, next: K1, previous: K0 }).next).not.toBe(random.next);
    });

    it("rotates a value from before `next` existed without changing the signing key: it only publishes one", () => {
        expect(rotateJwtKeys({ current: K0, previous: K2 }, K1)).toEqual({ current: K0, next: K1, previous: K2 });
    });

    it.each<[string, JwtKeys, JwtKeys, string | undefined]>([
        ["a promotion", { current: K0, next: K1, previous: K2 }, { current: K1, next: key(9), previous: K0 }, undefined],
        ["a publication", { current: K0, previous: K2 }, { current: K0, next: K1, previous: K2 }, undefined],
        ["no next key", { current: K0, next: K1, previous: K2 }, { current: K1, previous: K0 }, "The pending JWT key secret has no verify-only next key: the rotation after it could not promote a published key."],
        ["a next key seen before", { current: K0, next: K1, previous: K2 }, { current: K1, next: K2, previous: K0 }, "The pending JWT key secret's next key is not new."],
        ["a signing key never published", { current: K0, next: K1, previous: K2 }, { current: key(8), next: key(9), previous: K0 }, "The pending JWT key secret signs with a key that was not published as next: pods without it would reject the new tokens."],
        ["the signing key dropped", { current: K0, next: K1, previous: K2 }, { current: K1, next: key(9), previous: K2 }, "The pending JWT key secret does not keep the current signing key as previous: tokens issued now would stop verifying."],
        ["a new signing key while none was published", { current: K0, previous: K2 }, { current: K1, next: key(9), previous: K0 }, "The pending JWT key secret changes the signing key while no next key was published: pods without it would reject the new tokens."],
        ["a publication that drops previous", { current: K0, previous: K2 }, { current: K0, next: K1, previous: K0 }, "The pending JWT key secret changes the signing key while no next key was published: pods without it would reject the new tokens."],
    ])("testSecret's rule on %s", (_what, current, pending, problem) => {
        expect(rotationProblem(current, pending)).toBe(problem);
    });
});

describe("JWT signing key rotation", () => {
    it("never rejects a token while pods move from one value to the next: old and new pods verify each other's tokens", async () => {
        const { sm, handler, clock } = setup();
        const values: JwtKeys[] = [parseJwtKeys(INITIAL)];
        for (const token of ["t1", "t2", "t3"]) {
            await sm.rotate(handler, SECRET, token);
            values.push(parseJwtKeys(sm.valueAt(SECRET, "AWSCURRENT")!));
            clock.now = sm.now = new Date(clock.now.getTime() + 365 * DAY);
        }
        expect(values.map((v) => v.current)).toEqual([K0, K1, values[2]!.current, values[3]!.current]);
        for (let i = 1; i < values.length; i++) {
            const [before, after] = [values[i - 1]!, values[i]!];
            // The new signing key was published a whole period earlier, and the old one stays.
            expect(after.current).toBe(before.next);
            expect(after.previous).toBe(before.current);
            expect(verifies(before, after.current)).toBe(true);
            expect(verifies(after, before.current)).toBe(true);
        }
        // A key retires after two rotations: it verifies for a whole period after it stopped signing.
        expect([values[3]!.current, values[3]!.next, values[3]!.previous]).not.toContain(K0);
        expect(sm.stages(SECRET)).toEqual({ t2: ["AWSPREVIOUS"], t3: ["AWSCURRENT"] });
    });

    it("moves a two-key value to three keys without changing the signing key, then promotes on the next rotation", async () => {
        const { sm, handler, clock } = setup(JSON.stringify({ current: K0, previous: K0 }));
        await sm.rotate(handler, SECRET, "t1");
        const published = parseJwtKeys(sm.valueAt(SECRET, "AWSCURRENT")!);
        expect(published).toEqual({ current: K0, next: expect.any(String), previous: K0 });
        clock.now = new Date(clock.now.getTime() + 365 * DAY);
        await sm.rotate(handler, SECRET, "t2");
        expect(parseJwtKeys(sm.valueAt(SECRET, "AWSCURRENT")!)).toMatchObject({ current: published.next, previous: K0 });
    });

    it("refuses to promote a next key published less than a refresh interval and a rollout ago (two rotations by hand), changing nothing", async () => {
        const { sm, handler, clock } = setup();
        await sm.rotate(handler, SECRET, "t1");
        clock.now = new Date(sm.now.getTime() + 30 * 60 * 1000);
        sm.mock.resetHistory();
        sm.startRotation(SECRET, "t2");
        await expect(handler({ SecretId: SECRET, ClientRequestToken: "t2", Step: "createSecret" })).rejects.toThrow(
            "The next JWT key was published 30 minutes ago; it signs no sooner than 120 minutes after, once every pod can hold it. Rotate again later (docs/runbooks/secret-overdue.md).",
        );
        expect(sm.calls()).not.toContain("PutSecretValueCommand");
        // Past the two hours the same rotation (Secrets Manager retries it) goes through.
        clock.now = new Date(sm.now.getTime() + 2 * 3600 * 1000);
        await sm.resume(handler, SECRET, "t2");
        expect(sm.stages(SECRET)).toEqual({ t1: ["AWSPREVIOUS"], t2: ["AWSCURRENT"] });
    });

    it("keeps the pending keys on a retried createSecret", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        const pending = sm.valueAt(SECRET, "AWSPENDING");
        await handler({ SecretId: SECRET, ClientRequestToken: "t1", Step: "createSecret" });
        expect(sm.valueAt(SECRET, "AWSPENDING")).toBe(pending);
        expect(sm.mock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    });

    it("fails testSecret, leaving AWSCURRENT alone, when the pending value would sign with an unpublished key", async () => {
        const { sm, handler } = setup();
        sm.startRotation(SECRET, "t1");
        const other = JSON.stringify({ current: key(7), next: key(8), previous: K0 });
        await sm.client.send(new PutSecretValueCommand({ SecretId: SECRET, ClientRequestToken: "t1", SecretString: other, VersionStages: ["AWSPENDING"] }));
        await expect(sm.resume(handler, SECRET, "t1")).rejects.toThrow(
            "The pending JWT key secret signs with a key that was not published as next: pods without it would reject the new tokens.",
        );
        expect(sm.valueAt(SECRET, "AWSCURRENT")).toBe(INITIAL);
    });

    it("passes the configuration test Secrets Manager runs when rotation is set up without rotating", async () => {
        const { sm, handler } = setup();
        await sm.configurationTest(handler, SECRET, "probe");
        expect(sm.stages(SECRET)).toEqual({ v0: ["AWSCURRENT"] });
    });

    it("is delivered to the pods as the signing key and two verify-only keys", () => {
        expect(SECRET_KEYS.filter((k) => k.secret === "SECRET_KEY")).toEqual([
            { key: "SECRET_KEY", secret: "SECRET_KEY", property: "current" },
            { key: "SECRET_KEY_NEXT", secret: "SECRET_KEY", property: "next" },
            { key: "SECRET_KEY_PREVIOUS", secret: "SECRET_KEY", property: "previous" },
        ]);
    });
});
