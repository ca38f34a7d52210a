import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RegistryArgs {
    /** Repository name, e.g. `myapp/production/app`. Changing it replaces the repository and its images. */
    repositoryName: string;
    /** Images kept; older ones expire (a rollback can only go back this far). */
    keepImages: number;
    /** Pulumi `protect` and retain-on-delete on the images' KMS key (images under a deleted key are lost). On in production. */
    protect: boolean;
    /**
     * Days before the images' deleted key is gone (7 to 30): the stack's `secrets.keyDeletionWindowDays`.
     * @default 30
     */
    keyDeletionWindowDays?: number;
    provider: aws.Provider;
}

/** The lifecycle policy: keep the newest `keep` images, whatever their tags. */
export function lifecyclePolicy(keep: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Keep the last ${keep} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    });
}

/**
 * The ECR repository of the app image: immutable tags (a tag always names the same image, so a
 * rollback to it is exact), scan on push, KMS encryption, and a lifecycle policy.
 */
export class Registry extends pulumi.ComponentResource {
    readonly repositoryUrl: pulumi.Output<string>;
    readonly repositoryArn: pulumi.Output<string>;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:registry:Registry", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const key = new aws.kms.Key(`${name}-images`, { description: `Encryption of ${args.repositoryName} images`, enableKeyRotation: true, deletionWindowInDays: args.keyDeletionWindowDays ?? 30 }, { ...o, protect: args.protect, retainOnDelete: args.protect });
        const repo = new aws.ecr.Repository(
            `${name}-app`,
            {
                name: args.repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
                forceDelete: false,
            },
            o,
        );
        new aws.ecr.LifecyclePolicy(`${name}-app`, { repository: repo.name, policy: lifecyclePolicy(args.keepImages) }, o);
        this.repositoryUrl = repo.repositoryUrl;
        this.repositoryArn = repo.arn;
        this.registerOutputs({ repositoryUrl: this.repositoryUrl });
    }
}
