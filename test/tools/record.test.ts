import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { SECRET, recordPlan } from "../../tools/plan/record";

/**
 * The recorder, on a small program of its own: options, secrets, references and ids as the
 * plan JSON promises them. (The stacks' own plans are checked in plan.test.ts.)
 */
class Box extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("ops:test:Box", name, {}, opts);
        this.registerOutputs({});
    }
}

/** The recorder's own small program, planned twice below. */
function planRecorder(): ReturnType<typeof recordPlan> {
    return recordPlan({
        project: "ops",
        stack: "recorder",
        config: { "ops:token": "s3cr3t-token-value" },
        secretKeys: ["ops:token"],
        defaultRegion: "eu-west-1",
        program: () => {
            const provider = new aws.Provider("primary", { region: "eu-west-1" });
            const box = new Box("box");
            const password = new random.RandomPassword("pw", { length: 24 }, { parent: box });
            const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { parent: box, provider, protect: true });
            const subnet = new aws.ec2.Subnet(
                "subnet",
                { vpcId: vpc.id, cidrBlock: "10.0.1.0/24" },
                { parent: box, provider, dependsOn: [vpc], retainOnDelete: true, deleteBeforeReplace: true, ignoreChanges: ["tags"] },
            );
            const token = new pulumi.Config("ops").requireSecret("token");
            const handing = new Box("handing", { providers: { aws: provider } });
            new aws.s3.Bucket("inherits", {}, { parent: handing });
            new aws.secretsmanager.SecretVersion("version", { secretId: "arn:x", secretString: pulumi.interpolate`${token}:${password.result}` }, { provider });
            // A resource in another region than its provider's (@pulumi/aws 7's per-resource region).
            const key = new aws.kms.Key("key", { region: "us-east-1" }, { provider });
            return { subnetId: subnet.id, token, vpcArn: vpc.arn, keyArn: key.arn };
        },
    });
}

describe("recordPlan", () => {
    let plan: Awaited<ReturnType<typeof recordPlan>>;

    beforeAll(async () => {
        plan = await planRecorder();
    });

    const find = (name: string) => {
        const r = plan.resources.find((x) => x.name === name);
        if (!r) throw new Error(`no ${name}`);
        return r;
    };

    it("records parents, providers and options", () => {
        const box = find("box");
        const vpc = find("vpc");
        const subnet = find("subnet");
        expect(box).toMatchObject({ type: "ops:test:Box", custom: false, id: null, inputs: {} });
        expect(vpc).toMatchObject({ parent: box.urn, provider: find("primary").urn, protect: true, retainOnDelete: false, custom: true });
        expect(subnet).toMatchObject({
            dependsOn: [vpc.urn],
            dependencies: [vpc.urn],
            protect: false,
            retainOnDelete: true,
            options: { deleteBeforeReplace: true, ignoreChanges: ["tags"] },
        });
        expect(subnet.urn).toBe("urn:pulumi:recorder::ops::ops:test:Box$aws:ec2/subnet:Subnet::subnet");
    });

    it("records the providers a component hands its children, and a child's provider only when it names one", () => {
        expect(find("handing").options).toEqual({ providers: [find("primary").urn] });
        expect(find("inherits")).toMatchObject({ parent: find("handing").urn, provider: null });
    });

    it("gives realistic ids, and lets a reader follow a reference by id", () => {
        const vpc = find("vpc");
        expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
        expect(find("subnet").inputs["vpcId"]).toBe(vpc.id);
        expect(plan.outputs["vpcArn"]).toBe(`arn:aws:ec2:eu-west-1:123456789012:vpc/${vpc.id}`);
    });

    it("gives a resource its own region, over its provider's", () => {
        expect(plan.outputs["keyArn"]).toBe(`arn:aws:kms:us-east-1:123456789012:key/${find("key").id}`);
    });

    it("gives the same ids on every run of the same program", async () => {
        const again = await planRecorder();
        const ids = (p: typeof plan) => p.resources.map((r) => [r.urn, r.id]);
        expect(ids(again)).toEqual(ids(plan));
        expect(again.outputs).toEqual(plan.outputs);
    });

    it("redacts secret inputs and outputs", () => {
        expect(find("version").inputs["secretString"]).toBe(SECRET);
        expect(find("pw").inputs).toEqual({ length: 24 });
        expect(plan.outputs["token"]).toBe(SECRET);
        expect(JSON.stringify(plan)).not.toContain("s3cr3t-token-value");
    });

    it("roots every resource at the stack", () => {
        const roots = plan.resources.filter((r) => r.parent === null);
        expect(roots.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
        expect(find("primary").parent).toBe(roots[0]!.urn);
    });
});

describe("recordPlan on a faulty program", () => {
    it("fails on two resources with the same URN, which the engine would refuse", async () => {
        await expect(
            recordPlan({
                project: "ops",
                stack: "dupes",
                config: {},
                secretKeys: [],
                defaultRegion: "us-east-1",
                program: () => {
                    const provider = new aws.Provider("p", { region: "us-east-1" });
                    new aws.s3.Bucket("files", {}, { provider });
                    new aws.s3.Bucket("files", {}, { provider });
                    return {};
                },
            }),
        ).rejects.toThrow("Two resources share the URN urn:pulumi:dupes::ops::aws:s3/bucket:Bucket::files: give one of them another name.");
    });

    it("fails on an invoke the mocks cannot answer, naming it", async () => {
        await expect(
            recordPlan({
                project: "ops",
                stack: "invoke",
                config: {},
                secretKeys: [],
                defaultRegion: "us-east-1",
                program: async () => {
                    await aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true });
                    return {};
                },
            }),
        ).rejects.toThrow(/no answer for the invoke aws:ec2\/getAmi:getAmi/);
    });
});
