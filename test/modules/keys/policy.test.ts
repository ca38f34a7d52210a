import { keyPolicy, keyPolicyStatements } from "../../../modules/keys";

describe("key policies", () => {
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
