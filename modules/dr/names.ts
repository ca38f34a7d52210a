/**
 * The physical names of the standby footprint: made by the primary stack in its DR region while it
 * is healthy, and found by these very names (tags, load balancer and target group names, the
 * replica's identifier) by the DR rebuild, which must not reach the failed region to ask. Pure,
 * so the primary and the rebuild cannot disagree on them, and tested alone.
 */

/** The metric the failover switch publishes (`scripts/dr_switch.sh`, CloudWatch PutMetricData). */
export const FAILOVER_METRIC = { namespace: "Ops/DR", name: "FailoverEngaged" } as const;

/** Seconds of replica lag past which the RPO (15 minutes, runbook 3.9) is at risk. */
export const REPLICA_LAG_LIMIT_SECONDS = 900;

/** The standby's names for an app and the environment it stands by for (`production`). */
export interface StandbyNames {
    /** `<app>-<environment>-dr`: the Pulumi prefix of the standby's resources and its regional names. */
    prefix: string;
    /** The DR VPC's `Name` tag (and its subnets' `<prefix>-<tier>-<n>`, its groups' `<prefix>-<tier>`). */
    vpc: string;
    /** The standby ALB (at most 32 characters: ELB's limit). */
    loadBalancer: string;
    /** Target groups: `app` the real lane, `drill` the drill's lane (host `dr-drill.<zone>`). */
    targetGroups: { app: string; drill: string };
    /** The standing cross-region read replica, `<app>-<environment>-dr`: promoted in a real rebuild. */
    replicaIdentifier: string;
    /** Its DB subnet group in the DR VPC's isolated subnets. */
    replicaSubnetGroup: string;
    /** The failover switch alarm (in the DR region) the primary's calculated health check reads. */
    switchAlarm: string;
    /** The DR data key's alias (modules/keys `Keys`, `dr.data`): the replica, the replicated backups and what is restored from them. */
    drDataKeyAlias: string;
}

/** The standby's names (see `StandbyNames`). */
export function standbyNames(appName: string, environment: string): StandbyNames {
    const prefix = `${appName}-${environment}-dr`;
    if (prefix.length > 32 - "-app".length) {
        throw new Error(`The standby's prefix ${prefix} is longer than ${32 - "-app".length} characters: its target group names would pass ELB's 32.`);
    }
    return {
        prefix,
        vpc: prefix,
        loadBalancer: prefix,
        targetGroups: { app: `${prefix}-app`, drill: `${appName}-${environment}-drill` },
        replicaIdentifier: prefix,
        replicaSubnetGroup: `${prefix}-replica`,
        switchAlarm: `${prefix}-failover`,
        drDataKeyAlias: `alias/${appName}/${environment}/data-dr`,
    };
}

/** The drill lane's host on the standby ALB: `dr-drill.<zone>`. */
export function drillHostname(zone: string): string {
    return `dr-drill.${zone}`;
}

/**
 * The ECR pull-through cache rules the standby keeps in the DR region, so that a rebuild pulls the
 * controllers' images from its own region's ECR rather than from public registries (ECR Public's
 * control plane is in us-east-1). Only upstreams ECR caches without a Secrets Manager credential:
 * Amazon ECR Public, the Kubernetes registry and Quay (ECR user guide, "Using pull through cache
 * rules"). The prefix is the first path segment of the cached repository:
 * `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<upstream path>`.
 */
export const PULL_THROUGH_CACHES = [
    { prefix: "ecr-public", upstream: "public.ecr.aws" },
    { prefix: "k8s", upstream: "registry.k8s.io" },
    { prefix: "quay", upstream: "quay.io" },
] as const;

/**
 * What a first pull through a pull-through cache rule takes beyond an ordinary pull: importing the
 * upstream image, and creating the cached repository when it does not exist yet (ECR user guide,
 * "IAM permissions required to sync an upstream registry"). The rebuild's nodes and the mirror's
 * pre-warm both need them, on the caches' repositories only.
 */
export const CACHE_FILL_ACTIONS = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"] as const;

/**
 * An upstream image repository (`public.ecr.aws/eks/aws-load-balancer-controller`) as the DR
 * region's pull-through cache serves it (`<registryHost>/ecr-public/eks/aws-load-balancer-controller`).
 * Throws for an upstream no rule of `PULL_THROUGH_CACHES` caches.
 */
export function cachedImage(registryHost: string, upstreamRepository: string): string {
    const slash = upstreamRepository.indexOf("/");
    const host = slash > 0 ? upstreamRepository.slice(0, slash) : "";
    const rule = PULL_THROUGH_CACHES.find((c) => c.upstream === host);
    if (!rule || slash === upstreamRepository.length - 1) {
        throw new Error(`No pull-through cache rule caches ${upstreamRepository}: the DR region caches ${PULL_THROUGH_CACHES.map((c) => c.upstream).join(", ")} (modules/dr/names.ts PULL_THROUGH_CACHES).`);
    }
    return `${registryHost}/${rule.prefix}${upstreamRepository.slice(slash)}`;
}
