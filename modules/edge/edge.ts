import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../aws/iam";
import { ELB_LOG_ACCOUNTS, NONCURRENT_LOG_DAYS } from "./accessLogs";
import { wafLogging } from "./wafLogs";
import type { TrackName, TrackSpec } from "../workload/tracks";

/** TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** AWS managed rule groups in the web ACL, in priority order. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/** The zone the records go in: created by the stack, or one that already exists. */
export interface ZoneArgs {
    /** The zone's domain. */
    name: string;
    /** Use this existing hosted zone instead of creating one. */
    existingZoneId?: pulumi.Input<string>;
}

export interface EdgeArgs {
    /** Public host name (`api.example.com`): certificate, listener and DNS record. */
    hostname: string;
    zone: ZoneArgs;
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string>[];
    securityGroupId: pulumi.Input<string>;
    /** The port pods listen on: the target groups' port (ip targets). */
    targetPort: number;
    /** One target group per track, with the listener's weights. */
    tracks: Array<Pick<TrackSpec, "track" | "weight">>;
    /** Refuse to delete the load balancer (production). Turning it off is its own reviewed change. */
    deletionProtection: boolean;
    /** Pulumi `protect` and retain-on-delete on the access-log bucket (the settings' stateful-data intent; on in production). */
    protectLogs: boolean;
    /** Requests per 5 minutes from one IP before the WAF blocks it. */
    wafRateLimit: number;
    /** Days access logs and WAF logs are kept. */
    logRetentionDays: number;
    /** The `logs` customer-managed key (modules/keys): encrypts the WAF log group. */
    logsKeyArn: pulumi.Input<string>;
    region: string;
    provider: aws.Provider;
    /**
     * Physical names (the standby's, which a DR rebuild finds by name): the ALB and each track's
     * target group. @default autonamed
     */
    names?: { loadBalancer?: string; targetGroups?: Partial<Record<TrackName, string>> };
    /**
     * Further host names on the certificate, each with a lane of its own: a target group of that
     * name and a listener rule sending the host there (the standby's drill lane, `dr-drill.<zone>`).
     * @default none
     */
    lanes?: Array<{ hostname: string; targetGroupName: string }>;
    /**
     * The DNS record of `hostname`: `simple`, an alias to this ALB; `none` when another component
     * owns it (production's failover records, modules/dr; a standby, reached through them).
     * @default simple
     */
    record?: "simple" | "none";
}

/**
 * The public edge: DNS zone, an ACM certificate validated (and renewed, runbook 4.2) through DNS
 * records the program owns, the ALB with HTTPS only (HTTP redirects), access logs, a WAF web ACL,
 * one target group per track with `/health` checks, and the DNS alias.
 */
export class Edge extends pulumi.ComponentResource {
    readonly zoneId: pulumi.Output<string>;
    /** Name servers of a created zone, for the parent zone's delegation; empty for an existing zone. */
    readonly nameServers: pulumi.Output<string[]>;
    readonly certificateArn: pulumi.Output<string>;
    readonly loadBalancerArn: pulumi.Output<string>;
    readonly loadBalancerDnsName: pulumi.Output<string>;
    readonly httpsListenerArn: pulumi.Output<string>;
    /** The target group of each track. */
    readonly targetGroupArns: Partial<Record<TrackName, pulumi.Output<string>>>;
    /** The ALB's hosted zone (alias records), its ARN suffix (CloudWatch dimension). */
    readonly loadBalancerZoneId: pulumi.Output<string>;
    /** The target group of each extra lane, by target group name. */
    readonly laneTargetGroupArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, private readonly args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:edge:Edge", name, {}, opts);
        const zone = this.zone(name);
        this.zoneId = zone.zoneId;
        this.nameServers = zone.nameServers;
        const certificate = this.certificate(name);
        this.certificateArn = certificate.certificateArn;
        const logs = this.accessLogBucket(name);
        const alb = this.loadBalancer(name, logs);
        this.loadBalancerArn = alb.arn;
        this.loadBalancerDnsName = alb.dnsName;
        this.loadBalancerZoneId = alb.zoneId;
        const groups = this.targetGroups(name);
        this.targetGroupArns = Object.fromEntries(groups.map(([track, tg]) => [track, tg.arn]));
        const listener = this.listeners(name, alb, certificate.certificateArn, groups);
        this.httpsListenerArn = listener.arn;
        this.laneTargetGroupArns = this.lanes(name, listener);
        this.firewall(name, alb);
        this.record(name, alb);
        this.registerOutputs({ loadBalancerDnsName: this.loadBalancerDnsName });
    }

    private opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider, ...extra };
    }

    /** The host's record (IPv4 only: a dual-stack ALB needs IPv6 subnets, which the VPC does not have). */
    private record(name: string, alb: aws.lb.LoadBalancer): void {
        if ((this.args.record ?? "simple") === "none") return;
        new aws.route53.Record(
            `${name}-a`,
            { zoneId: this.zoneId, name: this.args.hostname, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
            this.opts(),
        );
    }

    /** One target group per extra lane, and a listener rule sending its host there. */
    private lanes(name: string, listener: aws.lb.Listener): Record<string, pulumi.Output<string>> {
        return Object.fromEntries(
            (this.args.lanes ?? []).map((lane, i) => {
                const tg = new aws.lb.TargetGroup(`${name}-lane-${i + 1}`, { name: lane.targetGroupName, ...this.targetGroupArgs(), tags: { lane: lane.hostname } }, this.opts());
                new aws.lb.ListenerRule(
                    `${name}-lane-${i + 1}`,
                    { listenerArn: listener.arn, priority: 10 + i, conditions: [{ hostHeader: { values: [lane.hostname] } }], actions: [{ type: "forward", targetGroupArn: tg.arn }] },
                    this.opts(),
                );
                return [lane.targetGroupName, tg.arn];
            }),
        );
    }

    private zone(name: string): { zoneId: pulumi.Output<string>; nameServers: pulumi.Output<string[]> } {
        const existing = this.args.zone.existingZoneId;
        if (existing) return { zoneId: pulumi.output(existing), nameServers: pulumi.output([]) };
        const zone = new aws.route53.Zone(`${name}-zone`, { name: this.args.zone.name, comment: `Public zone of ${this.args.hostname}`, forceDestroy: false }, this.opts());
        return { zoneId: zone.zoneId, nameServers: zone.nameServers };
    }

    /**
     * DNS validation through a record the program owns: ACM renews the certificate by itself for
     * as long as the record stays, with nothing to do by hand (runbook 4.2).
     */
    private certificate(name: string): aws.acm.CertificateValidation {
        const cert = new aws.acm.Certificate(
            `${name}-cert`,
            {
                domainName: this.args.hostname,
                ...(this.args.lanes?.length ? { subjectAlternativeNames: this.args.lanes.map((l) => l.hostname) } : {}),
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
            },
            this.opts(),
        );
        // One validation record per domain (the host, then each lane's), in the certificate's order.
        const domains = [this.args.hostname, ...(this.args.lanes ?? []).map((l) => l.hostname)];
        const records = domains.map((domain, i) => {
            const dvo = cert.domainValidationOptions.apply((o) => o.find((d) => d.domainName === domain) ?? o[i]!);
            return new aws.route53.Record(
                i === 0 ? `${name}-cert-validation` : `${name}-cert-validation-${i + 1}`,
                { zoneId: this.zoneId, name: dvo.resourceRecordName.apply((n) => n ?? ""), type: dvo.resourceRecordType.apply((t) => t ?? "CNAME"), records: [dvo.resourceRecordValue.apply((v) => v ?? "")], ttl: 300, allowOverwrite: true },
                this.opts(),
            );
        });
        return new aws.acm.CertificateValidation(`${name}-cert`, { certificateArn: cert.arn, validationRecordFqdns: records.map((r) => r.fqdn) }, this.opts());
    }

    /**
     * Access logs: SSE-S3 (the only encryption ALB log delivery supports), private, expiring, and
     * versioned, so a log deleted or overwritten (by mistake, or to hide a trace) stays recoverable
     * NONCURRENT_LOG_DAYS.
     */
    private accessLogBucket(name: string): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
        const protect = this.args.protectLogs;
        const bucket = new aws.s3.Bucket(`${name}-alb-logs`, { forceDestroy: false }, this.opts({ protect, retainOnDelete: protect }));
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-alb-logs`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            this.opts(),
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-alb-logs`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            this.opts(),
        );
        new aws.s3.BucketOwnershipControls(`${name}-alb-logs`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, this.opts());
        const versioning = new aws.s3.BucketVersioning(`${name}-alb-logs`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, this.opts());
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-alb-logs`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: this.args.logRetentionDays },
                        // An expired or deleted log becomes a noncurrent version: kept a while, then gone.
                        noncurrentVersionExpiration: { noncurrentDays: Math.min(NONCURRENT_LOG_DAYS, this.args.logRetentionDays) },
                    },
                    // Expiring a log leaves a delete marker; once its versions are gone, so is it.
                    { id: "delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
                ],
            },
            // S3 applies noncurrent rules only to a versioned bucket.
            this.opts({ dependsOn: [versioning] }),
        );
        const account = aws.getCallerIdentityOutput({}, { parent: this, provider: this.args.provider }).accountId;
        const elbAccount = ELB_LOG_ACCOUNTS[this.args.region];
        const objects = pulumi.interpolate`${bucket.arn}/alb/AWSLogs/${account}/*`;
        const policy = new aws.s3.BucketPolicy(
            `${name}-alb-logs`,
            {
                bucket: bucket.id,
                policy: policyJson([
                    { Sid: "LogDelivery", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: objects },
                    ...(elbAccount
                        ? [{ Sid: "LegacyRegionLogDelivery", Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${elbAccount}:root` }, Action: "s3:PutObject", Resource: objects }]
                        : []),
                    {
                        Sid: "TlsOnly",
                        Effect: "Deny",
                        Principal: { AWS: "*" },
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ]),
            },
            this.opts(),
        );
        return { bucket, policy };
    }

    private loadBalancer(name: string, logs: { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy }): aws.lb.LoadBalancer {
        return new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                ...(this.args.names?.loadBalancer ? { name: this.args.names.loadBalancer } : {}),
                loadBalancerType: "application",
                internal: false,
                ipAddressType: "ipv4",
                subnets: this.args.publicSubnetIds,
                securityGroups: [this.args.securityGroupId],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "strictest",
                enableDeletionProtection: this.args.deletionProtection,
                accessLogs: { bucket: logs.bucket.bucket, prefix: "alb", enabled: true },
            },
            // ALB checks it can write to the bucket when access logs are turned on.
            this.opts({ dependsOn: [logs.policy] }),
        );
    }

    /** Pods (ip targets) join these through `TargetGroupBinding`. */
    private targetGroups(name: string): Array<[TrackName, aws.lb.TargetGroup]> {
        return this.args.tracks.map(({ track }) => [
            track,
            new aws.lb.TargetGroup(
                `${name}-${track}`,
                { ...(this.args.names?.targetGroups?.[track] ? { name: this.args.names.targetGroups[track] } : {}), ...this.targetGroupArgs(), tags: { track } },
                this.opts(),
            ),
        ]);
    }

    /** What every target group shares: ip targets on the app's port, `/health` checks. */
    private targetGroupArgs(): Omit<aws.lb.TargetGroupArgs, "name" | "tags"> {
        return {
            vpcId: this.args.vpcId,
            targetType: "ip",
            port: this.args.targetPort,
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            deregistrationDelay: 30,
            healthCheck: { path: "/health", protocol: "HTTP", port: "traffic-port", matcher: "200", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
        };
    }

    private listeners(name: string, alb: aws.lb.LoadBalancer, certificateArn: pulumi.Input<string>, groups: Array<[TrackName, aws.lb.TargetGroup]>): aws.lb.Listener {
        new aws.lb.Listener(
            `${name}-http`,
            { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] },
            this.opts(),
        );
        const weights = new Map(this.args.tracks.map((t) => [t.track, t.weight]));
        return new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: TLS_POLICY,
                certificateArn,
                defaultActions: [
                    {
                        type: "forward",
                        forward: {
                            targetGroups: groups.map(([track, tg]) => ({ arn: tg.arn, weight: weights.get(track) ?? 0 })),
                            stickiness: { enabled: false, duration: 1 },
                        },
                    },
                ],
            },
            this.opts(),
        );
    }

    private firewall(name: string, alb: aws.lb.LoadBalancer): void {
        const visibility = (metricName: string): aws.types.input.wafv2.WebAclRuleVisibilityConfig => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
        const acl = new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
                scope: "REGIONAL",
                description: `Web ACL of ${this.args.hostname}`,
                defaultAction: { allow: {} },
                rules: [
                    {
                        name: "rate-limit",
                        priority: 0,
                        action: { block: {} },
                        statement: { rateBasedStatement: { limit: this.args.wafRateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                        visibilityConfig: visibility("rate-limit"),
                    },
                    ...MANAGED_RULE_GROUPS.map((group, i) => ({
                        name: group,
                        priority: i + 1,
                        overrideAction: { none: {} },
                        statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
                        visibilityConfig: visibility(group),
                    })),
                ],
                visibilityConfig: visibility(`${name}-waf`),
            },
            this.opts(),
        );
        new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: alb.arn, webAclArn: acl.arn }, this.opts());
        const account = aws.getCallerIdentityOutput({}, { parent: this, provider: this.args.provider }).accountId;
        wafLogging(name, { webAclArn: acl.arn, retentionDays: this.args.logRetentionDays, logsKeyArn: this.args.logsKeyArn, region: this.args.region, accountId: account, opts: this.opts() });
    }
}
