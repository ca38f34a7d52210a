import type { PlannedResource } from "../../plan/record";
import { DAYS_PER_MONTH, PricingContext, arnRegion, num } from "../context";
import type { CostLine } from "../model";
import { Priced, arr, obj } from "./types";

/** Data kept by daily incremental backups over a retention: one full copy and the daily changes. */
export function retainedGiB(usedGiB: number, dailyChangePercent: number, retentionDays: number): number {
    if (retentionDays <= 0) return 0;
    return usedGiB * (1 + (dailyChangePercent / 100) * (retentionDays - 1));
}

/** Days of Performance Insights retention the free tier covers. */
const PI_FREE_DAYS = 7;

function performanceInsights(r: PlannedResource, ctx: PricingContext, region: string, multiAz: boolean, vcpu: number): CostLine[] {
    const days = num(r.inputs["performanceInsightsRetentionPeriod"], PI_FREE_DAYS);
    if (r.inputs["performanceInsightsEnabled"] !== true || days <= PI_FREE_DAYS) return [];
    // Paid retention is 1 to 24 months (31 days each) or 731 days; the first month has its own rate.
    const months = Math.max(1, Math.round(days / 31));
    const vcpus = vcpu * (multiAz ? 2 : 1);
    const lines = [ctx.line(`Performance Insights ${days}-day retention, first month (${vcpus} vCPUs)`, vcpus, "rds.performanceInsights.retention", region)];
    if (months > 1) lines.push(ctx.line(`Performance Insights, ${months - 1} further months`, vcpus * (months - 1), "rds.performanceInsights.retentionExtraMonth", region));
    return lines;
}

/**
 * RDS instance: instance hours (both copies when Multi-AZ), gp3 storage at its allocated floor,
 * Performance Insights retention beyond the free 7 days, and automated backups beyond the free
 * allowance (100% of the provisioned storage).
 */
export function rdsInstance(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    // A read replica takes its engine and storage from its source (`replicateSourceDb`, an ARN ending in `:db:<identifier>`).
    const sourceId = typeof r.inputs["replicateSourceDb"] === "string" ? /:db:([^:]+)$/.exec(r.inputs["replicateSourceDb"])?.[1] : undefined;
    const source = sourceId !== undefined ? ctx.ofType("aws:rds/instance:Instance").find((x) => x.inputs["identifier"] === sourceId) : undefined;
    const inherited = (key: string): unknown => r.inputs[key] ?? source?.inputs[key];
    const engine = String(inherited("engine") ?? "");
    const storageType = String(inherited("storageType") ?? "gp2");
    if (engine !== "postgres") return { unpriced: `engine ${engine}: only PostgreSQL is in the price table` };
    if (storageType !== "gp3") return { unpriced: `storage type ${storageType}: only gp3 is in the price table` };
    const cls = String(r.inputs["instanceClass"]);
    const multiAz = r.inputs["multiAz"] === true;
    const deployment = multiAz ? "Multi-AZ" : "Single-AZ";
    const allocated = num(inherited("allocatedStorage"), 20);
    const ceiling = num(inherited("maxAllocatedStorage"), allocated);
    const storagePrice = ctx.prices.find(`rds.storage.gp3/${deployment}`, region);
    const lines: CostLine[] = [
        ctx.line(`${cls} ${deployment} instance hours`, ctx.hoursPerMonth, `rds.postgres/${cls}/${deployment}`, region),
        ctx.line(
            `${allocated} GiB gp3 storage${multiAz ? " (both copies)" : ""}`,
            allocated,
            `rds.storage.gp3/${deployment}`,
            region,
            ceiling > allocated && storagePrice ? { note: `autoscaling may grow it to ${ceiling} GiB (${(ceiling * storagePrice.usd).toFixed(2)} USD a month at the ceiling)` } : {},
        ),
    ];
    const spec = ctx.prices.entry(`rds.postgres/${cls}/${deployment}`)?.spec;
    lines.push(...performanceInsights(r, ctx, region, multiAz, spec?.vcpu ?? 2));
    const retention = num(r.inputs["backupRetentionPeriod"], 1);
    const kept = retainedGiB(ctx.assume("database.usedStorageGiB"), ctx.assume("database.dailyChangePercent"), retention);
    lines.push(
        ctx.line(`automated backups beyond the free ${allocated} GiB (${retention} days kept)`, Math.max(0, kept - allocated), "rds.backupStorage", region, {
            assumptions: ["database.usedStorageGiB", "database.dailyChangePercent"],
            note: `about ${kept.toFixed(0)} GiB kept: one full copy and the daily changes`,
        }),
    );
    return { lines };
}

/** Cross-Region replication of automated backups: storage in the destination Region and the changes sent there. */
export function automatedBackupsReplication(r: PlannedResource, ctx: PricingContext): Priced {
    const destination = ctx.regionOf(r)!;
    const source = arnRegion(r.inputs["sourceDbInstanceArn"]) ?? destination;
    const retention = num(r.inputs["retentionPeriod"], 7);
    const used = ctx.assume("database.usedStorageGiB");
    const change = ctx.assume("database.dailyChangePercent");
    const assumptions = ["database.usedStorageGiB", "database.dailyChangePercent"];
    return {
        lines: [
            ctx.line(`replicated backups kept ${retention} days in ${destination}`, retainedGiB(used, change, retention), "rds.backupStorage", destination, {
                assumptions,
                note: "the destination Region has no free allowance: no instance there",
            }),
            ctx.line(`daily changes sent ${source} → ${destination}`, (used * change * DAYS_PER_MONTH) / 100, "dataTransfer.interRegion", source, {
                assumptions,
                note: "after the first full copy",
            }),
        ],
    };
}

/** ElastiCache replication group: node type × nodes (shards × (replicas + 1), or the number of cache clusters). */
export function replicationGroup(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const engine = String(r.inputs["engine"] ?? "redis");
    if (engine !== "redis") return { unpriced: `engine ${engine}: only Redis OSS nodes are in the price table` };
    const shards = num(r.inputs["numNodeGroups"], 0);
    const nodes = shards > 0 ? shards * (num(r.inputs["replicasPerNodeGroup"], 0) + 1) : num(r.inputs["numCacheClusters"], 1);
    const type = String(r.inputs["nodeType"]);
    return {
        lines: [
            ctx.line(`${nodes} × ${type} node hours`, nodes * ctx.hoursPerMonth, `elasticache.redis/${type}`, region, {
                note: "snapshot storage is free up to one snapshot the size of the cluster; more is not estimated",
            }),
        ],
    };
}

/** Buckets the plan's load balancers write access logs to, by bucket name. */
function accessLogBuckets(ctx: PricingContext): Set<string> {
    return new Set(ctx.ofType("aws:lb/loadBalancer:LoadBalancer").map((lb) => String(obj(lb.inputs["accessLogs"])["bucket"] ?? "")));
}

/** The expiration (days) a bucket's lifecycle configuration gives current objects, if any. */
function expirationDays(bucketName: string, ctx: PricingContext): number | undefined {
    const lifecycle = ctx.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.inputs["bucket"] === bucketName);
    const days = arr(lifecycle?.inputs["rules"]).map((x) => num(obj(obj(x)["expiration"])["days"], 0)).filter((d) => d > 0);
    return days.length > 0 ? Math.min(...days) : undefined;
}

/**
 * S3 bucket, Standard storage: an access-log bucket holds the logs its expiration keeps; the
 * files bucket and its replica hold `files.storedGiB`. Any other bucket has no usage assumption.
 */
/** The Pulumi state backend's component (modules/stateBackend). */
const STATE_BACKEND = "ops:stateBackend:StateBackend";

export function s3Bucket(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const name = String(r.inputs["bucket"] ?? r.id ?? "");
    if (accessLogBuckets(ctx).has(name)) {
        const days = expirationDays(name, ctx);
        if (days === undefined) ctx.warn(`${r.name}: the access-log bucket has no expiration; priced at 12 months of logs.`);
        const kept = days ?? 365;
        return {
            lines: [
                ctx.line(`access logs kept ${kept} days`, (ctx.assume("alb.accessLogsGiBPerMonth") * kept) / DAYS_PER_MONTH, "s3.standard", region, {
                    assumptions: ["alb.accessLogsGiBPerMonth"],
                }),
            ],
        };
    }
    const component = ctx.byUrnOf(r.parent);
    if (component?.type === "ops:files:FilesBucket") {
        return { lines: [ctx.line("stored objects", ctx.assume("files.storedGiB"), "s3.standard", region, { assumptions: ["files.storedGiB"] })] };
    }
    if (component?.type === STATE_BACKEND) {
        return { lines: [ctx.line("Pulumi state", ctx.assume("stateBackend.storedGiB"), "s3.standard", region, { assumptions: ["stateBackend.storedGiB"] })] };
    }
    return { unpriced: "no usage assumption for this bucket's contents" };
}

/** Bucket replication: what is written each month, sent to the destination Region, and Replication Time Control when on. */
export function bucketReplication(r: PlannedResource, ctx: PricingContext): Priced {
    const source = ctx.regionOf(r)!;
    // The state buckets (modules/stateBackend) copy the Pulumi state; every other replication, the files.
    const assumption = ctx.byUrnOf(r.parent)?.type === STATE_BACKEND ? "stateBackend.writtenGiBPerMonth" : "files.writtenGiBPerMonth";
    const written = ctx.assume(assumption);
    const lines: CostLine[] = [];
    for (const rule of arr(r.inputs["rules"]).map(obj)) {
        if (rule["status"] === "Disabled") continue;
        const destination = obj(rule["destination"]);
        const target = ctx.ofType("aws:s3/bucket:Bucket").find((b) => `arn:aws:s3:::${String(b.inputs["bucket"] ?? "")}` === destination["bucket"]);
        const to = target ? ctx.regionOf(target)! : source;
        if (to !== source) {
            lines.push(ctx.line(`objects replicated ${source} → ${to} (rule ${String(rule["id"] ?? "")})`, written, "dataTransfer.interRegion", source, { assumptions: [assumption] }));
        }
        if (obj(destination["replicationTime"])["status"] === "Enabled") {
            lines.push(
                ctx.line("Replication Time Control", written, "s3.replicationTimeControl", source, {
                    assumptions: [assumption],
                    note: "replication metrics are billed as CloudWatch custom metrics, not estimated",
                }),
            );
        }
    }
    return { lines };
}
