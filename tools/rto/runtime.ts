import type { PlannedResource } from "../plan/record";
import { CreationGraph, GraphNode, Wait } from "./graph";

/**
 * Waits that are not Pulumi's ordering but that a resource cannot finish before: the engine may
 * start it, yet its await logic only ends once something else has happened in the cluster. They
 * are added to the graph as `runtime` waits, and count against the resource's own deadline.
 *
 * - Pods that read a Secret which External Secrets writes start only once it exists, and External
 *   Secrets writes it only once every remote value it reads has a version (a SecretVersion of the
 *   plan). That sync is a node of its own (`<ExternalSecret urn>#synced`), since Pulumi does not
 *   wait for it unless the ExternalSecret asks to (`pulumi.com/waitFor`).
 * - A Service with a selector is created once a pod it selects has an IP (pulumi-kubernetes'
 *   Service await), so it waits for the workload those pods belong to to start.
 */

/** The id of the sync event of an ExternalSecret. */
export function syncId(externalSecretUrn: string): string {
    return `${externalSecretUrn}#synced`;
}

/** The type of a sync event, as the duration table names it. */
export const SYNC_TYPE = "external-secrets.io:sync";

const WORKLOAD_TYPES = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet"];
const POD_TYPES = [...WORKLOAD_TYPES, "kubernetes:batch/v1:Job", "kubernetes:core/v1:Pod"];
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
}

function list(v: unknown): Json[] {
    return Array.isArray(v) ? v.map(obj) : [];
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** A Kubernetes resource's namespace, name and annotations. */
function meta(r: PlannedResource): { namespace?: string; name?: string; annotations: Json } {
    const m = obj(r.inputs["metadata"]);
    return { namespace: str(m["namespace"]), name: str(m["name"]), annotations: obj(m["annotations"]) };
}

/** True when the resource asks pulumi-kubernetes not to await it. */
export function skipsAwait(r: PlannedResource): boolean {
    return str(meta(r).annotations["pulumi.com/skipAwait"]) === "true";
}

/** True when the resource asks pulumi-kubernetes to await a condition of it (`pulumi.com/waitFor`). */
export function waitsForCondition(r: PlannedResource): boolean {
    return meta(r).annotations["pulumi.com/waitFor"] !== undefined;
}

/** The pod template of a workload or Job (the spec itself for a Pod). */
function podSpec(r: PlannedResource): Json {
    const spec = obj(r.inputs["spec"]);
    return r.type === "kubernetes:core/v1:Pod" ? spec : obj(obj(spec["template"])["spec"]);
}

/** The names of the Secrets a pod spec reads: env, envFrom and volumes. */
export function secretsRead(spec: Json): string[] {
    const names = new Set<string>();
    const add = (v: unknown): void => {
        const s = str(v);
        if (s !== undefined) names.add(s);
    };
    for (const c of [...list(spec["containers"]), ...list(spec["initContainers"])]) {
        for (const e of list(c["envFrom"])) add(obj(e["secretRef"])["name"]);
        for (const e of list(c["env"])) add(obj(obj(e["valueFrom"])["secretKeyRef"])["name"]);
    }
    for (const v of list(spec["volumes"])) {
        add(obj(v["secret"])["secretName"]);
        for (const source of list(obj(v["projected"])["sources"])) add(obj(source["secret"])["name"]);
    }
    return [...names].sort();
}

/** The remote keys an ExternalSecret reads (`data[].remoteRef.key`, `dataFrom[].extract.key`). */
export function remoteKeys(externalSecret: PlannedResource): string[] {
    const spec = obj(externalSecret.inputs["spec"]);
    const keys = [
        ...list(spec["data"]).map((d) => str(obj(d["remoteRef"])["key"])),
        ...list(spec["dataFrom"]).map((d) => str(obj(d["extract"])["key"])),
    ];
    return [...new Set(keys.filter((k): k is string => k !== undefined))].sort();
}

/** The Kubernetes Secret an ExternalSecret writes: `spec.target.name`, else its own name. */
function targetName(externalSecret: PlannedResource): string | undefined {
    return str(obj(obj(externalSecret.inputs["spec"])["target"])["name"]) ?? meta(externalSecret).name;
}

/** The plan's resources that give a Secrets Manager secret its value: its SecretVersions, else the secret itself. */
function remoteValueSources(resources: PlannedResource[], key: string): PlannedResource[] {
    const secret = resources.find(
        (r) => r.type === "aws:secretsmanager/secret:Secret" && (r.inputs["name"] === key || r.id === key || r.inputs["arn"] === key),
    );
    if (!secret) return [];
    const versions = resources.filter(
        (r) =>
            r.type === "aws:secretsmanager/secretVersion:SecretVersion" &&
            (r.dependencies.includes(secret.urn) || r.inputs["secretId"] === key || r.inputs["secretId"] === secret.id),
    );
    return versions.length > 0 ? versions : [secret];
}

function addWait(node: GraphNode, wait: Wait): void {
    if (!node.waits.some((w) => w.on === wait.on)) node.waits.push(wait);
}

/**
 * Adds the sync event of each ExternalSecret: it follows the ExternalSecret and waits for the
 * values it reads. An ExternalSecret that Pulumi awaits (`pulumi.com/waitFor`) is its own sync.
 * Returns the node standing for each ExternalSecret's sync, by namespace and target Secret name.
 */
function addSyncs(graph: CreationGraph, resources: PlannedResource[]): Map<string, GraphNode> {
    const bySecret = new Map<string, GraphNode>();
    for (const es of resources.filter((r) => r.type === EXTERNAL_SECRET)) {
        let sync = graph.nodes.get(es.urn)!;
        if (!waitsForCondition(es)) {
            sync = {
                id: syncId(es.urn),
                name: `${es.name} synced`,
                type: SYNC_TYPE,
                component: false,
                waits: [{ on: es.urn, kind: "follows", why: `External Secrets syncs ${es.name} once it exists` }],
            };
            graph.nodes.set(sync.id, sync);
        }
        for (const key of remoteKeys(es)) {
            for (const source of remoteValueSources(resources, key)) {
                addWait(sync, { on: source.urn, kind: "runtime", why: `External Secrets can write the Secret only once ${key} has a value (${source.name})` });
            }
        }
        const target = targetName(es);
        if (target !== undefined) bySecret.set(`${meta(es).namespace ?? ""}/${target}`, sync);
    }
    return bySecret;
}

/** Pods wait for the Secrets they read that External Secrets writes. */
function addSecretReaders(graph: CreationGraph, resources: PlannedResource[], syncs: Map<string, GraphNode>): void {
    for (const r of resources.filter((x) => POD_TYPES.includes(x.type))) {
        const node = graph.nodes.get(r.urn)!;
        for (const secret of secretsRead(podSpec(r))) {
            const sync = syncs.get(`${meta(r).namespace ?? ""}/${secret}`);
            if (sync && sync.id !== node.id) {
                addWait(node, { on: sync.id, kind: "runtime", why: `starts its pods only once the Secret ${secret} exists` });
            }
        }
    }
}

/** The id of the event "the pods of a workload are scheduled and have an IP". */
export function podsScheduledId(workloadUrn: string): string {
    return `${workloadUrn}#podsScheduled`;
}

/** The type of that event, as the duration table names it. */
export const PODS_SCHEDULED_TYPE = "kubernetes:podsScheduled";

/** The event node of a workload's pods being scheduled: it starts when the workload does (same Pulumi waits). */
function podsScheduled(graph: CreationGraph, workload: PlannedResource): GraphNode {
    const id = podsScheduledId(workload.urn);
    let node = graph.nodes.get(id);
    if (!node) {
        const own = graph.nodes.get(workload.urn)!;
        const waits = own.waits.filter((w) => w.kind !== "runtime").map((w) => ({ ...w, why: `starts with ${workload.name}, which ${w.why}` }));
        node = { id, name: `${workload.name} pods scheduled`, type: PODS_SCHEDULED_TYPE, component: false, waits };
        graph.nodes.set(id, node);
    }
    return node;
}

/**
 * Services with a selector wait for the pods they select. pulumi-kubernetes (provider/pkg/await/
 * service.go) creates a Service once its Endpoints have subsets (a selected pod has an IP, ready
 * or not) and 10 s have passed without change; headless and ExternalName Services do not wait.
 */
function addServiceEndpoints(graph: CreationGraph, resources: PlannedResource[]): void {
    const workloads = resources.filter((r) => WORKLOAD_TYPES.includes(r.type));
    for (const svc of resources.filter((r) => r.type === "kubernetes:core/v1:Service" && !skipsAwait(r))) {
        const spec = obj(svc.inputs["spec"]);
        const selector = obj(spec["selector"]);
        if (spec["type"] === "ExternalName" || spec["clusterIP"] === "None" || Object.keys(selector).length === 0) continue;
        const node = graph.nodes.get(svc.urn)!;
        for (const w of workloads) {
            if ((meta(w).namespace ?? "") !== (meta(svc).namespace ?? "")) continue;
            const labels = obj(obj(obj(obj(w.inputs["spec"])["template"])["metadata"])["labels"]);
            if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
            const pods = podsScheduled(graph, w);
            addWait(node, { on: pods.id, kind: "runtime", why: `has endpoints only once a pod of ${w.name} has an IP` });
        }
    }
}

/** Adds the runtime waits of a plan to its creation graph. */
export function addRuntimeWaits(graph: CreationGraph, resources: PlannedResource[]): void {
    const syncs = addSyncs(graph, resources);
    addSecretReaders(graph, resources, syncs);
    addServiceEndpoints(graph, resources);
}
