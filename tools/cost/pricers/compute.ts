import { eksSupportPhase, eksVersion } from "../../../modules/cluster/versions";
import type { PlannedResource } from "../../plan/record";
import { PricingContext, num } from "../context";
import type { CostLine } from "../model";
import { Priced, arr, obj } from "./types";

/**
 * EKS control plane: the standard rate, or the extended-support rate when the version is past
 * standard support on the estimate's day and the upgrade policy is EXTENDED (EKS's default).
 * With `STANDARD`, EKS upgrades the control plane instead: the rate stays, with a warning.
 */
export function eksCluster(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const version = String(r.inputs["version"] ?? "");
    const supportType = String(obj(r.inputs["upgradePolicy"])["supportType"] ?? "EXTENDED");
    const phase = eksSupportPhase(version, ctx.asOf);
    const row = eksVersion(version);
    const hours = ctx.hoursPerMonth;
    if (phase === "unknown") ctx.warn(`${r.name}: Kubernetes ${version || "(default)"} is not in modules/cluster/versions.ts; priced at the standard rate.`);
    if (phase === "ended") ctx.warn(`${r.name}: Kubernetes ${version} left extended support on ${row!.endOfExtendedSupport}: EKS creates no cluster on it and upgrades existing ones.`);
    if (phase === "extended" && supportType === "EXTENDED") {
        return {
            lines: [
                ctx.line(`control plane hours, Kubernetes ${version} in extended support (standard support ended ${row!.endOfStandardSupport})`, hours, "eks.cluster.extendedSupport", region),
            ],
        };
    }
    if (phase === "extended") {
        ctx.warn(
            `${r.name}: Kubernetes ${version} left standard support on ${row!.endOfStandardSupport}; with upgradePolicy STANDARD EKS upgrades the control plane on its own. Upgrade kubernetes.version (and the node AMI and add-ons) deliberately.`,
        );
    }
    return { lines: [ctx.line(`control plane hours, Kubernetes ${version} (${phase === "extended" ? "auto-upgraded, " : ""}standard support)`, hours, "eks.cluster", region)] };
}

/** The root volume a node group's launch template gives each node (EKS's default disk otherwise). */
function rootVolume(r: PlannedResource, ctx: PricingContext): { sizeGiB: number; type: string; note?: string } {
    const lt = ctx.byIdOf(obj(r.inputs["launchTemplate"])["id"]);
    const ebs = obj(obj(arr(lt?.inputs["blockDeviceMappings"])[0])["ebs"]);
    if (lt && ebs["volumeSize"] !== undefined) return { sizeGiB: num(ebs["volumeSize"], 0), type: String(ebs["volumeType"] ?? "gp3") };
    return { sizeGiB: num(r.inputs["diskSize"], 20), type: "gp2", note: "EKS's default root volume (20 GiB gp2) when neither diskSize nor a launch template sets one" };
}

/** Managed node group: desired nodes × the first instance type's hourly price, and their root volumes. */
export function nodeGroup(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const types = arr(r.inputs["instanceTypes"]).map(String);
    const scaling = obj(r.inputs["scalingConfig"]);
    const desired = num(scaling["desiredSize"], 0);
    if (r.inputs["capacityType"] === "SPOT") return { unpriced: "Spot capacity: its price moves hour by hour" };
    const type = types[0] ?? "t3.medium";
    const lines: CostLine[] = [
        ctx.line(`${desired} × ${type} node hours`, desired * ctx.hoursPerMonth, `ec2.instance/${type}`, region, {
            note: [
                `scales ${num(scaling["minSize"], desired)}-${num(scaling["maxSize"], desired)}: priced at the desired count`,
                ...(types.length > 1 ? [`priced at the first of ${types.join(", ")}`] : []),
                ...(types.length === 0 ? ["no instanceTypes: EKS's default t3.medium"] : []),
            ].join("; "),
        }),
    ];
    const disk = rootVolume(r, ctx);
    lines.push(ctx.line(`${desired} × ${disk.sizeGiB} GiB ${disk.type} root volumes`, desired * disk.sizeGiB, `ebs.${disk.type}`, region, disk.note ? { note: disk.note } : {}));
    return { lines };
}

/** ECR repository: the images its lifecycle policy keeps × an image's size. */
export function ecrRepository(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const name = r.inputs["name"];
    const policy = ctx.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy").find((p) => p.inputs["repository"] === name);
    let kept: number | undefined;
    try {
        const rules = arr(obj(JSON.parse(String(policy?.inputs["policy"] ?? "{}")))["rules"]);
        const counts = rules.map((x) => obj(obj(x)["selection"])).filter((s) => s["countType"] === "imageCountMoreThan");
        kept = counts.length > 0 ? Math.max(...counts.map((s) => num(s["countNumber"], 0))) : undefined;
    } catch {
        kept = undefined;
    }
    if (kept === undefined) return { unpriced: "no lifecycle policy keeping a count of images: the repository's size is unbounded" };
    const size = ctx.assume("registry.imageSizeGiB");
    return {
        lines: [ctx.line(`${kept} images kept by the lifecycle policy`, kept * size, "ecr.storage", region, { assumptions: ["registry.imageSizeGiB"] })],
    };
}
