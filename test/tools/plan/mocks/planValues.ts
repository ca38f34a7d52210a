import type { Plan, PlannedResource } from "../../../helpers/plan";
import { readStackConfig } from "../../../../tools/plan/stackConfig";
import { ROOT } from "../../../helpers/stacks";

/**
 * Reading a plan's values the way the mock checks need them: every string (resource ids,
 * inputs, JSON documents inside inputs, stack outputs) with where it sits, the ARNs inside them,
 * each resource's region, and the resources an ARN belongs to. Independent of the mocks' code:
 * only the plan and AWS's conventions.
 */

/** Where a value sits in a plan. */
export interface Place {
    /** The resource's URN, or `outputs` for the stack outputs. */
    owner: string;
    kind: "id" | "input" | "output";
    path: string;
}

export interface PlanString extends Place {
    text: string;
}

function* walk(value: unknown, path: string): Generator<{ path: string; text: string }> {
    if (typeof value === "string") {
        // Policies, dashboards and event patterns are JSON inside a string: read their values too.
        if (/^\s*[[{]/.test(value)) {
            try {
                const parsed: unknown = JSON.parse(value);
                if (parsed && typeof parsed === "object") {
                    yield* walk(parsed, `${path}<json>`);
                    return;
                }
            } catch {
                // not JSON: an ordinary string
            }
        }
        yield { path, text: value };
    } else if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) yield* walk(v, `${path}[${i}]`);
    } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) yield* walk(v, path ? `${path}.${k}` : k);
    }
}

/** Every string in a plan, with its place. */
export function planStrings(plan: Plan): PlanString[] {
    const out: PlanString[] = [];
    for (const r of plan.resources) {
        if (r.id) out.push({ owner: r.urn, kind: "id", path: "id", text: r.id });
        for (const s of walk(r.inputs, "")) out.push({ owner: r.urn, kind: "input", ...s });
    }
    for (const s of walk(plan.outputs, "")) out.push({ owner: "outputs", kind: "output", ...s });
    return out;
}

/** ARNs inside a text: from `arn:aws` to the first separator an ARN never holds (ids join ARNs with `,`, `|`, `#`). */
export function arnsIn(text: string): string[] {
    return text.match(/arn:aws[a-z-]*:[^\s"'`,|#<>()[\]\\]+/g) ?? [];
}

/** An ARN with a wildcard or a policy variable: a pattern the program wrote, not one resource's ARN. */
export function isPattern(arn: string): boolean {
    return /[*?]|\$\{/.test(arn);
}

/** The region a resource lives in: its own `region` input, else its provider's, else the stack's. */
export function regionOf(plan: Plan, r: PlannedResource): string {
    if (typeof r.inputs["region"] === "string") return r.inputs["region"];
    const provider = r.provider ? plan.resources.find((p) => p.urn === r.provider) : undefined;
    if (provider && typeof provider.inputs["region"] === "string") return provider.inputs["region"];
    return readStackConfig(ROOT, plan.stack).config[`${plan.project}:region`] ?? "us-east-1";
}

/** The ARN services a provider module's resources own (`aws:cloudwatch/…` owns logs, alarms and rules). */
const SERVICES_OF_MODULE: Record<string, string[]> = {
    acm: ["acm"],
    backup: ["backup"],
    budgets: ["budgets"],
    chatbot: ["chatbot"],
    cloudwatch: ["cloudwatch", "logs", "events"],
    codebuild: ["codebuild"],
    ec2: ["ec2"],
    vpc: ["ec2"],
    ecr: ["ecr"],
    eks: ["eks"],
    elasticache: ["elasticache"],
    iam: ["iam"],
    kms: ["kms"],
    lambda: ["lambda"],
    lb: ["elasticloadbalancing"],
    rds: ["rds"],
    route53: ["route53"],
    s3: ["s3"],
    scheduler: ["scheduler"],
    secretsmanager: ["secretsmanager"],
    sns: ["sns"],
    wafv2: ["wafv2"],
};

/** Inputs that name a resource where its id does not (an RDS instance's id is its resource id). */
const NAME_INPUTS = ["name", "identifier", "bucket", "replicationGroupId", "dashboardName", "nodeGroupName"];

/**
 * The resources an ARN can belong to: of the ARN's service, with their id or name as the ARN's
 * resource part, its end, or one of its segments.
 */
export function ownersOf(plan: Plan, arn: string): PlannedResource[] {
    const [, , service = "", , , ...rest] = arn.split(":");
    const resource = rest.join(":");
    const segments = new Set(resource.split(/[:/]/));
    return plan.resources.filter((r) => {
        if (!r.custom || !r.type.startsWith("aws:")) return false;
        const module = r.type.split(":")[1]?.split("/")[0] ?? "";
        if (!(SERVICES_OF_MODULE[module] ?? []).includes(service)) return false;
        if (r.id === arn) return true;
        const keys = [r.id, ...NAME_INPUTS.map((k) => r.inputs[k])].filter((k): k is string => typeof k === "string" && k !== "");
        return keys.some((k) => resource === k || resource.endsWith(`/${k}`) || resource.endsWith(`:${k}`) || segments.has(k));
    });
}
