/**
 * Flags of the CI commands: `--name value` pairs, every one a string. A missing required flag is a
 * usage error naming it, so a workflow that forgets one fails at once with the reason.
 */

/** A problem with the command line or an input; the CLI prints it and exits 2. */
export class UsageError extends Error {}

export type Flags = Record<string, string>;

/** Parses `--name value` pairs (and `--name=value`); positional words are refused. */
export function parseFlags(argv: string[]): Flags {
    const out: Flags = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (!a.startsWith("--")) throw new UsageError(`unexpected argument "${a}": every argument is a --name value pair`);
        const eq = a.indexOf("=");
        if (eq > 0) {
            out[a.slice(2, eq)] = a.slice(eq + 1);
            continue;
        }
        const v = argv[i + 1];
        if (v === undefined || v.startsWith("--")) out[a.slice(2)] = "true";
        else {
            out[a.slice(2)] = v;
            i++;
        }
    }
    return out;
}

/** A required flag's value. */
export function required(flags: Flags, name: string, what: string): string {
    const v = flags[name];
    if (v === undefined || v === "" || v === "true") throw new UsageError(`--${name} is required: ${what}`);
    return v;
}

/** A flag that must be a positive whole number. */
export function positiveInt(flags: Flags, name: string, fallback?: number): number {
    const raw = flags[name];
    if (raw === undefined) {
        if (fallback === undefined) throw new UsageError(`--${name} is required`);
        return fallback;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number, got "${raw}"`);
    return n;
}

/** An environment variable the command needs (GitHub sets them in every job). */
export function env(name: string, what: string, source: NodeJS.ProcessEnv = process.env): string {
    const v = source[name];
    if (!v) throw new UsageError(`environment variable ${name} is not set: ${what}`);
    return v;
}
