/**
 * A path-level structural diff of two JSON values (a resource's inputs in two plans).
 *
 * Paths are dotted, with `[i]` for array items: `spec.template.spec.containers[0].image`. A
 * string holding a JSON document on both sides (an IAM policy, a dashboard body) is compared
 * as the document, its paths marked `(json)`: `policy(json).Statement[0].Action`. Secrets stay
 * `"[secret]"` (the plan never holds their values); a value unknown until apply is `"[unknown]"`.
 */

export type ChangeKind = "added" | "removed" | "changed";

export interface PathChange {
    path: string;
    kind: ChangeKind;
    before?: unknown;
    after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON object or array held in a string, or undefined. */
function embeddedJson(v: unknown): unknown {
    if (typeof v !== "string") return undefined;
    const t = v.trim();
    if (!(t.startsWith("{") && t.endsWith("}")) && !(t.startsWith("[") && t.endsWith("]"))) return undefined;
    try {
        return JSON.parse(t) as unknown;
    } catch {
        return undefined;
    }
}

function join(path: string, key: string): string {
    return path === "" ? key : `${path}.${key}`;
}

/** Every path at which `before` and `after` differ, in a stable order. */
export function diffValues(before: unknown, after: unknown, path = ""): PathChange[] {
    if (before === after) return [];
    if (isObject(before) && isObject(after)) {
        const out: PathChange[] = [];
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        for (const k of keys) {
            const p = join(path, k);
            if (!(k in after)) out.push({ path: p, kind: "removed", before: before[k] });
            else if (!(k in before)) out.push({ path: p, kind: "added", after: after[k] });
            else out.push(...diffValues(before[k], after[k], p));
        }
        return out;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const out: PathChange[] = [];
        const n = Math.max(before.length, after.length);
        for (let i = 0; i < n; i++) {
            const p = `${path}[${i}]`;
            if (i >= after.length) out.push({ path: p, kind: "removed", before: before[i] });
            else if (i >= before.length) out.push({ path: p, kind: "added", after: after[i] });
            else out.push(...diffValues(before[i], after[i], p));
        }
        return out;
    }
    const jb = embeddedJson(before);
    const ja = embeddedJson(after);
    if (jb !== undefined && ja !== undefined) {
        const inner = diffValues(jb, ja, "");
        return inner.map((c) => ({ ...c, path: `${path}(json)${c.path === "" || c.path.startsWith("[") ? "" : "."}${c.path}` }));
    }
    return [{ path, kind: "changed", before, after }];
}

/** The input a change belongs to: the first segment of its path (`spec.template...` → `spec`). */
export function topLevel(path: string): string {
    const m = /^[^.[(]+/.exec(path);
    return m ? m[0] : path;
}

/** A value shortened for a report line: JSON, at most `max` characters. */
export function preview(value: unknown, max = 80): string {
    if (value === undefined) return "(none)";
    const s = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
