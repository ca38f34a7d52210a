import { isAppRoleName } from "../../lambdas/database-password/url";

/**
 * Secret names and the rotation each secret gets: pure, so tests, docs and the component read
 * the same table.
 */

/** The secrets the app reads (runbook 2.2), as environment variable names. */
export const APP_SECRET_NAMES = ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EXTERNAL_API_KEY"] as const;
export type AppSecretName = (typeof APP_SECRET_NAMES)[number];

/** The RDS master user (JSON `{"username","password"}`): only the password rotation and the bootstrap read it. */
export const DATABASE_MASTER = "DATABASE_MASTER";

export type SecretName = AppSecretName | typeof DATABASE_MASTER;

/** How a secret is kept fresh. */
export type RotationKind =
    /** A rotation Lambda sets a new password in PostgreSQL and updates DATABASE_URL. */
    | "databasePassword"
    /** A rotation Lambda makes a new JWT signing key and keeps the previous one. */
    | "jwtSigningKey"
    /** Cannot be generated here: a reminder goes out, a person rotates it with the provider. */
    | "reminder"
    /**
     * Rotated by a reviewed `pulumi up` that changes its source, which writes the secret's new
     * version (REDIS_URL: a new cache AUTH token, cache.authTokenVersion; DATABASE_MASTER: a new
     * master password, its RandomPassword replaced). The secret-age check measures its newest
     * version against the period and raises `secret-overdue` when the procedure is late.
     */
    | "procedure";

export interface RotationPeriods {
    databasePasswordDays: number;
    apiKeyDays: number;
    jwtSigningKeyDays: number;
}

/** The rotation of each secret, with its period in days. */
export function rotationPlan(periods: RotationPeriods): Record<SecretName, { kind: RotationKind; periodDays?: number }> {
    return {
        DATABASE_URL: { kind: "databasePassword", periodDays: periods.databasePasswordDays },
        // The Redis AUTH token is a data store's password: the database passwords' period (runbook 2.3).
        REDIS_URL: { kind: "procedure", periodDays: periods.databasePasswordDays },
        SECRET_KEY: { kind: "jwtSigningKey", periodDays: periods.jwtSigningKeyDays },
        EXTERNAL_API_KEY: { kind: "reminder", periodDays: periods.apiKeyDays },
        DATABASE_MASTER: { kind: "procedure", periodDays: periods.databasePasswordDays },
    };
}

/** `<app>/<environment>/`: every secret of one environment, and nothing of another. */
export function secretsPrefix(appName: string, environment: string): string {
    return `${appName}/${environment}/`;
}

/** `<app>/<environment>/<name>` (runbook 2.3's naming). */
export function secretName(appName: string, environment: string, name: string): string {
    return `${secretsPrefix(appName, environment)}${name}`;
}

/**
 * The ARN pattern of one environment's secrets. Secrets Manager appends `-` and six random
 * characters to a secret's ARN, hence the trailing `*`; the `/` before it keeps `myapp/prod`
 * from matching `myapp/production-old`.
 */
export function secretsArnPattern(region: string, accountId: string, appName: string, environment: string): string {
    return `arn:aws:secretsmanager:${region}:${accountId}:secret:${secretsPrefix(appName, environment)}*`;
}

/** The ARN pattern of one secret: its name, `-` and the six characters Secrets Manager appends. */
export function secretArnPattern(region: string, accountId: string, appName: string, environment: string, name: SecretName): string {
    return `arn:aws:secretsmanager:${region}:${accountId}:secret:${secretName(appName, environment, name)}-??????`;
}

/**
 * The app's own database role, `<app>_app` (its clone, `<app>_app_clone`, alternates with it in the
 * password rotation). The bootstrap creates both as the master user; the app never uses the master.
 * Changing it after the first deploy makes the bootstrap create a second pair: the old roles and
 * what they own stay until dropped by hand.
 */
export function appRoleName(appName: string): string {
    return checkedAppRole(`${appName.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_app`, `derived from appName ${JSON.stringify(appName)}`);
}

/** An app role name, or an error naming it, where it came from and what is allowed. */
export function checkedAppRole(role: string, source = "given"): string {
    if (!isAppRoleName(role)) {
        throw new Error(`The app role ${source} is ${JSON.stringify(role)}, not a usable PostgreSQL role name: at most 57 characters of a-z, 0-9 and _, not starting with a digit nor ending in _clone.`);
    }
    return role;
}
