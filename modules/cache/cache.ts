import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface RedisCacheArgs {
    /** Replication group id, `<app>-<environment>` (at most 40 characters). Changing it replaces the cache (its data is lost). */
    replicationGroupId: string;
    /** Redis `major.minor`, pinned. */
    engineVersion: string;
    /** Node type. Cost: billed per node-hour. */
    nodeType: string;
    /** Primary plus replicas. */
    nodes: number;
    /** Automatic failover and Multi-AZ; needs 2 nodes or more. */
    multiAz: boolean;
    snapshotRetentionDays: number;
    /** `hh24:mi-hh24:mi`, UTC. */
    snapshotWindow: string;
    /** `ddd:hh24:mi-ddd:hh24:mi`, UTC. */
    maintenanceWindow: string;
    /** Bump to generate a new AUTH token. */
    authTokenVersion: number;
    /** `ROTATE` keeps the old token valid beside the new one; `SET` retires it. */
    authTokenUpdateStrategy: "ROTATE" | "SET";
    subnetIds: pulumi.Input<string>[];
    securityGroupIds: pulumi.Input<string>[];
    /** Key for data at rest. Changing it replaces the cache. */
    kmsKeyArn: pulumi.Input<string>;
    logsKmsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** Final snapshot, `protect` and retain-on-delete. */
    deletionProtection: boolean;
    provider: aws.Provider;
}

const PORT = 6379;

/**
 * Redis on ElastiCache: a replication group encrypted at rest (KMS) and in transit (TLS
 * required), an AUTH token that rotates without downtime, automatic failover where configured,
 * isolated subnets, daily snapshots, the slow log exported.
 */
export class RedisCache extends pulumi.ComponentResource {
    readonly group: aws.elasticache.ReplicationGroup;
    /** Replication group id (alarms' `ReplicationGroupId` dimension). */
    readonly replicationGroupId: pulumi.Output<string>;
    readonly primaryEndpoint: pulumi.Output<string>;
    /** AUTH token, secret. */
    readonly authToken: pulumi.Output<string>;
    /** `rediss://:token@host:6379/0`, secret (TLS: `rediss`). */
    readonly url: pulumi.Output<string>;

    constructor(name: string, private readonly args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:cache:RedisCache", name, {}, opts);
        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { description: `${args.replicationGroupId}: isolated subnets`, subnetIds: args.subnetIds },
            this.opts(),
        );
        const token = new random.RandomPassword(
            `${name}-auth-token`,
            // ElastiCache takes 16 to 128 printable characters without @ " / or spaces: letters and digits are safe in a URL too.
            { length: 64, special: false, keepers: { version: String(args.authTokenVersion) } },
            { parent: this },
        );
        const slowLog = new aws.cloudwatch.LogGroup(
            `${name}-slow-log`,
            { name: `/aws/elasticache/${args.replicationGroupId}/slow-log`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKmsKeyArn },
            this.opts(),
        );

        this.group = new aws.elasticache.ReplicationGroup(
            name,
            {
                replicationGroupId: args.replicationGroupId,
                description: `${args.replicationGroupId}: REDIS_URL`,
                engine: "redis",
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                numCacheClusters: args.nodes,
                automaticFailoverEnabled: args.multiAz,
                multiAzEnabled: args.multiAz,
                port: PORT,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: args.securityGroupIds,
                atRestEncryptionEnabled: true,
                kmsKeyId: args.kmsKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: token.result,
                authTokenUpdateStrategy: args.authTokenUpdateStrategy,
                autoMinorVersionUpgrade: true,
                maintenanceWindow: args.maintenanceWindow,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                finalSnapshotIdentifier: args.deletionProtection ? `${args.replicationGroupId}-final` : undefined,
                applyImmediately: false,
                logDeliveryConfigurations: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
            },
            this.opts({ protect: args.deletionProtection, retainOnDelete: args.deletionProtection }),
        );

        this.replicationGroupId = this.group.replicationGroupId;
        this.primaryEndpoint = this.group.primaryEndpointAddress;
        this.authToken = pulumi.secret(token.result);
        this.url = pulumi.secret(pulumi.interpolate`rediss://:${token.result}@${this.group.primaryEndpointAddress}:${PORT}/0`);
        this.registerOutputs({ replicationGroupId: this.replicationGroupId, primaryEndpoint: this.primaryEndpoint });
    }

    private opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider, ...extra };
    }
}
