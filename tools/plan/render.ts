import { eksSupportNotice, utcDay } from "../../modules/cluster/versions";
import type { Plan, PlannedResource } from "./record";

/**
 * A plan as a person reads it: resources as a tree under their components, then counts by type,
 * then the stack outputs, then notices (a Kubernetes version near or past the end of EKS standard
 * support on `today`). Like `pulumi preview`, everything is a create (`+`); options that matter
 * in review are marked: `[protect]`, `[retain]`.
 */
export function renderPlan(plan: Plan, today: string = utcDay()): string {
    const children = new Map<string | null, PlannedResource[]>();
    for (const r of plan.resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const lines: string[] = [`Plan of stack "${plan.stack}" (project ${plan.project}), offline under mocks:`, ""];
    const visit = (r: PlannedResource, depth: number): void => {
        const marks = [r.protect ? "[protect]" : "", r.retainOnDelete ? "[retain]" : ""].filter(Boolean).join(" ");
        lines.push(`${"    ".repeat(depth)}+ ${r.type}  ${r.name}${marks ? `  ${marks}` : ""}`);
        for (const c of children.get(r.urn) ?? []) visit(c, depth + 1);
    };
    for (const root of children.get(null) ?? []) visit(root, 0);

    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const width = Math.max(...[...counts.keys()].map((k) => k.length));
    lines.push("", `Resources by type (${plan.resources.length} in all):`);
    for (const [type, n] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`    ${type.padEnd(width)}  ${n}`);
    }
    lines.push("", "Outputs:");
    for (const [k, v] of Object.entries(plan.outputs)) {
        lines.push(`    ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    }
    const notices = planNotices(plan, today);
    if (notices.length > 0) lines.push("", "Notices:", ...notices.map((n) => `    ! ${n}`));
    return lines.join("\n");
}

/** What the plan must point out on a day: each EKS cluster whose version nears or is past the end of standard support. */
export function planNotices(plan: Plan, today: string): string[] {
    return plan.resources
        .filter((r) => r.type === "aws:eks/cluster:Cluster")
        .flatMap((r) => {
            const notice = eksSupportNotice(String(r.inputs["version"] ?? ""), today);
            return notice ? [`${r.name}: ${notice}`] : [];
        });
}
