import * as pulumi from "@pulumi/pulumi";

/** One thing wrong with a stack's settings, in terms a user can act on. */
export interface Problem {
    /** The config key, namespaced: `ops:database.multiAz`. */
    key: string;
    /** The value received, already redacted if secret, or a description of its absence. */
    received: string;
    /** Where the value came from (a profile, the stack config, an environment variable). */
    source?: string;
    /** What is allowed. */
    allowed: string;
    /** The command or edit that fixes it. */
    fix: string;
}

/**
 * Every settings problem of a stack, thrown before any resource is registered.
 *
 * A `RunError`, so that the Pulumi CLI prints the message without a stack trace; the offline
 * plan does the same and exits non-zero.
 */
export class SettingsError extends pulumi.RunError {
    readonly problems: readonly Problem[];

    constructor(
        readonly stackName: string,
        problems: readonly Problem[],
    ) {
        const shown = problems.map(bounded);
        super(formatProblems(stackName, shown));
        this.problems = shown;
        this.name = "SettingsError";
    }

    /** True for a SettingsError, also across copies of this module. */
    static isSettingsError(e: unknown): e is SettingsError {
        return e instanceof Error && e.name === "SettingsError" && Array.isArray((e as SettingsError).problems);
    }
}

/**
 * The first `max` characters of a text, never half a character: a cut between the two halves of
 * a surrogate pair (an emoji) would leave a message that is not well-formed text.
 */
export function cutText(text: string, max: number): string {
    if (text.length <= max) return text;
    const code = text.charCodeAt(max - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The longest a problem's fields are shown (a fix that lists an object's keys takes more). */
const MAX_FIELD = 1000;
const MAX_FIX = 3000;

/**
 * A problem as it is shown: no field longer than a screenful. A value is cut where it is
 * described, but a rule across keys may quote another key's value in its words; a huge one
 * (100,000 characters in a variable) must not flood the message.
 */
function bounded(p: Problem): Problem {
    const cut = (text: string, max: number): string => (text.length > max ? `${cutText(text, max - 3)}...` : text);
    return {
        ...p,
        key: cut(p.key, MAX_FIELD),
        received: cut(p.received, MAX_FIELD),
        ...(p.source !== undefined ? { source: cut(p.source, MAX_FIELD) } : {}),
        allowed: cut(p.allowed, MAX_FIELD),
        fix: cut(p.fix, MAX_FIX),
    };
}

/** Half of a character: a surrogate without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A text with every half character replaced by U+FFFD, so that a message prints as text. */
export function wholeCharacters(text: string): string {
    return text.replace(LONE_SURROGATE, "\ufffd");
}

function formatProblems(stack: string, problems: readonly Problem[]): string {
    const n = problems.length;
    const lines = [
        `Stack "${stack}" has ${n} configuration problem${n === 1 ? "" : "s"}; nothing was created. Fix ${n === 1 ? "it" : "them all"} and run again:`,
    ];
    problems.forEach((p, i) => {
        lines.push("");
        lines.push(`  ${i + 1}. ${p.key}`);
        lines.push(`     received: ${p.received}${p.source ? `  (from ${p.source})` : ""}`);
        lines.push(`     allowed:  ${p.allowed}`);
        lines.push(`     fix:      ${p.fix}`);
    });
    return lines.join("\n");
}
