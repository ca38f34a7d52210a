import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { contentHash } from "../workload/image";
import { policyJson, serviceTrust } from "../aws/iam";
import { RoleStatement, Roles } from "../aws/roles";
import type { FlagsEndpoint } from "./agent";
import { FEATURE_FLAGS_TYPE } from "./content";
import { agentReadStatements, alarmReadStatements } from "./policy";

/** How a new version of the flags reaches the agents (an AppConfig deployment strategy). */
export interface RolloutStrategy {
    /** `LINEAR`: the same share each step; `EXPONENTIAL`: doubling from `growthPercent`. */
    growthType: "LINEAR" | "EXPONENTIAL";
    /** Share of the agents that get the new version at each step, percent (1 to 100). */
    growthPercent: number;
    /** The whole rollout, minutes (0 to 1440). */
    durationMinutes: number;
    /** Minutes the alarms are still watched after the last step (0 to 1440): a rollback is automatic until then. */
    bakeMinutes: number;
}

/** The kill switch's strategy: everything at once, no bake (during an incident the alarms are already firing, and a bake would roll the kill back). */
export const IMMEDIATE: RolloutStrategy = { growthType: "LINEAR", growthPercent: 100, durationMinutes: 0, bakeMinutes: 0 };

/** The AppConfig extension that puts deployment events on the default EventBridge bus ("AWS AppConfig deployment events to Amazon EventBridge", user guide). */
export function deploymentEventsExtensionArn(partition: string, region: string): string {
    return `arn:${partition}:appconfig:${region}::extension/AWS.AppConfig.DeploymentNotificationsToEventBridge/1`;
}

/** The EventBridge pattern of this application's deployment events (started, completed, rolled back). */
export function deploymentEventsPattern(applicationId: string): Record<string, unknown> {
    return { source: ["aws.appconfig"], detail: { Application: { Id: [applicationId] } } };
}

export interface FeatureFlagsArgs {
    /** The application, environment and configuration profile names (the agent's URL names them). */
    endpoint: FlagsEndpoint;
    /** Prefix of the strategies' and the log resource policy's names: `<app>-<stack>`. */
    namePrefix: string;
    /** The hosted configuration (modules/flags/content `hostedContent`). */
    content: string;
    /** The alarms AppConfig watches during a deployment: one in ALARM rolls it back (at most 5). */
    monitors: Array<{ slug: string; alarmArn: pulumi.Input<string> }>;
    /** How `pulumi up` rolls a new version out. */
    rollout: RolloutStrategy;
    /** Where deployment events are kept for the dashboard: the log group's name, retention and key. */
    deploymentLog: { name: string; retentionDays: number; kmsKeyArn: pulumi.Input<string> };
    /** The region the flags live in (the extension's ARN names it). */
    region: string;
    provider: aws.Provider;
    /**
     * A tag the provider puts on every AppConfig resource of this stack (its default `environment`
     * tag): the agent's read is held to the configurations that carry it.
     */
    readScopeTag: { key: string; value: string };
    /** Where AppConfig's alarm role comes from. @default created here */
    roles?: Roles;
}

/**
 * The feature flags of a cloud stack in AWS AppConfig (runbook 2.4, 1.2): an application, an
 * environment that watches the stack's error-rate and latency alarms (a flag change that raises
 * them rolls back on its own), a configuration profile of type `AWS.AppConfig.FeatureFlags`, the
 * flags as a hosted configuration version, and its deployment with the gradual strategy. An
 * immediate strategy is there for the kill switch (`npm run flags -- kill`).
 *
 * Flag changes touch nothing else: the hosted version is named after its content, so a new
 * `flags/flags.yaml` is a new version resource (and a new deployment) while an unchanged one is
 * left alone, whatever the provider's diff says of `content` (which it reports as changed on every
 * update: pulumi/pulumi-aws#2172, hashicorp/terraform-provider-aws#20273). Old versions stay in
 * AppConfig (`retainOnDelete`): AppConfig rolls back to the previous version, which must still
 * exist, and the history is the audit trail. A deployment cannot be deleted; replacing the
 * resource starts the next one and forgets the last.
 */
export class FeatureFlags extends pulumi.ComponentResource {
    readonly applicationId: pulumi.Output<string>;
    readonly environmentId: pulumi.Output<string>;
    readonly profileId: pulumi.Output<string>;
    /** The ARN the agent's permissions name. */
    readonly configurationArn: pulumi.Output<string>;
    /** The agent's policy (this environment's profile, read only), for the app's Pod Identity role. */
    readonly agentPolicy: RoleStatement[];
    readonly gradualStrategyId: pulumi.Output<string>;
    readonly immediateStrategyId: pulumi.Output<string>;
    readonly versionNumber: pulumi.Output<number>;
    readonly deploymentLogGroup: string;

    constructor(name: string, args: FeatureFlagsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:flags:FeatureFlags", name, {}, opts);
        validate(args);
        const child = { parent: this, provider: args.provider };
        const e = args.endpoint;
        const application = new aws.appconfig.Application(`${name}-application`, { name: e.application, description: "Feature flags (runbook 2.4): flags/flags.yaml" }, child);

        const alarmSpec = {
            purpose: "flags-alarms",
            description: "AppConfig: read the alarms that roll a flag deployment back",
            trustPolicy: serviceTrust("appconfig.amazonaws.com"),
            managedPolicyArns: [],
            inlinePolicies: { alarms: alarmReadStatements() },
        };
        const alarmRole = (args.roles ?? new Roles()).role(alarmSpec, { role: `${name}-alarms`, policy: () => `${name}-alarms` }, child);
        const environment = new aws.appconfig.Environment(
            `${name}-environment`,
            {
                applicationId: application.id,
                name: e.environment,
                description: `Rolls back when ${args.monitors.map((m) => m.slug).join(" or ")} fires`,
                monitors: args.monitors.map((m) => ({ alarmArn: m.alarmArn, alarmRoleArn: alarmRole.arn })),
            },
            child,
        );
        const profile = new aws.appconfig.ConfigurationProfile(
            `${name}-profile`,
            { applicationId: application.id, name: e.profile, locationUri: "hosted", type: FEATURE_FLAGS_TYPE, description: "flags/flags.yaml, this environment's values" },
            child,
        );
        const gradual = this.strategy(`${name}-gradual`, `${args.namePrefix}-gradual`, args.rollout, "pulumi up: a new flags version, step by step, watched by the alarms", child);
        const immediate = this.strategy(`${name}-immediate`, `${args.namePrefix}-immediate`, IMMEDIATE, "Kill switch: every agent at once, no bake (npm run flags -- kill)", child);

        const hash = contentHash(args.content);
        const version = new aws.appconfig.HostedConfigurationVersion(
            `${name}-version-${hash}`,
            {
                applicationId: application.id,
                configurationProfileId: profile.configurationProfileId,
                contentType: "application/json",
                content: args.content,
                description: `flags/flags.yaml, content ${hash}`,
            },
            { ...child, retainOnDelete: true, ignoreChanges: ["content"] },
        );
        new aws.appconfig.Deployment(
            `${name}-deployment`,
            {
                applicationId: application.id,
                environmentId: environment.environmentId,
                configurationProfileId: profile.configurationProfileId,
                configurationVersion: version.versionNumber.apply(String),
                deploymentStrategyId: gradual.id,
                description: `flags/flags.yaml, content ${hash}`,
            },
            child,
        );

        this.deploymentLogGroup = args.deploymentLog.name;
        this.deploymentEvents(name, args, application, environment, child);
        const configurationArn = pulumi.interpolate`${environment.arn}/configuration/${profile.configurationProfileId}`;
        this.agentPolicy = agentReadStatements(args.region, args.readScopeTag);

        this.applicationId = application.id;
        this.environmentId = environment.environmentId;
        this.profileId = profile.configurationProfileId;
        this.configurationArn = configurationArn;
        this.gradualStrategyId = gradual.id;
        this.immediateStrategyId = immediate.id;
        this.versionNumber = version.versionNumber;
        this.registerOutputs({ applicationId: this.applicationId, environmentId: this.environmentId, profileId: this.profileId });
    }

    private strategy(resourceName: string, strategyName: string, s: RolloutStrategy, description: string, child: pulumi.CustomResourceOptions): aws.appconfig.DeploymentStrategy {
        return new aws.appconfig.DeploymentStrategy(
            resourceName,
            {
                name: strategyName,
                description,
                growthType: s.growthType,
                growthFactor: s.growthPercent,
                deploymentDurationInMinutes: s.durationMinutes,
                finalBakeTimeInMinutes: s.bakeMinutes,
                replicateTo: "NONE",
            },
            child,
        );
    }

    /** Deployment events (started, completed, rolled back) into a log group the dashboard reads, beside the error rate. */
    private deploymentEvents(name: string, args: FeatureFlagsArgs, application: aws.appconfig.Application, environment: aws.appconfig.Environment, child: pulumi.CustomResourceOptions): void {
        new aws.appconfig.ExtensionAssociation(`${name}-events`, { extensionArn: environment.arn.apply((arn) => deploymentEventsExtensionArn(arn.split(":")[1]!, args.region)), resourceArn: environment.arn }, child);
        const log = args.deploymentLog;
        const group = new aws.cloudwatch.LogGroup(`${name}-deployments`, { name: log.name, retentionInDays: log.retentionDays, kmsKeyId: log.kmsKeyArn }, child);
        // EventBridge writes to a log group only where the group's resource policy lets it.
        new aws.cloudwatch.LogResourcePolicy(
            `${name}-deployments`,
            {
                policyName: `${args.namePrefix}-flag-deployments`,
                policyDocument: policyJson([
                    {
                        Sid: "EventBridgeWritesFlagDeployments",
                        Effect: "Allow",
                        Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${group.arn}:*`,
                    },
                ]),
            },
            child,
        );
        const rule = new aws.cloudwatch.EventRule(
            `${name}-deployments`,
            { description: `${args.namePrefix}: feature flag deployments (AppConfig)`, eventPattern: application.id.apply((id) => JSON.stringify(deploymentEventsPattern(id))) },
            child,
        );
        new aws.cloudwatch.EventTarget(`${name}-deployments`, { rule: rule.name, arn: group.arn }, child);
    }
}

/** AppConfig's limits on what the component is given, before any resource exists. */
function validate(args: FeatureFlagsArgs): void {
    const problems: string[] = [];
    const r = args.rollout;
    if (args.monitors.length === 0 || args.monitors.length > 5) problems.push(`monitors: 1 to 5 alarms (AppConfig's limit), got ${args.monitors.length}`);
    if (!(r.growthPercent >= 1 && r.growthPercent <= 100)) problems.push(`rollout.growthPercent: 1 to 100, got ${r.growthPercent}`);
    for (const k of ["durationMinutes", "bakeMinutes"] as const) if (!(Number.isInteger(r[k]) && r[k] >= 0 && r[k] <= 1440)) problems.push(`rollout.${k}: 0 to 1440 minutes, got ${r[k]}`);
    if (problems.length > 0) throw new Error(`FeatureFlags: ${problems.join("; ")}`);
}
