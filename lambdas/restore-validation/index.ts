import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from "@aws-sdk/client-backup";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parseDatabaseUrl } from "../database-password/url";
import { pgConnector } from "../shared/postgres";
import { CheckOptions, CheckResult, CheckSession, errorText, runChecks } from "./checks";

/**
 * Validates the weekly restore test (runbook 4.1): when AWS Backup reports a restore job of this
 * stack's restore testing plan COMPLETED, connect to the restored RDS instance over TLS with the
 * app's credentials (`<app>/<environment>/DATABASE_URL`), run the checks of checks.ts, and record
 * SUCCESSFUL or FAILED on the restore job (`PutRestoreValidationResult`). Every problem with the
 * restored database (not found, no endpoint, no login, a failed check) is a FAILED validation
 * with its reason; only a failure to read or record the job itself throws, so that Lambda's
 * retries of the asynchronous invocation try again.
 *
 * Each result is also one log line in CloudWatch's embedded metric format: `RestoreValidationFailed`
 * (1 or 0) in `metric.namespace`, by `RestoreTestingPlan`, for an alarm to watch (the restore job's
 * own status stays COMPLETED when its validation fails, so AWS/Backup's NumberOfRestoreJobsFailed
 * does not count it).
 */

/** The part of an AWS Backup "Restore Job State Change" event the function reads. */
export interface RestoreJobEvent {
    source?: string;
    "detail-type"?: string;
    detail: {
        restoreJobId?: string;
        status?: string;
        resourceType?: string;
        restoreTestingPlanArn?: string;
        createdResourceArn?: string;
    };
}

/** Where to connect: what `pg` needs. */
export interface ConnectParams {
    host: string;
    port: number;
    database: string;
    user: string;
    password: string;
}

export type Connect = (params: ConnectParams) => Promise<CheckSession>;

export interface ValidationDeps {
    backup: BackupClient;
    rds: RDSClient;
    sm: SecretsManagerClient;
    connect: Connect;
    /** Only restore jobs of this plan are validated. */
    restoreTestingPlanArn: string;
    /**
     * Name or ARN of the secret to log in with: the app's DATABASE_URL (the master user's secret
     * is readable only by the rotation and the bootstrap).
     */
    credentialsSecretId: string;
    /** The database to connect to when the restored instance names none. */
    databaseName: string;
    checks: CheckOptions;
    /** Where the result is published as a metric: namespace, and the plan's name as its dimension. */
    metric?: { namespace: string; restoreTestingPlanName: string };
    log?: (record: Record<string, unknown>) => void;
    now?: () => Date;
}

export type ValidationOutcome =
    | { result: "ignored"; reason: string }
    | { result: "SUCCESSFUL" | "FAILED"; restoreJobId: string; message: string; checks: CheckResult[] };

/** The validation message AWS Backup keeps is a short string: keep it readable in the console. */
const MAX_MESSAGE = 1000;

/** `arn:aws:rds:<region>:<account>:db:<identifier>` → the identifier. */
export function dbIdentifierOf(arn: string): string {
    const m = /^arn:[^:]+:rds:[^:]*:\d*:db:(.+)$/.exec(arn);
    if (!m) throw new Error(`The restored resource ${arn} is not an RDS DB instance ARN.`);
    return m[1]!;
}

/** One way to log in: a user and password, and which version of which secret it came from. */
interface Login {
    user: string;
    password: string;
    from: string;
}

/**
 * The logins to try, in order. The app's DATABASE_URL: AWSCURRENT, then AWSPREVIOUS, because the
 * restored snapshot may predate the last rotation, whose new password it then does not know
 * (with alternating users, AWSPREVIOUS's role kept its password through that rotation).
 */
async function loginsOf(deps: ValidationDeps): Promise<Login[]> {
    const id = deps.credentialsSecretId;
    const logins: Login[] = [];
    for (const stage of ["AWSCURRENT", "AWSPREVIOUS"] as const) {
        let value: string | undefined;
        try {
            value = (await deps.sm.send(new GetSecretValueCommand({ SecretId: id, VersionStage: stage }))).SecretString;
        } catch (e) {
            // Only "no such version" is skipped: a secret without AWSPREVIOUS (never rotated).
            if (stage === "AWSPREVIOUS" && e instanceof ResourceNotFoundException) break;
            throw e;
        }
        if (value === undefined) throw new Error(`The credentials secret ${id} (${stage}) has no string value.`);
        if (!/^postgres(ql)?:\/\//.test(value)) throw new Error(`The credentials secret ${id} (${stage}) is not a DATABASE_URL (postgresql://user:password@host:port/database).`);
        const { user, password } = parseDatabaseUrl(value);
        logins.push({ user, password, from: `${id} ${stage}` });
    }
    return logins;
}

/** PostgreSQL's "invalid_password" and "invalid_authorization_specification": try the next login. */
function isLoginRefused(e: unknown): boolean {
    const code = (e as { code?: unknown }).code;
    return code === "28P01" || code === "28000";
}

/** Finds the restored instance, logs in, runs the checks. Throws on anything that stops the checks from running. */
async function checkRestored(deps: ValidationDeps, createdResourceArn: string): Promise<CheckResult[]> {
    const identifier = dbIdentifierOf(createdResourceArn);
    const described = await deps.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const instance = described.DBInstances?.[0];
    const host = instance?.Endpoint?.Address;
    if (!instance || !host) throw new Error(`The restored instance ${identifier} has no endpoint (status ${instance?.DBInstanceStatus ?? "unknown"}).`);
    const logins = await loginsOf(deps);
    let db: CheckSession | undefined;
    const refused: string[] = [];
    for (const login of logins) {
        try {
            db = await deps.connect({ host, port: instance.Endpoint?.Port ?? 5432, database: instance.DBName ?? deps.databaseName, user: login.user, password: login.password });
            break;
        } catch (e) {
            if (!isLoginRefused(e)) throw new Error(`Could not connect to ${host} over TLS as ${login.user}: ${errorText(e)}`);
            refused.push(`${login.user} (${login.from}): ${errorText(e)}`);
        }
    }
    if (!db) throw new Error(`No login was accepted by ${host}: ${refused.join("; ")}`);
    try {
        return await runChecks(db, deps.checks);
    } finally {
        await db.end().catch(() => undefined);
    }
}

/** Validates one restore job event; see the module comment. */
export async function validate(event: RestoreJobEvent, deps: ValidationDeps): Promise<ValidationOutcome> {
    const log = deps.log ?? (() => undefined);
    const d = event.detail ?? {};
    const restoreJobId = d.restoreJobId;
    // The rule filters on the plan already; a stray or replayed event must not validate another plan's restore.
    if (!deps.restoreTestingPlanArn) return ignore(log, "no restore testing plan is configured (RESTORE_TESTING_PLAN_ARN)");
    if (!restoreJobId) return ignore(log, "the event names no restore job");
    if (d.restoreTestingPlanArn !== deps.restoreTestingPlanArn) return ignore(log, `restore job ${restoreJobId} belongs to ${d.restoreTestingPlanArn ?? "no restore testing plan"}`);
    if (d.status !== "COMPLETED") return ignore(log, `restore job ${restoreJobId} is ${d.status ?? "in no state"}, not COMPLETED`);

    const job = await deps.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
    if (job.CreatedBy?.RestoreTestingPlanArn !== deps.restoreTestingPlanArn) return ignore(log, `restore job ${restoreJobId} was not created by ${deps.restoreTestingPlanArn}`);

    let checks: CheckResult[] = [];
    let message: string;
    let ok: boolean;
    try {
        if (!job.CreatedResourceArn) throw new Error(`Restore job ${restoreJobId} names no restored resource.`);
        checks = await checkRestored(deps, job.CreatedResourceArn);
        const failed = checks.find((c) => !c.ok);
        ok = failed === undefined;
        message = failed ? `Check failed: ${failed.name} (${failed.detail}).` : `All checks passed: ${checks.map((c) => c.detail).join("; ")}.`;
    } catch (e) {
        ok = false;
        message = errorText(e);
    }
    const status = ok ? "SUCCESSFUL" : "FAILED";
    message = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
    await deps.backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: restoreJobId, ValidationStatus: status, ValidationStatusMessage: message }));
    log({ ...metricFields(deps, !ok), restoreJobId, restoredResource: job.CreatedResourceArn, validationStatus: status, message, checks });
    return { result: status, restoreJobId, message, checks };
}

/** The embedded-metric-format fields of one result (none without `deps.metric`). */
export function metricFields(deps: Pick<ValidationDeps, "metric" | "now">, failed: boolean): Record<string, unknown> {
    if (!deps.metric) return {};
    const now = (deps.now ?? (() => new Date()))();
    return {
        _aws: {
            Timestamp: now.getTime(),
            CloudWatchMetrics: [{ Namespace: deps.metric.namespace, Dimensions: [["RestoreTestingPlan"]], Metrics: [{ Name: "RestoreValidationFailed", Unit: "Count" }] }],
        },
        RestoreTestingPlan: deps.metric.restoreTestingPlanName,
        RestoreValidationFailed: failed ? 1 : 0,
    };
}

function ignore(log: (record: Record<string, unknown>) => void, reason: string): ValidationOutcome {
    log({ ignored: reason });
    return { result: "ignored", reason };
}

/** The checks' settings from the function's environment. */
export function checkOptionsFromEnv(env: NodeJS.ProcessEnv): CheckOptions {
    const table = env["MIN_ROWS_TABLE"];
    const rows = Number(env["MIN_ROWS"]);
    return {
        schema: env["EXPECTED_SCHEMA"] || "public",
        ...(table && Number.isInteger(rows) && rows > 0 ? { minRows: { table, rows } } : {}),
    };
}

/** A pg session over TLS, verified against the RDS CA bundle the Lambda runtime ships (NODE_EXTRA_CA_CERTS). */
export const pgConnect: Connect = pgConnector({ connectionTimeoutMillis: 10000, statementTimeoutMillis: 60000 });

export const handler = async (event: RestoreJobEvent): Promise<ValidationOutcome> =>
    validate(event, {
        backup: new BackupClient({}),
        rds: new RDSClient({}),
        sm: new SecretsManagerClient({}),
        connect: pgConnect,
        restoreTestingPlanArn: process.env["RESTORE_TESTING_PLAN_ARN"] ?? "",
        // The app's DATABASE_URL secret.
        credentialsSecretId: process.env["APP_SECRET_ID"] ?? "",
        databaseName: process.env["DATABASE_NAME"] ?? "postgres",
        checks: checkOptionsFromEnv(process.env),
        ...(process.env["METRIC_NAMESPACE"]
            ? { metric: { namespace: process.env["METRIC_NAMESPACE"], restoreTestingPlanName: process.env["RESTORE_TESTING_PLAN_NAME"] ?? "" } }
            : {}),
        // Raw lines on stdout (the function's log format is Text): CloudWatch reads the metric format as written.
        log: (record) => process.stdout.write(`${JSON.stringify(record)}\n`),
    });
