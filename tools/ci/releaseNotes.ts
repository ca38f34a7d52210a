/**
 * Release notes in the runbook's template (section 1.5), from the commits between the previous
 * release and this one. Commit subjects follow Conventional Commits where they can (`feat:`,
 * `fix:`, `feat!:`); a `BREAKING CHANGE:` footer is a breaking change; a `Migration:` trailer
 * names a database migration the release's image runs. Anything else is an improvement.
 */

export interface Commit {
    sha: string;
    subject: string;
    body: string;
}

export interface ReleaseContext {
    tag: string;
    date: string;
    previous?: string;
    imageTag?: string;
    previousImageTag?: string;
    /** A one-line summary of the production plan diff, when the job has it. */
    planSummary?: string;
}

const CONVENTIONAL = /^(\w+)(\([^)]*\))?(!)?:\s*(.+)$/;

/** Parses `git log --format=%H%x1f%s%x1f%b%x1e` output. */
export function parseLog(log: string): Commit[] {
    return log
        .split("\x1e")
        .map((c) => c.trim())
        .filter((c) => c !== "")
        .map((c) => {
            const [sha = "", subject = "", body = ""] = c.split("\x1f");
            return { sha: sha.trim(), subject: subject.trim(), body: body.trim() };
        });
}

/** The release notes, in the runbook's sections and order. */
export function renderReleaseNotes(ctx: ReleaseContext, commits: Commit[]): string {
    const features: string[] = [];
    const fixes: string[] = [];
    const improvements: string[] = [];
    const breaking: string[] = [];
    const migrations: string[] = [];
    for (const c of commits) {
        const m = CONVENTIONAL.exec(c.subject);
        const type = m?.[1]?.toLowerCase();
        const text = m?.[4] ?? c.subject;
        const scope = m?.[2] ? m[2].slice(1, -1) : undefined;
        const line = `- ${scope ? `[${scope}]: ` : ""}${text} (${c.sha.slice(0, 7)})`;
        if (type === "feat") features.push(line);
        else if (type === "fix") fixes.push(line);
        else improvements.push(line);
        const footer = /^BREAKING[ -]CHANGE:\s*(.+)$/m.exec(c.body)?.[1];
        if (m?.[3] || footer) breaking.push(`- ${text}: ${footer ?? "see the commit"} (${c.sha.slice(0, 7)})`);
        for (const mig of c.body.matchAll(/^Migration:\s*(.+)$/gm)) migrations.push(`- ${mig[1]}`);
    }
    const none = (list: string[], what: string) => (list.length > 0 ? list : [`- None ${what}.`]);
    const deployment: string[] = [];
    if (ctx.imageTag) deployment.push(`- Image: \`${ctx.imageTag}\`${ctx.previousImageTag && ctx.previousImageTag !== ctx.imageTag ? ` (was \`${ctx.previousImageTag}\`)` : ""}.`);
    if (ctx.planSummary) deployment.push(`- Infrastructure: ${ctx.planSummary}`);
    deployment.push("- Applied by the production workflow: the approved `pulumi preview --save-plan` plan, then `pulumi up --plan`; a 30-minute watch of the alarms follows.");
    const rollback = ctx.previous
        ? [
              `- Automatic: an \`error-rate-high\` or \`service-down\` alarm during the 30-minute watch redeploys ${ctx.previous}${ctx.previousImageTag ? ` (image \`${ctx.previousImageTag}\`)` : ""}.`,
              `- By hand: \`kubectl --namespace myapp rollout undo deployment/app-deployment\`, then set \`app.image.tag\` to \`${ctx.previousImageTag ?? "<previous tag>"}\` in \`Pulumi.production.yaml\` and deploy (docs/deployment.md).`,
          ]
        : ["- First release: no previous release to return to; a rollback is `pulumi destroy` of what this release created, decided by hand."];
    return [
        `## Release ${ctx.tag} - ${ctx.date}`,
        "",
        "### New Features",
        ...none(features, "in this release"),
        "",
        "### Bug Fixes",
        ...none(fixes, "in this release"),
        "",
        "### Improvements",
        ...none(improvements, "in this release"),
        "",
        "### Breaking Changes",
        ...none(breaking, "in this release"),
        "",
        "### Database Migrations",
        ...none(migrations, "declared (commits name them with a `Migration:` trailer)"),
        "",
        "### Deployment Notes",
        ...deployment,
        "",
        "### Rollback Plan",
        ...rollback,
        "",
        ctx.previous ? `Changes since ${ctx.previous}: ${commits.length} commit(s).` : `${commits.length} commit(s).`,
    ].join("\n");
}
