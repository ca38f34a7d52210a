/**
 * Plans stacks with changed settings, one request per line on stdin, one JSON answer per line on
 * stdout. Tests use it (test/helpers/planWith.ts) to plan variations the stack files don't hold:
 * the SDK and providers load once per worker, and a plan runs at plain-Node speed rather than
 * inside the test runner's sandbox.
 *
 * Request:  {"id": 1, "stack": "production", "config": {"ops:x": "..."}, "env": {"OPS_Y": "..."}}
 *           optional: "secretKeys": ["ops:x"] (config values held encrypted, as `pulumi config set --secret`
 *           makes them), "mode": "settings" (only what the program does before it registers anything:
 *           load and validate the settings, the layers' checks and the stack's names; no plan)
 * Answer:   {"id": 1, "ok": true, "plan": {...}} or {"id": 1, "ok": false, "error": {...}}, and
 *           "registered": how many resources the program registered (a failed plan must have none)
 */
// First: zod's locales load lazily (./zodLocales.ts).
import "./zodLocales";
import * as pulumi from "@pulumi/pulumi";
import * as readline from "readline";
import { SettingsError } from "../../settings/errors";
import { isBootstrap, loadStackSettings, settingsFromPulumi } from "../../settings/load";
import { stackShape } from "../../settings/shape";
import { PROJECT_ROOT, ProjectFiles, projectFiles } from "../../settings/stackFiles";
import { bootstrapSettingsProblems } from "../../environments/bootstrap";
import { stackNames } from "../../environments/names";
import { composeStack, stackSettingsProblems } from "../../environments/stack";
import { PROJECT_DIR, isUserError } from "./planStack";
import { recordPlan } from "./record";
import { StackConfig, readStackConfig } from "./stackConfig";

interface Request {
    id: number;
    stack: string;
    config?: Record<string, string>;
    env?: Record<string, string>;
    secretKeys?: string[];
    mode?: "plan" | "settings";
}

/** The project's files and each stack's config, read once per worker for settings checks (thousands a run). */
const FILES = new Map<string, ProjectFiles | undefined>();
const STACK_CONFIG = new Map<string, StackConfig>();

function stackConfigOf(req: Request): StackConfig {
    if (req.mode !== "settings") return readStackConfig(PROJECT_DIR, req.stack);
    if (!STACK_CONFIG.has(req.stack)) STACK_CONFIG.set(req.stack, readStackConfig(PROJECT_DIR, req.stack));
    return STACK_CONFIG.get(req.stack)!;
}

/** What `composeStack` does before it registers anything, with the settings `settingsFromPulumi` would load. */
function checkSettings(req: Request, project: string, config: Record<string, string>, secretKeys: readonly string[]): void {
    if (!FILES.has(req.stack)) FILES.set(req.stack, projectFiles(PROJECT_ROOT, req.stack));
    const secret = new Set(secretKeys);
    const settings = loadStackSettings({ project, stack: req.stack, config, isSecret: (k) => secret.has(k), env: req.env ?? {}, files: FILES.get(req.stack) });
    if (isBootstrap(settings)) {
        const problems = bootstrapSettingsProblems(settings);
        if (problems.length > 0) throw new SettingsError(settings.stack, problems);
        return;
    }
    const shape = stackShape(settings);
    const problems = stackSettingsProblems(settings, shape);
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    stackNames(settings, shape);
}

async function plan(req: Request): Promise<unknown> {
    let registered = 0;
    try {
        const stackConfig = stackConfigOf(req);
        const config = { ...stackConfig.config, ...req.config };
        const secretKeys = [...stackConfig.secretKeys, ...(req.secretKeys ?? [])];
        if (req.mode === "settings") {
            checkSettings(req, stackConfig.project, config, secretKeys);
            return { id: req.id, ok: true, registered };
        }
        const result = await recordPlan({
            project: stackConfig.project,
            stack: req.stack,
            config,
            secretKeys,
            defaultRegion: "us-east-1",
            // The composition index.ts runs, with exactly the request's environment.
            program: () => {
                pulumi.runtime.registerStackTransformation(() => {
                    registered++;
                    return undefined;
                });
                return composeStack(settingsFromPulumi(req.env ?? {}));
            },
        });
        return { id: req.id, ok: true, plan: result, registered };
    } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        return {
            id: req.id,
            ok: false,
            registered,
            error: {
                name: err.name,
                message: err.message,
                // What the CLI does with it: a user error prints its message and exits 1, anything else is a crash (exit 3).
                userError: isUserError(err),
                ...(SettingsError.isSettingsError(err) ? { stackName: err.stackName, problems: err.problems } : {}),
            },
        };
    }
}

async function main(): Promise<void> {
    const lines = readline.createInterface({ input: process.stdin });
    // Pulumi's runtime state is per process: plans run one after another.
    for await (const line of lines) {
        if (line.trim() === "") continue;
        const answer = await plan(JSON.parse(line) as Request);
        process.stdout.write(`${JSON.stringify(answer)}\n`);
    }
}

void main();
