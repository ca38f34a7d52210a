import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Edge } from "../edge/edge";
import { Network, type NatGateways } from "../network/vpc";
import { RegionalKey } from "../keys";
import { runbookUrl } from "../observability/alarms";
import { FAILOVER_METRIC, REPLICA_LAG_LIMIT_SECONDS, type StandbyNames } from "./names";

/**
 * The standby footprint (docs/dr-standby.md): what the primary stack keeps in its DR region, while
 * it is healthy, so that a DR rebuild needs no global control plane and nothing in the failed
 * region: the DR VPC, the standby ALB with its real and drill lanes and its certificate (validated
 * through the zone now, while Route 53's control plane answers), the failover switch alarm, the
 * standing cross-region read replica, and its RPO alarm.
 */
export interface StandbyArgs {
    names: StandbyNames;
    /** The DR region. */
    region: string;
    /** The primary's host name: the standby's certificate and real lane serve it too. */
    hostname: string;
    /** The drill lane's host (`dr-drill.<zone>`): on the certificate, with its own target group. */
    drillHostname: string;
    /** The zone both names are in (validation records). */
    zoneId: pulumi.Input<string>;
    /** The DR block of the CIDR plan (10.40.0.0/16). Changing it replaces the DR VPC and what is in it. */
    cidr: string;
    azCount: number;
    /** Cost: each NAT gateway is billed per hour and per GB. */
    natGateways: NatGateways;
    appPort: number;
    logRetentionDays: number;
    deletionProtection: boolean;
    /** Pulumi `protect` and retain-on-delete on the stateful parts (key, log bucket, replica). */
    protect: boolean;
    wafRateLimit: number;
    keyDeletionWindowDays: number;
    /** The DR data key (modules/keys `Keys` `dr.data`): the replica is encrypted with it, so a promoted instance keeps a DR-region key. */
    drDataKeyArn: pulumi.Input<string>;
    /**
     * The replica's source, and what the replica keeps like it (Multi-AZ, backups, Enhanced
     * Monitoring through the source's role: IAM is global), so a promoted instance is production-grade.
     */
    database: { arn: pulumi.Input<string>; instanceClass: string; multiAz: boolean; backupRetentionDays: number; monitoringIntervalSeconds: number; monitoringRoleArn: pulumi.Input<string> };
    /** The runbooks' base URL: every alarm links its runbook. */
    runbookBaseUrl: string;
    /** Days before expiry the DR certificate alarms (runbook 4.2). */
    certificateExpiryDays: number;
    /** Topics in the DR region the standby's alarms notify (high: the RPO alarm). */
    alarmTopicArns: { high: pulumi.Input<string> };
    /** The DR region's provider. */
    provider: aws.Provider;
}

/** See `StandbyArgs`. */
export class Standby extends pulumi.ComponentResource {
    readonly network: Network;
    readonly edge: Edge;
    readonly replica: aws.rds.Instance;
    readonly switchAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: StandbyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:dr:Standby", name, {}, opts);
        const n = args.names;
        const o = { parent: this, provider: args.provider };
        // A logs key of the DR region: the DR VPC's flow logs and the standby ALB's WAF logs.
        const logsKey = new RegionalKey(`${n.prefix}-logs`, {
            purpose: "logs",
            region: args.region,
            aliasPrefix: n.prefix.replace(/-dr$/, "/dr"),
            deletionWindowDays: args.keyDeletionWindowDays,
            protect: args.protect,
            provider: args.provider,
        }, { parent: this });
        // Named as the rebuild finds it: the VPC's Name tag is the Network component's name.
        this.network = new Network(n.vpc, {
            cidr: args.cidr,
            azCount: args.azCount,
            natGateways: args.natGateways,
            region: args.region,
            appPort: args.appPort,
            logRetentionDays: args.logRetentionDays,
            logsKeyArn: logsKey.arn,
            provider: args.provider,
        }, { parent: this });
        this.edge = new Edge(n.prefix, {
            hostname: args.hostname,
            zone: { name: "", existingZoneId: args.zoneId },
            vpcId: this.network.vpcId,
            publicSubnetIds: this.network.publicSubnetIds,
            securityGroupId: this.network.securityGroupIds.alb,
            targetPort: args.appPort,
            tracks: [{ track: "stable", weight: 100 }],
            deletionProtection: args.deletionProtection,
            protectLogs: args.protect,
            wafRateLimit: args.wafRateLimit,
            logRetentionDays: args.logRetentionDays,
            logsKeyArn: logsKey.arn,
            region: args.region,
            provider: args.provider,
            names: { loadBalancer: n.loadBalancer, targetGroups: { stable: n.targetGroups.app } },
            lanes: [{ hostname: args.drillHostname, targetGroupName: n.targetGroups.drill }],
            // Reached through the primary's failover records (modules/dr/failover.ts).
            record: "none",
        }, { parent: this });
        this.switchAlarm = new aws.cloudwatch.MetricAlarm(`${n.prefix}-failover`, switchAlarmArgs(n.switchAlarm, args.alarmTopicArns.high, args.runbookBaseUrl), o);
        this.replica = this.createReplica(name, args);
        new aws.cloudwatch.MetricAlarm(`${n.prefix}-replica-lag`, replicaLagAlarmArgs(n, args.alarmTopicArns.high, args.runbookBaseUrl), { ...o, dependsOn: [this.replica] });
        new aws.cloudwatch.MetricAlarm(
            `${n.prefix}-certificate-expiry`,
            {
                name: `${n.prefix}-certificate-expiry`,
                alarmDescription: `The standby's DR certificate expires in under ${args.certificateExpiryDays} days: ACM renews it through the zone's validation records (runbook 4.2). Severity: high. Runbook: ${runbookUrl(args.runbookBaseUrl, "certificate-expiring")}`,
                namespace: "AWS/CertificateManager",
                metricName: "DaysToExpiry",
                dimensions: { CertificateArn: this.edge.certificateArn },
                statistic: "Minimum",
                period: 86400,
                evaluationPeriods: 1,
                threshold: args.certificateExpiryDays,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [args.alarmTopicArns.high],
                okActions: [args.alarmTopicArns.high],
                tags: { severity: "high" },
            },
            o,
        );
        this.registerOutputs({ loadBalancerDnsName: this.edge.loadBalancerDnsName, replicaArn: this.replica.arn });
    }

    /**
     * The standing cross-region read replica, in the DR VPC's isolated subnets, encrypted with the
     * DR data key (a cross-region replica needs a key of its own region). No user or password: a
     * replica has its source's. Automated backups on, so a promoted instance has them from the start.
     */
    private createReplica(name: string, args: StandbyArgs): aws.rds.Instance {
        const n = args.names;
        const o = { parent: this, provider: args.provider };
        const subnets = new aws.rds.SubnetGroup(`${n.prefix}-replica`, { name: n.replicaSubnetGroup, description: `${n.replicaIdentifier}: the DR VPC's isolated subnets`, subnetIds: this.network.isolatedSubnetIds }, o);
        return new aws.rds.Instance(
            `${n.prefix}-replica`,
            {
                identifier: n.replicaIdentifier,
                replicateSourceDb: args.database.arn,
                instanceClass: args.database.instanceClass,
                storageType: "gp3",
                storageEncrypted: true,
                kmsKeyId: args.drDataKeyArn,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [this.network.securityGroupIds.database],
                publiclyAccessible: false,
                multiAz: args.database.multiAz,
                backupRetentionPeriod: args.database.backupRetentionDays,
                deleteAutomatedBackups: false,
                iamDatabaseAuthenticationEnabled: true,
                monitoringInterval: args.database.monitoringIntervalSeconds,
                monitoringRoleArn: args.database.monitoringRoleArn,
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                deletionProtection: args.deletionProtection,
                // RDS refuses a final snapshot when it deletes a read replica (DeleteDBInstance:
                // FinalDBSnapshotIdentifier "can't be specified when deleting a read replica"); its data
                // is the source's, whose own backups and final snapshot keep it. Deletion protection and
                // `protect` guard it instead.
                skipFinalSnapshot: true,
                applyImmediately: false,
                tags: { Name: n.replicaIdentifier },
            },
            // Promoted, it leaves replication: the source is then ignored, never replaced.
            { ...o, protect: args.protect, retainOnDelete: args.protect, ignoreChanges: ["replicateSourceDb"] },
        );
    }
}

/**
 * The failover switch: in ALARM while `FailoverEngaged` (Ops/DR) is 1. `scripts/dr_switch.sh`
 * publishes 1 to engage and 0 to release; between the two no data comes, and the alarm keeps
 * no state of its own then (`missing`): the health check that reads it keeps its last status, so
 * the switch never releases by itself (no silent failback).
 */
export function switchAlarmArgs(alarmName: string, topicArn: pulumi.Input<string>, runbookBaseUrl: string): aws.cloudwatch.MetricAlarmArgs {
    return {
        name: alarmName,
        alarmDescription: `DR failover switch: in ALARM, production's PRIMARY record is unhealthy and DNS answers with the standby (scripts/dr_switch.sh engage|release). Severity: high. Runbook: ${runbookUrl(runbookBaseUrl, "dr-failover")}`,
        namespace: FAILOVER_METRIC.namespace,
        metricName: FAILOVER_METRIC.name,
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "missing",
        // The on-call hears of an engage and a release alike.
        alarmActions: [topicArn],
        okActions: [topicArn],
        tags: { severity: "high" },
    };
}

/** The RPO alarm of the replica: `ReplicaLag` over 15 minutes (runbook 3.9's RPO) for 5 minutes. */
export function replicaLagAlarmArgs(n: Pick<StandbyNames, "prefix" | "replicaIdentifier">, topicArn: pulumi.Input<string>, runbookBaseUrl: string): aws.cloudwatch.MetricAlarmArgs {
    return {
        name: `${n.prefix}-replica-lag`,
        alarmDescription: `RPO at risk: the DR replica ${n.replicaIdentifier} is more than ${REPLICA_LAG_LIMIT_SECONDS} s behind production (runbook 3.9). Severity: high. Runbook: ${runbookUrl(runbookBaseUrl, "dr-replica-lag")}`,
        namespace: "AWS/RDS",
        metricName: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: n.replicaIdentifier },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        threshold: REPLICA_LAG_LIMIT_SECONDS,
        comparisonOperator: "GreaterThanThreshold",
        // No data: replication stopped or the replica is gone; either way the RPO is not kept.
        treatMissingData: "breaching",
        alarmActions: [topicArn],
        okActions: [topicArn],
        tags: { severity: "high" },
    };
}

/**
 * The standby's alert routing in the DR region (its replica-lag alarm's topics), grouped under a
 * component of its own: the DR region's topics take the primary's names there (topic names are
 * regional), and read as the standby's in every plan.
 */
export class StandbyAlerting extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("ops:dr:StandbyAlerting", name, {}, opts);
        this.registerOutputs({});
    }
}
