import * as pulumi from "@pulumi/pulumi";
import {
    ACCOUNT,
    PARTITION,
    RoleSpec,
    Roles,
    arnOf,
    drRoleName,
    hasTokens,
    keyByAlias,
    mergeRoleSpecs,
    policyDocument,
    render,
    roleArn,
    secretArnByName,
    specProblems,
} from "../../../modules/aws/roles";

/** Roles as data (modules/aws/roles.ts): the pure helpers, and the reference mode a DR rebuild uses. */

const resolve = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((r) => o.apply((v) => r(v)));
const account = { accountId: "123456789012", partition: "aws" };

const spec = (purpose: string, extra: Partial<RoleSpec> = {}): RoleSpec => ({
    purpose,
    trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: ["sts:AssumeRole"] }] }),
    managedPolicyArns: [],
    inlinePolicies: { [purpose]: [{ Sid: "Logs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: arnOf("logs", "us-west-2", "log-group:/aws/lambda/f:*") }] },
    ...extra,
});

describe("ARNs a spec can hold before the account is known", () => {
    it("leaves the account and partition as tokens, which render fills", () => {
        const arn = arnOf("logs", "us-west-2", "log-group:/x:*");
        expect(arn).toBe(`arn:${PARTITION}:logs:us-west-2:${ACCOUNT}:log-group:/x:*`);
        expect(hasTokens(arn)).toBe(true);
        expect(render(arn, account)).toBe("arn:aws:logs:us-west-2:123456789012:log-group:/x:*");
        expect(render(arn, { accountId: "210987654321", partition: "aws-cn" })).toBe("arn:aws-cn:logs:us-west-2:210987654321:log-group:/x:*");
        expect(hasTokens("arn:aws:iam::aws:policy/ReadOnlyAccess")).toBe(false);
    });

    it("names a secret by its name and the six characters Secrets Manager appends", () => {
        expect(render(secretArnByName("us-east-1", "myapp/production/DATABASE_URL"), account)).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/DATABASE_URL-??????");
    });

    it("names a KMS key by its alias, keeping the statement's own conditions", () => {
        const s = keyByAlias({ Sid: "S", Effect: "Allow", Action: ["kms:Decrypt"], Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } }, "us-east-1", "alias/myapp/production/secrets");
        expect(s).toEqual({
            Sid: "S",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: `arn:${PARTITION}:kms:us-east-1:${ACCOUNT}:key/*`,
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }, "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/myapp/production/secrets" } },
        });
    });

    it("builds a role's ARN from its name", () => {
        expect(roleArn("myapp-production-dr-nodes", account)).toBe("arn:aws:iam::123456789012:role/myapp-production-dr-nodes");
    });
});

describe("DR role names", () => {
    it("are <prefix>-<purpose>", () => {
        expect(drRoleName("myapp-production-dr", "rotate-database-password")).toBe("myapp-production-dr-rotate-database-password");
    });

    it("refuse IAM's 65th character, and characters IAM refuses", () => {
        expect(drRoleName("a".repeat(59), "abcd")).toHaveLength(64);
        expect(() => drRoleName("a".repeat(60), "abcd")).toThrow(/IAM allows 64 characters/);
        expect(() => drRoleName("myapp-production-dr", "bad purpose")).toThrow(/shorten the app name or the purpose "bad purpose"/);
    });
});

describe("spec checks", () => {
    it("accept a well-formed spec", () => {
        expect(specProblems(spec("secret-age"))).toEqual([]);
    });

    it("name each problem", () => {
        expect(specProblems({ ...spec("Secret Age"), trustPolicy: "not json", inlinePolicies: { p: [] } })).toEqual([
            'purpose "Secret Age": lower-case words joined by dashes, at most 44 characters',
            "Secret Age: the trust policy is not JSON",
            "Secret Age/p: no statement",
        ]);
        expect(specProblems({ ...spec("x1"), trustPolicy: "{}" })).toEqual(["x1: the trust policy has no Statement"]);
        expect(specProblems(spec("x1", { inlinePolicies: { p: [{ Effect: "Allow", Action: "", Resource: "*" }] } }))).toEqual(["x1/p: Action and Resource must be plain strings"]);
    });
});

describe("one role set for several DR stacks", () => {
    const drill = spec("secret-age", {
        inlinePolicies: { "secret-age": [{ Sid: "Logs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: arnOf("logs", "us-west-2", "log-group:/aws/lambda/g:*") }] },
    });

    it("unites the statements of a purpose's inline policies, each once, and sorts by purpose", () => {
        const merged = mergeRoleSpecs([
            { stack: "production-dr", specs: [spec("secret-age"), spec("app")] },
            { stack: "production-dr-drill", specs: [drill, spec("app")] },
        ]);
        expect(merged.map((m) => m.purpose)).toEqual(["app", "secret-age"]);
        expect(merged[1]!.inlinePolicies["secret-age"]!.map((s) => s.Resource)).toEqual([arnOf("logs", "us-west-2", "log-group:/aws/lambda/f:*"), arnOf("logs", "us-west-2", "log-group:/aws/lambda/g:*")]);
        expect(merged[0]!.inlinePolicies["app"]).toHaveLength(1);
    });

    it("refuses one purpose with two trust or managed policies", () => {
        const other = spec("secret-age", { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] });
        expect(() => mergeRoleSpecs([{ stack: "a", specs: [spec("secret-age")] }, { stack: "b", specs: [other] }])).toThrow("role secret-age: stacks a and b need different trust or managed policies");
    });
});

describe("a DR rebuild's roles (reference mode)", () => {
    const roles = () => new Roles({ kind: "reference", namePrefix: "myapp-production-dr", account: pulumi.output(account) });

    it("creates nothing and returns the ARN of the role created ahead", async () => {
        const r = roles();
        const role = r.role(spec("secret-age"), { role: "unused" }, {});
        expect(role.created).toBe(false);
        expect(role.ready).toEqual([]);
        expect(await resolve(role.arn)).toBe("arn:aws:iam::123456789012:role/myapp-production-dr-secret-age");
        expect(await resolve(role.name)).toBe("myapp-production-dr-secret-age");
        expect(r.referencing).toBe(true);
    });

    it("records every spec, and the policies added later to a role", () => {
        const r = roles();
        const app = r.role({ ...spec("app"), inlinePolicies: {} }, { role: "app" }, {});
        expect(r.addPolicy(app, "app", "feature-flags", [{ Effect: "Allow", Action: "appconfig:GetLatestConfiguration", Resource: "*" }], { role: "app" }, {})).toBeUndefined();
        r.role(spec("secret-age"), { role: "s" }, {});
        expect(r.specs.map((s) => [s.purpose, Object.keys(s.inlinePolicies)])).toEqual([
            ["app", ["feature-flags"]],
            ["secret-age", ["secret-age"]],
        ]);
    });

    it("refuses two roles of one purpose, a second policy of one name, and a malformed spec", () => {
        const r = roles();
        const role = r.role(spec("secret-age"), { role: "s" }, {});
        expect(() => r.role(spec("secret-age"), { role: "t" }, {})).toThrow("role secret-age: two roles of the stack have this purpose");
        expect(() => r.addPolicy(role, "secret-age", "secret-age", [], { role: "s" }, {})).toThrow("it already has a secret-age policy");
        expect(() => r.addPolicy(role, "nope", "p", [], { role: "s" }, {})).toThrow("role nope: no such role");
        expect(() => r.role({ ...spec("x"), trustPolicy: "{" }, { role: "x" }, {})).toThrow("role x: x: the trust policy is not JSON");
    });

    it("writes inline policies as IAM documents", () => {
        expect(JSON.parse(policyDocument([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]))).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] });
    });
});
