import * as fs from "fs";

/**
 * Which stacks CI plans and deploys, and what each needs in its environment besides its stack
 * file. The committed stacks are the `Pulumi.<stack>.yaml` files; a pull request adds its own
 * `pr-<N>` stack, which has no stack file.
 */

/** `pr-<N>`: the preview stack of pull request N. */
export function previewStack(pr: number): string {
    if (!Number.isInteger(pr) || pr <= 0) throw new Error(`a pull request number is a positive whole number, got ${pr}`);
    return `pr-${pr}`;
}

/** The pull request a preview stack belongs to, or undefined for any other stack. */
export function prOfStack(stack: string): number | undefined {
    const m = /^pr-([1-9]\d*)$/.exec(stack);
    return m ? Number(m[1]) : undefined;
}

/** The stacks with a stack file in a project directory, sorted. */
export function committedStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * The image a preview runs: `<repository>:pr-<N>-<sha7>`, the tag the app's build pushes for the
 * pull request's head commit. A repository variable may pin another tag (`PREVIEW_IMAGE_TAG`, for
 * a repository whose pull requests build no image).
 */
export function previewImage(pr: number, sha: string, repository: string, pinnedTag?: string): Record<string, string> {
    if (!/^[0-9a-f]{7,40}$/.test(sha)) throw new Error(`not a commit sha: "${sha}"`);
    return { OPS_APP__IMAGE__REPOSITORY: repository, OPS_APP__IMAGE__TAG: pinnedTag || `pr-${pr}-${sha.slice(0, 7)}` };
}

/**
 * A stand-in for the ARN the on-call supplies at DR rebuild time (docs/disaster-recovery.md,
 * step 2): the offline plan of `production-dr` needs some value, and this one names the mocks'
 * account, so it can never be mistaken for a real restore source.
 */
export const DR_RESTORE_STAND_IN = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-offlineplanstandin";

/** The environment an offline plan of a stack needs beyond its stack file. */
export function offlinePlanEnv(stack: string, pr?: number, sha = "0000000"): Record<string, string> {
    if (prOfStack(stack) !== undefined) return previewImage(pr ?? prOfStack(stack)!, sha, "myapp/staging/app");
    if (stack === "production-dr-drill") return { OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: DR_RESTORE_STAND_IN };
    return {};
}
