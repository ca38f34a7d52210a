import * as fs from "fs";
import * as path from "path";
import { dataLossChanges, diffPlans } from "../diff/diff";
import { loadSide } from "../diff/load";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../diff/render";
import { loadReports } from "../diff/reports";
import type { SideResult } from "./reportFiles";

/**
 * The pull-request comment: the plan diff of every stack between the base and the head, with the
 * policy, cost and RTO reports, made by the job that runs the pull request's code (and so has no
 * token that can write). It writes the body and a small metadata file; a separate trusted job
 * (`npm run ci -- post-comment`) posts them.
 */

/** The first line of the comment: how the posting job finds the comment to edit. */
export const PLAN_COMMENT_MARKER = "<!-- ops:plan-diff -->";

/** What the trusted job needs to know about the report, besides its body. */
export interface ReportMeta {
    pr: number;
    headSha: string;
    dataLoss: number;
    /** Stacks whose head plan failed: the pull request breaks them. */
    failedStacks: string[];
}

function readSide(dir: string): SideResult {
    const f = path.join(dir, "side.json");
    return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as SideResult) : { stacks: [], failed: {}, notes: [] };
}

const sub = (dir: string, name: string) => (fs.existsSync(path.join(dir, name)) ? path.join(dir, name) : undefined);

/** Builds the comment body and its metadata from the two sides `planSide` wrote. */
export function buildReport(opts: { baseDir: string; headDir: string; pr: number; headSha: string; baseLabel: string; headLabel: string; runUrl?: string }): {
    body: string;
    meta: ReportMeta;
} {
    const base = readSide(opts.baseDir);
    const head = readSide(opts.headDir);
    const diff = diffPlans(loadSide(path.join(opts.baseDir, "plans")), loadSide(path.join(opts.headDir, "plans")));
    const reports = loadReports({
        policyBase: sub(opts.baseDir, "policy"),
        policyHead: sub(opts.headDir, "policy"),
        costBase: sub(opts.baseDir, "cost"),
        costHead: sub(opts.headDir, "cost"),
        rtoBase: sub(opts.baseDir, "rto"),
        rtoHead: sub(opts.headDir, "rto"),
    });
    const failures = Object.entries(head.failed);
    const preface: string[] = [];
    if (failures.length > 0) {
        preface.push("> [!CAUTION]", `> **The head's plan fails for ${failures.map(([s]) => `\`${s}\``).join(", ")}**: \`pulumi up\` would stop before creating anything.`);
        for (const [s, why] of failures) preface.push(`> <details><summary>${s}</summary>`, ">", ...why.split("\n").map((l) => `>     ${l}`), "> </details>");
        preface.push("");
    }
    const notes = [...base.notes.map((n) => `base: ${n}`), ...head.notes.map((n) => `head: ${n}`), ...Object.keys(base.failed).map((s) => `base: the plan of ${s} failed, so its diff is not shown`)];
    const footer = notes.length > 0 ? `\n<details><summary>Notes</summary>\n\n${notes.map((n) => `- ${n}`).join("\n")}\n\n</details>\n` : "";
    const footerAndPreface = preface.join("\n").length + footer.length + 2;
    const md = renderMarkdown(diff, reports, {
        marker: PLAN_COMMENT_MARKER,
        baseLabel: opts.baseLabel,
        headLabel: opts.headLabel,
        maxChars: GITHUB_COMMENT_LIMIT - Math.min(footerAndPreface, 20_000),
        ...(opts.runUrl ? { fullDiffUrl: opts.runUrl } : {}),
    });
    const [first, ...rest] = md.split("\n");
    let body = [first, ...preface, ...rest].join("\n") + footer;
    if (body.length > GITHUB_COMMENT_LIMIT) body = body.slice(0, GITHUB_COMMENT_LIMIT);
    return { body, meta: { pr: opts.pr, headSha: opts.headSha, dataLoss: dataLossChanges(diff).length, failedStacks: failures.map(([s]) => s) } };
}

/** Checks the metadata an artifact carries: it comes from a job that ran untrusted code. */
export function parseMeta(raw: unknown): ReportMeta {
    const m = raw as Partial<ReportMeta> | null;
    if (!m || typeof m !== "object") throw new Error("report metadata: not a JSON object");
    if (!Number.isInteger(m.pr) || (m.pr as number) <= 0) throw new Error(`report metadata: "pr" must be a pull request number, got ${JSON.stringify(m.pr)}`);
    if (typeof m.headSha !== "string" || !/^[0-9a-f]{40}$/.test(m.headSha)) throw new Error(`report metadata: "headSha" must be a full commit sha, got ${JSON.stringify(m.headSha)}`);
    const dataLoss = Number.isInteger(m.dataLoss) ? (m.dataLoss as number) : 0;
    const failedStacks = Array.isArray(m.failedStacks) ? m.failedStacks.filter((s): s is string => typeof s === "string" && /^[\w.-]+$/.test(s)) : [];
    return { pr: m.pr as number, headSha: m.headSha, dataLoss, failedStacks };
}
