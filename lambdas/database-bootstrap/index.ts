import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parseDatabaseUrl } from "../database-password/url";
import { Connect, pgConnector, withSession } from "../shared/postgres";
import { getSecretString } from "../shared/rotation";
import { BootstrapReport, bootstrap } from "./bootstrap";

/**
 * The database bootstrap, invoked by the program once per stack (an `aws.lambda.Invocation`,
 * again when its code or the app role changes): reads the master user (DATABASE_MASTER) and the
 * app's DATABASE_URL, logs in as the master over verified TLS, and runs bootstrap.ts. Its result
 * (names only) is the Invocation's `result`; an error fails `pulumi up` with the reason.
 */

/** The Invocation's input: no secret in it (the input is kept in the stack's state). */
export interface BootstrapEvent {
    appRole: string;
    schema?: string;
}

export interface BootstrapDeps {
    sm: SecretsManagerClient;
    /** `<app>/<environment>/DATABASE_MASTER`: JSON `{"username", "password"}`. */
    masterSecretArn: string;
    /** `<app>/<environment>/DATABASE_URL`: where to connect, and the app login whose password to set. */
    appSecretArn: string;
    connect: Connect;
}

async function read(deps: BootstrapDeps, arn: string, what: string): Promise<string> {
    if (!arn) throw new Error(`The ${what} secret's ARN is not set (MASTER_SECRET_ARN, APP_SECRET_ARN).`);
    const v = await getSecretString(deps.sm, arn, "AWSCURRENT");
    if (v === undefined) throw new Error(`The ${what} secret ${arn} has no current value.`);
    return v;
}

/** Reads both secrets and bootstraps the database DATABASE_URL names. */
export async function runBootstrap(event: BootstrapEvent, deps: BootstrapDeps): Promise<BootstrapReport> {
    let master: { username?: unknown; password?: unknown };
    try {
        master = JSON.parse(await read(deps, deps.masterSecretArn, "master user")) as typeof master;
    } catch (e) {
        throw e instanceof SyntaxError ? new Error(`The master user secret ${deps.masterSecretArn} is not JSON {"username", "password"}.`) : e;
    }
    if (typeof master.username !== "string" || typeof master.password !== "string") throw new Error("The master user secret lacks username or password.");
    const url = parseDatabaseUrl(await read(deps, deps.appSecretArn, "DATABASE_URL"));
    const onAppLogin = url.user !== master.username;
    return withSession(deps.connect, { ...url, user: master.username, password: master.password }, (db) =>
        bootstrap(db, {
            appRole: event.appRole,
            master: master.username as string,
            database: url.database,
            ...(event.schema ? { schema: event.schema } : {}),
            ...(onAppLogin ? { currentLogin: { user: url.user, password: url.password } } : {}),
        }),
    );
}

export const handler = async (event: BootstrapEvent): Promise<BootstrapReport> =>
    runBootstrap(event, {
        sm: new SecretsManagerClient({}),
        masterSecretArn: process.env["MASTER_SECRET_ARN"] ?? "",
        appSecretArn: process.env["APP_SECRET_ARN"] ?? "",
        // A migration-sized adoption may take longer than a rotation's statements.
        connect: pgConnector({ statementTimeoutMillis: 60000 }),
    });
