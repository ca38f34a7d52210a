import type { PlannedResource } from "../../plan/record";
import { DAYS_PER_MONTH, PricingContext, arnRegion, num } from "../context";
import type { CostLine } from "../model";
import { retainedGiB } from "./data";
import { arr, obj, Priced } from "./types";

/** Resources an AWS Backup plan selects by tag (STRINGEQUALS selection tags), of the types priced here. */
function selected(plan: PlannedResource, ctx: PricingContext): PlannedResource[] {
    const selections = ctx.ofType("aws:backup/selection:Selection").filter((s) => s.inputs["planId"] === plan.id);
    const tags = selections.flatMap((s) => arr(s.inputs["selectionTags"]).map(obj)).filter((t) => t["type"] === "STRINGEQUALS");
    const tagged = (r: PlannedResource): boolean => tags.some((t) => obj(r.inputs["tags"])[String(t["key"])] === t["value"]);
    return ctx.plan.resources.filter((r) => (r.type === "aws:rds/instance:Instance" || r.type === "aws:s3/bucket:Bucket") && tagged(r));
}

/** What one backed-up resource keeps, and what a month of its changes weighs. */
function footprint(r: PlannedResource, ctx: PricingContext, retentionDays: number): { kind: "rdsSnapshot" | "s3"; keptGiB: number; changedGiB: number; assumptions: string[] } {
    if (r.type === "aws:rds/instance:Instance") {
        const used = ctx.assume("database.usedStorageGiB");
        const change = ctx.assume("database.dailyChangePercent");
        return { kind: "rdsSnapshot", keptGiB: retainedGiB(used, change, retentionDays), changedGiB: (used * change * DAYS_PER_MONTH) / 100, assumptions: ["database.usedStorageGiB", "database.dailyChangePercent"] };
    }
    const stored = ctx.assume("files.storedGiB");
    const written = ctx.assume("files.writtenGiBPerMonth");
    return { kind: "s3", keptGiB: stored + (written * retentionDays) / DAYS_PER_MONTH, changedGiB: written, assumptions: ["files.storedGiB", "files.writtenGiBPerMonth"] };
}

/**
 * AWS Backup plan: for each rule, what the selected resources keep in the vault for the rule's
 * retention, and for each copy action the same kept in the destination vault plus the changes
 * sent there each month. Daily backups are assumed (the rules here are daily).
 */
export function backupPlan(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const resources = selected(r, ctx);
    if (resources.length === 0) return { free: "no resource in this plan carries its selection tag: nothing is stored" };
    const lines: CostLine[] = [];
    for (const rule of arr(r.inputs["rules"]).map(obj)) {
        const retention = num(obj(rule["lifecycle"])["deleteAfter"], 35);
        for (const res of resources) {
            const f = footprint(res, ctx, retention);
            lines.push(ctx.line(`${res.name}: recovery points kept ${retention} days (rule ${String(rule["ruleName"] ?? "")})`, f.keptGiB, `backup.${f.kind}`, region, { assumptions: f.assumptions }));
            for (const copy of arr(rule["copyActions"]).map(obj)) {
                const to = arnRegion(copy["destinationVaultArn"]) ?? region;
                const copyRetention = num(obj(copy["lifecycle"])["deleteAfter"], retention);
                const c = footprint(res, ctx, copyRetention);
                lines.push(ctx.line(`${res.name}: copies kept ${copyRetention} days in ${to}`, c.keptGiB, `backup.${c.kind}`, to, { assumptions: c.assumptions }));
                if (to !== region) {
                    lines.push(ctx.line(`${res.name}: changes copied ${region} → ${to}`, c.changedGiB, "dataTransfer.interRegion", region, { assumptions: c.assumptions, note: "after the first full copy" }));
                }
            }
        }
    }
    return { lines };
}
