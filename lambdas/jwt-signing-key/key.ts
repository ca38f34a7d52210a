import { randomBytes } from "crypto";

/**
 * The JWT signing key secret (`SECRET_KEY`): JSON with the key that signs and the one before it,
 * each 256 random bits in base64. The app signs with `current` and verifies with `current`, then
 * `previous`, so a token issued just before a rotation still verifies until it expires. (The
 * whole previous version also stays readable in Secrets Manager as AWSPREVIOUS.)
 */
export interface JwtKeys {
    current: string;
    previous: string;
}

/** Bytes in a key: 256 bits (runbook 2.2). */
export const KEY_BYTES = 32;

/** Parses and checks a stored value. */
export function parseJwtKeys(value: string): JwtKeys {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new Error("The JWT key secret is not JSON {\"current\", \"previous\"}.");
    }
    const p = parsed as Partial<JwtKeys>;
    for (const field of ["current", "previous"] as const) {
        const v = p[field];
        if (typeof v !== "string" || Buffer.from(v, "base64").length !== KEY_BYTES || Buffer.from(v, "base64").toString("base64") !== v) {
            throw new Error(`The JWT key secret's "${field}" is not ${KEY_BYTES} bytes of base64.`);
        }
    }
    return { current: p.current!, previous: p.previous! };
}

/** The value after a rotation: a new key signs, the old signing key verifies. */
export function rotateJwtKeys(current: JwtKeys, newKey: string = randomBytes(KEY_BYTES).toString("base64")): JwtKeys {
    return { current: newKey, previous: current.current };
}
