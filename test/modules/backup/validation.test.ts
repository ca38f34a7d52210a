import type * as pulumi from "@pulumi/pulumi";
import { restoreValidationPolicy } from "../../../modules/backup/validation";

/** Which secret the restore validation may read: the app's DATABASE_URL, not the master user's. */

const resolve = (o: pulumi.Output<string>): Promise<{ Statement: Array<{ Sid: string; Resource: unknown }> }> => new Promise((r) => o.apply((v) => r(JSON.parse(v))));
const base = { region: "us-east-1", accountId: "123456789012", secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/v" };

describe("the restore validation's policy", () => {
    it("reads the app's DATABASE_URL when given appSecretName, and nothing of the master user", async () => {
        const doc = await resolve(restoreValidationPolicy({ ...base, appSecretName: "myapp/production/DATABASE_URL", masterSecretName: "myapp/production/DATABASE_MASTER" }));
        expect(doc.Statement.find((s) => s.Sid === "ReadAppLogin")?.Resource).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/DATABASE_URL-??????");
        expect(JSON.stringify(doc)).not.toContain("DATABASE_MASTER");
    });

    it("still reads the master user's secret when only the deprecated masterSecretName is given", async () => {
        const doc = await resolve(restoreValidationPolicy({ ...base, masterSecretName: "myapp/production/DATABASE_MASTER" }));
        expect(doc.Statement.find((s) => s.Sid === "ReadMasterUser")?.Resource).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/DATABASE_MASTER-??????");
    });

    it("needs one of the two", () => {
        expect(() => restoreValidationPolicy(base)).toThrow("RestoreValidation: appSecretName (the app's DATABASE_URL secret) is required.");
    });
});
