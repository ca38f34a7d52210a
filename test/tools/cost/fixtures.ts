import type { AssumptionFile } from "../../../tools/cost/assumptions";
import { estimateCost, EstimateOptions } from "../../../tools/cost/estimate";
import type { CostEstimate } from "../../../tools/cost/model";
import { PriceTable, Prices } from "../../../tools/cost/priceTable";
import type { Plan, PlannedResource } from "../../../tools/plan/record";

/**
 * Small plans and a price table of round figures, so each pricer's expectation can be worked out
 * by hand in the test that states it.
 */

const STACK_URN = "urn:pulumi:fixture::ops::pulumi:pulumi:Stack::ops-fixture";
const PROVIDER_URN = "urn:pulumi:fixture::ops::pulumi:providers:aws::east";
const WEST_URN = "urn:pulumi:fixture::ops::pulumi:providers:aws::west";

/** A resource of a fixture plan, on the us-east-1 provider unless `provider` says `west`. */
export function res(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> & { west?: boolean } = {}): PlannedResource {
    const { west, ...rest } = extra;
    return {
        urn: `urn:pulumi:fixture::ops::${type}::${name}`,
        type,
        name,
        id: null,
        parent: STACK_URN,
        custom: true,
        provider: west ? WEST_URN : PROVIDER_URN,
        dependsOn: [],
        dependencies: [],
        protect: false,
        retainOnDelete: false,
        options: {},
        inputs,
        ...rest,
    };
}

/** A plan of the given resources on AWS providers tagged with an environment. */
export function fixturePlan(resources: PlannedResource[], environment = "staging", stack = "fixture"): Plan {
    const provider = (urn: string, name: string, region: string): PlannedResource => ({
        ...res("pulumi:providers:aws", name, { region, defaultTags: JSON.stringify({ tags: { environment } }) }),
        urn,
        provider: null,
    });
    return {
        project: "ops",
        stack,
        outputs: {},
        resources: [
            { ...res("pulumi:pulumi:Stack", "ops-fixture", {}), urn: STACK_URN, parent: null, custom: false, provider: null },
            provider(PROVIDER_URN, "east", "us-east-1"),
            provider(WEST_URN, "west", "us-west-2"),
            ...resources,
        ],
    };
}

const price = (key: string, unit: string, usd: number, extra: Record<string, unknown> = {}): PriceTable["prices"][number] => ({
    key,
    unit,
    description: key,
    source: "https://aws.amazon.com/pricing/",
    ...extra,
    regions: {
        "us-east-1": { usd, read: "2026-12-01", status: "official" },
        "us-west-2": { usd: usd * 2, read: "2026-12-01", status: "unconfirmed" },
        ...(key.startsWith("route53.") ? { global: { usd, read: "2026-12-01", status: "official" as const } } : {}),
    },
});

/** Round prices: us-west-2 costs twice us-east-1, so a line priced in the wrong Region shows. */
export const TEST_PRICES = new Prices({
    schema: "ops-prices/v1",
    currency: "USD",
    hoursPerMonth: 730,
    about: "test",
    prices: [
        price("eks.cluster", "hour", 0.1),
        price("eks.cluster.extendedSupport", "hour", 0.6),
        price("ec2.instance/t3.large", "hour", 0.1, { spec: { vcpu: 2, memoryGiB: 8 } }),
        price("ebs.gp3", "GB-month", 0.1),
        price("ebs.gp2", "GB-month", 0.2),
        price("vpc.natGateway", "hour", 0.05),
        price("vpc.natGateway.data", "GB", 0.05),
        price("vpc.publicIpv4", "hour", 0.01),
        price("vpc.interfaceEndpoint", "AZ-hour", 0.01),
        price("vpc.interfaceEndpoint.data", "GB", 0.01),
        price("elb.application", "hour", 0.02),
        price("elb.application.lcu", "LCU-hour", 0.01),
        price("rds.postgres/db.t4g.medium/Single-AZ", "hour", 0.1, { spec: { vcpu: 2, memoryGiB: 4 } }),
        price("rds.postgres/db.t4g.medium/Multi-AZ", "hour", 0.2, { spec: { vcpu: 2, memoryGiB: 4 } }),
        price("rds.storage.gp3/Single-AZ", "GB-month", 0.1),
        price("rds.storage.gp3/Multi-AZ", "GB-month", 0.2),
        price("rds.backupStorage", "GB-month", 0.1),
        price("rds.performanceInsights.retention", "vCPU-month", 2),
        price("rds.performanceInsights.retentionExtraMonth", "vCPU-month", 0.1),
        price("dataTransfer.interRegion", "GB", 0.02),
        price("elasticache.redis/cache.t4g.small", "hour", 0.04),
        price("kms.key", "key-month", 1),
        price("secretsmanager.secret", "secret-month", 0.4),
        price("cloudwatch.alarm.standard", "alarm-metric-month", 0.1),
        price("cloudwatch.alarm.highResolution", "alarm-metric-month", 0.3),
        price("cloudwatch.dashboard", "dashboard-month", 3),
        price("logs.ingestion", "GB", 0.5),
        price("logs.storage", "GB-month", 0.03),
        price("route53.hostedZone", "month", 0.5),
        price("route53.healthCheck/aws", "month", 0.5),
        price("route53.healthCheck/nonAws", "month", 0.75),
        price("route53.healthCheckOption/aws", "month", 1),
        price("route53.healthCheckOption/nonAws", "month", 2),
        price("waf.webAcl", "month", 5),
        price("waf.rule", "rule-month", 1),
        price("waf.requests", "million requests", 0.6),
        price("backup.rdsSnapshot", "GB-month", 0.1),
        price("backup.s3", "GB-month", 0.05),
        price("s3.standard", "GB-month", 0.02),
        price("s3.replicationTimeControl", "GB", 0.015),
        price("lambda.arm64.duration", "GB-second", 0.00001),
        price("lambda.requests", "million requests", 0.2),
        price("scheduler.invocations", "million invocations", 1),
        price("ecr.storage", "GB-month", 0.1),
    ],
});

/** Every assumption key at a round value (the same in every environment). */
export const TEST_ASSUMPTIONS: AssumptionFile = (() => {
    const values: Record<string, number> = {
        "natGateway.dataProcessedGiBPerMonth": 100,
        "alb.averageLcu": 2,
        "alb.requestsMillionsPerMonth": 10,
        "alb.accessLogsGiBPerMonth": 30,
        "interfaceEndpoints.dataProcessedGiBPerMonth": 100,
        "database.usedStorageGiB": 100,
        "database.dailyChangePercent": 10,
        "files.storedGiB": 100,
        "files.writtenGiBPerMonth": 10,
        "registry.imageSizeGiB": 0.5,
        "logs.controlPlaneGiBPerMonth": 10,
        "logs.flowLogsGiBPerMonth": 20,
        "logs.containerApplicationGiBPerMonth": 4,
        "logs.containerOtherGiBPerMonth": 1,
        "logs.databaseGiBPerMonth": 2,
        "logs.lambdaGiBPerMonth": 0.1,
        "logs.otherGiBPerMonth": 0.5,
        "lambda.invocationsPerMonth": 1000,
        "lambda.averageDurationMs": 1000,
        "cloudwatch.freeDashboards": 1,
    };
    const keys = Object.fromEntries(Object.keys(values).map((k) => [k, { unit: "u", description: k }]));
    return { schema: "ops-cost-assumptions/v1", about: "test", keys, environments: { staging: values, production: values, preview: values, development: values } };
})();

/** Estimates a fixture plan with the test prices and assumptions, on a fixed day. */
export function estimate(plan: Plan, opts: EstimateOptions = {}): CostEstimate {
    return estimateCost(plan, { prices: TEST_PRICES, assumptionFile: TEST_ASSUMPTIONS, asOf: "2026-01-15", ...opts });
}

/** The one resource of an estimate with a name. */
export function costOf(e: CostEstimate, name: string): CostEstimate["resources"][number] {
    const found = e.resources.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0]!;
}
