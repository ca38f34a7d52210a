/** The command line of `npm run dr:drill` (tools/drill.ts) and the guard that keeps it off real stacks. */

export const USAGE =
    "usage: npm run dr:drill -- --stack <name>-drill --report-dir <dir> [--keep] [--teardown-only] [--require-outage-simulation]\n" +
    "                           [--primary-identifier <db id>] [--health-timeout-minutes <n>] [--debug]";

export interface DrillArgs {
    stack: string;
    reportDir: string;
    /** Leave the drill stack up for inspection (tear it down later with --teardown-only). */
    keep: boolean;
    /** Only destroy a drill stack left by an earlier run, check and report what remains. */
    teardownOnly: boolean;
    /** Fail the drill unless the primary region is denied to its credentials (the outage simulation). */
    requireOutageSimulation: boolean;
    /** The primary's database, whose replicated automated backups the drill restores (default `<app>-production`). */
    primaryIdentifier?: string;
    healthTimeoutMinutes: number;
    debug: boolean;
}

/** Bad arguments: the CLI prints the message and the usage, exit 2. */
export class UsageError extends Error {}

const VALUED = ["--stack", "--report-dir", "--primary-identifier", "--health-timeout-minutes"] as const;

/** Parses the arguments after `npm run dr:drill --`. */
export function parseArgs(argv: string[]): DrillArgs {
    const v: Partial<Record<(typeof VALUED)[number], string>> = {};
    const args = { keep: false, teardownOnly: false, requireOutageSimulation: false, debug: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        if (flag === "--keep") args.keep = true;
        else if (flag === "--teardown-only") args.teardownOnly = true;
        else if (flag === "--require-outage-simulation") args.requireOutageSimulation = true;
        else if (flag === "--debug") args.debug = true;
        else if ((VALUED as readonly string[]).includes(flag)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value === "" || value.startsWith("--")) throw new UsageError(`${flag} needs a value\n${USAGE}`);
            v[flag as (typeof VALUED)[number]] = value;
        } else throw new UsageError(`unknown argument ${a}\n${USAGE}`);
    }
    if (v["--stack"] === undefined) throw new UsageError(`--stack is required: the drill stack (production-dr-drill)\n${USAGE}`);
    if (v["--report-dir"] === undefined) throw new UsageError(`--report-dir is required: where the report is written\n${USAGE}`);
    if (args.keep && args.teardownOnly) throw new UsageError(`--keep and --teardown-only contradict each other\n${USAGE}`);
    const minutes = v["--health-timeout-minutes"] ?? "15";
    if (!/^\d+$/.test(minutes) || Number(minutes) < 1 || Number(minutes) > 120) throw new UsageError(`--health-timeout-minutes needs a whole number from 1 to 120, got ${JSON.stringify(minutes)}\n${USAGE}`);
    return {
        stack: v["--stack"],
        reportDir: v["--report-dir"],
        ...args,
        ...(v["--primary-identifier"] !== undefined ? { primaryIdentifier: v["--primary-identifier"] } : {}),
        healthTimeoutMinutes: Number(minutes),
    };
}

/** What the drill reads of the stack file (`Pulumi.<stack>.yaml`'s config, keys without the `ops:` namespace). */
export interface DrillStackFile {
    exists: boolean;
    /** `ops:appName`, when set. */
    appName?: string;
    /** `ops:region`: where the drill runs. */
    region?: string;
    /** `ops:secrets.pathScope`. */
    pathScope?: string;
    /** `secretsprovider`: the provider a new stack is created with. */
    secretsProvider?: string;
}

/** Stacks a drill must never touch, whatever their file says. */
const REAL_STACKS = new Set(["production", "production-dr", "staging", "dev", "bootstrap"]);

/**
 * Why `stack` is not a drill stack, or an empty list. A drill stack is named `<something>-drill`,
 * has its stack file, runs outside the primary region, and keeps its secrets under a scope of its
 * own ending in `-drill`: so a drill never updates, destroys or force-deletes anything of
 * production or of a real rebuild.
 */
export function drillStackProblems(stack: string, file: DrillStackFile, primaryRegion = "us-east-1"): string[] {
    const problems: string[] = [];
    if (REAL_STACKS.has(stack) || !/^[a-z0-9][a-z0-9-]*-drill$/.test(stack)) {
        problems.push(`--stack ${stack}: a drill runs only on a drill stack, named <name>-drill (production-dr-drill); it destroys what it builds`);
        return problems;
    }
    if (!file.exists) {
        problems.push(`Pulumi.${stack}.yaml does not exist: a drill stack is committed with its own names (docs/disaster-recovery.md, "DR drill")`);
        return problems;
    }
    if (file.region === undefined) problems.push(`Pulumi.${stack}.yaml sets no ops:region: a drill runs in the DR region, set explicitly`);
    else if (file.region === primaryRegion) problems.push(`Pulumi.${stack}.yaml sets ops:region ${file.region}, the primary region: a drill rehearses the rebuild in the DR region`);
    if (file.pathScope === undefined || !file.pathScope.endsWith("-drill")) {
        problems.push(`Pulumi.${stack}.yaml sets ops:secrets.pathScope ${JSON.stringify(file.pathScope ?? null)}: a drill keeps its secrets under a scope of its own ending in -drill (production-drill), apart from production's and the rebuild's`);
    }
    return problems;
}
