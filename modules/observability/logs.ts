import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Log groups created by the program before their producers (runbook 3.3), so that none is
 * created by AWS on first write with no retention and no key, and the saved Logs Insights queries
 * over the app's JSON logs.
 *
 * Who creates which group: the cluster module the EKS control plane's (`/aws/eks/<cluster>/cluster`),
 * the network module the VPC flow logs', the database module RDS's, the cache module the slow
 * log's, the secrets and backup modules their Lambdas'; this module the Container Insights groups
 * the CloudWatch observability add-on writes.
 */

/** The streams the CloudWatch observability add-on (Container Insights + Fluent Bit) writes. */
export const CONTAINER_INSIGHTS_STREAMS = ["application", "dataplane", "host", "performance"] as const;

/** `/aws/containerinsights/<cluster>/<stream>` for each stream. */
export function containerInsightsLogGroupNames(clusterName: string): string[] {
    return CONTAINER_INSIGHTS_STREAMS.map((s) => `/aws/containerinsights/${clusterName}/${s}`);
}

/** The app's log group: Fluent Bit sends every container's stdout there. */
export function applicationLogGroupName(clusterName: string): string {
    return `/aws/containerinsights/${clusterName}/application`;
}

/**
 * Fluent Bit (the add-on's) parses a JSON log line into `log_processed` (`Merge_Log On`,
 * `Merge_Log_Key log_processed`), so the app's fields are `log_processed.<field>` in Logs
 * Insights, beside Fluent Bit's own `kubernetes.*`.
 */
export const APP_FIELD_PREFIX = "log_processed";

/** The searchable fields of runbook 3.3, each with its saved query. */
export const SEARCHABLE_FIELDS = ["request_id", "user_id", "error_code", "service"] as const;
export type SearchableField = (typeof SEARCHABLE_FIELDS)[number];

/** What a saved query's placeholder looks like: replaced by hand before running. */
export const PLACEHOLDER = (field: string): string => `REPLACE-WITH-${field.toUpperCase().replace(/_/g, "-")}`;

/**
 * The saved Logs Insights query for a searchable field, over the app's namespace. Logs Insights
 * has no parameters, so the lookups carry a placeholder to replace; the aggregates run as they are.
 */
export function savedQuery(field: SearchableField, namespace: string): string {
    const f = (name: string): string => `${APP_FIELD_PREFIX}.${name}`;
    const scope = `filter kubernetes.namespace_name = "${namespace}"`;
    const columns = `fields @timestamp, ${f("level")}, ${f("service")}, ${f("request_id")}, ${f("user_id")}, ${f("error_code")}, ${f("message")}, kubernetes.pod_name`;
    switch (field) {
        case "request_id":
            // Every line of one request, in order, across pods and services.
            return [scope, `filter ${f("request_id")} = "${PLACEHOLDER(field)}"`, columns, "sort @timestamp asc", "limit 1000"].join("\n| ");
        case "user_id":
            return [scope, `filter ${f("user_id")} = "${PLACEHOLDER(field)}"`, columns, "sort @timestamp desc", "limit 500"].join("\n| ");
        case "error_code":
            return [scope, `filter ispresent(${f("error_code")})`, `stats count(*) as occurrences, latest(${f("message")}) as last_message by ${f("error_code")}, ${f("service")}`, "sort occurrences desc"].join(
                "\n| ",
            );
        case "service":
            // Lines per component and level over time: a component whose ERROR count climbs stands out.
            return [scope, `filter ispresent(${f("service")})`, `stats count(*) as lines by ${f("service")}, ${f("level")}, bin(5m)`].join("\n| ");
    }
}

export interface LogGroupsArgs {
    /** Exact log group names to create. */
    names: string[];
    retentionDays: number;
    /** The `logs` customer-managed key. */
    kmsKeyArn: pulumi.Input<string>;
    provider: aws.Provider;
}

/** Log groups with the environment's retention, encrypted with the logs key. */
export class LogGroups extends pulumi.ComponentResource {
    /** By name. */
    readonly groups: Record<string, aws.cloudwatch.LogGroup>;

    constructor(name: string, args: LogGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:observability:LogGroups", name, {}, opts);
        this.groups = {};
        for (const groupName of args.names) {
            // The resource name follows the group name, so adding one never renames another.
            const suffix = groupName.replace(/^\/aws\//, "").replace(/[^A-Za-z0-9-]+/g, "-");
            this.groups[groupName] = new aws.cloudwatch.LogGroup(
                `${name}-${suffix}`,
                { name: groupName, retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn },
                { parent: this, provider: args.provider },
            );
        }
        this.registerOutputs({});
    }
}

export interface SavedQueriesArgs {
    /** `<appName>-<stack>`: the queries' folder in the console. */
    namePrefix: string;
    applicationLogGroup: pulumi.Input<string>;
    /** The app's Kubernetes namespace. */
    namespace: string;
    provider: aws.Provider;
}

/** One saved Logs Insights query per searchable field (runbook 3.3). */
export class SavedQueries extends pulumi.ComponentResource {
    constructor(name: string, args: SavedQueriesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:observability:SavedQueries", name, {}, opts);
        for (const field of SEARCHABLE_FIELDS) {
            new aws.cloudwatch.QueryDefinition(
                `${name}-${field.replace(/_/g, "-")}`,
                { name: `${args.namePrefix}/by-${field}`, logGroupNames: [args.applicationLogGroup], queryString: savedQuery(field, args.namespace) },
                { parent: this, provider: args.provider },
            );
        }
        this.registerOutputs({});
    }
}
