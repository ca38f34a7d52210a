import { runScript, type Route } from "./harness";

/**
 * scripts/dr_switch.sh against recorded answers of the AWS CLI: one CloudWatch metric write
 * (put-metric-data, a regional data-plane call in the DR region) and reads of the switch alarm.
 * It never calls Route 53, IAM or the primary region.
 */

const ALARM_QUERY = "aws cloudwatch describe-alarms --region us-west-2 --alarm-names myapp-production-dr-failover --query MetricAlarms\\[0\\]\\.\\[StateValue,StateUpdatedTimestamp,StateReason\\] --output text$";
const state = (s: string): Route => [`^${ALARM_QUERY}`, { out: `${s}\t2026-10-15T09:01:00.123000+00:00\tThreshold Crossed: 1 datapoint [1.0 (15/10/26 09:00:00)] was greater than or equal to the threshold (1.0).\n` }];
const PUT = (value: number): Route => [`^aws cloudwatch put-metric-data --region us-west-2 --namespace Ops/DR --metric-name FailoverEngaged --value ${value}$`, { out: "" }];
const FAST = { env: { DR_SWITCH_POLL_SECONDS: "0", DR_SWITCH_WAIT_SECONDS: "3" } };

function onlyCloudWatchInTheDrRegion(calls: string[]): void {
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
        expect(c).toMatch(/^aws cloudwatch (put-metric-data|describe-alarms|describe-alarm-history) --region us-west-2 /);
        expect(c).not.toMatch(/route53|iam|us-east-1/);
    }
}

describe("scripts/dr_switch.sh", () => {
    it("engage: publishes FailoverEngaged = 1 in Ops/DR, without dimensions, in the DR region", () => {
        const r = runScript("dr_switch.sh", ["engage"], [PUT(1)]);
        expect(r.status).toBe(0);
        expect(r.calls).toEqual(["aws cloudwatch put-metric-data --region us-west-2 --namespace Ops/DR --metric-name FailoverEngaged --value 1"]);
        expect(r.stdout).toBe("published Ops/DR FailoverEngaged=1 in us-west-2 (engage)\nthe alarm myapp-production-dr-failover turns ALARM within about a minute: ./scripts/dr_switch.sh status\n");
    });

    it("engage --wait: polls the alarm until it is ALARM", () => {
        const r = runScript("dr_switch.sh", ["engage", "--wait"], [PUT(1), [`^${ALARM_QUERY}`, { out: "OK\t2026-10-15T08:00:00+00:00\tno data\n" }]], FAST);
        // The same answer, OK, each time: the wait gives up at its deadline, saying what to check.
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("myapp-production-dr-failover is still OK after 3 s (wanted ALARM): check the alarm's metric (Ops/DR FailoverEngaged, no dimensions)");
        expect(r.calls).toHaveLength(5);
        const ok = runScript("dr_switch.sh", ["engage", "--wait"], [PUT(1), state("ALARM")], FAST);
        expect(ok.status).toBe(0);
        expect(ok.stdout.split("\n")[1]).toBe("myapp-production-dr-failover ALARM since 2026-10-15T09:01:00.123000+00:00: engaged: DNS answers the DR region");
        onlyCloudWatchInTheDrRegion(ok.calls);
    });

    it("release: refused without --yes (it sends traffic back to the primary), made with it, publishing 0", () => {
        const refused = runScript("dr_switch.sh", ["release"], []);
        expect(refused.status).toBe(2);
        expect(refused.stderr).toContain("release sends production's traffic back to the primary region: only once production is rebuilt and its database caught up");
        expect(refused.calls).toEqual([]);
        const r = runScript("dr_switch.sh", ["release", "--yes", "--wait"], [PUT(0), state("OK")], FAST);
        expect(r.status).toBe(0);
        expect(r.calls[0]).toBe("aws cloudwatch put-metric-data --region us-west-2 --namespace Ops/DR --metric-name FailoverEngaged --value 0");
        expect(r.stdout).toContain("OK since 2026-10-15T09:01:00.123000+00:00: released: DNS answers the primary region while its health check passes");
    });

    it.each([
        ["ALARM", "engaged: DNS answers the DR region"],
        ["OK", "released: DNS answers the primary region while its health check passes"],
    ])("status: %s means %s", (value, meaning) => {
        const r = runScript("dr_switch.sh", ["status"], [state(value)]);
        expect(r.status).toBe(0);
        expect(r.stdout.split("\n")[0]).toBe(`myapp-production-dr-failover ${value} since 2026-10-15T09:01:00.123000+00:00: ${meaning}`);
        onlyCloudWatchInTheDrRegion(r.calls);
    });

    const HISTORY = "^aws cloudwatch describe-alarm-history --region us-west-2 --alarm-name myapp-production-dr-failover --history-item-type StateUpdate --scan-by TimestampDescending --max-items 100 --query ";

    it("status with no new value (INSUFFICIENT_DATA): the last ALARM or OK of the alarm's history, which the switch health check keeps", () => {
        const r = runScript("dr_switch.sh", ["status"], [state("INSUFFICIENT_DATA"), [HISTORY, { out: "2026-10-15T09:00:30.000+00:00\tAlarm updated from INSUFFICIENT_DATA to ALARM\n" }]]);
        expect(r.status).toBe(0);
        expect(r.stdout.split("\n")).toEqual([
            "myapp-production-dr-failover ALARM since 2026-10-15T09:00:30.000+00:00: engaged: DNS answers the DR region",
            "  the alarm is INSUFFICIENT_DATA since 2026-10-15T09:01:00.123000+00:00 (no new value, as expected); its last state, which the switch health check keeps: Alarm updated from INSUFFICIENT_DATA to ALARM",
            "",
        ]);
        onlyCloudWatchInTheDrRegion(r.calls);
        const never = runScript("dr_switch.sh", ["status"], [state("INSUFFICIENT_DATA"), [HISTORY, { out: "None\n" }]]);
        expect(never.stdout.split("\n")[0]).toBe("myapp-production-dr-failover unknown since 2026-10-15T09:01:00.123000+00:00: unknown: Route 53's switch health check has no status from this alarm yet");
    });

    it("release --wait accepts the history's OK once the alarm has gone quiet", () => {
        const r = runScript("dr_switch.sh", ["release", "--yes", "--wait"], [PUT(0), state("INSUFFICIENT_DATA"), [HISTORY, { out: "2026-10-15T09:05:00+00:00\tAlarm updated from ALARM to OK\n" }]], FAST);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("OK since 2026-10-15T09:05:00+00:00: released");
    });

    it("--region and --app name another switch; a missing alarm or a failed call exits 1 with the reason", () => {
        const other = runScript("dr_switch.sh", ["status", "--region", "eu-west-1", "--app", "shop"], [["^aws cloudwatch describe-alarms --region eu-west-1 --alarm-names shop-production-dr-failover ", { out: "None\n" }]]);
        expect(other.status).toBe(1);
        expect(other.stderr).toBe("dr_switch.sh: no alarm shop-production-dr-failover in eu-west-1: production's standby footprint creates it (dr.standby); is it deployed, and is --region the DR region?\n");
        const failed = runScript("dr_switch.sh", ["engage"], [["^aws cloudwatch put-metric-data", { err: "\nAn error occurred (AccessDenied) when calling the PutMetricData operation: denied\n", rc: 254 }]]);
        expect(failed.status).toBe(1);
        expect(failed.stderr).toContain("failed: An error occurred (AccessDenied) when calling the PutMetricData operation: denied");
    });

    it("--dry-run prints the write and makes no call", () => {
        const r = runScript("dr_switch.sh", ["engage", "--dry-run"], []);
        expect(r.status).toBe(0);
        expect(r.stdout).toBe("+ aws cloudwatch put-metric-data --region us-west-2 --namespace Ops/DR --metric-name FailoverEngaged --value 1\n");
        expect(r.calls).toEqual([]);
    });

    it.each([
        [[], "no action: engage, release or status"],
        [["engage", "status"], "give one action, got engage and status"],
        [["status", "--region"], "--region needs a value"],
        [["status", "--region", "west"], "--region west is not an AWS region such as us-west-2"],
        [["flip"], "unknown argument flip"],
    ])("bad arguments %j exit 2: %s", (args, message) => {
        const r = runScript("dr_switch.sh", args, []);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(`dr_switch.sh: ${message} (see --help)\n`);
    });

    it("--help prints the header", () => {
        const r = runScript("dr_switch.sh", ["--help"], []);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("./scripts/dr_switch.sh release --yes [--wait]");
    });
});
