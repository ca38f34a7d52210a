import * as crypto from "crypto";
import { EXAMPLE, MOCK_ACCOUNT_ID } from "./mark";

/**
 * What every mock answer is made with: one digest, the marked tokens of ./mark.ts, and the
 * request a resource mock receives (its type, name, inputs and effective region, with helpers
 * that build ids and ARNs from them).
 */

/** Property bags as the mocks receive and return them. */
export type State = Record<string, unknown>;

/** A short stable hex digest of the given parts: the one source of every mocked id's variety. */
export function digest(length: number, ...parts: string[]): string {
    if (length > 64) throw new Error(`digest: at most 64 hex characters (SHA-256), asked for ${length}`);
    return crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, length);
}

/** A UUID (version 4 layout) whose last group is the mock account, so it reads as an example. */
export function mockUuid(...parts: string[]): string {
    const h = digest(19, ...parts);
    const variant = "89ab"[parseInt(h[15]!, 16) % 4]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${variant}${h.slice(16, 19)}-${MOCK_ACCOUNT_ID}`;
}

/**
 * A lower-case hex token of `length` characters ending in the account's digits (all 12 from 20
 * characters on, `12345678` from 16), so EC2-style ids keep their shape and still read as made up.
 */
export function markedHex(length: number, ...parts: string[]): string {
    if (length >= 20) return digest(length - 12, ...parts) + MOCK_ACCOUNT_ID;
    if (length >= 16) return digest(length - 8, ...parts) + MOCK_ACCOUNT_ID.slice(0, 8);
    throw new Error(`markedHex: ${length} characters leave no room for the mark; use a fixed run of the account's digits`);
}

/** An upper-case alphanumeric token of `length` characters ending in EXAMPLE (AWS's documentation style). */
export function markedUpper(length: number, ...parts: string[]): string {
    return digest(length - EXAMPLE.length, ...parts).toUpperCase() + EXAMPLE;
}

/** What a Pulumi autoname appends to a logical name: seven characters, here the account's first seven digits. */
export const AUTONAME_SUFFIX = `-${MOCK_ACCOUNT_ID.slice(0, 7)}`;

/** `us-east-1` → `use1`: the short form availability zone ids and ElastiCache endpoints use. */
export function shortRegion(region: string): string {
    const [geo = "", dir = "", n = ""] = region.split("-");
    return `${geo}${dir.replace(/(north|south|east|west|central)/g, (m) => m[0]!)}${n}`;
}

/** `SecurityGroupIngressRule` → `security-group-ingress-rule`. */
export function kebab(s: string): string {
    return s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** `aws:rds/instance:Instance` → `{ pkg: "aws", module: "rds", kind: "Instance" }`. */
export function parseType(type: string): { pkg: string; module: string; kind: string } {
    const [pkg = "", mod = "", kind = ""] = type.split(":");
    return { pkg, module: mod.split("/")[0] ?? "", kind };
}

/** What the mocks know about a resource they answered before, found by its id. */
export type Lookup = (id: string) => { type: string; inputs: State } | undefined;

/** A resource registration as a mock receives it. */
export interface MockArgs {
    type: string;
    /** The logical name. */
    name: string;
    inputs: State;
    /** The region the resource lives in: its own `region` input, else its provider's. */
    region: string;
    /** Resources answered earlier, by id (for outputs that name another resource, such as a cluster's VPC). */
    lookup?: Lookup;
}

/** A mock's answer: the id the provider would give, and the outputs beyond the inputs. */
export interface MockAnswer {
    id: string;
    outputs?: State;
}

/** A resource mock: the entry of one type token in the registry. */
export type MockFn = (r: MockRequest) => MockAnswer;

/** The request a resource mock receives, with the helpers every family uses. */
export class MockRequest {
    readonly type: string;
    readonly name: string;
    readonly inputs: State;
    readonly region: string;
    readonly account = MOCK_ACCOUNT_ID;
    private readonly lookupFn: Lookup;

    constructor(args: MockArgs) {
        this.type = args.type;
        this.name = args.name;
        this.inputs = args.inputs;
        this.region = args.region;
        this.lookupFn = args.lookup ?? (() => undefined);
    }

    /** A string input, or undefined. */
    str(key: string): string | undefined {
        const v = this.inputs[key];
        return typeof v === "string" && v !== "" ? v : undefined;
    }

    /** A string input the type requires; `[unknown]` stands in when the program gave none. */
    need(key: string): string {
        return this.str(key) ?? "[unknown]";
    }

    /**
     * The physical name: the input when the program gave one, else `<prefix><unique id>` for a
     * `…Prefix` input, else a Pulumi autoname (the logical name cut to fit `max`, then the suffix).
     */
    autoname(key = "name", max = 255): string {
        const given = this.str(key);
        if (given) return given;
        const prefix = this.str(`${key}Prefix`);
        if (prefix !== undefined) return `${prefix}${this.hex(26, "prefix")}`.slice(0, max);
        return `${this.name.slice(0, max - AUTONAME_SUFFIX.length).replace(/-+$/, "")}${AUTONAME_SUFFIX}`;
    }

    /** A marked lower-case hex token, stable for this resource (see `markedHex`). */
    hex(length: number, ...salt: string[]): string {
        return markedHex(length, this.type, this.name, ...salt);
    }

    /** A marked upper-case token, stable for this resource (see `markedUpper`). */
    upper(length: number, ...salt: string[]): string {
        return markedUpper(length, this.type, this.name, ...salt);
    }

    /** A marked UUID, stable for this resource. */
    uuid(...salt: string[]): string {
        return mockUuid(this.type, this.name, ...salt);
    }

    /** `<prefix>-<17 hex>`: the id shape of EC2's resources (`vpc-…`, `sg-…`, `subnet-…`). */
    ec2Id(prefix: string): string {
        return `${prefix}-${this.hex(17)}`;
    }

    /** A regional ARN in this resource's region and the mock account. */
    arn(service: string, resource: string): string {
        return `arn:aws:${service}:${this.region}:${this.account}:${resource}`;
    }

    /** A global ARN (IAM, Route 53, CloudWatch dashboards, Chatbot): no region. */
    globalArn(service: string, resource: string): string {
        return `arn:aws:${service}::${this.account}:${resource}`;
    }

    /** The inputs of a resource answered earlier, by its id. */
    lookup(id: string | undefined): State | undefined {
        return id === undefined ? undefined : this.lookupFn(id)?.inputs;
    }
}
