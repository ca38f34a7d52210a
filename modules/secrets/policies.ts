import * as pulumi from "@pulumi/pulumi";
import { Statement, policyJson } from "../aws/iam";
import { DATABASE_MASTER } from "./names";

/**
 * The IAM policies of the secrets layer, least privilege each: a rotation function touches only
 * its own secret, the External Secrets role reads only its environment's secrets, and KMS use is
 * limited to the secrets key through Secrets Manager (`kms:ViaService`).
 */

/** Decrypt (and, to write versions, generate data keys) with the secrets key, only through Secrets Manager. */
export function secretsKeyStatement(keyArn: pulumi.Input<string>, region: string, write: boolean): Statement {
    return {
        Sid: "SecretsKeyThroughSecretsManager",
        Effect: "Allow",
        Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
        Resource: keyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    };
}

/** Writing to the function's own log group (no `logs:CreateLogGroup`: the program creates it). */
export function logStatement(logGroupArn: pulumi.Input<string>): Statement {
    return {
        Sid: "OwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: pulumi.interpolate`${logGroupArn}:*`,
    };
}

export interface RotationPolicyArgs {
    /** The one secret this function rotates. */
    secretArn: pulumi.Input<string>;
    /** Secrets it only reads (the database master user). */
    readSecretArns?: pulumi.Input<string>[];
    secretsKeyArn: pulumi.Input<string>;
    region: string;
    logGroupArn: pulumi.Input<string>;
    /** A function in a VPC manages its network interfaces. */
    inVpc: boolean;
    accountId: pulumi.Input<string>;
    /**
     * The secret's replica region and the key its replica is encrypted with. Secrets Manager
     * replicates each new version with the identity of whoever wrote it (a forward access
     * session), so the rotation needs this key too: without it, the rotated versions never reach
     * the replica and a DR rebuild finds the value from before the first rotation.
     * @default - not replicated
     */
    replica?: { region: string; kmsKeyArn: pulumi.Input<string> };
}

/**
 * Encrypting a replica's versions with the DR secrets key, only through Secrets Manager. Both
 * regions' Secrets Manager endpoints are admitted: the replication runs on the caller's behalf and
 * AWS does not document which region's endpoint calls KMS in the replica's region.
 */
export function replicaKeyStatement(replica: { region: string; kmsKeyArn: pulumi.Input<string> }, primaryRegion: string): Statement {
    return {
        Sid: "ReplicaKeyThroughSecretsManager",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: replica.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${replica.region}.amazonaws.com`, `secretsmanager.${primaryRegion}.amazonaws.com`] } },
    };
}

/**
 * What Lambda does with the role of a function in a VPC: look up, create and delete its network
 * interfaces. The Describe calls admit no resource scoping; the others are held to this account
 * and region.
 */
export function vpcStatements(region: string, accountId: pulumi.Input<string>): Statement[] {
    const arn = (kind: string) => pulumi.interpolate`arn:aws:ec2:${region}:${accountId}:${kind}/*`;
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
export function rotationPolicy(args: RotationPolicyArgs): pulumi.Output<string> {
    const statements: Statement[] = [
        {
            Sid: "RotateOwnSecret",
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
            Resource: args.secretArn,
        },
        // GetRandomPassword supports no resource-level permission.
        { Sid: "RandomPassword", Effect: "Allow", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
        ...(args.readSecretArns && args.readSecretArns.length > 0
            ? [{ Sid: "ReadMasterUser", Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: args.readSecretArns }]
            : []),
        secretsKeyStatement(args.secretsKeyArn, args.region, true),
        ...(args.replica ? [replicaKeyStatement(args.replica, args.region)] : []),
        logStatement(args.logGroupArn),
        ...(args.inVpc ? vpcStatements(args.region, args.accountId) : []),
    ];
    return policyJson(statements);
}

export interface BootstrapPolicyArgs {
    /** The app's DATABASE_URL (where to connect, the app login's password) and DATABASE_MASTER: read only. */
    readSecretArns: pulumi.Input<string>[];
    secretsKeyArn: pulumi.Input<string>;
    region: string;
    logGroupArn: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
}

/** The database bootstrap: read two secrets, decrypt them, its log group, its network interfaces. Nothing it could write. */
export function bootstrapPolicy(args: BootstrapPolicyArgs): pulumi.Output<string> {
    return policyJson([
        { Sid: "ReadDatabaseSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: args.readSecretArns },
        secretsKeyStatement(args.secretsKeyArn, args.region, false),
        logStatement(args.logGroupArn),
        ...vpcStatements(args.region, args.accountId),
    ]);
}

/**
 * External Secrets Operator's role: read this environment's secrets (the ARN pattern, `...:secret:<prefix>*`),
 * decrypt them, and never the master user's: an explicit deny, so that no ExternalSecret in any
 * namespace can copy DATABASE_MASTER into the cluster (only the rotation and the bootstrap read it).
 */
export function secretsReaderPolicy(secretsArnPattern: pulumi.Input<string>, secretsKeyArn: pulumi.Input<string>, region: string): pulumi.Output<string> {
    const master = pulumi.output(secretsArnPattern).apply((p) => `${p.replace(/\*$/, "")}${DATABASE_MASTER}-??????`);
    return policyJson([
        {
            Sid: "ReadEnvironmentSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
            Resource: secretsArnPattern,
        },
        { Sid: "NeverTheMasterUser", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: master },
        secretsKeyStatement(secretsKeyArn, region, false),
    ]);
}

/** The age check: list secrets (no resource scoping exists for it) and read version dates. Its metrics are log lines. */
export function ageCheckPolicy(secretsArnPattern: pulumi.Input<string>, logGroupArn: pulumi.Input<string>): pulumi.Output<string> {
    return policyJson([
        { Sid: "ListSecrets", Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" },
        { Sid: "VersionDates", Effect: "Allow", Action: "secretsmanager:ListSecretVersionIds", Resource: secretsArnPattern },
        logStatement(logGroupArn),
    ]);
}

/** EventBridge Scheduler publishing the reminder to an (encrypted) SNS topic. */
export function publishPolicy(topicArn: pulumi.Input<string>, topicKeyArn: pulumi.Input<string>): pulumi.Output<string> {
    return policyJson([
        { Sid: "PublishReminder", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
        { Sid: "EncryptedTopic", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: topicKeyArn },
    ]);
}

/** EventBridge Scheduler invoking one function. */
export function invokePolicy(functionArn: pulumi.Input<string>): pulumi.Output<string> {
    return policyJson([{ Sid: "InvokeFunction", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: functionArn }]);
}
