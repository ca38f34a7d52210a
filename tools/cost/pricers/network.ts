import type { PlannedResource } from "../../plan/record";
import { PricingContext } from "../context";
import type { CostLine } from "../model";
import { Priced, arr, obj } from "./types";

/** Public NAT gateway: hours, and its share of the data all gateways process (its IP is its EIP's line). */
export function natGateway(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    if (r.inputs["connectivityType"] === "private") {
        return { lines: [ctx.line("private NAT gateway hours", ctx.hoursPerMonth, "vpc.natGateway", region)] };
    }
    const gateways = ctx.ofType(r.type).filter((g) => g.inputs["connectivityType"] !== "private").length;
    const share = ctx.assume("natGateway.dataProcessedGiBPerMonth") / Math.max(1, gateways);
    return {
        lines: [
            ctx.line("NAT gateway hours", ctx.hoursPerMonth, "vpc.natGateway", region),
            ctx.line(`data processed (1/${gateways} of all NAT traffic)`, share, "vpc.natGateway.data", region, { assumptions: ["natGateway.dataProcessedGiBPerMonth"] }),
        ],
    };
}

/** Elastic IP: a public IPv4 address, charged whether attached or idle. */
export function eip(r: PlannedResource, ctx: PricingContext): Priced {
    return { lines: [ctx.line("public IPv4 address hours", ctx.hoursPerMonth, "vpc.publicIpv4", ctx.regionOf(r)!)] };
}

/** Application Load Balancer: hours, assumed LCUs, and one public IPv4 address per subnet when internet-facing. */
export function loadBalancer(r: PlannedResource, ctx: PricingContext): Priced {
    const region = ctx.regionOf(r)!;
    const type = String(r.inputs["loadBalancerType"] ?? "application");
    if (type !== "application") return { unpriced: `a ${type} load balancer: only application load balancers are in the price table` };
    const lcu = ctx.assume("alb.averageLcu");
    const lines: CostLine[] = [
        ctx.line("load balancer hours", ctx.hoursPerMonth, "elb.application", region),
        ctx.line("load balancer capacity unit hours", lcu * ctx.hoursPerMonth, "elb.application.lcu", region, { assumptions: ["alb.averageLcu"] }),
    ];
    if (r.inputs["internal"] !== true) {
        const zones = Math.max(arr(r.inputs["subnets"]).length, arr(r.inputs["subnetMappings"]).length);
        lines.push(
            ctx.line(`${zones} public IPv4 addresses (one per subnet)`, zones * ctx.hoursPerMonth, "vpc.publicIpv4", region, {
                note: "the load balancer holds one address per Availability Zone at least; it adds nodes, and addresses, as traffic grows",
            }),
        );
    }
    return { lines };
}

/** VPC endpoint: gateway endpoints are free; interface endpoints cost per Availability Zone and per GB. */
export function vpcEndpoint(r: PlannedResource, ctx: PricingContext): Priced {
    if (r.inputs["vpcEndpointType"] !== "Interface") return { free: "gateway endpoints (S3, DynamoDB) have no charge" };
    const region = ctx.regionOf(r)!;
    const zones = arr(r.inputs["subnetIds"]).length || 1;
    const interfaces = ctx.ofType(r.type).filter((e) => e.inputs["vpcEndpointType"] === "Interface").length;
    const share = ctx.assume("interfaceEndpoints.dataProcessedGiBPerMonth") / Math.max(1, interfaces);
    return {
        lines: [
            ctx.line(`endpoint hours in ${zones} Availability Zones`, zones * ctx.hoursPerMonth, "vpc.interfaceEndpoint", region),
            ctx.line(`data processed (1/${interfaces} of all endpoint traffic)`, share, "vpc.interfaceEndpoint.data", region, {
                assumptions: ["interfaceEndpoints.dataProcessedGiBPerMonth"],
            }),
        ],
    };
}

/** WAF web ACL: the ACL, each rule (a managed rule group is one rule), and the requests it inspects. */
export function webAcl(r: PlannedResource, ctx: PricingContext): Priced {
    const region = r.inputs["scope"] === "CLOUDFRONT" ? "us-east-1" : ctx.regionOf(r)!;
    const rules = arr(r.inputs["rules"]).length + arr(r.inputs["ruleJsons"]).length;
    const associated = ctx.ofType("aws:wafv2/webAclAssociation:WebAclAssociation").length > 0;
    const lines: CostLine[] = [ctx.line("web ACL", 1, "waf.webAcl", region), ctx.line(`${rules} rules`, rules, "waf.rule", region)];
    if (associated) {
        lines.push(
            ctx.line("requests inspected", ctx.assume("alb.requestsMillionsPerMonth"), "waf.requests", region, {
                assumptions: ["alb.requestsMillionsPerMonth"],
                note: "up to 1,500 WCU per request; paid managed rule groups (Bot Control, fraud prevention) cost more",
            }),
        );
    }
    return { lines };
}

/** Route 53 hosted zone (queries to alias records of AWS resources are free; others are not estimated). */
export function hostedZone(r: PlannedResource, ctx: PricingContext): Priced {
    return { lines: [ctx.line(`hosted zone ${String(r.inputs["name"] ?? "")}`, 1, "route53.hostedZone", "global", { note: "standard queries ($0.40 per million) are not estimated; alias queries to AWS resources are free" })] };
}

/** True when a health check's endpoint is in AWS: its name is an alias of a load balancer in this plan, or an Elastic IP's address. */
function awsEndpoint(r: PlannedResource, ctx: PricingContext): boolean {
    const fqdn = String(r.inputs["fqdn"] ?? "").replace(/\.$/, "");
    const aliasToAws = ctx
        .ofType("aws:route53/record:Record")
        .some((rec) => String(rec.inputs["name"] ?? "").replace(/\.$/, "") === fqdn && arr(rec.inputs["aliases"]).some((a) => /\.amazonaws\.com\.?$/.test(String(obj(a)["name"] ?? ""))));
    return fqdn !== "" ? aliasToAws : false;
}

/** Route 53 health check: the check, and each optional feature it uses (HTTPS, string matching, fast interval, latency). */
export function healthCheck(r: PlannedResource, ctx: PricingContext): Priced {
    const type = String(r.inputs["type"] ?? "");
    if (type === "CALCULATED" || type === "CLOUDWATCH_METRIC") {
        return { lines: [ctx.line(`${type.toLowerCase()} health check`, 1, "route53.healthCheck/aws", "global")] };
    }
    const where = awsEndpoint(r, ctx) ? "aws" : "nonAws";
    const features = [
        ...(type.startsWith("HTTPS") ? ["HTTPS"] : []),
        ...(type.endsWith("_STR_MATCH") ? ["string matching"] : []),
        ...(Number(r.inputs["requestInterval"] ?? 30) === 10 ? ["fast interval"] : []),
        ...(r.inputs["measureLatency"] === true ? ["latency measurement"] : []),
    ];
    const label = where === "aws" ? "an AWS endpoint (an alias of a load balancer in this stack)" : "a non-AWS endpoint";
    const lines = [ctx.line(`health check of ${label}`, 1, `route53.healthCheck/${where}`, "global")];
    if (features.length > 0) lines.push(ctx.line(`optional features: ${features.join(", ")}`, features.length, `route53.healthCheckOption/${where}`, "global"));
    return { lines };
}
