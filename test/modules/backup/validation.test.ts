import { restoreValidationPolicy } from "../../../modules/backup/validation";

/** Which secret the restore validation may read: the app's DATABASE_URL, not the master user's. */

const base = { region: "us-east-1", secretsKey: { region: "us-east-1", alias: "alias/myapp/production/secrets" }, logGroupName: "/aws/lambda/v" };

describe("the restore validation's policy", () => {
    it("reads the app's DATABASE_URL, and nothing of the master user", async () => {
        const doc = { Statement: restoreValidationPolicy({ ...base, appSecretName: "myapp/production/DATABASE_URL" }) };
        const reads = doc.Statement.filter((s) => JSON.stringify(s).includes("secretsmanager:GetSecretValue"));
        expect(reads.map((s) => [s.Sid, s.Resource])).toEqual([["ReadAppLogin", "arn:{partition}:secretsmanager:us-east-1:{account}:secret:myapp/production/DATABASE_URL-??????"]]);
        expect(JSON.stringify(doc)).not.toContain("DATABASE_MASTER");
    });
});
