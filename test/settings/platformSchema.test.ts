import * as fs from "fs";
import * as path from "path";
import { SettingsError } from "../../settings/errors";
import { Settings, loadSettings } from "../../settings/load";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { ROOT } from "../helpers/stacks";

/** Loads a stack's settings with some top-level keys replaced (as `pulumi config set` would). */
function load(stack: string, overrides: Record<string, unknown> = {}): Settings {
    const { project, config } = readStackConfig(ROOT, stack);
    const extra = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [`ops:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
    return loadSettings({ project, stack, config: { ...config, ...extra }, env: {} });
}

/** The problems a load reports, as `key: allowed`. */
function problems(stack: string, overrides: Record<string, unknown>): string[] {
    try {
        load(stack, overrides);
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e.problems.map((p) => `${p.key}: ${p.allowed}`);
        throw e;
    }
    return [];
}

const image = { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/backend", tag: "1.1.0" };

describe("platform settings", () => {
    it("loads the staging and production defaults", () => {
        const production = load("production");
        expect(production.network).toEqual({ cidr: "10.30.0.0/16", azCount: 3, natGateways: "perZone" });
        expect(production.edge).toEqual({ zone: { name: "example.com" }, wafRateLimit: 2000, deletionProtection: true });
        const staging = load("staging");
        expect(staging.network).toEqual({ cidr: "10.20.0.0/16", azCount: 3, natGateways: "single" });
        expect(staging.edge.deletionProtection).toBe(false);
    });

    it("refuses a VPC block that overlaps another environment's", () => {
        expect(problems("staging", { network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "single" } })).toEqual([
            "ops:network.cidr: a block that overlaps no other environment's (it overlaps production 10.30.0.0/16); staging owns 10.20.0.0/16 (docs/network.md)",
        ]);
        expect(problems("production", { network: { cidr: "10.0.0.0/16", azCount: 3, natGateways: "perZone" } })).toEqual([]);
        expect(problems("production", { network: { cidr: "10.40.0.0/16", azCount: 3, natGateways: "perZone" } })).toEqual([]);
    });

    it("refuses a VPC block the subnet plan cannot cut", () => {
        expect(problems("production", { network: { cidr: "10.50.0.0/24", azCount: 3, natGateways: "perZone" } })).toEqual([
            "ops:network.cidr: an IPv4 block from /16 to /20 from the CIDR plan (docs/network.md): development 10.10.0.0/16, staging 10.20.0.0/16, production 10.30.0.0/16, production-dr 10.40.0.0/16",
        ]);
    });

    it("refuses an unsupported zone count, and two zones in production", () => {
        expect(problems("staging", { network: { cidr: "10.20.0.0/16", azCount: 4, natGateways: "single" } })).toEqual([
            "ops:network.azCount: 2 or 3 availability zones (the subnet plan supports no other count)",
        ]);
        expect(problems("production", { network: { cidr: "10.30.0.0/16", azCount: 2, natGateways: "perZone" } })).toEqual([
            "ops:network.azCount: 3 in production (2 zones are allowed for staging only)",
        ]);
        expect(problems("staging", { network: { cidr: "10.20.0.0/16", azCount: 2, natGateways: "single" } })).toEqual([]);
    });

    it("refuses canary weights that don't add up to 100", () => {
        expect(problems("production", { deployment: { strategy: "canary", canary: { image, weights: { stable: 80, canary: 10 } } } })).toEqual([
            "ops:deployment.canary.weights.canary: weights that add up to 100 (stable + canary)",
        ]);
    });

    it("refuses a public API endpoint open to the world in production, not elsewhere", () => {
        expect(problems("production", { cluster: { publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } })).toEqual([
            "ops:cluster.publicAccessCidrs[1]: specific CIDRs (the office, CI egress) in production: an API endpoint open to the whole internet is refused; an empty list keeps it private",
        ]);
        expect(load("staging", { cluster: { publicAccessCidrs: ["0.0.0.0/0"] } }).cluster.publicAccessCidrs).toEqual(["0.0.0.0/0"]);
    });

    it("refuses node group sizes out of order, an AMI release for another Kubernetes version, and a host outside the zone", () => {
        expect(
            problems("production", {
                cluster: { version: "1.32", nodeGroup: { minSize: 3, maxSize: 9, desiredSize: 12 } },
                edge: { zone: { name: "example.org" } },
            }),
        ).toEqual([
            "ops:cluster.nodeGroup.desiredSize: a size from cluster.nodeGroup.minSize (3) to maxSize (9)",
            "ops:cluster.nodeGroup.amiReleaseVersion: an AMI release for Kubernetes 1.32 (cluster.version), such as 1.32.0-20250704",
            "ops:cluster.version: the same version as kubernetes.version (1.35): the workload's manifests are validated against it; change both together",
            "ops:edge.zone.name: a zone that contains the hostname api.example.com",
        ]);
    });

    it("refuses a cluster version other than the one the workload's manifests are validated against", () => {
        expect(problems("production", { cluster: { version: "1.34", nodeGroup: { amiReleaseVersion: "1.34.0-20251120" } } })).toEqual([
            "ops:cluster.version: the same version as kubernetes.version (1.35): the workload's manifests are validated against it; change both together",
        ]);
    });

    it("refuses malformed versions and roles at the field", () => {
        expect(problems("production", { cluster: { adminRole: "arn:aws:iam::oops:role/platform-admin", ciRole: "ci deploy", addons: { coredns: "1.12" } }, controllers: { metricsServer: "^3.12.0" } })).toEqual([
            "ops:cluster.adminRole: an IAM role name such as platform-admin (a role in the deploying account) or a full role ARN such as arn:aws:iam::<account>:role/platform-admin",
            "ops:cluster.ciRole: an IAM role name such as platform-admin (a role in the deploying account) or a full role ARN such as arn:aws:iam::<account>:role/platform-admin",
            "ops:cluster.addons.coredns: a pinned add-on version such as v1.20.0-eksbuild.1 (aws eks describe-addon-versions)",
            "ops:controllers.metricsServer: an exact chart version such as 1.13.3 (no ranges: a range moves under you)",
        ]);
    });

    it("names the admin and CI roles by default, in the deploying account; no stack file holds an account id", () => {
        for (const stack of ["staging", "production"]) {
            expect(load(stack).cluster).toMatchObject({ adminRole: "platform-admin" });
            // CI's deploy role is the bootstrap stack's for the environment (environments/names.ts).
            expect(load(stack).cluster.ciRole).toBeUndefined();
        }
        for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))) {
            expect(fs.readFileSync(path.join(ROOT, file), "utf8")).not.toMatch(/:iam::\d{12}:role\//);
        }
        expect(load("production", { cluster: { adminRole: "arn:aws:iam::210987654321:role/ops/break-glass" } }).cluster.adminRole).toBe("arn:aws:iam::210987654321:role/ops/break-glass");
    });
});
