import { parseJwtKeys, rotationProblem } from "../../../lambdas/jwt-signing-key/key";

/** The key value's edges; the rotation as a whole is in test/lambdas/jwtSigningKey.test.ts. */

const key = (n: number) => Buffer.alloc(32, n).toString("base64");
const [K0, K1, K2, K3] = [key(1), key(2), key(3), key(4)];

describe("parseJwtKeys", () => {
    it("gives a value from before `next` existed no `next` field at all", () => {
        expect(Object.keys(parseJwtKeys(JSON.stringify({ current: K0, previous: K1 })))).toEqual(["current", "previous"]);
        expect(Object.keys(parseJwtKeys(JSON.stringify({ current: K0, previous: K1, next: K2 })))).toEqual(["current", "previous", "next"]);
    });
});

describe("rotationProblem", () => {
    it("refuses a pending next key that is the published next one (so not new)", () => {
        expect(rotationProblem({ current: K0, next: K1, previous: K3 }, { current: K1, next: K1, previous: K0 })).toBe("The pending JWT key secret's next key is not new.");
        expect(rotationProblem({ current: K0, next: K1, previous: K3 }, { current: K1, next: K3, previous: K0 })).toBe("The pending JWT key secret's next key is not new.");
        expect(rotationProblem({ current: K0, next: K1, previous: K3 }, { current: K1, next: K2, previous: K0 })).toBeUndefined();
    });

    it("without a published next key, refuses a pending value that changes the signing key or the previous one", () => {
        const message = "The pending JWT key secret changes the signing key while no next key was published: pods without it would reject the new tokens.";
        const current = { current: K0, previous: K1 };
        expect(rotationProblem(current, { current: K2, previous: K1, next: K3 })).toBe(message);
        expect(rotationProblem(current, { current: K0, previous: K2, next: K3 })).toBe(message);
        expect(rotationProblem(current, { current: K0, previous: K1, next: K3 })).toBeUndefined();
    });
});
