import * as fs from "fs";
import { RoleSpec, policyDocument, render } from "../../../modules/aws/roles";
import { DR_ROLES_FILE, drRolePrefix, drRolesFile, readDrRoles, serializeDrRoles, uncoveredRoles } from "../../../modules/dr/roles";
import { rebuildStacks } from "../../../tools/drRoles";
import { PlanQuery, PlannedResource, loadPlan } from "../../helpers/plan";
import { planWith } from "../../helpers/planWith";
import { SECRET_SENTINELS, deployEnv, plannedStacks } from "../../helpers/stacks";

/**
 * The DR role set: what a DR rebuild references, production creates ahead of time, identical to
 * what the rebuild needs (modules/dr/roles.ts, docs/dr-roles.md).
 */

const ACCOUNT = { accountId: "123456789012", partition: "aws" };
const PREFIX = drRolePrefix("myapp", "production");

interface DrRolesOutput {
    prefix: string;
    roles: RoleSpec[];
}
const drRolesOf = (stack: string): DrRolesOutput | undefined => loadPlan(stack).outputs["drRoles"] as DrRolesOutput | undefined;

/** Every role ARN a plan's resources name, anywhere in their inputs. */
function roleArnsIn(resources: PlannedResource[]): string[] {
    const found = new Set<string>();
    for (const r of resources) for (const m of JSON.stringify(r.inputs).matchAll(/arn:aws:iam::\d{12}:role\/[\w+=,.@-]+/g)) found.add(m[0]);
    return [...found].sort();
}

describe("the DR rebuild stacks", () => {
    it("are the stacks whose file sets dr.rebuildOf, and each plan says which roles it uses", () => {
        const rebuilds = plannedStacks().filter((s) => drRolesOf(s) !== undefined);
        expect(rebuilds).toContain("production-dr");
        expect(rebuildStacks()).toEqual(rebuilds);
        for (const s of rebuilds) expect([s, drRolesOf(s)!.prefix]).toEqual([s, PREFIX]);
    });

    it.each(plannedStacks().filter((s) => drRolesOf(s) !== undefined))("%s creates no IAM resource, and references only roles production creates", (stack) => {
        const q = PlanQuery.of(stack);
        expect(q.ofPackage("aws").filter((r) => r.type.startsWith("aws:iam/")).map((r) => `${r.type} ${r.name}`)).toEqual([]);
        const created = new Set(PlanQuery.of("production").ofType("aws:iam/role:Role").map((r) => `arn:aws:iam::${ACCOUNT.accountId}:role/${String(r.inputs["name"])}`));
        const referenced = roleArnsIn(q.resources).filter((arn) => arn.includes(`:role/${PREFIX}-`));
        // The cluster, its nodes, add-ons, controllers, Lambdas, schedules, backups, RDS monitoring, the app.
        expect(referenced.length).toBeGreaterThanOrEqual(15);
        for (const arn of referenced) expect([arn, created.has(arn)]).toEqual([arn, true]);
        // Any other role it names is the account's, from its settings (the cluster's admin, CI's roles): none a stack creates.
        const others = roleArnsIn(q.resources).filter((arn) => !arn.includes(`:role/${PREFIX}-`));
        for (const arn of others) expect(arn).not.toMatch(/:role\/myapp-production-/);
        // Each role it uses is in the committed set, with everything its spec needs.
        expect(uncoveredRoles(readDrRoles().sets[PREFIX], drRolesOf(stack)!.roles)).toEqual([]);
    });
});

describe("modules/dr/roleSets.json", () => {
    it("is what npm run dr:roles writes from the rebuild stacks' plans (run it after changing a role)", () => {
        const stacks = plannedStacks()
            .filter((s) => drRolesOf(s) !== undefined)
            .map((s) => ({ stack: s, prefix: drRolesOf(s)!.prefix, specs: drRolesOf(s)!.roles }));
        expect(fs.readFileSync(DR_ROLES_FILE, "utf8")).toBe(serializeDrRoles(drRolesFile(stacks)));
    });

    it("names roles within IAM's limit and the CI deploy role's scope (myapp-production-*)", () => {
        const set = readDrRoles().sets[PREFIX]!;
        expect(set.roles.length).toBe(19);
        for (const r of set.roles) {
            const name = `${PREFIX}-${r.purpose}`;
            expect(name.length).toBeLessThanOrEqual(64);
            expect(name.startsWith("myapp-production-")).toBe(true);
        }
    });
});

describe("production's DR role set", () => {
    const q = PlanQuery.of("production");
    const set = readDrRoles().sets[PREFIX]!;
    const component = q.one("ops:dr:DrRoles");
    const children = q.childrenOf(component);
    const primaryProvider = q.one("pulumi:providers:aws", "myapp-us-east-1");

    it("creates each role of the set by name, on production's own provider, with exactly its trust, managed and inline policies", () => {
        const roles = children.filter((r) => r.type === "aws:iam/role:Role");
        expect(roles.map((r) => r.inputs["name"]).sort()).toEqual(set.roles.map((r) => `${PREFIX}-${r.purpose}`).sort());
        for (const spec of set.roles) {
            const name = `${PREFIX}-${spec.purpose}`;
            const role = roles.find((r) => r.inputs["name"] === name)!;
            expect(role.provider).toBe(primaryProvider.urn);
            expect([name, role.inputs["assumeRolePolicy"]]).toEqual([name, render(spec.trustPolicy, ACCOUNT)]);
            const attached = children.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs["role"] === name).map((r) => r.inputs["policyArn"]);
            expect([name, attached.sort()]).toEqual([name, [...spec.managedPolicyArns].sort()]);
            const inline = Object.fromEntries(children.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs["role"] === name).map((r) => [r.inputs["name"], r.inputs["policy"]]));
            expect([name, inline]).toEqual([name, Object.fromEntries(Object.entries(spec.inlinePolicies).map(([p, s]) => [p, render(policyDocument(s), ACCOUNT)]))]);
        }
        // Nothing in the component but the set's roles and policies.
        const policies = set.roles.reduce((n, r) => n + r.managedPolicyArns.length + Object.keys(r.inlinePolicies).length, 0);
        expect(children).toHaveLength(set.roles.length + policies);
    });

    it("keeps production's own roles as they were: unnamed (IAM generates the name), so none is replaced", () => {
        const own = q.ofType("aws:iam/role:Role").filter((r) => r.parent !== component.urn && !r.urn.includes("ops:ci:"));
        expect(own.length).toBeGreaterThanOrEqual(20);
        for (const r of own) expect([r.name, r.inputs["name"]]).toEqual([r.name, undefined]);
    });

    it.each(["staging", "dev", "pr-42"])("is production's alone: %s creates no DR role", (stack) => {
        expect(PlanQuery.of(stack).ofType("ops:dr:DrRoles")).toEqual([]);
    });
});

describe("a drill with names of its own", () => {
    // A rebuild whose secrets and names differ (as a drill's do) needs statements the set lacks
    // until `npm run dr:roles` takes its plan in; merged, the one set serves both.
    it("is caught as uncovered, and covered once merged into the set", async () => {
        const plan = await planWith({
            stack: "production-dr",
            config: { "ops:secrets": JSON.stringify({ pathScope: "production-rehearsal", replicateToDr: false }) },
            env: { ...SECRET_SENTINELS, ...deployEnv("production-dr") },
        });
        const drill = (plan.outputs["drRoles"] as DrRolesOutput).roles;
        const set = readDrRoles().sets[PREFIX]!;
        expect(uncoveredRoles(set, drill)).toEqual(expect.arrayContaining(["external-secrets/external-secrets: statements missing"]));
        const merged = drRolesFile([
            { stack: "production-dr", prefix: PREFIX, specs: set.roles },
            { stack: "production-dr-drill", prefix: PREFIX, specs: drill },
        ]).sets[PREFIX]!;
        expect(merged.stacks).toEqual(["production-dr", "production-dr-drill"]);
        expect(uncoveredRoles(merged, drill)).toEqual([]);
        expect(uncoveredRoles(merged, set.roles)).toEqual([]);
        expect(merged.roles.map((r) => r.purpose)).toEqual(set.roles.map((r) => r.purpose));
    });
});

describe("what a set does not cover", () => {
    const base: RoleSpec = {
        purpose: "nodes",
        trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole"]}]}',
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"],
        inlinePolicies: { extra: [{ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" }] },
    };
    const set = { stacks: ["production-dr"], roles: [base] };

    it("is nothing when the set has the role as needed", () => {
        expect(uncoveredRoles(set, [base])).toEqual([]);
        expect(uncoveredRoles(set, [{ ...base, inlinePolicies: {} }])).toEqual([]);
    });

    it("names each difference: a role missing, another trust, other managed policies, a statement missing", () => {
        expect(uncoveredRoles(set, [{ ...base, purpose: "cluster" }])).toEqual(["cluster: not in the set"]);
        expect(uncoveredRoles(set, [{ ...base, trustPolicy: base.trustPolicy.replace("ec2", "eks") }])).toEqual(["nodes: another trust policy"]);
        expect(uncoveredRoles(set, [{ ...base, managedPolicyArns: [] }])).toEqual(["nodes: other managed policies"]);
        expect(uncoveredRoles(set, [{ ...base, inlinePolicies: { extra: [{ Effect: "Allow", Action: "ec2:DescribeVpcs", Resource: "*" }] } }])).toEqual(["nodes/extra: statements missing"]);
        expect(uncoveredRoles(undefined, [base])).toEqual(["nodes: no DR role set"]);
    });

    it("is refused when written: a role name over IAM's limit", () => {
        expect(() => drRolesFile([{ stack: "x", prefix: "a".repeat(60), specs: [base] }])).toThrow(/IAM allows 64 characters/);
    });
});
