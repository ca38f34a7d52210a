import type { RpoResult } from "./rpo";
import type { Leftover } from "./teardown";
import { formatSeconds as d, type TypeTotal } from "./timing";

/**
 * The drill's report: JSON for machines (versioned by `schema`: a reader checks it, a change that
 * removes or retypes a field bumps it), markdown for the run summary, and a short summary to file
 * under docs/dr-drills/ (docs/dr-drills/README.md).
 */

export const REPORT_SCHEMA = "ops.dr-drill-report/v1";

/** The runbook's objective (3.9): the service back within an hour. */
export const RTO_OBJECTIVE_SECONDS = 60 * 60;

export type StepStatus = "pass" | "fail" | "skip";

export interface StepResult {
    name: string;
    status: StepStatus;
    startedAt: string;
    seconds: number;
    detail: string;
}

export interface DrillReport {
    schema: typeof REPORT_SCHEMA;
    stack: string;
    region: string;
    startedAt: string;
    finishedAt: string;
    /** `met`: every objective met and nothing left behind; `missed`: it ran, an objective was not met; `failed`: a step failed. */
    outcome: "met" | "missed" | "failed";
    objectives: { rtoSeconds: number; rpoSeconds: number };
    outageSimulation: { primaryRegionDenied: boolean | null; detail: string };
    /** Time from the drill's start to the app answering its health check: the RTO achieved. */
    recovery: { secondsToHealthy: number | null; met: boolean };
    rpo: (RpoResult & { sourceArn: string }) | null;
    steps: StepResult[];
    /** Creations of the `pulumi up` by resource type, from its engine events. */
    resourceTypes: TypeTotal[];
    teardown: {
        performed: boolean;
        /** Predicted from the state before the destroy. */
        predicted: Leftover[];
        /** Found after the destroy: what the next drill would meet. */
        remaining: Leftover[];
        /** Secrets of the drill deleted without recovery (so their names are free at once). */
        forceDeletedSecrets: string[];
        clean: boolean | null;
    };
    /** Every reason the outcome is not `met`. */
    problems: string[];
}

const STATUS: Record<StepStatus, string> = { pass: "pass", fail: "**FAIL**", skip: "skip" };

function esc(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The report as markdown (the workflow's run summary, the artifact's report.md). */
export function renderMarkdown(r: DrillReport): string {
    const lines: string[] = [];
    const verdict = { met: "met its objectives", missed: "did NOT meet its objectives", failed: "FAILED" }[r.outcome];
    lines.push(`# DR drill of ${r.stack} in ${r.region}: ${verdict}`, "");
    lines.push(`Started ${r.startedAt}, finished ${r.finishedAt}. Report schema \`${r.schema}\`.`, "");
    lines.push("| objective | target | achieved | |", "|---|---|---|---|");
    lines.push(`| RTO: drill start to a healthy app | ${d(r.objectives.rtoSeconds)} | ${r.recovery.secondsToHealthy === null ? "not reached" : d(r.recovery.secondsToHealthy)} | ${r.recovery.met ? "met" : "**missed**"} |`);
    lines.push(
        r.rpo === null
            ? `| RPO: writes lost | ${d(r.objectives.rpoSeconds)} | unknown (no restore source) | **missed** |`
            : `| RPO: writes lost (drill start ${r.rpo.drillStartedAt} − latest restorable ${r.rpo.latestRestorableTime}) | ${d(r.rpo.objectiveSeconds)} | ${d(r.rpo.rpoSeconds)} | ${r.rpo.met ? "met" : "**missed**"} |`,
    );
    lines.push("");
    const sim = r.outageSimulation.primaryRegionDenied;
    lines.push(`Outage simulation: ${sim === true ? "on" : sim === false ? "off" : "unknown"} (${r.outageSimulation.detail}).`, "");
    if (r.rpo) lines.push(`Restored from \`${r.rpo.sourceArn}\` at ${r.rpo.latestRestorableTime}.`, "");
    lines.push("## Steps", "", "| step | status | started | took | detail |", "|---|---|---|---|---|");
    for (const s of r.steps) lines.push(`| ${s.name} | ${STATUS[s.status]} | ${s.startedAt.slice(11, 19)} | ${d(s.seconds)} | ${esc(s.detail)} |`);
    lines.push("");
    lines.push("## `pulumi up` by resource type", "");
    if (r.resourceTypes.length === 0) lines.push("No creation recorded (the update did not run, or its event log is missing).");
    else {
        lines.push("Longest single creation first; total is resource-seconds (creations overlap). Compare with `npm run rto -- --stack <stack>` and calibrate with `npm run rto -- --plan <plan> --calibrate events.jsonl` (docs/rto.md).", "");
        lines.push("| type | count | longest | total | slowest resource |", "|---|---|---|---|---|");
        for (const t of r.resourceTypes) lines.push(`| \`${t.type}\` | ${t.count} | ${d(t.maxSeconds)} | ${d(t.totalSeconds)} | ${t.slowest} |`);
    }
    lines.push("", "## Teardown", "");
    if (!r.teardown.performed) lines.push("Not torn down (--keep): the stack is still up. Tear it down with `npm run dr:drill -- --stack " + r.stack + " --report-dir <dir> --teardown-only`.");
    else lines.push(r.teardown.clean ? "Nothing left that blocks the next drill." : "**Left behind, blocking the next drill:**");
    for (const l of r.teardown.remaining) lines.push(`- ${l.blocksNextDrill ? "**blocks**" : "costs"} ${l.kind} \`${l.name}\`: ${l.detail}. Fix: \`${l.fix}\``);
    if (r.teardown.forceDeletedSecrets.length > 0) lines.push(`- deleted without recovery (drill secrets, names free at once): ${r.teardown.forceDeletedSecrets.map((s) => `\`${s}\``).join(", ")}`);
    const costs = r.teardown.predicted.filter((l) => !l.blocksNextDrill);
    if (costs.length > 0) lines.push(`- left to expire, not blocking: ${costs.length} KMS key(s) pending deletion`);
    if (r.problems.length > 0) {
        lines.push("", "## Problems", "");
        for (const p of r.problems) lines.push(`- ${p}`);
    }
    return `${lines.join("\n")}\n`;
}

/** The file name of the summary under docs/dr-drills/: `<day>-<stack>.md`. */
export function summaryFileName(r: DrillReport): string {
    return `${r.startedAt.slice(0, 10)}-${r.stack}.md`;
}

/**
 * The short summary filed under docs/dr-drills/ (one file per drill, committed by whoever ran
 * it): the figures, the slowest types, what to change. The full report stays in the artifact.
 */
export function renderSummary(r: DrillReport, artifact: string): string {
    const slow = r.resourceTypes.slice(0, 5).map((t) => `\`${t.type}\` ${d(t.maxSeconds)}`).join(", ");
    const lines = [
        `# DR drill ${r.startedAt.slice(0, 10)}: ${r.stack} in ${r.region}`,
        "",
        `- Outcome: **${r.outcome}** (report schema \`${r.schema}\`; full report: ${artifact})`,
        `- RTO achieved: ${r.recovery.secondsToHealthy === null ? "not reached" : d(r.recovery.secondsToHealthy)} against ${d(r.objectives.rtoSeconds)} (${r.recovery.met ? "met" : "missed"})`,
        `- RPO achieved: ${r.rpo === null ? "unknown" : `${d(r.rpo.rpoSeconds)} against ${d(r.rpo.objectiveSeconds)} (${r.rpo.met ? "met" : "missed"})`}`,
        `- Outage simulated: ${r.outageSimulation.primaryRegionDenied === true ? "yes" : r.outageSimulation.primaryRegionDenied === false ? "no" : "unknown"}`,
        ...r.steps.map((s) => `- ${s.name}: ${s.status}, ${d(s.seconds)}`),
        `- Slowest creations: ${slow === "" ? "none recorded" : slow}`,
        `- Teardown: ${!r.teardown.performed ? "kept (--keep)" : r.teardown.clean ? "clean" : `left ${r.teardown.remaining.filter((l) => l.blocksNextDrill).length} blocking item(s)`}`,
        "",
        "## Problems and follow-ups",
        "",
        ...(r.problems.length === 0 ? ["None found by the drill. Add what the people running it noticed."] : r.problems.map((p) => `- ${p}`)),
        "",
    ];
    return lines.join("\n");
}
