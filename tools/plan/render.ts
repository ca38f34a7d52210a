import { eksSupportNotice, utcDay } from "../../modules/cluster/versions";
import { isMockMade } from "./mocks/mark";
import { Plan, PlannedResource, SECRET } from "./record";

/**
 * A plan as a person reads it, laid out like `pulumi preview`: the app image the stack runs, the
 * resources as a tree under their components, the counts by type (resources, then components),
 * the stack outputs, and the summary (`+ 304 to create`). Everything is a create (`+`); what
 * matters in review is marked: `[protect]`, `[retain]`, `[secret inputs]`, and `[mock]` on a value
 * the mocks made up (an id, an ARN, an endpoint: tools/plan/mocks/mark.ts), which a real run gets
 * from AWS or Kubernetes instead. Notices come last: a Kubernetes version near or past the end of
 * EKS standard support on `today`.
 */
export function renderPlan(plan: Plan & { standIns?: readonly string[] }, today: string = utcDay()): string {
    const lines: string[] = [
        `Plan of stack "${plan.stack}" (project ${plan.project}), offline under mocks: what \`pulumi up\` would create.`,
        "Values marked [mock] were made up by the mocks (ids, ARNs, endpoints); a real run gets them from AWS and Kubernetes.",
        "",
        ...appImages(plan),
        ...(plan.standIns && plan.standIns.length > 0 ? [`Stand-ins:  ${plan.standIns.join(", ")} (values only a deployment has; see the note on stderr)`] : []),
        "",
        ...tree(plan.resources),
        "",
        ...countsByType("Resources by type", plan.resources.filter((r) => r.custom)),
        "",
        ...countsByType("Components by type", plan.resources.filter((r) => !r.custom)),
        "",
        "Outputs:",
        ...Object.entries(plan.outputs).map(([k, v]) => {
            const text = typeof v === "string" ? v : JSON.stringify(v);
            return `    ${k}: ${text}${isMockMade(text) ? "  [mock]" : ""}`;
        }),
        "",
        ...summary(plan.resources),
    ];
    const notices = planNotices(plan, today);
    if (notices.length > 0) lines.push("", "Notices:", ...notices.map((n) => `    ! ${n}`));
    return lines.join("\n");
}

/** What a reviewer should know about the plan beyond its resources: a cluster version near or past the end of EKS standard support. */
export function planNotices(plan: Plan, today: string): string[] {
    return plan.resources
        .filter((r) => r.type === "aws:eks/cluster:Cluster")
        .flatMap((r) => {
            const notice = eksSupportNotice(String(r.inputs["version"] ?? ""), today);
            return notice ? [`${r.name}: ${notice}`] : [];
        });
}

/** Whether a resource was given a secret among its inputs (redacted in the plan). */
export function hasSecretInputs(r: PlannedResource): boolean {
    return JSON.stringify(r.inputs).includes(JSON.stringify(SECRET));
}

function tree(resources: readonly PlannedResource[]): string[] {
    const children = new Map<string | null, PlannedResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const lines: string[] = [];
    const visit = (r: PlannedResource, depth: number): void => {
        const marks = [r.protect ? "[protect]" : "", r.retainOnDelete ? "[retain]" : "", hasSecretInputs(r) ? "[secret inputs]" : ""].filter(Boolean).join(" ");
        lines.push(`${"    ".repeat(depth)}+ ${r.type}  ${r.name}${marks ? `  ${marks}` : ""}`);
        for (const c of children.get(r.urn) ?? []) visit(c, depth + 1);
    };
    for (const root of children.get(null) ?? []) visit(root, 0);
    return lines;
}

function countsByType(title: string, resources: readonly PlannedResource[]): string[] {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const width = Math.max(0, ...[...counts.keys()].map((k) => k.length));
    return [
        `${title} (${resources.length}):`,
        ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `    ${type.padEnd(width)}  ${String(n).padStart(3)}`),
    ];
}

/** The summary `pulumi preview` ends with, and what a reviewer counts before approving. */
function summary(resources: readonly PlannedResource[]): string[] {
    const protectedCount = resources.filter((r) => r.protect).length;
    const secretCount = resources.filter(hasSecretInputs).length;
    return [
        "Resources:",
        `    + ${resources.length} to create`,
        `    ${protectedCount} protected (Pulumi refuses to delete them), ${secretCount} with secret inputs (shown as ${SECRET})`,
    ];
}

/** The image each track of the app runs (the app's Deployments carry a `track` label). */
function appImages(plan: Plan & { standIns?: readonly string[] }): string[] {
    const standIn = plan.standIns?.some((k) => k.endsWith(":app.image")) ? "  [stand-in]" : "";
    const out: string[] = [];
    for (const d of plan.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment")) {
        const metadata = (d.inputs["metadata"] ?? {}) as { name?: string; labels?: Record<string, string> };
        const track = metadata.labels?.["track"];
        if (!track) continue;
        const spec = d.inputs["spec"] as { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } } | undefined;
        const images = (spec?.template?.spec?.containers ?? []).map((c) => c.image).filter((i): i is string => typeof i === "string");
        out.push(`App image:  ${images.join(", ") || "(none)"}  (${metadata.name ?? d.name}, track ${track})${standIn}`);
    }
    return out.length > 0 ? out : ["App image:  none (the plan has no app Deployment)"];
}
