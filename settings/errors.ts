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
    constructor(
        readonly stackName: string,
        readonly problems: readonly Problem[],
    ) {
        super(formatProblems(stackName, problems));
        this.name = "SettingsError";
    }

    /** True for a SettingsError, also across copies of this module. */
    static isSettingsError(e: unknown): e is SettingsError {
        return e instanceof Error && e.name === "SettingsError" && Array.isArray((e as SettingsError).problems);
    }
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
