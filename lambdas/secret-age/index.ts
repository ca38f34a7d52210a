import { CloudWatchClient, PutMetricDataCommand, StandardUnit } from "@aws-sdk/client-cloudwatch";
import { ListSecretVersionIdsCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PERIOD_TAG, SecretAge, periodFromTag, secretAge } from "./age";

/**
 * Runs daily: measures the age of every secret under this environment's prefix against its
 * rotation period and publishes `OverdueSecrets` (the count) and `SecretAgeDays` (per secret).
 * The `OverdueSecrets` alarm fires on any overdue secret: a rotation that keeps failing, or an
 * external API key nobody rotated with its provider.
 */

export interface AgeCheckDeps {
    sm: SecretsManagerClient;
    cw: CloudWatchClient;
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

/** Publishes the metrics of one check. */
export async function publish(deps: AgeCheckDeps, ages: SecretAge[]): Promise<void> {
    const prefix = { Name: "SecretsPrefix", Value: deps.prefix };
    const data = [
        { MetricName: "OverdueSecrets", Dimensions: [prefix], Value: ages.filter((a) => a.overdue).length, Unit: StandardUnit.Count },
        ...ages.map((a) => ({ MetricName: "SecretAgeDays", Dimensions: [prefix, { Name: "SecretName", Value: a.name }], Value: a.ageDays, Unit: StandardUnit.None })),
    ];
    // PutMetricData takes at most 1000 values per call.
    for (let i = 0; i < data.length; i += 1000) {
        await deps.cw.send(new PutMetricDataCommand({ Namespace: deps.namespace, MetricData: data.slice(i, i + 1000) }));
    }
}

export async function checkAges(deps: AgeCheckDeps): Promise<{ overdue: string[] }> {
    const ages = await measure(deps);
    await publish(deps, ages);
    return { overdue: ages.filter((a) => a.overdue).map((a) => a.name) };
}

export const handler = async (): Promise<{ overdue: string[] }> =>
    checkAges({
        sm: new SecretsManagerClient({}),
        cw: new CloudWatchClient({}),
        prefix: process.env["SECRETS_PREFIX"] ?? "",
        namespace: process.env["METRIC_NAMESPACE"] ?? "",
    });
