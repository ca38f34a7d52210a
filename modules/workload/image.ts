import * as crypto from "crypto";

/** A container image as settings name it: a repository with a tag, a digest, or both. */
export interface ImageSpec {
    repository: string;
    /** Immutable tag; `latest` is refused. */
    tag?: string;
    /** `sha256:<64 hex>`; wins over `tag` when both are set. */
    digest?: string;
}

/**
 * The pinned reference a pod pulls: `repository@sha256:...` when a digest is known, else
 * `repository:tag`. Throws on `latest` or an image with neither (both mean "whatever was pushed
 * last", which no rollback can return to); the settings schema already refuses them, this guards
 * callers that build an ImageSpec by hand.
 */
export function imageReference(image: ImageSpec): string {
    if (image.digest !== undefined) return `${image.repository}@${image.digest}`;
    if (image.tag === undefined || image.tag === "latest") {
        throw new Error(`The image ${image.repository} needs a pinned tag or a digest; got ${image.tag ?? "neither"}.`);
    }
    return `${image.repository}:${image.tag}`;
}

/** A short, stable hex digest of the given parts: names a Job after what it runs. */
export function contentHash(...parts: string[]): string {
    return crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 10);
}
