/**
 * Lambda functions (`aws:lambda/function:Function`) and their resource policies.
 */
import { EVERYWHERE, PolicyRule } from "../rule";
import { asArray, at, refersTo, shown, str } from "../values";

const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/**
 * Runtimes this project may use that Lambda supports (AWS Lambda Developer Guide, "Lambda
 * runtimes"): nodejs20.x reached its deprecation date on 2026-04-30 with Node.js 20's end of
 * life. Add a runtime when Lambda adds it; remove one when Lambda announces its deprecation.
 */
export const SUPPORTED_RUNTIMES = ["nodejs22.x", "nodejs24.x", "python3.12", "python3.13"] as const;

export const lambdaRules: PolicyRule[] = [
    {
        name: "lambda-supported-runtime",
        service: "Lambda",
        description: `Functions run a supported runtime (${SUPPORTED_RUNTIMES.join(", ")}).`,
        rationale: "A deprecated runtime gets no security patches, and Lambda later blocks updating the function: a rotation fix could not be deployed during an incident.",
        controls: [
            { framework: "Security Hub FSBP", id: "Lambda.2" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-L1" },
        ],
        enforcement: EVERYWHERE,
        types: [FUNCTION],
        check: (f) => {
            if (f.inputs["packageType"] === "Image") return [];
            const runtime = f.inputs["runtime"];
            return typeof runtime === "string" && (SUPPORTED_RUNTIMES as readonly string[]).includes(runtime) ? [] : [`runtime is ${shown(runtime)}: use one of ${SUPPORTED_RUNTIMES.join(", ")}`];
        },
    },
    {
        name: "lambda-multi-az",
        service: "Lambda",
        description: "Functions in a VPC have subnets in at least two Availability Zones.",
        rationale: "A VPC function with one subnet cannot run while that zone is down; the database password rotation would fail with it.",
        controls: [{ framework: "Security Hub FSBP", id: "Lambda.5" }],
        enforcement: EVERYWHERE,
        types: [FUNCTION],
        check: (f) => {
            const vpc = f.inputs["vpcConfig"];
            if (vpc === undefined) return [];
            const subnets = asArray(at(vpc, "subnetIds")).length;
            return subnets >= 2 ? [] : [`vpcConfig.subnetIds has ${subnets} subnet(s): give it subnets in at least two Availability Zones`];
        },
    },
    {
        name: "lambda-managed-log-group",
        service: "Lambda",
        description: "Each function logs to a log group the stack manages (loggingConfig.logGroup, or /aws/lambda/<name> created beforehand).",
        rationale: "Otherwise Lambda creates its log group on first run, unencrypted and kept forever, outside the runbook's retention (3.3).",
        controls: [
            { framework: "Runbook", id: "3.3 log retention" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod" },
        ],
        enforcement: EVERYWHERE,
        types: [FUNCTION],
        check: (f, stack) => {
            const groups = stack.ofType(LOG_GROUP);
            const problem = ["its log group is not in the stack: create an aws.cloudwatch.LogGroup and set loggingConfig.logGroup"];
            // A named log group replaces the default /aws/lambda/<name> one.
            if (at(f.inputs, "loggingConfig", "logGroup") !== undefined) return groups.some((g) => refersTo(f, "loggingConfig", g)) ? [] : problem;
            const name = str(f.inputs["name"]);
            return name && groups.some((g) => g.inputs["name"] === `/aws/lambda/${name}`) ? [] : problem;
        },
    },
    {
        name: "lambda-permission-scoped",
        service: "Lambda",
        description: "Function permissions name a principal and, for AWS services, the source (sourceArn or sourceAccount); no public function URL.",
        rationale: "A service principal without a source lets that service invoke the function on behalf of any account (the confused deputy); `*` or an unauthenticated URL lets anyone.",
        controls: [{ framework: "Security Hub FSBP", id: "Lambda.1" }],
        enforcement: EVERYWHERE,
        types: [PERMISSION],
        check: (p) => {
            const principal = p.inputs["principal"];
            if (principal === "*") return ['principal is "*": name the account or service'];
            if (p.inputs["functionUrlAuthType"] === "NONE") return ['functionUrlAuthType is "NONE": the function URL is public; use "AWS_IAM"'];
            if (typeof principal === "string" && principal.endsWith(".amazonaws.com") && !str(p.inputs["sourceArn"]) && !str(p.inputs["sourceAccount"]))
                return [`principal ${principal} without sourceArn or sourceAccount: any account's ${principal.split(".")[0]} could invoke it`];
            return [];
        },
    },
];
