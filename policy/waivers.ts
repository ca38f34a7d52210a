/**
 * Waivers: a reviewed exception to one rule for one resource of named stacks, with the reason,
 * who approved it and until when. They live in policy/waivers.yaml, versioned with the code, so
 * the offline check, the tests and `pulumi preview --policy-pack policy` read the same ones.
 *
 * A waiver that names an unknown rule, lacks its reason, approver or expiry, has expired, or
 * matches no violation of a stack it names is an error: it fails the check like a mandatory
 * violation, so a waiver cannot outlive the resource or the problem it excused.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import type { PolicyRule } from "./rule";

/** Where the pack's waivers live. */
export const WAIVERS_FILE = path.join(__dirname, "waivers.yaml");

/** The shortest reason accepted: a sentence, not a word. */
export const MIN_REASON_LENGTH = 30;
/** How far ahead a waiver may expire: it is reviewed again at least yearly. */
export const MAX_WAIVER_DAYS = 366;

/** One waiver, as policy/waivers.yaml states it. */
export interface Waiver {
    /** The rule waived (its name). */
    rule: string;
    /** The stacks it applies to, by name. */
    stacks: string[];
    /** The resource, as `<type>::<name>` (the last two parts of its URN). */
    resource: string;
    /** Why the rule does not apply to this resource: printed with every waived violation. */
    reason: string;
    /** Who reviewed and approved the waiver. */
    approvedBy: string;
    /** The last day the waiver holds (YYYY-MM-DD). */
    expires: string;
}

/** A problem with the waivers file or one waiver. */
export interface WaiverError {
    /** The waiver's position in the file (1-based), or 0 for the file itself. */
    index: number;
    message: string;
}

/** The key a waiver names a resource by. */
export function resourceKey(r: { type: string; name: string }): string {
    return `${r.type}::${r.name}`;
}

function dayOf(date: Date): string {
    return date.toISOString().slice(0, 10);
}

/** Checks the waivers' shape and dates against the rules; `today` is injectable for tests. */
export function validateWaivers(raw: unknown, rules: readonly PolicyRule[], today: Date = new Date()): { waivers: Waiver[]; errors: WaiverError[] } {
    const errors: WaiverError[] = [];
    const list = (raw as { waivers?: unknown } | null)?.waivers;
    if (raw !== null && raw !== undefined && (typeof raw !== "object" || !Array.isArray(list))) {
        return { waivers: [], errors: [{ index: 0, message: "policy/waivers.yaml must hold `waivers:` followed by a list (an empty list is `waivers: []`)" }] };
    }
    const names = new Set(rules.map((r) => r.name));
    const latest = new Date(today.getTime() + MAX_WAIVER_DAYS * 86_400_000);
    const waivers: Waiver[] = [];
    const seen = new Set<string>();
    (Array.isArray(list) ? (list as unknown[]) : []).forEach((entry, i) => {
        const index = i + 1;
        const w = (entry ?? {}) as Record<string, unknown>;
        const problems: string[] = [];
        const rule = typeof w["rule"] === "string" ? w["rule"] : "";
        if (!names.has(rule)) problems.push(`rule ${JSON.stringify(w["rule"] ?? null)} is not a rule of the pack (npm run policy -- --list)`);
        const stacks = Array.isArray(w["stacks"]) ? w["stacks"].filter((s): s is string => typeof s === "string" && s !== "") : [];
        if (stacks.length === 0 || stacks.length !== (w["stacks"] as unknown[]).length) problems.push("stacks must be a non-empty list of stack names");
        const resource = typeof w["resource"] === "string" ? w["resource"] : "";
        if (!/^[^:]+:[^:]*:[^:]+::.+$/.test(resource)) problems.push(`resource ${JSON.stringify(w["resource"] ?? null)} must be "<type>::<name>", as in the resource's URN`);
        const reason = typeof w["reason"] === "string" ? w["reason"].trim() : "";
        if (reason.length < MIN_REASON_LENGTH) problems.push(`reason must say why the rule does not apply (at least ${MIN_REASON_LENGTH} characters)`);
        const approvedBy = typeof w["approvedBy"] === "string" ? w["approvedBy"].trim() : "";
        if (approvedBy === "") problems.push("approvedBy must name who reviewed the waiver");
        const expires = w["expires"] instanceof Date ? dayOf(w["expires"]) : typeof w["expires"] === "string" ? w["expires"] : "";
        if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(expires))) problems.push("expires must be a date (YYYY-MM-DD)");
        else if (expires < dayOf(today)) problems.push(`expired on ${expires}: review it again, then renew or delete it`);
        else if (expires > dayOf(latest)) problems.push(`expires ${expires} is more than ${MAX_WAIVER_DAYS} days ahead: waivers are reviewed at least yearly`);
        for (const stack of stacks) {
            const key = `${rule} ${stack} ${resource}`;
            if (seen.has(key)) problems.push(`waives ${rule} for ${resource} in ${stack} a second time`);
            seen.add(key);
        }
        if (problems.length > 0) errors.push(...problems.map((message) => ({ index, message: `waiver ${index}${rule ? ` (${rule})` : ""}: ${message}` })));
        else waivers.push({ rule, stacks, resource, reason, approvedBy, expires });
    });
    return { waivers, errors };
}

/** Reads and checks policy/waivers.yaml (or another file); a missing file means no waivers. */
export function loadWaivers(rules: readonly PolicyRule[], file: string = WAIVERS_FILE, today: Date = new Date()): { waivers: Waiver[]; errors: WaiverError[] } {
    if (!fs.existsSync(file)) return { waivers: [], errors: [] };
    let raw: unknown;
    try {
        raw = YAML.parse(fs.readFileSync(file, "utf8")) as unknown;
    } catch (e) {
        return { waivers: [], errors: [{ index: 0, message: `${path.basename(file)} is not valid YAML: ${e instanceof Error ? e.message : String(e)}` }] };
    }
    return validateWaivers(raw, rules, today);
}
