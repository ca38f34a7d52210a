import { CONTROLLER_CHARTS, MIRRORED_IMAGES, chartRepository, imageRepository, mirrorManifest, mirrorPrefix, mirrorRepositories, mirroredChart } from "../../../modules/dr/mirror";

const versions = { awsLoadBalancerController: "3.5.0", externalSecrets: "2.8.0", metricsServer: "3.13.1", reloader: "2.2.16" };

describe("the DR mirror's names", () => {
    it("keeps the mirror beside the app's repository, under a prefix the app's replication filter does not match", () => {
        expect(mirrorPrefix("myapp", "production")).toBe("myapp/production/mirror");
        expect(mirrorPrefix("myapp", "production").startsWith("myapp/production/app")).toBe(false);
    });

    it("names a chart's repository as `helm push <tgz> oci://<host>/<prefix>/charts` writes it", () => {
        expect(chartRepository("myapp/production/mirror", "reloader")).toBe("myapp/production/mirror/charts/reloader");
        expect(mirroredChart("123456789012.dkr.ecr.us-west-2.amazonaws.com", "myapp/production/mirror", "external-secrets")).toBe(
            "oci://123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp/production/mirror/charts/external-secrets",
        );
    });

    it("names an image's copy by its upstream path without the registry host", () => {
        expect(imageRepository("p", "ghcr.io/stakater/reloader")).toBe("p/stakater/reloader");
        expect(imageRepository("p", "oci.external-secrets.io/external-secrets/external-secrets")).toBe("p/external-secrets/external-secrets");
        expect(imageRepository("p", "a/b")).toBe("p/b");
    });

    it.each(["reloader", "/reloader", "ghcr.io/", "ghcr.io/stakater/reloader:v1.4.11", "ghcr.io/stakater/reloader@sha256:abc"])("refuses %s, which is no host/path repository", (bad) => {
        expect(() => imageRepository("p", bad)).toThrow(`${bad} is not an image repository with a registry host (host/path, no tag or digest).`);
    });

    it("has one repository per controller chart and per mirrored image", () => {
        expect(mirrorRepositories("m")).toEqual([
            "m/charts/aws-load-balancer-controller",
            "m/charts/external-secrets",
            "m/charts/metrics-server",
            "m/charts/reloader",
            "m/external-secrets/external-secrets",
            "m/stakater/reloader",
        ]);
    });

    it("knows each controller's chart and where it is published", () => {
        expect(Object.values(CONTROLLER_CHARTS).map((c) => [c.controller, c.chart, c.repo])).toEqual([
            ["awsLoadBalancerController", "aws-load-balancer-controller", "https://aws.github.io/eks-charts"],
            ["externalSecrets", "external-secrets", "https://charts.external-secrets.io"],
            ["metricsServer", "metrics-server", "https://kubernetes-sigs.github.io/metrics-server/"],
            ["reloader", "reloader", "https://stakater.github.io/stakater-charts"],
        ]);
        for (const [key, chart] of Object.entries(CONTROLLER_CHARTS)) expect(chart.controller).toBe(key);
        // Only the load balancer controller's chart needs a value to render at all (its deployment `required`s clusterName).
        expect(Object.values(CONTROLLER_CHARTS).map((c) => c.templateValues)).toEqual([{ clusterName: "dr-mirror" }, undefined, undefined, undefined]);
        expect(MIRRORED_IMAGES).toEqual({ externalSecrets: "oci.external-secrets.io/external-secrets/external-secrets", reloader: "ghcr.io/stakater/reloader" });
    });
});

describe("the mirror's manifest (scripts/dr_mirror.sh's input)", () => {
    const manifest = mirrorManifest({
        appName: "myapp",
        environment: "production",
        region: "us-west-2",
        versions,
        cachedImages: ["public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0", "registry.k8s.io/pause@sha256:0123"],
    });

    it("lists every chart at its pinned version, with its upstream and its mirror repository", () => {
        expect(manifest.region).toBe("us-west-2");
        expect(manifest.prefix).toBe("myapp/production/mirror");
        expect(manifest.charts).toEqual([
            {
                chart: "aws-load-balancer-controller",
                repo: "https://aws.github.io/eks-charts",
                version: "3.5.0",
                repository: "myapp/production/mirror/charts/aws-load-balancer-controller",
                templateValues: { clusterName: "dr-mirror" },
            },
            { chart: "external-secrets", repo: "https://charts.external-secrets.io", version: "2.8.0", repository: "myapp/production/mirror/charts/external-secrets" },
            { chart: "metrics-server", repo: "https://kubernetes-sigs.github.io/metrics-server/", version: "3.13.1", repository: "myapp/production/mirror/charts/metrics-server" },
            { chart: "reloader", repo: "https://stakater.github.io/stakater-charts", version: "2.2.16", repository: "myapp/production/mirror/charts/reloader" },
        ]);
    });

    it("gives the script a chart's template values as a copy, not the catalogue's own object", () => {
        expect(manifest.charts[0]!.templateValues).not.toBe(CONTROLLER_CHARTS.awsLoadBalancerController.templateValues);
    });

    it("maps each mirrored upstream image to its copy, and each cached registry to its cache prefix", () => {
        expect(manifest.images).toEqual({
            "oci.external-secrets.io/external-secrets/external-secrets": "myapp/production/mirror/external-secrets/external-secrets",
            "ghcr.io/stakater/reloader": "myapp/production/mirror/stakater/reloader",
        });
        expect(manifest.caches).toEqual({ "public.ecr.aws": "ecr-public", "registry.k8s.io": "k8s", "quay.io": "quay" });
    });

    it("pre-warms the images outside the charts, as given", () => {
        expect(manifest.prewarm).toEqual(["public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0", "registry.k8s.io/pause@sha256:0123"]);
    });

    it("refuses an image to pre-warm that no cache serves: the rebuild could not pull it", () => {
        expect(() => mirrorManifest({ appName: "myapp", environment: "production", region: "us-west-2", versions, cachedImages: ["public.ecr.aws/a/b:1", "ghcr.io/stakater/reloader:v1.4.11", "public.ecr.aws.example/x:1"] })).toThrow(
            "No pull-through cache rule caches ghcr.io/stakater/reloader:v1.4.11, public.ecr.aws.example/x:1: a DR rebuild could not pull it; the DR region caches public.ecr.aws, registry.k8s.io, quay.io (modules/dr/names.ts PULL_THROUGH_CACHES).",
        );
    });
});
