import { randomBytes } from "crypto";

/**
 * The JWT signing key secret (`SECRET_KEY`): JSON with three keys, each 256 random bits in base64.
 *
 * - `current` signs (the app's `SECRET_KEY`);
 * - `next` only verifies (`SECRET_KEY_NEXT`): it is published a whole rotation period before it
 *   signs, so every pod holds it long before any pod signs with it;
 * - `previous` only verifies (`SECRET_KEY_PREVIOUS`): the key that signed until the last rotation,
 *   kept a whole rotation period, far longer than a token lives.
 *
 * A rotation promotes: `next` becomes `current`, `current` becomes `previous`, and a new key is
 * published as `next`. A pod that still has the value from before the rotation verifies tokens
 * from pods that already have the new one (their signing key is its `next`), and the reverse
 * (the old signing key is the new `previous`), so no token is rejected while pods restart.
 *
 * A value from before `next` existed (`{"current", "previous"}`) rotates once without promoting:
 * the signing key stays, and a `next` is published; the next rotation promotes it.
 */
export interface JwtKeys {
    current: string;
    previous: string;
    /** Absent only in a value from before the verify-only `next` key existed. */
    next?: string;
}

/** Bytes in a key: 256 bits (runbook 2.2). */
export const KEY_BYTES = 32;

function isKey(v: unknown): v is string {
    return typeof v === "string" && Buffer.from(v, "base64").length === KEY_BYTES && Buffer.from(v, "base64").toString("base64") === v;
}

/** Parses and checks a stored value (its keys are never in an error). */
export function parseJwtKeys(value: string): JwtKeys {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new Error('The JWT key secret is not JSON {"current", "next", "previous"}.');
    }
    const p = (parsed ?? {}) as Partial<Record<keyof JwtKeys, unknown>>;
    for (const field of ["current", "previous"] as const) {
        if (!isKey(p[field])) throw new Error(`The JWT key secret's "${field}" is not ${KEY_BYTES} bytes of base64.`);
    }
    if (p.next !== undefined && !isKey(p.next)) throw new Error(`The JWT key secret's "next" is not ${KEY_BYTES} bytes of base64.`);
    return { current: p.current as string, previous: p.previous as string, ...(p.next !== undefined ? { next: p.next as string } : {}) };
}

/** A new random key. */
export function newKey(): string {
    return randomBytes(KEY_BYTES).toString("base64");
}

/** The value after a rotation: `next` signs, `current` verifies as `previous`, a new key is published as `next`. */
export function rotateJwtKeys(keys: JwtKeys, fresh: string = newKey()): Required<JwtKeys> {
    if (keys.next === undefined) return { current: keys.current, previous: keys.previous, next: fresh };
    return { current: keys.next, previous: keys.current, next: fresh };
}

/**
 * Why `pending` is not a safe successor of `current`, or undefined when it is: what testSecret
 * refuses. The promoted key must be the published `next`, the old signing key must stay as
 * `previous`, and the new `next` must be new.
 */
export function rotationProblem(current: JwtKeys, pending: JwtKeys): string | undefined {
    if (pending.next === undefined) return "The pending JWT key secret has no verify-only next key: the rotation after it could not promote a published key.";
    const seen = [current.current, current.previous, ...(current.next ? [current.next] : [])];
    if (seen.includes(pending.next)) return "The pending JWT key secret's next key is not new.";
    if (current.next === undefined) {
        if (pending.current !== current.current || pending.previous !== current.previous) {
            return "The pending JWT key secret changes the signing key while no next key was published: pods without it would reject the new tokens.";
        }
        return undefined;
    }
    if (pending.current !== current.next) return "The pending JWT key secret signs with a key that was not published as next: pods without it would reject the new tokens.";
    if (pending.previous !== current.current) return "The pending JWT key secret does not keep the current signing key as previous: tokens issued now would stop verifying.";
    return undefined;
}
