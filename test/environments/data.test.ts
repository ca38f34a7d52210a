import { PlanQuery, PlannedResource, usedRole } from "../helpers/plan";
import { PREVIEW_STACK } from "../helpers/stacks";

/**
 * The data layer as planned for each stack by globalSetup (`npm run plan -- --json`): exact
 * inputs per environment, protection, providers, and no managed stores where there must be none.
 */

const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const VAULT = "aws:backup/vault:Vault";
const LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const PLAN = "aws:backup/plan:Plan";
const BUCKET = "aws:s3/bucket:Bucket";
const DR_BACKUPS = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

const primaryProvider = (stack: string, region: string): string => `urn:pulumi:${stack}::ops::pulumi:providers:aws::myapp-${region}`;
const drProvider = (stack: string, region: string): string => `urn:pulumi:${stack}::ops::pulumi:providers:aws::myapp-dr-${region}`;

/** The resources under a component of the given type (its whole subtree). */
function under(q: PlanQuery, componentType: string): PlannedResource[] {
    const roots = q.ofType(componentType);
    const out: PlannedResource[] = [];
    const visit = (r: PlannedResource): void => {
        for (const c of q.childrenOf(r)) {
            out.push(c);
            visit(c);
        }
    };
    roots.forEach(visit);
    return out;
}

/** The stateful data resources of the DR rebuild: its cache, files bucket, backup vault and its lock. */
const STATEFUL_IN_REBUILD = 4;

const DATA_COMPONENTS = ["ops:database:PostgresDatabase", "ops:cache:RedisCache", "ops:files:FilesBucket", "ops:backup:Backup"];

describe.each([
    // production-dr creates no database: it finds the standby's promoted replica (environments/data.ts).
    { stack: "production", region: "us-east-1", drRegion: "us-west-2", env: "production", retention: 30, multiAz: true, logDays: 90 },
    { stack: "staging", region: "us-east-1", drRegion: "us-west-2", env: "staging", retention: 7, multiAz: false, logDays: 30 },
])("the $stack database", ({ stack, region, env, retention, multiAz, logDays }) => {
    const q = PlanQuery.of(stack).withoutStandby();
    const db = q.one(RDS);
    const prod = env === "production";

    it("is PostgreSQL on encrypted gp3 with autoscaling, IAM auth, never public, in the isolated subnets", () => {
        expect(db.provider).toBe(primaryProvider(stack, region));
        expect(db.inputs).toMatchObject({
            identifier: `myapp-${env}`,
            engine: "postgres",
            engineVersion: "16",
            autoMinorVersionUpgrade: true,
            storageType: "gp3",
            allocatedStorage: prod ? 100 : 50,
            maxAllocatedStorage: prod ? 500 : 200,
            instanceClass: prod ? "db.r6g.large" : "db.t4g.medium",
            storageEncrypted: true,
            iamDatabaseAuthenticationEnabled: true,
            publiclyAccessible: false,
            multiAz,
            port: 5432,
            password: "[secret]",
        });
        expect(db.inputs["kmsKeyId"]).toMatch(new RegExp(`^arn:aws:kms:${region}:\\d{12}:key/`));
        expect(db.inputs["performanceInsightsKmsKeyId"]).toBe(db.inputs["kmsKeyId"]);
        const subnetGroup = q.ofType("aws:rds/subnetGroup:SubnetGroup").find((g) => g.inputs["name"] === db.inputs["dbSubnetGroupName"] || g.id === db.inputs["dbSubnetGroupName"])!;
        const isolated = q.ofType("aws:ec2/subnet:Subnet").filter((s) => /-isolated-\d$/.test(s.name)).map((s) => s.id);
        expect(isolated).toHaveLength(3);
        expect(subnetGroup.inputs["subnetIds"]).toEqual(isolated);
        const dbGroup = q.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-database-sg"))!;
        expect(db.inputs["vpcSecurityGroupIds"]).toEqual([dbGroup.id]);
    });

    it(`keeps automated backups ${retention} days in a window clear of maintenance, and copies tags to snapshots`, () => {
        expect(db.inputs).toMatchObject({ backupRetentionPeriod: retention, backupWindow: "03:00-04:00", maintenanceWindow: "sun:08:00-sun:09:00", copyTagsToSnapshot: true });
    });

    it("forces TLS and logs slow statements, exporting postgresql and upgrade logs with the environment's retention", () => {
        const pg = q.one("aws:rds/parameterGroup:ParameterGroup");
        expect(pg.id).toBe(db.inputs["parameterGroupName"]);
        expect(pg.inputs["family"]).toBe("postgres16");
        expect(pg.inputs["parameters"]).toEqual([
            { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
            { name: "log_min_duration_statement", value: "500", applyMethod: "immediate" },
            { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
        ]);
        expect(db.inputs["enabledCloudwatchLogsExports"]).toEqual(["postgresql", "upgrade"]);
        const groups = q.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs["name"]).startsWith("/aws/rds/instance/"));
        expect(groups.map((g) => [g.inputs["name"], g.inputs["retentionInDays"]]).sort()).toEqual([
            [`/aws/rds/instance/myapp-${env}/postgresql`, logDays],
            [`/aws/rds/instance/myapp-${env}/upgrade`, logDays],
        ]);
        expect(db.dependsOn.sort()).toEqual(groups.map((g) => g.urn).sort());
    });

    it("has Performance Insights and Enhanced Monitoring every 60 seconds", () => {
        expect(db.inputs).toMatchObject({ performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 7, monitoringInterval: 60 });
        // A DR rebuild's role is production's DR role (docs/dr-roles.md).
        const { role, attachments } = usedRole(stack, `myapp-${env}-monitoring`, "rds-monitoring");
        expect(db.inputs["monitoringRoleArn"]).toBe(`arn:aws:iam::123456789012:role/${String(role.id)}`);
        expect(JSON.parse(String(role.inputs["assumeRolePolicy"])).Statement[0].Principal).toEqual({ Service: "monitoring.rds.amazonaws.com" });
        expect(attachments.map((a) => a.inputs["policyArn"])).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
    });

    it(prod ? "is protected: deletion protection, final snapshot, protect, retained backups" : "opts out of protection explicitly (staging)", () => {
        expect(db.inputs).toMatchObject(
            prod
                ? { deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: `myapp-${env}-final`, deleteAutomatedBackups: false }
                : { deletionProtection: false, skipFinalSnapshot: true, deleteAutomatedBackups: true },
        );
        expect([db.protect, db.retainOnDelete]).toEqual([prod, prod]);
        expect(db.options["ignoreChanges"]).toEqual(["snapshotIdentifier", "restoreToPointInTime"]);
    });
});

describe.each([
    { stack: "production", region: "us-east-1", drRegion: "us-west-2", env: "production" },
])("$stack backups and DR copies (runbook 3.9)", ({ stack, region, drRegion, env }) => {
    const q = PlanQuery.of(stack).withoutStandby();
    const db = q.one(RDS);

    it("has a vault per region on that region's customer-managed key", () => {
        const vaults = q.ofType(VAULT);
        expect(vaults.map((v) => [v.inputs["name"], v.provider, v.inputs["forceDestroy"]]).sort()).toEqual(
            [
                [`myapp-${env}`, primaryProvider(stack, region), false],
                [`myapp-${env}-dr`, drProvider(stack, drRegion), false],
            ].sort(),
        );
        expect(q.one(VAULT, `myapp-${env}-backup-vault`).inputs["kmsKeyArn"]).toMatch(new RegExp(`^arn:aws:kms:${region}:`));
        expect(q.one(VAULT, `myapp-${env}-backup-dr-vault`).inputs["kmsKeyArn"]).toMatch(new RegExp(`^arn:aws:kms:${drRegion}:`));
    });

    it("locks both vaults in compliance mode, 3 days' grace, no recovery point kept under 30 days", () => {
        expect(q.ofType(LOCK).map((l) => l.inputs).sort((a, b) => String(a["backupVaultName"]).localeCompare(String(b["backupVaultName"])))).toEqual([
            { backupVaultName: `myapp-${env}`, changeableForDays: 3, minRetentionDays: 30 },
            { backupVaultName: `myapp-${env}-dr`, changeableForDays: 3, minRetentionDays: 30 },
        ]);
    });

    it("backs up daily at 05:00 UTC, keeps 30 days, and copies each recovery point to the DR vault for 30 days", () => {
        const plan = q.one(PLAN);
        expect(plan.inputs["rules"]).toEqual([
            {
                ruleName: "daily",
                targetVaultName: `myapp-${env}`,
                schedule: "cron(0 5 * * ? *)",
                startWindow: 60,
                completionWindow: 360,
                lifecycle: { deleteAfter: 30 },
                recoveryPointTags: { "backup-plan": `myapp-${env}-daily` },
                copyActions: [{ destinationVaultArn: `arn:aws:backup:${drRegion}:123456789012:backup-vault:myapp-${env}-dr`, lifecycle: { deleteAfter: 30 } }],
            },
        ]);
    });

    it("selects by tag, and the database and the files bucket carry the tag", () => {
        const selection = q.one("aws:backup/selection:Selection");
        expect(selection.inputs["selectionTags"]).toEqual([{ type: "STRINGEQUALS", key: "backup-plan", value: `myapp-${env}-daily` }]);
        expect(selection.inputs["planId"]).toBe(q.one(PLAN).id);
        const tagged = [db, q.one(BUCKET, `myapp-${env}-files`)].map((r) => (r.inputs["tags"] as Record<string, string>)["backup-plan"]);
        expect(tagged).toEqual([`myapp-${env}-daily`, `myapp-${env}-daily`]);
        const { role, attachments } = usedRole(stack, `myapp-${env}-backup-role`, "backup");
        expect(selection.inputs["iamRoleArn"]).toBe(`arn:aws:iam::123456789012:role/${String(role.id)}`);
        const attached = attachments.map((a) => a.inputs["policyArn"]).sort();
        expect(attached).toEqual([
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ]);
    });

    it("replicates the automated backups (point-in-time recovery) to the DR region for 7 days", () => {
        const r = q.one(DR_BACKUPS);
        expect(r.provider).toBe(drProvider(stack, drRegion));
        expect(r.inputs["sourceDbInstanceArn"]).toBe(`arn:aws:rds:${region}:123456789012:db:myapp-${env}`);
        expect(r.inputs["retentionPeriod"]).toBe(7);
        expect(r.inputs["kmsKeyId"]).toMatch(new RegExp(`^arn:aws:kms:${drRegion}:`));
        expect(q.plan.outputs["databaseDrAutomatedBackupsArn"]).toMatch(new RegExp(`^arn:aws:rds:${drRegion}:123456789012:auto-backup:ab-`));
    });

    it("restores the latest recovery point every week into the database's own subnets, and keeps it 4 hours for validation (runbook 4.1)", () => {
        const plan = q.one("aws:backup/restoreTestingPlan:RestoreTestingPlan");
        expect(plan.inputs).toMatchObject({
            name: `myapp_${env}_weekly`,
            scheduleExpression: "cron(0 8 ? * MON *)",
            scheduleExpressionTimezone: "Etc/UTC",
            recoveryPointSelection: {
                algorithm: "LATEST_WITHIN_WINDOW",
                includeVaults: [`arn:aws:backup:${region}:123456789012:backup-vault:myapp-${env}`],
                recoveryPointTypes: ["SNAPSHOT"],
                selectionWindowDays: 7,
            },
        });
        const selection = q.one("aws:backup/restoreTestingSelection:RestoreTestingSelection");
        const dbGroup = q.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-database-sg"))!;
        expect(selection.inputs).toMatchObject({
            restoreTestingPlanName: `myapp_${env}_weekly`,
            protectedResourceType: "RDS",
            protectedResourceArns: [`arn:aws:rds:${region}:123456789012:db:myapp-${env}`],
            validationWindowHours: 4,
            restoreMetadataOverrides: { dbsubnetgroupname: db.inputs["dbSubnetGroupName"], vpcsecuritygroupids: JSON.stringify([dbGroup.id]) },
        });
    });

    it("raises failed backup, copy and restore jobs as events (the observability layer routes them)", () => {
        const rule = q.one("aws:cloudwatch/eventRule:EventRule", `myapp-${env}-backup-failed-jobs`);
        expect(JSON.parse(String(rule.inputs["eventPattern"]))).toEqual({
            source: ["aws.backup"],
            "detail-type": ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"],
            detail: { $or: [{ state: ["FAILED", "ABORTED", "EXPIRED"] }, { status: ["FAILED", "ABORTED", "EXPIRED"] }, { validationStatus: ["FAILED", "TIMED_OUT"] }] },
        });
    });
});

describe("production's restore test validation (runbook 4.1)", () => {
    const q = PlanQuery.of("production").withoutStandby();
    const name = "myapp-production-restore-validation";
    const component = q.one("ops:backup:RestoreValidation", name);
    const fn = q.one("aws:lambda/function:Function", name);
    const logGroup = q.one("aws:cloudwatch/logGroup:LogGroup", name);
    const planName = String(q.one("aws:backup/restoreTestingPlan:RestoreTestingPlan").inputs["name"]);
    const policy = JSON.parse(String(q.one("aws:iam/rolePolicy:RolePolicy", name).inputs["policy"])) as {
        Statement: Array<{ Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }>;
    };

    it("is one component on the primary provider: log group, role, policy, function, rule, permission, target", () => {
        expect(q.childrenOf(component).map((r) => r.type).sort()).toEqual(
            [
                "aws:cloudwatch/eventRule:EventRule",
                "aws:cloudwatch/eventTarget:EventTarget",
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:iam/role:Role",
                "aws:iam/rolePolicy:RolePolicy",
                "aws:lambda/function:Function",
                "aws:lambda/permission:Permission",
            ].sort(),
        );
        expect(q.childrenOf(component).every((r) => r.provider === primaryProvider("production", "us-east-1"))).toBe(true);
    });

    it("logs to its own group, created first, with the environment's retention and the logs key", () => {
        expect(logGroup.inputs).toEqual({ name: `/aws/lambda/${name}`, retentionInDays: 90, kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${q.one("aws:kms/key:Key", "myapp-production-keys-logs").id}` });
        expect(fn.dependsOn).toContain(logGroup.urn);
        // Text: its result lines are embedded-metric-format records, read as written.
        expect(fn.inputs["loggingConfig"]).toEqual({ logFormat: "Text", logGroup: `/aws/lambda/${name}` });
    });

    it("runs the bundled lambdas/restore-validation in the private subnets, in the app tier's group the database admits on 5432", () => {
        expect(fn.inputs).toMatchObject({ runtime: "nodejs24.x", handler: "index.handler", code: { asset: "<archive>" } });
        const network = q.one("ops:network:Network");
        const privateSubnets = q.childrenOf(network).filter((r) => r.type === "aws:ec2/subnet:Subnet" && /-private-/.test(r.name)).map((r) => r.id);
        const groups = q.ofType("aws:ec2/securityGroup:SecurityGroup");
        const app = groups.find((g) => g.name.endsWith("-app-sg"))!;
        const database = groups.find((g) => g.name.endsWith("-database-sg"))!;
        expect(fn.inputs["vpcConfig"]).toEqual({ subnetIds: privateSubnets, securityGroupIds: [app.id] });
        const admits = q
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.inputs["securityGroupId"] === database.id && r.inputs["referencedSecurityGroupId"] === app.id && r.inputs["fromPort"] === 5432);
        expect(admits).toHaveLength(1);
        // ...and the restored instance gets the database's group.
        const selection = q.one("aws:backup/restoreTestingSelection:RestoreTestingSelection");
        expect((selection.inputs["restoreMetadataOverrides"] as Record<string, string>)["vpcsecuritygroupids"]).toBe(JSON.stringify([database.id]));
        const env = (fn.inputs["environment"] as { variables: Record<string, string> }).variables;
        expect(env).toEqual({
            RESTORE_TESTING_PLAN_ARN: expect.stringMatching(new RegExp(`^arn:aws:backup:us-east-1:123456789012:restore-testing-plan:${planName}-`)),
            RESTORE_TESTING_PLAN_NAME: planName,
            METRIC_NAMESPACE: "myapp/Backup",
            APP_SECRET_ID: "myapp/production/DATABASE_URL",
            DATABASE_NAME: "app",
            EXPECTED_SCHEMA: "public",
            NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
        });
    });

    it("runs on the completed RDS restore jobs of this stack's restore testing plan only", () => {
        const rule = q.one("aws:cloudwatch/eventRule:EventRule", name);
        const env = (fn.inputs["environment"] as { variables: Record<string, string> }).variables;
        expect(JSON.parse(String(rule.inputs["eventPattern"]))).toEqual({
            source: ["aws.backup"],
            "detail-type": ["Restore Job State Change"],
            detail: { status: ["COMPLETED"], resourceType: ["RDS"], restoreTestingPlanArn: [env["RESTORE_TESTING_PLAN_ARN"]] },
        });
        const target = q.one("aws:cloudwatch/eventTarget:EventTarget", name);
        expect(target.inputs).toEqual({ rule: rule.inputs["name"], arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}` });
        expect(q.one("aws:lambda/permission:Permission", name).inputs).toEqual({
            action: "lambda:InvokeFunction",
            function: name,
            principal: "events.amazonaws.com",
            sourceArn: `arn:aws:events:us-east-1:123456789012:rule/${name}`,
        });
    });

    it("has a least-privilege policy: no `*` action, `*` resources only where IAM has no resource scoping", () => {
        const actions = policy.Statement.flatMap((s) => [s.Action].flat());
        expect(actions.filter((a) => a.includes("*"))).toEqual([]);
        expect(policy.Statement.filter((s) => [s.Resource].flat().includes("*")).map((s) => s.Sid)).toEqual(["RestoreJobValidation", "DescribeNetwork"]);
        const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
        expect(bySid["RestoreJobValidation"]!.Action).toEqual(["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"]);
        expect(bySid["DescribeRestoredInstance"]).toMatchObject({ Action: "rds:DescribeDBInstances", Resource: "arn:aws:rds:us-east-1:123456789012:db:*" });
        // The app's login (DATABASE_URL), never the master user's.
        expect(bySid["ReadAppLogin"]).toMatchObject({
            Action: "secretsmanager:GetSecretValue",
            Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/DATABASE_URL-??????",
        });
        expect(JSON.stringify(policy)).not.toContain("DATABASE_MASTER");
        expect(bySid["SecretsKeyThroughSecretsManager"]).toEqual({
            Sid: "SecretsKeyThroughSecretsManager",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            // The secrets key by its alias (roles exist before the keys they name, in a DR rebuild).
            Resource: "arn:aws:kms:us-east-1:123456789012:key/*",
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }, "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/myapp/production/secrets" } },
        });
        expect(bySid["OwnLogGroup"]!.Resource).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${name}:*`);
        expect(policy.Statement.map((s) => s.Sid)).toEqual([
            "RestoreJobValidation",
            "DescribeRestoredInstance",
            "ReadAppLogin",
            "SecretsKeyThroughSecretsManager",
            "OwnLogGroup",
            "DescribeNetwork",
            "CreateNetworkInterfaces",
            "ManageNetworkInterfaces",
        ]);
    });
});

describe("staging backups", () => {
    const q = PlanQuery.of("staging");
    it("keeps 7 days in its own region: no copy, no lock, no automated-backup replication, no restore test", () => {
        expect((q.one(PLAN).inputs["rules"] as Array<Record<string, unknown>>)[0]).toMatchObject({ lifecycle: { deleteAfter: 7 }, copyActions: [] });
        expect(q.ofType(LOCK)).toEqual([]);
        expect(q.ofType(DR_BACKUPS)).toEqual([]);
        expect(q.ofType("aws:backup/restoreTestingPlan:RestoreTestingPlan")).toEqual([]);
    });

    it("has no restore validation: no function, rule, role or log group for it", () => {
        expect(q.ofType("ops:backup:RestoreValidation")).toEqual([]);
        expect(q.resources.filter((r) => r.name.includes("restore-validation")).map((r) => r.type)).toEqual([]);
        expect(q.plan.outputs["restoreValidationFunction"]).toBeUndefined();
    });
});

describe.each([
    { stack: "production", env: "production", nodes: 2, multiAz: true, nodeType: "cache.r7g.large", snapshots: 7 },
    { stack: "staging", env: "staging", nodes: 1, multiAz: false, nodeType: "cache.t4g.small", snapshots: 1 },
])("the $stack Redis", ({ stack, env, nodes, multiAz, nodeType, snapshots }) => {
    const q = PlanQuery.of(stack).withoutStandby();
    const redis = q.one(REDIS);
    it("is encrypted at rest and in transit, behind a rotatable AUTH token, in the isolated subnets", () => {
        expect(redis.inputs).toMatchObject({
            replicationGroupId: `myapp-${env}`,
            engine: "redis",
            engineVersion: "7.1",
            nodeType,
            numCacheClusters: nodes,
            automaticFailoverEnabled: multiAz,
            multiAzEnabled: multiAz,
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: "[secret]",
            authTokenUpdateStrategy: "ROTATE",
            snapshotRetentionLimit: snapshots,
            snapshotWindow: "02:00-03:00",
            maintenanceWindow: "sun:06:30-sun:07:30",
        });
        expect(redis.inputs["kmsKeyId"]).toMatch(/^arn:aws:kms:us-east-1:/);
        const group = q.one("aws:elasticache/subnetGroup:SubnetGroup");
        expect(group.inputs["subnetIds"]).toEqual(q.ofType("aws:ec2/subnet:Subnet").filter((s) => /-isolated-\d$/.test(s.name)).map((s) => s.id));
        const token = q.one("random:index/randomPassword:RandomPassword", `myapp-${env}-auth-token`);
        expect(token.inputs).toMatchObject({ length: 64, special: false, keepers: { version: "1" } });
    });
});

describe.each([
    { stack: "production", env: "production", replica: true, noncurrent: 90 },
    { stack: "staging", env: "staging", replica: false, noncurrent: 30 },
])("the $stack files bucket (runbook 3.9)", ({ stack, env, replica, noncurrent }) => {
    const q = PlanQuery.of(stack).withoutStandby();
    const buckets = [q.one(BUCKET, `myapp-${env}-files`), ...(replica ? [q.one(BUCKET, `myapp-${env}-files-replica`)] : [])];
    const forBucket = (type: string, b: PlannedResource): PlannedResource => {
        const found = q.ofType(type).filter((r) => r.inputs["bucket"] === b.id);
        expect(found).toHaveLength(1);
        return found[0]!;
    };

    it.each(buckets.map((b) => [b.name, b] as const))("%s is versioned, KMS-encrypted, private, owner-enforced, TLS-only, with the lifecycle policy", (_n, b) => {
        expect(forBucket("aws:s3/bucketVersioning:BucketVersioning", b).inputs["versioningConfiguration"]).toEqual({ status: "Enabled" });
        const sse = forBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", b).inputs["rules"] as Array<Record<string, Record<string, string>>>;
        expect(sse[0]!["applyServerSideEncryptionByDefault"]!["sseAlgorithm"]).toBe("aws:kms");
        expect(sse[0]!["applyServerSideEncryptionByDefault"]!["kmsMasterKeyId"]).toMatch(/^arn:aws:kms:/);
        expect(forBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b).inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(forBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls", b).inputs["rule"]).toEqual({ objectOwnership: "BucketOwnerEnforced" });
        const policy = JSON.parse(String(forBucket("aws:s3/bucketPolicy:BucketPolicy", b).inputs["policy"])) as { Statement: Array<Record<string, unknown>> };
        expect(policy.Statement.map((s) => [s["Effect"], s["Condition"]])).toEqual([
            ["Deny", { Bool: { "aws:SecureTransport": "false" } }],
            ["Deny", { NumericLessThan: { "s3:TlsVersion": "1.2" } }],
        ]);
        expect(forBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", b).inputs["rules"]).toEqual([
            { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: noncurrent } },
            { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ]);
    });

    it(replica ? "replicates every object to the DR region within 15 minutes" : "does not replicate (staging)", () => {
        const configs = q.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        if (!replica) {
            expect(configs).toEqual([]);
            return;
        }
        expect(buckets[1]!.provider).toBe(drProvider(stack, "us-west-2"));
        const rule = (configs[0]!.inputs["rules"] as Array<Record<string, unknown>>)[0]!;
        expect(rule).toMatchObject({
            status: "Enabled",
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            destination: { bucket: `arn:aws:s3:::myapp-${env}-files-us-west-2`, replicationTime: { status: "Enabled", time: { minutes: 15 } } },
        });
        expect((rule["destination"] as Record<string, Record<string, string>>)["encryptionConfiguration"]!["replicaKmsKeyId"]).toMatch(/^arn:aws:kms:us-west-2:/);
    });
});

describe.each(["production-dr", "production-dr-drill"])("%s copies nothing into the failed region (copies resume at failback)", (stack) => {
    it("has one backup vault, in us-west-2, no automated-backups replication, no files replica", () => {
        const q = PlanQuery.of(stack);
        expect(q.ofType(VAULT).map((v) => v.provider)).toEqual([`urn:pulumi:${stack}::ops::pulumi:providers:aws::myapp-us-west-2`]);
        expect(q.ofType(DR_BACKUPS)).toEqual([]);
        expect(q.ofType(BUCKET).filter((b) => /replica/.test(b.name))).toEqual([]);
    });
});

describe("production-dr's database", () => {
    it("is the standby's promoted replica, found by its identifier: the rebuild creates none", () => {
        const q = PlanQuery.of("production-dr");
        expect(q.ofType(RDS)).toEqual([]);
        expect(q.plan.outputs["databaseIdentifier"]).toBe("myapp-production-dr");
        expect(q.plan.outputs["databaseAddress"]).toBe("myapp-production-dr.123456789012.us-west-2.rds.amazonaws.com");
    });
});

describe("protection of stateful resources", () => {
    const STATEFUL = [RDS, REDIS, BUCKET, VAULT, LOCK, DR_BACKUPS];
    it.each(["production", "production-dr"])("%s: every stateful data resource has protect and retain-on-delete, and RDS deletion protection", (stack) => {
        const q = PlanQuery.of(stack).withoutStandby();
        const data = new Set(DATA_COMPONENTS.flatMap((t) => under(q, t)).map((r) => r.urn));
        const stateful = q.resources.filter((r) => STATEFUL.includes(r.type) && data.has(r.urn));
        // production-dr: no database of its own, no DR vault and lock, no replica bucket, no backups replication.
        expect(stateful.length).toBe(stack === "production" ? 9 : STATEFUL_IN_REBUILD);
        expect(stateful.filter((r) => !r.protect || !r.retainOnDelete).map((r) => r.name)).toEqual([]);
        for (const db of q.ofType(RDS)) expect(db.inputs["deletionProtection"]).toBe(true);
    });

    it("staging's opt-out is one intent: nothing stateful is protected there", () => {
        const q = PlanQuery.of("staging");
        expect(q.resources.filter((r) => [RDS, REDIS, VAULT].includes(r.type)).map((r) => r.protect)).toEqual([false, false, false, false]);
    });
});

describe("providers", () => {
    it.each(["production", "production-dr", "staging"])("%s: every AWS resource of the data layer names an explicit provider", (stack) => {
        const q = PlanQuery.of(stack).withoutStandby();
        const aws = DATA_COMPONENTS.flatMap((t) => under(q, t)).filter((r) => r.type.startsWith("aws:"));
        expect(aws.length).toBeGreaterThan(15);
        expect(aws.filter((r) => r.provider === null).map((r) => r.name)).toEqual([]);
    });
});

describe.each(["dev", PREVIEW_STACK])("%s keeps the in-cluster stores", (stack) => {
    it("has no RDS, ElastiCache, AWS Backup or files bucket", () => {
        const q = PlanQuery.of(stack).withoutStandby();
        expect(q.resources.filter((r) => /^aws:(rds|elasticache|backup)\//.test(r.type) || DATA_COMPONENTS.includes(r.type)).map((r) => r.type)).toEqual([]);
    });
});
