import { ListSecretVersionIdsCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PERIOD_TAG, SecretAge, periodFromTag, secretAge } from "./age";

/**
 * Runs daily: measures the age of every secret under this environment's prefix against its
 * rotation period and publishes `OverdueSecrets` (the count) and `SecretAgeDays` (per secret) in
 * CloudWatch's embedded metric format: log lines CloudWatch turns into metrics, so the function
 * needs no `cloudwatch:PutMetricData` (which admits no resource scoping).
 * The `OverdueSecrets` alarm fires on any overdue secret: a rotation that keeps failing, or an
 * external API key nobody rotated with its provider.
 */

export interface AgeCheckDeps {
    sm: SecretsManagerClient;
    /** Writes one log line (stdout in Lambda: raw, so CloudWatch reads the metric format). */
    log: (line: string) => void;
    /** `<app>/<environment>/`. */
    prefix: string;
    /** CloudWatch namespace of the metrics. */
    namespace: string;
    now?: () => Date;
}

/** Every secret under the prefix with a period tag, with its age. */
export async function measure(deps: AgeCheckDeps): Promise<SecretAge[]> {
    const now = (deps.now ?? (() => new Date()))();
    const ages: SecretAge[] = [];
    let nextToken: string | undefined;
    do {
        const page = await deps.sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [deps.prefix] }], NextToken: nextToken }));
        for (const s of page.SecretList ?? []) {
            // The name filter matches prefixes of words too: keep only names under the prefix.
            if (!s.Name?.startsWith(deps.prefix) || !s.ARN) continue;
            const period = periodFromTag(s.Tags?.find((t) => t.Key === PERIOD_TAG)?.Value);
            if (period === undefined) continue;
            const versions = await deps.sm.send(new ListSecretVersionIdsCommand({ SecretId: s.ARN }));
            const current = versions.Versions?.find((v) => v.VersionStages?.includes("AWSCURRENT"));
            const created = current?.CreatedDate ?? s.CreatedDate;
            if (!created) throw new Error(`Secret ${s.Name} has no current version date.`);
            ages.push(secretAge(s.Name, created, period, now));
        }
        nextToken = page.NextToken;
    } while (nextToken);
    return ages;
}

/** The embedded-metric-format records of one check: the overdue count, then each secret's age. */
export function metricRecords(namespace: string, prefix: string, ages: SecretAge[], now: Date): object[] {
    const record = (dimensions: string[][], metric: string, unit: string, fields: Record<string, string | number>) => ({
        _aws: { Timestamp: now.getTime(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: dimensions, Metrics: [{ Name: metric, Unit: unit }] }] },
        SecretsPrefix: prefix,
        ...fields,
    });
    return [
        record([["SecretsPrefix"]], "OverdueSecrets", "Count", { OverdueSecrets: ages.filter((a) => a.overdue).length }),
        ...ages.map((a) => record([["SecretsPrefix", "SecretName"]], "SecretAgeDays", "None", { SecretName: a.name, SecretAgeDays: a.ageDays, PeriodDays: a.periodDays })),
    ];
}

export async function checkAges(deps: AgeCheckDeps): Promise<{ overdue: string[] }> {
    const ages = await measure(deps);
    const now = (deps.now ?? (() => new Date()))();
    for (const r of metricRecords(deps.namespace, deps.prefix, ages, now)) deps.log(JSON.stringify(r));
    return { overdue: ages.filter((a) => a.overdue).map((a) => a.name) };
}

export const handler = async (): Promise<{ overdue: string[] }> =>
    checkAges({
        sm: new SecretsManagerClient({}),
        log: (line) => process.stdout.write(`${line}\n`),
        prefix: process.env["SECRETS_PREFIX"] ?? "",
        namespace: process.env["METRIC_NAMESPACE"] ?? "",
    });
