import { DeadlineRisk, ESTIMATE_SCHEMA, RtoEstimate } from "./estimate";

/**
 * The difference between two estimates (base and head of a pull request), for a comment or a
 * gate. Its JSON shape, like the estimate's, is versioned by `schema`.
 */

export const DELTA_SCHEMA = "ops.rto-delta/v1";

/** What one side of the comparison amounts to. */
export interface DeltaSide {
    stack: string;
    typicalSeconds: number;
    worstSeconds: number;
    meetsRto: boolean;
}

/** Head minus base. */
export interface RtoDelta {
    schema: typeof DELTA_SCHEMA;
    rtoSeconds: number;
    base: DeltaSide;
    head: DeltaSide;
    /** Head minus base: negative is faster. */
    delta: { typicalSeconds: number; worstSeconds: number };
    /** Steps of the worst-case path that head adds or drops, as `name (type)`. */
    worstPath: { added: string[]; removed: string[] };
    /** Risks that head adds or resolves, as `<kind> <scenario> name (type)`. */
    risks: { added: string[]; resolved: string[] };
}

function side(e: RtoEstimate): DeltaSide {
    return { stack: e.stack, typicalSeconds: e.typical.totalSeconds, worstSeconds: e.worst.totalSeconds, meetsRto: e.meetsRto };
}

/** A step or risk named the same in two plans of one stack, or of two stacks (the URN's stack and project left out). */
function stepKey(s: { name: string; type: string }): string {
    return `${s.name} (${s.type})`;
}

function riskKey(r: DeadlineRisk): string {
    return `${r.kind} ${r.scenario} ${stepKey(r)}`;
}

function minus(a: string[], b: string[]): string[] {
    const drop = new Set(b);
    return a.filter((x) => !drop.has(x));
}

/** Compares two estimates. */
export function delta(base: RtoEstimate, head: RtoEstimate): RtoDelta {
    const steps = (e: RtoEstimate): string[] => e.worst.path.filter((s) => s.type !== "pulumi:pulumi:Stack").map(stepKey);
    const basePath = steps(base);
    const headPath = steps(head);
    const baseRisks = base.deadlineRisks.map(riskKey);
    const headRisks = head.deadlineRisks.map(riskKey);
    return {
        schema: DELTA_SCHEMA,
        rtoSeconds: head.rtoSeconds,
        base: side(base),
        head: side(head),
        delta: { typicalSeconds: head.typical.totalSeconds - base.typical.totalSeconds, worstSeconds: head.worst.totalSeconds - base.worst.totalSeconds },
        worstPath: { added: minus(headPath, basePath), removed: minus(basePath, headPath) },
        risks: { added: minus(headRisks, baseRisks), resolved: minus(baseRisks, headRisks) },
    };
}

/** True when a parsed JSON file is an estimate (as `--json` writes it) rather than a plan. */
export function isEstimate(value: unknown): value is RtoEstimate {
    return typeof value === "object" && value !== null && (value as { schema?: unknown }).schema === ESTIMATE_SCHEMA;
}
