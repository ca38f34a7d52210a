/**
 * Secrets Manager secrets (`aws:secretsmanager/secret:Secret`) and their rotation.
 */
import { EVERYWHERE, PolicyResource, PolicyRule, StackView, productionOnly } from "../rule";
import { asArray, asObject, at, num, refersTo, regionOf, shown, str } from "../values";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

/**
 * Runbook 2.3: database passwords every 90 days, API keys every 180, JWT signing keys every 365,
 * keyed by the secret's name under `<app>/<env>/` (docs/secrets.md). The cache's AUTH token is a
 * data store's password, so it takes the database passwords' period.
 */
export const RUNBOOK_ROTATION_DAYS: Record<string, { days: number; kind: string }> = {
    DATABASE_URL: { days: 90, kind: "database passwords" },
    DATABASE_MASTER: { days: 90, kind: "database passwords" },
    REDIS_URL: { days: 90, kind: "data store passwords (the Redis AUTH token)" },
    EXTERNAL_API_KEY: { days: 180, kind: "API keys" },
    SECRET_KEY: { days: 365, kind: "JWT signing keys" },
};

/** The tag that declares a rotation done outside Secrets Manager; the secret-age alarm measures it. */
export const ROTATION_TAG = "rotation-period-days";

/** Secrets Manager's longest recovery window. */
export const PRODUCTION_RECOVERY_WINDOW_DAYS = 30;

/** The rotation period a secret declares: its SecretRotation's, or its tag's. */
export function rotationDays(secret: PolicyResource, stack: StackView): { days: number | undefined; source: string } | undefined {
    const rotation = stack.ofType(ROTATION).find((x) => refersTo(x, "secretId", secret));
    if (rotation) {
        const after = num(at(rotation.inputs, "rotationRules", "automaticallyAfterDays"));
        const rate = /^rate\((\d+) days?\)$/.exec(String(at(rotation.inputs, "rotationRules", "scheduleExpression") ?? ""));
        return { days: after ?? (rate ? Number(rate[1]) : undefined), source: "its SecretRotation" };
    }
    const tag = asObject(secret.inputs["tags"])?.[ROTATION_TAG];
    return tag !== undefined ? { days: num(tag), source: `its ${ROTATION_TAG} tag` } : undefined;
}

/** The last segment of a secret's name (`myapp/production/DATABASE_URL` → DATABASE_URL). */
function leaf(secret: PolicyResource): string | undefined {
    const name = str(secret.inputs["name"]) ?? str(secret.inputs["namePrefix"]);
    return name?.split("/").pop();
}

export const secretsRules: PolicyRule[] = [
    {
        name: "secrets-encrypted-with-cmk",
        service: "Secrets Manager",
        description: "Secrets and their replicas are encrypted with customer-managed keys.",
        rationale: "The AWS managed key lets every principal with GetSecretValue read the secret; a customer key adds kms:Decrypt as a second gate and cannot be used from another account by mistake.",
        controls: [{ framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-SecretsManagerUsingKMSKey" }],
        enforcement: EVERYWHERE,
        types: [SECRET],
        check: (s) => {
            const out: string[] = [];
            if (!str(s.inputs["kmsKeyId"])) out.push("no kmsKeyId: encrypt with the stack's secrets key");
            asArray(s.inputs["replicas"]).forEach((r, i) => {
                if (!str(at(r, "kmsKeyId"))) out.push(`replica ${i + 1} (${shown(at(r, "region"))}) has no kmsKeyId: give it the DR region's secrets key`);
            });
            return out;
        },
    },
    {
        name: "secrets-rotation-scheduled",
        service: "Secrets Manager",
        description: `Every secret rotates on a schedule: a SecretRotation, or, for a credential only its issuer can rotate, the ${ROTATION_TAG} tag the secret-age alarm measures.`,
        rationale: "A credential that never rotates stays valid for as long as anyone who ever saw it; the runbook gives every secret a period (2.3).",
        controls: [
            { framework: "Security Hub FSBP", id: "SecretsManager.1" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-SMG4" },
            { framework: "Runbook", id: "2.3 secret rotation" },
        ],
        enforcement: EVERYWHERE,
        types: [SECRET],
        check: (s, stack) =>
            rotationDays(s, stack) ? [] : [`no aws.secretsmanager.SecretRotation and no ${ROTATION_TAG} tag: nothing rotates it or notices when it is overdue`],
    },
    {
        name: "secrets-rotation-period",
        service: "Secrets Manager",
        description: "Each secret rotates at least as often as the runbook says for its kind: database passwords 90 days, API keys 180, JWT signing keys 365.",
        rationale: "The runbook's periods (2.3) are the promise; a longer period in code silently breaks it.",
        controls: [
            { framework: "Runbook", id: "2.3 rotation: 90 / 180 / 365 days" },
            { framework: "Security Hub FSBP", id: "SecretsManager.4" },
        ],
        enforcement: EVERYWHERE,
        types: [SECRET],
        check: (s, stack) => {
            const declared = rotationDays(s, stack);
            if (!declared) return []; // secrets-rotation-scheduled reports it
            const name = leaf(s);
            const runbook = name !== undefined ? RUNBOOK_ROTATION_DAYS[name] : undefined;
            if (!runbook) return [`the runbook gives no rotation period for ${shown(name)}: name the secret after its kind (${Object.keys(RUNBOOK_ROTATION_DAYS).join(", ")})`];
            if (declared.days === undefined) return [`${declared.source} states no period in days`];
            return declared.days <= runbook.days ? [] : [`${declared.source} rotates it every ${declared.days} days: the runbook rotates ${runbook.kind} at least every ${runbook.days}`];
        },
    },
    {
        name: "secrets-recovery-window",
        service: "Secrets Manager",
        description: `Deleting a production secret leaves it recoverable for ${PRODUCTION_RECOVERY_WINDOW_DAYS} days.`,
        rationale: "A deleted secret stops every pod that reads it at the next refresh; the recovery window is the time to restore it. 0 deletes at once.",
        controls: [{ framework: "Project", id: "production is safe by default (secrets.recoveryWindowDays)" }],
        enforcement: productionOnly("staging and previews recreate their secrets with the stack; a short window frees the names sooner."),
        types: [SECRET],
        check: (s) => {
            const days = num(s.inputs["recoveryWindowInDays"]);
            return days === undefined || days >= PRODUCTION_RECOVERY_WINDOW_DAYS ? [] : [`recoveryWindowInDays is ${days}: set ${PRODUCTION_RECOVERY_WINDOW_DAYS}`];
        },
    },
    {
        name: "secrets-replicated-to-dr",
        service: "Secrets Manager",
        description: "Production secrets are replicated to another region.",
        rationale: "The DR rebuild reads the replicas while the primary region, and its Secrets Manager, is down (runbook 3.9, docs/secrets.md).",
        controls: [{ framework: "Runbook", id: "3.9 regional outage" }],
        enforcement: productionOnly("staging secrets are recreated with staging after a regional outage."),
        types: [SECRET],
        check: (s, stack) => {
            const own = regionOf(s, stack.resources);
            const regions = asArray(s.inputs["replicas"]).map((r) => at(r, "region"));
            return regions.some((r) => typeof r === "string" && r !== own) ? [] : ["no replica in another region: add replicas [{ region: <DR region>, kmsKeyId }]"];
        },
    },
];
