import { appconfigRules, ecrRules } from "../../../policy/rules/ecr";
import { res, ruleSuite } from "../fixtures";

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
});
