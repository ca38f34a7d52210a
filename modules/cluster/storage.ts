import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The annotation that makes a StorageClass the one a claim without `storageClassName` gets. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/**
 * The default StorageClass of a cloud cluster: encrypted gp3 volumes from the EBS CSI driver (the
 * managed add-on `aws-ebs-csi-driver`, provisioner `ebs.csi.aws.com`).
 *
 * EKS clusters created on Kubernetes 1.30 or later have no default StorageClass (EKS stopped
 * annotating its `gp2` class as the default), so a claim that names none stays Pending for ever:
 * the in-cluster PostgreSQL and Redis of every `pr-<N>` preview on staging's cluster did.
 * `WaitForFirstConsumer` creates a volume in the zone its pod is scheduled in (EBS volumes are
 * zonal); volumes grow in place (`allowVolumeExpansion`). Encrypted with the account's EBS key:
 * a customer-managed key would need KMS grants on the driver's role, for volumes that hold the
 * previews' synthetic data only.
 */
export function defaultStorageClass(name: string, opts: pulumi.CustomResourceOptions): k8s.storage.v1.StorageClass {
    return new k8s.storage.v1.StorageClass(
        `${name}-gp3`,
        {
            metadata: { name: "gp3", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
            provisioner: "ebs.csi.aws.com",
            volumeBindingMode: "WaitForFirstConsumer",
            reclaimPolicy: "Delete",
            allowVolumeExpansion: true,
            parameters: { type: "gp3", encrypted: "true" },
        },
        opts,
    );
}
