import YAML from "yaml";
import { base, profiles } from "../../../settings/profiles";
import {
    AlarmDefinition,
    cacheClusterIds,
    loadBalancerArnSuffix,
    targetGroupArnSuffix,
    MonitoredTargets,
    alarmCatalog,
    AlarmSlug,
    CATALOG_SLUGS,
    collectorConfig,
    containerInsightsLogGroupNames,
    postgresMaxConnections,
} from "../../../modules/observability";
import { PlanQuery, PlannedResource } from "../../helpers/plan";
import { nonEmpty } from "../../helpers/nonEmpty";

/** The runbook's thresholds: the base profile's. */
const THRESHOLDS = base.alerts.thresholds;

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const inputs = (r: PlannedResource): Record<string, unknown> => r.inputs;

/** The monitored resources' identifiers, read from the plan itself. */
function targetsOf(plan: PlanQuery): MonitoredTargets<string> & { clusterName: string; logGroups: string[] } {
    const lb = plan.one("aws:lb/loadBalancer:LoadBalancer");
    const rds = plan.one("aws:rds/instance:Instance");
    const cache = plan.one("aws:elasticache/replicationGroup:ReplicationGroup");
    const clusterName = String(inputs(plan.one("aws:eks/cluster:Cluster"))["name"]);
    return {
        loadBalancer: { arnSuffix: loadBalancerArnSuffix(lb.id!), targetGroupArnSuffixes: plan.ofType("aws:lb/targetGroup:TargetGroup").map((t) => targetGroupArnSuffix(t.id!)) },
        healthCheck: { id: plan.one("aws:route53/healthCheck:HealthCheck").id! },
        database: { identifier: String(inputs(rds)["identifier"]), maxConnections: postgresMaxConnections(String(inputs(rds)["instanceClass"])) },
        cache: { cacheClusterIds: cacheClusterIds(String(inputs(cache)["replicationGroupId"]), Number(inputs(cache)["numCacheClusters"])) },
        cluster: { name: clusterName },
        certificate: { arn: plan.one("aws:acm/certificate:Certificate").id! },
        backup: {
            vaultNames: plan.ofType("aws:backup/vault:Vault").filter((v) => !/-dr$/.test(v.id!)).map((v) => v.id!),
            restoreTestResourceType: "RDS",
            // Where the weekly restore test runs, its validation's failures count too.
            ...(plan.ofType("aws:backup/restoreTestingPlan:RestoreTestingPlan").length === 1
                ? { restoreValidation: { namespace: "myapp/Backup", restoreTestingPlan: String(inputs(plan.one("aws:backup/restoreTestingPlan:RestoreTestingPlan"))["name"]) } }
                : {}),
        },
        secrets: { namespace: "myapp/Secrets", secretsPrefix: `myapp/${clusterName.replace(/^myapp-/, "")}/` },
        clusterName,
        logGroups: plan.ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => String(inputs(g)["name"])),
    };
}

describe.each([
    ["production", 90],
    ["staging", 30],
] as const)("the %s stack's observability", (stack, retentionDays) => {
    const plan = PlanQuery.of(stack).withoutStandby();
    const prefix = `myapp-${stack}`;
    const targets = targetsOf(plan);
    const catalogue = new Map(alarmCatalog(THRESHOLDS, targets).map((d) => [d.slug, d]));
    const alarms = plan.ofType(ALARM).filter((a) => String(inputs(a)["name"]).startsWith(`${prefix}-`));
    const slugOf = (a: PlannedResource): AlarmSlug => String(inputs(a)["name"]).slice(prefix.length + 1) as AlarmSlug;
    const topics = Object.fromEntries(plan.ofType("aws:sns/topic:Topic").map((t) => [String(inputs(t)["name"]), t]));
    const logsKey = plan.one("aws:kms/key:Key", `${prefix}-keys-logs`);

    it("has every catalogue alarm once (the secrets layer creates secret-overdue), and no other", () => {
        expect(alarms.map(slugOf).sort()).toEqual([...CATALOG_SLUGS].sort());
    });

    it("gives each alarm the metric, statistic, threshold and window of its catalogue entry", () => {
        for (const a of nonEmpty(alarms, "the alarms")) {
            const d = catalogue.get(slugOf(a)) as AlarmDefinition;
            const i = inputs(a);
            expect({ slug: d.slug, comparisonOperator: i["comparisonOperator"], datapointsToAlarm: i["datapointsToAlarm"], treatMissingData: i["treatMissingData"] }).toEqual({
                slug: d.slug,
                comparisonOperator: d.comparison,
                datapointsToAlarm: d.datapointsToAlarm,
                treatMissingData: d.treatMissingData,
            });
            if (d.metric.kind === "anomaly") {
                expect(i["thresholdMetricId"]).toBe("band");
            } else {
                expect(i["threshold"]).toBe(d.threshold);
            }
            if (d.metric.kind === "metric") {
                const m = d.metric.metric;
                expect([i["namespace"], i["metricName"], i["statistic"] ?? i["extendedStatistic"], i["dimensions"]]).toEqual([m.namespace, m.metricName, m.stat, m.dimensions]);
                expect(Number(i["period"]) * Number(i["evaluationPeriods"])).toBe(d.periodSeconds * d.evaluationPeriods);
            } else {
                const queries = i["metricQueries"] as Array<{ id: string; expression?: string; metric?: Record<string, unknown> }>;
                const read = queries.filter((q) => q.metric).map((q) => [q.metric!["namespace"], q.metric!["metricName"], q.metric!["stat"], q.metric!["dimensions"]]);
                const want = d.metric.kind === "math" ? d.metric.metrics.map((m) => [m.namespace, m.metricName, m.stat, m.dimensions]) : [[d.metric.metric.namespace, d.metric.metric.metricName, d.metric.metric.stat, d.metric.metric.dimensions]];
                expect(read).toEqual(want);
                for (const q of queries.filter((x) => x.metric)) expect(Number(q.metric!["period"]) * Number(i["evaluationPeriods"])).toBe(d.periodSeconds * d.evaluationPeriods);
                if (d.metric.kind === "math") expect(queries.find((q) => q.expression)?.expression).toBe(d.metric.expression);
            }
        }
    });

    it("sends each alarm, and its recovery, to its severity's topic", () => {
        for (const a of nonEmpty(alarms, "the alarms")) {
            const severity = (inputs(a)["tags"] as Record<string, string>)["severity"]!;
            expect(severity).toBe(catalogue.get(slugOf(a))!.severity);
            const topic = topics[`${prefix}-alerts-${severity}`]!;
            expect(inputs(a)["alarmActions"]).toEqual([topic.id]);
            expect(inputs(a)["okActions"]).toEqual([topic.id]);
        }
    });

    it("links each alarm's runbook in its description", () => {
        for (const a of nonEmpty(alarms, "the alarms")) expect(String(inputs(a)["alarmDescription"])).toMatch(new RegExp(`Runbook: https://docs\\.example\\.com/runbooks/${slugOf(a)}$`));
    });

    it("encrypts the four severity topics with the logs key and refuses plain HTTP", () => {
        expect(Object.keys(topics).sort()).toEqual(["critical", "high", "low", "medium"].map((s) => `${prefix}-alerts-${s}`));
        for (const t of Object.values(topics)) expect(inputs(t)["kmsMasterKeyId"]).toBe(`arn:aws:kms:us-east-1:123456789012:key/${logsKey.id}`);
        for (const p of plan.allOf("aws:sns/topicPolicy:TopicPolicy")) {
            const doc = JSON.parse(String(inputs(p)["policy"])) as { Statement: Array<Record<string, unknown>> };
            expect(doc.Statement).toContainEqual(
                expect.objectContaining({ Effect: "Deny", Action: "SNS:*", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: inputs(p)["arn"] }),
            );
            expect(doc.Statement).toContainEqual(expect.objectContaining({ Effect: "Allow", Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] } }));
        }
    });

    it("pages PagerDuty for critical and high only, through a secret URL; no Slack or email without settings", () => {
        const subs = plan.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs["topic"], s.inputs["protocol"], s.inputs["endpoint"], s.inputs["endpointAutoConfirms"]]);
        expect(subs).toEqual([
            [topics[`${prefix}-alerts-critical`]!.id, "https", "[secret]", true],
            [topics[`${prefix}-alerts-high`]!.id, "https", "[secret]", true],
        ]);
        expect(plan.ofType("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration")).toEqual([]);
    });

    it(`keeps every log group ${retentionDays} days, and creates Container Insights' groups encrypted with the logs key`, () => {
        for (const g of plan.allOf("aws:cloudwatch/logGroup:LogGroup")) expect([g.name, inputs(g)["retentionInDays"]]).toEqual([g.name, retentionDays]);
        for (const name of containerInsightsLogGroupNames(targets.clusterName)) {
            const g = plan.ofType("aws:cloudwatch/logGroup:LogGroup").find((x) => inputs(x)["name"] === name);
            expect(g && inputs(g)["kmsKeyId"]).toBe(`arn:aws:kms:us-east-1:123456789012:key/${logsKey.id}`);
        }
    });

    it("saves a Logs Insights query per searchable field over the app's log group", () => {
        const queries = plan.ofType("aws:cloudwatch/queryDefinition:QueryDefinition");
        expect(queries.map((q) => inputs(q)["name"])).toEqual(["request_id", "user_id", "error_code", "service"].map((f) => `${prefix}/by-${f}`));
        for (const q of queries) {
            expect(inputs(q)["logGroupNames"]).toEqual([`/aws/containerinsights/${targets.clusterName}/application`]);
            const field = String(inputs(q)["name"]).replace(`${prefix}/by-`, "");
            expect(String(inputs(q)["queryString"])).toContain(`log_processed.${field}`);
        }
    });

    it("checks https://<host>/health for the healthy body, and calls a failure for a minute service down", () => {
        const check = plan.one("aws:route53/healthCheck:HealthCheck");
        expect(inputs(check)).toMatchObject({
            type: "HTTPS_STR_MATCH",
            fqdn: profiles[stack].hostname,
            port: 443,
            resourcePath: "/health",
            searchString: '"status":"healthy"',
            requestInterval: 10,
            failureThreshold: 3,
        });
        const down = alarms.find((a) => slugOf(a) === "service-down")!;
        expect(inputs(down)["dimensions"]).toEqual({ HealthCheckId: check.id });
    });

    describe("dashboards", () => {
        const dashboards = plan.ofType("aws:cloudwatch/dashboard:Dashboard");
        const bodies = dashboards.map((d) => JSON.parse(String(inputs(d)["dashboardBody"])) as { widgets: Array<{ type: string; x: number; y: number; width: number; properties: Record<string, unknown> }> });

        it("are Production, Infrastructure and Business", () => {
            expect(dashboards.map((d) => inputs(d)["dashboardName"])).toEqual(["production", "infrastructure", "business"].map((k) => `${prefix}-${k}`));
        });

        it("lay every widget inside the 24 columns without overlap", () => {
            for (const b of nonEmpty(bodies, "the dashboards")) {
                const cells = new Set<string>();
                for (const w of nonEmpty(b.widgets, "a dashboard's widgets")) {
                    expect(w.x + w.width).toBeLessThanOrEqual(24);
                    const key = `${w.x},${w.y}`;
                    expect(cells.has(key)).toBe(false);
                    cells.add(key);
                }
            }
        });

        it("name only resources of this stack", () => {
            const dims = new Map<string, Set<string>>();
            const note = (k: string, v: unknown): void => void (dims.get(k) ?? dims.set(k, new Set()).get(k)!).add(String(v));
            const text = JSON.stringify(bodies);
            for (const b of bodies) {
                for (const w of b.widgets.filter((x) => x.type === "metric")) {
                    for (const m of w.properties["metrics"] as unknown[][]) {
                        const plain = m.filter((x) => typeof x === "string") as string[];
                        for (let i = 2; i + 1 < plain.length; i += 2) note(plain[i]!, plain[i + 1]);
                    }
                }
            }
            expect([...dims.get("LoadBalancer")!]).toEqual([targets.loadBalancer!.arnSuffix]);
            expect([...dims.get("DBInstanceIdentifier")!]).toEqual([targets.database!.identifier]);
            expect([...dims.get("CacheClusterId")!].sort()).toEqual([...targets.cache!.cacheClusterIds].sort());
            expect([...dims.get("ClusterName")!]).toEqual([targets.clusterName]);
            for (const [, name] of nonEmpty([...text.matchAll(/ClusterName=\\"([^\\"]+)\\"/g)], "the widgets' ClusterName filters")) expect(name).toBe(targets.clusterName);
            for (const [, group] of nonEmpty([...text.matchAll(/SOURCE '([^']+)'/g)], "the widgets' log queries")) expect(targets.logGroups).toContain(group);
            const alarmWidget = bodies[0]!.widgets.find((w) => w.type === "alarm")!;
            const alarmArns = plan.ofType(ALARM).map((a) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${String(inputs(a)["name"])}`);
            expect((alarmWidget.properties["alarms"] as string[]).length).toBeGreaterThanOrEqual(19);
            for (const arn of nonEmpty(alarmWidget.properties["alarms"] as string[], "the alarm widget's alarms")) expect(alarmArns).toContain(arn);
        });

        it("show the runbook's panels", () => {
            const titles = bodies.map((b) => b.widgets.map((w) => String(w.properties["title"] ?? "")));
            expect(titles[0]).toEqual(
                expect.arrayContaining([
                    "Request rate, last hour (per minute)",
                    "Request rate, last 24 hours (per 5 minutes)",
                    "Request rate, last 7 days (per hour)",
                    "Error rate (%), last hour",
                    "Error rate (%), last 24 hours",
                    "Response time (seconds): p50, p95, p99",
                    "Active users (last 5 minutes)",
                    "Database connections",
                    "Cache hit rate (%)",
                    "Active alarms",
                ]),
            );
            expect(titles[0]!.some((t) => t.startsWith("Recent deployments"))).toBe(true);
            expect(titles[1]).toEqual(expect.arrayContaining(["CPU per node (%)", "Memory per node (%)", "Disk I/O per node (bytes)", "Network I/O (bytes/s) and its expected band", "Container health"]));
            expect(titles[1]!.filter((t) => t.startsWith("Database")).length).toBeGreaterThanOrEqual(2);
            expect(titles[2]).toEqual(
                expect.arrayContaining(["User signups per day (30 days)", "User signups per week (6 months)", "User signups per month (1 year)", "Active users per hour (distinct, 7 days)", "Active users per day (distinct, 90 days)"]),
            );
        });
    });

    describe("the tracing collector", () => {
        const deployment = plan.one("kubernetes:apps/v1:Deployment", `${prefix}-tracing-deployment`);
        const spec = (inputs(deployment)["spec"] as { template: { spec: Record<string, unknown> } }).template.spec;
        const container = (spec["containers"] as Array<Record<string, unknown>>)[0]!;

        it("runs the pinned ADOT image, one replica, under the restricted profile", () => {
            expect(container["image"]).toBe("public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0");
            expect((inputs(deployment)["spec"] as Record<string, unknown>)["replicas"]).toBe(1);
            expect(container["securityContext"]).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
            const ns = plan.one("kubernetes:core/v1:Namespace", `${prefix}-tracing-ns`);
            expect((inputs(ns)["metadata"] as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        });

        it("is configured with the runbook's sampling, exporting to X-Ray in the stack's region", () => {
            const cm = plan.one("kubernetes:core/v1:ConfigMap", `${prefix}-tracing-config`);
            const config = YAML.parse(String((inputs(cm)["data"] as Record<string, string>)["collector.yaml"])) as unknown;
            expect(config).toEqual(collectorConfig({ region: "us-east-1", sampling: { sampledPercent: 10, slowRequestMs: 1000 } }));
        });

        it("writes to X-Ray through a Pod Identity role allowed nothing else", () => {
            const assoc = plan.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", `${prefix}-tracing-xray`);
            expect(inputs(assoc)).toMatchObject({ clusterName: targets.clusterName, namespace: "opentelemetry", serviceAccount: "adot-collector" });
            const role = plan.one("aws:iam/role:Role", `${prefix}-tracing-xray`);
            const attachments = plan.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((x) => x.dependencies.includes(role.urn));
            expect(attachments.map((x) => inputs(x)["policyArn"])).toEqual(["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"]);
        });
    });
});

describe("the stacks without AWS", () => {
    it.each(["dev", "pr-42"])("%s has no alarms, topics or dashboards", (stack) => {
        const plan = PlanQuery.of(stack);
        expect(plan.ofPackage("aws").filter((r) => /cloudwatch|sns|route53\/healthCheck/.test(r.type))).toEqual([]);
    });

    it("development keeps logs 7 days (runbook 3.3), staging 30, production 90", () => {
        expect([profiles.development.logging.retentionDays, profiles.staging.logging.retentionDays]).toEqual([7, 30]);
    });
});

describe("production and its DR rebuild side by side (both environment production)", () => {
    const prod = PlanQuery.of("production");
    const dr = PlanQuery.of("production-dr");
    const names = (plan: PlanQuery, type: string, where: (r: PlannedResource) => boolean = () => true): string[] =>
        plan.ofType(type).filter(where).map((r) => String(inputs(r)["name"] ?? inputs(r)["dashboardName"]));
    const inUsEast1 = (r: PlannedResource): boolean => inputs(r)["region"] === "us-east-1";

    it("give account-wide dashboards different names", () => {
        const a = names(prod, "aws:cloudwatch/dashboard:Dashboard");
        const b = names(dr, "aws:cloudwatch/dashboard:Dashboard");
        expect(a).toHaveLength(3);
        expect(b.filter((n) => a.includes(n))).toEqual([]);
    });

    it("leave the DR rebuild nothing in us-east-1 (no service-down alarm there: the standby's failover health checks watch it), and its topics apart from the standby's in us-west-2", () => {
        expect([...dr.ofType("aws:sns/topic:Topic"), ...dr.ofType(ALARM)].filter(inUsEast1)).toEqual([]);
        expect(names(dr, ALARM).filter((n) => n.endsWith("-service-down"))).toEqual([]);
        const inUsWest2 = (r: PlannedResource): boolean => inputs(r)["region"] === "us-west-2" || (r.provider ?? "").endsWith("us-west-2");
        const drTopics = names(dr, "aws:sns/topic:Topic", inUsWest2);
        expect(drTopics).toHaveLength(4);
        expect(drTopics.filter((n) => names(prod, "aws:sns/topic:Topic", inUsWest2).includes(n))).toEqual([]);
    });
});
