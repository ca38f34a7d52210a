import { createHash, createHmac, pbkdf2Sync, randomBytes } from "crypto";

/**
 * A password as PostgreSQL stores it, `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`
 * (RFC 5802, RFC 7677), computed here the way libpq's PQencryptPasswordConn and psql's
 * `\password` do. `ALTER ROLE ... PASSWORD '<verifier>'` then never carries the password itself:
 * a statement PostgreSQL logs (a failed one, a slow one: `log_min_duration_statement`) and the
 * exported log group show only the verifier, from which the password cannot be recovered.
 */

/** PostgreSQL's default iteration count (`scram_iterations`). */
export const SCRAM_ITERATIONS = 4096;

/**
 * The verifier of a password. Only printable ASCII: PostgreSQL normalises other passwords with
 * SASLprep before hashing, which this does not reproduce (the passwords here come from
 * GetRandomPassword and @pulumi/random, both ASCII).
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations: number = SCRAM_ITERATIONS): string {
    if (!/^[\x20-\x7e]+$/.test(password)) throw new Error("Only non-empty printable ASCII passwords can be set here: PostgreSQL would normalise others (SASLprep).");
    const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
    const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();
    const storedKey = createHash("sha256").update(hmac(salted, "Client Key")).digest();
    const serverKey = hmac(salted, "Server Key");
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
