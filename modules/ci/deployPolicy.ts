/**
 * The identity policies of the CI roles that change things (modules/ci/roles.ts): the deploy
 * roles of staging and production, the `pr-<N>` preview stacks' role and production's plan role;
 * and the guard every one of them carries, which keeps the state backend, the secrets provider's
 * key and the CI roles themselves out of any deploy's reach.
 *
 * A deploy role creates everything a stack holds, IAM roles included, so within its reach it is
 * administrator-equivalent: its boundary is who may assume it (the `sub` claim of one GitHub
 * environment, whose protection rules say which branch or tag may deploy) and what it may never
 * touch. The project's policy pack forbids `*` on `*` and whole-service wildcards, so the actions
 * are listed per service as verb patterns (every pattern is checked against AWS's list in the
 * tests), and IAM writes are limited to the environment's own names (`<app>-<environment>-*`,
 * the prefix every role of the program carries: environments/names.ts).
 *
 * Within one account, staging's role can still change production's non-IAM resources (EC2, RDS
 * and most services do not scope by name here): an account per environment is the boundary
 * between them, and `bootstrap.environments` makes each account's bootstrap create only its own
 * environment's roles.
 */
import type { Statement } from "../aws/iam";
import { mirrorPrefix } from "../dr/mirror";
import { CACHE_FILL_ACTIONS, PULL_THROUGH_CACHES } from "../dr/names";

/** Where the policies point: the account, the state backend and the keys the bootstrap made. */
export interface CiPolicyContext {
    partition: string;
    accountId: string;
    /** The app's name: IAM names of the environment are `<app>-<environment>-*`. */
    app: string;
    /** Both state buckets (primary and DR region), by ARN. */
    stateBucketArns: string[];
    /** The state buckets' SSE-KMS key, primary and replica. */
    stateKeyArns: string[];
    /** The secrets provider's key (`awskms://alias/<app>-pulumi-secrets`), primary and replica. */
    secretsKeyArns: string[];
    /** The keys' aliases in both regions, which no deploy may repoint. */
    keyAliasArns: string[];
}

/**
 * What a deploy needs per service, as `<Verb>*` patterns and single actions: creating, reading,
 * changing, tagging and deleting the resource types of the stacks (the tests check every type of
 * every cloud stack's plan has its service here). `iam` is not here: see `iamStatements`.
 */
export const DEPLOY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
    acm: ["RequestCertificate", "DeleteCertificate", "Describe*", "Get*", "List*", "AddTagsToCertificate", "RemoveTagsFromCertificate", "UpdateCertificateOptions"],
    appconfig: ["Create*", "Delete*", "Get*", "List*", "Update*", "StartDeployment", "StopDeployment", "TagResource", "UntagResource"],
    autoscaling: ["Create*", "Delete*", "Describe*", "Update*", "Put*", "Attach*", "Detach*", "Set*", "SuspendProcesses", "ResumeProcesses", "StartInstanceRefresh", "CancelInstanceRefresh"],
    backup: ["Create*", "Delete*", "Describe*", "Get*", "List*", "Update*", "Put*", "TagResource", "UntagResource"],
    // CreateBackupVault mounts the vault's storage (AWS Backup's documented permission).
    "backup-storage": ["MountCapsule"],
    // Budgets have no Create/Delete actions of their own: ModifyBudget creates, changes and deletes them.
    budgets: ["ViewBudget", "ModifyBudget", "ListTagsForResource", "TagResource", "UntagResource"],
    cloudwatch: ["Put*", "Delete*", "Describe*", "Get*", "List*", "TagResource", "UntagResource", "EnableAlarmActions", "DisableAlarmActions"],
    codebuild: ["CreateProject", "UpdateProject", "DeleteProject", "BatchGetProjects", "CreateWebhook", "UpdateWebhook", "DeleteWebhook", "List*"],
    // A runner project authenticates to GitHub through the account's CodeConnections connection.
    codeconnections: ["GetConnection", "ListConnections", "PassConnection", "UseConnection"],
    "codestar-connections": ["GetConnection", "ListConnections", "PassConnection", "UseConnection"],
    ec2: [
        "Describe*",
        "Get*",
        "Create*",
        "Delete*",
        "Modify*",
        "Associate*",
        "Disassociate*",
        "Attach*",
        "Detach*",
        "Allocate*",
        "Release*",
        "Authorize*",
        "Revoke*",
        "Replace*",
        "UpdateSecurityGroupRuleDescriptions*",
        "RunInstances",
    ],
    ecr: ["Create*", "Delete*", "Describe*", "Get*", "List*", "Put*", "SetRepositoryPolicy", "BatchGet*", "TagResource", "UntagResource"],
    eks: ["Create*", "Delete*", "Describe*", "List*", "Update*", "Associate*", "Disassociate*", "TagResource", "UntagResource"],
    elasticache: ["Create*", "Delete*", "Describe*", "Modify*", "List*", "AddTagsToResource", "RemoveTagsFromResource", "IncreaseReplicaCount", "DecreaseReplicaCount"],
    elasticloadbalancing: ["Create*", "Delete*", "Describe*", "Modify*", "Set*", "Add*", "Remove*", "RegisterTargets", "DeregisterTargets"],
    events: ["Put*", "Delete*", "Describe*", "List*", "RemoveTargets", "EnableRule", "DisableRule", "TagResource", "UntagResource"],
    // Managing keys; using them (and granting their use) is `keyUseStatements`: the environment's keys only.
    kms: [
        "CreateKey",
        "CreateAlias",
        "Describe*",
        "Get*",
        "List*",
        "EnableKeyRotation",
        "DisableKeyRotation",
        "EnableKey",
        "PutKeyPolicy",
        "Update*",
        "TagResource",
        "UntagResource",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
        "ReplicateKey",
        "DeleteAlias",
        "RetireGrant",
        "RevokeGrant",
    ],
    lambda: ["Create*", "Delete*", "Get*", "List*", "Update*", "Put*", "Publish*", "AddPermission", "RemovePermission", "InvokeFunction", "TagResource", "UntagResource"],
    logs: ["Create*", "Delete*", "Describe*", "Get*", "List*", "Put*", "AssociateKmsKey", "DisassociateKmsKey", "TagResource", "UntagResource"],
    rds: ["Create*", "Delete*", "Describe*", "Modify*", "List*", "AddTagsToResource", "RemoveTagsFromResource", "Reboot*", "Promote*", "Restore*", "Start*", "Stop*"],
    route53: ["Create*", "Delete*", "Get*", "List*", "Change*", "Update*"],
    s3: ["Create*", "Delete*", "Get*", "List*", "Put*"],
    scheduler: ["Create*", "Delete*", "Get*", "List*", "Update*", "TagResource", "UntagResource"],
    secretsmanager: ["Create*", "Delete*", "Describe*", "Get*", "List*", "Put*", "Update*", "Rotate*", "ReplicateSecretToRegions", "RemoveRegionsFromReplication", "CancelRotateSecret", "RestoreSecret", "TagResource", "UntagResource"],
    sns: ["Create*", "Delete*", "Get*", "List*", "Set*", "Subscribe", "Unsubscribe", "TagResource", "UntagResource"],
    wafv2: ["Create*", "Delete*", "Get*", "List*", "Update*", "Put*", "AssociateWebACL", "DisassociateWebACL", "TagResource", "UntagResource"],
};

/** The Pulumi provider modules whose IAM service prefix differs from the module's name. */
export const PROVIDER_MODULE_SERVICES: Readonly<Record<string, string>> = {
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    vpc: "ec2",
    // CloudWatch resources: alarms and dashboards are `cloudwatch`, the rest its sibling services.
    "cloudwatch/eventRule": "events",
    "cloudwatch/eventTarget": "events",
    "cloudwatch/logGroup": "logs",
    "cloudwatch/queryDefinition": "logs",
};

/** The IAM service a resource type (`aws:<module>/<kind>:<Kind>`) is managed through. */
export function iamServiceOf(type: string): string {
    const m = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):/.exec(type);
    if (!m) throw new Error(`not an AWS resource type: ${type}`);
    return PROVIDER_MODULE_SERVICES[`${m[1]}/${m[2]}`] ?? PROVIDER_MODULE_SERVICES[m[1]!] ?? m[1]!;
}

/** The services AWS creates a service-linked role for on first use by the stacks. */
export const SERVICE_LINKED_ROLES = [
    "eks.amazonaws.com",
    "eks-nodegroup.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "rds.amazonaws.com",
    "elasticache.amazonaws.com",
    "autoscaling.amazonaws.com",
    "backup.amazonaws.com",
    "replication.ecr.amazonaws.com",
];

/** AWS managed policies no deploy may attach: each grants the whole account. */
const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

function iamArn(ctx: CiPolicyContext, resource: string): string {
    return `arn:${ctx.partition}:iam::${ctx.accountId}:${resource}`;
}

/** IAM for a deploy: read everything, write only the environment's own names, pass only those roles. */
export function iamStatements(ctx: CiPolicyContext, environment: string): Statement[] {
    const prefix = `${ctx.app}-${environment}-`;
    const admin = ADMIN_POLICIES.map((p) => `arn:${ctx.partition}:iam::aws:policy/${p}`);
    // One statement per resource type: each action acts on one type's ARNs (IAM's Service
    // Authorization Reference), so a mixed statement would grant part of itself on nothing.
    return [
        { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
        {
            Sid: "WriteTheEnvironmentsRoles",
            Effect: "Allow",
            Action: ["iam:Create*", "iam:Delete*", "iam:Update*", "iam:Put*", "iam:Attach*", "iam:Detach*", "iam:Tag*", "iam:Untag*"],
            Resource: iamArn(ctx, `role/${prefix}*`),
        },
        { Sid: "WriteTheEnvironmentsPolicies", Effect: "Allow", Action: ["iam:Create*", "iam:Delete*", "iam:SetDefaultPolicyVersion", "iam:Tag*", "iam:Untag*"], Resource: iamArn(ctx, `policy/${prefix}*`) },
        {
            Sid: "WriteTheEnvironmentsInstanceProfiles",
            Effect: "Allow",
            Action: ["iam:Create*", "iam:Delete*", "iam:Tag*", "iam:Untag*", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
            Resource: iamArn(ctx, `instance-profile/${prefix}*`),
        },
        { Sid: "PassTheEnvironmentsRoles", Effect: "Allow", Action: "iam:PassRole", Resource: iamArn(ctx, `role/${prefix}*`) },
        {
            Sid: "ServiceLinkedRoles",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: iamArn(ctx, "role/aws-service-role/*"),
            Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLES } },
        },
        // AttachRolePolicy carries iam:PolicyARN; PutRolePermissionsBoundary carries iam:PermissionsBoundary.
        { Sid: "NoAccountWideManagedPolicies", Effect: "Deny", Action: "iam:AttachRolePolicy", Resource: "*", Condition: { ArnLike: { "iam:PolicyARN": admin } } },
        { Sid: "NoAccountWideBoundaries", Effect: "Deny", Action: "iam:PutRolePermissionsBoundary", Resource: "*", Condition: { ArnLike: { "iam:PermissionsBoundary": admin } } },
    ];
}

/** The AWS public parameters (EKS-optimised AMI ids) a stack may look up. */
function publicParameterStatement(ctx: CiPolicyContext): Statement {
    return { Sid: "ReadAwsPublicParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: `arn:${ctx.partition}:ssm:*::parameter/aws/service/*` };
}

/**
 * What no CI role may do, whatever else it is granted: delete or weaken the state buckets, erase
 * their history, disable, delete or repoint the keys, or touch the CI roles and GitHub's OIDC
 * provider (which would let a deploy widen its own trust). A Deny wins over every Allow.
 */
export function guardStatements(ctx: CiPolicyContext): Statement[] {
    return [
        {
            Sid: "KeepTheStateBuckets",
            Effect: "Deny",
            Action: [
                "s3:DeleteBucket",
                "s3:DeleteBucketPolicy",
                "s3:PutBucketPolicy",
                "s3:PutBucketAcl",
                "s3:PutBucketVersioning",
                "s3:PutReplicationConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:PutEncryptionConfiguration",
                "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketOwnershipControls",
                "s3:PutBucketObjectLockConfiguration",
            ],
            Resource: ctx.stateBucketArns,
        },
        { Sid: "KeepTheStateHistory", Effect: "Deny", Action: ["s3:DeleteObjectVersion", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"], Resource: ctx.stateBucketArns.map((b) => `${b}/*`) },
        {
            Sid: "KeepTheKeys",
            Effect: "Deny",
            Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy", "kms:UpdatePrimaryRegion", "kms:ReplicateKey", "kms:CreateGrant", "kms:UpdateKeyDescription"],
            Resource: [...ctx.stateKeyArns, ...ctx.secretsKeyArns],
        },
        { Sid: "KeepTheKeyAliases", Effect: "Deny", Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"], Resource: ctx.keyAliasArns },
        {
            Sid: "KeepTheCiIdentities",
            Effect: "Deny",
            Action: ["iam:*"],
            Resource: [iamArn(ctx, `role/${ctx.app}-ci-*`), iamArn(ctx, "oidc-provider/token.actions.githubusercontent.com")],
        },
    ];
}

/** What using a key is: encrypting, decrypting, and granting a service (RDS, EKS, Backup) the same. */
const KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"];

/**
 * Using keys: the environment's own, which the stack creates (so no id is known beforehand), named
 * by the tags every AWS resource of the stack carries (modules/aws/providers.ts: `environment`,
 * `project`), and the state backend's two keys, by ARN. Another environment's keys are not
 * decryptable with this role, even in a shared account.
 */
export function keyUseStatements(ctx: CiPolicyContext, environment: string): Statement[] {
    return [
        {
            Sid: "UseTheEnvironmentsKeys",
            Effect: "Allow",
            Action: KEY_USE,
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/environment": environment, "aws:ResourceTag/project": ctx.app } },
        },
        { Sid: "UseTheStateBackendsKeys", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: [...ctx.stateKeyArns, ...ctx.secretsKeyArns] },
    ];
}

/** A deploy role's statements: the services' actions, IAM within the environment, the guard. */
export function deployStatements(ctx: CiPolicyContext, environment: string): Statement[] {
    const services: Statement[] = Object.entries(DEPLOY_ACTIONS).map(([service, actions]) => ({
        Sid: `Deploy${service.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase())}`,
        Effect: "Allow",
        Action: actions.map((a) => `${service}:${a}`),
        Resource: "*",
    }));
    return [...services, ...keyUseStatements(ctx, environment), ...iamStatements(ctx, environment), publicParameterStatement(ctx), ...guardStatements(ctx)];
}

/** Reading the state (every stack's: a preview reads staging's outputs) and decrypting it. */
export function stateReadStatements(ctx: CiPolicyContext): Statement[] {
    return [
        { Sid: "ListTheState", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"], Resource: ctx.stateBucketArns },
        { Sid: "ReadTheState", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: ctx.stateBucketArns.map((b) => `${b}/*`) },
        // SSE-KMS: reading an object asks KMS to decrypt its data key, with the caller's rights.
        { Sid: "DecryptTheStateObjects", Effect: "Allow", Action: "kms:Decrypt", Resource: ctx.stateKeyArns },
        // The stack's data key (`encryptedkey` in Pulumi.<stack>.yaml) decrypts its secret config and outputs.
        { Sid: "DecryptTheStacksSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: ctx.secretsKeyArns },
    ];
}

/**
 * The `pr-<N>` stacks: their files in the self-managed backend's layout (`.pulumi/stacks/<project>/<stack>.json`,
 * its history, backups and locks), under any backend path prefix, and nothing of another stack.
 */
export function previewStackObjects(bucketArn: string): string[] {
    return ["stacks/*/pr-*", "history/*/pr-*", "backups/*/pr-*", "locks/organization/*/pr-*"].map((p) => `${bucketArn}/*.pulumi/${p}`);
}

/**
 * The preview deploy role: a `pr-<N>` stack creates only Kubernetes objects on the staging
 * cluster, so it reads the state, writes its own stack's files, makes its stack's data key
 * (`kms:Encrypt`: `pulumi stack init --secrets-provider awskms://...`) and reads the staging
 * cluster's endpoint. No AWS resource, no IAM.
 */
export function previewDeployStatements(ctx: CiPolicyContext, stagingClusterArn: string): Statement[] {
    return [
        ...stateReadStatements(ctx),
        { Sid: "WriteThePreviewStacks", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: ctx.stateBucketArns.flatMap(previewStackObjects) },
        { Sid: "EncryptTheStateObjects", Effect: "Allow", Action: "kms:GenerateDataKey", Resource: ctx.stateKeyArns },
        { Sid: "MakeThePreviewStacksDataKeys", Effect: "Allow", Action: "kms:Encrypt", Resource: ctx.secretsKeyArns },
        { Sid: "FindTheStagingCluster", Effect: "Allow", Action: "eks:DescribeCluster", Resource: stagingClusterArn },
        ...guardStatements(ctx),
    ];
}

/**
 * What production's plan role adds to the read-only rights: the saved plan, written beside the
 * state under `plans/` (`PULUMI_PLAN_URL`), encrypted with the state buckets' key.
 */
export function planStatements(ctx: CiPolicyContext): Statement[] {
    return [
        { Sid: "SaveThePlan", Effect: "Allow", Action: "s3:PutObject", Resource: ctx.stateBucketArns.map((b) => `${b}/plans/*`) },
        { Sid: "EncryptThePlan", Effect: "Allow", Action: "kms:GenerateDataKey", Resource: ctx.stateKeyArns },
        ...guardStatements(ctx),
    ];
}

/** What filling the DR mirror pushes and reads in a mirror repository (a chart or an image, by tag). */
export const MIRROR_PUSH_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:DescribeImages",
] as const;

/** A first pull through a pull-through cache rule: the fill (`CACHE_FILL_ACTIONS`), then a pull as any. */
export const CACHE_PULL_ACTIONS = [...CACHE_FILL_ACTIONS, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;

/**
 * The DR mirror's role (`scripts/dr_mirror.sh`, .github/workflows/dr-mirror.yml): it reads the
 * environment's `drMirror` output from the state (`pulumi stack output`), logs in to the DR
 * region's registry, pushes the charts and images into the mirror's repositories
 * (`<app>/<environment>/mirror/*`, modules/dr/mirror.ts) and pulls each cached image once through
 * its cache (the prefixes of `PULL_THROUGH_CACHES`). It deletes nothing, and reaches no other
 * repository, no other region and no other service. The repositories' KMS key needs no grant of
 * its own: ECR encrypts and decrypts their layers through the grant it holds on the key.
 */
export function drMirrorStatements(ctx: CiPolicyContext, environment: string, drRegion: string): Statement[] {
    const repository = (name: string) => `arn:${ctx.partition}:ecr:${drRegion}:${ctx.accountId}:repository/${name}`;
    return [
        ...stateReadStatements(ctx),
        // GetAuthorizationToken acts on no resource: the token is the registry's, scoped by the grants below.
        { Sid: "LogInToTheRegistry", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        { Sid: "FillTheMirror", Effect: "Allow", Action: [...MIRROR_PUSH_ACTIONS], Resource: repository(`${mirrorPrefix(ctx.app, environment)}/*`) },
        { Sid: "PrewarmTheCaches", Effect: "Allow", Action: [...CACHE_PULL_ACTIONS], Resource: PULL_THROUGH_CACHES.map((c) => repository(`${c.prefix}/*`)) },
        ...guardStatements(ctx),
    ];
}

/** IAM's limit on a managed policy document: 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** A policy document. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/**
 * Statements cut into as few policy documents as fit IAM's size limit, in order, as groups of
 * statement indexes. A role may have 10 managed policies attached (IAM's default quota); more
 * documents than that is an error here.
 */
export function policyGroups(statements: Statement[], maxChars = MANAGED_POLICY_MAX_CHARS): number[][] {
    const size = (s: Statement[]): number => JSON.stringify({ Version: "2012-10-17", Statement: s }).length;
    const groups: number[][] = [];
    statements.forEach((s, i) => {
        if (size([s]) > maxChars) throw new Error(`policy statement ${s.Sid ?? String(i)} alone is over IAM's ${maxChars} characters`);
        const last = groups[groups.length - 1];
        if (last && size([...last.map((j) => statements[j]!), s]) <= maxChars) last.push(i);
        else groups.push([i]);
    });
    if (groups.length > 10) throw new Error(`${groups.length} policy documents: over IAM's 10 managed policies per role`);
    return groups;
}

/** Statements as policy documents, grouped as `groups` says (from `policyGroups`). */
export function policyDocuments(statements: Statement[], groups: number[][] = policyGroups(statements)): PolicyDocument[] {
    return groups.map((g) => ({ Version: "2012-10-17", Statement: g.map((i) => statements[i]!) }));
}
