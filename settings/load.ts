import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Problem, SettingsError } from "./errors";
import { ENV_PREFIX, KeyInfo, allKeys, closest, coerce, keyAt } from "./configKeys";
import { ProfileName, base, profileForEnvironment, profileForStack, profiles, stackDerived } from "./profiles";
import { BOOTSTRAP_KEYS, ENVIRONMENTS, ValidatedBootstrapSettings, ValidatedSettings, bootstrapSettingsSchema, settingsSchema } from "./schema";

/**
 * The runbook's configuration hierarchy (section 2.1) mapped onto Pulumi, lowest first:
 *   1. defaults in code: `base`, then the stack's profile (`profiles.ts`);
 *   2. typed defaults in `Pulumi.yaml`;
 *   3. `Pulumi.<stack>.yaml`;
 *   4. environment variables `OPS_*` (highest).
 * Pulumi itself merges 2 and 3 before the program sees them, so they arrive as one layer.
 */

/** Keys whose values are secrets: top-level keys, so `pulumi config set --secret <key>` reaches them. */
export type SecretKey = "externalApiKey" | "pagerDutyIntegrationUrl";

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

/** What the loader reads; the real program fills it from the Pulumi runtime and `process.env`. */
export interface SettingsSource {
    /** The Pulumi project name: the config namespace. */
    project: string;
    stack: string;
    /** Config as Pulumi passes it to a program: namespaced keys, string values (JSON for objects). */
    config: Readonly<Record<string, string>>;
    /** Which config keys Pulumi holds encrypted (`secure:` in the stack file), when known. */
    isSecret?: (namespacedKey: string) => boolean;
    env: Readonly<Record<string, string | undefined>>;
}

type Tree = Record<string, unknown>;
type Sources = Map<string, string>;

function isPlainObject(v: unknown): v is Tree {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep-merges `layer` into `target` (arrays replace), recording which layer set each leaf. */
function mergeLayer(target: Tree, layer: unknown, label: string, sources: Sources, prefix: string[] = []): void {
    if (!isPlainObject(layer)) return;
    for (const [k, v] of Object.entries(layer)) {
        const path = [...prefix, k];
        if (isPlainObject(v) && keyAt(path.join("."))?.isObject) {
            const existing = target[k];
            const child: Tree = isPlainObject(existing) ? existing : {};
            target[k] = child;
            mergeLayer(child, v, label, sources, path);
        } else {
            target[k] = v;
            for (const s of [...sources.keys()]) if (s.startsWith(`${path.join(".")}.`)) sources.delete(s);
            sources.set(path.join("."), label);
        }
    }
}

/** Sets a dotted path in a tree, creating the objects on the way. */
function setPath(tree: Tree, path: readonly string[], value: unknown): Tree {
    let node = tree;
    for (const seg of path.slice(0, -1)) {
        const next = node[seg];
        node = isPlainObject(next) ? next : (node[seg] = {});
    }
    node[path[path.length - 1]!] = value;
    return tree;
}

function describe(value: unknown, secret: boolean): string {
    if (value === undefined) return "nothing (the key is not set)";
    if (secret) return "[secret]";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function fixFor(key: KeyInfo | undefined, dotted: string, source: string | undefined, suggested: string): string {
    const envVar = key?.envVar;
    if (source?.startsWith("environment variable")) {
        return `change or unset ${envVar}${suggested ? ` (for example ${envVar}=${suggested})` : ""}`;
    }
    if (key?.isObject) {
        const leaves = allKeys().filter((k) => k.dotted.startsWith(`${dotted}.`) && !k.isObject);
        return leaves
            .map((k) => `pulumi config set${k.secret ? " --secret" : ""} --path ${k.dotted} <value>${k.optional ? " (optional)" : ""}`)
            .concat([`(or set ${leaves.map((k) => k.envVar).join(", ")})`])
            .join("\n               ");
    }
    const secret = key?.secret ? " --secret" : "";
    const value = suggested || "<value>";
    return `pulumi config set${secret} --path ${dotted} ${value}   (or set ${envVar ?? "the environment variable"})`;
}

function exampleValue(key: KeyInfo | undefined): string {
    if (!key) return "";
    if (key.options) return String(key.options[0]);
    if (key.kind === "boolean") return "true";
    return "";
}

/** Reads the raw config of the project's namespace into a tree, reporting unknown keys. */
function configLayer(src: SettingsSource, problems: Problem[]): Tree {
    const tree: Tree = {};
    const ns = `${src.project}:`;
    const topKeys = allKeys().filter((k) => k.path.length === 1);
    for (const [fullKey, raw] of Object.entries(src.config)) {
        if (!fullKey.startsWith(ns)) continue;
        const name = fullKey.slice(ns.length);
        const key = keyAt(name);
        if (!key || key.path.length !== 1) {
            const guess = closest(name, topKeys.map((k) => k.dotted));
            problems.push({
                key: fullKey,
                received: describe(raw, false),
                source: `Pulumi.${src.stack}.yaml or Pulumi.yaml`,
                allowed: `a key of the settings schema (docs/configuration.md)${guess ? `; did you mean ${ns}${guess}?` : ""}`,
                fix: guess ? `rename it to ${ns}${guess}` : `pulumi config rm ${name}`,
            });
            continue;
        }
        const encrypted = src.isSecret?.(fullKey);
        if (encrypted === false && key.secret) {
            problems.push({
                key: fullKey,
                received: "a plain-text value (not shown)",
                source: `Pulumi.${src.stack}.yaml`,
                allowed: "an encrypted value: this key is a secret and must never sit in a stack file in plain text",
                fix: `pulumi config set --secret ${name} <value>, and rotate the value that was exposed`,
            });
            continue;
        }
        if (encrypted === true && !key.secret) {
            problems.push({
                key: fullKey,
                received: "an encrypted value (not shown)",
                source: `Pulumi.${src.stack}.yaml`,
                allowed: "a plain value: this key is not a secret setting, so its value would appear in names, tags and outputs",
                fix: `pulumi config set ${name} <value>   (without --secret)`,
            });
            continue;
        }
        tree[name] = coerce(raw, key.kind);
    }
    return tree;
}

/** Reads `OPS_*` environment variables into a tree, reporting unknown ones. */
function envLayer(src: SettingsSource, problems: Problem[]): Tree {
    const tree: Tree = {};
    const byVar = new Map(allKeys().map((k) => [k.envVar, k]));
    for (const [name, raw] of Object.entries(src.env)) {
        if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
        const key = byVar.get(name);
        if (!key) {
            const guess = closest(name, [...byVar.keys()]);
            problems.push({
                key: name,
                received: describe(raw, true),
                source: "environment",
                allowed: `an ${ENV_PREFIX}* variable named after a settings key (docs/configuration.md)${guess ? `; did you mean ${guess}?` : ""}`,
                fix: guess ? `rename it to ${guess}` : `unset ${name}`,
            });
            continue;
        }
        setPath(tree, key.path, coerce(raw, key.kind));
    }
    return tree;
}

/** The keys that environment variables set. */
function envKeysSet(src: SettingsSource): KeyInfo[] {
    return allKeys().filter((k) => src.env[k.envVar] !== undefined);
}

/** Chooses the stack's profile, from its name or its `environment` key. */
function resolveProfile(src: SettingsSource, configTree: Tree, envTree: Tree, problems: Problem[]): ProfileName | undefined {
    const explicit = (envTree["environment"] ?? configTree["environment"]) as unknown;
    const byName = profileForStack(src.stack);
    const key = `${src.project}:environment`;
    if (byName) {
        const implied = profiles[byName].environment;
        if (explicit !== undefined && explicit !== implied) {
            problems.push({
                key,
                received: describe(explicit, false),
                source: `Pulumi.${src.stack}.yaml or ${ENV_PREFIX}ENVIRONMENT`,
                allowed: `"${implied}" (the stack name "${src.stack}" implies it), or no value`,
                fix: `pulumi config rm environment, or give the stack another name`,
            });
        }
        // The stack name decides; the contradiction is reported above, not validated twice.
        delete configTree["environment"];
        delete envTree["environment"];
        return byName;
    }
    if (typeof explicit === "string" && (ENVIRONMENTS as readonly string[]).includes(explicit)) {
        return profileForEnvironment[explicit as (typeof ENVIRONMENTS)[number]];
    }
    problems.push({
        key,
        received: describe(explicit, false),
        allowed: `one of ${ENVIRONMENTS.join(", ")}: stack "${src.stack}" is not dev, staging, production or pr-<N>, so its stack file must name its environment`,
        fix: `pulumi config set environment development   (or staging, production) in Pulumi.${src.stack}.yaml`,
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
            const source = sources.get(dotted);
            return {
                key: `${project}:${dotted}`,
                received: describe(getPath(merged, [...parent, k]), false),
                source,
                allowed: `one of ${siblings.join(", ")}${guess ? `; did you mean ${guess}?` : ""}`,
                fix: source?.startsWith("environment variable")
                    ? `unset it`
                    : `pulumi config rm --path ${dotted}${guess ? `, then set ${[...parent, guess].join(".")}` : ""}`,
            };
        });
    }
    const path = issue.path.map(String);
    const dotted = path.join(".");
    const key = keyAt(dotted);
    const value = getPath(merged, path);
    const source = sourceOf(sources, dotted);
    return [
        {
            key: `${project}:${dotted}`,
            received: describe(value, key?.secret ?? false),
            source,
            allowed: allowedText(issue, key),
            fix: fixFor(key, dotted, source, exampleValue(key)),
        },
    ];
}

function sourceOf(sources: Sources, dotted: string): string | undefined {
    const exact = sources.get(dotted);
    if (exact) return exact;
    const below = [...sources.entries()].filter(([k]) => k.startsWith(`${dotted}.`)).map(([, v]) => v);
    return below.length > 0 ? [...new Set(below)].join(", ") : undefined;
}

function allowedText(issue: z.core.$ZodIssue, key: KeyInfo | undefined): string {
    switch (issue.code) {
        case "invalid_type":
            return `a value of type ${issue.expected}${key?.description ? `: ${key.description}` : ""}`;
        case "invalid_value":
            return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
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

function getPath(tree: unknown, path: readonly string[]): unknown {
    let node = tree;
    for (const seg of path) {
        if (!isPlainObject(node)) return undefined;
        node = node[seg];
    }
    return node;
}

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
    const configTree = configLayer(src, problems);
    const envTree = envLayer(src, problems);
    const profile = resolveProfile(src, configTree, envTree, problems);
    if (!profile) throw new SettingsError(src.stack, problems);
    const bootstrap = profile === "bootstrap";

    const merged: Tree = {};
    const sources: Sources = new Map();
    // The bootstrap stack reads none of base's app settings: its profile is its whole default.
    if (!bootstrap) mergeLayer(merged, base, "defaults in code (base profile)", sources);
    mergeLayer(merged, profiles[profile], `defaults in code (${profile} profile)`, sources);
    mergeLayer(merged, stackDerived(src.stack, profile), `defaults in code (${profile} profile, from the stack name)`, sources);
    mergeLayer(merged, configTree, `stack config (Pulumi.${src.stack}.yaml or Pulumi.yaml)`, sources);
    mergeLayer(merged, envTree, "environment variables", sources);
    for (const k of envKeysSet(src)) sources.set(k.dotted, `environment variable ${k.envVar}`);
    if (bootstrap) problems.push(...keysTheBootstrapStackIgnores(merged, sources, src.project));

    const schema: z.ZodType = bootstrap ? bootstrapSettingsSchema() : settingsSchema(profile);
    const result = schema.safeParse(merged, { reportInput: true });
    if (!result.success) {
        const reported = new Set(problems.map((p) => p.key));
        for (const issue of result.error.issues) {
            for (const p of issueToProblem(issue, merged, sources, src.project)) if (!reported.has(p.key)) problems.push(p);
        }
    }
    if (problems.length > 0 || !result.success) throw new SettingsError(src.stack, problems);
    if (bootstrap) return { ...(result.data as ValidatedBootstrapSettings), stack: src.stack, profile: "bootstrap" };
    return withSecrets(result.data as ValidatedSettings, src.stack, profile);
}

/**
 * Keys the bootstrap stack does not read. Set in its stack file (an app setting copied into
 * Pulumi.bootstrap.yaml), each is refused by name rather than as unknown; set only by an `OPS_*`
 * variable, it is ignored, as a shell or CI job that also serves other stacks may hold them.
 */
function keysTheBootstrapStackIgnores(merged: Tree, sources: Sources, project: string): Problem[] {
    const read = new Set<string>(BOOTSTRAP_KEYS);
    const problems: Problem[] = [];
    for (const k of Object.keys(merged).filter((x) => !read.has(x))) {
        const source = sourceOf(sources, k);
        const key = keyAt(k);
        const received = describe(merged[k], key?.secret ?? false);
        delete merged[k];
        if (source?.split(", ").every((s) => s.startsWith("environment variable"))) continue;
        problems.push({
            key: `${project}:${k}`,
            received,
            source,
            allowed: `nothing: the bootstrap stack reads only ${BOOTSTRAP_KEYS.join(", ")} (docs/bootstrap.md)`,
            fix: `pulumi config rm --path ${k} --stack bootstrap`,
        });
    }
    return problems;
}

function withSecrets(data: ValidatedSettings, stack: string, profile: ProfileName): Settings {
    const { externalApiKey, pagerDutyIntegrationUrl, ...rest } = data;
    return {
        ...rest,
        ...(externalApiKey !== undefined ? { externalApiKey: pulumi.secret(externalApiKey) } : {}),
        ...(pagerDutyIntegrationUrl !== undefined ? { pagerDutyIntegrationUrl: pulumi.secret(pagerDutyIntegrationUrl) } : {}),
        stack,
        profile,
    };
}

/** The stack's settings, read from the running Pulumi program's config and environment. */
export function settingsFromPulumi(env: Readonly<Record<string, string | undefined>> = process.env): StackSettings {
    return loadStackSettings({
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        config: pulumi.runtime.allConfig(),
        isSecret: runtimeSecretCheck(),
        env,
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
