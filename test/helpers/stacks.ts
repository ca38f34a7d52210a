import * as fs from "fs";
import * as path from "path";

/** The project root. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** The run's own temp directory (globalSetup makes it, globalTeardown removes it): `<os temp>/ops-test-run-XXXXXX`. */
export const RUN_DIR_PREFIX = "ops-test-run-";
/** The plans' directory inside it. */
export const PLAN_DIR_NAME = "plans";

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
 * Sentinels for the secret inputs the committed plans do not take, since each changes what a stack
 * creates or where its secret comes from: the PagerDuty API token (the program then makes the
 * on-call and its integration), and a secret set encrypted in the stack config rather than a variable.
 */
export const MORE_SECRET_SENTINELS = {
    pagerDutyToken: "u+sentinel-pagerduty-api-token-3b7f0d",
    configExternalApiKey: "sentinel-config-external-api-key-81e4aa",
} as const;

/** Every value a test run sets a secret to: no file the run leaves, plan, message or output may hold one. */
export function secretSentinels(): string[] {
    return [...Object.values(SECRET_SENTINELS), ...Object.values(MORE_SECRET_SENTINELS)];
}

/** What the settings fuzzer's secret values start with (test/settings/fuzz/cases.ts). */
export const FUZZ_SECRET_MARK = "sentinel-fuzz-";

/**
 * What CI's preview workflow sets for a pull request's stack: the image built from the branch.
 * A `pr-<N>` stack has no stack file, so this is its whole configuration.
 */
export const PREVIEW_ENV: Record<string, string> = {
    // Staging's repository, which CI pushes a pull request's image to (the preview pulls it from staging's ECR).
    OPS_APP__IMAGE__REPOSITORY: "myapp/staging/app",
    OPS_APP__IMAGE__TAG: "pr-42-3f9c2d1",
};

/**
 * What a DR drill sets (it restores from the replicated backups; the real rebuild promotes the
 * standing replica and needs nothing): the ARN of production's automated backups replicated to
 * the DR region, which only exists once production has run.
 */
export const DR_REBUILD_ENV: Record<string, string> = {
    OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-7kx2m4q9wz3n5p8r6t1v0y4c2d",
};

/**
 * The repository every CI job names (`OPS_GITHUB_REPOSITORY: ${{ github.repository }}` in the
 * workflows): the bootstrap stack's trust policies and the cloud stacks' runners read it. GitHub's
 * own example repository, as the offline plan's stand-in is.
 */
export const REPOSITORY_ENV: Record<string, string> = { OPS_GITHUB_REPOSITORY: "octo-org/octo-repo" };

/** What a stack's deployment sets in the environment beyond its stack file (CI for pr-<N>, the on-call for a DR rebuild). */
export function deployEnv(stack: string): Record<string, string> {
    if (stack.startsWith("pr-")) return { ...REPOSITORY_ENV, ...PREVIEW_ENV };
    if (stack === "production-dr-drill") return { ...REPOSITORY_ENV, ...DR_REBUILD_ENV };
    return REPOSITORY_ENV;
}

/** The account's bootstrap stack (docs/bootstrap.md): no app, no workload, no secrets. */
export const BOOTSTRAP_STACK = "bootstrap";

/** The planned stacks that run the app (every one but the bootstrap stack). */
export function workloadStacks(): string[] {
    return plannedStacks().filter((s) => s !== BOOTSTRAP_STACK);
}

/** Every stack with a stack file, plus the preview stack. */
export function plannedStacks(): string[] {
    const files = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
    return [...files.map((f) => f.slice("Pulumi.".length, -".yaml".length)), PREVIEW_STACK].sort();
}
