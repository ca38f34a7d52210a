import type { PlannedResource } from "../../../tools/plan/record";
import { estimate, prepare } from "../../../tools/rto/estimate";
import { PODS_SCHEDULED_TYPE, SYNC_TYPE, podsScheduledId, remoteKeys, secretsRead, syncId } from "../../../tools/rto/runtime";
import { plan, res, typical, worst } from "./fixtures";

/**
 * Runtime waits: an ExternalSecret's sync waits for the values it reads, pods wait for the Secret
 * it writes, and a Service waits for a pod it selects to have an IP.
 */

const RDS = "aws:rds/instance:Instance";
const SECRET = "aws:secretsmanager/secret:Secret";
const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const ES = "kubernetes:external-secrets.io/v1:ExternalSecret";
const JOB = "kubernetes:batch/v1:Job";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";

function externalSecret(name: string, keys: string[], annotations: Record<string, string> = {}): PlannedResource {
    return res(ES, name, {
        inputs_: {
            metadata: { name, namespace: "app", annotations },
            spec: { target: { name: "app-env" }, data: keys.map((key, i) => ({ secretKey: `K${i}`, remoteRef: { key } })) },
        },
    });
}

function podsReading(type: string, name: string, secret: string, opts: Parameters<typeof res>[2] = {}): PlannedResource {
    const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", envFrom: [{ secretRef: { name: secret } }] }] } };
    return res(type, name, { ...opts, inputs_: { metadata: { name, namespace: "app" }, spec: { template, activeDeadlineSeconds: 900 } } });
}

/** A database whose URL is a Secrets Manager value that an ExternalSecret delivers to a Job. */
function databaseToJob(annotations: Record<string, string> = {}): { resources: PlannedResource[]; es: PlannedResource; job: PlannedResource; version: PlannedResource } {
    const db = res(RDS, "db", { inputs_: { multiAz: true } });
    const secret = res(SECRET, "url", { inputs_: { name: "app/DATABASE_URL" } });
    const version = res(VERSION, "url-version", { inputs: [db, secret], inputs_: { secretId: "app/DATABASE_URL" } });
    const es = externalSecret("app-env", ["app/DATABASE_URL"], annotations);
    // As the program does: customTimeouts 20m, activeDeadlineSeconds 900.
    const job = podsReading(JOB, "migrate", "app-env", { dependsOn: [es], options: { customTimeouts: { create: "20m" } } });
    return { resources: [db, secret, version, es, job], es, job, version };
}

describe("runtime waits", () => {
    it("reads the Secrets a pod spec uses and the keys an ExternalSecret reads", () => {
        const spec = {
            containers: [{ envFrom: [{ secretRef: { name: "a" } }, { configMapRef: { name: "cm" } }], env: [{ valueFrom: { secretKeyRef: { name: "b" } } }] }],
            initContainers: [{ envFrom: [{ secretRef: { name: "c" } }] }],
            volumes: [{ secret: { secretName: "d" } }, { projected: { sources: [{ secret: { name: "e" } }] } }],
        };
        expect(secretsRead(spec)).toEqual(["a", "b", "c", "d", "e"]);
        const es = res(ES, "x", { inputs_: { spec: { data: [{ remoteRef: { key: "k1" } }], dataFrom: [{ extract: { key: "k2" } }, { find: {} }] } } });
        expect(remoteKeys(es)).toEqual(["k1", "k2"]);
    });

    it("makes the ExternalSecret's sync wait for the value it reads, and the Job's pods for the sync", () => {
        const { resources, es, job, version } = databaseToJob();
        const p = prepare(plan(...resources));
        const sync = p.graph.nodes.get(syncId(es.urn))!;
        expect(sync).toMatchObject({ type: SYNC_TYPE, name: "app-env synced" });
        expect(sync.waits).toEqual([
            { on: es.urn, kind: "follows", why: "External Secrets syncs app-env once it exists" },
            { on: version.urn, kind: "runtime", why: "External Secrets can write the Secret only once app/DATABASE_URL has a value (url-version)" },
        ]);
        expect(p.graph.nodes.get(job.urn)!.waits).toContainEqual({ on: sync.id, kind: "runtime", why: "starts its pods only once the Secret app-env exists" });
    });

    it("times a sync that found its values missing by External Secrets' retry back-off, and the Job after it", () => {
        const { resources } = databaseToJob();
        const e = estimate(plan(...resources));
        const dbDone = typical(`${RDS}#multiAz`) + typical(VERSION);
        expect(e.typical.path.map((s) => s.name)).toEqual(["ops-test", "db", "url-version", "app-env synced", "migrate"]);
        const sync = e.typical.path[3]!;
        expect(sync).toMatchObject({ durationKey: `${SYNC_TYPE}#afterRetries`, readySeconds: dbDone, finishSeconds: dbDone + typical(`${SYNC_TYPE}#afterRetries`) });
        expect(e.typical.totalSeconds).toBe(dbDone + typical(`${SYNC_TYPE}#afterRetries`) + typical(JOB));
    });

    it("reports the Job as failing when the wait for its Secret outlasts its activeDeadlineSeconds", () => {
        const { resources } = databaseToJob();
        const risks = estimate(plan(...resources)).deadlineRisks;
        expect(risks.map((r) => [r.kind, r.scenario, r.name, r.deadlineSeconds])).toEqual([
            ["deadline", "typical", "migrate", 900],
            ["deadline", "worst", "migrate", 900],
        ]);
        expect(risks[0]!.message).toMatch(/^migrate \(kubernetes:batch\/v1:Job\) runs .* from its start, .* of it waiting at runtime, past its 15m00s deadline/);
    });

    it("lets an ExternalSecret that Pulumi awaits (pulumi.com/waitFor) be its own sync", () => {
        const { resources, es, version } = databaseToJob({ "pulumi.com/waitFor": "condition=Ready" });
        const p = prepare(plan(...resources));
        expect(p.graph.nodes.has(syncId(es.urn))).toBe(false);
        expect(p.graph.nodes.get(es.urn)!.waits).toContainEqual(expect.objectContaining({ on: version.urn, kind: "runtime" }));
        expect(p.durations.get(es.urn)).toMatchObject({ key: SYNC_TYPE, afterWait: { key: `${SYNC_TYPE}#afterRetries` } });
    });

    it("adds no wait for a value the plan does not create (one made ahead of time)", () => {
        const es = externalSecret("app-env", ["made/ahead/of/time"]);
        const p = prepare(plan(es));
        expect(p.graph.nodes.get(syncId(es.urn))!.waits.map((w) => w.kind)).toEqual(["follows"]);
    });

    it("makes a Service with a selector wait for a selected pod to have an IP, which starts with its workload", () => {
        // GIVEN a Deployment that starts after three Jobs in a row, and a Service created at once
        const first = res(JOB, "first");
        const second = res(JOB, "second", { dependsOn: [first] });
        const third = res(JOB, "third", { dependsOn: [second] });
        const deployment = podsReading(DEPLOYMENT, "web", "none", { dependsOn: [third] });
        const service = res(SERVICE, "web", { inputs_: { metadata: { namespace: "app" }, spec: { selector: { app: "web" } } } });
        const resources = [first, second, third, deployment, service];
        const p = prepare(plan(...resources));
        const pods = p.graph.nodes.get(podsScheduledId(deployment.urn))!;
        expect(pods).toMatchObject({ type: PODS_SCHEDULED_TYPE, name: "web pods scheduled" });
        expect(pods.waits.map((w) => w.on)).toEqual(p.graph.nodes.get(deployment.urn)!.waits.map((w) => w.on));
        expect(p.graph.nodes.get(service.urn)!.waits).toContainEqual({ on: pods.id, kind: "runtime", why: "has endpoints only once a pod of web has an IP" });
        // THEN the Service finishes once the Deployment's pods are scheduled
        const e = estimate(plan(...resources), { until: `${SERVICE}::web` });
        const elapsed = 3 * worst(JOB) + worst(PODS_SCHEDULED_TYPE) + worst(SERVICE);
        expect(e.worst.totalSeconds).toBe(elapsed);
        expect(e.worst.path.map((s) => s.name)).toEqual(["ops-test", "first", "second", "third", "web pods scheduled", "web"]);
        // AND it fails past its 10-minute deadline when that is more than 10 minutes after its own start
        expect(elapsed).toBeGreaterThan(600);
        expect(e.deadlineRisks.find((r) => r.name === "web" && r.scenario === "worst")).toMatchObject({ elapsedSeconds: elapsed, deadlineSeconds: 600 });
    });

    it.each([
        ["a headless Service", { clusterIP: "None", selector: { app: "web" } }, {}],
        ["an ExternalName Service", { type: "ExternalName", selector: { app: "web" } }, {}],
        ["a Service without a selector", {}, {}],
        ["a Service annotated skipAwait", { selector: { app: "web" } }, { "pulumi.com/skipAwait": "true" }],
        ["a Service selecting other pods", { selector: { app: "other" } }, {}],
    ])("adds no endpoint wait for %s", (_what, spec, annotations) => {
        const deployment = podsReading(DEPLOYMENT, "web", "none");
        const service = res(SERVICE, "svc", { inputs_: { metadata: { namespace: "app", annotations }, spec } });
        expect(prepare(plan(deployment, service)).graph.nodes.get(service.urn)!.waits.filter((w) => w.kind === "runtime")).toEqual([]);
    });
});
