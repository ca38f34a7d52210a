import { execFileSync } from "child_process";
import { parse } from "yaml";

/**
 * Releases are tags `vMAJOR.MINOR.PATCH` on `main` (runbook 1.3: `git tag -a v1.0.0`). Each
 * release's `Pulumi.production.yaml` names the app image production runs, so the previous
 * release's image is the rollback target (runbook 1.4: redeploy the previous release).
 */

export const RELEASE_TAG = /^v(\d+)\.(\d+)\.(\d+)$/;

/** A container image tag, as the OCI distribution spec allows it. */
export const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Compares two release tags by version. */
export function compareReleases(a: string, b: string): number {
    const pa = RELEASE_TAG.exec(a)!.slice(1).map(Number);
    const pb = RELEASE_TAG.exec(b)!.slice(1).map(Number);
    for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
}

/** The release before `tag` among `tags` (others than release tags ignored), or undefined for the first. */
export function previousRelease(tag: string, tags: string[]): string | undefined {
    if (!RELEASE_TAG.test(tag)) throw new Error(`"${tag}" is not a release tag vMAJOR.MINOR.PATCH`);
    return tags
        .filter((t) => RELEASE_TAG.test(t) && compareReleases(t, tag) < 0)
        .sort(compareReleases)
        .pop();
}

/** The image tag a stack file names (`ops:app.image.tag`), or undefined. */
export function imageTagOf(stackFileYaml: string): string | undefined {
    const doc = parse(stackFileYaml) as { config?: Record<string, unknown> } | null;
    const app = doc?.config?.["ops:app"] as { image?: { tag?: unknown } } | undefined;
    const tag = app?.image?.tag;
    return typeof tag === "string" || typeof tag === "number" ? String(tag) : undefined;
}

/** Runs git in the checkout and returns its output. */
export function git(args: string[], cwd = process.cwd(), quiet = false): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...(quiet ? { stdio: ["ignore", "pipe", "ignore"] } : {}) });
}

/** The image tag production runs at a ref (a release tag), from that ref's stack file. */
export function imageTagAt(ref: string, stack = "production", cwd?: string): string | undefined {
    try {
        return imageTagOf(git(["show", `${ref}:Pulumi.${stack}.yaml`], cwd, true));
    } catch {
        return undefined;
    }
}
