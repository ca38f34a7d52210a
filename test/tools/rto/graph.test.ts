import { creationGraph, packageOf } from "../../../tools/rto/graph";
import { estimate } from "../../../tools/rto/estimate";
import { AWS_PROVIDER, BUCKET, CLUSTER, K8S_PROVIDER, NAT, NODES, ROLE, SUBNET, VPC, component, plan, res, typical, urnOf, worst } from "./fixtures";

/**
 * The creation graph on small hand-made plans: how Pulumi orders creation (inputs, dependsOn,
 * components, parents, providers), checked through the estimate's totals and paths. Expected
 * figures are sums of the table's entries, so calibrating the table does not break these tests.
 */

const names = (path: { name: string }[]): string[] => path.map((s) => s.name).filter((n) => n !== "ops-test");

describe("the creation graph", () => {
    it("chains inputs: each resource starts when the outputs it uses exist", () => {
        // GIVEN vpc → subnet → nat, by inputs
        const vpc = res(VPC, "vpc");
        const subnet = res(SUBNET, "subnet", { inputs: [vpc] });
        const nat = res(NAT, "nat", { inputs: [subnet] });
        // WHEN
        const e = estimate(plan(vpc, subnet, nat));
        // THEN
        expect(e.typical.totalSeconds).toBe(typical(VPC) + typical(SUBNET) + typical(NAT));
        expect(e.worst.totalSeconds).toBe(worst(VPC) + worst(SUBNET) + worst(NAT));
        expect(names(e.typical.path)).toEqual(["vpc", "subnet", "nat"]);
        expect(e.typical.path[3]!.waitsFor).toEqual({ id: subnet.urn, name: "subnet", kind: "input", why: "uses an output of subnet" });
    });

    it("runs independent branches in parallel: the total is the longest branch", () => {
        const cluster = res(CLUSTER, "cluster");
        const bucket = res(BUCKET, "bucket");
        const role = res(ROLE, "role");
        const e = estimate(plan(cluster, bucket, role));
        expect(e.typical.totalSeconds).toBe(typical(CLUSTER));
        expect(names(e.typical.path)).toEqual(["cluster"]);
    });

    it("waits in a diamond for the longer side", () => {
        // GIVEN vpc → (nat | bucket) → nodes
        const vpc = res(VPC, "vpc");
        const nat = res(NAT, "nat", { inputs: [vpc] });
        const bucket = res(BUCKET, "bucket", { inputs: [vpc] });
        const nodes = res(NODES, "nodes", { inputs: [nat, bucket] });
        const e = estimate(plan(vpc, nat, bucket, nodes));
        expect(names(e.typical.path)).toEqual(["vpc", "nat", "nodes"]);
        expect(e.typical.totalSeconds).toBe(typical(VPC) + typical(NAT) + typical(NODES));
    });

    it("reads a component in dependsOn as all its custom children, nested components included, not a custom resource's children", () => {
        // GIVEN box { cluster, inner { nat }, bucket { role (child of a custom resource) } }, and app dependsOn box
        const box = component("box");
        const cluster = res(CLUSTER, "cluster", { parent: box });
        const inner = component("inner", { parent: box });
        const nat = res(NAT, "nat", { parent: inner });
        const bucket = res(BUCKET, "bucket", { parent: box });
        const role = res(ROLE, "under-bucket", { parent: bucket });
        const app = res(NODES, "app", { dependsOn: [box] });
        // WHEN
        const graph = creationGraph(plan(box, cluster, inner, nat, bucket, role, app));
        // THEN
        const waits = graph.nodes.get(app.urn)!.waits;
        expect(waits.filter((w) => w.kind === "dependsOn").map((w) => w.on).sort()).toEqual([bucket.urn, cluster.urn, nat.urn].sort());
        expect(waits.find((w) => w.on === cluster.urn)!.why).toBe("depends on the component box, which stands for its child cluster");
        expect(estimate(plan(box, cluster, inner, nat, bucket, role, app)).typical.totalSeconds).toBe(typical(CLUSTER) + typical(NODES));
    });

    it("does not make a component's child wait for its siblings: a component takes no time", () => {
        const box = component("box");
        const cluster = res(CLUSTER, "cluster", { parent: box });
        const bucket = res(BUCKET, "bucket", { parent: box });
        const t = estimate(plan(box, cluster, bucket), { until: "bucket" });
        expect(t.typical.totalSeconds).toBe(typical(BUCKET));
        expect(t.typical.path.find((s) => s.name === "box")).toMatchObject({ durationKey: "", durationSeconds: 0 });
    });

    it("delays a component's children by what the component itself depends on", () => {
        // GIVEN late { bucket } with late dependsOn cluster: bucket registers only once cluster exists
        const cluster = res(CLUSTER, "cluster");
        const late = component("late", { dependsOn: [cluster] });
        const bucket = res(BUCKET, "bucket", { parent: late });
        const e = estimate(plan(cluster, late, bucket));
        expect(names(e.typical.path)).toEqual(["cluster", "late", "bucket"]);
        expect(e.typical.path[3]!.waitsFor!.why).toBe("is a child of late, registered once what it waits for is done (not its children)");
    });

    it("makes a child of a custom resource wait for it to be created", () => {
        const cluster = res(CLUSTER, "cluster");
        const child = res(BUCKET, "child", { parent: cluster });
        const e = estimate(plan(cluster, child));
        expect(e.typical.totalSeconds).toBe(typical(CLUSTER) + typical(BUCKET));
        expect(e.typical.path[2]!.waitsFor).toMatchObject({ kind: "parent", name: "cluster" });
    });

    it("creates a resource after its provider, and a provider after what it depends on", () => {
        // GIVEN k8s provider dependsOn nodes, nodes uses cluster; a namespace on that provider
        const cluster = res(CLUSTER, "cluster");
        const nodes = res(NODES, "nodes", { inputs: [cluster] });
        const k8s = res(K8S_PROVIDER, "k8s", { inputs: [cluster], dependsOn: [nodes] });
        const ns = res("kubernetes:core/v1:Namespace", "ns", { provider: k8s });
        const e = estimate(plan(cluster, nodes, k8s, ns));
        expect(names(e.typical.path)).toEqual(["cluster", "nodes", "k8s", "ns"]);
        expect(e.typical.path[4]!.waitsFor).toMatchObject({ kind: "provider", why: "is created with the provider k8s" });
        expect(e.typical.totalSeconds).toBe(
            typical(CLUSTER) + typical(NODES) + typical(K8S_PROVIDER) + typical("kubernetes:core/v1:Namespace"),
        );
    });

    it("resolves a provider inherited from a component's providers, by package, and waits for it", () => {
        const cluster = res(CLUSTER, "cluster");
        const k8s = res(K8S_PROVIDER, "k8s", { dependsOn: [cluster] });
        const aws = res(AWS_PROVIDER, "aws");
        const app = component("app", { providers: [k8s, aws] });
        const inner = component("inner", { parent: app });
        const ns = res("kubernetes:core/v1:Namespace", "ns", { parent: inner });
        const bucket = res(BUCKET, "bucket", { parent: inner });
        const graph = creationGraph(plan(cluster, k8s, aws, app, inner, ns, bucket));
        expect(graph.nodes.get(ns.urn)!.waits).toContainEqual({ on: k8s.urn, kind: "provider", why: "inherits from its parents the provider k8s" });
        expect(graph.nodes.get(bucket.urn)!.waits).toContainEqual({ on: aws.urn, kind: "provider", why: "inherits from its parents the provider aws" });
        // AND the component waits for the providers it hands its children
        expect(graph.nodes.get(app.urn)!.waits.map((w) => w.on).sort()).toEqual([aws.urn, k8s.urn, urnOf("pulumi:pulumi:Stack", "ops-test")].sort());
        expect(estimate(plan(cluster, k8s, aws, app, inner, ns, bucket), { until: "ns" }).typical.totalSeconds).toBe(
            typical(CLUSTER) + typical(K8S_PROVIDER) + typical("kubernetes:core/v1:Namespace"),
        );
    });

    it("gives a resource on the default provider no provider wait", () => {
        const bucket = res(BUCKET, "bucket");
        expect(creationGraph(plan(bucket)).nodes.get(bucket.urn)!.waits.map((w) => w.kind)).toEqual(["parent"]);
    });

    it("rejects a cycle with the resources on it", () => {
        const a = res(BUCKET, "a");
        const b = res(BUCKET, "b", { dependsOn: [a] });
        a.dependencies = [b.urn];
        expect(() => estimate(plan(a, b))).toThrow(
            `The creation graph has a cycle, so \`pulumi up\` would wait forever: a (${BUCKET}) → b (${BUCKET}) → a (${BUCKET})`,
        );
    });

    it("refuses a plan that refers to a resource it does not hold", () => {
        const a = res(BUCKET, "a");
        a.dependsOn = ["urn:pulumi:test::ops::aws:s3/bucket:Bucket::ghost"];
        expect(() => creationGraph(plan(a))).toThrow(
            `The plan is inconsistent: a (${BUCKET}) refers to urn:pulumi:test::ops::aws:s3/bucket:Bucket::ghost, which the plan does not hold.`,
        );
    });

    it("names packages as providers do", () => {
        expect(packageOf("aws:s3/bucket:Bucket")).toBe("aws");
        expect(packageOf("pulumi:providers:kubernetes")).toBe("kubernetes");
    });
});
