import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PodSidecar } from "../workload/app";
import { TMP_MOUNT, restrictedContainerSecurityContext } from "../workload/security";

/**
 * The AWS AppConfig Agent beside the app in every track's pods: the app reads its flags from
 * `http://localhost:2772/applications/<application>/environments/<environment>/configurations/<profile>`
 * (`FEATURE_FLAGS_URL`), in milliseconds and without AWS credentials of its own. Pure: the
 * workload adds what this returns to its pod template, and the tests read it.
 *
 * On a cloud stack the agent polls AppConfig with the pod's Pod Identity role; on dev and pr-<N>
 * it runs in its local development mode (`LOCAL_DEVELOPMENT_DIRECTORY`), serving the same URL from
 * a file that a ConfigMap mounts, so the app's code is the same everywhere. Variables: "(Optional)
 * Using environment variables to configure AWS AppConfig Agent for Amazon ECS and Amazon EKS",
 * AppConfig user guide.
 *
 * A native sidecar (an init container with `restartPolicy: Always`, GA in Kubernetes 1.33): it
 * starts before the app, so the app's first read at startup finds it, and stops after the app,
 * so flags stay readable while the pod drains. It has no probes: the agent listens on the pod's
 * loopback interface, which the kubelet's probes (sent to the pod IP) cannot reach; a crashed
 * agent is restarted by its restart policy, and an app that cannot read flags falls back to each
 * flag's `default` (docs/flags.md).
 */

/** The agent's HTTP port (its default). */
export const AGENT_PORT = 2772;
/** The sidecar's container name. */
export const AGENT_CONTAINER = "appconfig-agent";
/** Where local development mode reads the flags file from (the ConfigMap's mount). */
export const LOCAL_FLAGS_DIRECTORY = "/etc/feature-flags";
/** The ConfigMap key holding the local flags file (keys cannot hold the `:` of the agent's file name). */
export const LOCAL_FLAGS_KEY = "flags";

/** Where the flags live in AppConfig (or, locally, the names the agent's file is named after). */
export interface FlagsEndpoint {
    application: string;
    environment: string;
    profile: string;
}

/** The path the agent serves the flags at, and prefetches. */
export function flagsPath(e: FlagsEndpoint): string {
    return `/applications/${e.application}/environments/${e.environment}/configurations/${e.profile}`;
}

/** The URL the app reads its flags from: `FEATURE_FLAGS_URL`. */
export function flagsUrl(e: FlagsEndpoint): string {
    return `http://localhost:${AGENT_PORT}${flagsPath(e)}`;
}

/** The file name local development mode expects: `<application>:<environment>:<profile>` and an extension that sets the content type. */
export function localFileName(e: FlagsEndpoint, extension: string): string {
    return `${e.application}:${e.environment}:${e.profile}${extension}`;
}

/** Where the agent gets the flags: AppConfig (cloud stacks) or a ConfigMap (dev, pr-<N>). */
export type AgentSource = { kind: "appconfig" } | { kind: "local"; configMapName: string; fileName: string };

export interface AgentSidecarArgs {
    /** The agent image, pinned (settings `flags.agentImage`). */
    image: pulumi.Input<string>;
    /** The AppConfig region (`SERVICE_REGION`). */
    region: string;
    endpoint: FlagsEndpoint;
    source: AgentSource;
    /** How often the agent asks AppConfig (or rereads the file), seconds: the kill switch's worst-case delay. */
    pollIntervalSeconds: number;
    /** The pod's non-root UID (the app's). */
    runAsUser: number;
}

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** The agent's container and volumes, and the variable that tells the app where it is. */
export function agentSidecar(a: AgentSidecarArgs): PodSidecar & { env: Record<string, string> } {
    const local = a.source.kind === "local" ? a.source : undefined;
    const env: EnvVar[] = [
        { name: "SERVICE_REGION", value: a.region },
        { name: "POLL_INTERVAL", value: String(a.pollIntervalSeconds) },
        { name: "LOG_LEVEL", value: "info" },
        // Its only writes: a copy of each configuration it retrieves, in the pod's writable /tmp
        // (an emptyDir the app's container mounts too; the root filesystem is read-only).
        { name: "BACKUP_DIRECTORY", value: "/tmp" },
        ...(local ? [{ name: "LOCAL_DEVELOPMENT_DIRECTORY", value: LOCAL_FLAGS_DIRECTORY }] : [{ name: "PREFETCH_LIST", value: flagsPath(a.endpoint) }]),
    ];
    // The pod's /tmp volume is the app's (TMP_VOLUME); the agent adds only the local flags file.
    const volumes: k8s.types.input.core.v1.Volume[] = local ? [{ name: "feature-flags", configMap: { name: local.configMapName, items: [{ key: LOCAL_FLAGS_KEY, path: local.fileName }] } }] : [];
    const container: k8s.types.input.core.v1.Container = {
        name: AGENT_CONTAINER,
        image: a.image,
        imagePullPolicy: "IfNotPresent",
        restartPolicy: "Always",
        ports: [{ name: "flags", containerPort: AGENT_PORT, protocol: "TCP" }],
        env,
        resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
        securityContext: restrictedContainerSecurityContext(a.runAsUser),
        volumeMounts: [
            TMP_MOUNT,
            ...(local ? [{ name: "feature-flags", mountPath: LOCAL_FLAGS_DIRECTORY, readOnly: true }] : []),
        ],
    };
    return { initContainers: [container], volumes, env: { FEATURE_FLAGS_URL: flagsUrl(a.endpoint) } };
}
