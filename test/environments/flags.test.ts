import * as fs from "fs";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { FLAG_MONITORS } from "../../environments/flags";
import { AGENT_CONTAINER, AGENT_PORT, LOCAL_FLAGS_DIRECTORY, LOCAL_FLAGS_KEY, hostedContent, localContent, parseFlags } from "../../modules/flags";
import { contentHash } from "../../modules/workload/image";
import { validateKubernetesObject } from "../helpers/kubernetesSchema";
import { Plan, PlanQuery, PlannedResource, usedRole } from "../helpers/plan";
import { planWith } from "../helpers/planWith";
import { nonEmpty } from "../helpers/nonEmpty";
import { SECRET_SENTINELS } from "../helpers/stacks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plan's JSON, read by path in a test
type Json = any;

/**
 * The feature-flags layer in the committed stacks' plans (runbook 2.4, 1.2, 3.8 step 4): AppConfig
 * on the cloud stacks, watched by the real alarms; the agent in every track's pods, restricted like
 * every container and valid against the Kubernetes schema; its permissions as IAM evaluates them;
 * the local mode on dev and pr-<N>.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const CLOUD = ["staging", "production", "production-dr"] as const;
const flagsFile = parseFlags(fs.readFileSync(path.join(ROOT, "flags/flags.yaml"), "utf8"), "flags/flags.yaml").flags!;

/** The restricted container context every container of the project carries (modules/workload/security.ts). */
const RESTRICTED = { runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };

const podOf = (d: PlannedResource): Json => (d.inputs as Json).spec.template.spec;
const deploymentsOf = (plan: PlanQuery): PlannedResource[] => nonEmpty(plan.ofType("kubernetes:apps/v1:Deployment").filter((d) => (d.inputs as Json).metadata.name.startsWith("app-deployment")), "the app's Deployments") as PlannedResource[];
const agentOf = (d: PlannedResource): Json => podOf(d).initContainers.find((c: Json) => c.name === AGENT_CONTAINER);
const envOf = (c: Json): Record<string, string> => Object.fromEntries(c.env.map((e: Json) => [e.name, e.value]));

describe.each(CLOUD)("AppConfig on %s", (stack) => {
    const q = () => PlanQuery.of(stack);
    const environment = stack === "staging" ? "staging" : "production";

    it("has one application, environment and feature-flags profile, named as the agent's URL names them", () => {
        expect(q().one("aws:appconfig/application:Application").inputs["name"]).toBe(`myapp-${environment}`);
        expect(q().one("aws:appconfig/environment:Environment").inputs["name"]).toBe(environment);
        expect(q().one("aws:appconfig/configurationProfile:ConfigurationProfile").inputs).toMatchObject({ name: "feature-flags", type: "AWS.AppConfig.FeatureFlags", locationUri: "hosted" });
    });

    it("rolls back on the stack's own error-rate and latency alarms, read through a role AppConfig assumes", () => {
        const environmentResource = q().one("aws:appconfig/environment:Environment");
        const monitors = environmentResource.inputs["monitors"] as Json[];
        const alarms = FLAG_MONITORS.map((slug) => q().ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs["name"] === `${prefixOf(stack)}-${slug}`)!);
        // The ARNs of the alarms the observability layer creates, taken from those resources.
        expect(monitors.map((m) => m.alarmArn)).toEqual(alarms.map((a) => `arn:aws:cloudwatch:${regionOf(stack)}:123456789012:alarm:${a.id}`));
        expect(environmentResource.dependencies).toEqual(expect.arrayContaining(alarms.map((a) => a.urn)));
        // A DR rebuild's role is production's DR role (docs/dr-roles.md).
        const { role, policies } = usedRole(stack, `myapp-${environment}-flags-alarms`, "flags-alarms");
        expect(new Set(monitors.map((m) => m.alarmRoleArn))).toEqual(new Set([`arn:aws:iam::123456789012:role/${String(role.id)}`]));
        expect(JSON.parse(role.inputs["assumeRolePolicy"] as string).Statement[0].Principal).toEqual({ Service: "appconfig.amazonaws.com" });
        expect(policies).toHaveLength(1);
        const read = JSON.parse(policies[0]!.inputs["policy"] as string);
        expect(read.Statement).toEqual([{ Sid: "ReadAlarmStates", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" }]);
    });

    it("watches alarms that never sit in INSUFFICIENT_DATA for want of traffic (AppConfig rolls back on it too)", () => {
        for (const slug of FLAG_MONITORS) {
            const alarm = q().ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs["name"] === `${prefixOf(stack)}-${slug}`)!;
            expect([slug, alarm.inputs["treatMissingData"]]).toEqual([slug, "notBreaching"]);
        }
    });

    it("deploys the flags file's values of its environment with the gradual strategy, the version named after its content", () => {
        const content = hostedContent(flagsFile, environment);
        const version = q().one("aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion");
        expect(version.name).toBe(`myapp-${environment}-flags-version-${contentHash(content)}`);
        expect(version.inputs).toMatchObject({ contentType: "application/json", content: "[secret]" });
        // Kept in AppConfig when replaced (a rollback needs the previous version); the provider's spurious content diff ignored.
        expect(version.retainOnDelete).toBe(true);
        expect(version.options).toMatchObject({ ignoreChanges: ["content"] });
        const deployment = q().one("aws:appconfig/deployment:Deployment");
        const gradual = q().one("aws:appconfig/deploymentStrategy:DeploymentStrategy", `myapp-${environment}-flags-gradual`);
        expect(deployment.inputs).toMatchObject({ deploymentStrategyId: gradual.id, configurationVersion: "1", environmentId: "e123456" });
    });

    it("has the gradual strategy of its settings and an immediate one for the kill switch", () => {
        const strategy = (n: string) => q().one("aws:appconfig/deploymentStrategy:DeploymentStrategy", `myapp-${environment}-flags-${n}`).inputs;
        expect(strategy("gradual")).toMatchObject(
            stack === "staging"
                ? { growthType: "LINEAR", growthFactor: 50, deploymentDurationInMinutes: 2, finalBakeTimeInMinutes: 5, replicateTo: "NONE" }
                : { growthType: "LINEAR", growthFactor: 20, deploymentDurationInMinutes: 20, finalBakeTimeInMinutes: 10, replicateTo: "NONE" },
        );
        expect(strategy("immediate")).toMatchObject({ name: `${prefixOf(stack)}-immediate`, growthFactor: 100, deploymentDurationInMinutes: 0, finalBakeTimeInMinutes: 0 });
    });

    it("sends deployment events to the log group the dashboard shows beside the error rate", () => {
        const group = q().one("aws:cloudwatch/logGroup:LogGroup", `myapp-${environment}-flags-deployments`);
        expect(group.inputs["name"]).toBe(`/aws/events/${prefixOf(stack)}-feature-flags`);
        expect(String(group.inputs["kmsKeyId"])).toMatch(/^arn:aws:kms:/);
        const rule = q().one("aws:cloudwatch/eventRule:EventRule", `myapp-${environment}-flags-deployments`);
        expect(JSON.parse(rule.inputs["eventPattern"] as string)).toEqual({ source: ["aws.appconfig"], detail: { Application: { Id: ["a123456"] } } });
        expect(q().one("aws:appconfig/extensionAssociation:ExtensionAssociation").inputs["extensionArn"]).toBe(`arn:aws:appconfig:${regionOf(stack)}::extension/AWS.AppConfig.DeploymentNotificationsToEventBridge/1`);
        const policy = JSON.parse(q().ofType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy").find((p) => p.name.endsWith("-flags-deployments"))!.inputs["policyDocument"] as string);
        expect(policy.Statement[0]).toMatchObject({ Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] }, Resource: `arn:aws:logs:${regionOf(stack)}:123456789012:log-group:${group.inputs["name"]}:*` });
        const dashboard = JSON.parse(q().ofType("aws:cloudwatch/dashboard:Dashboard").find((d) => String(d.inputs["dashboardName"]).endsWith("-production"))!.inputs["dashboardBody"] as string);
        const titles = dashboard.widgets.map((w: Json) => [w.properties.title, w.y]);
        const errorRate = titles.find((t: Json) => t[0] === "Error rate (%), last hour");
        const deployments = dashboard.widgets.find((w: Json) => String(w.properties.title).startsWith("Feature flag deployments"));
        // Side by side: the same row.
        expect(deployments.y).toBe(errorRate[1]);
        expect(deployments.properties.query).toContain(`SOURCE '/aws/events/${prefixOf(stack)}-feature-flags'`);
    });

    it("tells the app where its flags are, and starts the agent with a prefetch of them", () => {
        const url = `http://localhost:${AGENT_PORT}/applications/myapp-${environment}/environments/${environment}/configurations/feature-flags`;
        const config = q().ofType("kubernetes:core/v1:ConfigMap").find((c) => (c.inputs as Json).data?.FEATURE_FLAGS_URL)!;
        expect((config.inputs as Json).data.FEATURE_FLAGS_URL).toBe(url);
        for (const d of deploymentsOf(q())) {
            expect(envOf(agentOf(d))).toEqual({
                SERVICE_REGION: regionOf(stack),
                POLL_INTERVAL: "30",
                LOG_LEVEL: "info",
                BACKUP_DIRECTORY: "/tmp",
                PREFETCH_LIST: new URL(url).pathname,
            });
        }
    });

    it("associates the app's service account with its role before the first pod (the Deployments wait for it)", () => {
        const association = q().one("aws:eks/podIdentityAssociation:PodIdentityAssociation", `myapp-${stack}-app-identity`);
        expect(association.inputs).toMatchObject({ namespace: "myapp", serviceAccount: "myapp" });
        const migrations = q().one("kubernetes:batch/v1:Job", "myapp-stable-migrations");
        expect(migrations.dependsOn).toContain(association.urn);
        expect(q().one("kubernetes:apps/v1:Deployment", "myapp-stable-deployment").dependsOn).toContain(migrations.urn);
    });
});

const regionOf = (stack: string): string => (stack === "production-dr" ? "us-west-2" : "us-east-1");
const prefixOf = (stack: string): string => `myapp-${stack}`;

describe("the agent beside the app, on every stack", () => {
    it.each(["dev", "pr-42", ...CLOUD])("is a native sidecar of every app Deployment of %s, restricted, resourced, valid against the Kubernetes schema", (stack) => {
        for (const d of deploymentsOf(PlanQuery.of(stack))) {
            const agent = agentOf(d);
            expect(agent).toMatchObject({
                // A DR rebuild pulls it through its own region's pull-through cache (modules/dr/imageCache.ts).
                image: stack === "production-dr" ? "123456789012.dkr.ecr.us-west-2.amazonaws.com/ecr-public/aws-appconfig/aws-appconfig-agent:2.0.13147" : "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147",
                restartPolicy: "Always",
                ports: [{ name: "flags", containerPort: AGENT_PORT, protocol: "TCP" }],
                resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
                securityContext: { ...RESTRICTED, runAsUser: 10001, runAsGroup: 10001 },
            });
            expect(agent.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
            expect(validateKubernetesObject(d)).toEqual({ kind: "valid" });
            // Not in the migrations Jobs: a sidecar there would outlive the migration.
        }
        for (const job of PlanQuery.of(stack).ofType("kubernetes:batch/v1:Job")) expect(podOf(job).initContainers?.some((c: Json) => c.name === AGENT_CONTAINER) ?? false).toBe(false);
    });

    describe("on the canary and green tracks too", () => {
        let canary: Plan;
        let blueGreen: Plan;
        beforeAll(async () => {
            const image = { repository: "myapp/backend", tag: "1.1.0" };
            canary = await planWith({ stack: "dev", config: { "ops:deployment": JSON.stringify({ strategy: "canary", canary: { image, weights: { stable: 90, canary: 10 } } }) } });
            blueGreen = await planWith({ stack: "dev", config: { "ops:deployment": JSON.stringify({ strategy: "blueGreen", blueGreen: { greenImage: image, active: "blue" } }) }, env: SECRET_SENTINELS });
        }, 60000);

        it.each([
            ["canary", () => canary, ["app-deployment", "app-deployment-canary"]],
            ["blue/green", () => blueGreen, ["app-deployment", "app-deployment-green"]],
        ] as const)("%s: every track's pods have the agent", (_what, plan, names) => {
            const deployments = deploymentsOf(new PlanQuery(plan()));
            expect(deployments.map((d) => [(d.inputs as Json).metadata.name, agentOf(d)?.name])).toEqual(names.map((n) => [n, AGENT_CONTAINER]));
        });
    });
});

describe("the local development mode on dev and pr-<N>", () => {
    it.each([
        ["dev", "development"],
        ["pr-42", "staging"],
    ])("%s: the agent serves the %s values of the flags file from a ConfigMap, without AWS", (stack, environment) => {
        const q = PlanQuery.of(stack);
        expect(q.ofPackage("aws").filter((r) => r.type.startsWith("aws:appconfig"))).toEqual([]);
        const local = localContent(flagsFile, environment as "development" | "staging");
        const configMap = q.one("kubernetes:core/v1:ConfigMap", `myapp-${environment}-flags-config`);
        expect((configMap.inputs as Json).metadata.name).toBe("feature-flags");
        expect((configMap.inputs as Json).data).toEqual({ [LOCAL_FLAGS_KEY]: local.text });
        // Mutable: a changed flag reaches the running pods without a restart, like an AppConfig deployment.
        expect((configMap.inputs as Json).immutable).toBeUndefined();
        for (const d of deploymentsOf(q)) {
            const agent = agentOf(d);
            expect(envOf(agent)["LOCAL_DEVELOPMENT_DIRECTORY"]).toBe(LOCAL_FLAGS_DIRECTORY);
            expect(envOf(agent)["PREFETCH_LIST"]).toBeUndefined();
            expect(agent.volumeMounts).toContainEqual({ name: "feature-flags", mountPath: LOCAL_FLAGS_DIRECTORY, readOnly: true });
            expect(podOf(d).volumes).toContainEqual({
                name: "feature-flags",
                configMap: { name: "feature-flags", items: [{ key: LOCAL_FLAGS_KEY, path: `myapp-${environment}:${environment}:feature-flags${local.extension}` }] },
            });
        }
    });
});

describe("the agent's permissions, as IAM evaluates them", () => {
    const ACCOUNT = "123456789012";
    const policyOf = (stack: string): Record<string, unknown> => {
        const q = PlanQuery.of(stack);
        const policy = q.one("aws:iam/rolePolicy:RolePolicy", `myapp-${stack}-app-identity-feature-flags`);
        expect(policy.inputs["name"]).toBe("feature-flags");
        return JSON.parse(policy.inputs["policy"] as string) as Record<string, unknown>;
    };
    const configuration = (region: string, app: string, env: string, profile: string) => `arn:aws:appconfig:${region}:${ACCOUNT}:application/${app}/environment/${env}/configuration/${profile}`;
    async function decide(policy: Record<string, unknown>, action: string, resource: string, environmentTag = "production"): Promise<string> {
        const result = await runSimulation(
            {
                identityPolicies: [{ name: "agent", policy }],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/myapp-production-app-identity-role`, resource: { accountId: ACCOUNT, resource }, contextVariables: { "aws:ResourceTag/environment": environmentTag } },
            },
            {},
        );
        if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
        return result.overallResult;
    }

    it.each([
        ["appconfig:StartConfigurationSession", configuration("us-east-1", "a123456", "e123456", "p123456"), "Allowed"],
        ["appconfig:GetLatestConfiguration", configuration("us-east-1", "a123456", "e123456", "p123456"), "Allowed"],
        ["appconfig:GetLatestConfiguration", configuration("us-west-2", "a123456", "e123456", "p123456"), "ImplicitlyDenied"],
        // It reads flags; it cannot change or deploy them.
        ["appconfig:StartDeployment", `arn:aws:appconfig:us-east-1:${ACCOUNT}:application/a123456/environment/e123456`, "ImplicitlyDenied"],
        ["appconfig:CreateHostedConfigurationVersion", `arn:aws:appconfig:us-east-1:${ACCOUNT}:application/a123456/configurationprofile/p123456`, "ImplicitlyDenied"],
    ])("production: %s on %s is %s", async (action, resource, expected) => {
        expect(await decide(policyOf("production"), action, resource)).toBe(expected);
    });

    it("reads no configuration of another environment (staging's flags, another app's)", async () => {
        const other = configuration("us-east-1", "b999999", "other00", "q999999");
        expect(await decide(policyOf("production"), "appconfig:GetLatestConfiguration", other, "staging")).toBe("ImplicitlyDenied");
        expect(await decide(policyOf("staging"), "appconfig:GetLatestConfiguration", configuration("us-east-1", "a123456", "e123456", "p123456"), "production")).toBe("ImplicitlyDenied");
    });

    it("names this environment's configurations by their tag, in the stack's region (the ids are AppConfig's, made after the role)", () => {
        const statement = (region: string, environment: string) => ({
            Sid: "ReadThisEnvironmentsFeatureFlags",
            Effect: "Allow",
            Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
            Resource: configuration(region, "*", "*", "*"),
            Condition: { StringEquals: { "aws:ResourceTag/environment": environment } },
        });
        expect(policyOf("production")["Statement"]).toEqual([statement("us-east-1", "production")]);
        // The rebuild's is in the DR role set production creates (a rebuild creates no IAM).
        const app = (PlanQuery.of("production-dr").plan.outputs["drRoles"] as { roles: Array<{ purpose: string; inlinePolicies: Record<string, unknown[]> }> }).roles.find((r) => r.purpose === "app")!;
        expect(JSON.parse(JSON.stringify(app.inlinePolicies["feature-flags"]).split("{partition}").join("aws").split("{account}").join(ACCOUNT))).toEqual([statement("us-west-2", "production")]);
        // Every AppConfig resource carries the tag, through the provider's default tags.
        const provider = PlanQuery.of("production").one("pulumi:providers:aws", "myapp-us-east-1");
        expect((JSON.parse(String(provider.inputs["defaultTags"])) as { tags: Record<string, string> }).tags["environment"]).toBe("production");
    });

    it("is attached to the app's Pod Identity role, beside its business metrics and nothing else", () => {
        const q = PlanQuery.of("production");
        const role = q.one("aws:iam/role:Role", "myapp-production-app-identity");
        expect(JSON.parse(role.inputs["assumeRolePolicy"] as string).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
        const attached = [...q.ofType("aws:iam/rolePolicy:RolePolicy"), ...q.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")].filter((p) => p.inputs["role"] === role.id);
        expect(attached.map((p) => p.name).sort()).toEqual(["myapp-production-app-identity-business-metrics", "myapp-production-app-identity-feature-flags"]);
    });
});
