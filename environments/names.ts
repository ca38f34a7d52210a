import { ClusterCiAccess, clusterAccess } from "../modules/ci/roles";
import { HEALTH_CHECK_METRICS_REGION } from "../modules/observability/healthCheck";
import { secretName, secretsPrefix } from "../modules/secrets/names";
import type { Settings } from "../settings/load";
import type { StackShape } from "../settings/shape";

/**
 * Every name the layers give a stack's resources, derived once from the settings: the Pulumi
 * names of the components the layers create (modules name their children after them) and the
 * physical names the layers choose (the EKS cluster, the buckets, secret paths, the namespace).
 * Pure, so tests, docs and every layer read the same names.
 *
 * A name is a contract: a changed physical name replaces the resource, a changed Pulumi name
 * replaces it too unless the resource keeps its old name as an `alias`.
 *
 * Four conventions, each for a reason:
 * - **Regional: `<app>-<environment>`** (`myapp-production`): the network, the cluster, the
 *   registry, the edge, the data stores, the backup vaults, the keys and the secrets components.
 *   A DR rebuild (`production-dr`, environment production) lives in another region, so it takes
 *   the names of the stack it replaces: the scripts and runbooks name `myapp-production` in
 *   either region.
 * - **Per stack: `<app>-<stack>`** (`myapp-production-dr`): whatever is global to the account or
 *   lives in a fixed region whatever the stack's, where a DR rebuild's names would collide with
 *   production's: S3 buckets (global names; the region is appended), dashboards (global), and the
 *   observability layer's alarms and topics (the service-down alarm and its topics live in
 *   us-east-1 for every stack).
 * - **Secrets: `<app>/<scope>/<NAME>`** with the scope `secrets.pathScope`, else the environment:
 *   a DR rebuild sets its own, since production's replicas already hold `<app>/production/*` in
 *   the DR region.
 * - **Kubernetes: the app's name** for the namespace (a preview's is `<app>-<stack>`, beside the
 *   others on the staging cluster) and the objects in it; the Deployments and Services of the
 *   tracks are named in modules/workload/tracks.ts.
 */
export interface StackNames {
    /** `<app>-<environment>`: the regional prefix (Pulumi names and physical names). */
    regional: string;
    /** `<app>-<stack>`: the per-stack prefix of global and fixed-region names, and of the observability layer. */
    perStack: string;
    /** Pulumi name of the AWS providers (modules/aws adds each provider's region). */
    awsProviders: string;
    /** The stack's KMS keys (modules/keys `Keys`): component name and alias prefix (`alias/<prefix>/<purpose>`). */
    keys: { component: string; aliasPrefix: string };
    /** The EKS cluster's physical name: the platform creates it, and the logs, queries, alarms and dashboards read it. */
    cluster: string;
    /** Pulumi name of the cluster's controllers (load balancer controller, External Secrets, metrics server). */
    controllers: string;
    /** The app's ECR repository: `<app>/<environment>/app`. */
    registryRepository: string;
    /** The Kubernetes Secret External Secrets fills for the app on a cloud stack. */
    appSecret: string;
    /** Pulumi name of the stack's budget (modules/budget): per stack, like its physical name `<app>-<stack>-monthly`. */
    budget: string;
    /** Pulumi name of the app's Pod Identity role (modules/identity): IAM is global, so per stack. */
    appIdentity: string;
    /** The data layer: its components and the bucket names. */
    data: {
        /** The RDS instance's identifier (`<app>-<environment>`): scripts/restore_database.sh and the runbooks name it. */
        databaseIdentifier: string;
        /** The ElastiCache replication group's id (`<app>-<environment>`). */
        cacheReplicationGroupId: string;
        /** The daily backup plan's selection tag: every resource carrying it is backed up. */
        backupTag: Record<string, string>;
        filesComponent: string;
        /** The files bucket: `<app>-<stack>-files-<region>` (bucket names are global). */
        bucket: string;
        /** Its replica in the DR region: `<app>-<stack>-files-<drRegion>`. */
        replicaBucket: string;
        backupComponent: string;
        restoreValidationComponent: string;
        /** CloudWatch namespace of the restore validation's `RestoreValidationFailed` metric. */
        restoreValidationMetricNamespace: string;
    };
    /** The secrets layer. */
    secrets: {
        /** The middle of every secret name: `secrets.pathScope`, else the environment. */
        scope: string;
        /** `<app>/<scope>/`: every secret of the stack, and nothing of another. */
        prefix: string;
        /** The app's DATABASE_URL secret, which the restore validation logs in with. */
        databaseUrl: string;
        /** Pulumi name of the ExternalSecret and its store in the workload's namespace. */
        deliveryComponent: string;
    };
    /** The workload layer. */
    workload: {
        /** The app's namespace: `kubernetes.namespace`, else the app's name (`<app>-<stack>` on a preview). */
        namespace: string;
        /** Pulumi name of the namespace and app components, and `app.kubernetes.io/part-of` of their objects. */
        app: string;
        stores: string;
        secretKey: string;
        seed: string;
        /** The Kubernetes provider of a stack without a cluster of its own, by shape. */
        localCluster: string;
        previewCluster: string;
        /** The StackReference a preview reads the staging cluster's kubeconfig through. */
        clusterStackReference: string;
    };
    /** Delivery: the CI roles the cluster admits (named as the bootstrap stack names them), and the runner's component. */
    ci: {
        clusterAccess: ClusterCiAccess;
        runner: string;
    };
    /** The observability layer: every name carries the stack (see above). */
    observability: {
        alerts: string;
        /** The PagerDuty on-call (modules/oncall), with pagerDutyToken: its provider and resources. */
        onCall: string;
        /** The alert topics and their key in us-east-1, where Route53's health-check metrics are. */
        alertsInHealthCheckRegion: string;
        /** That key's alias prefix, `<app>/<stack>` (`alias/<app>/<stack>/alerts`): the region is shared by stacks. */
        alertsKeyAliasPrefix: string;
        containerInsightsLogs: string;
        queries: string;
        healthCheck: string;
        alarms: string;
        alarmsInHealthCheckRegion: string;
        dashboards: string;
        tracing: string;
        /** The Kubernetes namespace of the tracing collector. */
        tracingNamespace: string;
    };
    /** The feature-flags layer (environments/flags.ts). */
    flags: {
        /** Pulumi name of the AppConfig component (cloud) or the local ConfigMap's (dev, pr-<N>). */
        component: string;
        /** The AppConfig application, environment and profile (`<app>-<environment>`, the environment, `feature-flags`); locally, the names of the agent's file. */
        endpoint: { application: string; environment: string; profile: string };
        /** Pulumi name of the app's Pod Identity role (modules/workload `AppIdentity`). */
        appIdentity: string;
        /** The ConfigMap the agent reads on dev and pr-<N>. */
        localConfigMap: string;
        /** Prefix of the deployment strategies and the log resource policy: `<app>-<stack>`. */
        namePrefix: string;
        /** The log group of AppConfig's deployment events, which the Production dashboard shows beside the error rate. */
        deploymentsLogGroup: string;
    };
}

/** The names of a stack's resources (see `StackNames` for the conventions). */
export function stackNames(
    settings: Pick<Settings, "appName" | "environment" | "stack" | "region" | "drRegion" | "kubernetes" | "secrets"> & { cluster?: { ciRole?: string }; dr?: { regionalName?: string } },
    shape: StackShape,
): StackNames {
    const app = settings.appName;
    // A DR drill's own regional prefix (dr.regionalName), so it never takes a real rebuild's names.
    const regional = settings.dr?.regionalName ?? `${app}-${settings.environment}`;
    const perStack = `${app}-${settings.stack}`;
    const scope = settings.secrets.pathScope ?? settings.environment;
    return {
        regional,
        perStack,
        awsProviders: app,
        keys: { component: `${regional}-keys`, aliasPrefix: settings.dr?.regionalName ?? `${app}/${settings.environment}` },
        cluster: regional,
        controllers: `${regional}-controllers`,
        registryRepository: `${app}/${settings.environment}/app`,
        appSecret: `${app}-app`,
        budget: `${perStack}-budget`,
        appIdentity: `${perStack}-app-identity`,
        data: {
            databaseIdentifier: regional,
            cacheReplicationGroupId: regional,
            backupTag: { "backup-plan": `${regional}-daily` },
            filesComponent: `${regional}-files`,
            bucket: `${perStack}-files-${settings.region}`,
            replicaBucket: `${perStack}-files-${settings.drRegion}`,
            backupComponent: `${regional}-backup`,
            restoreValidationComponent: `${regional}-restore-validation`,
            restoreValidationMetricNamespace: `${app}/Backup`,
        },
        secrets: {
            scope,
            prefix: secretsPrefix(app, scope),
            databaseUrl: secretName(app, scope, "DATABASE_URL"),
            deliveryComponent: `${regional}-delivery`,
        },
        workload: {
            namespace: settings.kubernetes.namespace ?? (shape === "preview" ? perStack : app),
            app,
            stores: `${app}-stores`,
            secretKey: `${app}-secret-key`,
            seed: `${app}-seed`,
            localCluster: "local-cluster",
            previewCluster: "preview-cluster",
            clusterStackReference: "cluster-stack",
        },
        ci: {
            clusterAccess: clusterAccess(app, settings.environment, settings.cluster?.ciRole),
            runner: `${regional}-ci-runner`,
        },
        observability: {
            alerts: `${perStack}-alerts`,
            onCall: `${perStack}-oncall`,
            alertsInHealthCheckRegion: `${perStack}-alerts-${HEALTH_CHECK_METRICS_REGION}`,
            alertsKeyAliasPrefix: `${app}/${settings.stack}`,
            // The name the log groups' component had when the observability layer made it, so nothing was replaced.
            containerInsightsLogs: `${perStack}-logs`,
            queries: `${perStack}-queries`,
            healthCheck: perStack,
            alarms: `${perStack}-alarms`,
            alarmsInHealthCheckRegion: `${perStack}-alarms-${HEALTH_CHECK_METRICS_REGION}`,
            dashboards: `${perStack}-dashboards`,
            tracing: `${perStack}-tracing`,
            tracingNamespace: "opentelemetry",
        },
        flags: {
            component: `${regional}-flags`,
            endpoint: { application: regional, environment: settings.environment, profile: "feature-flags" },
            appIdentity: `${perStack}-app-identity`,
            localConfigMap: "feature-flags",
            namePrefix: perStack,
            deploymentsLogGroup: `/aws/events/${perStack}-feature-flags`,
        },
    };
}

/** The Pulumi names of the bootstrap stack's components (docs/bootstrap.md). */
export interface BootstrapNames {
    awsProviders: string;
    /** The state backend and the secrets provider's key (modules/stateBackend). */
    stateBackend: string;
    /** GitHub's OIDC provider and the CI roles (modules/ci `GithubOidc`). */
    githubOidc: string;
}

/** The names of the bootstrap stack's components. */
export function bootstrapNames(settings: { appName: string }): BootstrapNames {
    const app = settings.appName;
    return { awsProviders: app, stateBackend: `${app}-pulumi-state`, githubOidc: `${app}-ci` };
}
