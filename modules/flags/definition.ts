import * as YAML from "yaml";
import type { Problem } from "../../settings/errors";

/**
 * The feature flags of runbook 2.4, as the repository declares them (`flags/flags.yaml`): one
 * typed definition per flag, read and checked here before anything is created. Pure: the program,
 * `npm run flags` and the tests read the same file the same way.
 *
 * A flag is either
 * - `boolean`: a release flag (on for a share of users, then everyone) or a kill switch, or
 * - `variants`: an A/B test, each variant a set of attribute values, users split between them.
 *
 * Each environment of the runbook (development, staging, production) states its value. Every
 * flag has an owner and a removal date (runbook 2.4: "clean up flags after full rollout"); only a
 * boolean operational kill switch may be `permanent`, with the reason.
 */

/** The runbook environments a flag states a value for (settings `environment`). */
export const FLAG_ENVIRONMENTS = ["development", "staging", "production"] as const;
export type FlagEnvironment = (typeof FLAG_ENVIRONMENTS)[number];

/** A flag key, an attribute or a variant name: lower snake case. AppConfig allows `^[a-z][a-zA-Z\d_-]{0,63}$` (AWS.AppConfig.FeatureFlags schema); this is the stricter subset the app's code can name as an identifier. */
export const FLAG_KEY = /^[a-z][a-z0-9_]{1,63}$/;
/** A context key the split hashes (`$userId` in AppConfig's rule language). */
const CONTEXT_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** A team handle or an address someone reads. */
const OWNER = /^([a-z0-9][a-z0-9-]{1,62}|[^@\s]+@[^@\s]+\.[a-z]{2,})$/;
/** AppConfig's limits: a description of at most 1,024 characters, at most 25 attributes a flag, string values of at most 1,024 characters. */
const MAX_DESCRIPTION = 1024;
const MAX_ATTRIBUTES = 25;
const MAX_STRING_VALUE = 1024;
/** AppConfig evaluates at most 32 variants a flag (`_variants` maxLength in the type reference). */
const MAX_VARIANTS = 32;

/** An attribute value a variant carries (AWS.AppConfig.FeatureFlags `attributeValue`, arrays left out). */
export type AttributeValue = string | number | boolean;

/** One environment of a boolean flag: off, on for everyone, or on for a share of users. */
export interface BooleanState {
    enabled: boolean;
    /** Share of users (by `splitBy`) who get it, 1 to 100. @default 100 when enabled */
    rolloutPercent: number;
}

/** One environment of a variants flag: off (everyone the default), or users split between variants. */
export interface VariantsState {
    enabled: boolean;
    /** Percent of users per non-default variant; the rest get the default variant. */
    split: Record<string, number>;
}

interface FlagCommon {
    key: string;
    description: string;
    owner: string;
    /** `YYYY-MM-DD`: the flag is overdue after this day (and `npm test` fails). */
    removeBy?: string;
    /** Why a kill switch stays (boolean flags only), instead of a removal date. */
    permanent?: string;
    /** The context key users are split by (the app sends it in the `Context` header). @default "userId" */
    splitBy: string;
}

export interface BooleanFlag extends FlagCommon {
    type: "boolean";
    /** What the app uses when it cannot read the flags at all. */
    default: boolean;
    environments: Record<FlagEnvironment, BooleanState>;
}

export interface VariantsFlag extends FlagCommon {
    type: "variants";
    /** The variant a user gets outside every split, and when the flag is off or unreadable. */
    default: string;
    /** The variants in declaration order, each with the same attributes. */
    variants: Record<string, Record<string, AttributeValue>>;
    environments: Record<FlagEnvironment, VariantsState>;
}

export type Flag = BooleanFlag | VariantsFlag;

/** The checked flags, in file order, or every problem with the file. */
export type FlagsFile = { flags: Flag[]; problems: [] } | { flags: undefined; problems: Problem[] };

const FLAG_FIELDS = ["description", "owner", "type", "default", "removeBy", "permanent", "splitBy", "variants", "environments"] as const;

/** Reads and checks the flags file's text; `file` is its path relative to the project, for messages. */
export function parseFlags(text: string, file: string): FlagsFile {
    const lines = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const at = (path: readonly (string | number)[]): string => {
        const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
        const range = node?.range ?? (path.length > 0 ? (doc.getIn(path.slice(0, -1), true) as { range?: [number, number, number] } | undefined)?.range : undefined);
        return range ? `${file}, line ${lines.linePos(range[0]).line}` : file;
    };
    if (doc.errors.length > 0) {
        const e = doc.errors[0]!;
        return {
            flags: undefined,
            problems: [
                {
                    key: file,
                    received: `YAML that does not parse: ${e.message.split("\n")[0]}`,
                    source: `${file}, line ${lines.linePos(e.pos[0]).line}`,
                    allowed: "a YAML document with a top-level `flags:` map (docs/flags.md)",
                    fix: `correct the YAML at that line of ${file}`,
                },
            ],
        };
    }
    const root: unknown = doc.toJS();
    const v = new Checker(file, at);
    if (!isObject(root) || !isObject(root["flags"])) {
        v.problem([], root, "a top-level `flags:` map of flag keys to definitions, `flags: {}` for none", "start the file with `flags:` (see docs/flags.md)");
        return { flags: undefined, problems: v.problems };
    }
    for (const k of Object.keys(root).filter((k) => k !== "flags")) v.problem([k], root[k], "only the `flags:` map at the top level", `remove \`${k}\` from ${file}`);
    const flags = Object.entries(root["flags"]).map(([key, def]) => checkFlag(v, key, def));
    if (v.problems.length > 0) return { flags: undefined, problems: v.problems };
    return { flags: flags.filter((f): f is Flag => f !== undefined), problems: [] };
}

/** Collects problems, each naming its path in the file and its line. */
class Checker {
    readonly problems: Problem[] = [];
    constructor(
        private readonly file: string,
        private readonly at: (path: readonly (string | number)[]) => string,
    ) {}

    problem(path: readonly string[], received: unknown, allowed: string, fix: string): void {
        this.problems.push({ key: `${this.file}: ${path.join(".") || "(the whole file)"}`, received: shown(received), source: this.at(path), allowed, fix });
    }
}

function checkFlag(v: Checker, key: string, def: unknown): Flag | undefined {
    const path = ["flags", key];
    const before = v.problems.length;
    if (!FLAG_KEY.test(key)) {
        v.problem(path, key, "a flag key in lower snake case, 2 to 64 characters, starting with a letter (the key the app asks for)", `rename the flag, for example ${suggestKey(key)}`);
    }
    if (!isObject(def)) {
        v.problem(path, def, "a map with description, owner, type, default, removeBy (or permanent) and environments", `give ${key} its definition (docs/flags.md, "Add a flag")`);
        return undefined;
    }
    for (const field of Object.keys(def).filter((f) => !(FLAG_FIELDS as readonly string[]).includes(f))) {
        v.problem([...path, field], def[field], `one of ${FLAG_FIELDS.join(", ")}`, `remove ${field} from ${key}`);
    }
    const description = def["description"];
    if (typeof description !== "string" || description.trim() === "" || description.length > MAX_DESCRIPTION) {
        v.problem([...path, "description"], description, `what the flag changes, in words a reader of an incident channel understands (1 to ${MAX_DESCRIPTION} characters)`, `describe ${key}`);
    }
    const owner = def["owner"];
    if (typeof owner !== "string" || !OWNER.test(owner)) {
        v.problem([...path, "owner"], owner, "the owning team's handle (lower case, digits and dashes, such as team-payments) or an email address", `set owner: <team> on ${key}`);
    }
    const splitBy = def["splitBy"] ?? "userId";
    if (typeof splitBy !== "string" || !CONTEXT_KEY.test(splitBy)) {
        v.problem([...path, "splitBy"], splitBy, "the context key users are split by, letters, digits and underscores (the app sends it as `Context: userId=<id>`)", "set splitBy: userId, or remove it");
    }
    checkLifetime(v, path, def);
    const common = { key, description: String(description), owner: String(owner), splitBy: String(splitBy), ...lifetime(def) };
    const type = def["type"];
    let flag: Flag | undefined;
    if (type === "boolean") flag = checkBoolean(v, path, def, common);
    else if (type === "variants") flag = checkVariants(v, path, def, common);
    else v.problem([...path, "type"], type, "boolean (a release flag or kill switch) or variants (an A/B test)", `set type: boolean on ${key}`);
    return v.problems.length === before ? flag : undefined;
}

function lifetime(def: Record<string, unknown>): { removeBy?: string; permanent?: string } {
    return {
        ...(typeof def["removeBy"] === "string" ? { removeBy: def["removeBy"] } : {}),
        ...(typeof def["permanent"] === "string" ? { permanent: def["permanent"] } : {}),
    };
}

/** A removal date, or for a boolean kill switch the reason it stays. */
function checkLifetime(v: Checker, path: string[], def: Record<string, unknown>): void {
    const key = path[1]!;
    const removeBy = def["removeBy"];
    const permanent = def["permanent"];
    if (removeBy !== undefined && permanent !== undefined) {
        v.problem([...path, "permanent"], permanent, "either removeBy (a date) or permanent (a reason), not both", `remove permanent or removeBy from ${key}`);
        return;
    }
    if (permanent !== undefined) {
        if (def["type"] !== "boolean") v.problem([...path, "permanent"], permanent, "permanent only on a boolean kill switch: an A/B test ends", `give ${key} a removeBy date instead`);
        else if (typeof permanent !== "string" || permanent.trim() === "") v.problem([...path, "permanent"], permanent, "the reason this kill switch stays, in words", `write why ${key} is permanent, or give it a removeBy date`);
        return;
    }
    if (removeBy === undefined) {
        v.problem([...path, "removeBy"], undefined, "the date the flag is to be removed by, YYYY-MM-DD (runbook 2.4: clean up flags after full rollout)", `add removeBy: ${isoDate(addDays(new Date(), 90))} to ${key}`);
    } else if (!isCalendarDate(removeBy)) {
        v.problem([...path, "removeBy"], removeBy, "a calendar date, YYYY-MM-DD, such as 2027-03-31 (quoted or not)", `write the date as YYYY-MM-DD on ${key}`);
    }
}

function checkBoolean(v: Checker, path: string[], def: Record<string, unknown>, common: Omit<FlagCommon, "removeBy" | "permanent"> & Partial<FlagCommon>): BooleanFlag | undefined {
    const key = path[1]!;
    if (typeof def["default"] !== "boolean") {
        v.problem([...path, "default"], def["default"], "true or false: what the app does when it cannot read the flags (a kill switch's safe state)", `set default: false on ${key}`);
    }
    if (def["variants"] !== undefined) v.problem([...path, "variants"], def["variants"], "no variants on a boolean flag", `remove variants, or set type: variants on ${key}`);
    const environments = eachEnvironment(v, path, def["environments"], (env, state, p) => {
        const fields = Object.keys(state).filter((f) => f !== "enabled" && f !== "rolloutPercent");
        for (const f of fields) v.problem([...p, f], state[f], "enabled, and rolloutPercent for a share of users", `remove ${f}`);
        if (typeof state["enabled"] !== "boolean") v.problem([...p, "enabled"], state["enabled"], "true or false", `set enabled: false for ${env}`);
        const pct = state["rolloutPercent"];
        if (pct !== undefined && state["enabled"] !== true) {
            v.problem([...p, "rolloutPercent"], pct, "no rolloutPercent while the flag is off", `remove rolloutPercent, or set enabled: true for ${env}`);
        } else if (pct !== undefined && !isPercent(pct)) {
            v.problem([...p, "rolloutPercent"], pct, "a whole percentage of users from 1 to 100 (100, or no value, is everyone)", `set rolloutPercent to a whole number from 1 to 100 for ${env}`);
        }
        return { enabled: state["enabled"] === true, rolloutPercent: state["enabled"] === true ? (typeof pct === "number" ? pct : 100) : 0 };
    });
    return environments ? { ...common, type: "boolean", default: def["default"] === true, environments } : undefined;
}

function checkVariants(v: Checker, path: string[], def: Record<string, unknown>, common: Omit<FlagCommon, "removeBy" | "permanent"> & Partial<FlagCommon>): VariantsFlag | undefined {
    const key = path[1]!;
    const variants = checkVariantValues(v, [...path, "variants"], def["variants"]);
    const names = variants ? Object.keys(variants) : [];
    const dflt = def["default"];
    if (variants && (typeof dflt !== "string" || !names.includes(dflt))) {
        v.problem([...path, "default"], dflt, `one of the variants (${names.join(", ")}): what a user gets outside every split`, `set default: ${names[0] ?? "control"} on ${key}`);
    }
    const environments = eachEnvironment(v, path, def["environments"], (env, state, p) => {
        for (const f of Object.keys(state).filter((f) => f !== "enabled" && f !== "split")) v.problem([...p, f], state[f], "enabled, and split for the share of users per variant", `remove ${f}`);
        if (typeof state["enabled"] !== "boolean") v.problem([...p, "enabled"], state["enabled"], "true or false", `set enabled: false for ${env}`);
        const split = state["split"];
        if (split !== undefined && state["enabled"] !== true) {
            v.problem([...p, "split"], split, "no split while the flag is off (everyone gets the default variant)", `remove split, or set enabled: true for ${env}`);
            return { enabled: false, split: {} };
        }
        if (split === undefined) return { enabled: state["enabled"] === true, split: {} };
        if (!isObject(split)) {
            v.problem([...p, "split"], split, "a map of variant names to percentages of users, such as { treatment: 50 }", `write split as a map for ${env}`);
            return { enabled: true, split: {} };
        }
        for (const [name, pct] of Object.entries(split)) {
            // Variants that are themselves wrong are reported there; their splits are not checked against them.
            if (variants && (!names.includes(name) || name === dflt)) {
                v.problem([...p, "split", name], name, `a variant other than the default ${String(dflt)}: ${names.filter((n) => n !== dflt).join(", ")}`, `split between the declared variants for ${env}`);
            } else if (!isPercent(pct)) {
                v.problem([...p, "split", name], pct, "a whole percentage of users from 1 to 100", `set ${name} to a whole number from 1 to 100 for ${env}`);
            }
        }
        const total = Object.values(split).reduce<number>((s, x) => s + (typeof x === "number" ? x : 0), 0);
        if (total > 100) v.problem([...p, "split"], split, `percentages that add up to at most 100 (these add up to ${total}); the rest get the default variant`, `lower the split for ${env}`);
        return { enabled: true, split: split as Record<string, number> };
    });
    return variants && environments ? { ...common, type: "variants", default: String(dflt), variants, environments } : undefined;
}

/** The variants: at least two, same attributes of the same types in each. */
function checkVariantValues(v: Checker, path: string[], raw: unknown): Record<string, Record<string, AttributeValue>> | undefined {
    const key = path[1]!;
    if (!isObject(raw) || Object.keys(raw).length < 2 || Object.keys(raw).length > MAX_VARIANTS) {
        v.problem(path, raw, `a map of 2 to ${MAX_VARIANTS} variant names to their attribute values, such as { control: { color: blue }, green: { color: green } }`, `declare the variants of ${key}`);
        return undefined;
    }
    const before = v.problems.length;
    const entries = Object.entries(raw);
    const [firstName, first] = entries[0]!;
    for (const [name, attrs] of entries) {
        if (!FLAG_KEY.test(name)) v.problem([...path, name], name, "a variant name in lower snake case, 2 to 64 characters", `rename the variant of ${key}`);
        if (!isObject(attrs) || Object.keys(attrs).length === 0 || Object.keys(attrs).length > MAX_ATTRIBUTES) {
            v.problem([...path, name], attrs, `a map of 1 to ${MAX_ATTRIBUTES} attributes to values (what the app reads for this variant)`, `give the variant ${name} its attribute values`);
            continue;
        }
        for (const [attr, value] of Object.entries(attrs)) {
            if (!FLAG_KEY.test(attr) || attr === "enabled") v.problem([...path, name, attr], attr, "an attribute name in lower snake case, other than enabled", `rename the attribute`);
            else if (!isAttributeValue(value)) v.problem([...path, name, attr], value, `a string (at most ${MAX_STRING_VALUE} characters), a number or true/false`, `set ${attr} to a plain value`);
            else if (isObject(first) && name !== firstName && typeof first[attr] !== typeof value) {
                v.problem([...path, name, attr], value, `the attributes of ${firstName} with the same types (${attr}: ${first[attr] === undefined ? "not declared there" : typeof first[attr]})`, `give every variant the same attributes`);
            }
        }
        if (isObject(first) && name !== firstName) {
            for (const attr of Object.keys(first).filter((a) => !(attr_in(attrs, a)))) v.problem([...path, name], attrs, `every attribute of ${firstName}: ${attr} is missing`, `add ${attr} to the variant ${name}`);
        }
    }
    return v.problems.length === before ? (raw as Record<string, Record<string, AttributeValue>>) : undefined;
}

function attr_in(attrs: Record<string, unknown>, a: string): boolean {
    return Object.prototype.hasOwnProperty.call(attrs, a);
}

/** Each runbook environment's state, checked by `one`; undefined when the map itself is wrong. */
function eachEnvironment<S>(
    v: Checker,
    path: string[],
    raw: unknown,
    one: (env: FlagEnvironment, state: Record<string, unknown>, path: string[]) => S,
): Record<FlagEnvironment, S> | undefined {
    const key = path[1]!;
    const p = [...path, "environments"];
    if (!isObject(raw)) {
        v.problem(p, raw, `a map with the flag's state in each of ${FLAG_ENVIRONMENTS.join(", ")}`, `add environments: { development: { enabled: true }, staging: { enabled: false }, production: { enabled: false } } to ${key}`);
        return undefined;
    }
    for (const env of Object.keys(raw).filter((e) => !(FLAG_ENVIRONMENTS as readonly string[]).includes(e))) {
        v.problem([...p, env], env, `one of ${FLAG_ENVIRONMENTS.join(", ")} (a preview takes staging's value, production-dr production's)`, `remove ${env} from ${key}`);
    }
    const out: Partial<Record<FlagEnvironment, S>> = {};
    for (const env of FLAG_ENVIRONMENTS) {
        const state = raw[env];
        if (!isObject(state)) {
            v.problem([...p, env], state, `the flag's state in ${env}, such as { enabled: false }: every environment says it explicitly`, `add ${env}: { enabled: false } to ${key}`);
            continue;
        }
        out[env] = one(env, state, [...p, env]);
    }
    return out as Record<FlagEnvironment, S>;
}

/** Flags whose removal date is before `today` (a `YYYY-MM-DD` in UTC), with the days they are overdue. */
export function overdueFlags(flags: readonly Flag[], today: string): Array<{ flag: Flag; daysOverdue: number }> {
    return flags
        .filter((f) => f.removeBy !== undefined && f.removeBy < today)
        .map((flag) => ({ flag, daysOverdue: daysBetween(flag.removeBy!, today) }));
}

/** Days from `from` to `to` (both `YYYY-MM-DD`), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A date as `YYYY-MM-DD` (UTC). */
export function isoDate(d: Date): string {
    return d.toISOString().slice(0, 10);
}

function addDays(d: Date, days: number): Date {
    return new Date(d.getTime() + days * 86_400_000);
}

function isCalendarDate(x: unknown): x is string {
    if (typeof x !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(x)) return false;
    const t = Date.parse(`${x}T00:00:00Z`);
    return !Number.isNaN(t) && isoDate(new Date(t)) === x;
}

function isPercent(x: unknown): x is number {
    return typeof x === "number" && Number.isInteger(x) && x >= 1 && x <= 100;
}

function isAttributeValue(x: unknown): x is AttributeValue {
    return (typeof x === "string" && x.length <= MAX_STRING_VALUE) || (typeof x === "number" && Number.isFinite(x)) || typeof x === "boolean";
}

function isObject(x: unknown): x is Record<string, unknown> {
    return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Date);
}

function shown(x: unknown): string {
    if (x === undefined) return "nothing (the field is not set)";
    if (x instanceof Date) return isoDate(x);
    return JSON.stringify(x);
}

function suggestKey(key: string): string {
    const s = key
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toLowerCase()
        .replace(/[^a-z0-9_]+/g, "_")
        .replace(/^[^a-z]+/, "")
        .slice(0, 64);
    return s.length >= 2 ? s : "new_feature";
}
