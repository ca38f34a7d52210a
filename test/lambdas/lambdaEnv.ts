import * as secretsManager from "@aws-sdk/client-secrets-manager";

/** A package the Lambda imports, as this test file loaded it, with some of its client classes replaced by fakes. */
export interface FakePackage {
    name: string;
    module: object;
    /** Class name → the client every `new` of that class returns (an aws-sdk-client-mock client, or any fake). */
    clients?: Record<string, object>;
    /** Class name → a class to use instead. */
    classes?: Record<string, unknown>;
}

/** Every SecretsManagerClient the Lambda makes is `client`. */
export function secretsManagerOf(client: secretsManager.SecretsManagerClient): FakePackage {
    return { name: "@aws-sdk/client-secrets-manager", module: secretsManager, clients: { SecretsManagerClient: client } };
}

const LAMBDA_ENV = ["MIN_NEXT_KEY_AGE_SECONDS", "MASTER_SECRET_ARN", "APP_ROLE", "APP_SECRET_ARN", "APP_SECRET_ID", "SECRETS_PREFIX", "METRIC_NAMESPACE", "RESTORE_TESTING_PLAN_ARN", "RESTORE_TESTING_PLAN_NAME", "DATABASE_NAME", "EXPECTED_SCHEMA", "MIN_ROWS", "MIN_ROWS_TABLE"];

/**
 * A Lambda's module as the runtime loads it: `process.env` holding the Lambda's variables from
 * `env` only (during the load and every later call of `during`; restored after), and the clients
 * it makes being the given fakes. The packages keep this file's copies (their command classes are
 * the ones the fakes answer to). Each call loads the module afresh.
 */
export function lambdaWithEnv<T>(lambda: string, env: Record<string, string>, fakes: FakePackage[]): T {
    let loaded: T | undefined;
    withEnv(env, () =>
        jest.isolateModules(() => {
            for (const p of fakes) {
                const returning = Object.fromEntries(Object.entries(p.clients ?? {}).map(([name, client]) => [name, class { constructor() { return client; } }]));
                jest.doMock(p.name, () => ({ ...p.module, ...returning, ...(p.classes ?? {}) }));
            }
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            loaded = require(`../../lambdas/${lambda}`) as T;
        }),
    );
    return loaded!;
}

/** Runs `fn` (and awaits it) with the Lambdas' variables of `process.env` set to `env` only. */
export function withEnv<R>(env: Record<string, string>, fn: () => R): R {
    const saved = Object.fromEntries(LAMBDA_ENV.map((k) => [k, process.env[k]]));
    const restore = () => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
    for (const k of LAMBDA_ENV) delete process.env[k];
    Object.assign(process.env, env);
    let out: R;
    try {
        out = fn();
    } catch (e) {
        restore();
        throw e;
    }
    if (out instanceof Promise) return out.finally(restore) as R;
    restore();
    return out;
}
