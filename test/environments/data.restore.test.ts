import * as pulumi from "@pulumi/pulumi";
import { Roles } from "../../modules/aws/roles";
import { keyRefs } from "../../modules/keys/keys";
import { composeData } from "../../environments/data";
import { stackNames } from "../../environments/names";
import { loadSettings } from "../../settings/load";
import { createAwsProviders } from "../../modules/aws/providers";
import { recordPlan } from "../../tools/plan/record";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { PlanQuery } from "../helpers/plan";
import { ROOT } from "../helpers/stacks";

const BACKUPS_ARN = "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-abc123";
const RECOVERY_POINT = "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-1eb3b5e7-9eb0-435a-a80b-108b488b0d45";

interface Captured {
    databaseUrl?: string;
    redisUrl?: string;
    master?: string;
}

/** Plans only the data layer in this process, on a stand-in network and keys: fast, and the secrets can be read. */
async function planData(stack: string, env: Record<string, string>): Promise<{ q: PlanQuery; captured: Captured }> {
    const files = readStackConfig(ROOT, stack);
    const settings = loadSettings({ project: "ops", stack, config: files.config, env });
    const captured: Captured = {};
    const plan = await recordPlan({
        project: "ops",
        stack,
        config: files.config,
        secretKeys: [],
        defaultRegion: settings.region,
        program: () => {
            const providers = createAwsProviders("myapp", {
                region: settings.region,
                drRegion: settings.drRegion,
                tags: { environment: settings.environment, project: "myapp", owner: "o", costCenter: "c" },
            });
            const key = (region: string, id: string): { arn: string } => ({ arn: `arn:aws:kms:${region}:123456789012:key/${id}` });
            const data = composeData(settings, stackNames(settings, "cloud"), {
                providers,
                network: {
                    isolatedSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
                    privateSubnetIds: ["subnet-d", "subnet-e", "subnet-f"],
                    securityGroupIds: { database: "sg-db", cache: "sg-cache", app: "sg-app" },
                },
                keys: {
                    data: key(settings.region, "data"),
                    logs: key(settings.region, "logs"),
                    secrets: key(settings.region, "secrets"),
                    dr: { data: key(settings.drRegion, "dr-data") },
                    refs: keyRefs("myapp/production", settings.region, settings.drRegion),
                },
                roles: new Roles(),
            });
            data.databaseUrl.apply((v) => (captured.databaseUrl = v));
            data.redisUrl.apply((v) => (captured.redisUrl = v));
            data.databaseMasterCredentials.apply((v) => (captured.master = v));
            return { databaseUrl: data.databaseUrl, redisUrl: data.redisUrl, databaseMasterCredentials: data.databaseMasterCredentials, ...data.outputs };
        },
    });
    return { q: new PlanQuery(plan), captured };
}

describe("restore modes → the planned RDS instance (in process)", () => {
    it("staging, mode snapshot: starts from the recovery point, and ignores the input afterwards", async () => {
        const { q } = await planData("staging", { OPS_RESTORE__MODE: "snapshot", OPS_RESTORE__SNAPSHOT_IDENTIFIER: RECOVERY_POINT });
        const db = q.one("aws:rds/instance:Instance");
        expect(db.inputs["snapshotIdentifier"]).toBe(RECOVERY_POINT);
        expect(db.inputs["restoreToPointInTime"]).toBeUndefined();
        expect(db.options["ignoreChanges"]).toEqual(["snapshotIdentifier", "restoreToPointInTime"]);
    });

    it("staging, mode replicatedBackup: point-in-time restore at the latest restorable time", async () => {
        const { q } = await planData("staging", { OPS_RESTORE__MODE: "replicatedBackup", OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: BACKUPS_ARN });
        const db = q.one("aws:rds/instance:Instance");
        expect(db.inputs["restoreToPointInTime"]).toEqual({ sourceDbInstanceAutomatedBackupsArn: BACKUPS_ARN, useLatestRestorableTime: true });
        expect(db.inputs["snapshotIdentifier"]).toBeUndefined();
    });

    it("production, mode none: neither input, and DATABASE_URL and REDIS_URL are secrets built from the resources", async () => {
        const { q, captured } = await planData("production", {});
        const db = q.one("aws:rds/instance:Instance");
        expect(db.inputs["snapshotIdentifier"]).toBeUndefined();
        expect(db.inputs["restoreToPointInTime"]).toBeUndefined();
        // Secret outputs are redacted in the plan: that is what makes them secrets.
        expect([q.plan.outputs["databaseUrl"], q.plan.outputs["redisUrl"], q.plan.outputs["databaseMasterCredentials"]]).toEqual(["[secret]", "[secret]", "[secret]"]);
        expect(captured.databaseUrl).toMatch(/^postgresql:\/\/app_admin:[A-Za-z0-9]{40}@myapp-production\.[a-f0-9]{12}\.us-east-1\.rds\.amazonaws\.com:5432\/app\?sslmode=require$/);
        expect(captured.redisUrl).toMatch(/^rediss:\/\/:[A-Za-z0-9]{64}@master\.myapp-production\.[a-f0-9]{6}\.use1\.cache\.amazonaws\.com:6379\/0$/);
        const master = JSON.parse(captured.master!) as { username: string; password: string };
        expect(master.username).toBe("app_admin");
        expect(captured.databaseUrl).toContain(`:${master.password}@`);
    });
});

describe("the production-dr-drill stack as planned by globalSetup (dr.database restoreReplicatedBackups)", () => {
    it("restores the replicated automated backups at the latest restorable time, in us-west-2, under the standby's DR data key", () => {
        const q = PlanQuery.of("production-dr-drill");
        const db = q.one("aws:rds/instance:Instance");
        expect(db.provider).toBe("urn:pulumi:production-dr-drill::ops::pulumi:providers:aws::myapp-us-west-2");
        expect(db.inputs["identifier"]).toBe("myapp-production-drill");
        expect(db.inputs["restoreToPointInTime"]).toEqual({
            sourceDbInstanceAutomatedBackupsArn: expect.stringMatching(/^arn:aws:rds:us-west-2:123456789012:auto-backup:ab-/),
            useLatestRestorableTime: true,
        });
        // A point-in-time restore keeps the backups' key (the API takes none): asking for the stack's
        // own data key would plan a replacement of the restored database on every later update.
        const own = q.ofType("aws:kms/key:Key").find((k) => k.name.endsWith("-keys-data"))!;
        expect(db.inputs["kmsKeyId"]).toMatch(/^arn:aws:kms:us-west-2:123456789012:key\//);
        expect(db.inputs["kmsKeyId"]).not.toContain(String(own.id));
        expect([db.protect, db.inputs["deletionProtection"]]).toEqual([false, false]);
        // The restore may replay a day of logs: longer than the provider's 40-minute default.
        expect(db.options["customTimeouts"]).toEqual({ create: "90m" });
    });
});

afterAll(() => pulumi.runtime.disconnect());
