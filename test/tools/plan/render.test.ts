import { isMockMade } from "../../../tools/plan/mocks/mark";
import type { Plan, PlannedResource } from "../../../tools/plan/record";
import { eksSupportNotice } from "../../../modules/cluster/versions";
import { hasSecretInputs, planNotices, renderPlan } from "../../../tools/plan/render";
import { PlanQuery, loadPlan, loadPlanText } from "../../helpers/plan";
import { nonEmpty } from "../../helpers/nonEmpty";
import { BOOTSTRAP_STACK, plannedStacks } from "../../helpers/stacks";

function resource(over: Partial<PlannedResource> & Pick<PlannedResource, "type" | "name">): PlannedResource {
    return {
        urn: `urn:pulumi:s::ops::${over.type}::${over.name}`,
        id: null,
        parent: "urn:pulumi:s::ops::pulumi:pulumi:Stack::ops-s",
        custom: true,
        provider: null,
        dependsOn: [],
        dependencies: [],
        protect: false,
        retainOnDelete: false,
        options: {},
        inputs: {},
        ...over,
    };
}

/** A plan small enough to read whole: a stack, a component, three resources, an app Deployment. */
const small: Plan & { standIns: string[] } = {
    project: "ops",
    stack: "s",
    resources: [
        resource({ urn: "urn:pulumi:s::ops::pulumi:pulumi:Stack::ops-s", type: "pulumi:pulumi:Stack", name: "ops-s", parent: null, custom: false }),
        resource({ urn: "urn:pulumi:s::ops::ops:database:PostgresDatabase::db", type: "ops:database:PostgresDatabase", name: "db", custom: false }),
        resource({ type: "aws:rds/instance:Instance", name: "db-instance", parent: "urn:pulumi:s::ops::ops:database:PostgresDatabase::db", protect: true, retainOnDelete: true, inputs: { password: "[secret]" } }),
        resource({ type: "aws:kms/key:Key", name: "key", protect: true }),
        resource({
            type: "kubernetes:apps/v1:Deployment",
            name: "myapp-stable-deployment",
            inputs: { metadata: { name: "app-deployment", labels: { track: "stable" } }, spec: { template: { spec: { containers: [{ name: "app", image: "plan-stand-in/app:plan-stand-in" }] } } } },
        }),
    ],
    outputs: { vpcId: "vpc-0a1b2c3d412345678", url: "https://api.example.com", kubeconfig: "[secret]" },
    standIns: ["ops:app.image"],
};

describe("the printed plan, as pulumi preview prints one", () => {
    const text = renderPlan(small);

    it("ends with the summary: how many to create, how many protected, how many with secret inputs", () => {
        expect(text.split("\n").slice(-3)).toEqual(["Resources:", "    + 5 to create", "    2 protected (Pulumi refuses to delete them), 1 with secret inputs (shown as [secret])"]);
    });

    it("marks the options and the secret inputs that matter in review", () => {
        expect(text).toContain("        + aws:rds/instance:Instance  db-instance  [protect] [retain] [secret inputs]");
        expect(text).toContain("    + aws:kms/key:Key  key  [protect]\n");
    });

    it("shows the image the app runs, marked when it is a stand-in", () => {
        expect(text).toContain("App image:  plan-stand-in/app:plan-stand-in  (app-deployment, track stable)  [stand-in]");
        expect(text).toContain("Stand-ins:  ops:app.image (values only a deployment has; see the note on stderr)");
    });

    it("counts resource types and component types apart", () => {
        expect(text).toContain("Resources by type (3):\n    aws:kms/key:Key                  1\n    aws:rds/instance:Instance        1\n    kubernetes:apps/v1:Deployment    1");
        expect(text).toContain("Components by type (2):\n    ops:database:PostgresDatabase    1\n    pulumi:pulumi:Stack              1");
    });

    it("marks the values the mocks made up, and only those", () => {
        expect(text).toContain("    vpcId: vpc-0a1b2c3d412345678  [mock]");
        expect(text).toContain("    url: https://api.example.com\n");
        expect(text).toContain("    kubeconfig: [secret]\n");
    });
});

describe("every stack's printed plan", () => {
    it.each(plannedStacks())("%s: the summary counts what the JSON holds", (stack) => {
        const plan = loadPlan(stack);
        const text = loadPlanText(stack);
        const protectedCount = plan.resources.filter((r) => r.protect).length;
        const secret = plan.resources.filter(hasSecretInputs).length;
        expect(text).toContain(`Resources:\n    + ${plan.resources.length} to create\n    ${protectedCount} protected (Pulumi refuses to delete them), ${secret} with secret inputs (shown as [secret])`);
        if (stack === BOOTSTRAP_STACK) expect(text).toMatch(/^App image: {2}none \(the plan has no app Deployment\)$/m);
        // A cloud stack (and a preview) pulls from its own region's ECR; dev from its local cluster.
        else if (stack === "dev") expect(text).toMatch(/^App image: {2}myapp\/backend:[^ ]+ {2}\(app-deployment, track stable\)$/m);
        else expect(text).toMatch(/^App image: {2}\d{12}\.dkr\.ecr\.us-(east-1|west-2)\.amazonaws\.com\/myapp\/(staging|production)\/app:[^ ]+ {2}\(app-deployment, track stable\)$/m);
    });

    it.each(plannedStacks())("%s: lists no component among the resource types, and every component type apart", (stack) => {
        const plan = loadPlan(stack);
        const text = loadPlanText(stack);
        const section = (title: string): string[] => {
            const start = text.indexOf(`${title} (`);
            return text.slice(start).split("\n").slice(1).filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith("    "))).map((l) => l.trim().split(/\s+/)[0]!);
        };
        const componentTypes = new Set(plan.resources.filter((r) => !r.custom).map((r) => r.type));
        expect(nonEmpty(section("Resources by type"), "the resource types").filter((t) => componentTypes.has(t))).toEqual([]);
        expect(section("Components by type").sort()).toEqual([...componentTypes].sort());
    });

    it("production: marks every output the mocks made up, and no output the program chose", () => {
        const { outputs } = loadPlan("production");
        const text = loadPlanText("production");
        const marked = nonEmpty(Object.keys(outputs).filter((k) => new RegExp(`^ {4}${k}: .*  \\[mock\\]$`, "m").test(text)), "the outputs marked [mock]");
        const mockMade = Object.entries(outputs)
            .filter(([, v]) => isMockMade(typeof v === "string" ? v : JSON.stringify(v)))
            .map(([k]) => k);
        expect(marked).toEqual(mockMade);
        expect(marked).toEqual(expect.arrayContaining(["vpcId", "databaseAddress", "loadBalancerDnsName"]));
        expect(marked).not.toContain("url");
    });
});


// A Kubernetes version past, or within 60 days of, the end of EKS standard support is printed
// under "Notices:" (modules/cluster/versions.ts), as the policy pack reports it.
describe("the printed plan's notices", () => {
    const plan = loadPlan("production");
    const cluster = PlanQuery.of("production").one("aws:eks/cluster:Cluster");

    it("say nothing while the cluster's version has more than 60 days of standard support left", () => {
        expect(planNotices(plan, "2026-12-01")).toEqual([]);
        expect(renderPlan(plan, "2026-12-01")).not.toContain("Notices:");
    });

    it("name the cluster and the deadline from 60 days before the end of standard support, as the last lines", () => {
        const text = renderPlan(plan, "2027-02-01");
        expect(text.split("\n").slice(-3)).toEqual(["", "Notices:", `    ! ${cluster.name}: ${eksSupportNotice("1.35", "2027-02-01")!}`]);
        expect(text).toContain("leaves EKS standard support on 2027-03-27, in 54 days");
    });

    it("cover every cluster of the plan, and none where there is none", () => {
        expect(planNotices(loadPlan("production-dr"), "2027-04-01")).toHaveLength(1);
        expect(planNotices(loadPlan("dev"), "2030-01-01")).toEqual([]);
    });
});
