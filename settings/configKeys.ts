import { z } from "zod";
import { settingsObject } from "./schema";

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
    /** True for object nodes, whose leaves are keys of their own. */
    isObject: boolean;
    /** Whether the schema requires the key (after profile defaults are merged). */
    optional: boolean;
    /** A Pulumi secret: set with `--secret`, never printed. */
    secret: boolean;
    /** For a secret: the well-formed value the offline plan stands in with when the stack has none. */
    planStandIn?: string;
    description: string;
    /** The allowed values of an enum key. */
    options?: readonly (string | number)[];
}

type AnySchema = z.core.$ZodType;

interface Meta {
    description?: string;
    secret?: boolean;
    /** For a secret: a well-formed value the offline plan may stand in with (never used by `pulumi up`). */
    planStandIn?: string;
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
            isObject: def.type === "object",
            optional,
            secret: meta.secret === true,
            planStandIn: meta.planStandIn,
            description: meta.description ?? "",
            options: def.type === "enum" && def.entries ? Object.values(def.entries) : undefined,
        });
    }
    if (def.type === "object" && def.shape) {
        for (const [key, child] of Object.entries(def.shape)) walk(child, [...path, key], out);
    }
}

let cached: KeyInfo[] | undefined;

/** Every key of the settings schema, objects before their leaves, in declaration order. */
export function allKeys(): KeyInfo[] {
    if (!cached) {
        cached = [];
        walk(settingsObject, [], cached);
    }
    return cached;
}

/** The key at a dotted path, if the schema has one. */
export function keyAt(dotted: string): KeyInfo | undefined {
    return allKeys().find((k) => k.dotted === dotted);
}

/**
 * Parses a raw string from Pulumi config or an environment variable into the kind the key
 * expects. A value that does not parse is returned as the string it was, so that the schema
 * reports it with the value received.
 */
export function coerce(raw: string, kind: ValueKind): unknown {
    switch (kind) {
        case "string":
            return raw;
        case "number": {
            const n = Number(raw);
            return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
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
