import { appconfigRules, ecrRules } from "../../../policy/rules/ecr";
import { findings, res, ruleSuite } from "../fixtures";

const REPO = "aws:ecr/repository:Repository";
const repo = (over: Record<string, unknown> = {}) =>
    res(
        REPO,
        {
            name: "myapp/production/app",
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "IMMUTABLE",
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:us-east-1:1:key/images" }],
            ...over,
        },
        { name: "repo", id: "myapp/production/app" },
    );
const lifecycle = (repository = "myapp/production/app") => res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { repository, policy: "{}" }, { name: "lifecycle" });
const repoPolicy = (statements: unknown[]) => res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "myapp/production/app", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, { name: "repo-policy" });

describe("ECR rules", () => {
    const rule = ruleSuite(ecrRules);

    describe("edge cases", () => {
        it("wants one encryption configuration that is KMS and names its key", () => {
            const none = ['repo: encryptionConfigurations has no encryptionType "KMS" with a kmsKey'];
            expect(findings("ecr-encrypted-with-kms", [repo({ encryptionConfigurations: [{ encryptionType: "AES256", kmsKey: "arn:aws:kms:us-east-1:1:key/images" }] })])).toEqual(none);
            expect(findings("ecr-encrypted-with-kms", [repo({ encryptionConfigurations: [{ encryptionType: "KMS" }] })])).toEqual(none);
            expect(findings("ecr-encrypted-with-kms", [repo({ encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "" }] })])).toEqual(none);
            expect(findings("ecr-encrypted-with-kms", [repo({ encryptionConfigurations: [{ encryptionType: "AES256" }, { encryptionType: "KMS", kmsKey: "arn:aws:kms:us-east-1:1:key/images" }] })])).toEqual([]);
        });

        it("reports each public statement of the repository's own policy, and no denial or conditioned grant", () => {
            const statement = (over: Record<string, unknown>) => ({ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage", ...over });
            expect(findings("ecr-policy-not-public", [repo(), repoPolicy([statement({ Effect: "Deny" }), statement({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } })])])).toEqual([]);
            expect(findings("ecr-policy-not-public", [repo(), repoPolicy([statement({}), statement({ Action: "ecr:GetDownloadUrlForLayer" })])])).toEqual([
                "repo: its repository policy allows any principal without a condition",
                "repo: its repository policy allows any principal without a condition",
            ]);
            const otherRepository = res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "myapp/staging/app", policy: JSON.stringify({ Statement: [statement({})] }) }, { name: "other-policy" });
            expect(findings("ecr-policy-not-public", [repo(), otherRepository])).toEqual([]);
        });
    });

    rule("ecr-scan-on-push", {
        compliant: () => [repo()],
        missing: () => [repo({ imageScanningConfiguration: undefined })],
        missingFindings: ["repo: imageScanningConfiguration.scanOnPush is unset: set it to true"],
        wrong: () => [repo({ imageScanningConfiguration: { scanOnPush: false } })],
        wrongFindings: ["repo: imageScanningConfiguration.scanOnPush is false: set it to true"],
    });

    rule("ecr-immutable-tags", {
        compliant: () => [repo()],
        missing: () => [repo({ imageTagMutability: undefined })],
        missingFindings: ['repo: imageTagMutability is unset (ECR\'s default is MUTABLE): set "IMMUTABLE"'],
        wrong: () => [repo({ imageTagMutability: "MUTABLE" })],
        wrongFindings: ['repo: imageTagMutability is "MUTABLE" (ECR\'s default is MUTABLE): set "IMMUTABLE"'],
    });

    rule("ecr-lifecycle-policy", {
        compliant: () => [repo(), lifecycle()],
        missing: () => [repo()],
        missingFindings: ["repo: no aws.ecr.LifecyclePolicy for this repository"],
        wrong: () => [repo(), lifecycle("myapp/staging/app")],
        wrongFindings: ["repo: no aws.ecr.LifecyclePolicy for this repository"],
    });

    rule("ecr-encrypted-with-kms", {
        compliant: () => [repo()],
        missing: () => [repo({ encryptionConfigurations: undefined })],
        missingFindings: ['repo: encryptionConfigurations has no encryptionType "KMS" with a kmsKey'],
        wrong: () => [repo({ encryptionConfigurations: [{ encryptionType: "AES256" }] })],
        wrongFindings: ['repo: encryptionConfigurations has no encryptionType "KMS" with a kmsKey'],
    });

    rule("ecr-policy-not-public", {
        compliant: () => [repo(), repoPolicy([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "ecr:BatchGetImage" }])],
        missing: () => [repo()],
        missingFindings: [],
        safeDefault: "a repository without a policy is private to its account",
        wrong: () => [repo(), repoPolicy([{ Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }])],
        wrongFindings: ["repo: its repository policy allows any principal without a condition"],
    });
});

describe("AppConfig rules", () => {
    const rule = ruleSuite(appconfigRules);

    rule("appconfig-rollback-alarms", {
        compliant: () => [res("aws:appconfig/environment:Environment", { applicationId: "app", monitors: [{ alarmArn: "arn:aws:cloudwatch:us-east-1:1:alarm:error-rate-high", alarmRoleArn: "arn:role" }] })],
        missing: () => [res("aws:appconfig/environment:Environment", { applicationId: "app" }, { name: "env" })],
        missingFindings: ["env: monitors is empty: add the error-rate alarm ({ alarmArn, alarmRoleArn })"],
        wrong: () => [res("aws:appconfig/environment:Environment", { applicationId: "app", monitors: [{ alarmRoleArn: "arn:role" }] }, { name: "env" })],
        wrongFindings: ["env: monitors is empty: add the error-rate alarm ({ alarmArn, alarmRoleArn })"],
    });

    it("passes an environment with any monitor naming an alarm, and not one with an empty alarm ARN", () => {
        const env = (monitors: unknown[]) => res("aws:appconfig/environment:Environment", { applicationId: "app", monitors }, { name: "env" });
        expect(findings("appconfig-rollback-alarms", [env([{ alarmRoleArn: "arn:role" }, { alarmArn: "arn:aws:cloudwatch:us-east-1:1:alarm:error-rate-high" }])])).toEqual([]);
        expect(findings("appconfig-rollback-alarms", [env([{ alarmArn: "" }])])).toEqual(["env: monitors is empty: add the error-rate alarm ({ alarmArn, alarmRoleArn })"]);
    });
});
