/**
 * Plans stacks with changed settings, one request per line on stdin, one JSON answer per line on
 * stdout. Tests use it (test/helpers/planWith.ts) to plan variations the stack files don't hold:
 * the SDK and providers load once per worker, and a plan runs at plain-Node speed rather than
 * inside the test runner's sandbox.
 *
 * Request:  {"id": 1, "stack": "production", "config": {"ops:x": "..."}, "env": {"OPS_Y": "..."}}
 * Answer:   {"id": 1, "ok": true, "plan": {...}} or {"id": 1, "ok": false, "error": {...}}
 */
// First: zod's locales load lazily (./zodLocales.ts).
import "./zodLocales";
import * as readline from "readline";
import { SettingsError } from "../../settings/errors";
import { settingsFromPulumi } from "../../settings/load";
import { composeStack } from "../../environments/stack";
import { PROJECT_DIR } from "./planStack";
import { recordPlan } from "./record";
import { readStackConfig } from "./stackConfig";

interface Request {
    id: number;
    stack: string;
    config?: Record<string, string>;
    env?: Record<string, string>;
}

async function plan(req: Request): Promise<unknown> {
    const stackConfig = readStackConfig(PROJECT_DIR, req.stack);
    try {
        const result = await recordPlan({
            project: stackConfig.project,
            stack: req.stack,
            config: { ...stackConfig.config, ...req.config },
            secretKeys: stackConfig.secretKeys,
            defaultRegion: "us-east-1",
            // The composition index.ts runs, with exactly the request's environment.
            program: () => composeStack(settingsFromPulumi(req.env ?? {})),
        });
        return { id: req.id, ok: true, plan: result };
    } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        return {
            id: req.id,
            ok: false,
            error: {
                name: err.name,
                message: err.message,
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
