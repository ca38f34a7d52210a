import { StackNames, bootstrapNames, stackNames } from "../../environments/names";
import { loadSettings } from "../../settings/load";
import { stackShape } from "../../settings/shape";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { nonEmpty } from "../helpers/nonEmpty";
import { PlanQuery, PlannedResource } from "../helpers/plan";
import { PREVIEW_STACK, ROOT, SECRET_SENTINELS, deployEnv, plannedStacks, workloadStacks } from "../helpers/stacks";

function namesOf(stack: string): StackNames {
    const settings = loadSettings({ project: "ops", stack, config: readStackConfig(ROOT, stack).config, env: { ...deployEnv(stack), ...SECRET_SENTINELS } });
    return stackNames(settings, stackShape(settings));
}

const CLOUD = ["staging", "production", "production-dr", "production-dr-drill"];
const name = (r: PlannedResource, key: string): string => String(r.inputs[key]);

describe("the names of every committed stack (a contract: a changed name replaces the resource)", () => {
    it("covers every stack the suite plans", () => {
        expect(plannedStacks()).toEqual(["bootstrap", "dev", "pr-42", "production", "production-dr", "production-dr-drill", "staging"]);
    });

    it.each([
        // stack, regional, per stack, namespace, secrets scope, files bucket, its replica
        ["dev", "myapp-development", "myapp-dev", "myapp", "development", "myapp-dev-files-us-east-1", "myapp-dev-files-us-west-2"],
        ["staging", "myapp-staging", "myapp-staging", "myapp", "staging", "myapp-staging-files-us-east-1", "myapp-staging-files-us-west-2"],
        ["production", "myapp-production", "myapp-production", "myapp", "production", "myapp-production-files-us-east-1", "myapp-production-files-us-west-2"],
        // The DR rebuild keeps production's regional names in its own region, and carries its stack where names are global or in us-east-1.
        ["production-dr", "myapp-production", "myapp-production-dr", "myapp", "production-dr", "myapp-production-dr-files-us-west-2", "myapp-production-dr-files-us-east-1"],
        [PREVIEW_STACK, "myapp-staging", "myapp-pr-42", "myapp-pr-42", "staging", "myapp-pr-42-files-us-east-1", "myapp-pr-42-files-us-west-2"],
    ])("%s: %s regionally, %s per stack, namespace %s, secrets under %s", (stack, regional, perStack, namespace, scope, bucket, replica) => {
        const n = namesOf(stack);
        expect([n.regional, n.perStack, n.workload.namespace, n.secrets.scope, n.data.bucket, n.data.replicaBucket]).toEqual([regional, perStack, namespace, scope, bucket, replica]);
        expect(n.cluster).toBe(regional);
        expect([n.data.databaseIdentifier, n.data.cacheReplicationGroupId]).toEqual([regional, regional]);
        expect(n.secrets.prefix).toBe(`myapp/${scope}/`);
        expect(n.secrets.databaseUrl).toBe(`myapp/${scope}/DATABASE_URL`);
        expect(n.keys).toEqual({ component: `${regional}-keys`, aliasPrefix: regional.replace("myapp-", "myapp/") });
        expect(n.registryRepository).toBe(`${regional.replace("myapp-", "myapp/")}/app`);
        expect(n.observability.alarms).toBe(`${perStack}-alarms`);
        expect(n.observability.alertsInHealthCheckRegion).toBe(`${perStack}-alerts-us-east-1`);
        expect(n.observability.alertsKeyAliasPrefix).toBe(`myapp/${stack}`);
    });

    it("gives the DR drill names apart from production's and the real rebuild's (dr.regionalName, its own scope and host)", () => {
        const drill = namesOf("production-dr-drill");
        expect([drill.regional, drill.perStack, drill.secrets.scope, drill.cluster, drill.data.databaseIdentifier, drill.keys.aliasPrefix]).toEqual([
            "myapp-production-drill", "myapp-production-dr-drill", "production-drill", "myapp-production-drill", "myapp-production-drill", "myapp-production-drill",
        ]);
        for (const other of ["production", "production-dr"].map(namesOf)) {
            expect([other.regional, other.perStack, other.secrets.scope, other.keys.aliasPrefix]).not.toContain(drill.regional);
            expect(other.secrets.scope).not.toBe(drill.secrets.scope);
        }
    });

    it("never gives two stacks the same global or us-east-1 name, even production and its DR rebuild", () => {
        const global = (n: StackNames): string[] => [n.perStack, n.data.bucket, n.data.replicaBucket, n.observability.alertsInHealthCheckRegion, n.observability.alertsKeyAliasPrefix];
        const all = workloadStacks().flatMap((s) => global(namesOf(s)));
        expect(new Set(all).size).toBe(all.length);
    });
});

describe.each(workloadStacks())("the %s plan uses the names module's names", (stack) => {
    const q = PlanQuery.of(stack);
    const n = namesOf(stack);

    it("for the app's namespace", () => {
        const namespaces = q.ofType("kubernetes:core/v1:Namespace").map((r) => (r.inputs["metadata"] as { name: string }).name);
        expect(namespaces).toContain(n.workload.namespace);
        expect(q.one("ops:workload:Namespace").name).toBe(n.workload.app);
    });

    if (!CLOUD.includes(stack)) return;

    it("for the cluster, wherever a layer names it: EKS, Container Insights, queries, alarms, dashboards, collector", () => {
        expect(name(q.one("aws:eks/cluster:Cluster"), "name")).toBe(n.cluster);
        const insights = q.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => name(g, "name").startsWith("/aws/containerinsights/"));
        expect(insights.map((g) => name(g, "name").split("/")[3])).toEqual([n.cluster, n.cluster, n.cluster, n.cluster]);
        for (const query of q.allOf("aws:cloudwatch/queryDefinition:QueryDefinition")) expect(query.inputs["logGroupNames"]).toEqual([`/aws/containerinsights/${n.cluster}/application`]);
        const nodeAlarms = q.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs["namespace"] === "ContainerInsights");
        for (const a of nonEmpty(nodeAlarms, "the node alarms")) expect(a.inputs["dimensions"]).toEqual({ ClusterName: n.cluster });
        expect(JSON.stringify(q.ofType("aws:cloudwatch/dashboard:Dashboard").map((d) => d.inputs["dashboardBody"]))).toContain(`/aws/eks/${n.cluster}/cluster`);
        expect(q.plan.outputs["clusterName"]).toBe(n.cluster);
    });

    it("for the data stores, the registry, the secrets and the keys", () => {
        // production-dr promotes the standby's replica and pulls the replicated repository: it creates neither.
        if (stack === "production-dr") {
            expect(q.ofType("aws:rds/instance:Instance")).toEqual([]);
            expect(q.plan.outputs["databaseIdentifier"]).toBe("myapp-production-dr");
            expect(q.plan.outputs["repositoryUrl"]).toMatch(new RegExp(`^\\d{12}\\.dkr\\.ecr\\.us-west-2\\.amazonaws\\.com/${n.registryRepository}$`));
        } else {
            expect(name(q.one("aws:rds/instance:Instance", n.regional), "identifier")).toBe(n.data.databaseIdentifier);
            if (!stack.startsWith("production-dr")) expect(name(q.one("aws:ecr/repository:Repository", `${n.regional}-app`), "name")).toBe(n.registryRepository);
        }
        expect(name(q.one("aws:elasticache/replicationGroup:ReplicationGroup"), "replicationGroupId")).toBe(n.data.cacheReplicationGroupId);
        expect(q.one("aws:s3/bucket:Bucket", `${n.data.filesComponent}`).inputs["bucket"]).toBe(n.data.bucket);
        for (const s of q.allOf("aws:secretsmanager/secret:Secret")) expect(name(s, "name").startsWith(n.secrets.prefix)).toBe(true);
        const aliases = q.childrenOf(q.one("ops:keys:Keys", n.keys.component)).filter((r) => r.type === "aws:kms/alias:Alias");
        for (const a of nonEmpty(aliases, "the keys' aliases")) expect(name(a, "name").startsWith(`alias/${n.keys.aliasPrefix}/`)).toBe(true);
    });

    it("for the observability layer: every alarm, topic and dashboard carries the stack", () => {
        const named = [
            ...q.allOf("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => name(a, "name")),
            ...q.allOf("aws:sns/topic:Topic").map((t) => name(t, "name")),
            ...q.allOf("aws:cloudwatch/dashboard:Dashboard").map((d) => name(d, "dashboardName")),
        ];
        // The secrets layer's age alarm is named by its secrets scope, which is the stack's on a DR rebuild.
        expect(named.filter((x) => !x.startsWith(`${n.perStack}-`) && x !== `myapp-${n.secrets.scope}-secret-overdue`)).toEqual([]);
    });
});

describe("delivery's names", () => {
    it("admit the bootstrap stack's CI roles on each cluster, by the names the bootstrap gives them", () => {
        expect(namesOf("staging").ci).toEqual({ clusterAccess: { admin: ["myapp-ci-staging", "myapp-ci-preview"], view: ["myapp-ci-read-only"] }, runner: "myapp-staging-ci-runner" });
        expect(namesOf("production").ci.clusterAccess).toEqual({ admin: ["myapp-ci-production"], view: ["myapp-ci-read-only", "myapp-ci-production-plan"] });
        // A DR rebuild is production's environment: production's roles deploy it.
        expect(namesOf("production-dr").ci.clusterAccess).toEqual(namesOf("production").ci.clusterAccess);
    });

    it("name the bootstrap stack's components after the app", () => {
        expect(bootstrapNames({ appName: "myapp" })).toEqual({ awsProviders: "myapp", stateBackend: "myapp-pulumi-state", githubOidc: "myapp-ci" });
    });
});
