/**
 * The pre-deployment checklist of runbook 1.3 as gates of the production workflow. Each item is
 * either checked here (the job fails when one fails) or shown to the reviewers of the
 * `production` environment as a confirmation their approval gives.
 */

export type GateStatus = "pass" | "fail" | "confirm";

export interface Gate {
    item: string;
    status: GateStatus;
    detail: string;
}

export interface GateInputs {
    /** Result of the job that ran `npm ci && npm test` on the release commit. */
    tests: string;
    /** Result of the job that planned production offline and ran the policy check. */
    config: string;
    /** True when the release commit is on `main`. */
    onMain: boolean;
    /** Approved pull requests that merged the release commit into `main`. */
    approvedPulls: number[];
    /** The release's image, from `Pulumi.production.yaml` at the tag. */
    imageTag?: string;
    /** When the same image last deployed to staging with smoke and E2E tests passing, or undefined. */
    stagingVerifiedAt?: string;
    previousRelease?: string;
    previousImageTag?: string;
    /** True for the first release (no earlier `v*.*.*` tag). */
    firstRelease: boolean;
}

/** Evaluates every item of the checklist. */
export function evaluateGates(i: GateInputs): Gate[] {
    const jobOk = (r: string) => r === "success";
    return [
        {
            item: "All tests passing (unit, integration, E2E)",
            status: jobOk(i.tests) && i.stagingVerifiedAt !== undefined ? "pass" : "fail",
            detail: `npm test on the release commit: ${i.tests}; E2E on staging with this image: ${i.stagingVerifiedAt ? `passed ${i.stagingVerifiedAt}` : "no successful staging deployment of it"}`,
        },
        {
            item: "Code reviewed and approved",
            status: i.onMain && i.approvedPulls.length > 0 ? "pass" : "fail",
            detail: !i.onMain ? "the tag's commit is not on main: release from main only" : i.approvedPulls.length > 0 ? `merged by approved pull request(s) ${i.approvedPulls.map((n) => `#${n}`).join(", ")}` : "no approved pull request merged this commit into main",
        },
        {
            item: "Database migrations tested",
            status: i.imageTag && i.stagingVerifiedAt ? "pass" : "fail",
            detail: i.imageTag ? (i.stagingVerifiedAt ? `image ${i.imageTag} ran its migrations on staging (${i.stagingVerifiedAt})` : `image ${i.imageTag} has no successful staging deployment: deploy it to staging first`) : "Pulumi.production.yaml names no app.image.tag at this tag",
        },
        {
            item: "Configuration validated",
            status: jobOk(i.config) ? "pass" : "fail",
            detail: `offline plan and policy check of production: ${i.config}; the approval's preview validates it again against the live stack`,
        },
        {
            item: "Rollback plan ready",
            status: i.previousRelease && i.previousImageTag ? "pass" : i.firstRelease ? "confirm" : "fail",
            detail: i.previousRelease
                ? i.previousImageTag
                    ? `previous release ${i.previousRelease} runs image ${i.previousImageTag}: the automatic rollback redeploys it`
                    : `previous release ${i.previousRelease} names no image in Pulumi.production.yaml`
                : "first release: the reviewers confirm how to undo it",
        },
        {
            item: "Stakeholders notified (for production)",
            status: "confirm",
            detail: "the draft release notes of this run are the announcement: the approver confirms they were sent",
        },
    ];
}

/** The checklist as Markdown, for the job summary the reviewers read before approving. */
export function renderGates(release: string, gates: Gate[]): string {
    const icon: Record<GateStatus, string> = { pass: "✅", fail: "❌", confirm: "☐ confirm by approving" };
    return [
        `## Pre-deployment checklist: ${release} (runbook 1.3)`,
        "",
        "| item | status | how it is known |",
        "|---|---|---|",
        ...gates.map((g) => `| ${g.item} | ${icon[g.status]} | ${g.detail} |`),
        "",
        gates.some((g) => g.status === "fail") ? "**A gate failed: the deployment stops here.**" : "Approving the `production` environment confirms the unchecked items.",
    ].join("\n");
}

/** Deployments of an environment, newest first, with their latest status: when was `imageTag` last verified. */
export function lastVerified(deployments: { payload: unknown; created_at: string; statuses: { state: string; created_at: string }[] }[], imageTag: string): string | undefined {
    const hit = deployments
        .filter((d) => (d.payload as { imageTag?: unknown } | null)?.imageTag === imageTag)
        .find((d) => d.statuses[0]?.state === "success");
    return hit?.statuses[0]?.created_at;
}
