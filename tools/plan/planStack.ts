import * as fs from "fs";
import * as path from "path";
import { Problem, SettingsError } from "../../settings/errors";
import { KeyInfo, allKeys, closest, keyAt, standInValue } from "../../settings/configKeys";
import { profileForStack } from "../../settings/profiles";
import { PROJECT_ROOT, stackFileName } from "../../settings/stackFiles";
import { Plan, recordPlan } from "./record";
import { readStackConfig } from "./stackConfig";

/** The project root: where Pulumi.yaml and index.ts are. */
export const PROJECT_DIR = PROJECT_ROOT;

/** A plan, and the values it had to stand in for (see `planStack`). */
export type StackPlan = Plan & {
    /**
     * Keys the stack requires but neither its file nor the environment set, whose values only its
     * deployment has (secrets, the image CI builds, an ARN that exists at rebuild time): the plan
     * stood in for them (`planStandIn` in the schema).
     */
    standIns: string[];
};

/** How many times the plan may find another missing value behind the ones it stood in for (the schema's, then the layers'). */
const MAX_STAND_IN_ROUNDS = 4;

/**
 * The keys whose absence is the only thing wrong, when each of them declares a stand-in; else
 * undefined, and the problems stop the plan as they stop `pulumi up`.
 */
function missingStandIns(e: unknown, project: string): KeyInfo[] | undefined {
    if (!SettingsError.isSettingsError(e)) return undefined;
    const keys = e.problems.map((p) => (p.key.startsWith(`${project}:`) && p.received.startsWith("nothing") ? keyAt(p.key.slice(project.length + 1)) : undefined));
    if (keys.some((k) => k?.planStandIn === undefined)) return undefined;
    return [...new Map(keys.map((k) => [k!.dotted, k!])).values()];
}

/** Config with a value at a key's path: a top-level key's value, or a leaf inside its top-level object's JSON. */
function withValue(config: Record<string, string>, project: string, key: KeyInfo, value: unknown): Record<string, string> {
    const [top, ...rest] = key.path;
    const full = `${project}:${top}`;
    if (rest.length === 0) return { ...config, [full]: typeof value === "string" ? value : JSON.stringify(value) };
    let tree: Record<string, unknown> = {};
    try {
        const parsed: unknown = config[full] === undefined ? {} : JSON.parse(config[full]!);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) tree = parsed as Record<string, unknown>;
    } catch {
        // Not an object: the stand-in gives the key the object it lacks.
    }
    const root = structuredClone(tree);
    let node = root;
    for (const seg of rest.slice(0, -1)) {
        if (!node[seg] || typeof node[seg] !== "object") node[seg] = {};
        node = node[seg] as Record<string, unknown>;
    }
    node[rest[rest.length - 1]!] = value;
    return { ...config, [full]: JSON.stringify(root) };
}

/** The stack names the plan knows: every stack file's, and `pr-<N>`. */
function committedStacks(): string[] {
    return fs
        .readdirSync(PROJECT_DIR)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * The stack name itself, before anything is read: Pulumi's characters, and a stack the plan can
 * know (a stack file, a name that implies a profile); a typo gets the nearest stack.
 */
function stackNameProblems(stack: string): Problem[] {
    const source = "--stack";
    if (!/^[A-Za-z0-9_.-]+$/.test(stack) || stack.startsWith(".")) {
        return [
            {
                key: "the stack name",
                received: JSON.stringify(stack),
                source,
                allowed: "a Pulumi stack name: letters, digits, hyphens, underscores and periods (the stack file is Pulumi.<stack>.yaml beside Pulumi.yaml)",
                fix: `one of ${committedStacks().join(", ")} or pr-<N>`,
            },
        ];
    }
    if (profileForStack(stack) || stack.startsWith("pr-") || fs.existsSync(path.join(PROJECT_DIR, stackFileName(stack)))) return [];
    const stacks = committedStacks();
    const guess = closest(stack, stacks);
    return [
        {
            key: "the stack name",
            received: JSON.stringify(stack),
            source,
            allowed: `a stack of this project: ${stacks.join(", ")}, pr-<N> (a pull request's preview), or a new stack with a stack file ${stackFileName(stack)} that names its environment`,
            fix: guess
                ? `--stack ${guess} (did you mean it?); a new stack: pulumi stack init ${stack} && pulumi config set environment development`
                : `--stack ${stacks[0] ?? "production"}; a new stack: pulumi stack init ${stack} && pulumi config set environment development`,
        },
    ];
}

/**
 * Plans a stack the way `pulumi preview` would run it: this project's `index.ts`, with the stack's
 * config files and the process's environment variables, under realistic mocks. Values the stack
 * requires but cannot hold in a checkout (secrets, and keys that declare a `planStandIn`) are
 * stood in for, and listed in `standIns`; any other settings problem is thrown as it is.
 */
export async function planStack(stack: string): Promise<StackPlan> {
    const nameProblems = stackNameProblems(stack);
    if (nameProblems.length > 0) throw new SettingsError(stack, nameProblems);
    const stackConfig = readStackConfig(PROJECT_DIR, stack);
    const region = stackConfig.config[`${stackConfig.project}:region`] ?? process.env["AWS_REGION"] ?? "us-east-1";
    // A stand-in that names a region (an ARN) takes the stack's: the variable's when it overrides the files'.
    const valueOf = (k: KeyInfo): unknown => standInValue(k.planStandIn!, { stack, region: process.env["OPS_REGION"] ?? region });
    const attempt = (standIns: KeyInfo[]): Promise<Plan> => {
        let config = stackConfig.config;
        for (const k of standIns) config = withValue(config, stackConfig.project, k, valueOf(k));
        return recordPlan({
            project: stackConfig.project,
            stack,
            config,
            secretKeys: [...stackConfig.secretKeys, ...standIns.filter((k) => k.secret).map((k) => `${stackConfig.project}:${k.path[0]}`)],
            defaultRegion: region,
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry point, loaded as the CLI loads it
            program: () => require(path.join(PROJECT_DIR, "index.ts")),
        });
    };
    let standIns: KeyInfo[] = [];
    for (let round = 0; ; round++) {
        try {
            const plan: StackPlan = { ...(await attempt(standIns)), standIns: standIns.map((k) => `${stackConfig.project}:${k.dotted}`) };
            NOTES.set(
                plan,
                standIns.map((k) => ({ key: `${stackConfig.project}:${k.dotted}`, shown: k.secret ? "[secret]" : JSON.stringify(valueOf(k)), realRun: k.planStandIn!.realRun })),
            );
            return plan;
        } catch (e) {
            const missing = round < MAX_STAND_IN_ROUNDS ? missingStandIns(e, stackConfig.project) : undefined;
            if (!missing || missing.length === 0) throw e;
            standIns = [...standIns, ...missing.filter((k) => !standIns.includes(k))];
        }
    }
}

/**
 * The note a tool prints on stderr when the plan stood in for values: each key, the value shown
 * in the plan (secrets stay redacted) and what the real run needs.
 */
export function standInNote(plan: StackPlan): string {
    const notes = NOTES.get(plan) ?? [];
    if (notes.length === 0) return "";
    const lines = [`Note: stack "${plan.stack}" lacks values that only its deployment has; the plan stood in for them (listed in its standIns):`];
    for (const n of notes) lines.push(`  ${n.key} = ${n.shown}`, `      the real run needs ${n.realRun}`);
    return `${lines.join("\n")}\n`;
}

/** What each plan stood in with, for its note (kept beside the plan, not in its JSON). */
const NOTES = new WeakMap<StackPlan, Array<{ key: string; shown: string; realRun: string }>>();

/** Every key that may be stood in for, with its note: what docs and tests read. */
export function standInKeys(): KeyInfo[] {
    return allKeys().filter((k) => k.planStandIn !== undefined);
}

/** True for an error the program raised on purpose for the user (a `pulumi.RunError`, such as a settings error). */
export function isUserError(e: unknown): e is Error {
    return e instanceof Error && (e as { __pulumiRunError?: boolean }).__pulumiRunError === true;
}
