/**
 * What a DR rebuild cannot pull through the region's pull-through caches (modules/dr/names.ts
 * `PULL_THROUGH_CACHES`), so the standby keeps copies of it in the DR region's ECR:
 * - the controllers' Helm charts, served by HTTP chart repositories outside AWS (GitHub Pages and
 *   the External Secrets project's host), pushed into ECR as OCI artifacts;
 * - the images of External Secrets and Reloader, published on GitHub's registry, which ECR caches
 *   only with a GitHub token kept in Secrets Manager (a personal credential this project does not
 *   hold), copied into ECR repositories.
 *
 * The repositories are created by the primary stack while it is healthy; `scripts/dr_mirror.sh`
 * fills them (.github/workflows/dr-mirror.yml runs it after every production release, and weekly), reading the `drMirror` output
 * of the primary's stack (`mirrorManifest`). A rebuild then installs every chart from
 * `oci://<its own region's ECR>/...` and the two images from their copies. Pure, so the primary,
 * the rebuild and the script's manifest cannot disagree, and tested alone.
 */
import type { ControllerVersions } from "../cluster/controllers";
import { PULL_THROUGH_CACHES } from "./names";

/** A controller's chart: where it is published, and the settings key (`controllers.<key>`) pinning its version. */
export interface ChartSource {
    controller: keyof ControllerVersions;
    chart: string;
    /** The upstream HTTP chart repository. */
    repo: string;
    /**
     * Values `helm template` needs to render the chart at its defaults, which `scripts/dr_mirror.sh`
     * reads for the images the chart runs: values the chart requires and gives no default. None
     * of them names an image.
     */
    templateValues?: Readonly<Record<string, string>>;
}

/** The controllers' charts (modules/cluster/controllers.ts installs them from here). */
export const CONTROLLER_CHARTS: Readonly<Record<keyof ControllerVersions, ChartSource>> = {
    // Its deployment template `required`s clusterName.
    awsLoadBalancerController: { controller: "awsLoadBalancerController", chart: "aws-load-balancer-controller", repo: "https://aws.github.io/eks-charts", templateValues: { clusterName: "dr-mirror" } },
    externalSecrets: { controller: "externalSecrets", chart: "external-secrets", repo: "https://charts.external-secrets.io" },
    metricsServer: { controller: "metricsServer", chart: "metrics-server", repo: "https://kubernetes-sigs.github.io/metrics-server/" },
    reloader: { controller: "reloader", chart: "reloader", repo: "https://stakater.github.io/stakater-charts" },
};

/**
 * The upstream image repositories the mirror copies, as the pinned charts' values.yaml name them
 * (`image.repository`; the tag stays the chart's): External Secrets 2.8.0 uses one image for its
 * controller, webhook and certificate controller; Reloader 2.2.16 one.
 */
export const MIRRORED_IMAGES = {
    externalSecrets: "oci.external-secrets.io/external-secrets/external-secrets",
    reloader: "ghcr.io/stakater/reloader",
} as const;

/** The mirror's repository prefix: `<app>/<environment>/mirror` (beside the app's `<app>/<environment>/app`, which the prefix does not match). */
export function mirrorPrefix(appName: string, environment: string): string {
    return `${appName}/${environment}/mirror`;
}

/** The repository holding a chart's OCI copies: `<prefix>/charts/<chart>` (what `helm push <tgz> oci://<host>/<prefix>/charts` writes). */
export function chartRepository(prefix: string, chart: string): string {
    return `${prefix}/charts/${chart}`;
}

/** The repository holding an upstream image's copies: `<prefix>/<its path without the registry host>`. */
export function imageRepository(prefix: string, upstream: string): string {
    const slash = upstream.indexOf("/");
    if (slash <= 0 || slash === upstream.length - 1 || upstream.includes(":") || upstream.includes("@")) {
        throw new Error(`${upstream} is not an image repository with a registry host (host/path, no tag or digest).`);
    }
    return `${prefix}/${upstream.slice(slash + 1)}`;
}

/** Every repository of the mirror: one per controller chart, one per mirrored image. */
export function mirrorRepositories(prefix: string): string[] {
    return [...Object.values(CONTROLLER_CHARTS).map((c) => chartRepository(prefix, c.chart)), ...Object.values(MIRRORED_IMAGES).map((i) => imageRepository(prefix, i))];
}

/** The `chart` input of a Helm release installing `chart` from the mirror of `registryHost`. */
export function mirroredChart(registryHost: string, prefix: string, chart: string): string {
    return `oci://${registryHost}/${chartRepository(prefix, chart)}`;
}

/** `scripts/dr_mirror.sh`'s input: the `drMirror` output of the primary stack. */
export interface MirrorManifest {
    /** The DR region, whose ECR holds the mirror and the caches. */
    region: string;
    /** The mirror's repository prefix. */
    prefix: string;
    /**
     * Each chart, pulled from `repo` at `version` and pushed to `oci://<host>/<prefix>/charts`;
     * `templateValues` (when the chart needs some) are set when the script renders it for its images.
     */
    charts: { chart: string; repo: string; version: string; repository: string; templateValues?: Record<string, string> }[];
    /** Upstream image repository → its copy's repository: every image a chart renders from one of them is copied at its tag. */
    images: Record<string, string>;
    /** Upstream registry host → the pull-through cache prefix serving it: a chart's image from one of them is pulled once through the cache. */
    caches: Record<string, string>;
    /** Images outside the charts the rebuild pulls through a cache (the collector's, the flags agent's), pulled once to fill it. */
    prewarm: string[];
}

/**
 * The manifest for an app's environment: its charts at the pinned versions, the mirrored images,
 * and the images a rebuild pulls through the caches (each must be one a cache serves).
 */
export function mirrorManifest(args: { appName: string; environment: string; region: string; versions: ControllerVersions; cachedImages: string[] }): MirrorManifest {
    const prefix = mirrorPrefix(args.appName, args.environment);
    const uncached = args.cachedImages.filter((i) => !PULL_THROUGH_CACHES.some((c) => i.startsWith(`${c.upstream}/`)));
    if (uncached.length > 0) {
        throw new Error(`No pull-through cache rule caches ${uncached.join(", ")}: a DR rebuild could not pull it; the DR region caches ${PULL_THROUGH_CACHES.map((c) => c.upstream).join(", ")} (modules/dr/names.ts PULL_THROUGH_CACHES).`);
    }
    return {
        region: args.region,
        prefix,
        charts: Object.values(CONTROLLER_CHARTS).map((c) => ({
            chart: c.chart,
            repo: c.repo,
            version: args.versions[c.controller],
            repository: chartRepository(prefix, c.chart),
            ...(c.templateValues ? { templateValues: { ...c.templateValues } } : {}),
        })),
        images: Object.fromEntries(Object.values(MIRRORED_IMAGES).map((i) => [i, imageRepository(prefix, i)])),
        caches: Object.fromEntries(PULL_THROUGH_CACHES.map((c) => [c.upstream, c.prefix])),
        prewarm: [...args.cachedImages],
    };
}
