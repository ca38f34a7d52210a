import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_PATH } from "../observability/healthCheck";

/**
 * Production's DNS as failover records (docs/dr-standby.md): PRIMARY to production's ALB under a
 * calculated health check (the primary healthy AND the failover switch not in ALARM), SECONDARY
 * to the standby's ALB. The cutover is then a data-plane event (health checkers and a metric in
 * the DR region), never a Route 53 API call during the outage.
 */
export interface FailoverDnsArgs {
    hostname: string;
    zoneId: pulumi.Input<string>;
    primary: { dnsName: pulumi.Input<string>; zoneId: pulumi.Input<string> };
    secondary: { dnsName: pulumi.Input<string>; zoneId: pulumi.Input<string> };
    /** The switch alarm and its region (modules/dr/standby.ts). */
    switchAlarm: { name: pulumi.Input<string>; region: string };
    /** The body text of a healthy `/health` (runbook 3.7). */
    searchString: string;
    /**
     * The Pulumi identity of the simple record this replaces (modules/edge `Edge`'s `<name>-a`):
     * the PRIMARY record takes it over as an alias, so Pulumi updates it rather than create a
     * second record of the same name beside it.
     */
    replaces: pulumi.Alias;
    provider: aws.Provider;
}

/** The health checks' inputs. Pure, for tests. */
export function failoverHealthChecks(args: Pick<FailoverDnsArgs, "searchString" | "switchAlarm"> & { primaryDnsName: pulumi.Input<string> }, prefix: string) {
    const primary: aws.route53.HealthCheckArgs = {
        // The primary ALB itself, not the host name: the name answers with whichever side is live.
        type: "HTTPS_STR_MATCH",
        fqdn: args.primaryDnsName,
        port: 443,
        enableSni: true,
        resourcePath: HEALTH_PATH,
        searchString: args.searchString,
        requestInterval: 10,
        failureThreshold: 3,
        tags: { Name: `${prefix}-primary` },
    };
    const switchOff: aws.route53.HealthCheckArgs = {
        type: "CLOUDWATCH_METRIC",
        cloudwatchAlarmName: args.switchAlarm.name,
        cloudwatchAlarmRegion: args.switchAlarm.region,
        // Between an engage and a release no data comes: keep the last status (no silent failback).
        insufficientDataHealthStatus: "LastKnownStatus",
        tags: { Name: `${prefix}-switch` },
    };
    return { primary, switchOff };
}

/** See `FailoverDnsArgs`. */
export class FailoverDns extends pulumi.ComponentResource {
    readonly healthCheckId: pulumi.Output<string>;

    constructor(name: string, args: FailoverDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:dr:FailoverDns", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const checks = failoverHealthChecks({ ...args, primaryDnsName: args.primary.dnsName }, name);
        const primary = new aws.route53.HealthCheck(`${name}-primary`, checks.primary, o);
        const switchOff = new aws.route53.HealthCheck(`${name}-switch`, checks.switchOff, o);
        const calculated = new aws.route53.HealthCheck(
            `${name}-calculated`,
            { type: "CALCULATED", childHealthchecks: [primary.id, switchOff.id], childHealthThreshold: 2, tags: { Name: `${name}-calculated` } },
            o,
        );
        this.healthCheckId = calculated.id;
        new aws.route53.Record(
            `${name}-primary`,
            {
                zoneId: args.zoneId,
                name: args.hostname,
                type: "A",
                setIdentifier: "primary",
                failoverRoutingPolicies: [{ type: "PRIMARY" }],
                healthCheckId: calculated.id,
                aliases: [{ name: args.primary.dnsName, zoneId: args.primary.zoneId, evaluateTargetHealth: true }],
            },
            { ...o, aliases: [args.replaces] },
        );
        new aws.route53.Record(
            `${name}-secondary`,
            {
                zoneId: args.zoneId,
                name: args.hostname,
                type: "A",
                setIdentifier: "secondary",
                failoverRoutingPolicies: [{ type: "SECONDARY" }],
                aliases: [{ name: args.secondary.dnsName, zoneId: args.secondary.zoneId, evaluateTargetHealth: true }],
            },
            o,
        );
        this.registerOutputs({ healthCheckId: this.healthCheckId });
    }
}

/**
 * ECR replication of the app's repositories into the DR region (one configuration per registry
 * and region), where a DR rebuild pulls its image without reaching the primary region.
 */
export class ImageReplication extends pulumi.ComponentResource {
    constructor(name: string, args: { accountId: pulumi.Input<string>; drRegion: string; repositoryPrefix: string; provider: aws.Provider }, opts?: pulumi.ComponentResourceOptions) {
        super("ops:dr:ImageReplication", name, {}, opts);
        new aws.ecr.ReplicationConfiguration(
            name,
            {
                replicationConfiguration: {
                    rules: [{ destinations: [{ region: args.drRegion, registryId: args.accountId }], repositoryFilters: [{ filter: args.repositoryPrefix, filterType: "PREFIX_MATCH" }] }],
                },
            },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({});
    }
}
