import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lifecyclePolicy } from "../registry/repository";
import { mirrorRepositories } from "./mirror";

export interface MirrorRegistryArgs {
    /** The mirror's repository prefix (modules/dr/mirror.ts `mirrorPrefix`). */
    prefix: string;
    /** Versions of each chart and tags of each image kept; older ones expire. */
    keepVersions: number;
    /** Pulumi `protect` and retain-on-delete on the mirror's KMS key. On in production. */
    protect: boolean;
    keyDeletionWindowDays: number;
    /** The DR region's provider. */
    provider: aws.Provider;
}

/**
 * The DR region's mirror of the charts and images a rebuild cannot pull through a cache
 * (modules/dr/mirror.ts): one ECR repository each, as the app's own (immutable tags, scan on
 * push, a lifecycle policy), under one customer-managed key. `scripts/dr_mirror.sh` fills them.
 */
export class MirrorRegistry extends pulumi.ComponentResource {
    readonly repositories: aws.ecr.Repository[];

    constructor(name: string, args: MirrorRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:dr:MirrorRegistry", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const key = new aws.kms.Key(
            `${name}-key`,
            { description: `Encryption of the DR mirror ${args.prefix}/*`, enableKeyRotation: true, deletionWindowInDays: args.keyDeletionWindowDays },
            { ...o, protect: args.protect, retainOnDelete: args.protect },
        );
        this.repositories = mirrorRepositories(args.prefix).map((repositoryName) => {
            const id = `${name}-${repositoryName.slice(args.prefix.length + 1).replace(/\//g, "-")}`;
            const repo = new aws.ecr.Repository(
                id,
                {
                    name: repositoryName,
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
                    forceDelete: false,
                },
                o,
            );
            new aws.ecr.LifecyclePolicy(id, { repository: repo.name, policy: lifecyclePolicy(args.keepVersions) }, o);
            return repo;
        });
        this.registerOutputs({});
    }
}
