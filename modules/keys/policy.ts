import type { Statement } from "../aws/iam";

/**
 * Key policies of the customer-managed KMS keys, built as plain JSON so that tests read them
 * exactly. No statement names `"Principal": "*"`: the account root (which delegates to IAM
 * policies, so a role needs both its own IAM grant and this key's consent) and, where a service
 * encrypts on its own behalf, that service's principal with a condition tying it to this account.
 */

/**
 * The purposes a key serves; one key per purpose so that access to one never opens another.
 * `alerts` is the alert topics' key in a region other than the stack's (its `logs` key encrypts
 * the topics at home): CloudWatch and EventBridge publish with it, and no logs.
 */
export type KeyPurpose = "secrets" | "data" | "logs" | "alerts";

/** Where a key policy is evaluated: the account and the key's region. */
export interface KeyPolicyContext {
    accountId: string;
    region: string;
}

/** The statement every key carries: the account administers the key through IAM. */
export function rootStatement(accountId: string): Statement {
    return {
        Sid: "AccountAdministersThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
    };
}

/**
 * CloudWatch Logs encrypts log groups with the key itself (not through a caller's grant), so the
 * regional Logs principal needs the key, and only for log groups of this account and region
 * (the encryption context AWS documents for log group encryption).
 */
export function logsServiceStatement(ctx: KeyPolicyContext): Statement {
    return {
        Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:*` },
        },
    };
}

/**
 * DescribeKey carries no encryption context (its condition keys are kms:CallerAccount,
 * kms:RequestAlias and kms:ViaService), so it cannot sit in the statement above: that condition
 * would never match it. It reveals the key's metadata only, as AWS's managed
 * CloudWatchLogsAPIKeyAccess policy grants it apart from the cryptographic actions.
 */
export function logsDescribeStatement(ctx: KeyPolicyContext): Statement {
    return {
        Sid: "CloudWatchLogsDescribesTheKey",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
        Action: "kms:DescribeKey",
        Resource: "*",
    };
}

/**
 * CloudWatch alarms and EventBridge rules publish to SNS topics encrypted with the logs key (the
 * alert topics); SNS asks the publishing service to produce the data key. Only on behalf of this
 * account.
 */
export function alertPublishersStatement(ctx: KeyPolicyContext): Statement {
    return {
        Sid: "AlarmsAndEventsPublishToEncryptedTopics",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
    };
}

/**
 * AWS Budgets publishes the stack's budget alerts to the low topic, encrypted with the logs key:
 * like the other publishers it needs the data key, and only for this account's budgets (the
 * conditions AWS documents for the topic policy, "Creating an Amazon SNS topic for budget
 * notifications", and SNS's "Enable compatibility between event sources from AWS services and
 * encrypted topics").
 */
export function budgetsPublishStatement(ctx: KeyPolicyContext): Statement {
    return {
        Sid: "BudgetsPublishToEncryptedTopics",
        Effect: "Allow",
        Principal: { Service: "budgets.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId }, ArnLike: { "aws:SourceArn": `arn:aws:budgets::${ctx.accountId}:*` } },
    };
}

/** The statements of a key of the given purpose. */
export function keyPolicyStatements(purpose: KeyPurpose, ctx: KeyPolicyContext): Statement[] {
    switch (purpose) {
        // Secrets Manager, RDS, ElastiCache, S3 and AWS Backup use a key through grants made on
        // behalf of the calling principal, so the root statement (IAM delegation) covers them.
        case "secrets":
        case "data":
            return [rootStatement(ctx.accountId)];
        case "logs":
            return [rootStatement(ctx.accountId), logsServiceStatement(ctx), logsDescribeStatement(ctx), alertPublishersStatement(ctx), budgetsPublishStatement(ctx)];
        case "alerts":
            return [rootStatement(ctx.accountId), alertPublishersStatement(ctx)];
    }
}

/** A key policy document as a JSON string. */
export function keyPolicy(purpose: KeyPurpose, ctx: KeyPolicyContext): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: keyPolicyStatements(purpose, ctx) });
}
