/**
 * Nightly drift detection: `pulumi preview --refresh --json` of a stack shows what differs
 * between the live resources and the program. Any step other than `same` is drift (a change made
 * outside Pulumi, or a change merged but not deployed). One GitHub issue per stack, labelled
 * `drift`, is opened, updated while the drift lasts, and closed once a night finds none.
 */

export interface PreviewStep {
    op: string;
    urn: string;
    diffReasons?: string[];
    detailedDiff?: Record<string, { kind?: string }> | null;
}

export interface DriftFinding {
    op: string;
    urn: string;
    paths: string[];
}

/** What a `pulumi preview --json` output says drifted. */
export function findDrift(previewJson: unknown): DriftFinding[] {
    const steps = (previewJson as { steps?: PreviewStep[] } | null)?.steps;
    if (!Array.isArray(steps)) throw new Error('not the output of `pulumi preview --json`: no "steps" list');
    return steps
        .filter((s) => s.op !== "same" && s.op !== "read")
        .map((s) => ({ op: s.op, urn: s.urn, paths: s.diffReasons ?? Object.keys(s.detailedDiff ?? {}) }));
}

/** The marker by which the stack's drift issue is found again. */
export function driftMarker(stack: string): string {
    return `<!-- ops:drift:${stack} -->`;
}

export const DRIFT_LABEL = "drift";

/** The issue body for a night's findings (or for a check that failed to run). */
export function driftBody(stack: string, findings: DriftFinding[] | { error: string }, runUrl: string, when: string): string {
    const lines = [driftMarker(stack), `Nightly drift check of \`${stack}\`, ${when}: [workflow run](${runUrl}).`, ""];
    if ("error" in findings) {
        lines.push("**The check itself failed**, so drift is unknown:", "", "```", findings.error.slice(0, 4000), "```");
    } else {
        lines.push(`**${findings.length} resource(s) differ** from the program:`, "", "| op | resource | changed |", "|---|---|---|");
        for (const f of findings.slice(0, 200)) lines.push(`| ${f.op} | \`${f.urn.split("::").slice(-2).join("::")}\` | ${f.paths.map((p) => `\`${p}\``).join(", ") || "—"} |`);
        if (findings.length > 200) lines.push(`| … | ${findings.length - 200} more | |`);
    }
    lines.push(
        "",
        "What to do: a change made by hand during an incident (a `kubectl rollout undo`, a console edit) is recorded in config and applied with `pulumi up` (docs/deployment.md); a change merged but not deployed waits for its deployment; anything else is investigated before the next deploy, which would otherwise revert it.",
    );
    return lines.join("\n");
}

export type DriftAction = { kind: "create"; title: string; body: string } | { kind: "update"; issue: number; body: string } | { kind: "close"; issue: number; comment: string } | { kind: "none" };

/** What to do with the stack's issue given tonight's result. */
export function driftAction(stack: string, result: DriftFinding[] | { error: string }, openIssue: { number: number } | undefined, runUrl: string, when: string): DriftAction {
    const drifted = "error" in result || result.length > 0;
    if (drifted) {
        const body = driftBody(stack, result, runUrl, when);
        return openIssue ? { kind: "update", issue: openIssue.number, body } : { kind: "create", title: `Drift: ${stack}`, body };
    }
    return openIssue ? { kind: "close", issue: openIssue.number, comment: `No drift in \`${stack}\` on ${when} ([workflow run](${runUrl})): closing.` } : { kind: "none" };
}
