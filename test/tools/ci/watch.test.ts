import { AlarmState, judgePoll, missingTriggers, renderVerdict, triggerNames, watch } from "../../../tools/ci/watch";
import { loadPlan } from "../../helpers/plan";

const P = "myapp-production";
const ok = (slug: string): AlarmState => ({ name: `${P}-${slug}`, state: "OK" });
const firing = (slug: string, reason = "Threshold Crossed: 5 datapoints were greater than the threshold (5.0)"): AlarmState => ({ name: `${P}-${slug}`, state: "ALARM", reason });

describe("the rollback triggers", () => {
    it("are alarms production really has, with the runbook's 1.4 trigger (more than 5% for 5 minutes)", () => {
        const alarms = loadPlan("production").resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        const names = new Set(alarms.map((a) => a.inputs["name"]));
        for (const n of triggerNames(P)) expect([n, names.has(n)]).toEqual([n, true]);
        const errorRate = alarms.find((a) => a.inputs["name"] === `${P}-error-rate-high`)!;
        expect(errorRate.inputs).toMatchObject({ threshold: 5, evaluationPeriods: 5, datapointsToAlarm: 5, comparisonOperator: "GreaterThanThreshold" });
    });

    it("tell triggers from other alarms, and notice a missing trigger", () => {
        expect(judgePoll(P, [firing("error-rate-high"), firing("node-cpu-high"), ok("service-down")])).toEqual({ triggered: [firing("error-rate-high")], other: [firing("node-cpu-high")] });
        expect(missingTriggers(P, [ok("error-rate-high")])).toEqual([`${P}-service-down`]);
    });
});

describe("watch", () => {
    const clock = () => {
        let t = 0;
        return { now: () => t, sleep: async (ms: number) => void (t += ms) };
    };

    it("watches the whole window and passes when no trigger fires, reporting other alarms", async () => {
        const c = clock();
        let polls = 0;
        const v = await watch({ prefix: P, minutes: 30, intervalSeconds: 60, ...c, describe: async () => (++polls === 10 ? [ok("error-rate-high"), ok("service-down"), firing("cache-hit-rate-low")] : [ok("error-rate-high"), ok("service-down")]) });
        expect(v).toMatchObject({ rollback: false, polls: 31, minutesWatched: 30, otherAlarms: [{ name: `${P}-cache-hit-rate-low` }] });
    });

    it("stops and calls for a rollback as soon as a trigger fires", async () => {
        const c = clock();
        let polls = 0;
        const v = await watch({ prefix: P, minutes: 30, intervalSeconds: 60, ...c, describe: async () => (++polls >= 7 ? [firing("error-rate-high"), ok("service-down")] : [ok("error-rate-high"), ok("service-down")]) });
        expect(v).toMatchObject({ rollback: true, polls: 7, minutesWatched: 6, triggered: [{ name: `${P}-error-rate-high` }] });
        const md = renderVerdict("production", "v1.4.0", v, "1.3.2");
        expect(md).toContain("**Rolled back** after 6 minutes: `myapp-production-error-rate-high` (Threshold Crossed");
        expect(md).toContain("The previous release's image (1.3.2) is being redeployed.");
    });

    it("refuses to judge when the triggers do not exist", async () => {
        await expect(watch({ prefix: "myapp-prod", minutes: 30, intervalSeconds: 60, ...clock(), describe: async () => [ok("error-rate-high")] })).rejects.toThrow(
            "the rollback triggers myapp-prod-error-rate-high, myapp-prod-service-down do not exist: the watch cannot judge the release (is --alarm-prefix the stack's <appName>-<stack>?)",
        );
    });
});
