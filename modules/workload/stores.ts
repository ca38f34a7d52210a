import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { TMP_MOUNT, TMP_VOLUME, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";

/** The UID and GID the official `postgres` and `redis` (Debian) images run their server as. */
export const OFFICIAL_IMAGE_UID = 999;

export interface InClusterStoresArgs {
    /** Namespace to create the stores in (it must exist: pass its output). */
    namespace: pulumi.Input<string>;
    /** Official PostgreSQL image, pinned (`postgres:16.4-bookworm`). */
    postgresImage: string;
    /** Official Redis image, pinned (`redis:7.4.1-bookworm`). */
    redisImage: string;
    /** Size of each store's persistent volume, GiB. Changing it replaces the StatefulSet's claim template. */
    storageGiB: number;
    /** Database and user name. @default "app" */
    databaseName?: string;
}

/**
 * PostgreSQL and Redis as single-replica StatefulSets inside the namespace, for the stacks that
 * have no managed data stores (dev and pr-<N>): persistent volumes, probes, the restricted pod
 * security profile, and passwords from @pulumi/random held as Pulumi secrets. Not for
 * production data: no replication and no backups.
 */
export class InClusterStores extends pulumi.ComponentResource {
    readonly postgres: k8s.apps.v1.StatefulSet;
    readonly redis: k8s.apps.v1.StatefulSet;
    /** `postgresql://...` for DATABASE_URL; a secret. */
    readonly databaseUrl: pulumi.Output<string>;
    /** `redis://...` for REDIS_URL; a secret. */
    readonly redisUrl: pulumi.Output<string>;

    constructor(name: string, args: InClusterStoresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:workload:InClusterStores", name, {}, opts);
        const child = { parent: this };
        const ns = pulumi.output(args.namespace);
        const db = args.databaseName ?? "app";

        const postgresPassword = new random.RandomPassword(`${name}-postgres-password`, { length: 32, special: false }, child);
        const redisPassword = new random.RandomPassword(`${name}-redis-password`, { length: 32, special: false }, child);
        const credentials = new k8s.core.v1.Secret(
            `${name}-credentials`,
            {
                metadata: { namespace: ns, labels: { "app.kubernetes.io/part-of": "in-cluster-stores" } },
                type: "Opaque",
                stringData: { POSTGRES_PASSWORD: pulumi.secret(postgresPassword.result), REDIS_PASSWORD: pulumi.secret(redisPassword.result) },
            },
            child,
        );
        const secretKey = (key: string): k8s.types.input.core.v1.EnvVarSource => ({ secretKeyRef: { name: credentials.metadata.name, key } });

        this.postgres = this.statefulSet(name, "postgres", ns, args, {
            image: args.postgresImage,
            port: 5432,
            env: [
                { name: "POSTGRES_USER", value: db },
                { name: "POSTGRES_DB", value: db },
                { name: "POSTGRES_PASSWORD", valueFrom: secretKey("POSTGRES_PASSWORD") },
                // A subdirectory: the volume's root holds lost+found, which initdb refuses.
                { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
            ],
            dataPath: "/var/lib/postgresql/data",
            // The server's socket directory: the root filesystem is read-only.
            extraMounts: [{ name: "run", mountPath: "/var/run/postgresql" }],
            ready: ["pg_isready", "--host=127.0.0.1", `--username=${db}`, `--dbname=${db}`],
        });
        this.redis = this.statefulSet(name, "redis", ns, args, {
            image: args.redisImage,
            port: 6379,
            env: [{ name: "REDIS_PASSWORD", valueFrom: secretKey("REDIS_PASSWORD") }],
            // Kubernetes expands $(REDIS_PASSWORD) from the container's environment.
            args: ["redis-server", "--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "yes", "--dir", "/data"],
            dataPath: "/data",
            extraMounts: [],
            ready: ["sh", "-c", 'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG'],
        });

        this.databaseUrl = pulumi.secret(
            pulumi.interpolate`postgresql://${db}:${postgresPassword.result}@postgres.${ns}.svc.cluster.local:5432/${db}`,
        );
        this.redisUrl = pulumi.secret(pulumi.interpolate`redis://:${redisPassword.result}@redis.${ns}.svc.cluster.local:6379/0`);
        this.registerOutputs({});
    }

    private statefulSet(
        name: string,
        store: "postgres" | "redis",
        ns: pulumi.Output<string>,
        args: InClusterStoresArgs,
        c: {
            image: string;
            port: number;
            env: k8s.types.input.core.v1.EnvVar[];
            args?: string[];
            dataPath: string;
            extraMounts: k8s.types.input.core.v1.VolumeMount[];
            ready: string[];
        },
    ): k8s.apps.v1.StatefulSet {
        const labels = { "app.kubernetes.io/name": store, "app.kubernetes.io/part-of": "in-cluster-stores" };
        // Headless: the StatefulSet's governing Service, and the stable DNS name the URLs use.
        const service = new k8s.core.v1.Service(
            `${name}-${store}-service`,
            {
                metadata: { name: store, namespace: ns, labels },
                spec: { clusterIP: "None", selector: labels, ports: [{ name: store, port: c.port, targetPort: store }] },
            },
            { parent: this },
        );
        return new k8s.apps.v1.StatefulSet(
            `${name}-${store}`,
            {
                metadata: { name: store, namespace: ns, labels },
                spec: {
                    serviceName: service.metadata.name,
                    replicas: 1,
                    // The data is disposable (synthetic, or a preview's): deleting or replacing the
                    // StatefulSet deletes its volume too, so a reset or a closed preview leaves no disk behind.
                    persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
                    selector: { matchLabels: labels },
                    template: {
                        metadata: { labels },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: restrictedPodSecurityContext(OFFICIAL_IMAGE_UID),
                            terminationGracePeriodSeconds: 30,
                            containers: [
                                {
                                    name: store,
                                    image: c.image,
                                    imagePullPolicy: "IfNotPresent",
                                    ...(c.args ? { args: c.args } : {}),
                                    ports: [{ name: store, containerPort: c.port }],
                                    env: c.env,
                                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                                    securityContext: restrictedContainerSecurityContext(OFFICIAL_IMAGE_UID),
                                    startupProbe: { exec: { command: c.ready }, periodSeconds: 2, failureThreshold: 60 },
                                    livenessProbe: { tcpSocket: { port: store }, periodSeconds: 10, failureThreshold: 6 },
                                    readinessProbe: { exec: { command: c.ready }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
                                    volumeMounts: [{ name: "data", mountPath: c.dataPath }, TMP_MOUNT, ...c.extraMounts],
                                },
                            ],
                            volumes: [TMP_VOLUME, ...c.extraMounts.map((m) => ({ name: m.name, emptyDir: {} }))],
                        },
                    },
                    volumeClaimTemplates: [
                        {
                            metadata: { name: "data", labels },
                            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${args.storageGiB}Gi` } } },
                        },
                    ],
                },
            },
            { parent: this },
        );
    }
}
