/**
 * The 30-minute watch after a production deployment (runbook 1.3 step 8) and the automatic
 * rollback decision (runbook 1.4): the stack's alarms are polled; when a rollback trigger is in
 * ALARM the watch stops and says to roll back. The triggers are the alarms that encode the
 * runbook's triggers: `error-rate-high` (more than 5% of requests failing for 5 minutes, the
 * catalogue's 1.4 alarm) and `service-down` (the health check failing: critical functionality
 * broken). Every other alarm in ALARM is reported, for a person to judge.
 */

/** Alarm slugs whose ALARM state rolls the release back. */
export const ROLLBACK_TRIGGERS = ["error-rate-high", "service-down"] as const;

export interface AlarmState {
    name: string;
    state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
    reason?: string;
    updated?: string;
}

export interface WatchVerdict {
    rollback: boolean;
    /** The triggers that fired, with CloudWatch's reason. */
    triggered: AlarmState[];
    /** Other alarms seen in ALARM during the watch. */
    otherAlarms: AlarmState[];
    polls: number;
    minutesWatched: number;
}

/** The alarm names of the triggers, `<prefix>-<slug>` (modules/observability/alarms.ts). */
export function triggerNames(prefix: string): string[] {
    return ROLLBACK_TRIGGERS.map((s) => `${prefix}-${s}`);
}

/** Checks that every trigger exists: a watch that cannot see its trigger must not pass. */
export function missingTriggers(prefix: string, alarms: AlarmState[]): string[] {
    const names = new Set(alarms.map((a) => a.name));
    return triggerNames(prefix).filter((n) => !names.has(n));
}

/** One poll's contribution: the triggers and other alarms in ALARM. */
export function judgePoll(prefix: string, alarms: AlarmState[]): { triggered: AlarmState[]; other: AlarmState[] } {
    const triggers = new Set(triggerNames(prefix));
    const firing = alarms.filter((a) => a.state === "ALARM");
    return { triggered: firing.filter((a) => triggers.has(a.name)), other: firing.filter((a) => !triggers.has(a.name)) };
}

export interface WatchOptions {
    prefix: string;
    minutes: number;
    intervalSeconds: number;
    describe: () => Promise<AlarmState[]>;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    log?: (s: string) => void;
}

/** Watches until a trigger fires or the time is up. */
export async function watch(o: WatchOptions): Promise<WatchVerdict> {
    const sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const now = o.now ?? Date.now;
    const start = now();
    const end = start + o.minutes * 60_000;
    const other = new Map<string, AlarmState>();
    let polls = 0;
    for (;;) {
        const alarms = await o.describe();
        polls += 1;
        if (polls === 1) {
            const missing = missingTriggers(o.prefix, alarms);
            if (missing.length > 0) throw new Error(`the rollback triggers ${missing.join(", ")} do not exist: the watch cannot judge the release (is --alarm-prefix the stack's <appName>-<stack>?)`);
        }
        const { triggered, other: o2 } = judgePoll(o.prefix, alarms);
        for (const a of o2) other.set(a.name, a);
        const minutesWatched = Math.round((now() - start) / 60_000);
        o.log?.(`poll ${polls} (${minutesWatched} min): ${triggered.length > 0 ? `TRIGGER ${triggered.map((a) => a.name).join(", ")}` : "no trigger"}; other alarms in ALARM: ${o2.map((a) => a.name).join(", ") || "none"}`);
        if (triggered.length > 0) return { rollback: true, triggered, otherAlarms: [...other.values()], polls, minutesWatched };
        if (now() >= end) return { rollback: false, triggered: [], otherAlarms: [...other.values()], polls, minutesWatched };
        await sleep(Math.min(o.intervalSeconds * 1000, Math.max(0, end - now())));
    }
}

/** The watch's report, for the job summary and the release's issue. */
export function renderVerdict(stack: string, release: string, v: WatchVerdict, rollbackTo?: string): string {
    const lines = [`## Post-deployment watch: ${stack} ${release}`, ""];
    if (v.rollback) {
        lines.push(`**Rolled back** after ${v.minutesWatched} minutes: ${v.triggered.map((a) => `\`${a.name}\` (${a.reason ?? "in ALARM"})`).join("; ")}.`);
        lines.push("", rollbackTo ? `The previous release's image (${rollbackTo}) is being redeployed.` : "No previous release is recorded: roll back by hand (docs/deployment.md).");
        lines.push("", "Record the rollback in config before anything else is deployed: set `app.image.tag` in `Pulumi.production.yaml` to the previous release's tag in a pull request to `main`.");
    } else {
        lines.push(`**Healthy**: no rollback trigger fired in ${v.minutesWatched} minutes (${v.polls} polls).`);
    }
    if (v.otherAlarms.length > 0) {
        lines.push("", "Other alarms in ALARM during the watch (not rollback triggers; judge them):");
        for (const a of v.otherAlarms) lines.push(`- \`${a.name}\`: ${a.reason ?? ""}`);
    }
    return lines.join("\n");
}
