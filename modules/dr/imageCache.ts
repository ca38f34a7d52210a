import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PULL_THROUGH_CACHES, cachedImage } from "./names";

/**
 * The DR region's ECR pull-through cache rules (`PULL_THROUGH_CACHES`): a DR rebuild's nodes pull
 * the controllers' images through them from the region's own ECR. A cache fills on first pull
 * only: `scripts/dr_mirror.sh` pulls each image once while the primary is healthy
 * (docs/dr-standby.md, "The mirror and the caches"). None of these upstreams takes a credential,
 * so no secret is involved.
 */
export class ImageCache extends pulumi.ComponentResource {
    readonly rules: aws.ecr.PullThroughCacheRule[];

    constructor(name: string, args: { provider: aws.Provider }, opts?: pulumi.ComponentResourceOptions) {
        super("ops:dr:ImageCache", name, {}, opts);
        this.rules = PULL_THROUGH_CACHES.map(
            (c) => new aws.ecr.PullThroughCacheRule(`${name}-${c.prefix}`, { ecrRepositoryPrefix: c.prefix, upstreamRegistryUrl: c.upstream }, { parent: this, provider: args.provider }),
        );
        this.registerOutputs({});
    }
}

/**
 * A pinned image as a DR rebuild pulls it (`cacheHost` set: its own region's ECR host): an image
 * from an upstream `PULL_THROUGH_CACHES` caches through the cache, an image already in an ECR
 * private registry of `region` as it is. Any other registry throws: the rebuild would depend on it.
 * Without `cacheHost` (any other stack), the image as it is.
 */
export function rebuildImage(cacheHost: pulumi.Input<string> | undefined, image: string, region: string): pulumi.Input<string> {
    if (cacheHost === undefined) return image;
    const host = image.split("/")[0]!;
    if (new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${region.replace(/-/g, "\\-")}\\.amazonaws\\.com(\\.cn)?$`).test(host)) return image;
    if (!PULL_THROUGH_CACHES.some((c) => c.upstream === host)) {
        throw new Error(`A DR rebuild in ${region} cannot pull ${image}: its registry ${host} is neither ${region}'s ECR nor cached there (modules/dr/names.ts PULL_THROUGH_CACHES). Mirror it into ${region}'s ECR and set the image to the mirror.`);
    }
    return pulumi.output(cacheHost).apply((h) => cachedImage(h, image));
}
