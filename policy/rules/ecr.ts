/**
 * ECR repositories (`aws:ecr/repository:Repository`) and AppConfig, once the program has it.
 */
import { EVERYWHERE, PolicyRule } from "../rule";
import { asArray, at, isTrue, refersTo, shown, statementsOf, str } from "../values";

const REPOSITORY = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const APPCONFIG_ENVIRONMENT = "aws:appconfig/environment:Environment";

export const ecrRules: PolicyRule[] = [
    {
        name: "ecr-scan-on-push",
        service: "ECR",
        description: "Images are scanned for vulnerabilities when pushed.",
        rationale: "Scanning on push reports known CVEs before the image is deployed (runbook 4.3: critical patches within 24 hours).",
        controls: [{ framework: "Security Hub FSBP", id: "ECR.1" }],
        enforcement: EVERYWHERE,
        types: [REPOSITORY],
        check: (r) => (isTrue(at(r.inputs, "imageScanningConfiguration", "scanOnPush")) ? [] : [`imageScanningConfiguration.scanOnPush is ${shown(at(r.inputs, "imageScanningConfiguration", "scanOnPush"))}: set it to true`]),
    },
    {
        name: "ecr-immutable-tags",
        service: "ECR",
        description: "Image tags are immutable.",
        rationale: "A rollback (`kubectl rollout undo`, runbook 1.4) must get the image the tag meant when it was deployed, not whatever was pushed over it since.",
        controls: [{ framework: "Security Hub FSBP", id: "ECR.2" }],
        enforcement: EVERYWHERE,
        types: [REPOSITORY],
        check: (r) => (r.inputs["imageTagMutability"] === "IMMUTABLE" ? [] : [`imageTagMutability is ${shown(r.inputs["imageTagMutability"])} (ECR's default is MUTABLE): set "IMMUTABLE"`]),
    },
    {
        name: "ecr-lifecycle-policy",
        service: "ECR",
        description: "Every repository has a lifecycle policy.",
        rationale: "Without one, every image ever pushed is kept and billed, and scans keep reporting images nobody runs.",
        controls: [{ framework: "Security Hub FSBP", id: "ECR.3" }],
        enforcement: EVERYWHERE,
        types: [REPOSITORY],
        check: (r, stack) => (stack.ofType(LIFECYCLE).some((l) => refersTo(l, "repository", r)) ? [] : ["no aws.ecr.LifecyclePolicy for this repository"]),
    },
    {
        name: "ecr-encrypted-with-kms",
        service: "ECR",
        description: "Repositories encrypt images with a customer-managed KMS key.",
        rationale: "The key policy decides who can pull the layers, independently of the repository policy; it can only be chosen when the repository is created.",
        controls: [{ framework: "Project", id: "modules/registry: images encrypted with the stack's key" }],
        enforcement: EVERYWHERE,
        types: [REPOSITORY],
        check: (r) => {
            const kms = asArray(r.inputs["encryptionConfigurations"]).some((c) => at(c, "encryptionType") === "KMS" && str(at(c, "kmsKey")));
            return kms ? [] : ['encryptionConfigurations has no encryptionType "KMS" with a kmsKey'];
        },
    },
    {
        name: "ecr-policy-not-public",
        service: "ECR",
        description: "No repository policy allows a wildcard principal without a condition.",
        rationale: "A public repository lets anyone pull the application's images, and whatever is baked into them.",
        controls: [{ framework: "cdk-nag AwsSolutions", id: "AwsSolutions-ECR1" }],
        enforcement: EVERYWHERE,
        types: [REPOSITORY],
        check: (r, stack) =>
            stack
                .ofType(REPOSITORY_POLICY)
                .filter((p) => refersTo(p, "repository", r))
                .flatMap((p) => statementsOf(p.inputs["policy"]))
                .filter((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)
                .map(() => "its repository policy allows any principal without a condition"),
    },
];

export const appconfigRules: PolicyRule[] = [
    {
        name: "appconfig-rollback-alarms",
        service: "AppConfig",
        description: "Every AppConfig environment watches at least one CloudWatch alarm, so a bad flag rolls back on its own.",
        rationale: "Runbook 2.4 uses flags as kill switches and 1.4 rolls back on a 5% error rate; an environment with monitors stops and reverts a deployment when its alarm fires.",
        controls: [
            { framework: "Runbook", id: "2.4 feature flags: kill switches" },
            { framework: "Runbook", id: "1.4 rollback triggers" },
        ],
        enforcement: EVERYWHERE,
        types: [APPCONFIG_ENVIRONMENT],
        check: (e) => (asArray(e.inputs["monitors"]).some((m) => str(at(m, "alarmArn"))) ? [] : ["monitors is empty: add the error-rate alarm ({ alarmArn, alarmRoleArn })"]),
    },
];
