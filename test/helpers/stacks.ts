import * as fs from "fs";
import * as path from "path";

/** The project root. */
export const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Where globalSetup writes each stack's plan, as `npm run plan -- --json` writes it: a directory
 * of its own per test run (globalSetup sets TEST_PLAN_DIR before the workers start), so that two
 * runs in one checkout never read each other's plans.
 */
export function planDir(): string {
    const dir = process.env["TEST_PLAN_DIR"];
    if (!dir) throw new Error("TEST_PLAN_DIR is not set: run the tests through jest, whose globalSetup plans every stack");
    return dir;
}

/** The preview stack the suite plans, standing for every `pr-<N>`. */
export const PREVIEW_STACK = "pr-42";

/**
 * A known value for every secret the suite can inject through the environment. Plans are made
 * with it set, and tests assert it never appears in a plan, an output or a snapshot.
 */
export const SECRET_SENTINELS: Record<string, string> = {
    OPS_EXTERNAL_API_KEY: "sentinel-external-api-key-6f1c2b",
    OPS_PAGER_DUTY_INTEGRATION_URL: "https://events.pagerduty.com/integration/sentinel-pagerduty-7d3e9a/enqueue",
};

/**
 * What CI's preview workflow sets for a pull request's stack: the image built from the branch.
 * A `pr-<N>` stack has no stack file, so this is its whole configuration.
 */
export const PREVIEW_ENV: Record<string, string> = {
    OPS_APP__IMAGE__REPOSITORY: "myapp/backend",
    OPS_APP__IMAGE__TAG: "pr-42-3f9c2d1",
};

/** Every stack with a stack file, plus the preview stack. */
export function plannedStacks(): string[] {
    const files = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
    return [...files.map((f) => f.slice("Pulumi.".length, -".yaml".length)), PREVIEW_STACK].sort();
}
