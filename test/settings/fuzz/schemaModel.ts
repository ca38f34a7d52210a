import { z } from "zod";
import { KeyInfo, allKeys } from "../../../settings/configKeys";
import { settingsObject } from "../../../settings/schema";

/**
 * Every leaf of the settings schema as the fuzzer draws from it: how it is reached (the key, its
 * environment variable), the zod schema that judges a value for it alone, and the JSON Schema
 * constraints (`z.toJSONSchema` of the same schema) that say what its valid and boundary values are.
 */

type AnySchema = z.core.$ZodType;

/** The JSON Schema facets of a leaf the generators read. */
export interface Facets {
    type?: string | string[];
    enum?: unknown[];
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minItems?: number;
    items?: Facets;
    anyOf?: Facets[];
}

export interface Leaf {
    key: KeyInfo;
    /** The zod schema of the leaf's value (optional and default wrappers peeled). */
    schema: AnySchema;
    facets: Facets;
}

function unwrap(s: AnySchema): AnySchema {
    let inner = s;
    for (;;) {
        const def = inner._zod.def as { type: string; innerType?: AnySchema };
        if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) inner = def.innerType;
        else return inner;
    }
}

function zodAt(path: readonly string[]): AnySchema {
    let node: AnySchema = settingsObject;
    for (const seg of path) {
        const def = unwrap(node)._zod.def as { shape?: Record<string, AnySchema> };
        node = def.shape![seg]!;
    }
    return unwrap(node);
}

function facetsAt(root: Facets & { properties?: Record<string, unknown> }, path: readonly string[]): Facets {
    let node = root as Record<string, unknown>;
    for (const seg of path) {
        const props = node["properties"] as Record<string, Record<string, unknown>> | undefined;
        node = props?.[seg] ?? {};
    }
    return node as Facets;
}

let leaves: Leaf[] | undefined;

/** Every leaf key of the schema (object nodes excluded), with its schema and facets. */
export function schemaLeaves(): Leaf[] {
    if (!leaves) {
        const json = z.toJSONSchema(settingsObject, { unrepresentable: "any", io: "input" }) as Facets & { properties?: Record<string, unknown> };
        leaves = allKeys()
            .filter((k) => !k.isObject)
            .map((key) => ({ key, schema: zodAt(key.path), facets: facetsAt(json, key.path) }));
    }
    return leaves;
}

/** Whether the schema takes a value for this leaf on its own (cross-field rules aside). */
export function leafAccepts(leaf: Leaf, value: unknown): boolean {
    return z.safeParse(leaf.schema as z.ZodType, value).success;
}

/** The object keys of the schema (`app`, `app.image`...), which take JSON or nested leaves. */
export function objectKeys(): KeyInfo[] {
    return allKeys().filter((k) => k.isObject);
}
