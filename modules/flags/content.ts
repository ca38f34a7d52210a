import type { AttributeValue, BooleanFlag, Flag, FlagEnvironment, VariantsFlag } from "./definition";

/**
 * What AppConfig stores and what the agent serves, worked out from the flags of one environment.
 * Pure, so the tests read exactly what is deployed.
 *
 * Two formats, both AWS's:
 * - the hosted configuration (`hostedContent`): the `AWS.AppConfig.FeatureFlags` type, version
 *   "1", with `flags` (definitions: name, description, attribute constraints, the planned
 *   deprecation date) and `values` (per flag `enabled`, attribute values, or `_variants`);
 * - the retrieval-time format the agent reads in local development mode (`localContent`): flag
 *   values only, JSON when every flag is basic, Amazon Ion as soon as one has variants
 *   ("Feature flag samples for AWS AppConfig Agent local development mode", AppConfig user guide).
 *
 * A share of users (a boolean flag's `rolloutPercent`, a variants flag's `split`) is a
 * multi-variant flag whose variants carry a `split` rule: AppConfig hashes the context value
 * (`by::$userId`) with the flag's key as `seed`, so a user keeps their side as the percentage
 * grows, and two flags at 10% do not pick the same 10%. Rules are evaluated in order, the first
 * match wins, so each variant's `pct` is the cumulative share up to it ("Understanding the split
 * operator", AppConfig user guide: A at 20 then B at 25 gives B 5%).
 */

/** The name of the variant every user outside a rollout or split gets. */
export const DEFAULT_VARIANT = "default";
/** The variant of a boolean flag's partial rollout. */
export const ROLLOUT_VARIANT = "rollout";

/** The AppConfig configuration profile type these documents are. */
export const FEATURE_FLAGS_TYPE = "AWS.AppConfig.FeatureFlags";

interface VariantValue {
    name: string;
    enabled: boolean;
    rule?: string;
    attributeValues?: Record<string, AttributeValue>;
}

/** The `split` rule of a cumulative share, in AppConfig's rule language. */
export function splitRule(flag: Pick<Flag, "key" | "splitBy">, cumulativePercent: number): string {
    return `(split pct::${cumulativePercent} by::$${flag.splitBy} seed::"${flag.key}")`;
}

/** The variants of a flag in an environment, or undefined when it is a basic flag there (everyone alike). */
export function variantsOf(flag: Flag, env: FlagEnvironment): VariantValue[] | undefined {
    if (flag.type === "boolean") {
        const s = flag.environments[env];
        if (!s.enabled || s.rolloutPercent >= 100) return undefined;
        return [
            { name: ROLLOUT_VARIANT, enabled: true, rule: splitRule(flag, s.rolloutPercent) },
            { name: DEFAULT_VARIANT, enabled: false },
        ];
    }
    const s = flag.environments[env];
    const shares = Object.entries(s.split);
    if (!s.enabled || shares.length === 0) return undefined;
    let cumulative = 0;
    const split = shares.map(([name, pct]): VariantValue => {
        cumulative += pct;
        return { name, enabled: true, rule: splitRule(flag, cumulative), attributeValues: flag.variants[name]! };
    });
    return [...split, { name: flag.default, enabled: true, attributeValues: flag.variants[flag.default]! }];
}

/** A basic flag's value in an environment: `enabled`, and a variants flag's default attributes when it is on. */
function basicValue(flag: Flag, env: FlagEnvironment): Record<string, AttributeValue> {
    if (flag.type === "boolean") return { enabled: flag.environments[env].enabled };
    return flag.environments[env].enabled ? { enabled: true, ...flag.variants[flag.default]! } : { enabled: false };
}

/** The hosted configuration (`AWS.AppConfig.FeatureFlags`) of an environment, as the JSON AppConfig validates. */
export function hostedContent(flags: readonly Flag[], env: FlagEnvironment): string {
    const definitions = Object.fromEntries(flags.map((f) => [f.key, definitionOf(f)]));
    const values = Object.fromEntries(
        flags.map((f) => {
            const variants = variantsOf(f, env);
            return [f.key, variants ? { _variants: variants } : basicValue(f, env)];
        }),
    );
    return JSON.stringify({ version: "1", flags: definitions, values });
}

function definitionOf(f: Flag): Record<string, unknown> {
    return {
        name: f.key,
        description: f.description,
        // AppConfig's own deprecation marker: the console shows the planned removal.
        ...(f.removeBy ? { _deprecation: { status: "planned", date: f.removeBy } } : {}),
        ...(f.type === "variants" ? { attributes: attributeDefinitions(f) } : {}),
    };
}

function attributeDefinitions(f: VariantsFlag): Record<string, unknown> {
    const first = f.variants[f.default]!;
    return Object.fromEntries(Object.entries(first).map(([attr, value]) => [attr, { constraints: { type: typeof value, required: true } }]));
}

/** The file the agent reads in local development mode: its extension (the content type it serves) and text. */
export function localContent(flags: readonly Flag[], env: FlagEnvironment): { extension: string; text: string } {
    const multi = flags.some((f) => variantsOf(f, env) !== undefined);
    if (!multi) {
        return { extension: ".json", text: JSON.stringify(Object.fromEntries(flags.map((f) => [f.key, basicValue(f, env)])), null, 2) + "\n" };
    }
    // Ion: a basic flag is an annotated string holding its JSON; a multi-variant flag an annotated
    // list of [rule, JSON] pairs ending in the default variant's JSON.
    const blocks = flags.map((f) => {
        const variants = variantsOf(f, env);
        if (!variants) return `'${f.key}'::${ionString(JSON.stringify(basicValue(f, env)))}`;
        const items = variants.map((v) => {
            const body = ionString(JSON.stringify({ _variant: v.name, enabled: v.enabled, ...(v.attributeValues ?? {}) }));
            return v.rule ? `  [\n    ${v.rule},\n    ${body}\n  ]` : `  ${body}`;
        });
        return `'${f.key}'::[\n${items.join(",\n")}\n]`;
    });
    return { extension: `.application%ion%type=${FEATURE_FLAGS_TYPE}`, text: blocks.join("\n\n") + "\n" };
}

/** An Ion long string: backslashes and quotes escaped, since Ion reads escapes inside it. */
function ionString(text: string): string {
    return `'''${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'''`;
}

/** Whether a boolean flag is on for everyone, for a share, or off, in words (`npm run flags`). */
export function describeState(flag: Flag, env: FlagEnvironment): string {
    if (flag.type === "boolean") {
        const s = (flag as BooleanFlag).environments[env];
        if (!s.enabled) return "off";
        return s.rolloutPercent >= 100 ? "on" : `on for ${s.rolloutPercent}%`;
    }
    const s = flag.environments[env];
    if (!s.enabled) return `off (${flag.default})`;
    const shares = Object.entries(s.split);
    const rest = 100 - shares.reduce((t, [, p]) => t + p, 0);
    return [...shares.map(([n, p]) => `${n} ${p}%`), ...(rest > 0 ? [`${flag.default} ${rest}%`] : [])].join(", ");
}
