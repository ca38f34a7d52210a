import type { Problem } from "../../../settings/errors";
import type { WorkerAnswer } from "../../helpers/planWith";
import type { FuzzCase } from "./cases";

/**
 * What the README promises of any configuration: the stack plans, or it fails with a settings
 * error (a user error, exit 1, no stack trace) that lists every problem with its key, the value
 * received, where it came from, what is allowed and a fix, and registers nothing. A secret's value
 * is never printed. Returns what is wrong with an answer; empty when the answer keeps the promise.
 */

/** A line of a stack trace: `    at fn (file.ts:12:5)`. */
const STACK_FRAME = /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/** The longest a problem's field may be (settings/errors.ts shows 1,000 characters, 3,000 of a fix): a message echoes values cut short, never a whole huge one. */
const MAX_FIELD = 3_000;

/** Whether a problem names an expected key: that key, a key above it, or a key inside it. */
function names(p: Problem, name: string): boolean {
    return p.key === name || name.startsWith(`${p.key}.`) || p.key.startsWith(`${name}.`) || p.key.startsWith(`${name}[`);
}

/** Whether a text has no half characters (a surrogate without its other half). */
export function wellFormed(text: string): boolean {
    return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

export function judge(c: FuzzCase, answer: WorkerAnswer): string[] {
    const faults: string[] = [];
    const text = JSON.stringify(answer);
    for (const s of c.secrets) if (text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1))) faults.push(`a secret's value is printed: ${s}`);
    if (answer.ok) {
        for (const e of c.expected) faults.push(`accepted, though it must report ${e.what}`);
        return faults;
    }
    const error = answer.error!;
    if (answer.registered !== 0) faults.push(`${answer.registered} resource(s) registered before the error`);
    if (!error.userError) faults.push(`not a user error (the CLI would crash with exit 3): ${error.name}: ${error.message.slice(0, 300)}`);
    if (!error.problems) {
        faults.push(`not a settings error: ${error.name}: ${error.message.slice(0, 300)}`);
        return faults;
    }
    if (STACK_FRAME.test(error.message)) faults.push("the message holds a stack trace");
    if (!wellFormed(error.message)) faults.push("the message is not well-formed text (a character cut in half)");
    const problems = error.problems;
    // The words a user may have typed themselves.
    const typed = new RegExp(`\\b(${["undefined", "NaN"].filter((w) => JSON.stringify([c.config, c.env]).includes(w)).join("|") || "(?!)"})\\b`);
    if (problems.length === 0) faults.push("a settings error without a problem");
    if (!error.message.includes(`has ${problems.length} configuration problem`)) faults.push("the message does not count its problems");
    for (const p of problems) {
        const where = `problem ${JSON.stringify(p.key.slice(0, 80))}`;
        for (const field of ["key", "received", "allowed", "fix"] as const) {
            const v = p[field];
            if (typeof v !== "string" || v.trim() === "") faults.push(`${where}: no ${field}`);
            else {
                if (v.length > MAX_FIELD) faults.push(`${where}: its ${field} is ${v.length} characters long`);
                // What was received may be any text, and a message may quote it; the rest is the program's own words.
                if ((field === "received" || typed.test(v) ? /\[object Object\]/ : /\bundefined\b|\[object Object\]|\bNaN\b/).test(v)) faults.push(`${where}: its ${field} says ${JSON.stringify(v.slice(0, 160))}`);
                if (!wellFormed(v)) faults.push(`${where}: its ${field} is not well-formed text`);
            }
        }
        if (!p.received?.startsWith("nothing") && !p.source) faults.push(`${where}: no source for the value ${p.received?.slice(0, 80)}`);
        if (p.source !== undefined && (p.source.length > MAX_FIELD || /\bundefined\b/.test(p.source))) faults.push(`${where}: its source says ${p.source.slice(0, 160)}`);
        if (/^(Invalid|Expected|Required)\b|expected \w+, received/i.test(p.allowed ?? "")) faults.push(`${where}: allowed is the validator's own words: ${p.allowed}`);
    }
    // Without a profile the values never reach the schema: only what the layers read before it can be reported.
    const noProfile = c.profileAtRisk && problems.some((p) => p.key === "ops:environment" || p.key === "the stack name");
    for (const e of c.expected) {
        if (noProfile && !e.beforeProfile) continue;
        const reporting = problems.filter((p) => e.names.some((n) => names(p, n)));
        if (reporting.length === 0) {
            faults.push(`not reported: ${e.what} (problems: ${problems.map((p) => p.key.slice(0, 60)).join(", ")})`);
            continue;
        }
        if (e.source && !reporting.some((p) => p.source?.includes(e.source))) {
            faults.push(`${e.what}: reported with the source ${reporting.map((p) => JSON.stringify(p.source)).join(", ")}, not ${e.source}`);
        }
    }
    return faults;
}
