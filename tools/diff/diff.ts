import type { Plan, PlannedResource } from "../plan/record";
import { madeUpIds, matchResources, symbolizer } from "./identity";
import { PROVIDER_REPLACING, replacingChanges, ruleOf } from "./replacing";
import { PathChange, diffValues, topLevel } from "./structural";

/**
 * The plan diff: what `pulumi up` would do to a stack whose state is the base plan, if it ran the
 * head plan's program, as far as two offline plans can tell.
 */

export type Operation = "create" | "update" | "replace" | "delete";

export interface ResourceChange {
    op: Operation;
    /** The head URN (the base URN for a delete). */
    urn: string;
    type: string;
    name: string;
    /** The base URN when the resource was renamed with an alias. */
    renamedFrom?: string;
    /** Changed input paths (updates and replacements). */
    changes: PathChange[];
    /** Why it is replaced: the replacing inputs that changed, or its provider. */
    replacedBy: { path: string; reason: string }[];
    protect: boolean;
    retainOnDelete: boolean;
    /** Why the resource holds data (see tools/diff/replacing.ts), when it does. */
    stateful?: string;
    /** Set when this change loses data: a replacement or deletion of a protected or stateful resource. */
    dataLoss?: string;
}

export interface ProtectionChange {
    urn: string;
    type: string;
    name: string;
    option: "protect" | "retainOnDelete";
    before: boolean;
    after: boolean;
    /** Set when the change removes a safety from a stateful resource. */
    warning?: string;
}

export interface StackDiff {
    stack: string;
    /** `added`: planned on the head only; `removed`: on the base only (nothing is destroyed by that alone). */
    status: "changed" | "unchanged" | "added" | "removed";
    changes: ResourceChange[];
    protection: ProtectionChange[];
    /** Renames understood through aliases: base URN → head URN. */
    renames: { from: string; to: string }[];
    notes: string[];
}

export interface PlanDiff {
    stacks: StackDiff[];
}

/** Counts of a stack's changes by operation. */
export function counts(d: StackDiff): Record<Operation, number> & { protection: number; dataLoss: number } {
    const c = { create: 0, update: 0, replace: 0, delete: 0, protection: d.protection.length, dataLoss: 0 };
    for (const ch of d.changes) {
        c[ch.op] += 1;
        if (ch.dataLoss) c.dataLoss += 1;
    }
    return c;
}

/** Every change of every stack that loses data. */
export function dataLossChanges(diff: PlanDiff): { stack: string; change: ResourceChange }[] {
    return diff.stacks.flatMap((s) => s.changes.filter((c) => c.dataLoss).map((change) => ({ stack: s.stack, change })));
}

/** Resources that `pulumi up` acts on: custom resources (components and the stack are logical only). */
const acted = (r: PlannedResource) => r.custom;

function dataLossOf(op: Operation, stateful: string | undefined, protectedNow: boolean, retainOnDelete: boolean): string | undefined {
    if (op !== "replace" && op !== "delete") return undefined;
    if (op === "delete" && retainOnDelete && !stateful && !protectedNow) return undefined;
    const what = op === "replace" ? "replaced" : "deleted";
    if (protectedNow && stateful) return `protected and stateful, ${what}: ${stateful}`;
    if (protectedNow) return `protected, ${what} (pulumi up refuses until the protection is removed)`;
    if (stateful) return `${what}: ${stateful}${op === "delete" && retainOnDelete ? " (retainOnDelete keeps it in the account, unmanaged)" : ""}`;
    return undefined;
}

function createOrDelete(op: "create" | "delete", r: PlannedResource): ResourceChange {
    const stateful = ruleOf(r.type).stateful;
    const change: ResourceChange = {
        op,
        urn: r.urn,
        type: r.type,
        name: r.name,
        changes: [],
        replacedBy: [],
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        ...(stateful ? { stateful } : {}),
    };
    const loss = dataLossOf(op, stateful, r.protect, r.retainOnDelete);
    return loss ? { ...change, dataLoss: loss } : change;
}

/** Diffs one stack's two plans. */
export function diffStack(base: Plan, head: Plan): StackDiff {
    const { matched, renamed, unresolvedAliases } = matchResources(base, head);
    const keyOfBase = (urn: string) => matched.get(urn) ?? urn;
    const symBase = symbolizer(madeUpIds(base, keyOfBase));
    const symHead = symbolizer(madeUpIds(head, (u) => u));
    const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
    const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
    const notes: string[] = [];
    if (unresolvedAliases.length > 0) {
        notes.push(
            `${unresolvedAliases.length} resource(s) of the head plan have aliases the plan records only as a count (a plan tool older than this diff): an aliased rename among them shows as a delete and a create.`,
        );
    }

    // Providers whose replacing inputs changed: every resource they manage is replaced.
    const replacedProviders = new Map<string, { path: string; reason: string }[]>();
    for (const [b, h] of matched) {
        const hr = headByUrn.get(h)!;
        const table = PROVIDER_REPLACING[hr.type];
        if (!table) continue;
        const changed = diffValues(symBase(baseByUrn.get(b)!.inputs), symHead(hr.inputs)).map((c) => c.path);
        const hits = changed.filter((p) => table[topLevel(p)] !== undefined).map((p) => ({ path: `provider ${hr.name}: ${p}`, reason: table[topLevel(p)]! }));
        if (hits.length > 0) replacedProviders.set(h, hits);
    }

    const changes: ResourceChange[] = [];
    const protection: ProtectionChange[] = [];
    for (const br of base.resources) {
        const h = matched.get(br.urn);
        if (h === undefined) {
            if (acted(br)) changes.push(createOrDelete("delete", br));
            continue;
        }
        const hr = headByUrn.get(h)!;
        const rule = ruleOf(hr.type);
        for (const option of ["protect", "retainOnDelete"] as const) {
            if (br[option] !== hr[option]) {
                const warning = br[option] && !hr[option] && rule.stateful ? `removes ${option} from a stateful resource: ${rule.stateful}` : undefined;
                protection.push({ urn: h, type: hr.type, name: hr.name, option, before: br[option], after: hr[option], ...(warning ? { warning } : {}) });
            }
        }
        if (!acted(hr)) continue;
        const pathChanges = diffValues(symBase(br.inputs), symHead(hr.inputs));
        const replaceOnChanges = Array.isArray(hr.options["replaceOnChanges"]) ? (hr.options["replaceOnChanges"] as string[]) : [];
        const replacedBy = replacingChanges(hr.type, pathChanges.map((c) => c.path), replaceOnChanges);
        const baseProvider = br.provider ? keyOfBase(br.provider) : null;
        if (baseProvider !== hr.provider) replacedBy.push({ path: "provider", reason: `managed by another provider (${hr.provider ?? "the default"} instead of ${baseProvider ?? "the default"})` });
        if (hr.provider && replacedProviders.has(hr.provider)) replacedBy.push(...replacedProviders.get(hr.provider)!);
        if (pathChanges.length === 0 && replacedBy.length === 0) continue;
        const op: Operation = replacedBy.length > 0 ? "replace" : "update";
        const stateful = rule.stateful;
        const loss = dataLossOf(op, stateful, br.protect || hr.protect, hr.retainOnDelete);
        changes.push({
            op,
            urn: h,
            type: hr.type,
            name: hr.name,
            ...(renamed.has(br.urn) ? { renamedFrom: br.urn } : {}),
            changes: pathChanges,
            replacedBy,
            protect: hr.protect,
            retainOnDelete: hr.retainOnDelete,
            ...(stateful ? { stateful } : {}),
            ...(loss ? { dataLoss: loss } : {}),
        });
    }
    const matchedHeads = new Set(matched.values());
    for (const hr of head.resources) if (!matchedHeads.has(hr.urn) && acted(hr)) changes.push(createOrDelete("create", hr));

    const order: Record<Operation, number> = { delete: 0, replace: 1, update: 2, create: 3 };
    changes.sort((a, b) => Number(!a.dataLoss) - Number(!b.dataLoss) || order[a.op] - order[b.op] || a.urn.localeCompare(b.urn));
    const renames = [...renamed].map(([from, to]) => ({ from, to }));
    const status = changes.length === 0 && protection.length === 0 ? "unchanged" : "changed";
    return { stack: head.stack, status, changes, protection, renames, notes };
}

/** A stack planned on one side only. */
function oneSided(plan: Plan, side: "added" | "removed"): StackDiff {
    if (side === "removed") {
        return {
            stack: plan.stack,
            status: "removed",
            changes: [],
            protection: [],
            renames: [],
            notes: [`The head no longer plans stack "${plan.stack}" (its stack file is gone). Nothing is destroyed by that alone: \`pulumi destroy -s ${plan.stack}\` would delete ${plan.resources.filter(acted).length} resources.`],
        };
    }
    return { stack: plan.stack, status: "added", changes: plan.resources.filter(acted).map((r) => createOrDelete("create", r)), protection: [], renames: [], notes: [] };
}

/** Diffs every stack of two sides (stacks matched by name). */
export function diffPlans(base: Map<string, Plan>, head: Map<string, Plan>): PlanDiff {
    const names = [...new Set([...base.keys(), ...head.keys()])].sort();
    return {
        stacks: names.map((n) => {
            const b = base.get(n);
            const h = head.get(n);
            if (b && h) return diffStack(b, h);
            return h ? oneSided(h, "added") : oneSided(b!, "removed");
        }),
    };
}
