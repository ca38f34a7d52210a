import { runSimulation } from "@cloud-copilot/iam-simulate";
import { PlanQuery, PlannedResource } from "../helpers/plan";

/**
 * The intended accesses of every cloud stack, as IAM decides them (@cloud-copilot/iam-simulate, an
 * independent evaluator), from the policies in the stack's own plan: each role's inline policies
 * (its AWS managed policies are not in the plan and are left out) and, for a KMS key, the key's
 * policy with them. Allowed where the design needs it, denied where it must not reach.
 *
 * A limit of the evaluator: it passes condition keys with a variable part only when the part
 * follows a `/` (aws:PrincipalTag/...), so a kms:EncryptionContext:<key> condition never matches
 * in it. The Logs principal's access is judged here by what it gets without a log group's
 * context (nothing but DescribeKey); the statement itself is checked against the IAM dataset
 * (test/iam/documents.test.ts) and exactly (test/modules/keys/policy.test.ts).
 */

const ACCOUNT = "123456789012";
const OTHER_ACCOUNT = "210987654321";

type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

const DEFAULT_KEY_POLICY = {
    Version: "2012-10-17",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

/** A role's inline policies in a plan. */
function policiesOf(q: PlanQuery, role: PlannedResource): Array<{ name: string; policy: Record<string, unknown> }> {
    return q
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs["role"] === role.id)
        .map((p) => ({ name: p.name, policy: JSON.parse(String(p.inputs["policy"])) as Record<string, unknown> }));
}

/** The aliases of each key the tests have looked up, by key ARN: KMS puts them in every request's `kms:ResourceAliases`. */
const KEY_ALIASES = new Map<string, string[]>();

/**
 * A DR rebuild creates no role: the roles it uses are its primary stack's DR role set
 * (`<app>-<environment>-dr-<purpose>`), judged from that stack's plan. The purposes of the roles
 * these tests name, where the purpose is not the rest of the Pulumi name.
 */
const DR_PURPOSES: Record<string, string> = { "controllers-external-secrets": "external-secrets", "controllers-lb-controller": "lb-controller", "backup-role": "backup" };

class StackIam {
    constructor(
        readonly stack: string,
        readonly q: PlanQuery,
        /** For a DR rebuild: the primary stack's plan, which creates its roles (`dr` prefix `<app>-<environment>-dr`). */
        readonly primary?: { q: PlanQuery; prefix: string; namePrefix: string },
    ) {}

    role(name: string): { arn: string; policies: Array<{ name: string; policy: Record<string, unknown> }> } {
        if (this.primary) {
            const suffix = name.slice(this.primary.namePrefix.length);
            const purpose = DR_PURPOSES[suffix] ?? suffix;
            const roleName = `${this.primary.prefix}-${purpose}`;
            const role = this.primary.q.ofType("aws:iam/role:Role").find((r) => r.inputs["name"] === roleName);
            if (!role) throw new Error(`no DR role ${roleName} in the primary stack's plan`);
            return { arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, policies: policiesOf(this.primary.q, role) };
        }
        const role = this.q.one("aws:iam/role:Role", name);
        return { arn: `arn:aws:iam::${ACCOUNT}:role/${String(role.id)}`, policies: policiesOf(this.q, role) };
    }

    key(name: string): { arn: string; policy: Record<string, unknown>; aliases: string[] } {
        const key = this.q.one("aws:kms/key:Key", name);
        const region = String(this.q.byUrn(key.provider!)?.inputs["region"]);
        // A key created without a policy gets KMS's default one: the account administers it through IAM
        // (AWS KMS Developer Guide, "Default key policy").
        const policy = typeof key.inputs["policy"] === "string" ? (JSON.parse(key.inputs["policy"]) as Record<string, unknown>) : DEFAULT_KEY_POLICY;
        // Roles name keys by alias (kms:ResourceAliases), which KMS sets on every request to a key.
        const aliases = this.q.ofType("aws:kms/alias:Alias").filter((a) => a.inputs["targetKeyId"] === key.id).map((a) => String(a.inputs["name"]));
        KEY_ALIASES.set(`arn:aws:kms:${region}:${ACCOUNT}:key/${String(key.id)}`, aliases);
        return { arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${String(key.id)}`, policy, aliases };
    }

    secret(leaf: string): string {
        const s = this.q.ofType("aws:secretsmanager/secret:Secret").find((x) => String(x.inputs["name"]).endsWith(`/${leaf}`));
        if (!s) throw new Error(`no secret ${leaf} in ${this.stack}`);
        return String(s.id);
    }

    one(type: string): PlannedResource {
        return this.q.one(type);
    }
}

interface Ask {
    /** A role of the plan (its inline policies), or a service principal (the resource policy alone). */
    principal: { arn: string; policies: Array<{ name: string; policy: Record<string, unknown> }> } | string;
    action: string;
    resource: string;
    resourcePolicy?: Record<string, unknown>;
    context?: Record<string, string>;
}

async function decide(a: Ask): Promise<Decision> {
    const identity = typeof a.principal === "string" ? [] : a.principal.policies;
    const result = await runSimulation(
        {
            identityPolicies: identity,
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(a.resourcePolicy ? { resourcePolicy: a.resourcePolicy } : {}),
            request: {
                action: a.action,
                principal: typeof a.principal === "string" ? a.principal : a.principal.arn,
                resource: { accountId: ACCOUNT, resource: a.resource },
                contextVariables: { ...(KEY_ALIASES.has(a.resource) ? { "kms:ResourceAliases": KEY_ALIASES.get(a.resource)! } : {}), ...(a.context ?? {}) },
            },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`the simulator refused ${a.action} on ${a.resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

const via = (region: string, service = "secretsmanager") => ({ "kms:ViaService": `${service}.${region}.amazonaws.com` });

// Each stack, its region, and another environment whose secrets it must not read (production-dr
// has secrets of its own, beside the replicas of production's).
describe.each([
    ["staging", "us-east-1", "production"],
    ["production", "us-east-1", "staging"],
    ["production-dr", "us-west-2", "production"],
] as const)("%s: who may do what", (stack, region, otherScope) => {
    const iam = new StackIam(stack, PlanQuery.of(stack), stack === "production-dr" ? { q: PlanQuery.of("production"), prefix: "myapp-production-dr", namePrefix: "myapp-production-" } : undefined);
    const name = (suffix: string) => `myapp-${stack === "production-dr" ? "production" : stack}-${suffix}`;
    const otherSecret = (leaf: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:myapp/${otherScope}/${leaf}-AbCdEf`;
    const secretsKey = () => iam.key(name("keys-secrets"));

    it("lets each rotation function rotate its own secret and no other", async () => {
        const db = iam.role(name("rotate-database-password"));
        const jwt = iam.role(name("rotate-jwt-signing-key"));
        const cases: Array<[Ask["principal"], string, string, Decision]> = [
            [db, "secretsmanager:PutSecretValue", iam.secret("DATABASE_URL"), "Allowed"],
            [db, "secretsmanager:UpdateSecretVersionStage", iam.secret("DATABASE_URL"), "Allowed"],
            [db, "secretsmanager:GetSecretValue", iam.secret("DATABASE_MASTER"), "Allowed"],
            [db, "secretsmanager:PutSecretValue", iam.secret("DATABASE_MASTER"), "ImplicitlyDenied"],
            [db, "secretsmanager:PutSecretValue", iam.secret("SECRET_KEY"), "ImplicitlyDenied"],
            [jwt, "secretsmanager:PutSecretValue", iam.secret("SECRET_KEY"), "Allowed"],
            [jwt, "secretsmanager:PutSecretValue", iam.secret("DATABASE_URL"), "ImplicitlyDenied"],
            [jwt, "secretsmanager:GetSecretValue", iam.secret("DATABASE_MASTER"), "ImplicitlyDenied"],
        ];
        for (const [principal, action, resource, expected] of cases) expect([action, resource, await decide({ principal, action, resource })]).toEqual([action, resource, expected]);
    });

    it("lets External Secrets read its environment's secrets, never the master user's nor another environment's", async () => {
        const eso = iam.role(name("controllers-external-secrets"));
        for (const leaf of ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EXTERNAL_API_KEY"]) {
            expect([leaf, await decide({ principal: eso, action: "secretsmanager:GetSecretValue", resource: iam.secret(leaf) })]).toEqual([leaf, "Allowed"]);
        }
        expect(await decide({ principal: eso, action: "secretsmanager:GetSecretValue", resource: iam.secret("DATABASE_MASTER") })).toBe("ExplicitlyDenied");
        expect(await decide({ principal: eso, action: "secretsmanager:GetSecretValue", resource: otherSecret("DATABASE_URL") })).toBe("ImplicitlyDenied");
        expect(await decide({ principal: eso, action: "secretsmanager:PutSecretValue", resource: iam.secret("DATABASE_URL") })).toBe("ImplicitlyDenied");
        // Decrypting needs the secrets key's consent too: through Secrets Manager only.
        const key = secretsKey();
        expect(await decide({ principal: eso, action: "kms:Decrypt", resource: key.arn, resourcePolicy: key.policy, context: via(region) })).toBe("Allowed");
        expect(await decide({ principal: eso, action: "kms:Decrypt", resource: key.arn, resourcePolicy: key.policy })).toBe("ImplicitlyDenied");
    });

    it("lets the rotation and the bootstrap use the secrets key through Secrets Manager only", async () => {
        const key = secretsKey();
        for (const role of [name("rotate-database-password"), name("database-bootstrap")]) {
            const principal = iam.role(role);
            expect([role, await decide({ principal, action: "kms:Decrypt", resource: key.arn, resourcePolicy: key.policy, context: via(region) })]).toEqual([role, "Allowed"]);
            expect([role, await decide({ principal, action: "kms:Decrypt", resource: key.arn, resourcePolicy: key.policy })]).toEqual([role, "ImplicitlyDenied"]);
            expect([role, await decide({ principal, action: "kms:Decrypt", resource: key.arn, resourcePolicy: key.policy, context: via(region, "s3") })]).toEqual([role, "ImplicitlyDenied"]);
        }
        const bootstrap = iam.role(name("database-bootstrap"));
        expect(await decide({ principal: bootstrap, action: "kms:GenerateDataKey", resource: key.arn, resourcePolicy: key.policy, context: via(region) })).toBe("ImplicitlyDenied");
    });

    it("lets the backup role work with both data keys (grants for AWS Backup), and not with the secrets key", async () => {
        const backup = iam.role(name("backup-role"));
        // A DR rebuild has no DR-region key of its own: its DR region is the failed one.
        for (const keyName of [name("keys-data"), ...(stack === "production-dr" ? [] : [name("keys-dr-data")])]) {
            const key = iam.key(keyName);
            for (const action of ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]) {
                expect([keyName, action, await decide({ principal: backup, action, resource: key.arn, resourcePolicy: key.policy })]).toEqual([keyName, action, "Allowed"]);
            }
        }
        const key = secretsKey();
        expect(await decide({ principal: backup, action: "kms:Decrypt", resource: key.arn, resourcePolicy: key.policy })).toBe("ImplicitlyDenied");
    });

    it("lets the load balancer controller register pods in this account's target groups only, and read the network", async () => {
        const lbc = iam.role(name("controllers-lb-controller"));
        // The rebuild's pods join the standby's target group, which it finds by name (modules/dr/lookup.ts).
        const tg =
            stack === "production-dr"
                ? `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/myapp-production-dr-app/0123456789abcdef`
                : String(PlanQuery.of(stack).one("aws:lb/targetGroup:TargetGroup", name("stable")).id);
        expect(await decide({ principal: lbc, action: "elasticloadbalancing:RegisterTargets", resource: tg })).toBe("Allowed");
        expect(await decide({ principal: lbc, action: "elasticloadbalancing:DeregisterTargets", resource: tg })).toBe("Allowed");
        expect(await decide({ principal: lbc, action: "elasticloadbalancing:RegisterTargets", resource: tg.replace(`:${ACCOUNT}:`, `:${OTHER_ACCOUNT}:`) })).toBe("ImplicitlyDenied");
        expect(await decide({ principal: lbc, action: "elasticloadbalancing:DescribeTargetHealth", resource: "*" })).toBe("Allowed");
        expect(await decide({ principal: lbc, action: "elasticloadbalancing:DeleteLoadBalancer", resource: "*" })).toBe("ImplicitlyDenied");
        expect(await decide({ principal: lbc, action: "ec2:AuthorizeSecurityGroupIngress", resource: `arn:aws:ec2:${region}:${ACCOUNT}:security-group/sg-0123456789abcdef0` })).toBe("ImplicitlyDenied");
    });

    it("lets the cluster role envelope-encrypt with its own key only", async () => {
        const cluster = iam.role(name("cluster"));
        const own = iam.key(name("secrets"));
        expect(await decide({ principal: cluster, action: "kms:Encrypt", resource: own.arn, resourcePolicy: own.policy })).toBe("Allowed");
        expect(await decide({ principal: cluster, action: "kms:Decrypt", resource: own.arn, resourcePolicy: own.policy })).toBe("Allowed");
        const other = secretsKey();
        expect(await decide({ principal: cluster, action: "kms:Decrypt", resource: other.arn, resourcePolicy: other.policy })).toBe("ImplicitlyDenied");
    });

    it("lets the flow-log service's role write its own log group's streams, and find the group", async () => {
        // The rebuild runs in the standby's VPC, whose flow logs are production's: it makes none.
        if (stack === "production-dr") {
            expect(PlanQuery.of(stack).ofType("aws:ec2/flowLog:FlowLog")).toEqual([]);
            return;
        }
        const flow = iam.role(name("flow-logs"));
        const group = `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/vpc/${name("").slice(0, -1)}/flow-logs`;
        expect(await decide({ principal: flow, action: "logs:PutLogEvents", resource: `${group}:log-stream:eni-0123456789abcdef0-all` })).toBe("Allowed");
        expect(await decide({ principal: flow, action: "logs:DescribeLogGroups", resource: "*" })).toBe("Allowed");
        expect(await decide({ principal: flow, action: "logs:PutLogEvents", resource: `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/lambda/other:log-stream:x` })).toBe("ImplicitlyDenied");
    });

    it("lets CloudWatch and EventBridge publish to the encrypted alert topics for this account only; CloudWatch Logs gets nothing without a log group's context", async () => {
        const key = iam.key(name("keys-logs"));
        const ask = (principal: string, action: string, context: Record<string, string> = {}) => decide({ principal, action, resource: key.arn, resourcePolicy: key.policy, context });
        for (const service of ["cloudwatch.amazonaws.com", "events.amazonaws.com"]) {
            expect([service, await ask(service, "kms:GenerateDataKey", { "aws:SourceAccount": ACCOUNT })]).toEqual([service, "Allowed"]);
            expect([service, await ask(service, "kms:GenerateDataKey", { "aws:SourceAccount": OTHER_ACCOUNT })]).toEqual([service, "ImplicitlyDenied"]);
        }
        const logs = `logs.${region}.amazonaws.com`;
        expect(await ask(logs, "kms:DescribeKey")).toBe("Allowed");
        expect(await ask(logs, "kms:GenerateDataKey")).toBe("ImplicitlyDenied");
        expect(await ask(logs, "kms:ScheduleKeyDeletion")).toBe("ImplicitlyDenied");
        expect(await ask(`logs.${region === "us-east-1" ? "us-west-2" : "us-east-1"}.amazonaws.com`, "kms:DescribeKey")).toBe("ImplicitlyDenied");
    });
});
