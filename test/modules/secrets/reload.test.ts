import { CONTROLLER_CHARTS } from "../../../modules/dr/mirror";
import { RELOADER_NAMESPACE, RELOAD_ON_SECRET_ANNOTATION, reloadAnnotations, reloaderValues } from "../../../modules/secrets/reload";
import { ROLLOUT_ALLOWANCE_SECONDS, durationSeconds, minNextKeyAgeSeconds } from "../../../modules/secrets/timing";

describe("the Reloader", () => {
    it("comes from the pinned stakater chart", () => {
        expect(CONTROLLER_CHARTS.reloader).toEqual({ controller: "reloader", chart: "reloader", repo: "https://stakater.github.io/stakater-charts" });
        expect(RELOADER_NAMESPACE).toBe("reloader");
    });

    it("rolls a Deployment when the Secret its annotation names changes", () => {
        expect(RELOAD_ON_SECRET_ANNOTATION).toBe("secret.reloader.stakater.com/reload");
        expect(reloadAnnotations("myapp-app")).toEqual({ "secret.reloader.stakater.com/reload": "myapp-app" });
    });

    it("rolls by pod-template annotation, only annotated workloads, only on Secrets, never Jobs, highly available and locked down", () => {
        expect(reloaderValues()).toEqual({
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
        });
    });
});

describe("how long a rotation takes to reach the pods", () => {
    it.each([
        ["1h", 3600],
        ["15m", 900],
        ["1h30m", 5400],
        ["90s", 90],
        ["2h0m10s", 7210],
    ])("reads the refresh interval %s as %i s", (d, s) => {
        expect(durationSeconds(d)).toBe(s);
    });

    it.each(["", "1d", "h", "1.5h", "-1h", "60"])("refuses %p, naming what a duration looks like", (d) => {
        expect(() => durationSeconds(d)).toThrow(`The refresh interval ${JSON.stringify(d)} is not a duration such as 1h, 30m or 1h30m.`);
    });

    it("refuses a refresh interval of zero, which turns refreshing off", () => {
        expect(() => durationSeconds("0s")).toThrow("A refresh interval of 0 turns External Secrets' refresh off: rotated values would never reach the pods.");
    });

    it("publishes a JWT key for a refresh interval plus an hour of rollouts before it signs", () => {
        expect(ROLLOUT_ALLOWANCE_SECONDS).toBe(3600);
        expect(minNextKeyAgeSeconds("1h")).toBe(7200);
        expect(minNextKeyAgeSeconds("15m")).toBe(4500);
    });
});
