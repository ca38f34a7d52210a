import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import { FailoverDns, ImageReplication } from "../modules/dr/failover";
import { ImageCache } from "../modules/dr/imageCache";
import { mirrorManifest, mirrorPrefix } from "../modules/dr/mirror";
import { MirrorRegistry } from "../modules/dr/mirrorRegistry";
import { drillHostname, standbyNames } from "../modules/dr/names";
import { Standby } from "../modules/dr/standby";
import { ENVIRONMENT_BLOCKS } from "../modules/network/cidr";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";

/**
 * The standby footprint of a primary stack (`dr.standby`, production; docs/dr-standby.md),
 * composed after the primary's edge and database: the standby in the DR region, production's
 * failover DNS over both ALBs, and ECR replication of the app's repository to the DR region.
 */
export interface StandbyDeps {
    providers: AwsProviders;
    /** The primary's zone and ALB (its simple record is `<regional>-a` under `edge`). */
    edge: { component: pulumi.Resource; zoneId: pulumi.Output<string>; loadBalancerDnsName: pulumi.Output<string>; loadBalancerZoneId: pulumi.Output<string> };
    database: { arn: pulumi.Input<string>; monitoringRoleArn: pulumi.Input<string> };
    drDataKeyArn: pulumi.Input<string>;
    /** The DR region's alert topics. */
    drTopicArns: { high: pulumi.Input<string> };
}

/** The DR block of the CIDR plan for an environment (docs/network.md): `<environment>-dr`. */
export function drBlockOf(environment: string): string {
    const block = ENVIRONMENT_BLOCKS.find((b) => b.name === `${environment}-dr`);
    if (!block) throw new Error(`The CIDR plan (modules/network/cidr.ts) has no ${environment}-dr block for the standby's VPC.`);
    return block.cidr;
}

export function composeStandby(settings: Settings, names: StackNames, deps: StandbyDeps): Record<string, pulumi.Input<unknown>> {
    const dr = deps.providers.dr;
    if (!dr) throw new Error("dr.standby needs the DR region's provider: the stack must not be a DR rebuild");
    const n = standbyNames(settings.appName, settings.environment);
    const standby = new Standby(n.prefix, {
        names: n,
        region: settings.drRegion,
        hostname: settings.hostname,
        drillHostname: drillHostname(settings.edge.zone.name),
        zoneId: deps.edge.zoneId,
        cidr: drBlockOf(settings.environment),
        azCount: settings.network.azCount,
        natGateways: settings.network.natGateways,
        appPort: settings.app.port,
        logRetentionDays: settings.logging.retentionDays,
        deletionProtection: settings.edge.deletionProtection,
        protect: settings.protectStatefulResources,
        wafRateLimit: settings.edge.wafRateLimit,
        keyDeletionWindowDays: settings.secrets.keyDeletionWindowDays,
        drDataKeyArn: deps.drDataKeyArn,
        database: {
            arn: deps.database.arn,
            instanceClass: settings.database.instanceClass,
            multiAz: settings.database.multiAz,
            backupRetentionDays: settings.database.backupRetentionDays,
            monitoringIntervalSeconds: settings.database.monitoringIntervalSeconds,
            monitoringRoleArn: deps.database.monitoringRoleArn,
        },
        runbookBaseUrl: settings.alerts.runbookBaseUrl,
        certificateExpiryDays: settings.alerts.thresholds.certificateExpiryDays,
        alarmTopicArns: deps.drTopicArns,
        provider: dr,
    });
    const failover = new FailoverDns(`${names.regional}-dns`, {
        hostname: settings.hostname,
        zoneId: deps.edge.zoneId,
        primary: { dnsName: deps.edge.loadBalancerDnsName, zoneId: deps.edge.loadBalancerZoneId },
        secondary: { dnsName: standby.edge.loadBalancerDnsName, zoneId: standby.edge.loadBalancerZoneId },
        switchAlarm: { name: standby.switchAlarm.name, region: settings.drRegion },
        searchString: settings.alerts.healthCheckSearchString,
        replaces: { name: `${names.regional}-a`, parent: deps.edge.component },
        provider: deps.providers.primary,
    });
    // The registry's replication (one configuration per registry and region): the app's repository
    // into the DR region, where a rebuild pulls it (modules/registry/imageSource.ts).
    const accountId = aws.getCallerIdentityOutput({}, { provider: deps.providers.primary }).accountId;
    new ImageReplication(`${names.regional}-ecr-replication`, { accountId, drRegion: settings.drRegion, repositoryPrefix: names.registryRepository, provider: deps.providers.primary });
    // The controllers' public images, cached in the DR region's ECR for a rebuild (modules/dr/names.ts PULL_THROUGH_CACHES).
    new ImageCache(`${n.prefix}-image-cache`, { provider: dr });
    // What no cache serves (the controllers' charts, the ghcr.io images): copies in the DR region's
    // ECR, filled by scripts/dr_mirror.sh from the `drMirror` output (modules/dr/mirror.ts).
    const prefix = mirrorPrefix(settings.appName, settings.environment);
    new MirrorRegistry(`${n.prefix}-mirror`, { prefix, keepVersions: settings.registry.keepImages, protect: settings.protectStatefulResources, keyDeletionWindowDays: settings.secrets.keyDeletionWindowDays, provider: dr });
    const drMirror = mirrorManifest({
        appName: settings.appName,
        environment: settings.environment,
        region: settings.drRegion,
        versions: settings.controllers,
        cachedImages: [settings.tracing.collectorImage, settings.flags.agentImage],
    });
    return {
        drMirror,
        standbyLoadBalancerDnsName: standby.edge.loadBalancerDnsName,
        standbyReplica: standby.replica.identifier,
        failoverHealthCheckId: failover.healthCheckId,
    };
}
