import type * as pulumi from "@pulumi/pulumi";
import { restoreValidationPolicy } from "../../../modules/backup/validation";

/** Which secret the restore validation may read: the app's DATABASE_URL, not the master user's. */

const resolve = (o: pulumi.Output<string>): Promise<{ Statement: Array<{ Sid: string; Resource: unknown }> }> => new Promise((r) => o.apply((v) => r(JSON.parse(v))));
const base = { region: "us-east-1", accountId: "123456789012", secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/v" };

describe("the restore validation's policy", () => {
    it("reads the app's DATABASE_URL, and nothing of the master user", async () => {
        const doc = await resolve(restoreValidationPolicy({ ...base, appSecretName: "myapp/production/DATABASE_URL" }));
        const reads = doc.Statement.filter((s) => JSON.stringify(s).includes("secretsmanager:GetSecretValue"));
        expect(reads.map((s) => [s.Sid, s.Resource])).toEqual([["ReadAppLogin", "arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/DATABASE_URL-??????"]]);
        expect(JSON.stringify(doc)).not.toContain("DATABASE_MASTER");
    });
});
