import { RUNBOOK_ROTATION_DAYS, secretsRules } from "../../../policy/rules/secrets";
import { findings, providers, res, ruleSuite } from "../fixtures";

const SECRET = "aws:secretsmanager/secret:Secret";
const secret = (leaf: string, inputs: Record<string, unknown> = {}, name = leaf.toLowerCase()) =>
    res(SECRET, { name: `myapp/production/${leaf}`, kmsKeyId: "arn:aws:kms:us-east-1:1:key/s", recoveryWindowInDays: 30, replicas: [{ region: "us-west-2", kmsKeyId: "arn:aws:kms:us-west-2:1:key/d" }], ...inputs }, { name, id: `myapp/production/${leaf}` });
const rotation = (leaf: string, rules: Record<string, unknown>) => res("aws:secretsmanager/secretRotation:SecretRotation", { secretId: `myapp/production/${leaf}`, rotationRules: rules }, { name: `rotate-${leaf}` });

describe("Secrets Manager rules", () => {
    const rule = ruleSuite(secretsRules);

    rule("secrets-encrypted-with-cmk", {
        compliant: () => [secret("DATABASE_URL")],
        missing: () => [res(SECRET, { name: "myapp/production/DATABASE_URL" }, { name: "s" })],
        missingFindings: ["s: no kmsKeyId: encrypt with the stack's secrets key"],
        wrong: () => [secret("DATABASE_URL", { replicas: [{ region: "us-west-2" }, { region: "eu-west-1", kmsKeyId: "k" }] }, "s")],
        wrongFindings: ['s: replica 1 ("us-west-2") has no kmsKeyId: give it the DR region\'s secrets key'],
    });

    rule("secrets-rotation-scheduled", {
        compliant: () => [secret("DATABASE_URL"), rotation("DATABASE_URL", { automaticallyAfterDays: 90 }), secret("EXTERNAL_API_KEY", { tags: { "rotation-period-days": "180" } })],
        missing: () => [secret("REDIS_URL", {}, "s")],
        missingFindings: ["s: no aws.secretsmanager.SecretRotation and no rotation-period-days tag: nothing rotates it or notices when it is overdue"],
        wrong: () => [secret("DATABASE_URL", {}, "s"), rotation("DATABASE_URL_OTHER", { automaticallyAfterDays: 90 }), secret("SECRET_KEY", { tags: { owner: "x" } }, "t")],
        wrongFindings: [
            "s: no aws.secretsmanager.SecretRotation and no rotation-period-days tag: nothing rotates it or notices when it is overdue",
            "t: no aws.secretsmanager.SecretRotation and no rotation-period-days tag: nothing rotates it or notices when it is overdue",
        ],
    });

    rule("secrets-rotation-period", {
        compliant: () => [
            secret("DATABASE_URL"),
            rotation("DATABASE_URL", { automaticallyAfterDays: 90 }),
            secret("SECRET_KEY"),
            rotation("SECRET_KEY", { scheduleExpression: "rate(365 days)" }),
            secret("EXTERNAL_API_KEY", { tags: { "rotation-period-days": "180" } }),
            secret("DATABASE_MASTER", { tags: { "rotation-period-days": "30" } }),
        ],
        missing: () => [secret("SECRET_KEY", {}, "s"), rotation("SECRET_KEY", {})],
        missingFindings: ["s: its SecretRotation states no period in days"],
        wrong: () => [
            secret("DATABASE_URL", {}, "db"),
            rotation("DATABASE_URL", { automaticallyAfterDays: 91 }),
            secret("EXTERNAL_API_KEY", { tags: { "rotation-period-days": "365" } }, "api"),
            secret("SECRET_KEY", {}, "jwt"),
            rotation("SECRET_KEY", { automaticallyAfterDays: 366 }),
            secret("SESSION_TOKEN", { tags: { "rotation-period-days": "30" } }, "other"),
        ],
        wrongFindings: [
            "db: its SecretRotation rotates it every 91 days: the runbook rotates database passwords at least every 90",
            "api: its rotation-period-days tag rotates it every 365 days: the runbook rotates API keys at least every 180",
            "jwt: its SecretRotation rotates it every 366 days: the runbook rotates JWT signing keys at least every 365",
            'other: the runbook gives no rotation period for "SESSION_TOKEN": name the secret after its kind (DATABASE_URL, DATABASE_MASTER, REDIS_URL, EXTERNAL_API_KEY, SECRET_KEY)',
        ],
    });

    rule("secrets-recovery-window", {
        compliant: () => [secret("DATABASE_URL")],
        missing: () => [secret("DATABASE_URL", { recoveryWindowInDays: undefined })],
        missingFindings: [],
        safeDefault: "Secrets Manager keeps a deleted secret 30 days when no window is given",
        wrong: () => [secret("DATABASE_URL", { recoveryWindowInDays: 0 }, "s")],
        wrongFindings: ["s: recoveryWindowInDays is 0: set 30"],
    });

    rule("secrets-replicated-to-dr", {
        compliant: () => [...providers(), secret("DATABASE_URL")],
        missing: () => [...providers(), secret("DATABASE_URL", { replicas: undefined }, "s")],
        missingFindings: ["s: no replica in another region: add replicas [{ region: <DR region>, kmsKeyId }]"],
        wrong: () => [...providers(), secret("DATABASE_URL", { replicas: [{ region: "us-east-1", kmsKeyId: "k" }] }, "s")],
        wrongFindings: ["s: no replica in another region: add replicas [{ region: <DR region>, kmsKeyId }]"],
    });

    it("takes 30 days as the shortest production recovery window, and the runbook's periods as the longest", () => {
        expect(findings("secrets-recovery-window", [secret("DATABASE_URL", { recoveryWindowInDays: 29 }, "s")])).toEqual(["s: recoveryWindowInDays is 29: set 30"]);
        expect(findings("secrets-rotation-period", [secret("REDIS_URL", { tags: { "rotation-period-days": "90" } })])).toEqual([]);
        expect(findings("secrets-rotation-period", [secret("REDIS_URL", { tags: { "rotation-period-days": "x" } }, "s")])).toEqual(["s: its rotation-period-days tag states no period in days"]);
    });

    it("states the runbook's periods: 90, 180 and 365 days", () => {
        expect(Object.fromEntries(Object.entries(RUNBOOK_ROTATION_DAYS).map(([k, v]) => [k, v.days]))).toEqual({ DATABASE_URL: 90, DATABASE_MASTER: 90, REDIS_URL: 90, EXTERNAL_API_KEY: 180, SECRET_KEY: 365 });
    });

    it("finds a rotation by the secret's ARN as well as its name", () => {
        const s = res(SECRET, { name: "myapp/production/DATABASE_URL" }, { name: "s", id: "arn:aws:secretsmanager:us-east-1:1:secret:myapp/production/DATABASE_URL-AbCdEf" });
        const r = res("aws:secretsmanager/secretRotation:SecretRotation", { secretId: s.id, rotationRules: { automaticallyAfterDays: 90 } });
        expect(findings("secrets-rotation-scheduled", [s, r])).toEqual([]);
        expect(findings("secrets-rotation-period", [s, r])).toEqual([]);
    });
});

describe("Secrets Manager rules, more cases", () => {
    const NO_PERIOD = "s: its SecretRotation states no period in days";

    it("reads a rate schedule of one day or many, and nothing else as a period", () => {
        expect(findings("secrets-rotation-period", [secret("DATABASE_URL", {}, "s"), rotation("DATABASE_URL", { scheduleExpression: "rate(1 day)" })])).toEqual([]);
        expect(findings("secrets-rotation-period", [secret("DATABASE_URL", {}, "s"), rotation("DATABASE_URL", { scheduleExpression: "cron(0 4 1 * ? *)" })])).toEqual([NO_PERIOD]);
        expect(findings("secrets-rotation-period", [secret("DATABASE_URL", {}, "s"), rotation("DATABASE_URL", { scheduleExpression: "xrate(10 days)" })])).toEqual([NO_PERIOD]);
        expect(findings("secrets-rotation-period", [secret("DATABASE_URL", {}, "s"), rotation("DATABASE_URL", { scheduleExpression: "rate(10 days) " })])).toEqual([NO_PERIOD]);
    });

    it("takes automaticallyAfterDays before a rate schedule", () => {
        expect(findings("secrets-rotation-period", [secret("DATABASE_URL", {}, "s"), rotation("DATABASE_URL", { automaticallyAfterDays: 120, scheduleExpression: "rate(30 days)" })])).toEqual([
            "s: its SecretRotation rotates it every 120 days: the runbook rotates database passwords at least every 90",
        ]);
    });

    it("names a secret by its namePrefix when it has no name", () => {
        const prefixed = res(SECRET, { namePrefix: "myapp/production/SECRET_KEY", tags: { "rotation-period-days": "400" } }, { name: "s" });
        expect(findings("secrets-rotation-period", [prefixed])).toEqual(["s: its rotation-period-days tag rotates it every 400 days: the runbook rotates JWT signing keys at least every 365"]);
        const unnamed = res(SECRET, { tags: { "rotation-period-days": "30" } }, { name: "s" });
        expect(findings("secrets-rotation-period", [unnamed])).toEqual([
            "s: the runbook gives no rotation period for unset: name the secret after its kind (DATABASE_URL, DATABASE_MASTER, REDIS_URL, EXTERNAL_API_KEY, SECRET_KEY)",
        ]);
    });

    it("names the kind of each secret the runbook gives a period for", () => {
        expect(findings("secrets-rotation-period", [secret("DATABASE_MASTER", { tags: { "rotation-period-days": "120" } }, "master")])).toEqual([
            "master: its rotation-period-days tag rotates it every 120 days: the runbook rotates database passwords at least every 90",
        ]);
        expect(findings("secrets-rotation-period", [secret("REDIS_URL", { tags: { "rotation-period-days": "91" } }, "redis")])).toEqual([
            "redis: its rotation-period-days tag rotates it every 91 days: the runbook rotates data store passwords (the Redis AUTH token) at least every 90",
        ]);
    });

    it("leaves a secret without any rotation to secrets-rotation-scheduled", () => {
        const unrotated = () => [secret("SESSION_TOKEN", {}, "s")];
        expect(findings("secrets-rotation-period", unrotated())).toEqual([]);
        expect(findings("secrets-rotation-scheduled", unrotated())).toEqual(["s: no aws.secretsmanager.SecretRotation and no rotation-period-days tag: nothing rotates it or notices when it is overdue"]);
    });

    it("counts no replica without a region", () => {
        expect(findings("secrets-replicated-to-dr", [...providers(), secret("DATABASE_URL", { replicas: [{ kmsKeyId: "k" }] }, "s")])).toEqual(["s: no replica in another region: add replicas [{ region: <DR region>, kmsKeyId }]"]);
    });
});
