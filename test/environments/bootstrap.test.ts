import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SettingsError } from "../../settings/errors";
import { loadStackSettings } from "../../settings/load";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { PlanQuery, PlannedResource } from "../helpers/plan";
import { planWith } from "../helpers/planWith";
import { REPOSITORY_ENV, ROOT } from "../helpers/stacks";

/**
 * The bootstrap stack's plan (docs/bootstrap.md): every resource, in which region, with what.
 * Its IAM, as IAM evaluates it: test/modules/ci/bootstrapIam.test.ts.
 */

const q = PlanQuery.of("bootstrap");
const regionOf = (r: PlannedResource): string => String(q.byUrn(r.provider ?? "")?.inputs["region"]);
const ACCOUNT = "123456789012";
const BUCKETS = { "us-east-1": `myapp-pulumi-state-${ACCOUNT}-us-east-1`, "us-west-2": `myapp-pulumi-state-${ACCOUNT}-us-west-2` };

describe("the bootstrap stack's plan", () => {
    it("creates the state backend, the secrets provider's key and GitHub's OIDC roles, and nothing else", () => {
        const counts: Record<string, number> = {};
        for (const r of q.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:"))) counts[r.type] = (counts[r.type] ?? 0) + 1;
        expect(counts).toEqual({
            "aws:kms/key:Key": 2,
            "aws:kms/replicaKey:ReplicaKey": 2,
            "aws:kms/alias:Alias": 4,
            "aws:s3/bucket:Bucket": 2,
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 2,
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 2,
            "aws:s3/bucketVersioning:BucketVersioning": 2,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
            "aws:s3/bucketPolicy:BucketPolicy": 2,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 2,
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig": 2,
            "aws:iam/role:Role": 8,
            "aws:iam/rolePolicy:RolePolicy": 1,
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1,
            "aws:iam/policy:Policy": 13,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 13,
        });
        // Two providers, one per region, and no other.
        expect(q.ofType("pulumi:providers:aws").map((p) => p.inputs["region"]).sort()).toEqual(["us-east-1", "us-west-2"]);
    });

    it("keeps a state bucket in each region, hardened as every bucket of the project, and protected", () => {
        const buckets = q.allOf("aws:s3/bucket:Bucket");
        expect(Object.fromEntries(buckets.map((b) => [regionOf(b), b.inputs["bucket"]]))).toEqual(BUCKETS);
        for (const b of buckets) {
            expect([b.name, b.protect, b.retainOnDelete, b.inputs["forceDestroy"]]).toEqual([b.name, true, true, false]);
            const of = (type: string) => q.ofType(type).find((c) => c.inputs["bucket"] === b.id)!;
            expect(of("aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"]).toEqual({ status: "Enabled" });
            expect(of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            expect(of("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs["rule"]).toEqual({ objectOwnership: "BucketOwnerEnforced" });
            const policy = JSON.parse(String(of("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])) as { Statement: { Sid: string; Effect: string }[] };
            expect(policy.Statement.map((s) => [s.Sid, s.Effect])).toEqual([
                ["DenyPlainHttp", "Deny"],
                ["DenyTlsBelow12", "Deny"],
            ]);
            // Each region's bucket is encrypted with its own region's copy of the state key.
            const sse = (of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs["rules"] as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string }; bucketKeyEnabled: boolean }[])[0]!;
            expect(sse.bucketKeyEnabled).toBe(true);
            expect(sse.applyServerSideEncryptionByDefault.kmsMasterKeyId).toMatch(new RegExp(`^arn:aws:kms:${regionOf(b)}:${ACCOUNT}:key/mrk-[0-9a-f]{32}$`));
            expect(sse.applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(stateKeyArn(regionOf(b)));
            expect(of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]).toEqual([
                { id: "expire-old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90, newerNoncurrentVersions: 10 }, expiration: { expiredObjectDeleteMarker: true } },
                { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            ]);
        }
    });

    it("replicates both ways: deletes (released locks) too, replica modifications synced, re-encrypted with the destination's key, within 15 minutes", () => {
        const configs = q.allOf("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        const role = q.one("aws:iam/role:Role", "myapp-pulumi-state-replication");
        const directions = configs.map((c) => {
            const rule = (c.inputs["rules"] as Record<string, never>[])[0] as unknown as { destination: { bucket: string; encryptionConfiguration: { replicaKmsKeyId: string } } };
            expect(c.inputs["role"]).toBe(`arn:aws:iam::${ACCOUNT}:role/${String(role.id)}`);
            expect(c.inputs["rules"]).toHaveLength(1);
            expect(rule).toMatchObject({
                status: "Enabled",
                filter: {},
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { replicaModifications: { status: "Enabled" }, sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: { storageClass: "STANDARD", replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } },
            });
            const to = Object.entries(BUCKETS).find(([, b]) => `arn:aws:s3:::${b}` === rule.destination.bucket)![0];
            expect(rule.destination.encryptionConfiguration.replicaKmsKeyId).toBe(stateKeyArn(to));
            // Each bucket's configuration is made in the bucket's own region.
            return `${String(c.inputs["bucket"])} (${regionOf(c)}) -> ${to}`;
        });
        expect(directions.sort()).toEqual([`${BUCKETS["us-east-1"]} (us-east-1) -> us-west-2`, `${BUCKETS["us-west-2"]} (us-west-2) -> us-east-1`]);
    });

    it("makes each key multi-Region in the primary region, with a replica in the DR region and the same alias in both", () => {
        for (const [purpose, alias] of [
            ["state", "alias/myapp-pulumi-state"],
            ["secrets", "alias/myapp-pulumi-secrets"],
        ] as const) {
            const key = q.one("aws:kms/key:Key", `myapp-pulumi-state-${purpose}-key`);
            const replica = q.one("aws:kms/replicaKey:ReplicaKey", `myapp-pulumi-state-${purpose}-key-replica`);
            expect([regionOf(key), regionOf(replica)]).toEqual(["us-east-1", "us-west-2"]);
            expect(key.inputs).toMatchObject({ multiRegion: true, enableKeyRotation: true, deletionWindowInDays: 30 });
            expect(replica.inputs).toMatchObject({ primaryKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${String(key.id)}`, deletionWindowInDays: 30 });
            // One key material under one id: what either region encrypts, the other decrypts.
            expect(replica.id).toBe(key.id);
            expect([key.protect, key.retainOnDelete, replica.protect, replica.retainOnDelete]).toEqual([true, true, true, true]);
            const aliases = q.ofType("aws:kms/alias:Alias").filter((a) => a.inputs["name"] === alias);
            expect(aliases.map((a) => [regionOf(a), a.inputs["targetKeyId"]]).sort()).toEqual([
                ["us-east-1", key.id],
                ["us-west-2", replica.id],
            ]);
            for (const k of [key, replica]) {
                const policy = JSON.parse(String(k.inputs["policy"])) as { Statement: { Principal: unknown }[] };
                expect(policy.Statement.map((s) => s.Principal)).toEqual([{ AWS: `arn:aws:iam::${ACCOUNT}:root` }]);
            }
        }
    });

    it("trusts GitHub's issuer for the STS audience, with no thumbprint (IAM checks GitHub's certificate against its own CAs)", () => {
        expect(q.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs).toEqual({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"], tags: undefined });
    });

    it("creates one role per workflow context, named as the clusters and the workflows name them", () => {
        const roles = q.ofType("aws:iam/role:Role").filter((r) => r.parent?.endsWith("ops:ci:GithubOidc::myapp-ci"));
        expect(Object.fromEntries(roles.map((r) => [r.inputs["name"], r.inputs["maxSessionDuration"]]))).toEqual({
            "myapp-ci-read-only": 3600,
            "myapp-ci-preview": 3600,
            "myapp-ci-staging": 3600,
            "myapp-ci-production-plan": 3600,
            // The workflows ask for these sessions: production's deploy 2 h, the drill 4 h (role-duration-seconds).
            "myapp-ci-production": 7200,
            "myapp-ci-dr-drill": 14400,
            "myapp-ci-dr-mirror": 3600,
        });
        // Every managed policy is attached to its role, and within IAM's 6,144 characters.
        for (const p of q.allOf("aws:iam/policy:Policy")) {
            const attached = q.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs["policyArn"] === p.id);
            expect([p.name, attached.map((a) => a.inputs["role"])]).toEqual([p.name, [String(p.inputs["name"]).replace(/-\d+$/, "")]]);
            expect(String(p.inputs["policy"]).replace(/\s/g, "").length).toBeLessThanOrEqual(6144);
        }
    });

    it("tells the one-time setup what to set: both logins, both secrets providers, the workflows' variables", () => {
        expect(q.plan.outputs).toMatchObject({
            environment: "production",
            profile: "bootstrap",
            stateBackend: { "us-east-1": `s3://${BUCKETS["us-east-1"]}?region=us-east-1`, "us-west-2": `s3://${BUCKETS["us-west-2"]}?region=us-west-2` },
            secretsProviders: { "us-east-1": "awskms://alias/myapp-pulumi-secrets?region=us-east-1", "us-west-2": "awskms://alias/myapp-pulumi-secrets?region=us-west-2" },
            githubOidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
            githubVariables: {
                PULUMI_BACKEND_URL: `s3://${BUCKETS["us-east-1"]}?region=us-east-1`,
                PULUMI_SECRETS_PROVIDER: "awskms://alias/myapp-pulumi-secrets?region=us-east-1",
                PULUMI_PLAN_URL: `s3://${BUCKETS["us-east-1"]}/plans`,
                AWS_REGION: "us-east-1",
                AWS_DR_REGION: "us-west-2",
                AWS_PREVIEW_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/myapp-ci-read-only`,
            },
            githubEnvironments: Object.fromEntries(
                ["preview", "staging", "production-plan", "production", "dr-drill", "dr-mirror"].map((e) => [e, { AWS_DEPLOY_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/myapp-ci-${e}` }]),
            ),
        });
    });
});

function stateKeyArn(region: string): string {
    const key = q.one("aws:kms/key:Key", "myapp-pulumi-state-state-key");
    return `arn:aws:kms:${region}:${ACCOUNT}:key/${String(key.id)}`;
}

describe("an account that hosts one environment", () => {
    it("gets only that environment's roles, and the read-only one", async () => {
        const plan = new PlanQuery(await planWith({ stack: "bootstrap", env: { OPS_BOOTSTRAP__ENVIRONMENTS: '["production"]' } }));
        expect(plan.ofType("aws:iam/role:Role").map((r) => r.inputs["name"]).filter(Boolean).sort()).toEqual(["myapp-ci-dr-drill", "myapp-ci-dr-mirror", "myapp-ci-production", "myapp-ci-production-plan", "myapp-ci-read-only"]);
    });

    it("with a bucket prefix of its own, names both buckets after it", async () => {
        const plan = new PlanQuery(await planWith({ stack: "bootstrap", env: { OPS_BOOTSTRAP__STATE_BUCKET_PREFIX: "acme-ops-state" } }));
        expect(plan.ofType("aws:s3/bucket:Bucket").map((b) => b.inputs["bucket"]).sort()).toEqual(["acme-ops-state-us-east-1", "acme-ops-state-us-west-2"]);
    });
});

describe("the bootstrap stack's settings", () => {
    const load = (env: Record<string, string>, config: Record<string, string> = {}) =>
        loadStackSettings({ project: "ops", stack: "bootstrap", config: { ...readStackConfig(ROOT, "bootstrap").config, ...config }, env: { ...REPOSITORY_ENV, ...env } });
    const problems = (env: Record<string, string>, config: Record<string, string> = {}): string[] => {
        try {
            load(env, config);
        } catch (e) {
            if (SettingsError.isSettingsError(e)) return e.problems.map((p) => `${p.key}: ${p.allowed}`);
            throw e;
        }
        return [];
    };

    it("load from Pulumi.bootstrap.yaml with its profile's defaults, and read none of the app's settings", () => {
        const s = load({});
        expect(s).toMatchObject({ profile: "bootstrap", environment: "production", platform: "aws", protectStatefulResources: true, githubRepository: "octo-org/octo-repo" });
        expect(s.bootstrap).toEqual({ environments: ["staging", "production"], noncurrentVersionDays: 90, keepNewestVersions: 10, keyDeletionWindowDays: 30 });
        expect(Object.keys(s)).not.toContain("app");
    });

    it("ask for the repository by name, saying where its one real value comes from", async () => {
        const run = planWith({ stack: "bootstrap", env: { OPS_GITHUB_REPOSITORY: undefined as unknown as string } });
        await expect(run).rejects.toThrow(SettingsError);
        await expect(run).rejects.toThrow(/ops:githubRepository[\s\S]*received: nothing[\s\S]*gh repo view --json nameWithOwner/);
    });

    it("refuse a repository GitHub could not have, both ids or neither, and an environment twice or unknown", () => {
        expect(problems({ OPS_GITHUB_REPOSITORY: "octo-org/*" })).toEqual(["ops:githubRepository: owner/name of a GitHub repository, as `gh repo view --json nameWithOwner` prints it"]);
        expect(problems({ OPS_BOOTSTRAP__REPOSITORY_ID: "456789" })).toEqual(["ops:bootstrap.repositoryOwnerId: both repositoryOwnerId and repositoryId (the immutable sub claim carries both), or neither"]);
        expect(problems({ OPS_BOOTSTRAP__REPOSITORY_OWNER_ID: "-3", OPS_BOOTSTRAP__REPOSITORY_ID: "456789" })).toEqual(["ops:bootstrap.repositoryOwnerId: more than 0"]);
        expect(problems({ OPS_BOOTSTRAP__ENVIRONMENTS: '["staging","staging"]' })).toEqual(["ops:bootstrap.environments: each environment once"]);
        expect(problems({ OPS_BOOTSTRAP__ENVIRONMENTS: '["development"]' })).toEqual(['ops:bootstrap.environments[0]: one of "staging", "production"']);
        expect(problems({ OPS_BOOTSTRAP__ENVIRONMENTS: "[]" })).toEqual(["ops:bootstrap.environments: at least 1 item(s)"]);
    });

    it("refuse a bucket prefix S3 would refuse, and an app name too long for the default prefix", () => {
        expect(problems({ OPS_BOOTSTRAP__STATE_BUCKET_PREFIX: "Acme_State" })).toEqual([
            "ops:bootstrap.stateBucketPrefix: a prefix that makes Acme_State-us-east-1 a valid bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or a digit",
            "ops:bootstrap.stateBucketPrefix: a prefix that makes Acme_State-us-west-2 a valid bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or a digit",
        ]);
        expect(problems({ OPS_APP_NAME: "a-very-long-application-name-x" })[0]).toMatch(
            /^ops:bootstrap.stateBucketPrefix: a prefix of your own: the default <appName>-pulumi-state-<account id> makes a-very-long-application-name-x-pulumi-state-000000000000-us-east-1, which breaks S3's rule/,
        );
    });

    it("refuse an app setting in its stack file by name, ignore other stacks' OPS_* variables, and refuse a local platform", () => {
        expect(problems({}, { "ops:database": JSON.stringify({ multiAz: false }) })).toEqual([
            "ops:database: nothing: the bootstrap stack reads only environment, platform, appName, region, drRegion, owner, costCenter, protectStatefulResources, githubRepository, bootstrap (docs/bootstrap.md)",
        ]);
        expect(problems({ OPS_DATABASE__MULTI_AZ: "false", OPS_EXTERNAL_API_KEY: "k" })).toEqual([]);
        expect(problems({ OPS_PLATFORM: "local" })).toEqual(['ops:platform: "aws": the bootstrap stack provisions the account\'s state backend and CI roles']);
        expect(problems({ OPS_PROTECT_STATEFUL_RESOURCES: "false" })).toEqual(["ops:protectStatefulResources: true in production (the data must survive a mistaken destroy)"]);
    });

    it("belong to the bootstrap stack only: another stack's bootstrap.* is refused", () => {
        expect(() =>
            loadStackSettings({ project: "ops", stack: "staging", config: readStackConfig(ROOT, "staging").config, env: { OPS_BOOTSTRAP__NONCURRENT_VERSION_DAYS: "30" } }),
        ).toThrow(/ops:bootstrap[\s\S]*nothing: only the bootstrap stack reads bootstrap\.\*/);
    });
});

describe("npm run plan -- --stack bootstrap on a fresh checkout", () => {
    it("stands in for the repository (GitHub's example), and says how to set the real one", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-plan-"));
        const out = path.join(dir, "plan.json");
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPS_")) env[k] = v;
        const result = spawnSync(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", "--stack", "bootstrap", "--json", out, "--quiet"], { cwd: ROOT, env, encoding: "utf8" });
        let plan: { standIns: string[]; resources: PlannedResource[] };
        try {
            expect(result.stderr).toContain('stack "bootstrap" lacks values that only its deployment has; the plan stood in for them');
            expect(result.stderr).toContain('ops:githubRepository = "octo-org/octo-repo"');
            expect(result.stderr).toContain("pulumi config set githubRepository <owner/name>");
            expect(result.status).toBe(0);
            plan = JSON.parse(fs.readFileSync(out, "utf8")) as { standIns: string[]; resources: PlannedResource[] };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        expect(plan.standIns).toEqual(["ops:githubRepository"]);
        expect(String(plan.resources.find((r) => r.inputs["name"] === "myapp-ci-production")?.inputs["assumeRolePolicy"])).toContain("repo:octo-org/octo-repo:environment:production");
    });
});
