import { roleArnOf } from "../../../modules/aws/iam";

describe("role settings as ARNs", () => {
    it("builds a role name's ARN in the deploying account and partition, and keeps a full ARN as given", () => {
        expect(roleArnOf("platform-admin", { accountId: "210987654321", partition: "aws" })).toBe("arn:aws:iam::210987654321:role/platform-admin");
        expect(roleArnOf("ci-deploy", { accountId: "210987654321", partition: "aws-us-gov" })).toBe("arn:aws-us-gov:iam::210987654321:role/ci-deploy");
        expect(roleArnOf("arn:aws:iam::111122223333:role/ops/admin", { accountId: "210987654321", partition: "aws" })).toBe("arn:aws:iam::111122223333:role/ops/admin");
    });
});
