import * as fs from "fs";
import * as path from "path";
import { checkStatement, type PolicyDocument, type Statement } from "../../helpers/iamCheck";
import { ACCOUNT, decideIdentity } from "../../helpers/iamSimulate";
import { ROOT } from "../../helpers/stacks";

/**
 * The outage simulation of a drill (docs/disaster-recovery.md, "Simulating the outage"): the
 * session policy the drill's credentials are assumed with. Checked against AWS's action and
 * condition-key data (the suite's IAM checker), then decided by an independent evaluator: the
 * DR region's regional APIs stay open, us-east-1 and the global control planes are closed, and
 * iam:PassRole (authorized inside the DR-region service's request, not an IAM API call) stays open.
 * sts:GetCallerIdentity is never denied by any policy (AWS STS API reference), in either region:
 * so the drill probes the primary region with ec2:DescribeAvailabilityZones instead.
 */

const FILE = path.join(ROOT, "tools", "drill", "outage-session-policy.json");
const policy = JSON.parse(fs.readFileSync(FILE, "utf8")) as { Version: string; Statement: Statement[] };

describe("tools/drill/outage-session-policy.json", () => {
    it("fits a session policy (AWS STS: 2,048 characters packed, no whitespace)", () => {
        expect(JSON.stringify(policy).length).toBeLessThanOrEqual(2048);
        expect(policy.Version).toBe("2012-10-17");
    });

    it("names only actions and condition keys IAM knows", async () => {
        const doc: PolicyDocument = { resource: { urn: "file", type: "session-policy", name: "outage", id: null, parent: null, custom: false, provider: null, dependsOn: [], dependencies: [], protect: false, retainOnDelete: false, options: {}, inputs: {} }, input: "policy", kind: "identity", statements: policy.Statement };
        const findings = (await Promise.all(policy.Statement.map((s, i) => checkStatement(doc, s, i)))).flat();
        expect(findings).toEqual([]);
    });

    const decide = (action: string, resource: string, region: string) => decideIdentity([policy], action, resource, { "aws:RequestedRegion": region });

    it.each([
        ["ec2:RunInstances", `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-0123456789abcdef0`, "us-west-2"],
        ["rds:RestoreDBInstanceToPointInTime", `arn:aws:rds:us-west-2:${ACCOUNT}:db:myapp-production-drill`, "us-west-2"],
        ["eks:DescribeCluster", `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/myapp-production-drill`, "us-west-2"],
        ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/myapp-production-dr-cluster`, "us-west-2"],
        ["sts:GetCallerIdentity", "*", "us-west-2"],
        ["s3:PutObject", "arn:aws:s3:::myapp-pulumi-state-123456789012-us-west-2/.pulumi/stacks/ops/production-dr-drill.json", "us-west-2"],
        ["kms:Decrypt", `arn:aws:kms:us-west-2:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`, "us-west-2"],
        ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:myapp/production-drill/DATABASE_URL-AbCdEf`, "us-west-2"],
    ])("leaves %s in the DR region open", async (action, resource, region) => {
        expect(await decide(action, resource, region)).toBe("Allowed");
    });

    it.each([
        ["ec2:DescribeAvailabilityZones", "*", "us-east-1"],
        ["rds:DescribeDBInstances", `arn:aws:rds:us-east-1:${ACCOUNT}:db:myapp-production`, "us-east-1"],
        ["s3:GetObject", "arn:aws:s3:::myapp-pulumi-state-123456789012-us-east-1/.pulumi/stacks/ops/production.json", "us-east-1"],
        ["sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/myapp-ci-production`, "us-east-1"],
        ["kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`, "us-east-1"],
        ["iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/myapp-production-dr-cluster`, "us-west-2"],
        ["iam:GetRole", `arn:aws:iam::${ACCOUNT}:role/myapp-production-dr-cluster`, "us-west-2"],
        ["iam:CreateServiceLinkedRole", `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`, "us-west-2"],
        ["route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "us-west-2"],
        ["cloudfront:UpdateDistribution", `arn:aws:cloudfront::${ACCOUNT}:distribution/E1ABCDEF234567`, "us-west-2"],
        ["organizations:DescribeOrganization", "*", "us-west-2"],
    ])("closes %s (%s in %s)", async (action, resource, region) => {
        expect(await decide(action, resource, region)).toBe("ExplicitlyDenied");
    });
});
