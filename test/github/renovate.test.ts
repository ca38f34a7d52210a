import * as fs from "fs";
import * as path from "path";
import { base } from "../../settings/profiles";

/**
 * Patching (runbook 4.3): the Renovate configuration reaches every pin it promises to update.
 * Its regex managers read settings/*.ts; when a refactor moves a pin out of their reach,
 * these tests say which one.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const config = JSON.parse(fs.readFileSync(path.join(ROOT, ".github", "renovate.json"), "utf8")) as {
    schedule: string[];
    vulnerabilityAlerts: { schedule: string[]; enabled: boolean };
    customManagers: { managerFilePatterns: string[]; matchStrings: string[]; depNameTemplate?: string; datasourceTemplate: string; packageNameTemplate?: string }[];
    packageRules: { matchManagers?: string[]; groupName?: string }[];
};

/** Renovate's `/regex/` file patterns and its named groups, as JavaScript sees them. */
const toRegExp = (p: string) => new RegExp(p.replace(/^\/|\/$/g, ""));
const filesFor = (patterns: string[]) => {
    const all = ["settings", "environments", ".github"].flatMap((d) => fs.readdirSync(path.join(ROOT, d), { recursive: true }).map((f) => path.join(d, String(f))));
    return all.filter((f) => patterns.some((p) => toRegExp(p).test(f)) && fs.statSync(path.join(ROOT, f)).isFile());
};
const matches = (m: (typeof config.customManagers)[number]) =>
    filesFor(m.managerFilePatterns).flatMap((f) => m.matchStrings.flatMap((s) => [...fs.readFileSync(path.join(ROOT, f), "utf8").matchAll(new RegExp(s, "g"))].map((x) => x.groups!)));

describe("Renovate", () => {
    it("updates monthly and security fixes at once", () => {
        expect(config.schedule).toEqual(["* 0-6 1 * *"]);
        expect(config.vulnerabilityAlerts).toMatchObject({ enabled: true, schedule: ["at any time"] });
        expect(config.packageRules.map((r) => r.groupName).filter(Boolean)).toEqual(["npm dependencies", "GitHub Actions", "cluster and runtime versions"]);
    });

    it("reaches every chart, add-on, AMI and image pin of the settings", () => {
        const found = config.customManagers.map((m) => ({ dep: m.depNameTemplate ?? m.datasourceTemplate, values: matches(m).map((g) => g["currentValue"]) }));
        const c = base.controllers;
        const a = base.cluster.addons;
        expect(found).toEqual([
            { dep: "aws-load-balancer-controller", values: [c.awsLoadBalancerController] },
            { dep: "external-secrets", values: [c.externalSecrets] },
            { dep: "metrics-server", values: [c.metricsServer] },
            { dep: "reloader", values: [c.reloader] },
            { dep: "eks-addon-{{{addon}}}", values: [a.vpcCni, a.coredns, a.kubeProxy, a.podIdentityAgent, a.ebsCsiDriver, a.cloudwatchObservability] },
            { dep: "awslabs/amazon-eks-ami", values: [base.cluster.nodeGroup.amiReleaseVersion.split("-")[1]] },
            { dep: "docker", values: [base.inClusterStores.postgresImage, base.inClusterStores.redisImage, base.tracing.collectorImage, base.flags.agentImage].map((i) => i.slice(i.lastIndexOf(":") + 1)) },
            { dep: "pulumi/pulumi", values: [fs.readFileSync(path.join(ROOT, ".github", "pulumi-version"), "utf8").trim()] },
        ]);
    });

    it("asks for the add-ons of the Kubernetes version the clusters run", () => {
        const addons = config.customManagers.find((m) => m.datasourceTemplate === "aws-eks-addon")!;
        expect(addons.packageNameTemplate).toContain(`"kubernetesVersion":"${base.cluster.version}"`);
    });

    it("installs the Pulumi CLI of the SDK's release in CI", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        expect(fs.readFileSync(path.join(ROOT, ".github", "pulumi-version"), "utf8").trim()).toBe(pkg.dependencies["@pulumi/pulumi"]);
    });
});
