import { lambdaRules } from "../../../policy/rules/lambda";
import { findings, res, ruleNamed, ruleSuite } from "../fixtures";

const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const fn = (over: Record<string, unknown> = {}) =>
    res(FUNCTION, { name: "rotate", runtime: "nodejs22.x", handler: "index.handler", loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/rotate" }, vpcConfig: { subnetIds: ["a", "b"], securityGroupIds: ["sg"] }, ...over }, { name: "fn" });
const logGroup = (name = "/aws/lambda/rotate") => res("aws:cloudwatch/logGroup:LogGroup", { name, retentionInDays: 90 }, { name: "lg", id: name });
const permission = (over: Record<string, unknown> = {}) =>
    res(PERMISSION, { action: "lambda:InvokeFunction", function: "rotate", principal: "secretsmanager.amazonaws.com", sourceArn: "arn:aws:secretsmanager:us-east-1:1:secret:s", ...over }, { name: "perm" });

describe("Lambda rules", () => {
    const rule = ruleSuite(lambdaRules);

    rule("lambda-supported-runtime", {
        compliant: () => [fn(), fn({ runtime: "nodejs24.x" }), fn({ runtime: undefined, packageType: "Image" })],
        missing: () => [fn({ runtime: undefined })],
        missingFindings: ["fn: runtime is unset: use one of nodejs22.x, nodejs24.x, python3.12, python3.13"],
        wrong: () => [fn({ runtime: "nodejs20.x" }), fn({ runtime: "nodejs18.x" })],
        wrongFindings: ['fn: runtime is "nodejs20.x": use one of nodejs22.x, nodejs24.x, python3.12, python3.13', 'fn: runtime is "nodejs18.x": use one of nodejs22.x, nodejs24.x, python3.12, python3.13'],
    });

    rule("lambda-multi-az", {
        compliant: () => [fn(), fn({ vpcConfig: undefined })],
        missing: () => [fn({ vpcConfig: { securityGroupIds: ["sg"] } })],
        missingFindings: ["fn: vpcConfig.subnetIds has 0 subnet(s): give it subnets in at least two Availability Zones"],
        wrong: () => [fn({ vpcConfig: { subnetIds: ["a"], securityGroupIds: ["sg"] } })],
        wrongFindings: ["fn: vpcConfig.subnetIds has 1 subnet(s): give it subnets in at least two Availability Zones"],
    });

    rule("lambda-managed-log-group", {
        compliant: () => [fn(), logGroup(), res(FUNCTION, { name: "age", runtime: "nodejs22.x" }, { name: "default-group" }), logGroup("/aws/lambda/age")],
        missing: () => [fn({ loggingConfig: undefined })],
        missingFindings: ["fn: its log group is not in the stack: create an aws.cloudwatch.LogGroup and set loggingConfig.logGroup"],
        wrong: () => [fn({ loggingConfig: { logGroup: "/aws/lambda/elsewhere" } }), logGroup()],
        wrongFindings: ["fn: its log group is not in the stack: create an aws.cloudwatch.LogGroup and set loggingConfig.logGroup"],
    });

    rule("lambda-permission-scoped", {
        compliant: () => [permission(), permission({ principal: "events.amazonaws.com", sourceArn: undefined, sourceAccount: "123456789012" }), permission({ principal: "123456789012", sourceArn: undefined })],
        missing: () => [permission({ sourceArn: undefined })],
        missingFindings: ["perm: principal secretsmanager.amazonaws.com without sourceArn or sourceAccount: any account's secretsmanager could invoke it"],
        wrong: () => [permission({ principal: "*" }), permission({ action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "NONE", principal: "123456789012" })],
        wrongFindings: ['perm: principal is "*": name the account or service', 'perm: functionUrlAuthType is "NONE": the function URL is public; use "AWS_IAM"'],
    });

    it("lists the supported runtimes in its description (docs/policy.md)", () => {
        expect(ruleNamed("lambda-supported-runtime").description).toBe("Functions run a supported runtime (nodejs22.x, nodejs24.x, python3.12, python3.13).");
    });

    it("passes a permission without a principal to the provider's own check", () => {
        expect(findings("lambda-permission-scoped", [permission({ principal: undefined })])).toEqual([]);
    });

    it("does not take a log group of another name for the function's default one", () => {
        expect(findings("lambda-managed-log-group", [res(FUNCTION, { name: "age", runtime: "nodejs22.x" }, { name: "f" }), logGroup("/aws/lambda/age-2")])).toEqual([
            "f: its log group is not in the stack: create an aws.cloudwatch.LogGroup and set loggingConfig.logGroup",
        ]);
    });
});
