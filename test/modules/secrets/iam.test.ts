import { runSimulation } from "@cloud-copilot/iam-simulate";
import { RoleStatement, policyDocument, render } from "../../../modules/aws/roles";
import { keyPolicy } from "../../../modules/keys";
import { bootstrapPolicy, rotationPolicy, secretsReaderPolicy } from "../../../modules/secrets/policies";

/**
 * The secrets layer's policies as IAM evaluates them (@cloud-copilot/iam-simulate, an
 * independent evaluator with AWS's action and condition-key data), together with the KMS key
 * policies of modules/keys: a KMS call is allowed only when both agree.
 */

const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/myapp-production-rotate-database-password`;
const secretArn = (name: string, region = "us-east-1") => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:myapp/production/${name}-AbCdEf`;
const SECRETS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-1111-1111-1111-111111111111`;
const DR_SECRETS_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/2222bbbb-2222-2222-2222-222222222222`;
const LOG_GROUP = "/aws/lambda/myapp-production-rotate-database-password";
const SECRETS_KEY_REF = { region: "us-east-1", alias: "alias/myapp/production/secrets" };
const DR_SECRETS_KEY_REF = { region: "us-west-2", alias: "alias/myapp/production/secrets-dr" };
/** The aliases KMS puts in each request to a key (`kms:ResourceAliases`): the policies name keys by them. */
const ALIASES: Record<string, string> = { [SECRETS_KEY]: SECRETS_KEY_REF.alias, [DR_SECRETS_KEY]: DR_SECRETS_KEY_REF.alias };
const secretName = (name: string) => `myapp/production/${name}`;

/** The statements as IAM gets them, in this account. */
const resolve = async (statements: RoleStatement[]): Promise<Record<string, unknown>> => JSON.parse(render(policyDocument(statements), { accountId: ACCOUNT, partition: "aws" })) as Record<string, unknown>;

/** IAM's decision on one request by a role holding `policy`; a KMS key's own policy applies to KMS calls. */
async function decide(policy: Record<string, unknown>, action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
    const keyRegion = /^arn:aws:kms:([^:]+):/.exec(resource)?.[1];
    const result = await runSimulation(
        {
            identityPolicies: [{ name: "role", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(keyRegion ? { resourcePolicy: JSON.parse(keyPolicy("secrets", { accountId: ACCOUNT, region: keyRegion })) as Record<string, unknown> } : {}),
            request: { action, principal: ROLE, resource: { accountId: ACCOUNT, resource }, contextVariables: { ...(ALIASES[resource] ? { "kms:ResourceAliases": [ALIASES[resource]] } : {}), ...context } },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`iam-simulate refused the request: ${JSON.stringify(result.errors)}`);
    return result.overallResult;
}

const via = (region: string) => ({ "kms:ViaService": `secretsmanager.${region}.amazonaws.com` });

describe("the database password rotation's policy", () => {
    const policy = () =>
        resolve(
            rotationPolicy({
                secretName: secretName("DATABASE_URL"),
                readSecretNames: [secretName("DATABASE_MASTER")],
                secretsKey: SECRETS_KEY_REF,
                region: "us-east-1",
                logGroupName: LOG_GROUP,
                inVpc: true,
                replica: { region: "us-west-2", key: DR_SECRETS_KEY_REF },
            }),
        );

    it.each([
        ["secretsmanager:PutSecretValue", secretArn("DATABASE_URL"), "Allowed"],
        ["secretsmanager:UpdateSecretVersionStage", secretArn("DATABASE_URL"), "Allowed"],
        ["secretsmanager:GetSecretValue", secretArn("DATABASE_MASTER"), "Allowed"],
        ["secretsmanager:PutSecretValue", secretArn("DATABASE_MASTER"), "ImplicitlyDenied"],
        ["secretsmanager:GetSecretValue", secretArn("SECRET_KEY"), "ImplicitlyDenied"],
        ["secretsmanager:PutSecretValue", secretArn("DATABASE_URL", "us-west-2"), "ImplicitlyDenied"],
    ])("%s on %s: %s", async (action, resource, expected) => {
        expect(await decide(await policy(), action, resource)).toBe(expected);
    });

    it("may encrypt with the DR secrets key through Secrets Manager, which replicating its new versions needs", async () => {
        const p = await policy();
        for (const action of ["kms:Encrypt", "kms:GenerateDataKey"]) {
            expect(await decide(p, action, DR_SECRETS_KEY, via("us-west-2"))).toBe("Allowed");
            expect(await decide(p, action, DR_SECRETS_KEY, via("us-east-1"))).toBe("Allowed");
            // Not directly, and not through another service.
            expect(await decide(p, action, DR_SECRETS_KEY)).toBe("ImplicitlyDenied");
            expect(await decide(p, action, DR_SECRETS_KEY, { "kms:ViaService": "s3.us-west-2.amazonaws.com" })).toBe("ImplicitlyDenied");
        }
        expect(await decide(p, "kms:Decrypt", DR_SECRETS_KEY, via("us-west-2"))).toBe("ImplicitlyDenied");
    });

    it("uses the primary secrets key only through Secrets Manager in its own region", async () => {
        const p = await policy();
        expect(await decide(p, "kms:GenerateDataKey", SECRETS_KEY, via("us-east-1"))).toBe("Allowed");
        expect(await decide(p, "kms:Decrypt", SECRETS_KEY, via("us-east-1"))).toBe("Allowed");
        expect(await decide(p, "kms:Decrypt", SECRETS_KEY)).toBe("ImplicitlyDenied");
        expect(await decide(p, "kms:Decrypt", SECRETS_KEY, via("us-west-2"))).toBe("ImplicitlyDenied");
    });

    it("has no replica statement for a secret that is not replicated", async () => {
        const p = await resolve(
            rotationPolicy({ secretName: secretName("SECRET_KEY"), secretsKey: SECRETS_KEY_REF, region: "us-east-1", logGroupName: LOG_GROUP, inVpc: false }),
        );
        expect(await decide(p, "kms:GenerateDataKey", DR_SECRETS_KEY, via("us-west-2"))).toBe("ImplicitlyDenied");
        expect(JSON.stringify(p)).not.toContain("ReplicaKeyThroughSecretsManager");
    });
});

describe("the database bootstrap's policy", () => {
    const policy = () =>
        resolve(bootstrapPolicy({ readSecretNames: [secretName("DATABASE_URL"), secretName("DATABASE_MASTER")], secretsKey: SECRETS_KEY_REF, region: "us-east-1", logGroupName: LOG_GROUP }));

    it.each([
        ["secretsmanager:GetSecretValue", secretArn("DATABASE_URL"), "Allowed"],
        ["secretsmanager:GetSecretValue", secretArn("DATABASE_MASTER"), "Allowed"],
        ["secretsmanager:GetSecretValue", secretArn("SECRET_KEY"), "ImplicitlyDenied"],
        ["secretsmanager:PutSecretValue", secretArn("DATABASE_URL"), "ImplicitlyDenied"],
        ["secretsmanager:UpdateSecretVersionStage", secretArn("DATABASE_URL"), "ImplicitlyDenied"],
    ])("%s on %s: %s", async (action, resource, expected) => {
        expect(await decide(await policy(), action, resource)).toBe(expected);
    });

    it("decrypts, and encrypts nothing", async () => {
        const p = await policy();
        expect(await decide(p, "kms:Decrypt", SECRETS_KEY, via("us-east-1"))).toBe("Allowed");
        expect(await decide(p, "kms:GenerateDataKey", SECRETS_KEY, via("us-east-1"))).toBe("ImplicitlyDenied");
    });
});

describe("External Secrets' policy", () => {
    const policy = () => resolve(secretsReaderPolicy("us-east-1", "myapp/production/", SECRETS_KEY_REF));

    it.each(["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EXTERNAL_API_KEY"])("reads %s", async (name) => {
        expect(await decide(await policy(), "secretsmanager:GetSecretValue", secretArn(name))).toBe("Allowed");
    });

    it("is explicitly denied the master user's secret, whatever else allows it", async () => {
        expect(await decide(await policy(), "secretsmanager:GetSecretValue", secretArn("DATABASE_MASTER"))).toBe("ExplicitlyDenied");
        // A name that merely starts alike is not the master user's.
        expect(await decide(await policy(), "secretsmanager:GetSecretValue", secretArn("DATABASE_MASTER_NOTES"))).toBe("Allowed");
    });
});
