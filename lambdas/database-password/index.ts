import { GetRandomPasswordCommand, SecretsManagerClient, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import { Connect, inTransaction, pgConnector, withSession } from "../shared/postgres";
import { RotationContext, RotationSteps, createPendingOnce, currentValue, getSecretString, getSecretVersion, pendingValue, rotationHandler } from "../shared/rotation";
import { scramVerifier } from "../shared/scram";
import { RotationRoles, alternateUser, baseUser, cloneOf, parseDatabaseUrl, withCredentials } from "./url";

/**
 * Rotation of the database password (`<app>/<environment>/DATABASE_URL`) by alternating users
 * (see url.ts). The RDS master user, read from `MASTER_SECRET_ARN` (JSON with `username` and
 * `password`, as RDS writes it), sets the new password on the app role or its clone, which it
 * administers because it created them (the bootstrap, lambdas/database-bootstrap): PostgreSQL 16
 * lets a CREATEROLE user change only roles it holds ADMIN OPTION on. Passwords reach PostgreSQL
 * as SCRAM verifiers, never in plain text. The app's connection string never carries the master
 * user, and AWSPREVIOUS never keeps it.
 */

export type { Connect, DbSession } from "../shared/postgres";

export interface DatabaseRotationDeps {
    /** Secret of the RDS master user: JSON `{"username", "password"}`. */
    masterSecretArn: string;
    /** The app role (`APP_ROLE`): the bootstrap creates it and its clone. */
    appRole: string;
    connect: Connect;
}

async function masterUser(ctx: RotationContext, deps: DatabaseRotationDeps): Promise<{ username: string; password: string }> {
    if (!deps.masterSecretArn) throw new Error("MASTER_SECRET_ARN is not set: the rotation needs the master user to set the clone's password.");
    const raw = await getSecretString(ctx.sm, deps.masterSecretArn, "AWSCURRENT");
    if (raw === undefined) throw new Error(`The master user secret ${deps.masterSecretArn} has no current value.`);
    let m: { username?: unknown; password?: unknown };
    try {
        m = JSON.parse(raw) as typeof m;
    } catch {
        throw new Error(`The master user secret ${deps.masterSecretArn} is not JSON {"username", "password"}.`);
    }
    if (typeof m.username !== "string" || typeof m.password !== "string") throw new Error("The master user secret lacks username or password.");
    return { username: m.username, password: m.password };
}

/** The app role and the master user, checked against each other. */
async function rolesOf(ctx: RotationContext, deps: DatabaseRotationDeps): Promise<{ roles: RotationRoles; master: { username: string; password: string } }> {
    if (!deps.appRole) throw new Error("APP_ROLE is not set: the rotation needs the app role the bootstrap created.");
    const master = await masterUser(ctx, deps);
    if (deps.appRole === master.username) throw new Error(`APP_ROLE is the master user ${master.username}: the app must have a role of its own.`);
    return { roles: { appRole: deps.appRole, master: master.username }, master };
}

/** The rotation steps, with the database connection injected (tests pass one to a local server). */
export function databaseSteps(deps: DatabaseRotationDeps): RotationSteps {
    return {
        async createSecret(ctx) {
            await createPendingOnce(ctx, async (current) => {
                const { user } = parseDatabaseUrl(current.value);
                const { roles } = await rolesOf(ctx, deps);
                const next = alternateUser(user, roles);
                const out = await ctx.sm.send(new GetRandomPasswordCommand({ PasswordLength: 32, ExcludePunctuation: true, RequireEachIncludedType: true }));
                if (!out.RandomPassword) throw new Error("GetRandomPassword returned no password.");
                return withCredentials(current.value, next, out.RandomPassword);
            });
        },
        async setSecret(ctx) {
            const current = parseDatabaseUrl(await currentValue(ctx));
            const pending = parseDatabaseUrl(await pendingValue(ctx));
            if (pending.host !== current.host || pending.port !== current.port || pending.database !== current.database) {
                throw new Error("The pending DATABASE_URL names another host, port or database than the current one; refusing to set a password there.");
            }
            const { roles, master } = await rolesOf(ctx, deps);
            // The template's guards: the pending user is the alternate of the current one (so a
            // tampered AWSPENDING cannot make the master reset any other role's password)...
            const expected = alternateUser(current.user, roles);
            if (pending.user !== expected) {
                throw new Error(`The pending DATABASE_URL names ${pending.user}, but the alternate of the current user ${current.user} is ${expected}; refusing to set its password.`);
            }
            // ...and the current credentials log in: the secret being rotated is the one in use.
            try {
                await withSession(deps.connect, current, async () => undefined);
            } catch (e) {
                throw new Error(`The current DATABASE_URL does not log in (${(e as Error).message}); refusing to rotate a secret that is not the one in use.`);
            }
            const base = baseUser(pending.user);
            await withSession(deps.connect, { ...current, user: master.username, password: master.password }, (db) =>
                // One transaction: the password and the clone's role setting change together or not at all.
                inTransaction(db, async () => {
                    const role = db.escapeIdentifier(pending.user);
                    const verifier = db.escapeLiteral(scramVerifier(pending.password));
                    const exists = (await db.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [pending.user])).rows.length > 0;
                    if (!exists && pending.user === roles.appRole) {
                        throw new Error(`The app role ${roles.appRole} does not exist: the bootstrap creates it (run \`pulumi up\`; docs/secrets.md).`);
                    }
                    if (!exists) await db.query(`CREATE ROLE ${role} WITH LOGIN PASSWORD ${verifier} IN ROLE ${db.escapeIdentifier(base)}`);
                    else await db.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${verifier}`);
                    // The clone acts as the app role, so that what it creates (migrations) belongs to the app role.
                    if (pending.user === cloneOf(roles.appRole)) await db.query(`ALTER ROLE ${role} SET role = ${db.escapeLiteral(base)}`);
                }),
            );
        },
        async testSecret(ctx) {
            const pending = parseDatabaseUrl(await pendingValue(ctx));
            await withSession(deps.connect, pending, async (db) => {
                const row = (await db.query("SELECT current_user AS login, session_user AS session")).rows[0];
                if (row?.["session"] !== pending.user) throw new Error("The pending DATABASE_URL logged in as another user than it names.");
                const base = baseUser(pending.user);
                if (row["login"] !== base) throw new Error(`The pending DATABASE_URL's user does not act as ${base}: objects it created would belong to another role.`);
            });
        },
        async afterFinish(ctx) {
            // An app moved off the master user leaves the master's credentials as AWSPREVIOUS:
            // take the label off, so no label keeps them readable (nothing uses AWSPREVIOUS).
            const previous = await getSecretVersion(ctx.sm, ctx.secretId, "AWSPREVIOUS");
            if (!previous) return;
            let user: string;
            try {
                user = parseDatabaseUrl(previous.value).user;
            } catch {
                return;
            }
            const { master } = await rolesOf(ctx, deps);
            if (user !== master.username) return;
            await ctx.sm.send(new UpdateSecretVersionStageCommand({ SecretId: ctx.secretId, VersionStage: "AWSPREVIOUS", RemoveFromVersionId: previous.versionId }));
        },
    };
}

/** A pg session over TLS, verified against the RDS CA bundle the Lambda runtime ships. */
export const pgConnect: Connect = pgConnector();

export const handler = rotationHandler(
    new SecretsManagerClient({}),
    databaseSteps({ masterSecretArn: process.env["MASTER_SECRET_ARN"] ?? "", appRole: process.env["APP_ROLE"] ?? "", connect: pgConnect }),
);
