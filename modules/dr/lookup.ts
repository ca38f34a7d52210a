import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StandbyNames } from "./names";

/**
 * What a DR rebuild finds of the standby footprint, by name, through regional data-plane reads of
 * its own region (EC2, ELB, ACM, RDS and KMS Describe calls): nothing here creates a resource, and
 * nothing reaches the failed region or a global control plane.
 */

/** The network tiers of the DR VPC (modules/network `Network` names them `<prefix>-<tier>`). */
export const SECURITY_GROUP_TIERS = ["alb", "app", "database", "cache", "endpoints"] as const;
type Tier = (typeof SECURITY_GROUP_TIERS)[number];

/** The DR VPC as the rebuild uses it: what modules/network `Network` offers, found by tag. */
export interface StandbyNetwork {
    vpcId: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string>[];
    privateSubnetIds: pulumi.Output<string>[];
    isolatedSubnetIds: pulumi.Output<string>[];
    securityGroupIds: Record<Tier, pulumi.Output<string>>;
}

/** The Name tags of the standby VPC's subnets of one tier, as modules/network `Network` sets them. */
export function subnetNames(prefix: string, tier: "public" | "private" | "isolated", azCount: number): string[] {
    return Array.from({ length: azCount }, (_, i) => `${prefix}-${tier}-${i + 1}`);
}

/** The standby's DR VPC, subnets and security groups, by their `Name` tags. */
export function lookupStandbyNetwork(names: Pick<StandbyNames, "vpc">, azCount: number, provider: aws.Provider): StandbyNetwork {
    const opts = { provider };
    const vpcId = aws.ec2.getVpcOutput({ tags: { Name: names.vpc } }, opts).id;
    const subnets = (tier: "public" | "private" | "isolated") =>
        subnetNames(names.vpc, tier, azCount).map((name) => aws.ec2.getSubnetOutput({ vpcId, tags: { Name: name } }, opts).id);
    const group = (tier: Tier) => aws.ec2.getSecurityGroupOutput({ vpcId, tags: { Name: `${names.vpc}-${tier}` } }, opts).id;
    return {
        vpcId,
        publicSubnetIds: subnets("public"),
        privateSubnetIds: subnets("private"),
        isolatedSubnetIds: subnets("isolated"),
        securityGroupIds: Object.fromEntries(SECURITY_GROUP_TIERS.map((t) => [t, group(t)])) as Record<Tier, pulumi.Output<string>>,
    };
}

/** The standby's public edge as the rebuild uses it. */
export interface StandbyEdge {
    loadBalancerArn: pulumi.Output<string>;
    loadBalancerDnsName: pulumi.Output<string>;
    /** The lane this stack's pods join (the real one, or the drill's). */
    targetGroupArn: pulumi.Output<string>;
    /** The standby's DR certificate (issued while the primary was healthy, validated through the zone). */
    certificateArn: pulumi.Output<string>;
}

/** The standby ALB, the target group of a lane, and the issued certificate of the stack's host name. */
export function lookupStandbyEdge(names: Pick<StandbyNames, "loadBalancer" | "targetGroups">, lane: "app" | "drill", hostname: string, provider: aws.Provider): StandbyEdge {
    const opts = { provider };
    const alb = aws.lb.getLoadBalancerOutput({ name: names.loadBalancer }, opts);
    const targetGroup = aws.lb.getTargetGroupOutput({ name: names.targetGroups[lane] }, opts);
    // ACM's ListCertificates, a regional call: the standby's certificate names this host (primary or alternative name).
    const certificate = aws.acm.getCertificateOutput({ domain: hostname, statuses: ["ISSUED"], mostRecent: true }, opts);
    return { loadBalancerArn: alb.arn, loadBalancerDnsName: alb.dnsName, targetGroupArn: targetGroup.arn, certificateArn: certificate.arn };
}

/** The promoted replica, as the rebuild's data layer uses a database. */
export interface PromotedDatabase {
    identifier: pulumi.Output<string>;
    address: pulumi.Output<string>;
    port: pulumi.Output<number>;
    arn: pulumi.Output<string>;
    /** Its key: the standby's DR data key (the replica was created under it). */
    kmsKeyArn: pulumi.Output<string>;
    /** Its DB subnet group, in the DR VPC's isolated subnets (the restore test restores into it). */
    subnetGroupName: pulumi.Output<string>;
    /** The master user's secret in Secrets Manager (RDS-managed) of the promoted instance, when it has one. */
    masterUserSecretArn: pulumi.Output<string | undefined>;
}

/** The standing replica, once the on-call has promoted it (scripts/dr_promote_database.sh). */
export function lookupPromotedDatabase(identifier: string, provider: aws.Provider): PromotedDatabase {
    const db = aws.rds.getInstanceOutput({ dbInstanceIdentifier: identifier }, { provider });
    return {
        identifier: db.dbInstanceIdentifier,
        address: db.address,
        port: db.port,
        arn: db.dbInstanceArn,
        kmsKeyArn: db.kmsKeyId,
        subnetGroupName: db.dbSubnetGroup,
        masterUserSecretArn: db.masterUserSecrets.apply((s) => s[0]?.secretArn),
    };
}

/** The standby's DR data key, by alias: what the replicated backups are encrypted with, and so what a restore from them keeps. */
export function lookupDrDataKey(names: Pick<StandbyNames, "drDataKeyAlias">, provider: aws.Provider): pulumi.Output<string> {
    return aws.kms.getKeyOutput({ keyId: names.drDataKeyAlias }, { provider }).arn;
}
