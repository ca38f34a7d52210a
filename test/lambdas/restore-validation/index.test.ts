import * as backupSdk from "@aws-sdk/client-backup";
import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from "@aws-sdk/client-backup";
import * as rdsSdk from "@aws-sdk/client-rds";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import * as smSdk from "@aws-sdk/client-secrets-manager";
import { DecryptionFailure, GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { ConnectParams, RestoreJobEvent, ValidationDeps, checkOptionsFromEnv, dbIdentifierOf, validate } from "../../../lambdas/restore-validation";
import type { CheckSession } from "../../../lambdas/restore-validation/checks";
import { FakePackage, lambdaWithEnv, withEnv } from "../lambdaEnv";

const PLAN = "arn:aws:backup:us-east-1:123456789012:restore-testing-plan:myapp_production_weekly-0a1b2c3d";
const OTHER_PLAN = "arn:aws:backup:us-east-1:123456789012:restore-testing-plan:someone_else-99999999";
const RESTORED = "arn:aws:rds:us-east-1:123456789012:db:awsbackup-restore-test-abc123";
const HOST = "awsbackup-restore-test-abc123.cxyz.us-east-1.rds.amazonaws.com";
const APP = "myapp/production/DATABASE_URL";
const MASTER = "myapp/production/DATABASE_MASTER";
/** DATABASE_URL now (after a rotation to the clone) and before it. */
const CURRENT = "postgresql://myapp_app_clone:new%27pw@myapp-production.cxyz.us-east-1.rds.amazonaws.com:5432/app?sslmode=require";
const PREVIOUS = "postgresql://myapp_app:old-pw@myapp-production.cxyz.us-east-1.rds.amazonaws.com:5432/app?sslmode=require";

/** PostgreSQL's refusal of a password (SQLSTATE 28P01), as pg reports it. */
function passwordRefused(user: string): Error {
    return Object.assign(new Error(`password authentication failed for user "${user}"`), { code: "28P01" });
}

/** A PostgreSQL stand-in answering exactly the checks' statements, with the answers a test sets. */
class FakeRestoredDatabase {
    ssl = true;
    tables = 12;
    rows: Record<string, number> = { users: 5000 };
    /** When set, connecting fails with this message. */
    down?: string;
    /** The passwords the restored roles have (the snapshot's). */
    passwords: Record<string, string> = { myapp_app_clone: "new'pw", myapp_app: "old-pw" };
    readonly connections: ConnectParams[] = [];
    readonly statements: string[] = [];
    ended = 0;

    readonly connect = async (p: ConnectParams): Promise<CheckSession> => {
        this.connections.push(p);
        if (this.down) throw new Error(this.down);
        if (this.passwords[p.user] !== p.password) throw passwordRefused(p.user);
        return {
            escapeIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
            end: async () => {
                this.ended++;
            },
            query: async (sql, params) => {
                this.statements.push(sql);
                if (sql === "SELECT 1 AS ok") return { rows: [{ ok: 1 }] };
                if (sql.startsWith("SELECT ssl FROM pg_stat_ssl")) return { rows: [{ ssl: this.ssl }] };
                if (sql.includes("FROM information_schema.tables")) {
                    expect(params).toEqual(["public"]);
                    return { rows: [{ tables: this.tables }] };
                }
                const m = /^SELECT count\(\*\)::bigint AS n FROM "public"\."([^"]+)"$/.exec(sql);
                if (m) {
                    if (!(m[1]! in this.rows)) throw new Error(`relation "public.${m[1]}" does not exist`);
                    return { rows: [{ n: String(this.rows[m[1]!]) }] };
                }
                throw new Error(`FakeRestoredDatabase does not understand: ${sql}`);
            },
        };
    };
}

function event(detail: Partial<RestoreJobEvent["detail"]> = {}): RestoreJobEvent {
    return {
        source: "aws.backup",
        "detail-type": "Restore Job State Change",
        detail: { restoreJobId: "job-1", status: "COMPLETED", resourceType: "RDS", restoreTestingPlanArn: PLAN, createdResourceArn: RESTORED, ...detail },
    };
}

// Every client instance of these classes answers from these mocks; each test starts them afresh.
const backup = mockClient(BackupClient);
const rds = mockClient(RDSClient);
const sm = mockClient(SecretsManagerClient);

function setup(opts: { minRows?: { table: string; rows: number } } = {}) {
    for (const m of [backup, rds, sm]) m.reset();
    backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-1" }).resolves({ RestoreJobId: "job-1", Status: "COMPLETED", CreatedResourceArn: RESTORED, CreatedBy: { RestoreTestingPlanArn: PLAN } });
    backup.on(PutRestoreValidationResultCommand).resolves({});
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: "awsbackup-restore-test-abc123" }).resolves({
        DBInstances: [{ DBInstanceIdentifier: "awsbackup-restore-test-abc123", DBInstanceStatus: "available", DBName: "app", Endpoint: { Address: HOST, Port: 5432 } }],
    });
    sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSCURRENT" }).resolves({ SecretString: CURRENT });
    sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSPREVIOUS" }).resolves({ SecretString: PREVIOUS });
    const pg = new FakeRestoredDatabase();
    const logs: Array<Record<string, unknown>> = [];
    const deps: ValidationDeps = {
        backup: new BackupClient({ region: "us-east-1" }),
        rds: new RDSClient({ region: "us-east-1" }),
        sm: new SecretsManagerClient({ region: "us-east-1" }),
        connect: pg.connect,
        restoreTestingPlanArn: PLAN,
        credentialsSecretId: APP,
        databaseName: "fallback",
        checks: { schema: "public", ...(opts.minRows ? { minRows: opts.minRows } : {}) },
        metric: { namespace: "myapp/Backup", restoreTestingPlanName: "myapp_production_weekly" },
        now: () => new Date("2026-11-30T09:00:00Z"),
        log: (r) => logs.push(r),
    };
    const recorded = () => backup.commandCalls(PutRestoreValidationResultCommand).map((c) => c.args[0].input);
    return { backup, rds, sm, pg, deps, logs, recorded };
}

describe("restore test validation", () => {
    it("connects to the restored instance over TLS as the app (DATABASE_URL), runs the checks and records SUCCESSFUL", async () => {
        const { pg, deps, recorded, logs } = setup({ minRows: { table: "users", rows: 1000 } });
        const out = await validate(event(), deps);

        expect(out).toMatchObject({ result: "SUCCESSFUL", restoreJobId: "job-1" });
        expect(pg.connections).toEqual([{ host: HOST, port: 5432, database: "app", user: "myapp_app_clone", password: "new'pw" }]);
        expect(pg.statements).toHaveLength(4);
        expect(pg.ended).toBe(1);
        expect(recorded()).toEqual([
            {
                RestoreJobId: "job-1",
                ValidationStatus: "SUCCESSFUL",
                ValidationStatusMessage: "All checks passed: SELECT 1; TLS; 12 tables in schema public; 5000 rows in public.users.",
            },
        ]);
        // The log line names the job and the result, never the password.
        expect(logs).toHaveLength(1);
        expect(logs[0]).toMatchObject({ restoreJobId: "job-1", validationStatus: "SUCCESSFUL", restoredResource: RESTORED });
        // ...and is the metric an alarm can watch, in CloudWatch's embedded metric format.
        expect(logs[0]).toMatchObject({
            _aws: {
                Timestamp: Date.parse("2026-11-30T09:00:00Z"),
                CloudWatchMetrics: [{ Namespace: "myapp/Backup", Dimensions: [["RestoreTestingPlan"]], Metrics: [{ Name: "RestoreValidationFailed", Unit: "Count" }] }],
            },
            RestoreTestingPlan: "myapp_production_weekly",
            RestoreValidationFailed: 0,
        });
        expect(JSON.stringify(logs)).not.toContain("new'pw");
    });

    it("logs in with AWSPREVIOUS when the snapshot predates the last rotation (its role kept its password through it)", async () => {
        const { pg, deps, recorded } = setup();
        pg.passwords = { myapp_app_clone: "the clone's password before the rotation", myapp_app: "old-pw" };
        expect(await validate(event(), deps)).toMatchObject({ result: "SUCCESSFUL" });
        expect(pg.connections.map((c) => c.user)).toEqual(["myapp_app_clone", "myapp_app"]);
        expect(recorded()[0]).toMatchObject({ ValidationStatus: "SUCCESSFUL" });
    });

    it("records FAILED naming each refused login when neither version's password works, never the passwords", async () => {
        const { pg, deps } = setup();
        pg.passwords = {};
        const out = await validate(event(), deps);
        expect(out).toMatchObject({
            result: "FAILED",
            message: `No login was accepted by ${HOST}: myapp_app_clone (${APP} AWSCURRENT): password authentication failed for user "myapp_app_clone"; myapp_app (${APP} AWSPREVIOUS): password authentication failed for user "myapp_app"`,
        });
        expect(JSON.stringify(out)).not.toMatch(/new'pw|old-pw/);
    });

    it("tries only AWSCURRENT on a secret never rotated (no AWSPREVIOUS), and fails on any other error reading it", async () => {
        const a = setup();
        a.sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSPREVIOUS" }).rejects(new ResourceNotFoundException({ message: "no such version", $metadata: {} }));
        a.pg.passwords = {};
        expect(await validate(event(), a.deps)).toMatchObject({ result: "FAILED", message: expect.stringMatching(/^No login was accepted by \S+: myapp_app_clone \(\S+ AWSCURRENT\): password authentication failed for user "myapp_app_clone"$/) });

        const b = setup();
        b.sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSPREVIOUS" }).rejects(new DecryptionFailure({ message: "KMS said no", $metadata: {} }));
        expect(await validate(event(), b.deps)).toMatchObject({ result: "FAILED", message: "KMS said no" });
        expect(b.pg.connections).toEqual([]);
    });

    it("records FAILED on a credentials secret that is not a DATABASE_URL (the master user's JSON included), or holds no string", async () => {
        const notUrl = (id: string) => `The credentials secret ${id} (AWSCURRENT) is not a DATABASE_URL (postgresql://user:password@host:port/database).`;
        const a = setup();
        a.sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSCURRENT" }).resolves({ SecretString: "user=app password=x" });
        expect(await validate(event(), a.deps)).toMatchObject({ result: "FAILED", message: notUrl(APP) });
        const b = setup();
        b.sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSCURRENT" }).resolves({ SecretBinary: new Uint8Array([1]) });
        expect(await validate(event(), b.deps)).toMatchObject({ result: "FAILED", message: `The credentials secret ${APP} (AWSCURRENT) has no string value.` });
        const c = setup();
        c.sm.on(GetSecretValueCommand, { SecretId: MASTER, VersionStage: "AWSCURRENT" }).resolves({ SecretString: JSON.stringify({ username: "app_admin", password: "master-pw" }) });
        expect(await validate(event(), { ...c.deps, credentialsSecretId: MASTER })).toMatchObject({ result: "FAILED", message: notUrl(MASTER) });
        expect(c.pg.connections).toEqual([]);
    });

    it.each([
        ["no tables in the schema", (pg: FakeRestoredDatabase) => (pg.tables = 0), "Check failed: has the app's tables (0 tables in schema public)."],
        ["too few rows", (pg: FakeRestoredDatabase) => (pg.rows["users"] = 3), "Check failed: users holds at least 1000 rows (3 rows in public.users)."],
        ["the table missing", (pg: FakeRestoredDatabase) => delete pg.rows["users"], 'Check failed: users holds at least 1000 rows (relation "public.users" does not exist).'],
        ["a session without TLS", (pg: FakeRestoredDatabase) => (pg.ssl = false), "Check failed: the session is encrypted (no TLS)."],
    ])("records FAILED with the failing check on %s", async (_what, breakIt, message) => {
        const { pg, deps, recorded } = setup({ minRows: { table: "users", rows: 1000 } });
        breakIt(pg);
        const out = await validate(event(), deps);
        expect(out).toMatchObject({ result: "FAILED", message });
        expect(recorded()).toEqual([{ RestoreJobId: "job-1", ValidationStatus: "FAILED", ValidationStatusMessage: message }]);
        expect(pg.ended).toBe(1);
    });

    it("records FAILED when the restored instance does not answer, and counts it in the metric", async () => {
        const { pg, deps, recorded, logs } = setup();
        pg.down = "timeout expired";
        const out = await validate(event(), deps);
        const message = `Could not connect to ${HOST} over TLS as myapp_app_clone: timeout expired`;
        expect(out).toMatchObject({ result: "FAILED", message, checks: [] });
        expect(recorded()).toEqual([{ RestoreJobId: "job-1", ValidationStatus: "FAILED", ValidationStatusMessage: message }]);
        expect(logs).toEqual([expect.objectContaining({ validationStatus: "FAILED", RestoreValidationFailed: 1 })]);
    });

    it("records FAILED when the restored instance cannot be found or the credentials cannot be read", async () => {
        const a = setup();
        a.rds.on(DescribeDBInstancesCommand).rejects(new Error("DBInstanceNotFound: awsbackup-restore-test-abc123"));
        expect(await validate(event(), a.deps)).toMatchObject({ result: "FAILED", message: "DBInstanceNotFound: awsbackup-restore-test-abc123" });
        expect(a.pg.connections).toEqual([]);

        const b = setup();
        b.sm.on(GetSecretValueCommand).resolves({ SecretString: "{}" });
        expect(await validate(event(), b.deps)).toMatchObject({ result: "FAILED", message: `The credentials secret ${APP} (AWSCURRENT) is not a DATABASE_URL (postgresql://user:password@host:port/database).` });
        expect(b.recorded()).toHaveLength(1);
    });

    it.each([
        ["another plan's restore job", event({ restoreTestingPlanArn: OTHER_PLAN })],
        ["a manual restore (no plan)", event({ restoreTestingPlanArn: undefined })],
        ["a restore job not yet COMPLETED", event({ status: "RUNNING" })],
        ["an event without a job", event({ restoreJobId: undefined })],
    ])("ignores %s: no AWS call, no connection, no result recorded", async (_what, e) => {
        const { backup, pg, deps } = setup();
        expect(await validate(e, deps)).toMatchObject({ result: "ignored" });
        expect(backup.calls()).toHaveLength(0);
        expect(pg.connections).toEqual([]);
    });

    it("ignores a job whose event claims this plan when AWS Backup says another created it", async () => {
        const { backup, pg, deps, recorded } = setup();
        backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: "job-1", Status: "COMPLETED", CreatedResourceArn: RESTORED, CreatedBy: { RestoreTestingPlanArn: OTHER_PLAN } });
        expect(await validate(event(), deps)).toMatchObject({ result: "ignored" });
        expect(recorded()).toEqual([]);
        expect(pg.connections).toEqual([]);
    });

    it("throws, for Lambda to retry, when the result cannot be recorded", async () => {
        const { backup, deps } = setup();
        backup.on(PutRestoreValidationResultCommand).rejects(new Error("ThrottlingException"));
        await expect(validate(event(), deps)).rejects.toThrow("ThrottlingException");
    });
});

describe("restore validation helpers", () => {
    it("reads the DB instance identifier from the restored resource's ARN", () => {
        expect(dbIdentifierOf(RESTORED)).toBe("awsbackup-restore-test-abc123");
        expect(() => dbIdentifierOf("arn:aws:rds:us-east-1:123456789012:cluster:c1")).toThrow("is not an RDS DB instance ARN");
    });

    it("takes the schema and the optional row threshold from the environment", () => {
        expect(checkOptionsFromEnv({})).toEqual({ schema: "public" });
        expect(checkOptionsFromEnv({ EXPECTED_SCHEMA: "app", MIN_ROWS_TABLE: "users", MIN_ROWS: "100" })).toEqual({ schema: "app", minRows: { table: "users", rows: 100 } });
        expect(checkOptionsFromEnv({ MIN_ROWS_TABLE: "users", MIN_ROWS: "lots" })).toEqual({ schema: "public" });
    });
});

describe("restore validation edges", () => {
    it("validates nothing while no plan is configured, even an event that names no plan either", async () => {
        const { backup, deps, recorded } = setup();
        backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-1" }).resolves({ RestoreJobId: "job-1", Status: "COMPLETED", CreatedResourceArn: RESTORED, CreatedBy: { RestoreTestingPlanArn: "" } });
        expect(await validate(event({ restoreTestingPlanArn: "" }), { ...deps, restoreTestingPlanArn: "" })).toEqual({ result: "ignored", reason: "no restore testing plan is configured (RESTORE_TESTING_PLAN_ARN)" });
        expect(recorded()).toEqual([]);
    });

    it("says why it ignores an event, and logs the reason", async () => {
        const { deps, logs, recorded } = setup();
        const reasons = [];
        for (const d of [{ restoreJobId: "" }, { restoreTestingPlanArn: OTHER_PLAN }, { restoreTestingPlanArn: undefined }, { status: "RUNNING" }, { status: undefined }]) {
            const out = await validate(event(d), deps);
            reasons.push(out.result === "ignored" ? out.reason : out.result);
        }
        expect(reasons).toEqual([
            "the event names no restore job",
            `restore job job-1 belongs to ${OTHER_PLAN}`,
            "restore job job-1 belongs to no restore testing plan",
            "restore job job-1 is RUNNING, not COMPLETED",
            "restore job job-1 is in no state, not COMPLETED",
        ]);
        expect(logs).toEqual(reasons.map((ignored) => ({ ignored })));
        expect(recorded()).toEqual([]);
    });

    it("ignores a job AWS Backup names no creator of", async () => {
        const { backup, deps } = setup();
        backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-1" }).resolves({ RestoreJobId: "job-1", Status: "COMPLETED", CreatedResourceArn: RESTORED });
        expect(await validate(event(), deps)).toEqual({ result: "ignored", reason: `restore job job-1 was not created by ${PLAN}` });
    });

    it("records FAILED on a job that names no restored resource", async () => {
        const { backup, deps, recorded } = setup();
        backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-1" }).resolves({ RestoreJobId: "job-1", Status: "COMPLETED", CreatedBy: { RestoreTestingPlanArn: PLAN } });
        expect(await validate(event(), deps)).toMatchObject({ result: "FAILED", message: "Restore job job-1 names no restored resource." });
        expect(recorded()).toEqual([{ RestoreJobId: "job-1", ValidationStatus: "FAILED", ValidationStatusMessage: "Restore job job-1 names no restored resource." }]);
    });

    it.each([
        ["no instance", {}, "status unknown"],
        ["an instance without an endpoint yet", { DBInstances: [{ DBInstanceStatus: "creating" }] }, "status creating"],
        ["an endpoint without an address", { DBInstances: [{ DBInstanceStatus: "modifying", Endpoint: { Port: 5432 } }] }, "status modifying"],
    ])("records FAILED on %s", async (_what, answer, status) => {
        const { rds, deps, pg } = setup();
        rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: "awsbackup-restore-test-abc123" }).resolves(answer);
        expect(await validate(event(), deps)).toMatchObject({ result: "FAILED", message: `The restored instance awsbackup-restore-test-abc123 has no endpoint (${status}).` });
        expect(pg.connections).toEqual([]);
    });

    it("connects to the instance's port, 5432 when it names none, and to the fallback database when it names none", async () => {
        const a = setup();
        a.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: "available", Endpoint: { Address: HOST, Port: 6543 } }] });
        await validate(event(), a.deps);
        const b = setup();
        b.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: "available", DBName: "app", Endpoint: { Address: HOST } }] });
        await validate(event(), b.deps);
        expect([a.pg.connections[0], b.pg.connections[0]].map((c) => [c?.port, c?.database])).toEqual([
            [6543, "fallback"],
            [5432, "app"],
        ]);
    });

    it("tries the next login on PostgreSQL's invalid_authorization_specification (28000) too", async () => {
        const { deps, pg } = setup();
        const connect = pg.connect;
        let first = true;
        deps.connect = async (p) => {
            if (first) {
                first = false;
                throw Object.assign(new Error('no pg_hba.conf entry for user "myapp_app_clone"'), { code: "28000" });
            }
            return connect(p);
        };
        expect(await validate(event(), deps)).toMatchObject({ result: "SUCCESSFUL" });
        expect(pg.connections.map((c) => c.user)).toEqual(["myapp_app"]);
    });

    it("does not skip a missing AWSCURRENT: only a missing AWSPREVIOUS is a secret never rotated", async () => {
        const { sm, deps, pg } = setup();
        sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSCURRENT" }).rejects(new ResourceNotFoundException({ message: "no current version", $metadata: {} }));
        expect(await validate(event(), deps)).toMatchObject({ result: "FAILED", message: "no current version" });
        expect(pg.connections).toEqual([]);
    });

    it("takes postgres:// URLs, and refuses anything else that merely contains one", async () => {
        const a = setup();
        a.sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSCURRENT" }).resolves({ SecretString: CURRENT.replace("postgresql://", "postgres://") });
        expect(await validate(event(), a.deps)).toMatchObject({ result: "SUCCESSFUL" });
        const b = setup();
        b.sm.on(GetSecretValueCommand, { SecretId: APP, VersionStage: "AWSCURRENT" }).resolves({ SecretString: `x${CURRENT}` });
        expect(await validate(event(), b.deps)).toMatchObject({
            result: "FAILED",
            message: `The credentials secret ${APP} (AWSCURRENT) is not a DATABASE_URL (postgresql://user:password@host:port/database).`,
        });
    });

    it("keeps the recorded message to 1000 characters, cutting longer ones with an ellipsis", async () => {
        const at = async (length: number) => {
            const { deps, pg, recorded } = setup();
            const prefix = `Could not connect to ${HOST} over TLS as myapp_app_clone: `;
            pg.down = "x".repeat(length - prefix.length);
            await validate(event(), deps);
            return recorded()[0]!.ValidationStatusMessage!;
        };
        const exact = await at(1000);
        expect([exact.length, exact.endsWith("x")]).toEqual([1000, true]);
        const cut = await at(1001);
        expect([cut.length, cut.endsWith("x…")]).toEqual([1000, true]);
    });

    it("logs no metric without a metric namespace", async () => {
        const { deps, logs } = setup();
        delete deps.metric;
        await validate(event(), deps);
        expect(Object.keys(logs[0]!)).toEqual(["restoreJobId", "restoredResource", "validationStatus", "message", "checks"]);
    });
});

describe("restore validation inputs", () => {
    it("reads only an RDS DB instance ARN, whole", () => {
        expect(dbIdentifierOf("arn:aws-us-gov:rds:us-gov-west-1:123456789012:db:restored-1")).toBe("restored-1");
        for (const arn of [`x${RESTORED}`, `${RESTORED}\nmore`]) expect(() => dbIdentifierOf(arn)).toThrow(`The restored resource ${arn} is not an RDS DB instance ARN.`);
    });

    it("sets a row threshold only with a table and a positive whole number of rows", () => {
        expect(checkOptionsFromEnv({ MIN_ROWS_TABLE: "users", MIN_ROWS: "1" })).toEqual({ schema: "public", minRows: { table: "users", rows: 1 } });
        for (const env of [{ MIN_ROWS_TABLE: "users", MIN_ROWS: "0" }, { MIN_ROWS_TABLE: "users", MIN_ROWS: "1.5" }, { MIN_ROWS_TABLE: "users" }, { MIN_ROWS: "5" }, { MIN_ROWS_TABLE: "", MIN_ROWS: "5" }]) {
            expect(checkOptionsFromEnv(env)).toEqual({ schema: "public" });
        }
        expect(checkOptionsFromEnv({ EXPECTED_SCHEMA: "" })).toEqual({ schema: "public" });
    });
});

describe("the handler", () => {
    /** `pg`'s Client, connecting to the fake restored database, recording its settings. */
    function pgPackage(pg: FakeRestoredDatabase, configs: Record<string, unknown>[]): FakePackage {
        class Client {
            private session?: CheckSession;
            constructor(private readonly config: ConnectParams & Record<string, unknown>) {
                configs.push(config);
            }
            async connect() {
                this.session = await pg.connect(this.config);
            }
            async query(sql: string, values?: unknown[]) {
                return this.session!.query(sql, values);
            }
            escapeIdentifier(name: string) {
                return this.session!.escapeIdentifier(name);
            }
            escapeLiteral(value: string) {
                return `'${value}'`;
            }
            async end() {
                await this.session?.end();
            }
        }
        return { name: "pg", module: jest.requireActual("pg"), classes: { Client } };
    }

    async function run(env: Record<string, string>) {
        const { pg, rds } = setup({ minRows: { table: "users", rows: 1 } });
        rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: "available", Endpoint: { Address: HOST, Port: 5432 } }] });
        const configs: Record<string, unknown>[] = [];
        const sdk = [
            { name: "@aws-sdk/client-backup", module: backupSdk, clients: {} },
            { name: "@aws-sdk/client-rds", module: rdsSdk, clients: {} },
            { name: "@aws-sdk/client-secrets-manager", module: smSdk, clients: {} },
        ];
        const { handler } = lambdaWithEnv<typeof import("../../../lambdas/restore-validation")>("restore-validation", env, [...sdk, pgPackage(pg, configs)]);
        const written: string[] = [];
        const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
        try {
            const out = await withEnv(env, () => handler(event()));
            return { out, configs, records: written.map((w) => JSON.parse(w) as Record<string, unknown>), raw: written, statements: pg.statements };
        } finally {
            spy.mockRestore();
        }
    }

    it("validates the plan's restores with the app's secret, over verified TLS with 10 s to connect and 60 s a statement, and publishes the metric", async () => {
        const env = { RESTORE_TESTING_PLAN_ARN: PLAN, APP_SECRET_ID: APP, METRIC_NAMESPACE: "myapp/Backup", RESTORE_TESTING_PLAN_NAME: "weekly", EXPECTED_SCHEMA: "public", MIN_ROWS_TABLE: "users", MIN_ROWS: "10" };
        const { out, configs, records, raw, statements } = await run(env);
        expect(out).toMatchObject({ result: "SUCCESSFUL" });
        expect(configs).toEqual([
            { host: HOST, port: 5432, database: "postgres", user: "myapp_app_clone", password: "new'pw", ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 10000, statement_timeout: 60000 },
        ]);
        expect(statements.at(-1)).toBe('SELECT count(*)::bigint AS n FROM "public"."users"');
        expect(raw.map((w) => w.endsWith("}\n"))).toEqual([true]);
        expect(records[0]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: "myapp/Backup" }] }, RestoreTestingPlan: "weekly", RestoreValidationFailed: 0 });
    });

    it("takes DATABASE_NAME as the fallback database, and names no plan without RESTORE_TESTING_PLAN_NAME", async () => {
        const { configs, records } = await run({ RESTORE_TESTING_PLAN_ARN: PLAN, APP_SECRET_ID: APP, DATABASE_NAME: "appdb", METRIC_NAMESPACE: "ns" });
        expect(configs.map((c) => c["database"])).toEqual(["appdb"]);
        expect(records[0]).toMatchObject({ RestoreTestingPlan: "" });
    });

    it("reads the credentials of the secret APP_SECRET_ID names, none without it", async () => {
        const a = await run({ RESTORE_TESTING_PLAN_ARN: PLAN });
        expect(a.out).toMatchObject({ result: "FAILED" });
        expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId)).toEqual([""]);
    });

    it("publishes no metric without METRIC_NAMESPACE, and validates no restore without its plan", async () => {
        const a = await run({ RESTORE_TESTING_PLAN_ARN: PLAN, APP_SECRET_ID: APP });
        expect(a.records[0]).not.toHaveProperty("_aws");
        const b = await run({ APP_SECRET_ID: APP });
        expect(b.out).toEqual({ result: "ignored", reason: "no restore testing plan is configured (RESTORE_TESTING_PLAN_ARN)" });
    });
});
