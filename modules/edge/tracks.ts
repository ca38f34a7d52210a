/**
 * Which tracks of the app the load balancer sends requests to, and in what proportion, for each
 * deployment strategy (runbook 1.2). Pure: the listener and the tests read the same table.
 */

/** A track: one Deployment and its Service, fronted by one target group. */
export type Track = "stable" | "canary" | "blue" | "green";

export interface TrackWeight {
    track: Track;
    /** The Kubernetes Service of the track (the workload's names). */
    service: string;
    /** Percent of requests. */
    weight: number;
}

/** The deployment settings the load balancer reads. */
export interface StrategySettings {
    strategy: "rolling" | "canary" | "blueGreen";
    canary?: { weights: { stable: number; canary: number } };
    blueGreen?: { active: "blue" | "green" };
}

/**
 * The Service of each track, as the workload names them (modules/workload; the workload's
 * `serviceNames` output wins when the bindings are given it). Blue is the stable track itself,
 * whose Deployment is `app-deployment`, the one `kubectl rollout undo` names (runbook 1.4).
 */
export const TRACK_SERVICES: Record<Track, string> = {
    stable: "app",
    blue: "app",
    canary: "app-canary",
    green: "app-green",
};

/**
 * The tracks and their weights:
 * - rolling: the stable track, 100;
 * - canary: stable and canary at the configured weights (e.g. 90/10);
 * - blueGreen: blue and green, 100/0 or 0/100 by `active`. Both target groups always exist, so the
 *   switch (and the switch back) is a weight change on the listener, applied in seconds.
 */
export function trackWeights(d: StrategySettings): TrackWeight[] {
    const t = (track: Track, weight: number): TrackWeight => ({ track, service: TRACK_SERVICES[track], weight });
    switch (d.strategy) {
        case "rolling":
            return [t("stable", 100)];
        case "canary": {
            if (!d.canary) throw new Error("deployment.canary is required when the strategy is canary");
            return [t("stable", d.canary.weights.stable), t("canary", d.canary.weights.canary)];
        }
        case "blueGreen": {
            if (!d.blueGreen) throw new Error("deployment.blueGreen is required when the strategy is blueGreen");
            const greenActive = d.blueGreen.active === "green";
            return [t("blue", greenActive ? 0 : 100), t("green", greenActive ? 100 : 0)];
        }
    }
}
