import { MOCK_ACCOUNT_ID } from "./mark";
import { markedHex, markedUpper, mockUuid, shortRegion } from "./kit";
import { PAGERDUTY_INVOKES } from "./pagerduty";

/**
 * The one table of invoke answers, keyed by function token. An invoke without an entry fails the
 * plan (see `RealisticMocks.call`): a test or a plan must never run on a silent `undefined`.
 */

/** An invoke as the mocks receive it, with the region it runs in (its `region` argument, else its provider's). */
export interface InvokeArgs {
    inputs: Record<string, unknown>;
    region: string;
}

export type InvokeFn = (a: InvokeArgs) => Record<string, unknown>;

/** The Name tag an EC2 lookup asks for (`tags: { Name }`), for ids that differ per object found. */
function nameTag(inputs: Record<string, unknown>): string {
    const tags = (inputs["tags"] ?? {}) as Record<string, unknown>;
    return String(tags["Name"] ?? "");
}

/**
 * What a DR rebuild finds of the standby footprint (modules/dr/lookup.ts): existing objects the
 * primary stack made, answered with the shapes EC2, ELB, ACM, RDS, KMS and Secrets Manager return.
 */
const STANDBY_LOOKUPS: Readonly<Record<string, InvokeFn>> = {
    "aws:ec2/getVpc:getVpc": ({ inputs, region }) => {
        const id = `vpc-${markedHex(17, "vpc", region, nameTag(inputs))}`;
        return { id, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/${id}`, cidrBlock: "10.40.0.0/16", state: "available", tags: inputs["tags"] ?? {} };
    },
    "aws:ec2/getSubnet:getSubnet": ({ inputs, region }) => {
        const id = `subnet-${markedHex(17, "subnet", region, nameTag(inputs))}`;
        return { id, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:subnet/${id}`, vpcId: inputs["vpcId"], state: "available", tags: inputs["tags"] ?? {} };
    },
    "aws:ec2/getSecurityGroup:getSecurityGroup": ({ inputs, region }) => {
        const id = `sg-${markedHex(17, "sg", region, nameTag(inputs))}`;
        return { id, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group/${id}`, vpcId: inputs["vpcId"], name: nameTag(inputs), tags: inputs["tags"] ?? {} };
    },
    "aws:lb/getLoadBalancer:getLoadBalancer": ({ inputs, region }) => {
        const name = String(inputs["name"]);
        const hex = markedHex(16, "alb", region, name);
        return {
            id: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:loadbalancer/app/${name}/${hex}`,
            arn: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:loadbalancer/app/${name}/${hex}`,
            arnSuffix: `app/${name}/${hex}`,
            name,
            dnsName: `${name}-${MOCK_ACCOUNT_ID}.${region}.elb.amazonaws.com`,
            zoneId: markedUpper(14, "alb-zone", region),
        };
    },
    "aws:lb/getTargetGroup:getTargetGroup": ({ inputs, region }) => {
        const name = String(inputs["name"]);
        const hex = markedHex(16, "tg", region, name);
        const arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:targetgroup/${name}/${hex}`;
        return { id: arn, arn, arnSuffix: `targetgroup/${name}/${hex}`, name, targetType: "ip", port: 8000, protocol: "HTTP" };
    },
    "aws:acm/getCertificate:getCertificate": ({ inputs, region }) => {
        const arn = `arn:aws:acm:${region}:${MOCK_ACCOUNT_ID}:certificate/${mockUuid("cert", region, String(inputs["domain"]))}`;
        return { id: arn, arn, domain: inputs["domain"], status: "ISSUED", type: "AMAZON_ISSUED", keyType: "RSA_2048" };
    },
    "aws:rds/getInstance:getInstance": ({ inputs, region }) => {
        const identifier = String(inputs["dbInstanceIdentifier"]);
        return {
            id: identifier,
            dbInstanceIdentifier: identifier,
            dbInstanceArn: `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:db:${identifier}`,
            address: `${identifier}.${MOCK_ACCOUNT_ID}.${region}.rds.amazonaws.com`,
            endpoint: `${identifier}.${MOCK_ACCOUNT_ID}.${region}.rds.amazonaws.com:5432`,
            port: 5432,
            engine: "postgres",
            kmsKeyId: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${mockUuid("kms", region, "data-dr")}`,
            dbSubnetGroup: `${identifier}-replica`,
            storageEncrypted: true,
            masterUserSecrets: [],
        };
    },
    "aws:kms/getKey:getKey": ({ inputs, region }) => {
        const id = mockUuid("kms", region, String(inputs["keyId"]).replace(/^alias\/.*-dr$/, "data-dr"));
        return { id, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${id}`, keyId: inputs["keyId"], multiRegion: false, keyManager: "CUSTOMER" };
    },
    // The primary's DATABASE_MASTER as replicated to the region: a made-up password, never a sentinel.
    "aws:secretsmanager/getSecretVersion:getSecretVersion": ({ inputs, region }) => {
        const secretId = String(inputs["secretId"]);
        const arn = `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${secretId}-${markedUpper(6, secretId).slice(0, 6)}`;
        return {
            id: `${arn}|AWSCURRENT`,
            arn,
            secretId,
            versionId: mockUuid("version", secretId),
            versionStages: ["AWSCURRENT"],
            secretString: JSON.stringify({ username: "app_admin", password: `planstandin${markedHex(20, "password", secretId)}` }),
        };
    },
};

/** The identity the plan runs as: an IAM user of the mock account. */
const CALLER = "plan";

export const INVOKE_MOCKS: Readonly<Record<string, InvokeFn>> = Object.freeze({
    ...PAGERDUTY_INVOKES,
    ...STANDBY_LOOKUPS,
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/${CALLER}`,
        userId: `AIDA${markedUpper(17, "caller")}`,
        id: MOCK_ACCOUNT_ID,
    }),
    "aws:index/getRegion:getRegion": ({ region }) => ({
        name: region,
        region,
        id: region,
        endpoint: `ec2.${region}.amazonaws.com`,
        description: region,
    }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": ({ region }) => {
        const letters = ["a", "b", "c", "d"];
        return {
            names: letters.map((l) => `${region}${l}`),
            zoneIds: letters.map((_, i) => `${shortRegion(region)}-az${i + 1}`),
            groupNames: letters.map(() => region),
            id: region,
        };
    },
});
