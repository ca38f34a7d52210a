/**
 * Pure helpers the rules share: reading input values the way both the offline plan and the
 * engine present them, IAM policy documents, port ranges and references between resources.
 */
import type { PolicyResource } from "./rule";

/** What the plan writes for a value known only after `pulumi up` (tools/plan/record.ts). */
export const UNKNOWN = "[unknown]";

/** A value the plan cannot know yet: rules pass it, judging only what is known. */
export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN;
}

/** Parses a JSON document given as a string (IAM policies, provider tags); other values pass through. */
export function parseJson(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v) as unknown;
    } catch {
        return undefined;
    }
}

/** A value or list as a list; nothing as an empty one. */
export function asArray<T = unknown>(v: unknown): T[] {
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]) as T[];
}

/** A plain object, or undefined. */
export function asObject(v: unknown): Record<string, unknown> | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Reads a nested value: `at(inputs, "vpcConfig", "endpointPublicAccess")`. */
export function at(v: unknown, ...path: readonly (string | number)[]): unknown {
    let node = v;
    for (const key of path) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string | number, unknown>)[key];
    }
    return node;
}

/**
 * True, as the provider accepts it: a boolean, or the string `"true"` for the inputs its schema
 * types as strings (launch template `ebs.encrypted`, provider configuration).
 */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/** Explicitly false (`false` or `"false"`). */
export function isFalse(v: unknown): boolean {
    return v === false || v === "false";
}

/** A number, from a number or a numeric string; undefined otherwise. */
export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** Describes a value in a message without ever printing more than a short scalar. */
export function shown(v: unknown): string {
    if (v === undefined) return "unset";
    if (typeof v === "string") return v.length > 80 ? `"${v.slice(0, 77)}..."` : `"${v}"`;
    if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
    return Array.isArray(v) ? `a list of ${v.length}` : "an object";
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents

/** One statement of an IAM policy document, normalised. */
export interface Statement {
    effect: "Allow" | "Deny" | undefined;
    sid: string | undefined;
    actions: string[];
    notActions: string[];
    resources: string[];
    /** Every principal value (`*`, ARNs, service names), of every principal kind. */
    principals: string[];
    hasCondition: boolean;
    /** The condition block, as written. */
    condition: Record<string, unknown>;
}

/** The statements of a policy document (JSON string or object); none when it is not one. */
export function statementsOf(policy: unknown): Statement[] {
    const doc = asObject(parseJson(policy));
    if (!doc) return [];
    return asArray<unknown>(doc["Statement"])
        .map(asObject)
        .filter((s): s is Record<string, unknown> => s !== undefined)
        .map((s) => {
            const principal = s["Principal"];
            const principals =
                principal === "*"
                    ? ["*"]
                    : Object.values(asObject(principal) ?? {}).flatMap((v) => asArray<unknown>(v).filter((x): x is string => typeof x === "string"));
            const condition = asObject(s["Condition"]) ?? {};
            const effect = s["Effect"];
            return {
                effect: effect === "Allow" || effect === "Deny" ? effect : undefined,
                sid: typeof s["Sid"] === "string" ? s["Sid"] : undefined,
                actions: asArray<unknown>(s["Action"]).filter((x): x is string => typeof x === "string"),
                notActions: asArray<unknown>(s["NotAction"]).filter((x): x is string => typeof x === "string"),
                resources: asArray<unknown>(s["Resource"]).filter((x): x is string => typeof x === "string"),
                principals,
                hasCondition: Object.keys(condition).length > 0,
                condition,
            };
        });
}

/** A statement's label in a message: its Sid, or its position. */
export function statementLabel(s: Statement, index: number): string {
    return s.sid ? `statement ${s.sid}` : `statement ${index + 1}`;
}

/** Whether an IAM action pattern grants an action: `*` matches any run of characters, `?` one (IAM's wildcards). */
export function actionMatches(pattern: string, action: string): boolean {
    const regex = pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(action.toLowerCase());
}

/** The IAM policies a resource carries: its `policy` input, and a role's inline policies. */
export function identityPoliciesOf(r: PolicyResource): { label: string; policy: unknown }[] {
    const out: { label: string; policy: unknown }[] = [];
    if (r.inputs["policy"] !== undefined) out.push({ label: "policy", policy: r.inputs["policy"] });
    for (const p of asArray<unknown>(r.inputs["inlinePolicies"])) {
        const inline = asObject(p);
        if (inline) out.push({ label: `inline policy ${String(inline["name"] ?? "?")}`, policy: inline["policy"] });
    }
    return out;
}

/** Resource types whose `policy` input is an identity policy (attached to a principal). */
export const IDENTITY_POLICY_TYPES = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/role:Role",
] as const;

// ---------------------------------------------------------------------------------------------
// Networks

/** Whether a CIDR block is the whole internet. */
export function isWorld(cidr: unknown): boolean {
    return cidr === "0.0.0.0/0" || cidr === "::/0";
}

/**
 * The ports a security group rule opens: every port for protocol `-1` (all traffic), the range
 * `fromPort`-`toPort` otherwise. EC2 takes the protocol as a name (`tcp`) or number (`6`).
 */
export function openedPorts(protocol: unknown, fromPort: unknown, toPort: unknown): { protocol: string; from: number; to: number } {
    const p = String(protocol ?? "").toLowerCase();
    const name = p === "6" ? "tcp" : p === "17" ? "udp" : p === "1" ? "icmp" : p === "all" ? "-1" : p;
    if (name === "-1") return { protocol: "all", from: 0, to: 65535 };
    const from = num(fromPort) ?? 0;
    const to = num(toPort) ?? from;
    return { protocol: name, from, to };
}

// ---------------------------------------------------------------------------------------------
// References between resources

/** The strings other resources use to refer to a resource: its id, ARN and name inputs. */
export function identifiersOf(r: PolicyResource): string[] {
    const ids = [r.id, r.inputs["arn"], r.inputs["name"], r.inputs["bucket"], r.inputs["identifier"], r.inputs["replicationGroupId"]].filter(
        (x): x is string => typeof x === "string" && x !== "" && x !== UNKNOWN,
    );
    // A bucket's ARN is derived from its name (arn:aws:s3:::<name>); replication and policies use it.
    if (S3_BUCKET_TYPES.includes(r.type)) ids.push(...ids.filter((x) => !x.startsWith("arn:")).map((x) => `arn:aws:s3:::${x}`));
    return ids;
}

/** The S3 bucket types of @pulumi/aws 7 (`Bucket`, and the deprecated `BucketV2`). */
export const S3_BUCKET_TYPES: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** Every string inside a value (lists and objects walked). */
export function stringsIn(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(stringsIn);
    const o = asObject(v);
    return o ? Object.values(o).flatMap(stringsIn) : [];
}

/**
 * Whether a resource's input refers to another resource. Under the CLI the engine says which
 * resources each input depends on; the offline plan records the values, matched against the
 * target's identifiers (the mocks give realistic ids, names and ARNs).
 */
export function refersTo(from: PolicyResource, input: string, target: PolicyResource): boolean {
    // The engine's dependency first; the value too, for a reference through another resource
    // (an alarm naming a certificate by the ARN its validation returns).
    return from.propertyDependencies?.[input]?.includes(target.urn) === true || names(from.inputs[input], target);
}

/** Whether a value (or any string inside it) is one of the target's ids, names or ARNs. */
export function names(value: unknown, target: PolicyResource): boolean {
    const ids = identifiersOf(target);
    // An ARN names a resource by its id after the last ":" or "/" (arn:aws:rds:<region>:<account>:db:<identifier>).
    return stringsIn(value).some((v) => ids.includes(v) || (v.startsWith("arn:") && ids.some((id) => v.endsWith(`:${id}`) || v.endsWith(`/${id}`))));
}

/** The region a resource lives in: its own `region` input (@pulumi/aws 7), else its provider's. */
export function regionOf(r: PolicyResource, resources: readonly PolicyResource[]): string | undefined {
    const own = str(r.inputs["region"]);
    if (own) return own;
    const provider = resources.find((p) => p.urn === r.provider);
    return provider ? str(provider.inputs["region"]) : undefined;
}
