import type { Plan, PlannedResource } from "../plan/record";

/**
 * Which resource of one plan is which of another, and which values only the mocks made up.
 *
 * Resources are the same when their URNs are, or when the head resource names the base one's URN
 * among its aliases (recorded by the plan as `options.aliases`, or inherited: a child of an aliased
 * parent is known by its URN under each of the parent's old URNs, as the engine resolves it).
 */

/** The type chain a child of `parentUrn` starts its own with: empty under the root stack. */
function typeChainUnder(parentUrn: string): string {
    const chain = parentUrn.split("::")[2] ?? "";
    return chain === "" || chain === "pulumi:pulumi:Stack" ? "" : `${chain}$`;
}

/** `urn:pulumi:<stack>::<project>::` of a URN. */
function urnPrefix(urn: string): string {
    const parts = urn.split("::");
    return `${parts[0]}::${parts[1]}::`;
}

/** The type (last of the type chain) and name of a URN. */
function typeAndName(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    const chain = parts[2] ?? "";
    return { type: chain.slice(chain.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/** What `options.aliases` recorded: URNs, or (a plan made before the plan tool recorded them) a count. */
function explicitAliases(r: PlannedResource): { urns: string[]; unresolved: number } {
    const v = r.options["aliases"];
    if (Array.isArray(v)) return { urns: v.filter((x): x is string => typeof x === "string"), unresolved: 0 };
    return { urns: [], unresolved: typeof v === "number" ? v : 0 };
}

/** Every URN a head resource answers to besides its own, and the resources whose aliases the plan does not spell out. */
export function aliasIndex(head: Plan): { byAlias: Map<string, string>; unresolved: string[] } {
    const byUrn = new Map(head.resources.map((r) => [r.urn, r]));
    const memo = new Map<string, string[]>();
    const unresolved: string[] = [];
    const aliasesOf = (r: PlannedResource, depth = 0): string[] => {
        const known = memo.get(r.urn);
        if (known) return known;
        const own = explicitAliases(r);
        if (own.unresolved > 0) unresolved.push(r.urn);
        const out = new Set(own.urns);
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent && depth < 64) {
            // Under each of the parent's old URNs, the child is known by its own name and type and by
            // each of its own aliases' (the engine's inherited child aliases).
            const selves = [{ type: r.type, name: r.name }, ...own.urns.map(typeAndName)];
            for (const p of aliasesOf(parent, depth + 1)) for (const t of selves) out.add(`${urnPrefix(p)}${typeChainUnder(p)}${t.type}::${t.name}`);
        }
        const list = [...out].filter((u) => u !== r.urn);
        memo.set(r.urn, list);
        return list;
    };
    const byAlias = new Map<string, string>();
    for (const r of head.resources) for (const a of aliasesOf(r)) if (!byAlias.has(a)) byAlias.set(a, r.urn);
    return { byAlias, unresolved };
}

/** Base URN → head URN for every base resource that exists on the head, directly or by alias. */
export function matchResources(base: Plan, head: Plan): { matched: Map<string, string>; renamed: Map<string, string>; unresolvedAliases: string[] } {
    const headUrns = new Set(head.resources.map((r) => r.urn));
    const { byAlias, unresolved } = aliasIndex(head);
    const matched = new Map<string, string>();
    const renamed = new Map<string, string>();
    const taken = new Set<string>();
    for (const r of base.resources) {
        if (headUrns.has(r.urn)) {
            matched.set(r.urn, r.urn);
            taken.add(r.urn);
        }
    }
    for (const r of base.resources) {
        if (matched.has(r.urn)) continue;
        const to = byAlias.get(r.urn);
        if (to !== undefined && !taken.has(to)) {
            matched.set(r.urn, to);
            renamed.set(r.urn, to);
            taken.add(to);
        }
    }
    return { matched, renamed, unresolvedAliases: unresolved };
}

/** Every string found anywhere in a value. */
function strings(value: unknown, out: Set<string>): Set<string> {
    if (typeof value === "string") out.add(value);
    else if (Array.isArray(value)) for (const v of value) strings(v, out);
    else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
    return out;
}

/** Ids too short or too common to be told apart from ordinary text. */
const MIN_ID_LENGTH = 8;

/**
 * The ids the mocks made up, each with the symbol that stands for it in both plans:
 * `<id of TYPE::NAME>`, named after the head resource so that an aliased rename keeps its symbol.
 *
 * An id counts as made up when it appears nowhere in the resource's own inputs: `vpc-5d54…` or an
 * auto-name `app-role-3f9c2d1` is the mocks' (a real preview shows such values as unknown until
 * the resource exists), while an id equal to an input (`myapp-production`, the database's
 * `identifier`) is the program's own value and a change to it is a real change. Ids that two
 * resources share are left alone: they cannot be attributed.
 */
export function madeUpIds(plan: Plan, keyOf: (urn: string) => string): Map<string, string> {
    const seen = new Map<string, string | null>();
    for (const r of plan.resources) {
        if (!r.custom || typeof r.id !== "string" || r.id.length < MIN_ID_LENGTH) continue;
        if (strings(r.inputs, new Set()).has(r.id)) continue;
        const key = keyOf(r.urn);
        const symbol = `<id of ${key.split("::").slice(-2).join("::")}>`;
        seen.set(r.id, seen.has(r.id) ? null : symbol);
    }
    const out = new Map<string, string>();
    for (const [id, symbol] of seen) if (symbol !== null) out.set(id, symbol);
    return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A function that replaces every made-up id inside every string of a value by its symbol. */
export function symbolizer(ids: Map<string, string>): (value: unknown) => unknown {
    if (ids.size === 0) return (v) => v;
    const pattern = new RegExp([...ids.keys()].sort((a, b) => b.length - a.length).map(escape).join("|"), "g");
    const walk = (value: unknown): unknown => {
        if (typeof value === "string") return value.replace(pattern, (m) => ids.get(m) ?? m);
        if (Array.isArray(value)) return value.map(walk);
        if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
        return value;
    };
    return walk;
}
