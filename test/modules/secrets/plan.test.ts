import * as crypto from "crypto";
import { digest } from "../../../tools/plan/mocks";
import { nonEmpty } from "../../helpers/nonEmpty";
import { PlanQuery, PlannedResource, loadPlan, loadPlanText } from "../../helpers/plan";
import { PREVIEW_STACK, SECRET_SENTINELS, workloadStacks } from "../../helpers/stacks";
import { reloaderValues } from "../../../modules/secrets/reload";

/**
 * The secrets layer in the plans of every stack: what exists where, which key encrypts what,
 * the rotation periods, the IAM scoping, and that no secret value shows anywhere.
 */

const ACCOUNT = "123456789012";
const CLOUD = [
    { stack: "staging", environment: "staging", replicated: false, recoveryDays: 7 },
    { stack: "production", environment: "production", replicated: true, recoveryDays: 30 },
] as const;

interface PolicyDoc {
    Statement: Array<{ Sid?: string; Effect: string; Action: string | string[]; Resource?: string | string[]; Condition?: unknown; Principal?: unknown }>;
}

const policyOf = (r: PlannedResource, field = "policy"): PolicyDoc => JSON.parse(r.inputs[field] as string) as PolicyDoc;
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The ARN the mocks give a KMS key: the key's own region and id. */
function keyArn(q: PlanQuery, purpose: "secrets" | "data" | "logs" | "dr-secrets"): string {
    const keys = q.one("ops:keys:Keys");
    const key = q.childrenOf(keys).find((r) => r.type === "aws:kms/key:Key" && r.name === `${keys.name}-${purpose}`);
    if (!key) throw new Error(`no ${purpose} key in ${q.plan.stack}`);
    const region = purpose.startsWith("dr-") ? "us-west-2" : "us-east-1";
    return `arn:aws:kms:${region}:${ACCOUNT}:key/${key.id}`;
}

/** A secret as the roles name it, by name: Secrets Manager appends `-` and six characters. */
const namedSecret = (environment: string, name: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:myapp/${environment}/${name}-??????`;
/** The keys of a region, narrowed to one alias: how the roles name a key (it may not exist yet). */
const anyKey = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/*`;
const aliasCondition = (alias: string) => ({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": alias } });

function secrets(q: PlanQuery): Record<string, PlannedResource> {
    return Object.fromEntries(q.ofType("aws:secretsmanager/secret:Secret").filter((r) => /^myapp\//.test(String(r.inputs["name"]))).map((r) => [String(r.inputs["name"]).split("/")[2], r]));
}

/** A secret's ARN, its id: AWS appends a hyphen and six random characters to the name (`…:secret:<name>-AbCdEf`). */
function secretArn(q: PlanQuery, environment: string, name: string): string {
    const id = String(secrets(q)[name]?.id);
    expect(id).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:myapp/${environment}/${name}-[A-Za-z0-9]{6}$`));
    return id;
}

describe.each(CLOUD)("secrets of $stack", ({ stack, environment, replicated, recoveryDays }) => {
    const q = () => PlanQuery.of(stack).withoutStandby();

    it("names one secret per value under <app>/<environment>/", () => {
        expect(Object.values(secrets(q())).map((s) => s.inputs["name"]).sort()).toEqual(
            ["DATABASE_MASTER", "DATABASE_URL", "EXTERNAL_API_KEY", "REDIS_URL", "SECRET_KEY"].map((n) => `myapp/${environment}/${n}`),
        );
    });

    it("encrypts every secret with the secrets key, and replicas with the DR secrets key where replicated", () => {
        for (const s of nonEmpty(Object.values(secrets(q())), "the secrets")) {
            expect(s.inputs["kmsKeyId"]).toBe(keyArn(q(), "secrets"));
            expect(s.inputs["recoveryWindowInDays"]).toBe(recoveryDays);
            expect(s.inputs["replicas"]).toEqual(replicated ? [{ region: "us-west-2", kmsKeyId: keyArn(q(), "dr-secrets") }] : undefined);
        }
    });

    it("encrypts the secrets layer's log groups with the logs key", () => {
        // The layer's own functions: the data layer's restore validation has its own log group.
        const groups = q()
            .childrenOf(q().one("ops:secrets:AppSecrets"))
            .filter((g) => g.type === "aws:cloudwatch/logGroup:LogGroup" && String(g.inputs["name"]).startsWith(`/aws/lambda/myapp-${environment}-`));
        expect(groups.map((g) => g.inputs["name"]).sort()).toEqual(
            ["database-bootstrap", "rotate-database-password", "rotate-jwt-signing-key", "secret-age"].map((f) => `/aws/lambda/myapp-${environment}-${f}`),
        );
        for (const g of groups) expect(g.inputs["kmsKeyId"]).toBe(keyArn(q(), "logs"));
    });

    it("rotates on the runbook's schedule, never at creation", () => {
        const rotations = Object.fromEntries(q().ofType("aws:secretsmanager/secretRotation:SecretRotation").map((r) => [r.name, r.inputs]));
        expect(rotations).toEqual({
            [`myapp-${environment}-rotate-database-password`]: expect.objectContaining({ rotationRules: { automaticallyAfterDays: 90 }, rotateImmediately: false }),
            [`myapp-${environment}-rotate-jwt-signing-key`]: expect.objectContaining({ rotationRules: { automaticallyAfterDays: 365 }, rotateImmediately: false }),
        });
        const reminder = q().one("aws:scheduler/schedule:Schedule", `myapp-${environment}-api-key-reminder`);
        expect(reminder.inputs["scheduleExpression"]).toBe("rate(180 days)");
        expect(reminder.inputs["target"]).toEqual(expect.objectContaining({ arn: `arn:aws:sns:us-east-1:${ACCOUNT}:myapp-${environment}-alerts-low` }));
    });

    it("tags every secret with its period, for the age check: rotated, reminded, or rotated by a procedure", () => {
        const s = secrets(q());
        expect(s["DATABASE_URL"]!.inputs["tags"]).toEqual({ "rotation-period-days": "90" });
        expect(s["SECRET_KEY"]!.inputs["tags"]).toEqual({ "rotation-period-days": "365" });
        expect(s["EXTERNAL_API_KEY"]!.inputs["tags"]).toEqual({ "rotation-period-days": "180" });
        // Runbook 2.3: the Redis AUTH token and the master password are data store passwords, 90 days;
        // a late `pulumi up` of their procedure (docs/secrets.md) raises secret-overdue.
        expect(s["REDIS_URL"]!.inputs["tags"]).toEqual({ "rotation-period-days": "90" });
        expect(s["DATABASE_MASTER"]!.inputs["tags"]).toEqual({ "rotation-period-days": "90" });
    });

    it("alarms, at low severity, when a secret is overdue or the age check stops", () => {
        const alarm = q().one("aws:cloudwatch/metricAlarm:MetricAlarm", `myapp-${environment}-secret-overdue`);
        expect(alarm.inputs).toEqual(
            expect.objectContaining({
                namespace: "myapp/Secrets",
                metricName: "OverdueSecrets",
                dimensions: { SecretsPrefix: `myapp/${environment}/` },
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:myapp-${environment}-alerts-low`],
            }),
        );
        expect(String(alarm.inputs["alarmDescription"])).toMatch(/^Severity low\. .* Runbook: https:\/\/\S+\/secret-overdue$/);
    });

    it("runs the rotation functions on nodejs24.x, the database one in the private subnets", () => {
        const fns = Object.fromEntries(q().ofType("aws:lambda/function:Function").map((f) => [f.name, f.inputs]));
        const db = fns[`myapp-${environment}-rotate-database-password`]!;
        expect(db["runtime"]).toBe("nodejs24.x");
        const network = q().one("ops:network:Network");
        const privateSubnets = q()
            .childrenOf(network)
            .filter((r) => r.type === "aws:ec2/subnet:Subnet" && /-private-/.test(r.name))
            .map((r) => r.id);
        expect(privateSubnets.length).toBeGreaterThanOrEqual(2);
        expect((db["vpcConfig"] as { subnetIds: string[] }).subnetIds).toEqual(privateSubnets);
        expect(fns[`myapp-${environment}-rotate-jwt-signing-key`]!["vpcConfig"]).toBeUndefined();
        expect(fns[`myapp-${environment}-secret-age`]!["environment"]).toEqual({ variables: { SECRETS_PREFIX: `myapp/${environment}/`, METRIC_NAMESPACE: "myapp/Secrets" } });
        expect(fns[`myapp-${environment}-secret-age`]!["loggingConfig"]).toEqual({ logFormat: "Text", logGroup: `/aws/lambda/myapp-${environment}-secret-age` });
    });

    it("lets each rotation function touch only its own secret, and read the master user only for the database", () => {
        const policy = (fn: string) => policyOf(q().one("aws:iam/rolePolicy:RolePolicy", `myapp-${environment}-${fn}`));
        const arn = (name: string) => namedSecret(environment, name);
        const db = policy("rotate-database-password");
        expect(db.Statement.find((s) => s.Sid === "RotateOwnSecret")?.Resource).toBe(arn("DATABASE_URL"));
        expect(db.Statement.find((s) => s.Sid === "ReadMasterUser")).toEqual({ Sid: "ReadMasterUser", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [arn("DATABASE_MASTER")] });
        const jwt = policy("rotate-jwt-signing-key");
        expect(jwt.Statement.find((s) => s.Sid === "RotateOwnSecret")?.Resource).toBe(arn("SECRET_KEY"));
        expect(jwt.Statement.map((s) => s.Sid)).toEqual([
            "RotateOwnSecret",
            "RandomPassword",
            "SecretsKeyThroughSecretsManager",
            ...(replicated ? ["ReplicaKeyThroughSecretsManager"] : []),
            "OwnLogGroup",
        ]);
        for (const p of [db, jwt]) {
            expect(p.Statement.find((s) => s.Sid === "SecretsKeyThroughSecretsManager")).toEqual({
                Sid: "SecretsKeyThroughSecretsManager",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: anyKey("us-east-1"),
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }, ...aliasCondition(`alias/myapp/${environment}/secrets`) },
            });
        }
    });

    it("lets Secrets Manager alone invoke each rotation function, for its own secret", () => {
        for (const [fn, secret] of [["rotate-database-password", "DATABASE_URL"], ["rotate-jwt-signing-key", "SECRET_KEY"]] as const) {
            expect(q().one("aws:lambda/permission:Permission", `myapp-${environment}-${fn}`).inputs).toEqual(
                expect.objectContaining({
                    principal: "secretsmanager.amazonaws.com",
                    sourceArn: secretArn(q(), environment, secret),
                }),
            );
        }
    });

    it("lets External Secrets (its controller's Pod Identity role) read only this environment's secrets", () => {
        const association = q()
            .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
            .filter((a) => a.inputs["namespace"] === "external-secrets" && a.inputs["serviceAccount"] === "external-secrets");
        expect(association).toHaveLength(1);
        const role = q().byId(String(association[0]!.inputs["roleArn"]).split("/").pop()!);
        const policies = q()
            .ofType("aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.inputs["role"] === role?.id);
        const statements = policies.flatMap((p) => policyOf(p).Statement);
        const secretResources = statements.filter((st) => st.Effect === "Allow" && asList(st.Action).some((a) => a.startsWith("secretsmanager:"))).flatMap((st) => asList(st.Resource));
        expect(secretResources).toEqual([`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:myapp/${environment}/*`]);
        // ...except the master user's, which no ExternalSecret may copy into the cluster.
        expect(statements.filter((st) => st.Effect === "Deny")).toEqual([
            { Sid: "NeverTheMasterUser", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:myapp/${environment}/DATABASE_MASTER-??????` },
        ]);
        const other = CLOUD.find((c) => c.environment !== environment)!.environment;
        expect(JSON.stringify(statements)).not.toContain(`myapp/${other}/`);
    });

    it("lets External Secrets decrypt with exactly the secrets key, and only through Secrets Manager", () => {
        const eso = policyOf(q().one("aws:iam/rolePolicy:RolePolicy", `myapp-${environment}-controllers-external-secrets`));
        const kms = eso.Statement.filter((st) => asList(st.Action).some((a) => a.startsWith("kms:")));
        expect(kms).toEqual([
            {
                Sid: "SecretsKeyThroughSecretsManager",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: anyKey("us-east-1"),
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }, ...aliasCondition(`alias/myapp/${environment}/secrets`) },
            },
        ]);
    });

    it("creates ESO's SecretStore after its Helm release, and runs the migrations after the ExternalSecret", () => {
        const release = q()
            .ofType("kubernetes:helm.sh/v3:Release")
            .find((r) => r.inputs["name"] === "external-secrets")!;
        expect(q().one("kubernetes:external-secrets.io/v1:SecretStore").dependsOn).toContain(release.urn);
        const externalSecret = q().one("kubernetes:external-secrets.io/v1:ExternalSecret");
        const firstMigrations = q()
            .ofType("kubernetes:batch/v1:Job")
            .filter((j) => j.name.endsWith("-migrations") && !j.dependsOn.some((u) => q().byUrn(u)?.type === "kubernetes:batch/v1:Job"));
        expect(firstMigrations).toHaveLength(1);
        expect(firstMigrations[0]!.dependsOn).toContain(externalSecret.urn);
    });

    it("grants the secrets layer's roles no action on every resource beyond lookups", () => {
        const mine = q()
            .ofType("aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.urn.includes("ops:secrets:AppSecrets$"))
            .filter((p) => /-(database-bootstrap|rotate-database-password|rotate-jwt-signing-key|secret-age|secret-age-schedule|api-key-reminder)$/.test(p.name));
        expect(mine).toHaveLength(6);
        for (const p of mine) {
            for (const st of nonEmpty(policyOf(p).Statement, `the statements of ${p.name}`)) {
                const actions = nonEmpty(asList(st.Action), `the actions of ${p.name}`);
                for (const a of actions) expect(a).not.toMatch(/(^\*$|:\*$)/);
                if (asList(st.Resource).includes("*")) expect(actions.filter((a) => !/:(Describe|Get|List)/.test(a))).toEqual([]);
            }
        }
    });

    it("syncs the secrets into the Secret the app reads, on the refresh interval", () => {
        const es = q().one("kubernetes:external-secrets.io/v1:ExternalSecret");
        const spec = es.inputs["spec"] as { refreshInterval: string; target: { name: string }; data: unknown[] };
        expect(spec.refreshInterval).toBe("1h");
        expect(spec.data).toEqual([
            { secretKey: "DATABASE_URL", remoteRef: { key: `myapp/${environment}/DATABASE_URL` } },
            { secretKey: "REDIS_URL", remoteRef: { key: `myapp/${environment}/REDIS_URL` } },
            { secretKey: "SECRET_KEY", remoteRef: { key: `myapp/${environment}/SECRET_KEY`, property: "current" } },
            { secretKey: "SECRET_KEY_NEXT", remoteRef: { key: `myapp/${environment}/SECRET_KEY`, property: "next" } },
            { secretKey: "SECRET_KEY_PREVIOUS", remoteRef: { key: `myapp/${environment}/SECRET_KEY`, property: "previous" } },
            { secretKey: "EXTERNAL_API_KEY", remoteRef: { key: `myapp/${environment}/EXTERNAL_API_KEY` } },
        ]);
        // The app's pods read exactly that Secret.
        const deployment = q().ofType("kubernetes:apps/v1:Deployment").find((d) => (d.inputs["metadata"] as { name: string }).name === "app-deployment")!;
        expect(JSON.stringify(deployment.inputs["spec"])).toContain(`"secretRef":{"name":"${spec.target.name}"}`);
        const store = q().one("kubernetes:external-secrets.io/v1:SecretStore");
        expect(store.inputs["spec"]).toEqual({ provider: { aws: { service: "SecretsManager", region: "us-east-1" } } });
    });

    it("bootstraps the database once, as the master, in the VPC, before the first rotation and with no secret in its input", () => {
        const fn = q().one("aws:lambda/function:Function", `myapp-${environment}-database-bootstrap`);
        const rotation = q().one("aws:lambda/function:Function", `myapp-${environment}-rotate-database-password`);
        const arn = (name: string) => q().one("aws:secretsmanager/secret:Secret", `myapp-${environment}-${name.toLowerCase().replace(/_/g, "-")}`).id!;
        expect(fn.inputs["environment"]).toEqual({ variables: { MASTER_SECRET_ARN: arn("DATABASE_MASTER"), APP_SECRET_ARN: arn("DATABASE_URL"), NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem" } });
        // Where the rotation reaches the database from: the private subnets, in the app tier's group.
        expect(fn.inputs["vpcConfig"]).toEqual(rotation.inputs["vpcConfig"]);
        expect(fn.inputs["timeout"]).toBe(300);

        const invocation = q().one("aws:lambda/invocation:Invocation", `myapp-${environment}-database-bootstrap`);
        expect(invocation.inputs["functionName"]).toBe(`myapp-${environment}-database-bootstrap`);
        expect(invocation.inputs["input"]).toBe('{"appRole":"myapp_app","schema":"public"}');
        expect(invocation.inputs["triggers"]).toEqual({ code: expect.stringMatching(/^[0-9a-f]{16}$/), appRole: "myapp_app" });
        expect(invocation.inputs["lifecycleScope"]).toBeUndefined();
        const versions = q().ofType("aws:secretsmanager/secretVersion:SecretVersion");
        const versionOf = (name: string) => versions.find((v) => v.name === `myapp-${environment}-${name}`)!.urn;
        expect(invocation.dependsOn).toEqual(expect.arrayContaining([versionOf("database-url"), versionOf("database-master")]));
        // The first rotation finds the roles the bootstrap made.
        expect(q().one("aws:secretsmanager/secretRotation:SecretRotation", `myapp-${environment}-rotate-database-password`).dependsOn).toContain(invocation.urn);
        expect(rotation.inputs["environment"]).toEqual({ variables: expect.objectContaining({ APP_ROLE: "myapp_app" }) });
    });

    it("lets the bootstrap read its two secrets and write nothing", () => {
        const policy = policyOf(q().one("aws:iam/rolePolicy:RolePolicy", `myapp-${environment}-database-bootstrap`));
        const arn = (name: string) => namedSecret(environment, name);
        expect(policy.Statement.map((st) => st.Sid)).toEqual(["ReadDatabaseSecrets", "SecretsKeyThroughSecretsManager", "OwnLogGroup", "DescribeNetwork", "CreateNetworkInterfaces", "ManageNetworkInterfaces"]);
        expect(policy.Statement[0]).toEqual({ Sid: "ReadDatabaseSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [arn("DATABASE_URL"), arn("DATABASE_MASTER")] });
        expect(policy.Statement[1]!.Action).toEqual(["kms:Decrypt"]);
    });

    it("reads the master user's secret from the rotation and the bootstrap only", () => {
        const master = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:myapp/${environment}/DATABASE_MASTER-AbCdEf`;
        const mockMaster = q().one("aws:secretsmanager/secret:Secret", `myapp-${environment}-database-master`).id!;
        const matches = (pattern: string) => pattern === mockMaster || new RegExp(`^${pattern.split("*").map((x) => x.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\?/g, ".")).join(".*")}$`).test(master);
        const reads = (doc: PolicyDoc, effect: "Allow" | "Deny") =>
            doc.Statement.some((st) => st.Effect === effect && asList(st.Action).some((a) => a === "secretsmanager:GetSecretValue" || a === "secretsmanager:*") && asList(st.Resource).some(matches));
        const policies = q().ofType("aws:iam/rolePolicy:RolePolicy");
        expect(policies.length).toBeGreaterThan(10);
        const readers = policies
            .filter((p) => reads(policyOf(p), "Allow") && !reads(policyOf(p), "Deny"))
            .map((p) => p.name)
            .sort();
        expect(readers).toEqual([`myapp-${environment}-database-bootstrap`, `myapp-${environment}-rotate-database-password`]);
    });

    it("publishes a JWT key that long before it may sign: the refresh interval plus a rollout", () => {
        expect(q().one("aws:lambda/function:Function", `myapp-${environment}-rotate-jwt-signing-key`).inputs["environment"]).toEqual({ variables: { MIN_NEXT_KEY_AGE_SECONDS: "7200" } });
    });

    it("lets the rotations encrypt with the DR secrets key where the secrets are replicated, so rotated versions reach the replicas", () => {
        for (const fn of ["rotate-database-password", "rotate-jwt-signing-key"]) {
            const statement = policyOf(q().one("aws:iam/rolePolicy:RolePolicy", `myapp-${environment}-${fn}`)).Statement.find((st) => st.Sid === "ReplicaKeyThroughSecretsManager");
            expect(statement).toEqual(
                replicated
                    ? {
                          Sid: "ReplicaKeyThroughSecretsManager",
                          Effect: "Allow",
                          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                          Resource: anyKey("us-west-2"),
                          Condition: {
                              StringEquals: { "kms:ViaService": ["secretsmanager.us-west-2.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"] },
                              ...aliasCondition(`alias/myapp/${environment}/secrets-dr`),
                          },
                      }
                    : undefined,
            );
        }
    });

    it("rolls every app Deployment when External Secrets updates its Secret, through the Reloader", () => {
        const deployments = q()
            .ofType("kubernetes:apps/v1:Deployment")
            .filter((d) => (d.inputs["metadata"] as { labels?: Record<string, string> }).labels?.["app.kubernetes.io/component"] === "server");
        expect(deployments.length).toBeGreaterThanOrEqual(1);
        for (const d of deployments) expect((d.inputs["metadata"] as { annotations?: unknown }).annotations).toEqual({ "secret.reloader.stakater.com/reload": "myapp-app" });
        const reloader = q()
            .ofType("kubernetes:helm.sh/v3:Release")
            .find((r) => r.inputs["name"] === "reloader")!;
        expect(reloader.inputs).toEqual(
            expect.objectContaining({ version: "2.2.16", namespace: "reloader", repositoryOpts: { repo: "https://stakater.github.io/stakater-charts" }, values: reloaderValues() }),
        );
    });

    it("uses no customer-managed key without rotation", () => {
        const keys = q().ofType("aws:kms/key:Key");
        expect(keys.length).toBeGreaterThanOrEqual(5);
        for (const k of keys) expect(k.inputs["enableKeyRotation"]).toBe(true);
    });

    it("gives every key of modules/keys an explicit policy without a wildcard principal", () => {
        const keys = q().childrenOf(q().one("ops:keys:Keys")).filter((r) => r.type === "aws:kms/key:Key");
        expect(keys.map((k) => k.name.slice(`myapp-${environment}-keys-`.length)).sort()).toEqual(["data", "dr-data", "dr-secrets", "logs", "secrets"]);
        for (const k of keys) {
            for (const s of nonEmpty(policyOf(k).Statement, `the policy of ${k.name}`)) expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"|^"\*"$/);
            // secrets.keyDeletionWindowDays (default 30): the longest wait before a deleted key is gone.
            expect(k.inputs["deletionWindowInDays"]).toBe(30);
            expect(k.inputs["rotationPeriodInDays"]).toBe(365);
        }
    });
});

/** The values the mocks give @pulumi/random resources (tools/plan/mocks/random.ts), so the test can look for them. */
function mockRandomValues(r: PlannedResource): string[] {
    const seed = digest(64, r.type, r.name);
    if (r.type === "random:index/randomBytes:RandomBytes") {
        const bytes = crypto.createHash("sha512").update(seed).digest().subarray(0, Number(r.inputs["length"] ?? 32));
        return [bytes.toString("base64"), bytes.toString("hex")];
    }
    if (r.type === "random:index/randomPassword:RandomPassword") return [Buffer.from(seed).toString("base64url").slice(0, Number(r.inputs["length"] ?? 16))];
    return [];
}

describe.each(workloadStacks())("no secret in plain text: %s", (stack) => {
    it("shows neither the sentinel nor any generated secret in the plan, its text or the stack outputs", () => {
        const plan = loadPlan(stack);
        const json = JSON.stringify(plan);
        const text = loadPlanText(stack);
        for (const sentinel of Object.values(SECRET_SENTINELS)) {
            expect(json).not.toContain(sentinel);
            expect(text).not.toContain(sentinel);
        }
        const generated = plan.resources.flatMap(mockRandomValues).filter((v) => v.length >= 8);
        expect(generated.length).toBeGreaterThan(0);
        for (const v of generated) {
            expect(json).not.toContain(v);
            expect(text).not.toContain(v);
        }
        expect(JSON.stringify(plan.outputs)).not.toMatch(/postgres(ql)?:\/\/[^"]*:[^"@[]+@/);
    });

    it("holds every secret value as a Pulumi secret", () => {
        const q = PlanQuery.of(stack);
        const versions = q.ofType("aws:secretsmanager/secretVersion:SecretVersion");
        const k8sSecrets = q.ofType("kubernetes:core/v1:Secret");
        // Cloud stacks keep their secrets in Secrets Manager; dev and previews in Kubernetes Secrets of their own.
        const inCluster = stack === "dev" || stack === PREVIEW_STACK;
        expect([versions.length > 0, k8sSecrets.length > 0]).toEqual([!inCluster, inCluster]);
        for (const v of versions) expect(v.inputs["secretString"]).toBe("[secret]");
        // A Secret's data is one secret input: the plan redacts it whole.
        for (const s of k8sSecrets) expect(s.inputs["stringData"] ?? s.inputs["data"]).toBe("[secret]");
    });
});

describe.each(["dev", PREVIEW_STACK])("%s: Kubernetes Secrets, no AWS", (stack) => {
    it("creates no AWS resource at all", () => {
        expect(PlanQuery.of(stack).ofPackage("aws").map((r) => r.type)).toEqual([]);
    });

    it("gives the app a Secret of its own, with a 256-bit SECRET_KEY from @pulumi/random, and no ExternalSecret", () => {
        const q = PlanQuery.of(stack);
        expect(q.one("kubernetes:core/v1:Secret", "myapp-secrets").inputs["stringData"]).toBe("[secret]");
        expect(q.ofType("random:index/randomBytes:RandomBytes").map((r) => r.inputs["length"])).toEqual([32]);
        expect(q.ofType("kubernetes:external-secrets.io/v1:ExternalSecret")).toEqual([]);
    });

    it("needs no Reloader: its Secret is immutable, and a new one rolls the pods by itself", () => {
        const deployments = PlanQuery.of(stack).ofType("kubernetes:apps/v1:Deployment");
        expect(deployments.length).toBeGreaterThanOrEqual(1);
        for (const d of deployments) expect((d.inputs["metadata"] as { annotations?: unknown }).annotations).toBeUndefined();
    });
});
