import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Problem, SettingsError, cutText } from "./errors";
import { ENV_PREFIX, KeyInfo, allKeys, closest, coerce, jsonProblem, keyAt } from "./configKeys";
import { ownNamesProblems } from "./ownNames";
import { ProfileName, base, profileForEnvironment, profileForStack, profiles, stackDerived } from "./profiles";
import { BOOTSTRAP_KEYS, ENVIRONMENTS, ValidatedBootstrapSettings, ValidatedSettings, bootstrapSettingsSchema, settingsSchema } from "./schema";
import { StackShape, stackShape } from "./shape";
import { PROJECT_ROOT, ProjectFiles, projectFiles, stackFileName } from "./stackFiles";

/**
 * The runbook's configuration hierarchy (section 2.1) mapped onto Pulumi, lowest first:
 *   1. defaults in code: `base`, then the stack's profile (`profiles.ts`);
 *   2. typed defaults in `Pulumi.yaml`;
 *   3. `Pulumi.<stack>.yaml`;
 *   4. environment variables `OPS_*` (highest).
 * Pulumi itself merges 2 and 3 before the program sees them; the loader tells them apart by reading
 * `Pulumi.yaml`, so that every problem names the one place its value came from, and a fix that
 * works there.
 */

/** Keys whose values are secrets: top-level keys, so `pulumi config set --secret <key>` reaches them. */
export type SecretKey = "externalApiKey" | "pagerDutyIntegrationUrl" | "pagerDutyToken";

/** A stack's validated settings; secret values are Pulumi secrets. */
export type Settings = Omit<ValidatedSettings, SecretKey> & {
    [K in SecretKey]?: pulumi.Output<string>;
} & {
    /** The stack name. */
    stack: string;
    /** The profile the stack took its defaults from. */
    profile: ProfileName;
};

/** The bootstrap stack's validated settings (docs/bootstrap.md): its own keys only. */
export type BootstrapSettings = ValidatedBootstrapSettings & {
    stack: string;
    profile: "bootstrap";
};

/** Any stack's settings: the bootstrap stack's, or every other stack's. */
export type StackSettings = Settings | BootstrapSettings;

/** True for the bootstrap stack's settings. */
export function isBootstrap(settings: StackSettings): settings is BootstrapSettings {
    return settings.profile === "bootstrap";
}

/** What the loader reads; the real program fills it from the Pulumi runtime, `process.env` and the project's files. */
export interface SettingsSource {
    /** The Pulumi project name: the config namespace. */
    project: string;
    stack: string;
    /** Config as Pulumi passes it to a program: namespaced keys, string values (JSON for objects). */
    config: Readonly<Record<string, string>>;
    /** Which config keys Pulumi holds encrypted (`secure:` in the stack file), when known. */
    isSecret?: (namespacedKey: string) => boolean;
    env: Readonly<Record<string, string | undefined>>;
    /**
     * The project's files, when they can be read: which values `Pulumi.yaml` gave (the rest of
     * `config` is the stack file's), and the other stacks' config, so that no stack takes the names
     * of another (settings/ownNames.ts).
     */
    files?: ProjectFiles;
}

type Tree = Record<string, unknown>;

/** Where a value came from: one layer of the hierarchy, as a problem names it. */
interface Source {
    kind: "code" | "project" | "stack" | "env";
    /** As a problem shows it: `environment variable OPS_APP__PORT`, `Pulumi.staging.yaml`. */
    label: string;
    /** For an environment variable: its key (a leaf, or an object given as JSON). */
    envKey?: KeyInfo;
}
type Sources = Map<string, Source>;

/** One value a layer sets, at a key path. */
interface Entry {
    path: readonly string[];
    value: unknown;
    source: Source;
}

const NOT_SET = "nothing (the key is not set)";

function isPlainObject(v: unknown): v is Tree {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep-merges `layer` into `target` at `prefix` (arrays replace), recording which layer set each leaf. */
function mergeLayer(target: Tree, layer: unknown, source: Source, sources: Sources, prefix: readonly string[] = []): void {
    if (prefix.length > 0 && !(isPlainObject(layer) && keyAt(prefix.join("."))?.isObject)) {
        setLeaf(target, prefix, layer, source, sources);
        return;
    }
    if (!isPlainObject(layer)) return;
    for (const [k, v] of Object.entries(layer)) {
        const path = [...prefix, k];
        if (isPlainObject(v) && keyAt(path.join("."))?.isObject) {
            const parent = nodeAt(target, prefix, true)!;
            if (!isPlainObject(parent[k])) parent[k] = {};
            mergeLayer(target, v, source, sources, path);
        } else {
            setLeaf(target, path, v, source, sources);
        }
    }
}

function setLeaf(target: Tree, path: readonly string[], value: unknown, source: Source, sources: Sources): void {
    const parent = nodeAt(target, path.slice(0, -1), true)!;
    const leaf = path[path.length - 1]!;
    const dotted = path.join(".");
    // A value that replaces an object replaces the sources of the values inside it too.
    if (isPlainObject(parent[leaf])) for (const s of [...sources.keys()]) if (s.startsWith(`${dotted}.`)) sources.delete(s);
    parent[leaf] = value;
    sources.set(dotted, source);
}

/** The object at a path of a tree, created on the way when asked. */
function nodeAt(tree: Tree, path: readonly string[], create = false): Tree | undefined {
    let node = tree;
    for (const seg of path) {
        const next = node[seg];
        if (!isPlainObject(next)) {
            if (!create) return undefined;
            node[seg] = {};
        }
        node = node[seg] as Tree;
    }
    return node;
}

function getPath(tree: unknown, path: readonly string[]): unknown {
    let node = tree;
    for (const seg of path) {
        if (Array.isArray(node)) node = node[Number(seg)] as unknown;
        else if (isPlainObject(node)) node = node[seg];
        else return undefined;
    }
    return node;
}

/** A key path below another, as a message names it inside the other's JSON: `min`, `[0]`. */
function below(dotted: string, outer: string): string {
    return dotted.slice(outer.length).replace(/^\./, "");
}

/** A key path as `pulumi config set --path` takes it from a shell: quoted when it names a list item. */
function pathWord(dotted: string): string {
    return dotted.includes("[") ? `'${dotted}'` : dotted;
}

function deletePath(tree: Tree, path: readonly string[]): void {
    const parent = nodeAt(tree, path.slice(0, -1));
    if (parent) delete parent[path[path.length - 1]!];
}

function describe(value: unknown, secret: boolean): string {
    if (value === undefined) return NOT_SET;
    if (value === "") return secret ? "an empty value" : '"" (an empty value)';
    if (secret) return "[secret]";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${cutText(text, 117)}...` : text;
}

/** Whether an unknown key's name is a secret key's, misspelt or misplaced: its value is then not shown. */
function mayBeSecret(name: string): boolean {
    const last = name.split(".").pop()!;
    return closest(last, allKeys().filter((k) => k.secret).map((k) => k.dotted)) !== undefined;
}

/** A value as a shell or `pulumi config set` takes it (a `<placeholder>` as it is). */
function shellWord(v: string): string {
    return /^[A-Za-z0-9_./:@=+-]+$/.test(v) || /^<[^>]+>$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`;
}

/**
 * The fix that sets a key to a value from where its value comes from: the variable that set it,
 * else the stack file (which overrides Pulumi.yaml and the code defaults). `orProject` adds the
 * project-wide alternative for a value Pulumi.yaml gave (not when the value is this stack's alone).
 */
function setFix(key: KeyInfo | undefined, dotted: string, source: Source | undefined, value: string, orProject = false): string {
    const secret = key?.secret ? " --secret" : "";
    const path = /[.[]/.test(dotted) ? " --path" : "";
    if (source?.kind === "env" && source.envKey) {
        if (source.envKey.dotted === dotted) return `${source.envKey.envVar}=${shellWord(value)}`;
        return `change ${below(dotted, source.envKey.dotted)} in ${source.envKey.envVar}'s JSON to ${value}, or unset ${source.envKey.envVar}`;
    }
    const set = `pulumi config set${secret}${path} ${pathWord(dotted)} ${shellWord(value)}`;
    if (source?.kind === "project" && orProject) return `${set} (overrides Pulumi.yaml's default for this stack), or change config.${dotted}.default in Pulumi.yaml`;
    return set;
}

/** The fix that removes a key's value where it was set. */
function removeFix(dotted: string, source: Source | undefined): string {
    if (source?.kind === "env" && source.envKey) {
        if (source.envKey.dotted === dotted) return `unset ${source.envKey.envVar}`;
        return `remove ${below(dotted, source.envKey.dotted)} from ${source.envKey.envVar}'s JSON, or unset ${source.envKey.envVar}`;
    }
    if (source?.kind === "project") return `remove config.${dotted} from Pulumi.yaml`;
    return `pulumi config rm${dotted.includes(".") ? " --path" : ""} ${dotted}`;
}

/** The fix of a value the schema refused, from its source: the environment variable, the file, or (for code defaults) an override. */
function fixFor(key: KeyInfo | undefined, dotted: string, source: Source | undefined, suggested: string): string {
    if (source?.kind === "env" && source.envKey) {
        const envVar = source.envKey.envVar;
        if (source.envKey.dotted !== dotted) return `correct ${below(dotted, source.envKey.dotted)} in ${envVar}'s JSON, or unset ${envVar}`;
        return `change or unset ${envVar}${suggested ? ` (for example ${envVar}=${shellWord(suggested)})` : ""}`;
    }
    if (key?.isObject) {
        const leaves = allKeys().filter((k) => k.dotted.startsWith(`${dotted}.`) && !k.isObject);
        return leaves
            .map((k) => `pulumi config set${k.secret ? " --secret" : ""} --path ${k.dotted} <value>${k.optional ? " (optional)" : ""}`)
            .concat([`(or set ${leaves.map((k) => k.envVar).join(", ")})`])
            .join("\n               ");
    }
    const fix = setFix(key, dotted, source, suggested || "<value>", true);
    return source?.kind === "code" ? `${fix}   (overrides the default in code, or set ${key?.envVar ?? "its environment variable"})` : `${fix}   (or set ${key?.envVar ?? "its environment variable"})`;
}

function exampleValue(key: KeyInfo | undefined, received?: unknown): string {
    if (!key) return "";
    if (key.options) return String(key.options[0]);
    // A refused boolean is fixed by its other value.
    if (key.kind === "boolean") return received === true ? "false" : "true";
    return "";
}

/**
 * A JSON value for a list or object key that did not parse: the received list with its items
 * quoted when it reads as one (`[a@example.com, b@example.com` is `["a@example.com","b@example.com"]`),
 * else the value the lower layers give the key, else a skeleton.
 */
function jsonExample(key: KeyInfo, raw: string, lower: unknown): string {
    if (key.json === "list") {
        const inner = raw.trim().replace(/^\[|\]$/g, "");
        const items = inner
            .split(inner.includes(",") ? "," : /\s+/)
            .map((x) => x.trim().replace(/^["']|["']$/g, ""))
            .filter((x) => x !== "");
        // Only a list short enough to read as an example: a huge value is not echoed back.
        if (items.length > 0 && items.every((x) => !/[[\]{}"]/.test(x)) && JSON.stringify(items).length <= 200) return JSON.stringify(items);
        return Array.isArray(lower) && lower.length > 0 ? JSON.stringify(lower) : '["..."]';
    }
    return lower !== undefined && JSON.stringify(lower) !== "{}" ? JSON.stringify(lower) : '{"...": "..."}';
}

/** The problem of a list or object value that is not JSON: the parser's reason and the column. */
function notJson(project: string, key: KeyInfo, raw: string, source: Source, lower: unknown): Problem {
    const p = jsonProblem(raw)!;
    const near = p.near ? ` (${JSON.stringify(p.near)})` : " (its end)";
    return {
        key: `${project}:${key.dotted}`,
        received: describe(raw, key.secret),
        source: source.label,
        allowed: `${key.json === "list" ? "a list" : "an object"} in JSON${key.description ? ` (${key.description.replace(/\.$/, "")})` : ""}; the value did not parse as JSON at column ${p.column}${near}: ${p.reason}`,
        fix:
            source.kind === "env"
                ? `give ${key.envVar} JSON, quoted for the shell, for example ${key.envVar}=${shellWord(key.secret ? "<json>" : jsonExample(key, raw, lower))}`
                : `write ${key.dotted} as YAML in ${source.label} (pulumi config set --path ${key.dotted}${key.json === "list" ? "[0]" : ".<key>"} <value> sets one ${key.json === "list" ? "item" : "key"})`,
    };
}

/** The layer of a config key: `Pulumi.yaml` when it gave that very value, else the stack file. */
function configSource(src: SettingsSource, fullKey: string, raw: string): Source {
    if (!src.files) return { kind: "stack", label: `${stackFileName(src.stack)} or Pulumi.yaml` };
    if (src.files.project[fullKey] === raw) return { kind: "project", label: "Pulumi.yaml (the project's default)" };
    return { kind: "stack", label: stackFileName(src.stack) };
}

/** Reads the raw config of the project's namespace, one entry per top-level key, reporting unknown keys. */
function configLayer(src: SettingsSource, problems: Problem[]): Entry[] {
    const entries: Entry[] = [];
    const ns = `${src.project}:`;
    const topKeys = allKeys().filter((k) => k.path.length === 1);
    for (const [fullKey, raw] of Object.entries(src.config)) {
        if (!fullKey.startsWith(ns)) continue;
        const name = fullKey.slice(ns.length);
        const key = keyAt(name);
        const source = configSource(src, fullKey, raw);
        if (!key || key.path.length !== 1) {
            const guess = closest(name, topKeys.map((k) => k.dotted));
            problems.push({
                key: fullKey,
                // An encrypted value, or one meant for a secret key, is a secret, whatever its key is called.
                received: describe(raw, src.isSecret?.(fullKey) === true || mayBeSecret(name)),
                source: source.label,
                allowed: `a key of the settings schema (docs/configuration.md)${guess ? `; did you mean ${ns}${guess}?` : ""}`,
                fix: guess ? `rename it to ${source.kind === "project" ? guess : `${ns}${guess}`} in ${source.kind === "project" ? "Pulumi.yaml" : stackFileName(src.stack)}` : removeFix(name, source),
            });
            continue;
        }
        const encrypted = src.isSecret?.(fullKey);
        if (encrypted === false && key.secret) {
            problems.push({
                key: fullKey,
                received: "a plain-text value (not shown)",
                source: source.label,
                allowed: "an encrypted value: this key is a secret and must never sit in a stack file in plain text",
                fix: `pulumi config set --secret ${name} <value>, and rotate the value that was exposed`,
            });
            continue;
        }
        if (encrypted === true && !key.secret) {
            problems.push({
                key: fullKey,
                received: "an encrypted value (not shown)",
                source: source.label,
                allowed: "a plain value: this key is not a secret setting, so its value would appear in names, tags and outputs",
                fix: `pulumi config set ${name} <value>   (without --secret)`,
            });
            continue;
        }
        if (key.kind === "json" && /^\s*[[{]/.test(raw) && jsonProblem(raw)) {
            problems.push(notJson(src.project, key, raw, source, getPath(base, key.path)));
            continue;
        }
        const value = coerce(raw, key.kind);
        if (key.isObject && !isPlainObject(value)) {
            problems.push(notAnObject(src.project, key, value, source));
            continue;
        }
        entries.push({ path: key.path, value, source });
    }
    return entries;
}

/**
 * The problem of an object key given something else (`ops:app: 5`, `OPS_APP__REPLICAS=3`), said of
 * the value where it was set: merged, it would drop every value below the key, and a variable
 * that sets a leaf inside it would leave the leaves' absence as the only problems shown.
 */
function notAnObject(project: string, key: KeyInfo, value: unknown, source: Source): Problem {
    const children = allKeys()
        .filter((k) => k.path.length === key.path.length + 1 && k.dotted.startsWith(`${key.dotted}.`))
        .map((k) => k.path[k.path.length - 1]!);
    return {
        key: `${project}:${key.dotted}`,
        received: describe(value, false),
        source: source.label,
        allowed: `an object with the keys ${children.join(", ")}${key.description ? ` (${key.description.replace(/\.$/, "")})` : ""}`,
        fix:
            source.kind === "env"
                ? `give ${key.envVar} a JSON object, for example ${key.envVar}='{"${children[0] ?? "..."}": ...}', or unset it and set its keys' own variables`
                : `${removeFix(key.dotted, source)}, then set its keys one by one: pulumi config set --path ${key.dotted}.${children[0] ?? "<key>"} <value>`,
    };
}

/** Reads `OPS_*` environment variables, objects before the leaves inside them (the leaf wins), reporting unknown ones. */
function envLayer(src: SettingsSource, problems: Problem[]): Entry[] {
    const entries: Entry[] = [];
    const byVar = new Map(allKeys().map((k) => [k.envVar, k]));
    for (const [name, raw] of Object.entries(src.env)) {
        if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
        const key = byVar.get(name);
        const source: Source = { kind: "env", label: `environment variable ${name}`, envKey: key };
        if (!key) {
            const guess = closest(name, [...byVar.keys()]);
            problems.push({
                key: name,
                received: describe(raw, true),
                source: source.label,
                allowed: `an ${ENV_PREFIX}* variable named after a settings key (docs/configuration.md)${guess ? `; did you mean ${guess}?` : ""}`,
                fix: guess ? `rename it to ${guess}` : `unset ${name}`,
            });
            continue;
        }
        if (key.kind === "json" && jsonProblem(raw)) {
            problems.push(notJson(src.project, key, raw, source, getPath(base, key.path)));
            continue;
        }
        const value = coerce(raw, key.kind);
        if (key.isObject && !isPlainObject(value)) {
            problems.push(notAnObject(src.project, key, value, source));
            continue;
        }
        entries.push({ path: key.path, value, source });
    }
    return entries.sort((a, b) => a.path.length - b.path.length);
}

/** A problem of the stack's name itself: `pr-` names a pull request's preview. */
function stackNameProblem(stack: string): Problem | undefined {
    if (!stack.startsWith("pr-") || profileForStack(stack)) return undefined;
    return {
        key: "the stack name",
        received: JSON.stringify(stack),
        source: "the selected stack: pulumi stack select, or npm run plan -- --stack",
        allowed:
            "pr-<N>, N the number of a pull request (pr-42, no leading zero): a name that starts with pr- is a pull request's preview stack, which CI creates for the pull request and removes when it closes",
        fix: "name the preview after its pull request (pulumi stack init pr-42); any other stack takes a name that does not start with pr- and names its environment (pulumi config set environment development)",
    };
}

/** Chooses the stack's profile, from its name or its `environment` key, taking `environment` out of the layers. */
function resolveProfile(src: SettingsSource, layers: Entry[][], problems: Problem[]): ProfileName | undefined {
    const key = `${src.project}:environment`;
    const environmentKey = keyAt("environment");
    // Highest layer first: the environment variable over the stack file.
    const named = [...layers].reverse().flatMap((layer) => layer.filter((e) => e.path.join(".") === "environment"));
    const nameProblem = stackNameProblem(src.stack);
    if (nameProblem) {
        problems.push(nameProblem);
        return undefined;
    }
    const byName = profileForStack(src.stack);
    if (byName) {
        // The stack name decides, so the layers' values are not merged; one that says otherwise is reported where it says it.
        for (const layer of layers) {
            for (let i = layer.length - 1; i >= 0; i--) if (layer[i]!.path.join(".") === "environment") layer.splice(i, 1);
        }
        const implied = profiles[byName].environment;
        for (const e of named.filter((x) => x.value !== implied)) {
            problems.push({
                key,
                received: describe(e.value, false),
                source: e.source.label,
                allowed: `"${implied}" (the stack name "${src.stack}" implies it), or no value`,
                fix: `${removeFix("environment", e.source)}; or give the stack another name`,
            });
        }
        return byName;
    }
    // The highest layer that names the environment decides (the environment over the stack file).
    const decisive = named[0];
    const explicit = decisive?.value;
    if (typeof explicit === "string" && (ENVIRONMENTS as readonly string[]).includes(explicit)) {
        return profileForEnvironment[explicit as (typeof ENVIRONMENTS)[number]];
    }
    problems.push({
        key,
        received: describe(explicit, false),
        ...(decisive ? { source: decisive.source.label } : {}),
        allowed: `one of ${ENVIRONMENTS.join(", ")}: stack "${src.stack}" is not dev, staging, production or pr-<N>, so its stack file must name its environment`,
        fix: decisive
            ? setFix(environmentKey, "environment", decisive.source, "development") + "   (or staging, production)"
            : `pulumi config set environment development   (or staging, production) in ${stackFileName(src.stack)}`,
    });
    return undefined;
}

function issueToProblem(issue: z.core.$ZodIssue, merged: Tree, sources: Sources, project: string): Problem[] {
    if (issue.code === "unrecognized_keys") {
        const parent = issue.path.map(String);
        return issue.keys.map((k) => {
            const dotted = [...parent, k].join(".");
            const siblings = allKeys()
                .filter((x) => x.path.length === parent.length + 1 && x.path.slice(0, -1).join(".") === parent.join("."))
                .map((x) => x.path[x.path.length - 1]!);
            const guess = closest(k, siblings);
            const source = sourceOf(sources, dotted);
            return {
                key: `${project}:${dotted}`,
                received: describe(getPath(merged, [...parent, k]), mayBeSecret(k)),
                source: source?.label,
                allowed: `one of ${siblings.join(", ")}${guess ? `; did you mean ${guess}?` : ""}`,
                fix: `${removeFix(dotted, source)}${guess ? `, then set ${[...parent, guess].join(".")}` : ""}`,
            };
        });
    }
    const path = issue.path.map(String);
    // An item of a list is named as Pulumi's --path names it (`onCall.responders[0]`); its key, source and variable are the list's.
    const item = issue.path.findIndex((s) => typeof s === "number");
    const keyDotted = (item < 0 ? path : path.slice(0, item)).join(".");
    const dotted = issue.path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join("");
    const key = keyAt(keyDotted);
    const value = getPath(merged, path);
    const source = value === undefined ? undefined : sourceOf(sources, keyDotted);
    return [
        {
            key: `${project}:${dotted}`,
            received: describe(value, key?.secret ?? false),
            source: source?.label,
            allowed: allowedText(issue, key),
            fix: fixFor(key, dotted, source, exampleValue(key, value)),
        },
    ];
}

/** The source of a key's value: its own, else the one layer every value below it came from. */
function sourceOf(sources: Sources, dotted: string): Source | undefined {
    const exact = sources.get(dotted);
    if (exact) return exact;
    const below = [...sources.entries()].filter(([k]) => k.startsWith(`${dotted}.`)).map(([, v]) => v);
    const labels = [...new Set(below.map((s) => s.label))];
    if (labels.length === 1) return below[0];
    return labels.length > 1 ? { kind: "code", label: labels.join(", ") } : undefined;
}

/** What zod's string formats are, in words a user can act on. */
const FORMAT_WORDS: Record<string, string> = {
    datetime: "a UTC date and time in ISO 8601, such as 2026-01-15T10:30:00Z",
    date: "a date in ISO 8601, such as 2026-01-15",
    email: "an e-mail address such as oncall@example.com",
    url: "a URL such as https://example.com",
};

function allowedText(issue: z.core.$ZodIssue, key: KeyInfo | undefined): string {
    switch (issue.code) {
        case "invalid_type":
            return `a value of type ${issue.expected}${key?.description ? `: ${key.description}` : ""}`;
        case "invalid_value":
            return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "invalid_format":
            // A format the schema gave no words of its own: zod's ("Invalid ISO datetime") say too little.
            return /^Invalid\b/.test(issue.message) ? `${FORMAT_WORDS[issue.format] ?? `a value in the ${issue.format} format`}${key?.description ? `: ${key.description}` : ""}` : issue.message;
        case "too_small":
            return issue.origin === "array"
                ? `at least ${String(issue.minimum)} item(s)`
                : issue.origin === "string"
                  ? `at least ${String(issue.minimum)} character(s)`
                  : `${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}`;
        case "too_big":
            return issue.origin === "string"
                ? `at most ${String(issue.maximum)} character(s)`
                : `${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}`;
        default:
            return issue.message;
    }
}

/**
 * Keys only some shapes read (`readBy`): on another shape a default in code is dropped (the
 * development profile's node port means nothing to a sandbox on AWS), and a value the stack sets
 * is a problem, named where it was set, with the fix that removes it there.
 */
function unreadKeys(stack: string, project: string, shape: StackShape, merged: Tree, sources: Sources, problems: Problem[]): void {
    for (const key of allKeys()) {
        if (!key.readBy || key.readBy.includes(shape)) continue;
        const value = getPath(merged, key.path);
        if (value === undefined) continue;
        const source = sourceOf(sources, key.dotted);
        if (!source || source.kind === "code") {
            deletePath(merged, key.path);
            continue;
        }
        problems.push({
            key: `${project}:${key.dotted}`,
            received: describe(value, key.secret),
            source: source.label,
            allowed: `no value: stack "${stack}" is a ${shape} stack, and only ${key.readBy.join(" and ")} stacks read ${key.dotted} (settings/shape.ts)`,
            fix: removeFix(key.dotted, source),
        });
    }
}

/** Where each key's value came from, for the settings the loader returned (see `withSources`). */
const SOURCES = new WeakMap<object, Sources>();

/**
 * Builds and validates a stack's settings from the hierarchy. Pure: no Pulumi runtime needed
 * beyond wrapping secrets. Throws one SettingsError listing every problem.
 */
export function loadSettings(src: SettingsSource): Settings {
    const settings = loadStackSettings(src);
    if (isBootstrap(settings)) throw new Error(`stack ${src.stack} is the bootstrap stack: load it with loadStackSettings`);
    return settings;
}

/** Any stack's settings, the bootstrap stack's included (its own keys, validated by its own schema). */
export function loadStackSettings(src: SettingsSource): StackSettings {
    const problems: Problem[] = [];
    const configEntries = configLayer(src, problems);
    const envEntries = envLayer(src, problems);
    const profile = resolveProfile(src, [configEntries, envEntries], problems);
    if (!profile) throw new SettingsError(src.stack, problems);
    const bootstrap = profile === "bootstrap";

    const merged: Tree = {};
    const sources: Sources = new Map();
    const code = (label: string): Source => ({ kind: "code", label: `${label} (defaults in code, settings/profiles.ts)` });
    // The bootstrap stack reads none of base's app settings: its profile is its whole default.
    if (!bootstrap) mergeLayer(merged, base, code("the base profile"), sources);
    mergeLayer(merged, profiles[profile], code(`the ${profile} profile`), sources);
    mergeLayer(merged, stackDerived(src.stack, profile), code(`the ${profile} profile, from the stack name`), sources);
    for (const e of [...configEntries, ...envEntries]) mergeLayer(merged, e.value, e.source, sources, e.path);

    const platform = merged["platform"];
    const shape = !bootstrap && (platform === "local" || platform === "aws") ? stackShape({ platform, profile }) : undefined;
    if (shape) unreadKeys(src.stack, src.project, shape, merged, sources, problems);
    if (bootstrap) problems.push(...keysTheBootstrapStackIgnores(merged, sources, src.project, configEntries));

    const schema: z.ZodType = bootstrap ? bootstrapSettingsSchema() : settingsSchema(profile);
    // Not compiled (`jitless`): zod compiles each object schema into a function on its first
    // parse, which pays for itself over many parses; the settings are parsed once, and compiling
    // the schema's objects cost more than the parse they sped up.
    const result = schema.safeParse(merged, { reportInput: true, jitless: true });
    if (!result.success) {
        const reported = new Set(problems.map((p) => p.key));
        for (const issue of result.error.issues) {
            for (const p of issueToProblem(issue, merged, sources, src.project)) if (!reported.has(p.key)) problems.push(p);
        }
    }
    if (shape) {
        problems.push(
            ...ownNamesProblems({
                project: src.project,
                stack: src.stack,
                shape,
                settings: merged,
                sourceOf: (dotted) => sourceOf(sources, dotted)?.label,
                setFix: (dotted, value) => setFix(keyAt(dotted), dotted, sources.get(dotted), value),
                files: src.files,
            }),
        );
    }
    if (problems.length > 0 || !result.success) throw new SettingsError(src.stack, problems);
    if (bootstrap) return { ...(result.data as ValidatedBootstrapSettings), stack: src.stack, profile: "bootstrap" };
    const settings = withSecrets(result.data as ValidatedSettings, src.stack, profile);
    SOURCES.set(settings, sources);
    return settings;
}

/**
 * Keys the bootstrap stack does not read. Set in its stack file (an app setting copied into
 * Pulumi.bootstrap.yaml), each is refused by name rather than as unknown; set only by an `OPS_*`
 * variable, it is ignored, as a shell or CI job that also serves other stacks may hold them.
 */
function keysTheBootstrapStackIgnores(merged: Tree, sources: Sources, project: string, configEntries: readonly Entry[]): Problem[] {
    const read = new Set<string>(BOOTSTRAP_KEYS);
    const problems: Problem[] = [];
    for (const k of Object.keys(merged).filter((x) => !read.has(x))) {
        // Named where the stack file says it, also when a variable overrides it.
        const inFile = configEntries.find((e) => e.path[0] === k);
        const source = inFile?.source ?? sourceOf(sources, k);
        const key = keyAt(k);
        const received = describe(inFile ? inFile.value : merged[k], key?.secret ?? false);
        delete merged[k];
        const fromEnvOnly = !inFile && [...sources.entries()].filter(([d]) => d === k || d.startsWith(`${k}.`)).every(([, v]) => v.kind === "env");
        if (fromEnvOnly) continue;
        problems.push({
            key: `${project}:${k}`,
            received,
            source: source?.label,
            allowed: `nothing: the bootstrap stack reads only ${BOOTSTRAP_KEYS.join(", ")} (docs/bootstrap.md)`,
            fix: `pulumi config rm --path ${k} --stack bootstrap`,
        });
    }
    return problems;
}

/**
 * The problems a layer found in loaded settings (environments/*: what the schema cannot check
 * alone), each with the source of the value it names when it did not say one.
 */
export function withSources(settings: Settings, problems: readonly Problem[]): Problem[] {
    const sources = SOURCES.get(settings);
    if (!sources) return [...problems];
    return problems.map((p) => {
        if (p.source !== undefined || p.received.startsWith("nothing")) return p;
        const source = sourceOf(sources, p.key.slice(p.key.indexOf(":") + 1));
        return source ? { ...p, source: source.label } : p;
    });
}

function withSecrets(data: ValidatedSettings, stack: string, profile: ProfileName): Settings {
    const { externalApiKey, pagerDutyIntegrationUrl, pagerDutyToken, ...rest } = data;
    return {
        ...rest,
        ...(externalApiKey !== undefined ? { externalApiKey: pulumi.secret(externalApiKey) } : {}),
        ...(pagerDutyIntegrationUrl !== undefined ? { pagerDutyIntegrationUrl: pulumi.secret(pagerDutyIntegrationUrl) } : {}),
        ...(pagerDutyToken !== undefined ? { pagerDutyToken: pulumi.secret(pagerDutyToken) } : {}),
        stack,
        profile,
    };
}

/** The stack's settings, read from the running Pulumi program's config and environment, and the project's files. */
export function settingsFromPulumi(env: Readonly<Record<string, string | undefined>> = process.env): StackSettings {
    const stack = pulumi.getStack();
    return loadStackSettings({
        project: pulumi.getProject(),
        stack,
        config: pulumi.runtime.allConfig(),
        isSecret: runtimeSecretCheck(),
        env,
        files: projectFiles(PROJECT_ROOT, stack),
    });
}

/**
 * The SDK's own test of whether a config key is encrypted. It is internal to @pulumi/pulumi (no
 * public API says which keys are secret), so it is used only when present.
 */
function runtimeSecretCheck(): ((key: string) => boolean) | undefined {
    const fn = (pulumi.runtime as unknown as { isConfigSecret?: unknown }).isConfigSecret;
    return typeof fn === "function" ? (key: string) => (fn as (k: string) => boolean)(key) : undefined;
}
