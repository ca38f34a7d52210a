import { KeyRef, RoleStatement, arnOf, keyByAlias, secretArnByName } from "../aws/roles";
import { DATABASE_MASTER } from "./names";

/**
 * The IAM policies of the secrets layer, least privilege each: a rotation function touches only
 * its own secret, the External Secrets role reads only its environment's secrets, and KMS use is
 * limited to the secrets key through Secrets Manager (`kms:ViaService`). Every statement names its
 * resources by name, region and alias (modules/aws/roles.ts), so the roles can exist before them.
 */

/** Decrypt (and, to write versions, generate data keys) with the secrets key, only through Secrets Manager. */
export function secretsKeyStatement(key: KeyRef, region: string, write: boolean): RoleStatement {
    return keyByAlias(
        {
            Sid: "SecretsKeyThroughSecretsManager",
            Effect: "Allow",
            Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
        },
        key.region,
        key.alias,
    );
}

/** Writing to the function's own log group (no `logs:CreateLogGroup`: the program creates it). */
export function logStatement(region: string, logGroupName: string): RoleStatement {
    return {
        Sid: "OwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: arnOf("logs", region, `log-group:${logGroupName}:*`),
    };
}

export interface RotationPolicyArgs {
    /** The one secret this function rotates, by name. */
    secretName: string;
    /** Secrets it only reads (the database master user), by name. */
    readSecretNames?: string[];
    secretsKey: KeyRef;
    region: string;
    logGroupName: string;
    /** A function in a VPC manages its network interfaces. */
    inVpc: boolean;
    /**
     * The secret's replica region and the key its replica is encrypted with. Secrets Manager
     * replicates each new version with the identity of whoever wrote it (a forward access
     * session), so the rotation needs this key too: without it, the rotated versions never reach
     * the replica and a DR rebuild finds the value from before the first rotation.
     * @default - not replicated
     */
    replica?: { region: string; key: KeyRef };
}

/**
 * Encrypting a replica's versions with the DR secrets key, only through Secrets Manager. Both
 * regions' Secrets Manager endpoints are admitted: the replication runs on the caller's behalf and
 * AWS does not document which region's endpoint calls KMS in the replica's region.
 */
export function replicaKeyStatement(replica: { region: string; key: KeyRef }, primaryRegion: string): RoleStatement {
    return keyByAlias(
        {
            Sid: "ReplicaKeyThroughSecretsManager",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:GenerateDataKey"],
            Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${replica.region}.amazonaws.com`, `secretsmanager.${primaryRegion}.amazonaws.com`] } },
        },
        replica.key.region,
        replica.key.alias,
    );
}

/**
 * What Lambda does with the role of a function in a VPC: look up, create and delete its network
 * interfaces. The Describe calls admit no resource scoping; the others are held to this account
 * and region.
 */
export function vpcStatements(region: string): RoleStatement[] {
    const arn = (kind: string) => arnOf("ec2", region, `${kind}/*`);
    return [
        { Sid: "DescribeNetwork", Effect: "Allow", Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: "*" },
        {
            Sid: "CreateNetworkInterfaces",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [arn("network-interface"), arn("subnet"), arn("security-group")],
        },
        {
            Sid: "ManageNetworkInterfaces",
            Effect: "Allow",
            Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            Resource: arn("network-interface"),
        },
    ];
}

/** A rotation function's policy: the four steps on its own secret, and nothing else. */
export function rotationPolicy(args: RotationPolicyArgs): RoleStatement[] {
    return [
        {
            Sid: "RotateOwnSecret",
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
            Resource: secretArnByName(args.region, args.secretName),
        },
        // GetRandomPassword supports no resource-level permission.
        { Sid: "RandomPassword", Effect: "Allow", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
        ...(args.readSecretNames && args.readSecretNames.length > 0
            ? [{ Sid: "ReadMasterUser", Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: args.readSecretNames.map((n) => secretArnByName(args.region, n)) }]
            : []),
        secretsKeyStatement(args.secretsKey, args.region, true),
        ...(args.replica ? [replicaKeyStatement(args.replica, args.region)] : []),
        logStatement(args.region, args.logGroupName),
        ...(args.inVpc ? vpcStatements(args.region) : []),
    ];
}

export interface BootstrapPolicyArgs {
    /** The app's DATABASE_URL (where to connect, the app login's password) and DATABASE_MASTER, by name: read only. */
    readSecretNames: string[];
    secretsKey: KeyRef;
    region: string;
    logGroupName: string;
}

/** The database bootstrap: read two secrets, decrypt them, its log group, its network interfaces. Nothing it could write. */
export function bootstrapPolicy(args: BootstrapPolicyArgs): RoleStatement[] {
    return [
        { Sid: "ReadDatabaseSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: args.readSecretNames.map((n) => secretArnByName(args.region, n)) },
        secretsKeyStatement(args.secretsKey, args.region, false),
        logStatement(args.region, args.logGroupName),
        ...vpcStatements(args.region),
    ];
}

/**
 * External Secrets Operator's role: read this environment's secrets (the ARN pattern, `...:secret:<prefix>*`),
 * decrypt them, and never the master user's: an explicit deny, so that no ExternalSecret in any
 * namespace can copy DATABASE_MASTER into the cluster (only the rotation and the bootstrap read it).
 */
export function secretsReaderPolicy(region: string, prefix: string, secretsKey: KeyRef): RoleStatement[] {
    return [
        {
            Sid: "ReadEnvironmentSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
            Resource: arnOf("secretsmanager", region, `secret:${prefix}*`),
        },
        { Sid: "NeverTheMasterUser", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: secretArnByName(region, `${prefix}${DATABASE_MASTER}`) },
        secretsKeyStatement(secretsKey, region, false),
    ];
}

/** The age check: list secrets (no resource scoping exists for it) and read version dates. Its metrics are log lines. */
export function ageCheckPolicy(region: string, prefix: string, logGroupName: string): RoleStatement[] {
    return [
        { Sid: "ListSecrets", Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" },
        { Sid: "VersionDates", Effect: "Allow", Action: "secretsmanager:ListSecretVersionIds", Resource: arnOf("secretsmanager", region, `secret:${prefix}*`) },
        logStatement(region, logGroupName),
    ];
}

/** EventBridge Scheduler publishing the reminder to an (encrypted) SNS topic. */
export function publishPolicy(region: string, topicName: string, topicKey: KeyRef): RoleStatement[] {
    return [
        { Sid: "PublishReminder", Effect: "Allow", Action: "sns:Publish", Resource: arnOf("sns", region, topicName) },
        keyByAlias({ Sid: "EncryptedTopic", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"] }, topicKey.region, topicKey.alias),
    ];
}

/** EventBridge Scheduler invoking one function. */
export function invokePolicy(region: string, functionName: string): RoleStatement[] {
    return [{ Sid: "InvokeFunction", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arnOf("lambda", region, `function:${functionName}`) }];
}
