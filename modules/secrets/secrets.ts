import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { withCredentials } from "../../lambdas/database-password/url";
import { PERIOD_TAG } from "../../lambdas/secret-age/age";
import { serviceTrust } from "../aws/iam";
import { KeyRef, RoleSpec, RoleStatement, Roles } from "../aws/roles";
import { LAMBDA_RUNTIME, bundleDigest, lambdaCode } from "./bundle";
import { DATABASE_MASTER, RotationPeriods, SecretName, appRoleName, checkedAppRole, rotationPlan, secretName, secretsArnPattern, secretsPrefix } from "./names";
import { ageCheckPolicy, bootstrapPolicy, invokePolicy, publishPolicy, rotationPolicy } from "./policies";
import { minNextKeyAgeSeconds } from "./timing";

/** Where the Lambda Node.js runtimes keep the RDS CA bundle (the functions trust it through NODE_EXTRA_CA_CERTS). */
const RDS_CA_BUNDLE = "/var/runtime/ca-cert.pem";

export interface AppSecretsArgs {
    appName: string;
    /** Runbook environment: the middle of every secret name. */
    environment: string;
    region: string;
    /** Values from the data layer and stack config, each a Pulumi secret. */
    values: {
        /**
         * The database's URL as the data layer makes it (`postgresql://<master>:...@host:port/db?...`):
         * DATABASE_URL takes its host, port, database and options, with the app role's own user and
         * password instead of the master's. The rotation owns DATABASE_URL after its first value.
         */
        databaseUrl: pulumi.Input<string>;
        redisUrl: pulumi.Input<string>;
        /** RDS-style JSON `{"username","password"}` of the master user. */
        databaseMasterCredentials: pulumi.Input<string>;
        /** From the encrypted stack config value `externalApiKey`. */
        externalApiKey: pulumi.Input<string>;
    };
    rotation: RotationPeriods;
    /** Days a deleted secret stays restorable (7 to 30). */
    recoveryWindowDays: number;
    /** Replicas in the DR region, encrypted with the DR secrets key. */
    replica?: { region: string; kmsKeyArn: pulumi.Input<string>; key: KeyRef };
    /**
     * KMS keys (modules/keys): `secrets` encrypts the secrets, `logs` the functions' logs and the
     * alert topic; each with its alias (`ref`), which the roles' policies name it by.
     */
    keys: { secrets: { arn: pulumi.Input<string>; ref: KeyRef }; logs: { arn: pulumi.Input<string>; ref: KeyRef } };
    /** Where the database password rotation runs: subnets that reach the database and the Secrets Manager endpoint. */
    vpc: { subnetIds: pulumi.Input<string>[]; securityGroupIds: pulumi.Input<string>[] };
    /** Low-severity alert topic (email): the API key reminder and the secret age alarm go there. */
    lowSeverityTopicArn: pulumi.Input<string>;
    /** The low-severity topic's name (in `region`): the reminder's role is granted it by name. */
    lowSeverityTopicName: string;
    /** Where the functions' and schedules' roles come from. @default created here */
    roles?: Roles;
    /** Link of the runbook the age alarm names. */
    runbookUrl: string;
    logRetentionDays: number;
    /**
     * The app's own database role, created by the bootstrap (its clone alternates with it).
     * Changing it after the first deploy creates a second pair of roles (see `appRoleName`).
     * @default appRoleName(appName), `<app>_app`
     */
    appRole?: string;
    /**
     * How often External Secrets re-reads the secrets (`secrets.refreshInterval`): a new JWT key
     * is published that long, plus a rollout, before it may sign.
     * @default "1h"
     */
    refreshInterval?: string;
    provider: aws.Provider;
}

/**
 * The app's secrets in Secrets Manager, `<app>/<environment>/<NAME>`, encrypted with the secrets
 * key, with their rotation (runbook 2.3):
 * - DATABASE_URL: the app role's (never the master's), set up by the database bootstrap (a Lambda
 *   the program invokes once); rotation Lambda every `rotation.databasePasswordDays`, alternating users;
 * - SECRET_KEY: 256-bit keys from @pulumi/random (`current` signs, `next` is published verify-only),
 *   then a rotation Lambda every `rotation.jwtSigningKeyDays` that promotes `next` and keeps the
 *   previous key;
 * - EXTERNAL_API_KEY: from stack config; a reminder every `rotation.apiKeyDays`;
 * - REDIS_URL and DATABASE_MASTER: stored for delivery and for the rotation, not rotated here;
 * plus a daily age check whose alarm fires when any secret is older than its period.
 *
 * Rotated secrets get their first value from the program and are then owned by the rotation:
 * `ignoreChanges` keeps a later `pulumi up` from writing the initial value back.
 */
export class AppSecrets extends pulumi.ComponentResource {
    /** The secrets, by name. */
    readonly secrets: Record<SecretName, aws.secretsmanager.Secret>;
    readonly rotationFunctions: { databasePassword: aws.lambda.Function; jwtSigningKey: aws.lambda.Function };
    /** The database bootstrap's function and its one invocation: what must run before the app's first pod. */
    readonly databaseBootstrap: { function: aws.lambda.Function; invocation: aws.lambda.Invocation };
    /** The app's database role. */
    readonly appRole: string;
    readonly ageAlarm: aws.cloudwatch.MetricAlarm;
    /** `<app>/<environment>/`. */
    readonly prefix: string;
    /** The ARN pattern of this environment's secrets. */
    readonly arnPattern: pulumi.Output<string>;

    private readonly name: string;
    private ownRoles?: Roles;
    private readonly versions: Partial<Record<SecretName, aws.secretsmanager.SecretVersion>> = {};

    constructor(name: string, private readonly args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:secrets:AppSecrets", name, {}, opts);
        this.name = name;
        this.prefix = secretsPrefix(args.appName, args.environment);
        const accountId = aws.getCallerIdentityOutput({}, { provider: args.provider, parent: this }).accountId;
        this.arnPattern = accountId.apply((id) => secretsArnPattern(args.region, id, args.appName, args.environment));

        this.appRole = args.appRole !== undefined ? checkedAppRole(args.appRole, "given to AppSecrets (appRole)") : appRoleName(args.appName);
        // The app role's first password: DATABASE_URL carries it, the bootstrap sets it.
        const appPassword = new random.RandomPassword(`${name}-app-role-password`, { length: 40, special: false }, { parent: this });
        const appUrl = pulumi.secret(pulumi.all([args.values.databaseUrl, appPassword.result]).apply(([url, password]) => withCredentials(url, this.appRole, password)));

        const jwtKey = new random.RandomBytes(`${name}-jwt-signing-key`, { length: 32 }, { parent: this });
        const jwtNext = new random.RandomBytes(`${name}-jwt-next-key`, { length: 32 }, { parent: this });
        const initialJwt = pulumi.secret(pulumi.jsonStringify({ current: jwtKey.base64, next: jwtNext.base64, previous: jwtKey.base64 }));

        this.secrets = {
            DATABASE_URL: this.secret("DATABASE_URL", "PostgreSQL connection string of the app, as the app role (runbook 2.2).", appUrl, true),
            REDIS_URL: this.secret("REDIS_URL", "Redis connection string of the app (runbook 2.2).", args.values.redisUrl, false),
            SECRET_KEY: this.secret("SECRET_KEY", "JWT signing keys, JSON {current, previous} (runbook 2.2).", initialJwt, true),
            EXTERNAL_API_KEY: this.secret("EXTERNAL_API_KEY", "External API key, set from stack config; rotated with the provider by hand.", args.values.externalApiKey, false),
            DATABASE_MASTER: this.secret(DATABASE_MASTER, "RDS master user, JSON {username, password}: read only by the password rotation and the database bootstrap.", args.values.databaseMasterCredentials, false),
        };

        const master = this.secrets.DATABASE_MASTER;
        this.databaseBootstrap = this.bootstrapDatabase();
        this.rotationFunctions = {
            databasePassword: this.rotate("DATABASE_URL", "database-password", {
                readSecretNames: [secretName(args.appName, args.environment, DATABASE_MASTER)],
                vpc: args.vpc,
                environment: { MASTER_SECRET_ARN: master.arn, APP_ROLE: this.appRole, NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE },
                // The first rotation finds the roles the bootstrap made.
                dependsOn: [this.databaseBootstrap.invocation],
            }),
            jwtSigningKey: this.rotate("SECRET_KEY", "jwt-signing-key", {
                environment: { MIN_NEXT_KEY_AGE_SECONDS: String(minNextKeyAgeSeconds(args.refreshInterval ?? "1h")) },
            }),
        };
        this.remind();
        this.ageAlarm = this.checkAges();
        this.registerOutputs({ prefix: this.prefix });
    }

    private opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider, ...extra };
    }

    private secret(key: SecretName, description: string, value: pulumi.Input<string>, rotated: boolean): aws.secretsmanager.Secret {
        const a = this.args;
        const period = rotationPlan(a.rotation)[key].periodDays;
        const resourceName = `${this.name}-${key.toLowerCase().replace(/_/g, "-")}`;
        const secret = new aws.secretsmanager.Secret(
            resourceName,
            {
                name: secretName(a.appName, a.environment, key),
                description,
                kmsKeyId: a.keys.secrets.arn,
                recoveryWindowInDays: a.recoveryWindowDays,
                ...(a.replica ? { replicas: [{ region: a.replica.region, kmsKeyId: a.replica.kmsKeyArn }] } : {}),
                ...(period !== undefined ? { tags: { [PERIOD_TAG]: String(period) } } : {}),
            },
            this.opts(),
        );
        this.versions[key] = new aws.secretsmanager.SecretVersion(
            resourceName,
            { secretId: secret.id, secretString: pulumi.secret(value) },
            // Once rotating, the rotation owns the value: the program's initial one must not come back.
            this.opts(rotated ? { ignoreChanges: ["secretString", "versionStages"] } : undefined),
        );
        return secret;
    }

    /**
     * The database bootstrap (lambdas/database-bootstrap): the master creates the app role and its
     * clone, hands the app role the schema, and sets the app role's password from DATABASE_URL.
     * Invoked once per stack, and again when its code or the app role changes; the invocation
     * fails `pulumi up` when the bootstrap fails. Its input holds no secret: the function reads
     * both secrets itself.
     */
    private bootstrapDatabase(): { function: aws.lambda.Function; invocation: aws.lambda.Invocation } {
        const a = this.args;
        const url = this.secrets.DATABASE_URL;
        const master = this.secrets.DATABASE_MASTER;
        const fn = this.fn(
            "database-bootstrap",
            "database-bootstrap",
            (logGroupName) =>
                bootstrapPolicy({
                    readSecretNames: [secretName(a.appName, a.environment, "DATABASE_URL"), secretName(a.appName, a.environment, DATABASE_MASTER)],
                    secretsKey: a.keys.secrets.ref,
                    region: a.region,
                    logGroupName,
                }),
            {
                vpc: a.vpc,
                environment: { MASTER_SECRET_ARN: master.arn, APP_SECRET_ARN: url.arn, NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE },
                // A database adopted from before the app role may have many objects to hand over.
                timeout: 300,
            },
        );
        const invocation = new aws.lambda.Invocation(
            `${this.name}-database-bootstrap`,
            {
                functionName: fn.name,
                input: JSON.stringify({ appRole: this.appRole, schema: "public" }),
                triggers: { code: bundleDigest("database-bootstrap"), appRole: this.appRole },
            },
            // Both secrets hold their values before the function reads them.
            this.opts({ dependsOn: [this.versions.DATABASE_URL!, this.versions.DATABASE_MASTER!] }),
        );
        return { function: fn, invocation };
    }

    /** A function of lambdas/<source>, with its own role, log group and (optionally) VPC placement. */
    private fn(
        purpose: string,
        source: string,
        policy: (logGroupName: string) => RoleStatement[],
        extra: { vpc?: AppSecretsArgs["vpc"]; environment?: Record<string, pulumi.Input<string>>; timeout?: number; logFormat?: "JSON" | "Text" },
    ): aws.lambda.Function {
        const a = this.args;
        const functionName = `${a.appName}-${a.environment}-${purpose}`;
        const logGroupName = `/aws/lambda/${functionName}`;
        const logGroup = new aws.cloudwatch.LogGroup(`${this.name}-${purpose}`, { name: logGroupName, retentionInDays: a.logRetentionDays, kmsKeyId: a.keys.logs.arn }, this.opts());
        const role = this.role(purpose, "lambda.amazonaws.com", policy(logGroupName));
        return new aws.lambda.Function(
            `${this.name}-${purpose}`,
            {
                name: functionName,
                runtime: LAMBDA_RUNTIME,
                architectures: ["arm64"],
                handler: "index.handler",
                code: lambdaCode(source),
                role: role.arn,
                timeout: extra.timeout ?? 60,
                memorySize: 256,
                loggingConfig: { logFormat: extra.logFormat ?? "JSON", logGroup: logGroup.name },
                ...(extra.environment ? { environment: { variables: extra.environment } } : {}),
                ...(extra.vpc ? { vpcConfig: { subnetIds: extra.vpc.subnetIds, securityGroupIds: extra.vpc.securityGroupIds } } : {}),
            },
            // The role's policy first: a function created before it fails its first invocation.
            this.opts({ dependsOn: role.ready }),
        );
    }

    private rotate(
        key: "DATABASE_URL" | "SECRET_KEY",
        source: string,
        extra: {
            readSecretNames?: string[];
            vpc?: AppSecretsArgs["vpc"];
            environment?: Record<string, pulumi.Input<string>>;
            dependsOn?: pulumi.Resource[];
        },
    ): aws.lambda.Function {
        const a = this.args;
        const secret = this.secrets[key];
        const purpose = `rotate-${source}`;
        const fn = this.fn(
            purpose,
            source,
            (logGroupName) =>
                rotationPolicy({
                    secretName: secretName(a.appName, a.environment, key),
                    ...(extra.readSecretNames ? { readSecretNames: extra.readSecretNames } : {}),
                    secretsKey: a.keys.secrets.ref,
                    region: a.region,
                    logGroupName,
                    inVpc: extra.vpc !== undefined,
                    // Rotated versions replicate with the rotation's own identity (docs/secrets.md).
                    ...(a.replica ? { replica: { region: a.replica.region, key: a.replica.key } } : {}),
                }),
            extra,
        );
        const permission = new aws.lambda.Permission(
            `${this.name}-${purpose}`,
            { action: "lambda:InvokeFunction", function: fn.name, principal: "secretsmanager.amazonaws.com", sourceArn: secret.arn },
            this.opts(),
        );
        new aws.secretsmanager.SecretRotation(
            `${this.name}-${purpose}`,
            {
                secretId: secret.id,
                rotationLambdaArn: fn.arn,
                rotationRules: { automaticallyAfterDays: rotationPlan(a.rotation)[key].periodDays! },
                // The first rotation waits for the schedule: the app starts on the initial value.
                rotateImmediately: false,
            },
            this.opts({ dependsOn: [permission, ...(extra.dependsOn ?? [])] }),
        );
        return fn;
    }

    /** A role with one inline policy, for a function or a schedule: created here, or (a DR rebuild) there already. */
    private role(purpose: string, service: string, statements: RoleStatement[]): ReturnType<Roles["role"]> {
        const spec: RoleSpec = { purpose, trustPolicy: serviceTrust(service), managedPolicyArns: [], inlinePolicies: { [purpose]: statements } };
        return (this.args.roles ?? (this.ownRoles ??= new Roles())).role(spec, { role: `${this.name}-${purpose}`, policy: () => `${this.name}-${purpose}` }, this.opts());
    }

    /** The external API key cannot be generated here: on its schedule, a low-severity reminder. */
    private remind(): void {
        const a = this.args;
        const role = this.role("api-key-reminder", "scheduler.amazonaws.com", publishPolicy(a.region, a.lowSeverityTopicName, a.keys.logs.ref));
        const name = secretName(a.appName, a.environment, "EXTERNAL_API_KEY");
        new aws.scheduler.Schedule(
            `${this.name}-api-key-reminder`,
            {
                description: `Reminder: rotate ${name} with the provider every ${a.rotation.apiKeyDays} days.`,
                scheduleExpression: `rate(${a.rotation.apiKeyDays} days)`,
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: a.lowSeverityTopicArn,
                    roleArn: role.arn,
                    input: JSON.stringify({
                        severity: "low",
                        subject: `Rotate ${name}`,
                        message:
                            `${name} is due for rotation (every ${a.rotation.apiKeyDays} days). Create a new key with the provider, ` +
                            `run \`pulumi config set --secret externalApiKey <new key>\` and \`pulumi up\` for the ${a.environment} stack, ` +
                            `then revoke the old key once the pods run with the new one. See ${a.runbookUrl}.`,
                    }),
                },
            },
            this.opts(),
        );
    }

    /** The daily age check and its alarm: any secret older than its period. */
    private checkAges(): aws.cloudwatch.MetricAlarm {
        const a = this.args;
        const namespace = `${a.appName}/Secrets`;
        const fn = this.fn("secret-age", "secret-age", (logGroupName) => ageCheckPolicy(a.region, this.prefix, logGroupName), {
            environment: { SECRETS_PREFIX: this.prefix, METRIC_NAMESPACE: namespace },
            // Plain lines: the embedded-metric-format records must reach CloudWatch as they are written.
            logFormat: "Text",
        });
        const role = this.role("secret-age-schedule", "scheduler.amazonaws.com", invokePolicy(a.region, `${a.appName}-${a.environment}-secret-age`));
        new aws.scheduler.Schedule(
            `${this.name}-secret-age`,
            { scheduleExpression: "rate(1 day)", flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 60 }, target: { arn: fn.arn, roleArn: role.arn } },
            this.opts(),
        );
        return new aws.cloudwatch.MetricAlarm(
            `${this.name}-secret-overdue`,
            {
                name: `${a.appName}-${a.environment}-secret-overdue`,
                alarmDescription: `Severity low. A secret under ${this.prefix} is older than its rotation period (a failing rotation, or an API key not rotated with its provider), or the daily age check stopped reporting. Runbook: ${a.runbookUrl}`,
                namespace,
                metricName: "OverdueSecrets",
                dimensions: { SecretsPrefix: this.prefix },
                statistic: "Maximum",
                period: 86400,
                evaluationPeriods: 2,
                datapointsToAlarm: 2,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                // Two days without a check is itself worth a look.
                treatMissingData: "breaching",
                alarmActions: [a.lowSeverityTopicArn],
                okActions: [a.lowSeverityTopicArn],
                tags: { severity: "low" },
            },
            this.opts(),
        );
    }
}
