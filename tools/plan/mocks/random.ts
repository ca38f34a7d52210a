import * as crypto from "crypto";
import { digest } from "./kit";
import type { MockFn, MockRequest } from "./kit";

/**
 * @pulumi/random: results derived from the resource's identity (so plans are stable; these
 * values are secrets and the plan redacts them). Ids as the provider gives them: `none` for
 * passwords, strings and bytes (a result must never be an id), the hex for ids.
 */

/** The seed every random result of a resource comes from (test/modules/secrets/plan.test.ts recomputes it). */
function seed(r: MockRequest): string {
    return digest(64, r.type, r.name);
}

const text: MockFn = (r) => {
    const s = seed(r);
    const length = typeof r.inputs["length"] === "number" ? r.inputs["length"] : 16;
    return { id: "none", outputs: { result: Buffer.from(s).toString("base64url").slice(0, length), bcryptHash: `$2a$10$${s.slice(0, 53)}` } };
};

export const RANDOM: Record<string, MockFn> = {
    "random:index/randomPassword:RandomPassword": text,
    "random:index/randomString:RandomString": text,
    "random:index/randomBytes:RandomBytes": (r) => {
        const n = typeof r.inputs["length"] === "number" ? r.inputs["length"] : 32;
        const bytes = crypto.createHash("sha512").update(seed(r)).digest().subarray(0, n);
        return { id: "none", outputs: { base64: bytes.toString("base64"), hex: bytes.toString("hex") } };
    },
    "random:index/randomId:RandomId": (r) => {
        const n = typeof r.inputs["byteLength"] === "number" ? r.inputs["byteLength"] : 8;
        const hex = seed(r).slice(0, n * 2);
        return { id: hex, outputs: { hex, b64Std: Buffer.from(hex, "hex").toString("base64"), dec: BigInt(`0x${hex}`).toString() } };
    },
};
