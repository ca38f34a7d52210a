import type * as pulumi from "@pulumi/pulumi";

/**
 * Pods follow rotations: when External Secrets Operator writes a rotated value into the app's
 * Kubernetes Secret, the Stakater Reloader controller (installed with the cluster's controllers)
 * rolls the Deployments that name that Secret in their annotation, as an ordinary rolling update:
 * the Deployment's strategy (`maxUnavailable: 0`, `maxSurge: 25%`) and readiness probes hold, and
 * the disruption budget is not involved (a rollout is not an eviction). So no pod keeps
 * credentials older than the current rotation for longer than the refresh interval plus a rollout
 * (docs/secrets.md, "How a rotation reaches the app"). Pure: tests and the docs read it.
 */

/** Where the controller runs. */
export const RELOADER_NAMESPACE = "reloader";

/**
 * The Deployment annotation naming the Secrets whose change restarts it (comma-separated names).
 * Named, not `reloader.stakater.com/auto`: only the Secret External Secrets fills triggers a roll.
 */
export const RELOAD_ON_SECRET_ANNOTATION = "secret.reloader.stakater.com/reload";

/** The annotations a Deployment reading `secretName` carries. */
export function reloadAnnotations(secretName: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return { [RELOAD_ON_SECRET_ANNOTATION]: secretName };
}

/**
 * The chart's values (keys of its values.yaml, reloader 2.2.16):
 * - `reloadStrategy: annotations`: the roll is an annotation on the pod template
 *   (`reloader.stakater.com/last-reloaded-from`), which the program does not manage, so a later
 *   `pulumi up` neither reverts it nor shows a diff (the default adds an environment variable);
 * - only annotated workloads (`autoReloadAll: false`), only Secrets: the app's ConfigMaps are
 *   immutable and renamed on change, which rolls the pods already;
 * - never Jobs or CronJobs: a restarted migrations Job would run again;
 * - two replicas with leader election, so a node drain never leaves rotations unfollowed;
 * - read-only root file system, non-root, no privilege escalation, all capabilities dropped.
 */
export function reloaderValues(): Record<string, unknown> {
    return {
        reloader: {
            autoReloadAll: false,
            reloadStrategy: "annotations",
            ignoreConfigMaps: true,
            ignoreSecrets: false,
            ignoreJobs: true,
            ignoreCronJobs: true,
            reloadOnCreate: false,
            reloadOnDelete: false,
            watchGlobally: true,
            enableHA: true,
            readOnlyRootFileSystem: true,
            logFormat: "json",
            deployment: {
                replicas: 2,
                containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            },
        },
    };
}
