import type { Plan } from "../plan/record";
import { DEFAULT_DURATION, RUNBOOK_RTO_SECONDS } from "./durations";
import { CreationGraph, creationGraph, label } from "./graph";
import { NodeDuration, durationOf } from "./rules";
import { addRuntimeWaits } from "./runtime";
import { Scenario, ScheduleNode, Timing, criticalPath, schedule } from "./schedule";

/**
 * The RTO estimate of a plan: how long `pulumi up` takes to create everything in it, the critical
 * path for the typical and the worst durations, and the verdict against the runbook's RTO.
 *
 * The JSON shape (`npm run rto -- --json`) is a contract other tools read (a pull-request comment
 * compares two): `schema` names its version; extend it, never change a field's meaning without a
 * new version. docs/rto.md documents every field.
 */

export const ESTIMATE_SCHEMA = "ops.rto/v1";

/** Bad input to the estimate (an unknown --until, an unreadable event log): the CLI prints the message and exits 1. */
export class RtoInputError extends Error {}

/** One step of a critical path. Times in seconds from the start of `pulumi up`. */
export interface PathStep {
    /** The resource's URN, or `<urn>#<event>` for a runtime event (an ExternalSecret's sync). */
    id: string;
    name: string;
    type: string;
    /** The table key its duration came from (`type` or `type#variant`; empty for a component). */
    durationKey: string;
    startSeconds: number;
    /** When its runtime waits were over (equals startSeconds when nothing held it). */
    readySeconds: number;
    durationSeconds: number;
    finishSeconds: number;
    /** What it waited for last: its predecessor on the path; null for the first step. */
    waitsFor: { id: string; name: string; kind: string; why: string } | null;
    /** Input-dependent adjustments and warnings, in words. */
    notes: string[];
}

/**
 * A resource that would outlast its deadline (`deadline`: the provider fails the update there), or
 * that may never finish on its own (`blocked`: it then fails at its deadline, which the worst case uses).
 */
export interface DeadlineRisk {
    kind: "deadline" | "blocked";
    scenario: Scenario;
    id: string;
    name: string;
    type: string;
    /** How long it runs from its start, runtime waits included. */
    elapsedSeconds: number;
    deadlineSeconds: number;
    /** When the provider gives up: its start plus its deadline. */
    failsAtSeconds: number;
    deadlineSource: string;
    message: string;
}

/** One scenario: the total, the slack and the path. */
export interface ScenarioEstimate {
    totalSeconds: number;
    /** RTO minus total: negative when the estimate exceeds the RTO. */
    slackSeconds: number;
    path: PathStep[];
}

/** The estimate of one plan. */
export interface RtoEstimate {
    schema: typeof ESTIMATE_SCHEMA;
    project: string;
    stack: string;
    rtoSeconds: number;
    /** The verdict uses the worst case. */
    verdictScenario: "worst";
    /** True when the worst case fits the RTO and no resource outlasts its deadline in it. */
    meetsRto: boolean;
    typical: ScenarioEstimate;
    worst: ScenarioEstimate;
    /** The end the paths lead to: the last resource to finish, or the one asked for with --until. */
    until: string | null;
    /** Custom resources the estimate covers (components take no time and are not counted). */
    resourceCount: number;
    /** Types without an entry in the table, estimated with the default. */
    unestimated: { type: string; count: number; typicalSeconds: number; worstSeconds: number }[];
    /**
     * Resources whose provider gives up before the end of the path (once an operation fails, the
     * engine starts no new one), in both scenarios.
     */
    deadlineRisks: DeadlineRisk[];
}

/** The graph of a plan with its runtime waits and each node's duration. */
export interface PreparedPlan {
    graph: CreationGraph;
    durations: Map<string, NodeDuration>;
}

/** Builds a plan's graph and durations (exported for tests and calibration). */
export function prepare(plan: Plan): PreparedPlan {
    const graph = creationGraph(plan);
    addRuntimeWaits(graph, plan.resources);
    const durations = new Map<string, NodeDuration>();
    for (const node of graph.nodes.values()) durations.set(node.id, durationOf(node, plan));
    return { graph, durations };
}

function scheduleNodes(p: PreparedPlan): ScheduleNode[] {
    return [...p.graph.nodes.values()].map((n) => {
        const d = p.durations.get(n.id)!;
        return { id: n.id, waits: n.waits, duration: d.range, ...(d.afterWait ? { afterWait: d.afterWait.range } : {}) };
    });
}

function step(p: PreparedPlan, id: string, t: Timing): PathStep {
    const node = p.graph.nodes.get(id)!;
    const d = p.durations.get(id)!;
    const on = t.binding ? p.graph.nodes.get(t.binding.on)! : undefined;
    return {
        id,
        name: node.name,
        type: node.type,
        durationKey: t.afterWait && d.afterWait ? d.afterWait.key : d.key,
        startSeconds: t.start,
        readySeconds: t.ready,
        durationSeconds: t.duration,
        finishSeconds: t.finish,
        waitsFor: t.binding && on ? { id: on.id, name: on.name, kind: t.binding.kind, why: t.binding.why } : null,
        notes: [...d.notes, ...(d.estimated ? [] : ["unestimated: no entry in the duration table, the default was assumed"])],
    };
}

function risks(p: PreparedPlan, timings: Map<string, Timing>, scenario: Scenario): DeadlineRisk[] {
    const out: DeadlineRisk[] = [];
    for (const [id, t] of timings) {
        const d = p.durations.get(id)!;
        const elapsed = t.finish - t.start;
        const node = p.graph.nodes.get(id)!;
        if (d.blocked !== undefined && d.deadline !== undefined && scenario === "worst") {
            out.push({
                kind: "blocked",
                scenario,
                id,
                name: node.name,
                type: node.type,
                elapsedSeconds: elapsed,
                deadlineSeconds: d.deadline,
                failsAtSeconds: t.start + d.deadline,
                deadlineSource: d.deadlineSource ?? "",
                message: `${label(node)} is ${d.blocked} (${formatDuration(d.deadline)}, ${d.deadlineSource}): the update fails there`,
            });
            continue;
        }
        if (d.deadline === undefined || elapsed <= d.deadline) continue;
        const held = t.ready > t.start ? `, ${formatDuration(t.ready - t.start)} of it waiting at runtime` : "";
        out.push({
            kind: "deadline",
            scenario,
            id,
            name: node.name,
            type: node.type,
            elapsedSeconds: elapsed,
            deadlineSeconds: d.deadline,
            failsAtSeconds: t.start + d.deadline,
            deadlineSource: d.deadlineSource ?? "",
            message: `${label(node)} runs ${formatDuration(elapsed)} from its start${held}, past its ${formatDuration(d.deadline)} deadline (${d.deadlineSource}): the update fails there`,
        });
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
}

function unestimated(p: PreparedPlan): RtoEstimate["unestimated"] {
    const counts = new Map<string, number>();
    for (const [id, d] of p.durations) if (!d.estimated) counts.set(p.graph.nodes.get(id)!.type, (counts.get(p.graph.nodes.get(id)!.type) ?? 0) + 1);
    return [...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, count]) => ({ type, count, typicalSeconds: DEFAULT_DURATION.typical, worstSeconds: DEFAULT_DURATION.worst }));
}

/** The id of the node named by --until: a URN, or a resource name that only one resource has. */
function resolveUntil(p: PreparedPlan, until: string): string {
    if (p.graph.nodes.has(until)) return until;
    // A name, or the end of a URN: `<type>::<name>`.
    const matches = [...p.graph.nodes.values()].filter((n) => n.name === until || n.id.endsWith(`::${until}`) || n.id.endsWith(`$${until}`));
    if (matches.length === 1) return matches[0]!.id;
    const what = matches.length === 0 ? "no resource has that name" : `${matches.length} resources have that name (${matches.map(label).join(", ")}): give its type too, \`<type>::<name>\``;
    throw new RtoInputError(`--until ${until}: ${what}.`);
}

/** Estimates a plan. `until` ends the paths at one resource (name or URN) instead of the last to finish. */
export function estimate(plan: Plan, options: { until?: string } = {}): RtoEstimate {
    const p = prepare(plan);
    const nodes = scheduleNodes(p);
    const nameOf = (id: string): string => label(p.graph.nodes.get(id) ?? { name: id, type: "?" });
    const end = options.until === undefined ? undefined : resolveUntil(p, options.until);
    const scenario = (s: Scenario): { estimate: ScenarioEstimate; risks: DeadlineRisk[] } => {
        const timings = schedule(nodes, s, nameOf);
        const path = criticalPath(timings, end).map((id) => step(p, id, timings.get(id)!));
        const total = path[path.length - 1]?.finishSeconds ?? 0;
        // Once an operation fails, the engine starts no new one: a failure matters if it comes before the end.
        const fatal = risks(p, timings, s).filter((r) => r.failsAtSeconds <= total);
        return { estimate: { totalSeconds: total, slackSeconds: RUNBOOK_RTO_SECONDS - total, path }, risks: fatal };
    };
    const typical = scenario("typical");
    const worst = scenario("worst");
    return {
        schema: ESTIMATE_SCHEMA,
        project: plan.project,
        stack: plan.stack,
        rtoSeconds: RUNBOOK_RTO_SECONDS,
        verdictScenario: "worst",
        meetsRto: worst.estimate.slackSeconds >= 0 && worst.risks.length === 0,
        typical: typical.estimate,
        worst: worst.estimate,
        until: end ?? null,
        resourceCount: plan.resources.filter((r) => r.custom).length,
        unestimated: unestimated(p),
        deadlineRisks: [...typical.risks, ...worst.risks],
    };
}

/** Seconds as `1h02m03s`, `12m30s`, `45s`. */
export function formatDuration(seconds: number): string {
    const negative = seconds < 0;
    let s = Math.round(Math.abs(seconds));
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    const text = h > 0 ? `${h}h${String(m).padStart(2, "0")}m${String(s).padStart(2, "0")}s` : m > 0 ? `${m}m${String(s).padStart(2, "0")}s` : `${s}s`;
    return negative ? `-${text}` : text;
}
