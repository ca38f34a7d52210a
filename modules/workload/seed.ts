import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { contentHash } from "./image";
import { TMP_MOUNT, TMP_VOLUME, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";
import { OFFICIAL_IMAGE_UID } from "./stores";

export interface DataSeedArgs {
    namespace: pulumi.Input<string>;
    /** The SQL to load: its text, read by the caller from the repository. */
    sql: string;
    /** A PostgreSQL client image (the in-cluster store's own image). */
    image: string;
    /** Secret holding the connection string, and its key. */
    databaseUrlSecret: { name: pulumi.Input<string>; key: string };
    /** The schema must exist first: the migrations Jobs. */
    dependsOn: pulumi.Resource[];
}

/**
 * Loads synthetic data into the in-cluster database with `psql`, once per version of the SQL
 * file: the Job is named after the file's content, so an edited file runs again on the next
 * `pulumi up`, and an unchanged one does not. The SQL must be idempotent (the data survives in
 * the volume). An init container waits until PostgreSQL accepts connections.
 */
export class DataSeed extends pulumi.ComponentResource {
    readonly job: k8s.batch.v1.Job;

    constructor(name: string, args: DataSeedArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:workload:DataSeed", name, {}, opts);
        const hash = contentHash(args.sql);
        const labels = { "app.kubernetes.io/name": "seed", "app.kubernetes.io/part-of": "in-cluster-stores" };
        const sqlFiles = new k8s.core.v1.ConfigMap(
            `${name}-sql`,
            { metadata: { namespace: args.namespace, labels }, immutable: true, data: { "seed.sql": args.sql } },
            { parent: this },
        );
        const env = [{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: args.databaseUrlSecret.name, key: args.databaseUrlSecret.key } } }];
        const container = {
            image: args.image,
            imagePullPolicy: "IfNotPresent",
            env,
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
            securityContext: restrictedContainerSecurityContext(OFFICIAL_IMAGE_UID),
        };
        this.job = new k8s.batch.v1.Job(
            `${name}-job`,
            {
                metadata: { name: `seed-${hash}`, namespace: args.namespace, labels },
                spec: {
                    backoffLimit: 2,
                    activeDeadlineSeconds: 600,
                    template: {
                        metadata: { labels },
                        spec: {
                            restartPolicy: "Never",
                            automountServiceAccountToken: false,
                            securityContext: restrictedPodSecurityContext(OFFICIAL_IMAGE_UID),
                            initContainers: [
                                {
                                    ...container,
                                    name: "wait-for-postgres",
                                    command: ["sh", "-c", 'until pg_isready --dbname="$DATABASE_URL"; do sleep 2; done'],
                                    volumeMounts: [TMP_MOUNT],
                                },
                            ],
                            containers: [
                                {
                                    ...container,
                                    name: "seed",
                                    command: ["sh", "-c", 'psql "$DATABASE_URL" --set=ON_ERROR_STOP=1 --file=/seed/seed.sql'],
                                    volumeMounts: [TMP_MOUNT, { name: "sql", mountPath: "/seed", readOnly: true }],
                                },
                            ],
                            volumes: [TMP_VOLUME, { name: "sql", configMap: { name: sqlFiles.metadata.name } }],
                        },
                    },
                },
            },
            { parent: this, dependsOn: args.dependsOn, customTimeouts: { create: "10m", update: "10m" } },
        );
        this.registerOutputs({ job: this.job.metadata.name });
    }
}
