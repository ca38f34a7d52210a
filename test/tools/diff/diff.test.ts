import { counts, dataLossChanges, diffPlans, diffStack } from "../../../tools/diff/diff";
import { STACK_URN, plan, res, side, urn } from "./fixtures";

const S = "staging";
const PROVIDER = res(S, "pulumi:providers:aws", "primary", { region: "us-east-1" }, { id: "p-1" });
const onProvider = { provider: PROVIDER.urn };

describe("diffStack on hand-written plans", () => {
    // GIVEN a base with a VPC, a subnet referring to it by its made-up id, a database and a bucket
    const vpc = res(S, "aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }, { ...onProvider, id: "vpc-0123456789abcdef0" });
    const subnet = res(S, "aws:ec2/subnet:Subnet", "subnet-a", { vpcId: "vpc-0123456789abcdef0", cidrBlock: "10.0.1.0/24" }, onProvider);
    const db = res(S, "aws:rds/instance:Instance", "db", { identifier: "myapp-staging", dbName: "app", instanceClass: "db.r6g.large" }, { ...onProvider, id: "myapp-staging" });
    const bucket = res(S, "aws:s3/bucket:Bucket", "files", { bucket: "myapp-staging-files" }, { ...onProvider, id: "myapp-staging-files" });
    const base = plan(S, [PROVIDER, vpc, subnet, db, bucket]);

    it("finds no change between a plan and itself", () => {
        const d = diffStack(base, base);
        expect(d.status).toBe("unchanged");
        expect(d.changes).toEqual([]);
    });

    it("reports an in-place update with its changed paths", () => {
        const head = plan(S, [PROVIDER, vpc, subnet, { ...db, inputs: { ...db.inputs, instanceClass: "db.r6g.xlarge" } }, bucket]);
        const d = diffStack(base, head);
        expect(d.changes).toHaveLength(1);
        expect(d.changes[0]).toMatchObject({ op: "update", name: "db", changes: [{ path: "instanceClass", before: "db.r6g.large", after: "db.r6g.xlarge" }] });
        expect(d.changes[0]!.dataLoss).toBeUndefined();
    });

    it("reports a replacement, the input that forces it, and data loss for a stateful resource", () => {
        const head = plan(S, [PROVIDER, vpc, subnet, { ...db, inputs: { ...db.inputs, dbName: "other" } }, bucket]);
        const [change] = diffStack(base, head).changes;
        expect(change).toMatchObject({ op: "replace", replacedBy: [{ path: "dbName", reason: "database.name" }] });
        expect(change!.dataLoss).toMatch(/^replaced: the database/);
    });

    it("flags the deletion of a protected resource, even of a stateless type", () => {
        const protectedVpc = { ...vpc, protect: true };
        const d = diffStack(plan(S, [PROVIDER, protectedVpc, bucket]), plan(S, [PROVIDER, bucket]));
        expect(d.changes.map((c) => [c.op, c.name, c.dataLoss])).toEqual([["delete", "vpc", "protected, deleted (pulumi up refuses until the protection is removed)"]]);
    });

    it("does not call a retained deletion of a stateless resource data loss", () => {
        const retained = { ...subnet, retainOnDelete: true };
        const d = diffStack(plan(S, [PROVIDER, vpc, retained]), plan(S, [PROVIDER, vpc]));
        expect(d.changes[0]).toMatchObject({ op: "delete", name: "subnet-a" });
        expect(d.changes[0]!.dataLoss).toBeUndefined();
    });

    it("reports creates, and never components or the stack", () => {
        const component = res(S, "ops:network:Network", "net", {}, { custom: false });
        const d = diffStack(plan(S, [PROVIDER]), plan(S, [PROVIDER, component, vpc]));
        expect(d.changes.map((c) => `${c.op} ${c.name}`)).toEqual(["create vpc"]);
    });

    it("replaces every resource of a provider whose region changes", () => {
        const moved = { ...PROVIDER, inputs: { region: "eu-west-1" } };
        const d = diffStack(base, plan(S, [moved, vpc, subnet, db, bucket]));
        const replaced = d.changes.filter((c) => c.op === "replace").map((c) => c.name);
        expect(replaced.sort()).toEqual(["db", "files", "subnet-a", "vpc"]);
        expect(dataLossChanges({ stacks: [d] }).map((x) => x.change.name).sort()).toEqual(["db", "files"]);
        expect(d.changes.find((c) => c.name === "vpc")!.replacedBy[0]!.path).toBe("provider primary: region");
    });

    it("honours replaceOnChanges from the program's resource options", () => {
        const sg = res(S, "aws:ec2/securityGroup:SecurityGroup", "sg", { tags: { a: "1" } }, { ...onProvider, options: { replaceOnChanges: ["tags"] } });
        const d = diffStack(plan(S, [PROVIDER, sg]), plan(S, [PROVIDER, { ...sg, inputs: { tags: { a: "2" } } }]));
        expect(d.changes[0]).toMatchObject({ op: "replace", replacedBy: [{ path: "tags.a", reason: "replaceOnChanges in the program's resource options" }] });
    });

    it("reports protection changes, and warns when a stateful resource loses its protection", () => {
        const guarded = { ...db, protect: true };
        const d = diffStack(plan(S, [PROVIDER, guarded]), plan(S, [PROVIDER, db]));
        expect(d.protection).toEqual([
            expect.objectContaining({ name: "db", option: "protect", before: true, after: false, warning: expect.stringMatching(/^removes protect from a stateful resource/) }),
        ]);
        expect(counts(d).protection).toBe(1);
    });
});

describe("aliases", () => {
    const comp = (name: string, opts: Record<string, unknown> = {}) => res(S, "ops:files:FilesBucket", name, {}, { custom: false, options: opts });
    const child = (parentName: string, id: string) =>
        res(S, "aws:s3/bucket:Bucket", `${parentName}-bucket`, { bucket: "myapp-staging-files" }, { parent: urn(S, "ops:files:FilesBucket", parentName), parentChain: "ops:files:FilesBucket", id });

    it("matches a resource renamed with an explicit alias: no delete, no create", () => {
        const before = res(S, "aws:s3/bucket:Bucket", "old", { bucket: "b" }, { id: "b" });
        const after = res(S, "aws:s3/bucket:Bucket", "new", { bucket: "b" }, { id: "b", options: { aliases: [before.urn] } });
        const d = diffStack(plan(S, [before]), plan(S, [after]));
        expect(d.changes).toEqual([]);
        expect(d.renames).toEqual([{ from: before.urn, to: after.urn }]);
    });

    it("matches the children of an aliased component under the parent's old URN", () => {
        const oldParent = comp("files");
        const newParent = comp("documents", { aliases: [oldParent.urn] });
        const b = plan(S, [oldParent, { ...child("files", "myapp-staging-files"), name: "bucket", urn: urn(S, "aws:s3/bucket:Bucket", "bucket", "ops:files:FilesBucket") }]);
        const movedChild = { ...child("documents", "myapp-staging-files"), name: "bucket", urn: urn(S, "aws:s3/bucket:Bucket", "bucket", "ops:files:FilesBucket") };
        // Same child URN shape under a renamed parent of the same type: the URN does not change, so
        // make the parent's type change instead, which does change the child's type chain.
        const retyped = res(S, "ops:storage:Files", "files", {}, { custom: false, options: { aliases: [oldParent.urn] } });
        const retypedChild = res(S, "aws:s3/bucket:Bucket", "bucket", { bucket: "myapp-staging-files" }, { parent: retyped.urn, parentChain: "ops:storage:Files", id: "myapp-staging-files" });
        expect(diffStack(b, plan(S, [newParent, movedChild])).changes).toEqual([]);
        const d = diffStack(b, plan(S, [retyped, retypedChild]));
        expect(d.changes).toEqual([]);
        expect(d.renames.map((r) => r.to)).toContain(retypedChild.urn);
    });

    it("without the alias, the same rename is a delete and a create, and data loss for a bucket", () => {
        const before = res(S, "aws:s3/bucket:Bucket", "old", { bucket: "b" }, { id: "b" });
        const after = res(S, "aws:s3/bucket:Bucket", "new", { bucket: "b" }, { id: "b" });
        const d = diffStack(plan(S, [before]), plan(S, [after]));
        expect(d.changes.map((c) => `${c.op} ${c.name}`)).toEqual(["delete old", "create new"]);
        expect(d.changes[0]!.dataLoss).toMatch(/bucket's objects/);
    });

    it("says when the head plan records aliases only as a count", () => {
        const r = res(S, "aws:s3/bucket:Bucket", "x", { bucket: "b" }, { id: "b", options: { aliases: 2 } });
        expect(diffStack(plan(S, [r]), plan(S, [r])).notes[0]).toMatch(/^1 resource\(s\) of the head plan have aliases the plan records only as a count/);
    });
});

describe("values the mocks make up", () => {
    it("ignores an id that differs only because the mocks derive it from the (aliased) name", () => {
        const role = (name: string, id: string, aliases?: string[]) =>
            res(S, "aws:iam/role:Role", name, { assumeRolePolicy: "{}" }, { id, ...(aliases ? { options: { aliases } } : {}) });
        const attachment = (roleId: string) =>
            res(S, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: roleId, policyArn: `arn:aws:iam::aws:policy/ReadOnly`, note: `arn:aws:iam::123456789012:role/${roleId}` });
        const oldRole = role("app-role", "app-role-1a2b3c4");
        const newRole = role("service-role", "service-role-9f8e7d6", [oldRole.urn]);
        const d = diffStack(plan(S, [oldRole, attachment(oldRole.id!)]), plan(S, [newRole, attachment(newRole.id!)]));
        expect(d.changes).toEqual([]);
    });

    it("still sees a change of a physical name the program gives (the id equals an input)", () => {
        const bucket = (name: string) => res(S, "aws:s3/bucket:Bucket", "files", { bucket: name }, { id: name });
        const policy = (name: string) => res(S, "aws:s3/bucketPolicy:BucketPolicy", "files-policy", { bucket: name });
        const d = diffStack(plan(S, [bucket("myapp-files"), policy("myapp-files")]), plan(S, [bucket("myapp-docs"), policy("myapp-docs")]));
        expect(d.changes.map((c) => `${c.op} ${c.name}`).sort()).toEqual(["replace files", "replace files-policy"]);
        expect(dataLossChanges({ stacks: [d] })).toHaveLength(1);
    });
});

describe("diffPlans over several stacks", () => {
    it("matches stacks by name and reports stacks planned on one side only", () => {
        const a = plan("staging", [PROVIDER]);
        const b = plan("production", [res("production", "aws:s3/bucket:Bucket", "f", { bucket: "f" }, { id: "f" })]);
        const c = plan("pr-7", [res("pr-7", "kubernetes:core/v1:Namespace", "ns", { metadata: { name: "pr-7" } }, { id: "pr-7" })]);
        const d = diffPlans(side(a, b), side(a, c));
        expect(d.stacks.map((s) => [s.stack, s.status])).toEqual([
            ["pr-7", "added"],
            ["production", "removed"],
            ["staging", "unchanged"],
        ]);
        expect(d.stacks[0]!.changes.map((x) => x.op)).toEqual(["create"]);
        expect(d.stacks[1]!.notes[0]).toMatch(/Nothing is destroyed by that alone: `pulumi destroy -s production` would delete 1 resources/);
        expect(dataLossChanges(d)).toEqual([]);
        expect(STACK_URN("x")).toBe("urn:pulumi:x::ops::pulumi:pulumi:Stack::ops-x");
    });
});
