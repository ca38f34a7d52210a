import { PlanQuery, PlannedResource } from "../helpers/plan";

/** The region a resource lives in: its own `region` input, else its provider's. */
function regionOf(q: PlanQuery, r: PlannedResource): string | undefined {
    if (typeof r.inputs["region"] === "string") return r.inputs["region"];
    const provider = q.resources.find((p) => p.urn === r.provider);
    return typeof provider?.inputs["region"] === "string" ? provider.inputs["region"] : undefined;
}

const GLOBAL_TYPES = /^aws:(route53|cloudfront|organizations|budgets|globalaccelerator)\//;

describe.each(["production-dr", "production-dr-drill"])("the DR rebuild %s depends on nothing in us-east-1 and on no global control plane", (stack) => {
    const q = PlanQuery.of(stack);

    it("has one AWS provider, for us-west-2, and no resource in another region", () => {
        expect(q.ofType("pulumi:providers:aws").map((p) => p.inputs["region"])).toEqual(["us-west-2"]);
        const elsewhere = q.ofPackage("aws").filter((r) => regionOf(q, r) !== "us-west-2");
        expect(elsewhere.map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });

    it("creates no Route 53, CloudFront, Organizations or Budgets resource (IAM: the roles' own assertion)", () => {
        expect(q.resources.filter((r) => GLOBAL_TYPES.test(r.type)).map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });

    it("uses only us-west-2 KMS keys, its own and the standby's", () => {
        const arns = JSON.stringify(q.resources.map((r) => r.inputs)).match(/arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+/g) ?? [];
        expect(arns.length).toBeGreaterThan(10);
        expect([...new Set(arns.map((a) => a.split(":")[3]))]).toEqual(["us-west-2"]);
        for (const k of q.ofType("aws:kms/key:Key")) expect([k.name, regionOf(q, k)]).toEqual([k.name, "us-west-2"]);
    });

    it("pulls the app image from us-west-2's ECR: production's repository, as replication keeps it there", () => {
        const images = q.ofType("kubernetes:apps/v1:Deployment").flatMap((d) => JSON.stringify(d.inputs).match(/"image":"[^"]+"/g) ?? []);
        const app = images.filter((i) => i.includes("/app:"));
        expect(app).toEqual(['"image":"123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp/production/app:1.0.0"']);
        expect(q.ofType("aws:ecr/repository:Repository")).toEqual([]);
    });

    it("creates no VPC, load balancer or certificate: it joins the standby's lane by a TargetGroupBinding", () => {
        for (const t of ["aws:ec2/vpc:Vpc", "aws:lb/loadBalancer:LoadBalancer", "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation"]) expect([t, q.ofType(t)]).toEqual([t, []]);
        const binding = q.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
        const lane = stack === "production-dr" ? "myapp-production-dr-app" : "myapp-production-drill";
        expect(JSON.stringify(binding.inputs)).toMatch(new RegExp(`arn:aws:elasticloadbalancing:us-west-2:\\d{12}:targetgroup/${lane}/`));
    });

    const release = (name: string) => q.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs["name"] === name)!;
    const values = (name: string) => release(name).inputs["values"] as Record<string, unknown>;
    const ecr = "123456789012.dkr.ecr.us-west-2.amazonaws.com";

    it("pulls the controllers' cached images from us-west-2's ECR, and names no public registry anywhere", () => {
        expect(values("aws-load-balancer-controller")["image"]).toEqual({ repository: `${ecr}/ecr-public/eks/aws-load-balancer-controller` });
        expect(values("metrics-server")["image"]).toEqual({ repository: `${ecr}/k8s/metrics-server/metrics-server` });
        const text = JSON.stringify(q.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs));
        expect(text.match(/(public\.ecr\.aws|registry\.k8s\.io|quay\.io|docker\.io|ghcr\.io|oci\.external-secrets\.io|github\.io|charts\.external-secrets\.io)[^"]*/g) ?? []).toEqual([]);
    });

    it("installs every controller's chart from the mirror in us-west-2's ECR, at the pinned version, with no chart repository", () => {
        const releases = q.ofType("kubernetes:helm.sh/v3:Release");
        expect(releases.map((r) => [r.inputs["name"], r.inputs["chart"], r.inputs["version"], r.inputs["repositoryOpts"]])).toEqual([
            ["aws-load-balancer-controller", `oci://${ecr}/myapp/production/mirror/charts/aws-load-balancer-controller`, "3.5.0", undefined],
            ["external-secrets", `oci://${ecr}/myapp/production/mirror/charts/external-secrets`, "2.8.0", undefined],
            ["metrics-server", `oci://${ecr}/myapp/production/mirror/charts/metrics-server`, "3.13.1", undefined],
            ["reloader", `oci://${ecr}/myapp/production/mirror/charts/reloader`, "2.2.16", undefined],
        ]);
    });

    it("pulls External Secrets' three images and Reloader's from their copies in the mirror", () => {
        const eso = { repository: `${ecr}/myapp/production/mirror/external-secrets/external-secrets` };
        expect([values("external-secrets")["image"], values("external-secrets")["webhook"], values("external-secrets")["certController"]]).toEqual([eso, { image: eso }, { image: eso }]);
        expect(values("external-secrets")).toMatchObject({ installCRDs: true, serviceAccount: { create: true, name: "external-secrets" } });
        expect(values("reloader")["image"]).toEqual({ repository: `${ecr}/myapp/production/mirror/stakater/reloader` });
        expect(values("reloader")["reloader"]).toMatchObject({ autoReloadAll: false, reloadStrategy: "annotations" });
    });

    it("starts the migrations Job only once the database's secret is synced into the namespace", () => {
        const job = q.one("kubernetes:batch/v1:Job");
        const externalSecret = q.one("kubernetes:external-secrets.io/v1:ExternalSecret");
        expect([...job.dependsOn, ...job.dependencies]).toContain(externalSecret.urn);
    });
});

describe("production's standby footprint in us-west-2", () => {
    const q = PlanQuery.of("production");
    const inStandby = (type: string) => q.ofType(type).filter((r) => regionOf(q, r) === "us-west-2");

    it("keeps the DR VPC the rebuild finds by its Name tag, in the DR block", () => {
        const vpc = q.one("aws:ec2/vpc:Vpc", "myapp-production-dr-vpc");
        expect([regionOf(q, vpc), vpc.inputs["cidrBlock"], (vpc.inputs["tags"] as Record<string, string>)["Name"]]).toEqual(["us-west-2", "10.40.0.0/16", "myapp-production-dr"]);
    });

    it("keeps the standby ALB and its real and drill target groups by the names the rebuild looks up, and the DR certificate for both hosts", () => {
        expect(q.one("aws:lb/loadBalancer:LoadBalancer", "myapp-production-dr-alb").inputs["name"]).toBe("myapp-production-dr");
        expect(inStandby("aws:lb/targetGroup:TargetGroup").map((t) => t.inputs["name"]).sort()).toEqual(["myapp-production-dr-app", "myapp-production-drill"]);
        const cert = q.one("aws:acm/certificate:Certificate", "myapp-production-dr-cert");
        expect([regionOf(q, cert), cert.inputs["domainName"], cert.inputs["subjectAlternativeNames"]]).toEqual(["us-west-2", "api.example.com", ["dr-drill.example.com"]]);
        const rule = q.one("aws:lb/listenerRule:ListenerRule");
        expect(rule.inputs["conditions"]).toEqual([{ hostHeader: { values: ["dr-drill.example.com"] } }]);
    });

    it("answers for api.example.com with failover records: PRIMARY under the calculated health check, SECONDARY the standby ALB", () => {
        const primary = q.one("aws:route53/record:Record", "myapp-production-dns-primary");
        const secondary = q.one("aws:route53/record:Record", "myapp-production-dns-secondary");
        const calculated = q.one("aws:route53/healthCheck:HealthCheck", "myapp-production-dns-calculated");
        expect(primary.inputs).toMatchObject({ name: "api.example.com", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: calculated.id });
        expect(secondary.inputs).toMatchObject({ name: "api.example.com", failoverRoutingPolicies: [{ type: "SECONDARY" }] });
        expect((secondary.inputs["aliases"] as Array<{ name: string }>)[0]!.name).toMatch(/^myapp-production-dr-.*\.us-west-2\.elb\.amazonaws\.com$/);
        const children = [q.one("aws:route53/healthCheck:HealthCheck", "myapp-production-dns-primary"), q.one("aws:route53/healthCheck:HealthCheck", "myapp-production-dns-switch")];
        expect(calculated.inputs).toMatchObject({ type: "CALCULATED", childHealthchecks: children.map((c) => c.id), childHealthThreshold: 2 });
        expect(children[1]!.inputs).toMatchObject({ type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "myapp-production-dr-failover", cloudwatchAlarmRegion: "us-west-2", insufficientDataHealthStatus: "LastKnownStatus" });
    });

    it("keeps the failover switch alarm and the RPO alarm in us-west-2", () => {
        const alarms = inStandby("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.inputs["name"], a.inputs["namespace"], a.inputs["metricName"]]);
        expect(alarms).toEqual(
            expect.arrayContaining([
                ["myapp-production-dr-failover", "Ops/DR", "FailoverEngaged"],
                ["myapp-production-dr-replica-lag", "AWS/RDS", "ReplicaLag"],
            ]),
        );
    });

    it("keeps the cross-region read replica under the DR data key, in the DR VPC, with backups for a later promotion", () => {
        const replica = q.one("aws:rds/instance:Instance", "myapp-production-dr-replica");
        const source = q.one("aws:rds/instance:Instance", "myapp-production");
        const drData = q.one("aws:kms/key:Key", "myapp-production-keys-dr-data");
        expect(replica.inputs).toMatchObject({ identifier: "myapp-production-dr", storageEncrypted: true, backupRetentionPeriod: 30, deletionProtection: true });
        expect(replica.inputs["replicateSourceDb"]).toMatch(/^arn:aws:rds:us-east-1:\d{12}:db:myapp-production$/);
        expect(replica.inputs["kmsKeyId"]).toContain(String(drData.id));
        expect(replica.inputs["username"] ?? replica.inputs["password"]).toBeUndefined();
        expect(regionOf(q, replica)).toBe("us-west-2");
        expect(replica.dependencies).toContain(source.urn);
    });

    it("keeps ECR pull-through cache rules in us-west-2 for the controllers' credential-free upstreams", () => {
        const rules = q.ofType("aws:ecr/pullThroughCacheRule:PullThroughCacheRule");
        expect(rules.map((r) => [regionOf(q, r), r.inputs["ecrRepositoryPrefix"], r.inputs["upstreamRegistryUrl"], r.inputs["credentialArn"]])).toEqual([
            ["us-west-2", "ecr-public", "public.ecr.aws", undefined],
            ["us-west-2", "k8s", "registry.k8s.io", undefined],
            ["us-west-2", "quay", "quay.io", undefined],
        ]);
    });

    it("keeps the mirror's repositories in us-west-2: one per chart and per ghcr.io image, as the app's own, under one protected key", () => {
        const repos = q.ofType("aws:ecr/repository:Repository").filter((r) => String(r.inputs["name"]).startsWith("myapp/production/mirror/"));
        expect(repos.map((r) => r.inputs["name"])).toEqual([
            "myapp/production/mirror/charts/aws-load-balancer-controller",
            "myapp/production/mirror/charts/external-secrets",
            "myapp/production/mirror/charts/metrics-server",
            "myapp/production/mirror/charts/reloader",
            "myapp/production/mirror/external-secrets/external-secrets",
            "myapp/production/mirror/stakater/reloader",
        ]);
        const key = q.one("aws:kms/key:Key", "myapp-production-dr-mirror-key");
        expect([regionOf(q, key), key.protect, key.inputs["deletionWindowInDays"], key.inputs["enableKeyRotation"]]).toEqual(["us-west-2", true, 30, true]);
        for (const r of repos) {
            expect([r.name, regionOf(q, r), r.inputs["imageTagMutability"], r.inputs["imageScanningConfiguration"], r.inputs["forceDelete"]]).toEqual([r.name, "us-west-2", "IMMUTABLE", { scanOnPush: true }, false]);
            expect(r.inputs["encryptionConfigurations"]).toEqual([{ encryptionType: "KMS", kmsKey: expect.stringContaining(String(key.id)) }]);
        }
        const policies = q.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy").filter((p) => p.name.startsWith("myapp-production-dr-mirror-"));
        expect(policies.map((p) => JSON.parse(String(p.inputs["policy"])).rules[0].selection.countNumber)).toEqual([30, 30, 30, 30, 30, 30]);
    });

    it("outputs the mirror's manifest for scripts/dr_mirror.sh", () => {
        const manifest = q.plan.outputs["drMirror"] as { region: string; prefix: string; charts: unknown[]; images: Record<string, string>; prewarm: string[] };
        expect([manifest.region, manifest.prefix, manifest.charts.length]).toEqual(["us-west-2", "myapp/production/mirror", 4]);
        expect(Object.values(manifest.images)).toEqual(["myapp/production/mirror/external-secrets/external-secrets", "myapp/production/mirror/stakater/reloader"]);
        expect(manifest.prewarm).toEqual(["public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0", "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147"]);
    });

    it("replicates the app's repository to us-west-2", () => {
        const config = q.one("aws:ecr/replicationConfiguration:ReplicationConfiguration");
        expect(config.inputs["replicationConfiguration"]).toEqual({
            rules: [{ destinations: [{ region: "us-west-2", registryId: "123456789012" }], repositoryFilters: [{ filter: "myapp/production/app", filterType: "PREFIX_MATCH" }] }],
        });
    });
});

describe("staging keeps no standby", () => {
    it("has no ops:dr component", () => {
        expect(PlanQuery.of("staging").resources.filter((r) => r.type.startsWith("ops:dr:"))).toEqual([]);
    });
});

describe.each(["staging", "production"])("%s installs the controllers from the charts' own images", (stack) => {
    it("sets no image value on any Helm release", () => {
        const releases = PlanQuery.of(stack).ofType("kubernetes:helm.sh/v3:Release");
        expect(releases.length).toBeGreaterThan(3);
        expect(releases.filter((r) => (r.inputs["values"] as Record<string, unknown>)["image"] !== undefined).map((r) => r.name)).toEqual([]);
    });
});
