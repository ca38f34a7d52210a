import * as path from "path";
import { SettingsError } from "../../settings/errors";
import { allKeys } from "../../settings/configKeys";
import { Plan, recordPlan } from "./record";
import { SECURE_STAND_IN, readStackConfig } from "./stackConfig";

/** The project root: where Pulumi.yaml and index.ts are. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** A plan, and the values it had to stand in for (see `planStack`). */
export type StackPlan = Plan & {
    /** Keys the stack requires but neither its file nor the environment set: the plan stood in for them. */
    standIns: string[];
};

/** The value the plan stands in with for a key. */
function standInFor(namespacedKey: string): string {
    const dotted = namespacedKey.slice(namespacedKey.indexOf(":") + 1);
    return allKeys().find((k) => k.dotted === dotted)?.planStandIn ?? SECURE_STAND_IN;
}

/** The top-level keys the plan may stand in for: every secret, and each key with a `planStandIn`. */
function standInKeys(project: string): Map<string, { secret: boolean }> {
    return new Map(allKeys().filter((k) => k.path.length === 1 && (k.secret || k.planStandIn !== undefined)).map((k) => [`${project}:${k.dotted}`, { secret: k.secret }]));
}

/**
 * Keys whose absence is the only thing wrong, and that a repository checkout cannot hold: a
 * stack's secrets, set per deployment (`pulumi config set --secret`, encrypted by that stack's
 * secrets provider), and the values each fork sets once for itself (`githubRepository`). The plan
 * stands in for exactly these, as it does for `secure:` values.
 */
function missingStandIns(e: unknown, project: string): string[] | undefined {
    if (!SettingsError.isSettingsError(e)) return undefined;
    const keys = standInKeys(project);
    const missing = e.problems.filter((p) => keys.has(p.key) && p.received.startsWith("nothing"));
    return missing.length === e.problems.length ? missing.map((p) => p.key) : undefined;
}

/**
 * Plans a stack the way `pulumi preview` would run it: this project's `index.ts`, with the stack's
 * config files and the process's environment variables, under realistic mocks. Secrets (and the
 * fork's own identity) the stack requires but cannot find are stood in for, and listed in
 * `standIns`; any other settings problem is thrown as it is.
 */
export async function planStack(stack: string): Promise<StackPlan> {
    const stackConfig = readStackConfig(PROJECT_DIR, stack);
    const region = stackConfig.config[`${stackConfig.project}:region`] ?? process.env["AWS_REGION"] ?? "us-east-1";
    const attempt = (standIns: string[]): Promise<Plan> =>
        recordPlan({
            project: stackConfig.project,
            stack,
            config: { ...stackConfig.config, ...Object.fromEntries(standIns.map((k) => [k, standInFor(k)])) },
            secretKeys: [...stackConfig.secretKeys, ...standIns.filter((k) => standInKeys(stackConfig.project).get(k)?.secret)],
            defaultRegion: region,
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry point, loaded as the CLI loads it
            program: () => require(path.join(PROJECT_DIR, "index.ts")),
        });
    try {
        return { ...(await attempt([])), standIns: [] };
    } catch (e) {
        const standIns = missingStandIns(e, stackConfig.project);
        if (!standIns) throw e;
        return { ...(await attempt(standIns)), standIns };
    }
}

/** True for an error the program raised on purpose for the user (a `pulumi.RunError`, such as a settings error). */
export function isUserError(e: unknown): e is Error {
    return e instanceof Error && (e as { __pulumiRunError?: boolean }).__pulumiRunError === true;
}
