import type * as k8s from "@pulumi/kubernetes";

/**
 * The Pod Security Standards' `restricted` profile, as this project applies it to every pod and
 * every container (init containers too): non-root, no privilege escalation, every capability
 * dropped, the runtime's default seccomp profile, and a read-only root filesystem with a writable
 * `/tmp` mounted from an emptyDir. The namespace enforces the same profile, so a pod that drifts
 * from it is refused by the API server, not discovered later.
 */

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/** The Pod Security admission level every workload namespace enforces. */
export const POD_SECURITY_LEVEL = "restricted";

/** Pod-level context: who the pod runs as, and its seccomp profile. */
export function restrictedPodSecurityContext(uid: number): PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level context, repeated on each container so no container relies on the pod's. */
export function restrictedContainerSecurityContext(uid: number): SecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** The volume behind the writable `/tmp` of a read-only root filesystem. */
export const TMP_VOLUME: Volume = { name: "tmp", emptyDir: { sizeLimit: "256Mi" } };

/** Where each container mounts {@link TMP_VOLUME}. */
export const TMP_MOUNT: VolumeMount = { name: "tmp", mountPath: "/tmp" };
