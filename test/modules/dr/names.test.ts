import { FAILOVER_METRIC, PULL_THROUGH_CACHES, REPLICA_LAG_LIMIT_SECONDS, cachedImage, drillHostname, standbyNames } from "../../../modules/dr/names";
import { CONTROLLER_IMAGES } from "../../../modules/cluster/chartValues";
import { rebuildImage } from "../../../modules/dr/imageCache";
import { subnetNames } from "../../../modules/dr/lookup";
import { imageSourceProblem, isBareRepository, parseEcrRepository, registryHostOf } from "../../../modules/registry/imageSource";
import { replicaLagAlarmArgs, switchAlarmArgs } from "../../../modules/dr/standby";
import { failoverHealthChecks } from "../../../modules/dr/failover";

describe("the standby's names (a contract between production and its DR rebuild)", () => {
    it("are the fixed names of the DR design", () => {
        expect(standbyNames("myapp", "production")).toEqual({
            prefix: "myapp-production-dr",
            vpc: "myapp-production-dr",
            loadBalancer: "myapp-production-dr",
            targetGroups: { app: "myapp-production-dr-app", drill: "myapp-production-drill" },
            replicaIdentifier: "myapp-production-dr",
            replicaSubnetGroup: "myapp-production-dr-replica",
            switchAlarm: "myapp-production-dr-failover",
            drDataKeyAlias: "alias/myapp/production/data-dr",
        });
        expect(drillHostname("example.com")).toBe("dr-drill.example.com");
        expect(FAILOVER_METRIC).toEqual({ namespace: "Ops/DR", name: "FailoverEngaged" });
    });

    it("refuse a prefix whose target group names would pass ELB's 32 characters", () => {
        expect(() => standbyNames("a-very-long-application-name", "production")).toThrow(/longer than 28 characters/);
    });

    it("name the subnets as modules/network does", () => {
        expect(subnetNames("myapp-production-dr", "isolated", 3)).toEqual(["myapp-production-dr-isolated-1", "myapp-production-dr-isolated-2", "myapp-production-dr-isolated-3"]);
    });
});

describe("image sources", () => {
    it.each([
        ["123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp/production/app", { account: "123456789012", region: "us-west-2", name: "myapp/production/app" }],
        ["myapp/backend", undefined],
        ["public.ecr.aws/aws-observability/aws-otel-collector", undefined],
    ])("parses %s", (repository, parsed) => {
        expect(parseEcrRepository(repository)).toEqual(parsed);
    });

    it("tells a registry host from a Docker Hub path", () => {
        expect([registryHostOf("ghcr.io/o/a"), registryHostOf("localhost/a"), registryHostOf("registry:5000/a"), registryHostOf("myapp/backend"), registryHostOf("postgres")]).toEqual([
            "ghcr.io",
            "localhost",
            "registry:5000",
            undefined,
            undefined,
        ]);
        expect([isBareRepository("myapp/production/app"), isBareRepository("123456789012.dkr.ecr.us-east-1.amazonaws.com/x")]).toEqual([true, false]);
    });

    it("allows the own region's ECR and the stack's own repository name only", () => {
        const own = ["myapp/production/app"];
        expect(imageSourceProblem("myapp/production/app", "us-east-1", own)).toBeUndefined();
        expect(imageSourceProblem("123456789012.dkr.ecr.us-east-1.amazonaws.com/other", "us-east-1", own)).toBeUndefined();
        expect(imageSourceProblem("123456789012.dkr.ecr.us-east-1.amazonaws.com/other", "us-west-2", own)).toMatch(/^an ECR repository in us-east-1/);
        expect(imageSourceProblem("myapp/backend", "us-east-1", own)).toMatch(/^a bare Docker Hub name/);
        expect(imageSourceProblem("quay.io/x/y", "us-east-1", own)).toBe("a registry other than ECR in us-east-1");
    });
});

describe("the failover switch and the RPO alarm", () => {
    it("holds its state between an engage and a release: no data is no change (no silent failback)", () => {
        const a = switchAlarmArgs("myapp-production-dr-failover", "arn:aws:sns:us-west-2:123456789012:t", "https://docs.example.com/runbooks");
        expect(a).toMatchObject({ namespace: "Ops/DR", metricName: "FailoverEngaged", statistic: "Maximum", threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "missing" });
        const checks = failoverHealthChecks({ searchString: '"status":"healthy"', switchAlarm: { name: "myapp-production-dr-failover", region: "us-west-2" }, primaryDnsName: "alb.example" }, "myapp-production-dns");
        expect(checks.switchOff).toMatchObject({ type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "myapp-production-dr-failover", cloudwatchAlarmRegion: "us-west-2", insufficientDataHealthStatus: "LastKnownStatus" });
        // The primary's own ALB, not the host name, which answers with whichever side is live.
        expect(checks.primary).toMatchObject({ type: "HTTPS_STR_MATCH", fqdn: "alb.example", resourcePath: "/health", enableSni: true });
    });

    it("alarms on ReplicaLag over 15 minutes, and on no data at all", () => {
        const a = replicaLagAlarmArgs(standbyNames("myapp", "production"), "arn:aws:sns:us-west-2:123456789012:t", "https://docs.example.com/runbooks");
        expect(a.alarmDescription).toMatch(/Runbook: https:\/\/docs\.example\.com\/runbooks\/dr-replica-lag$/);
        expect(a).toMatchObject({ namespace: "AWS/RDS", metricName: "ReplicaLag", dimensions: { DBInstanceIdentifier: "myapp-production-dr" }, threshold: REPLICA_LAG_LIMIT_SECONDS, comparisonOperator: "GreaterThanThreshold", treatMissingData: "breaching" });
        expect(REPLICA_LAG_LIMIT_SECONDS).toBe(900);
    });
});

describe("the DR region's pull-through cache paths", () => {
    const host = "123456789012.dkr.ecr.us-west-2.amazonaws.com";

    it("maps an upstream repository to <host>/<prefix>/<upstream path>", () => {
        expect(cachedImage(host, "public.ecr.aws/eks/aws-load-balancer-controller")).toBe(`${host}/ecr-public/eks/aws-load-balancer-controller`);
        expect(cachedImage(host, "registry.k8s.io/metrics-server/metrics-server")).toBe(`${host}/k8s/metrics-server/metrics-server`);
        expect(cachedImage(host, "quay.io/prometheus/node-exporter")).toBe(`${host}/quay/prometheus/node-exporter`);
    });

    it("refuses an upstream no rule caches, and a bare or hostless name", () => {
        for (const image of ["ghcr.io/stakater/reloader", "docker.io/library/nginx", "nginx", "public.ecr.aws/", "ecr-public/eks/x"]) {
            expect(() => cachedImage(host, image)).toThrow(/No pull-through cache rule caches/);
        }
    });

    it("caches every controller image the charts name, under distinct prefixes", () => {
        for (const image of Object.values(CONTROLLER_IMAGES)) expect(cachedImage(host, image).startsWith(`${host}/`)).toBe(true);
        expect(new Set(PULL_THROUGH_CACHES.map((c) => c.prefix)).size).toBe(PULL_THROUGH_CACHES.length);
    });
});

describe("an image as a DR rebuild pulls it", () => {
    const host = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
    const resolve = (image: string) => new Promise<unknown>((done) => {
        const v = rebuildImage(host, image, "us-west-2");
        if (typeof v === "string") done(v);
        else (v as { apply: (f: (x: string) => void) => void }).apply(done);
    });

    it("is the image itself outside a rebuild", () => {
        expect(rebuildImage(undefined, "ghcr.io/stakater/reloader:v1.0.0", "us-west-2")).toBe("ghcr.io/stakater/reloader:v1.0.0");
    });

    it("goes through the cache for a cached upstream, tag kept, and stays as it is in the region's own ECR", async () => {
        await expect(resolve("public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0")).resolves.toBe(`${host}/ecr-public/aws-observability/aws-otel-collector:v0.45.0`);
        expect(rebuildImage(host, `${host}/mirror/aws-appconfig-agent:2.0.13147`, "us-west-2")).toBe(`${host}/mirror/aws-appconfig-agent:2.0.13147`);
    });

    it("refuses another registry, and another region's ECR", () => {
        expect(() => rebuildImage(host, "ghcr.io/stakater/reloader:v1.0.0", "us-west-2")).toThrow(/cannot pull ghcr.io\/stakater\/reloader:v1.0.0/);
        expect(() => rebuildImage(host, "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1", "us-west-2")).toThrow(/neither us-west-2's ECR/);
    });
});
