import { StrategySettings, TRACK_NAMES, appTracks } from "../../../modules/workload/tracks";

const app = { image: { repository: "myapp/backend", tag: "1.0.0" }, replicas: { min: 3, max: 10 } };
const next = { repository: "myapp/backend", tag: "1.1.0" };

/** What the load balancer reads of each track: its Service and its share of requests. */
const traffic = (d: StrategySettings): Array<[string, string, number]> => appTracks(app, d).map((t) => [t.track, t.serviceName, t.weight]);

describe("the app's tracks per deployment strategy (runbook 1.2)", () => {
    it("rolling: the stable track alone, app-deployment behind the Service app, all traffic, exposed", () => {
        expect(appTracks(app, { strategy: "rolling" })).toEqual([
            { track: "stable", deploymentName: "app-deployment", serviceName: "app", image: app.image, replicas: app.replicas, exposed: true, weight: 100 },
        ]);
    });

    it("canary: its own image and Deployment beside the stable track, at the configured weights, scaling from one pod", () => {
        expect(appTracks(app, { strategy: "canary", canary: { image: next, weights: { stable: 90, canary: 10 } } })).toEqual([
            { track: "stable", deploymentName: "app-deployment", serviceName: "app", image: app.image, replicas: app.replicas, exposed: true, weight: 90 },
            { track: "canary", deploymentName: "app-deployment-canary", serviceName: "app-canary", image: next, replicas: { min: 1, max: 10 }, weight: 10 },
        ]);
    });

    it.each([
        ["blue", 100, 0],
        ["green", 0, 100],
    ] as const)("blue-green: both colours sized alike, all traffic on the active one (%s), which is the one exposed", (active, blue, green) => {
        const tracks = appTracks(app, { strategy: "blueGreen", blueGreen: { greenImage: next, active } });
        expect(traffic({ strategy: "blueGreen", blueGreen: { greenImage: next, active } })).toEqual([
            ["blue", "app", blue],
            ["green", "app-green", green],
        ]);
        expect(tracks.map((t) => [t.deploymentName, t.image, t.replicas, t.exposed])).toEqual([
            ["app-deployment", app.image, app.replicas, active === "blue"],
            ["app-deployment-green", next, app.replicas, active === "green"],
        ]);
    });

    it("names every track's Deployment and Service once; blue is the stable app-deployment the runbook's rollback names", () => {
        expect(TRACK_NAMES.blue).toEqual(TRACK_NAMES.stable);
        expect(TRACK_NAMES.stable.deployment).toBe("app-deployment");
        const services = Object.entries(TRACK_NAMES).filter(([t]) => t !== "blue").map(([, n]) => n.service);
        expect(new Set(services).size).toBe(services.length);
    });

    it("refuses a strategy without its section", () => {
        expect(() => appTracks(app, { strategy: "canary" })).toThrow("deployment.canary is required");
        expect(() => appTracks(app, { strategy: "blueGreen" })).toThrow("deployment.blueGreen is required");
    });
});
