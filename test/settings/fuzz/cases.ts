import fc from "fast-check";
import { KeyInfo, allKeys, keyAt } from "../../../settings/configKeys";
import { BOOTSTRAP_KEYS } from "../../../settings/schema";
import { readStackConfig } from "../../../tools/plan/stackConfig";
import { FUZZ_SECRET_MARK, ROOT, SECRET_SENTINELS, deployEnv } from "../../helpers/stacks";
import { Facets, Leaf, leafAccepts, objectKeys, schemaLeaves } from "./schemaModel";

/**
 * Stack configurations drawn from the settings schema: a stack of every kind, then a few changes
 * to its stack config and `OPS_*` variables (valid and boundary values, wrong types, misspelt keys,
 * wrong nesting, huge and unicode strings, empty lists, JSON in variables, a key set in both
 * places). Each change says what a correct loader must do with it: which key or variable a
 * problem must name, from which source, and which values must never be printed.
 */

/** A change the loader must answer for. */
export interface Expectation {
    /** What the change was, for the failure report. */
    what: string;
    /** A problem must name one of these (a config key `ops:...`, or a variable), or a key above it. */
    names: string[];
    /** Where the decisive value came from, as a problem's source names it. */
    source: string;
    /** Reported even when the stack's profile cannot be resolved (the value never reaches the schema). */
    beforeProfile: boolean;
}

export interface FuzzCase {
    stack: string;
    /** Config values replacing the stack's (namespaced, strings as Pulumi passes them). */
    config: Record<string, string>;
    env: Record<string, string>;
    /** Config keys held encrypted. */
    secretKeys: string[];
    /** Problems the loader must report. */
    expected: Expectation[];
    /** Values that must appear in no message, plan or output. */
    secrets: string[];
    /** True when the stack's profile comes from a value a change may have broken (the environment key of a sandbox or production-dr). */
    profileAtRisk: boolean;
}

const NS = "ops";
const BOOTSTRAP = new Set<string>(BOOTSTRAP_KEYS);
const SECRET_MARK = FUZZ_SECRET_MARK;

// ---------------------------------------------------------------- values

/** A secret value no message may print: the mark, then characters a redaction must not keep. */
const secretValue = fc.stringMatching(/^[A-Za-z0-9+/=]{6,24}$/).map((s) => `${SECRET_MARK}${s}`);

const nastyStrings: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom("", " ", "null", "undefined", "true", "0", "-1", "[]", "{}", "\"quoted\"", "a\nb", "tab\there", "\u202eevil", "ünïcødé", "名前", "x".repeat(300)),
    // A value of emoji just past the length where messages cut it: a cut must not split a character.
    fc.integer({ min: 50, max: 130 }).map((n) => "😀".repeat(n)),
    fc.integer({ min: 5_000, max: 100_000 }).map((n) => "h".repeat(n)),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 20 }),
);

function numberFacets(f: Facets): { min?: number; max?: number; integer: boolean } {
    const min = f.minimum ?? (f.exclusiveMinimum !== undefined ? f.exclusiveMinimum + 1 : undefined);
    const max = f.maximum ?? (f.exclusiveMaximum !== undefined ? f.exclusiveMaximum - 1 : undefined);
    return { min, max, integer: f.type === "integer" };
}

function typeOf(f: Facets): string | undefined {
    if (f.enum) return "enum";
    if (Array.isArray(f.type)) return f.type[0];
    const t = f.type ?? f.anyOf?.find((x) => x.type !== "null")?.type;
    return Array.isArray(t) ? t[0] : t;
}

/** Values the schema says are valid for a leaf, its boundaries included. */
function validValue(leaf: Leaf): fc.Arbitrary<unknown> {
    const f = leaf.facets;
    const t = typeOf(f);
    if (leaf.key.secret) return secretValue;
    if (t === "enum") return fc.constantFrom(...f.enum!);
    if (t === "boolean") return fc.boolean();
    if (t === "integer" || t === "number") {
        const { min, max, integer } = numberFacets(f);
        const lo = min ?? -1_000_000;
        const hi = max ?? 1_000_000;
        return fc.oneof(fc.constantFrom(lo, hi), integer ? fc.integer({ min: lo, max: hi }) : fc.double({ min: lo, max: hi, noNaN: true }));
    }
    if (t === "string") {
        if (f.pattern) {
            try {
                return fc.stringMatching(new RegExp(f.pattern), { maxLength: 64 } as never);
            } catch {
                return fc.string({ minLength: 1, maxLength: 20 });
            }
        }
        return fc.string({ minLength: f.minLength ?? 1, maxLength: Math.min(f.maxLength ?? 40, 40) });
    }
    if (t === "array") {
        const item = f.items ? validValue({ ...leaf, facets: f.items, key: { ...leaf.key, secret: false } }) : fc.string();
        return fc.array(item, { minLength: f.minItems ?? 0, maxLength: 4 });
    }
    return fc.jsonValue({ maxDepth: 2 });
}

/** Values just outside a leaf's range, of the wrong type, or of the wrong shape. */
function invalidValue(leaf: Leaf): fc.Arbitrary<unknown> {
    const f = leaf.facets;
    const t = typeOf(f);
    const wrongType = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.dictionary(fc.constantFrom("value", "default", "secure"), fc.string(), { maxKeys: 2 }), nastyStrings);
    const out: fc.Arbitrary<unknown>[] = [wrongType];
    if (t === "enum") {
        const opts = f.enum!.map(String);
        out.push(fc.constantFrom(...opts).map((o) => (o.length > 1 ? o[0]!.toUpperCase() + o.slice(1, -1) : `${o}x`)));
    }
    if (t === "integer" || t === "number") {
        const { min, max, integer } = numberFacets(f);
        const edges: number[] = [];
        if (min !== undefined) edges.push(min - 1, min - 0.5);
        if (max !== undefined) edges.push(max + 1, max + 0.5);
        if (integer) edges.push(1.5);
        if (edges.length > 0) out.push(fc.constantFrom(...edges));
        out.push(fc.constantFrom(-0, 1e21, Number.MAX_SAFE_INTEGER + 2));
    }
    if (t === "array") out.push(fc.constant([]), fc.array(fc.oneof(fc.integer(), fc.constant(null), nastyStrings), { minLength: 1, maxLength: 3 }));
    return fc.oneof(...out);
}

// ---------------------------------------------------------------- how a variable reads

/**
 * What a value set in a variable means, as docs/configuration.md says it: numbers in decimal,
 * `true`/`false`, JSON for lists and objects; anything else is the string it is (which the schema
 * then refuses for a number or a boolean). Written from the documentation, not from the loader, so
 * that the two can disagree.
 */
export function readVariable(raw: string, key: KeyInfo): { value: unknown } | { notJson: true } {
    switch (key.kind) {
        case "number":
            // Decimal notation only, spaces around it aside: 0x1F40 for a port is a typo, not 8000.
            return { value: /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim()) && Number.isFinite(Number(raw)) ? Number(raw) : raw };
        case "boolean":
            return { value: raw === "true" ? true : raw === "false" ? false : raw };
        case "json":
            try {
                return { value: JSON.parse(raw) as unknown };
            } catch {
                return { notJson: true };
            }
        default:
            return { value: raw };
    }
}

/** A value as Pulumi or a shell hands it to the program: a string, JSON for anything else. */
function asRaw(value: unknown, key: KeyInfo): string {
    if (typeof value === "string") return value;
    if (key.kind === "number" && typeof value === "number") return String(value);
    return JSON.stringify(value) ?? "null";
}

/** Spellings of a number or a boolean in a variable that docs/configuration.md does not promise to read. */
function oddSpelling(key: KeyInfo): fc.Arbitrary<string> | undefined {
    if (key.kind === "number") return fc.constantFrom(" 8000", "8000 ", "0x1F40", "0b101", "0o17", "1_000", "Infinity", "NaN", "8e3", "+5", ".5", "5.");
    if (key.kind === "boolean") return fc.constantFrom("True", "FALSE", "yes", "1", "0", "on", " true");
    return undefined;
}

// ---------------------------------------------------------------- misspellings

/** A one-edit misspelling of a name: what a user types when they mean it. */
function misspell(name: string): fc.Arbitrary<string> {
    return fc.tuple(fc.nat(), fc.constantFrom("drop", "swap", "double", "case", "homoglyph", "suffix")).map(([n, op]) => {
        const i = name.length > 0 ? n % name.length : 0;
        switch (op) {
            case "drop":
                return name.length > 1 ? name.slice(0, i) + name.slice(i + 1) : `${name}s`;
            case "swap":
                return i + 1 < name.length && name[i] !== name[i + 1] ? name.slice(0, i) + name[i + 1]! + name[i]! + name.slice(i + 2) : `${name}_`;
            case "double":
                return name.slice(0, i) + name[i]! + name.slice(i);
            case "case": {
                const c = name[i]!;
                const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
                return flipped === c ? `${name}X` : name.slice(0, i) + flipped + name.slice(i + 1);
            }
            case "homoglyph":
                // Cyrillic а, е, о for their Latin look-alikes.
                return /[aeo]/.test(name) ? name.replace(/[aeo]/, (c) => ({ a: "\u0430", e: "\u0435", o: "\u043e" })[c]!) : `${name}\u0430`;
            default:
                return `${name}s`;
        }
    });
}

// ---------------------------------------------------------------- stacks

const STACK_CONFIG = new Map<string, Record<string, string>>();

/** A stack's own config (Pulumi.yaml and its stack file), read once. */
function ownConfig(stack: string): Record<string, string> {
    if (!STACK_CONFIG.has(stack)) STACK_CONFIG.set(stack, readStackConfig(ROOT, stack).config);
    return STACK_CONFIG.get(stack)!;
}

export type StackSpec =
    | { kind: "named"; stack: "dev" | "staging" | "production" | "production-dr" | "bootstrap" }
    | { kind: "preview"; n: number }
    | { kind: "sandbox"; name: string; environment: string; platform: "aws" | "local" }
    | { kind: "badName"; stack: string };

export const stackSpec: fc.Arbitrary<StackSpec> = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom("dev", "staging", "production", "production-dr", "bootstrap").map((stack) => ({ kind: "named" as const, stack })) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 99_999 }).map((n) => ({ kind: "preview" as const, n })) },
    {
        weight: 3,
        arbitrary: fc.record({
            kind: fc.constant("sandbox" as const),
            name: fc.stringMatching(/^sandbox-[a-z]{1,8}$/),
            environment: fc.constantFrom("development", "staging", "production"),
            platform: fc.constantFrom("aws" as const, "local" as const),
        }),
    },
    { weight: 1, arbitrary: fc.constantFrom("pr-0", "pr-042", "pr-abc", "pr-", "pr-7a").map((stack) => ({ kind: "badName" as const, stack })) },
);

function stackName(s: StackSpec): string {
    if (s.kind === "named" || s.kind === "badName") return s.stack;
    if (s.kind === "preview") return `pr-${s.n}`;
    return s.name;
}

/** What a stack of this kind is given before the changes: its file, and what its deployment sets. */
function baseOf(s: StackSpec): { config: Record<string, string>; env: Record<string, string> } {
    const stack = stackName(s);
    const env: Record<string, string> = { ...SECRET_SENTINELS, ...deployEnv(stack) };
    if (s.kind === "badName") return { config: {}, env: { ...env, OPS_APP__IMAGE__REPOSITORY: "myapp/backend", OPS_APP__IMAGE__TAG: "1.0.0" } };
    if (s.kind !== "sandbox") return { config: { ...ownConfig(stack) }, env };
    // An engineer's own stack: its stack file names the environment, and names of its own.
    const config: Record<string, string> = {
        ...ownConfig(stack),
        [`${NS}:environment`]: s.environment,
        [`${NS}:platform`]: s.platform,
        [`${NS}:appName`]: "sandbox",
        [`${NS}:app`]: JSON.stringify({ image: { repository: "myapp/backend", tag: "1.0.0" } }),
    };
    if (s.platform === "aws") {
        config[`${NS}:hostname`] = "app.sandbox.example.com";
        config[`${NS}:edge`] = JSON.stringify({ zone: { name: "sandbox.example.com" } });
    }
    return { config, env };
}

// ---------------------------------------------------------------- changes

type Via = "config" | "env" | "both";

export type Change =
    | { t: "leaf"; leaf: number; via: Via; value: unknown; lower?: unknown; odd?: string }
    | { t: "unknownKey"; where: "configTop" | "configNested" | "env"; key: number; name: string; value: unknown; encrypted: boolean }
    | { t: "nesting"; how: "leafElsewhere" | "scalarForObject" | "dottedKey"; leaf: number; object: number; raw: string; via: "config" | "env" }
    | { t: "envJson"; object: number; children: Array<{ leaf: number; value: unknown }>; malformed?: string }
    | { t: "secret"; key: string; via: "env" | "configSecret" | "configPlain"; value: unknown }
    | { t: "encryptedPlain"; leaf: number; value: string };

const leafIndex = (): fc.Arbitrary<number> => fc.nat({ max: schemaLeaves().length - 1 });

function leafChange(): fc.Arbitrary<Change> {
    return leafIndex().chain((i) => {
        const leaf = schemaLeaves()[i]!;
        const value = fc.oneof({ weight: 3, arbitrary: validValue(leaf) }, { weight: 2, arbitrary: invalidValue(leaf) });
        const odd = oddSpelling(leaf.key);
        return fc.record(
            {
                t: fc.constant("leaf" as const),
                leaf: fc.constant(i),
                via: fc.constantFrom<Via>("config", "env", "both"),
                value,
                lower: value,
                odd: odd ?? fc.constant(undefined),
            },
            { requiredKeys: ["t", "leaf", "via", "value"] },
        );
    });
}

function unknownKeyChange(): fc.Arbitrary<Change> {
    const keys = allKeys();
    return fc.nat({ max: keys.length - 1 }).chain((i) => {
        const key = keys[i]!;
        const where = key.path.length === 1 ? fc.constantFrom("configTop" as const, "env" as const) : fc.constantFrom("configNested" as const, "env" as const);
        return where.chain((w) =>
            fc.record({
                t: fc.constant("unknownKey" as const),
                where: fc.constant(w),
                key: fc.constant(i),
                name: misspell(w === "env" ? key.envVar.slice(4) : key.path[key.path.length - 1]!),
                value: key.secret ? secretValue : fc.oneof(validValue(schemaLeaves().find((l) => l.key === key) ?? schemaLeaves()[0]!), nastyStrings),
                encrypted: key.secret ? fc.boolean() : fc.constant(false),
            }),
        );
    });
}

function nestingChange(): fc.Arbitrary<Change> {
    return fc.record({
        t: fc.constant("nesting" as const),
        how: fc.constantFrom("leafElsewhere" as const, "scalarForObject" as const, "dottedKey" as const),
        leaf: leafIndex(),
        object: fc.nat({ max: objectKeys().length - 1 }),
        raw: fc.oneof(fc.constantFrom("5", "true", '"text"', "[]", "[1, 2]", "{app: 1}", "8000,9000"), nastyStrings),
        via: fc.constantFrom("config" as const, "env" as const),
    });
}

function envJsonChange(): fc.Arbitrary<Change> {
    return fc.nat({ max: objectKeys().length - 1 }).chain((o) => {
        const object = objectKeys()[o]!;
        const children = schemaLeaves()
            .map((l, i) => ({ l, i }))
            .filter(({ l }) => l.key.path.length === object.path.length + 1 && l.key.dotted.startsWith(`${object.dotted}.`));
        const child: fc.Arbitrary<Array<{ leaf: number; value: unknown }>> =
            children.length === 0
                ? fc.constant([])
                : fc.array(
                      fc.constantFrom(...children).chain(({ l, i }) => fc.record({ leaf: fc.constant(i), value: fc.oneof(validValue(l), invalidValue(l)) })),
                      { minLength: 1, maxLength: 3 },
                  );
        return fc.record(
            {
                t: fc.constant("envJson" as const),
                object: fc.constant(o),
                children: child,
                malformed: fc.constantFrom("{min: 2}", '{"a": 1,}', "{'a': 1}", '{"a": ', "[1, 2", "{}}", "nul"),
            },
            { requiredKeys: ["t", "object", "children"] },
        );
    });
}

const SECRET_KEYS = allKeys().filter((k) => k.secret);

function secretChange(): fc.Arbitrary<Change> {
    return fc.record({
        t: fc.constant("secret" as const),
        key: fc.constantFrom(...SECRET_KEYS.map((k) => k.dotted)),
        via: fc.constantFrom("env" as const, "configSecret" as const, "configPlain" as const),
        value: fc.oneof({ weight: 4, arbitrary: secretValue }, { weight: 1, arbitrary: fc.constantFrom("", 42, true) }, { weight: 1, arbitrary: secretValue.map((s) => ({ value: s })) }),
    });
}

function encryptedPlainChange(): fc.Arbitrary<Change> {
    const top = schemaLeaves()
        .map((l, i) => ({ l, i }))
        .filter(({ l }) => l.key.path.length === 1 && !l.key.secret && l.key.kind === "string");
    return fc.record({ t: fc.constant("encryptedPlain" as const), leaf: fc.constantFrom(...top.map((x) => x.i)), value: secretValue });
}

export const change: fc.Arbitrary<Change> = fc.oneof(
    { weight: 8, arbitrary: leafChange() },
    { weight: 3, arbitrary: unknownKeyChange() },
    { weight: 2, arbitrary: nestingChange() },
    { weight: 2, arbitrary: envJsonChange() },
    { weight: 2, arbitrary: secretChange() },
    { weight: 1, arbitrary: encryptedPlainChange() },
);

/** A stack and up to four changes; none when the stack alone is the case. */
export const fuzzInput = fc.record({ stack: stackSpec, changes: fc.array(change, { maxLength: 4 }) });

// ---------------------------------------------------------------- building a case

function setIn(tree: Record<string, unknown>, path: readonly string[], value: unknown): void {
    let node = tree;
    for (const seg of path.slice(0, -1)) {
        if (!node[seg] || typeof node[seg] !== "object" || Array.isArray(node[seg])) node[seg] = {};
        node = node[seg] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
}

function topObject(config: Record<string, string>, top: string): Record<string, unknown> {
    try {
        const v: unknown = JSON.parse(config[`${NS}:${top}`] ?? "{}");
        return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

/** Sets a key's value in the stack config: a top-level key as the string Pulumi passes, a nested one inside its top-level key's JSON. */
function setConfig(config: Record<string, string>, key: KeyInfo, value: unknown): void {
    const [top, ...rest] = key.path;
    if (rest.length === 0) {
        config[`${NS}:${top}`] = asRaw(value, key);
        return;
    }
    const tree = topObject(config, top!);
    setIn(tree, rest, value);
    config[`${NS}:${top}`] = JSON.stringify(tree);
}

/** The value the schema sees for a key set in the stack config (a top-level string is read like a variable). */
function configValue(key: KeyInfo, value: unknown): { value: unknown } | { notJson: true } {
    if (key.path.length > 1) return { value };
    const raw = asRaw(value, key);
    // Pulumi passes a top-level object or list as JSON; one that does not parse is reported as such, any other text is a string.
    if (key.kind === "json" && !/^\s*[[{]/.test(raw)) return { value: raw };
    return readVariable(raw, key);
}

function leafOf(key: KeyInfo): Leaf | undefined {
    return schemaLeaves().find((l) => l.key === key);
}

/** Builds the case a stack and its changes make, with what the loader must say about it. */
export function buildCase(input: { stack: StackSpec; changes: Change[] }): FuzzCase {
    const stack = stackName(input.stack);
    const { config, env } = baseOf(input.stack);
    const c: FuzzCase = {
        stack,
        config: {},
        env: {},
        secretKeys: [],
        expected: [],
        secrets: Object.values(SECRET_SENTINELS),
        profileAtRisk: input.stack.kind === "sandbox" || input.stack.kind === "badName" || stack === "production-dr",
    };
    const bootstrap = stack === "bootstrap";
    const stackFile = `Pulumi.${stack}.yaml`;
    if (input.stack.kind === "badName") c.expected.push({ what: `the stack name ${stack}`, names: ["the stack name"], source: "", beforeProfile: true });
    // One change per top-level key: a second one would mask or merge with the first.
    const touched = new Set<string>();
    const claim = (...tops: string[]): boolean => {
        if (tops.some((t) => touched.has(t))) return false;
        tops.forEach((t) => touched.add(t));
        return true;
    };
    const secretIn = (v: unknown): void => {
        const text = typeof v === "string" ? v : JSON.stringify(v) ?? "";
        for (const m of text.matchAll(new RegExp(`${SECRET_MARK}[A-Za-z0-9+/=]+`, "g"))) c.secrets.push(m[0]);
    };
    // Values a bootstrap stack ignores when only a variable sets them (settings/load.ts: a shell may serve other stacks too).
    const ignoredByBootstrap = (key: KeyInfo, via: "config" | "env"): boolean => bootstrap && via === "env" && !BOOTSTRAP.has(key.path[0]!);
    const expect = (e: Expectation): void => void c.expected.push(e);
    // A value set in the stack config decides only when no variable sets the key, or a key above or inside it.
    const configDecides = (key: KeyInfo): void => {
        for (const k of allKeys()) if (k.dotted === key.dotted || k.dotted.startsWith(`${key.dotted}.`) || key.dotted.startsWith(`${k.dotted}.`)) delete env[k.envVar];
    };

    for (const ch of input.changes) {
        switch (ch.t) {
            case "leaf": {
                const leaf = schemaLeaves()[ch.leaf]!;
                const key = leaf.key;
                const top = key.path[0]!;
                if (!claim(top)) break;
                if (key.secret) {
                    secretIn(ch.value);
                    secretIn(ch.lower);
                }
                let seen: { value: unknown } | { notJson: true };
                let source: string;
                let via: "config" | "env";
                if (ch.via === "config") {
                    if (key.secret) c.secretKeys.push(`${NS}:${top}`);
                    setConfig(config, key, ch.value);
                    configDecides(key);
                    seen = configValue(key, ch.value);
                    source = stackFile;
                    via = "config";
                } else {
                    if (ch.via === "both") {
                        if (key.secret) c.secretKeys.push(`${NS}:${top}`);
                        setConfig(config, key, ch.lower);
                    }
                    const raw = ch.odd !== undefined && !key.secret ? ch.odd : asRaw(ch.value, key);
                    if (raw.includes("\u0000")) break;
                    env[key.envVar] = raw;
                    seen = readVariable(raw, key);
                    source = `environment variable ${key.envVar}`;
                    via = "env";
                }
                // The bootstrap stack refuses a key it does not read from its stack file, whatever a variable says.
                if (bootstrap && ch.via !== "env" && !BOOTSTRAP.has(top)) expect({ what: `${key.dotted} in ${stackFile}`, names: [`${NS}:${top}`], source: stackFile, beforeProfile: false });
                const notJson = "notJson" in seen;
                const valid = "value" in seen && leafAccepts(leaf, seen.value);
                // The lower layer's value, when the variable overrides it, is not the stack's value: it must not be judged.
                if (notJson || (!valid && !ignoredByBootstrap(key, via))) {
                    expect({ what: `${key.dotted} = ${short(ch.via === "config" ? ch.value : env[key.envVar])} via ${ch.via}`, names: [`${NS}:${key.dotted}`, key.envVar], source, beforeProfile: notJson });
                }
                break;
            }
            case "unknownKey": {
                const key = allKeys()[ch.key]!;
                if (!claim(key.path[0]!)) break;
                if (key.secret) secretIn(ch.value);
                if (ch.where === "env") {
                    const name = `OPS_${ch.name}`;
                    if (keyAt(name) || allKeys().some((k) => k.envVar === name) || name.includes("\u0000")) break;
                    env[name] = asRaw(ch.value, key);
                    expect({ what: `misspelt variable ${name}`, names: [name], source: `environment variable ${name}`, beforeProfile: true });
                } else if (ch.where === "configTop") {
                    if (keyAt(ch.name)) break;
                    config[`${NS}:${ch.name}`] = asRaw(ch.value, key);
                    if (ch.encrypted) c.secretKeys.push(`${NS}:${ch.name}`);
                    expect({ what: `misspelt key ${NS}:${ch.name}`, names: [`${NS}:${ch.name}`], source: stackFile, beforeProfile: true });
                } else {
                    const parent = key.path.slice(0, -1);
                    const dotted = [...parent, ch.name].join(".");
                    if (keyAt(dotted)) break;
                    const top = topObject(config, parent[0]!);
                    setIn(top, [...parent.slice(1), ch.name], ch.value);
                    config[`${NS}:${parent[0]!}`] = JSON.stringify(top);
                    expect({ what: `misspelt key ${dotted} inside ${NS}:${parent[0]!}`, names: [`${NS}:${dotted}`], source: stackFile, beforeProfile: false });
                }
                break;
            }
            case "nesting": {
                const leaf = schemaLeaves()[ch.leaf]!;
                const object = objectKeys()[ch.object]!;
                if (ch.how === "leafElsewhere") {
                    const name = leaf.key.path[leaf.key.path.length - 1]!;
                    const dotted = `${object.dotted}.${name}`;
                    if (keyAt(dotted) || !claim(object.path[0]!)) break;
                    if (leaf.key.secret) break;
                    if (ch.via === "config") {
                        const top = topObject(config, object.path[0]!);
                        setIn(top, [...object.path.slice(1), name], 1);
                        config[`${NS}:${object.path[0]!}`] = JSON.stringify(top);
                        expect({ what: `${name} inside ${object.dotted} (stack config)`, names: [`${NS}:${dotted}`], source: stackFile, beforeProfile: false });
                    } else {
                        env[object.envVar] = JSON.stringify({ [name]: 1 });
                        if (!ignoredByBootstrap(object, "env")) expect({ what: `${name} inside ${object.envVar}`, names: [`${NS}:${dotted}`], source: `environment variable ${object.envVar}`, beforeProfile: false });
                    }
                } else if (ch.how === "scalarForObject") {
                    if (!claim(object.path[0]!) || ch.raw.includes("\u0000")) break;
                    const seen = readVariable(ch.raw, object);
                    const isObjectValue = "value" in seen && seen.value !== null && typeof seen.value === "object" && !Array.isArray(seen.value);
                    if (isObjectValue) break;
                    if (ch.via === "env") {
                        env[object.envVar] = ch.raw;
                        if ("notJson" in seen || !ignoredByBootstrap(object, "env")) {
                            expect({ what: `${object.envVar}=${short(ch.raw)}`, names: [`${NS}:${object.dotted}`], source: `environment variable ${object.envVar}`, beforeProfile: "notJson" in seen });
                        }
                    } else {
                        if (object.path.length !== 1) break;
                        config[`${NS}:${object.dotted}`] = ch.raw;
                        const broken = /^\s*[[{]/.test(ch.raw) && "notJson" in seen;
                        expect({ what: `${NS}:${object.dotted} = ${short(ch.raw)}`, names: [`${NS}:${object.dotted}`], source: stackFile, beforeProfile: broken });
                    }
                } else {
                    // `ops:app.port` written as a key, without `pulumi config set --path`.
                    if (leaf.key.path.length < 2 || leaf.key.secret || !claim(leaf.key.path[0]!)) break;
                    config[`${NS}:${leaf.key.dotted}`] = "1";
                    expect({ what: `the key ${NS}:${leaf.key.dotted} set without --path`, names: [`${NS}:${leaf.key.dotted}`], source: stackFile, beforeProfile: true });
                }
                break;
            }
            case "envJson": {
                const object = objectKeys()[ch.object]!;
                if (!claim(object.path[0]!)) break;
                const source = `environment variable ${object.envVar}`;
                if (ch.malformed !== undefined) {
                    env[object.envVar] = ch.malformed;
                    expect({ what: `${object.envVar}=${ch.malformed}`, names: [`${NS}:${object.dotted}`], source, beforeProfile: true });
                    break;
                }
                const tree: Record<string, unknown> = {};
                for (const { leaf: i, value } of ch.children) {
                    const leaf = schemaLeaves()[i]!;
                    const name = leaf.key.path[leaf.key.path.length - 1]!;
                    tree[name] = value;
                }
                // A variable of a key inside the object wins over the object's JSON (docs/configuration.md): none is left to.
                for (const k of allKeys()) if (k.dotted.startsWith(`${object.dotted}.`)) delete env[k.envVar];
                env[object.envVar] = JSON.stringify(tree);
                if (leafAcceptsChildrenOf(object, tree) || ignoredByBootstrap(object, "env")) break;
                for (const [name, value] of Object.entries(tree)) {
                    const leaf = leafOf(keyAt(`${object.dotted}.${name}`)!)!;
                    if (leaf.key.secret) secretIn(value);
                    if (!leafAccepts(leaf, value)) expect({ what: `${object.dotted}.${name} = ${short(value)} in ${object.envVar}`, names: [`${NS}:${leaf.key.dotted}`], source, beforeProfile: false });
                }
                break;
            }
            case "secret": {
                const key = keyAt(ch.key)!;
                if (!claim(key.path[0]!)) break;
                secretIn(ch.value);
                const leaf = leafOf(key)!;
                if (ch.via === "env") {
                    const raw = asRaw(ch.value, key);
                    env[key.envVar] = raw;
                    if (!leafAccepts(leaf, raw) && !bootstrap) expect({ what: `${key.envVar} = ${short(raw)}`, names: [`${NS}:${key.dotted}`], source: `environment variable ${key.envVar}`, beforeProfile: false });
                } else {
                    config[`${NS}:${key.dotted}`] = asRaw(ch.value, key);
                    configDecides(key);
                    if (ch.via === "configSecret") c.secretKeys.push(`${NS}:${key.dotted}`);
                    const seen = configValue(key, ch.value);
                    const valid = "value" in seen && leafAccepts(leaf, seen.value);
                    if (ch.via === "configPlain" || !valid || bootstrap) {
                        expect({ what: `${NS}:${key.dotted} set ${ch.via === "configPlain" ? "in plain text" : "encrypted"}`, names: [`${NS}:${key.dotted}`], source: stackFile, beforeProfile: ch.via === "configPlain" });
                    }
                }
                break;
            }
            case "encryptedPlain": {
                const key = schemaLeaves()[ch.leaf]!.key;
                if (!claim(key.path[0]!)) break;
                config[`${NS}:${key.dotted}`] = ch.value;
                configDecides(key);
                c.secretKeys.push(`${NS}:${key.dotted}`);
                c.secrets.push(ch.value);
                expect({ what: `${NS}:${key.dotted} encrypted though not a secret`, names: [`${NS}:${key.dotted}`], source: stackFile, beforeProfile: true });
                break;
            }
        }
    }
    // Only what differs from the stack's own config and environment travels to the worker (its own stack file is read there).
    const own = input.stack.kind === "badName" ? {} : ownConfig(stack);
    for (const [k, v] of Object.entries(config)) if (own[k] !== v) c.config[k] = v;
    c.env = env;
    c.secretKeys = [...new Set(c.secretKeys)];
    c.secrets = [...new Set(c.secrets)].filter((s) => s.length >= 8);
    return c;
}

/** Whether every child value set in an object's JSON is valid for its leaf. */
function leafAcceptsChildrenOf(object: KeyInfo, tree: Record<string, unknown>): boolean {
    return Object.entries(tree).every(([name, value]) => {
        const key = keyAt(`${object.dotted}.${name}`);
        const leaf = key && leafOf(key);
        return leaf !== undefined && leafAccepts(leaf, value);
    });
}

function short(v: unknown): string {
    const text = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
