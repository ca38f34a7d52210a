import type { ImageSpec } from "./image";

/**
 * The app's tracks for each deployment strategy (runbook 1.2), worked out once: which
 * Deployments and Services exist, what each runs, how it scales, and what share of requests the
 * load balancer sends it. Pure: the workload creates the tracks from this list, the load balancer
 * weighs and binds the same list, and the tests read it.
 */

/** A track: one Deployment of the app and the Service in front of it; also the pods' `track` label. */
export type TrackName = "stable" | "canary" | "blue" | "green";

/**
 * The Kubernetes names of each track's Deployment and Service. Blue is the stable track itself:
 * its Deployment is `app-deployment`, the one the runbook's `kubectl rollout undo
 * deployment/app-deployment` names (1.4). Changing a Deployment's name replaces it and loses its
 * revision history; the load balancer binds a target group to each Service by name.
 */
export const TRACK_NAMES: Readonly<Record<TrackName, { deployment: string; service: string }>> = {
    stable: { deployment: "app-deployment", service: "app" },
    blue: { deployment: "app-deployment", service: "app" },
    canary: { deployment: "app-deployment-canary", service: "app-canary" },
    green: { deployment: "app-deployment-green", service: "app-green" },
};

/** The deployment settings the tracks follow (settings `deployment`). */
export interface StrategySettings {
    strategy: "rolling" | "canary" | "blueGreen";
    canary?: { image: ImageSpec; weights: { stable: number; canary: number } };
    blueGreen?: { greenImage: ImageSpec; active: "blue" | "green" };
}

/** One track of the app. */
export interface TrackSpec {
    track: TrackName;
    /** The Deployment's name (`TRACK_NAMES`). */
    deploymentName: string;
    /** The Service's name (`TRACK_NAMES`): the load balancer binds the track's target group to it. */
    serviceName: string;
    image: ImageSpec;
    /** Autoscaler bounds of this track. */
    replicas: { min: number; max: number };
    /** Expose this track's Service on the node port (local clusters only). @default false */
    exposed?: boolean;
    /** Percent of requests the load balancer sends this track. */
    weight: number;
}

/**
 * The tracks of a strategy, stable (or blue) first:
 * - rolling: the stable track, all traffic;
 * - canary: stable and canary at the configured weights (e.g. 90/10); the canary runs its own
 *   image and scales from one pod, since it takes only a share;
 * - blueGreen: blue and green, 100/0 or 0/100 by `active`, sized alike since either may take all
 *   the traffic. Both always exist, so the switch (and the switch back) is a weight change on
 *   the listener, applied in seconds.
 */
export function appTracks(app: { image: ImageSpec; replicas: { min: number; max: number } }, d: StrategySettings): TrackSpec[] {
    const track = (name: TrackName, spec: Omit<TrackSpec, "track" | "deploymentName" | "serviceName">): TrackSpec => ({
        track: name,
        deploymentName: TRACK_NAMES[name].deployment,
        serviceName: TRACK_NAMES[name].service,
        ...spec,
    });
    switch (d.strategy) {
        case "rolling":
            return [track("stable", { image: app.image, replicas: app.replicas, exposed: true, weight: 100 })];
        case "canary": {
            if (!d.canary) throw new Error("deployment.canary is required when the strategy is canary");
            return [
                track("stable", { image: app.image, replicas: app.replicas, exposed: true, weight: d.canary.weights.stable }),
                track("canary", { image: d.canary.image, replicas: { min: 1, max: app.replicas.max }, weight: d.canary.weights.canary }),
            ];
        }
        case "blueGreen": {
            if (!d.blueGreen) throw new Error("deployment.blueGreen is required when the strategy is blueGreen");
            const green = d.blueGreen.active === "green";
            return [
                track("blue", { image: app.image, replicas: app.replicas, exposed: !green, weight: green ? 0 : 100 }),
                track("green", { image: d.blueGreen.greenImage, replicas: app.replicas, exposed: green, weight: green ? 100 : 0 }),
            ];
        }
    }
}
