import type { ParseError } from "jsonc-parser";
import { z } from "zod";
import { cutText, wholeCharacters } from "./errors";
import { settingsObject } from "./schema";
import type { StackShape } from "./shape";

/**
 * The key paths of the settings schema, and how each one is reached from outside: the Pulumi
 * config key (`ops:app.image.tag` via `pulumi config set --path app.image.tag`) and the
 * environment variable (`OPS_APP__IMAGE__TAG`). Derived from the schema, so a new key is
 * reachable everywhere the moment it is declared.
 */

/** The prefix of every environment variable the program reads. */
export const ENV_PREFIX = "OPS_";

/** How a raw string from config or the environment is turned into a value for a key. */
export type ValueKind = "string" | "number" | "boolean" | "json";

/** One key of the schema, a leaf or an object node. */
export interface KeyInfo {
    /** Path segments: `["app", "image", "tag"]`. */
    path: string[];
    /** Dotted path as `pulumi config set --path` takes it: `app.image.tag`. */
    dotted: string;
    /** Environment variable that sets this key. */
    envVar: string;
    kind: ValueKind;
    /** For a `json` key: whether its JSON is a list or an object. */
    json?: "list" | "object";
    /** True for object nodes, whose leaves are keys of their own. */
    isObject: boolean;
    /** Whether the schema requires the key (after profile defaults are merged). */
    optional: boolean;
    /** A Pulumi secret: set with `--secret`, never printed. */
    secret: boolean;
    /**
     * What the offline plan stands in with when the stack has no value: every secret has one (set
     * per deployment, so a checkout cannot hold it), and so has any key that declares one.
     */
    planStandIn?: PlanStandIn;
    /**
     * The shapes whose composition reads the key (settings/shape.ts), when not all of them do.
     * Elsewhere a profile's value is ignored, and a value the stack sets is a settings problem.
     */
    readBy?: readonly StackShape[];
    description: string;
    /** The allowed values of an enum key. */
    options?: readonly (string | number)[];
}

type AnySchema = z.core.$ZodType;

/**
 * A value only a deployment has (a secret, the image CI builds for a pull request, an ARN that
 * exists once another stack has run), which the offline plan stands in with so that a fresh
 * checkout can plan the stack (tools/plan/planStack.ts). Never used by `pulumi up`.
 */
export interface PlanStandIn {
    /** The well-formed value, or how to make it from the stack's name and region. Shown in the plan unless the key is secret. */
    value: unknown;
    /** What the real run needs instead, as the plan's note says it: the command or variable that sets the real value. */
    realRun: string;
}

/** The value of a stand-in for a stack. */
export function standInValue(s: PlanStandIn, stack: { stack: string; region: string }): unknown {
    return typeof s.value === "function" ? (s.value as (x: typeof stack) => unknown)(stack) : s.value;
}

/** What stands in for a secret that declares nothing of its own: redacted like every secret, so never seen. */
export const SECRET_STAND_IN_VALUE = "plan-stand-in-for-an-encrypted-value";

interface Meta {
    description?: string;
    secret?: boolean;
    /** A value the offline plan may stand in with (a string: a secret's value, with the usual note). */
    planStandIn?: PlanStandIn | string;
    readBy?: readonly StackShape[];
}

function standInOf(meta: Meta, path: readonly string[]): PlanStandIn | undefined {
    const setSecret = `pulumi config set --secret${path.length > 1 ? " --path" : ""} ${path.join(".")} <value>`;
    if (typeof meta.planStandIn === "string") return { value: meta.planStandIn, realRun: setSecret };
    if (meta.planStandIn) return meta.planStandIn;
    return meta.secret === true ? { value: SECRET_STAND_IN_VALUE, realRun: setSecret } : undefined;
}

function metaOf(s: AnySchema): Meta {
    return (z.globalRegistry.get(s) as Meta | undefined) ?? {};
}

/** Peels optional/default wrappers, keeping the metadata found on the way. */
function unwrap(s: AnySchema): { inner: AnySchema; optional: boolean; meta: Meta } {
    let inner = s;
    let optional = false;
    let meta: Meta = { ...metaOf(s) };
    for (;;) {
        const def = inner._zod.def as { type: string; innerType?: AnySchema };
        if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) {
            optional = true;
            inner = def.innerType;
            meta = { ...metaOf(inner), ...meta };
            continue;
        }
        return { inner, optional, meta };
    }
}

function kindOf(s: AnySchema): ValueKind {
    const t = (s._zod.def as { type: string }).type;
    if (t === "number" || t === "int") return "number";
    if (t === "boolean") return "boolean";
    if (t === "object" || t === "array" || t === "record" || t === "tuple") return "json";
    return "string";
}

/** `databasePasswordDays` → `DATABASE_PASSWORD_DAYS`. */
export function screamingSnake(segment: string): string {
    return segment.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The environment variable for a key path. */
export function envVarName(path: readonly string[]): string {
    return ENV_PREFIX + path.map(screamingSnake).join("__");
}

function walk(schema: AnySchema, path: string[], out: KeyInfo[]): void {
    const { inner, optional, meta } = unwrap(schema);
    const def = inner._zod.def as { type: string; shape?: Record<string, AnySchema>; entries?: Record<string, string | number> };
    if (path.length > 0) {
        out.push({
            path,
            dotted: path.join("."),
            envVar: envVarName(path),
            kind: kindOf(inner),
            ...(kindOf(inner) === "json" ? { json: def.type === "array" || def.type === "tuple" ? ("list" as const) : ("object" as const) } : {}),
            isObject: def.type === "object",
            optional,
            secret: meta.secret === true,
            planStandIn: standInOf(meta, path),
            readBy: meta.readBy,
            description: meta.description ?? "",
            options: def.type === "enum" && def.entries ? Object.values(def.entries) : undefined,
        });
    }
    if (def.type === "object" && def.shape) {
        for (const [key, child] of Object.entries(def.shape)) walk(child, [...path, key], out);
    }
}

let cached: KeyInfo[] | undefined;
let byDotted: Map<string, KeyInfo> | undefined;

/** Every key of the settings schema, objects before their leaves, in declaration order. */
export function allKeys(): KeyInfo[] {
    if (!cached) {
        cached = [];
        walk(settingsObject, [], cached);
    }
    return cached;
}

/** The key at a dotted path, if the schema has one (the loader asks for every value it merges). */
export function keyAt(dotted: string): KeyInfo | undefined {
    byDotted ??= new Map(allKeys().map((k) => [k.dotted, k]));
    return byDotted.get(dotted);
}

/** A list or object value that is not JSON: what the parser found, and where. */
export interface JsonProblem {
    /** 1-based column of the first error (values are one line, as variables and config strings are). */
    column: number;
    /** The parser's reason, in words: `Unexpected token 'o', ... is not valid JSON`. */
    reason: string;
    /** The text at that column, so a message can point at it. */
    near: string;
}

/** Why a text is not JSON, and where; undefined when it is. */
export function jsonProblem(raw: string): JsonProblem | undefined {
    try {
        JSON.parse(raw);
        return undefined;
    } catch (e) {
        // JSON.parse says why but not always where; jsonc-parser, strict, says where (loaded only then).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { parse: parseJsonc, printParseErrorCode } = require("jsonc-parser") as typeof import("jsonc-parser");
        const errors: ParseError[] = [];
        parseJsonc(raw, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
        const first = errors[0];
        const offset = first?.offset ?? raw.length;
        // V8 names a character outside the BMP by its first half (`Unexpected token '\ud83d'`): name it whole.
        const at = String.fromCodePoint(raw.codePointAt(offset) ?? 0xfffd);
        const reason = wholeCharacters(
            (e as Error).message.replace(/ in JSON at position \d+.*$/, "").replace(/'[\ud800-\udbff]'/, `'${at}'`) || (first ? printParseErrorCode(first.error) : "not JSON"),
        );
        return { column: offset + 1, reason, near: cutText(raw.slice(offset), 12) };
    }
}

/**
 * Parses a raw string from Pulumi config or an environment variable into the kind the key
 * expects. A value that does not parse is returned as the string it was, so that the schema
 * reports it with the value received (a list or object that is not JSON: see `jsonProblem`).
 */
export function coerce(raw: string, kind: ValueKind): unknown {
    switch (kind) {
        case "string":
            return raw;
        case "number": {
            // Decimal notation only: Number() also reads 0x1F40, 0b101 and 0o17, which in a setting are typos.
            const n = Number(raw);
            return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(raw) && Number.isFinite(n) ? n : raw;
        }
        case "boolean":
            return raw === "true" ? true : raw === "false" ? false : raw;
        case "json":
            try {
                return JSON.parse(raw);
            } catch {
                return raw;
            }
    }
}

/** The closest name to `wanted` among `candidates`, when one is close enough to be a typo. */
export function closest(wanted: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(wanted.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0]!;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const tmp = row[j]!;
            row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = tmp;
        }
    }
    return row[b.length]!;
}
