import type { Plan, PlannedResource } from "../plan/record";
import { DEFAULT_DURATION, DURATIONS, DurationEntry, Range, SCALING } from "./durations";
import type { GraphNode } from "./graph";
import { SYNC_TYPE, skipsAwait, waitsForCondition } from "./runtime";

/**
 * How long one node of the graph takes, from the table and the resource's inputs and options:
 * the variant its inputs call for (rules below), the time its size adds, and its deadline (the
 * provider's default create timeout, or the program's `customTimeouts.create`).
 */

/** The duration of one node. */
export interface NodeDuration {
    /** The table key used; empty for a component. */
    key: string;
    /** Seconds, typical and worst. */
    range: Range;
    /** The table key and range used instead when the node's runtime waits end after Pulumi starts it. */
    afterWait?: { key: string; range: Range };
    /** Seconds after its start past which the provider fails the update. */
    deadline?: number;
    /** Where the deadline comes from. */
    deadlineSource?: string;
    /** False when the type has no entry and the default was assumed. */
    estimated: boolean;
    /** What the inputs changed, in words. */
    notes: string[];
    /** Why the resource may never finish on its own (it then fails at its deadline, the worst case). */
    blocked?: string;
}

const ZERO: NodeDuration = { key: "", range: { typical: 0, worst: 0 }, estimated: true, notes: [] };

/** Parses a Go duration as customTimeouts take it (`20m`, `1h30m`, `90s`) into seconds; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
    const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/gy;
    let total = 0;
    let consumed = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
        total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2] as "h" | "m" | "s" | "ms"];
        consumed = re.lastIndex;
    }
    return consumed === text.length && text.length > 0 ? total : undefined;
}

function numberInput(r: PlannedResource, key: string): number | undefined {
    const v = r.inputs[key];
    return typeof v === "number" ? v : undefined;
}

/** A variant of the table, chosen from the inputs, with what it adds for size. */
interface Choice {
    key: string;
    /** How many units of SCALING[key] to add. */
    units?: number;
    notes?: string[];
}

function rdsInstance(r: PlannedResource): Choice {
    const i = r.inputs;
    if (r.options["import"] !== undefined && !i["replicateSourceDb"]) {
        return { key: "aws:rds/instance:Instance#promotion", notes: ["adopted with import and no replicateSourceDb: the standing replica is promoted"] };
    }
    if (i["replicateSourceDb"]) return { key: "aws:rds/instance:Instance#readReplica", notes: ["replicateSourceDb: a new read replica"] };
    const storage = numberInput(r, "allocatedStorage") ?? 0;
    const units = Math.max(0, Math.ceil((storage - 100) / 100));
    const size = units > 0 ? [`${storage} GiB: ${units} × 100 GiB beyond the first 100`] : [];
    if (i["restoreToPointInTime"]) return { key: "aws:rds/instance:Instance#pointInTimeRestore", units, notes: ["restoreToPointInTime: a point-in-time restore", ...size] };
    if (i["snapshotIdentifier"]) return { key: "aws:rds/instance:Instance#snapshotRestore", units, notes: ["snapshotIdentifier: a snapshot restore", ...size] };
    if (i["multiAz"] === true) return { key: "aws:rds/instance:Instance#multiAz", notes: ["multiAz: a new Multi-AZ instance"] };
    return { key: r.type };
}

function replicationGroup(r: PlannedResource): Choice {
    const groups = numberInput(r, "numNodeGroups");
    const replicas = numberInput(r, "replicasPerNodeGroup");
    const nodes = numberInput(r, "numCacheClusters") ?? (groups ?? 1) * (1 + (replicas ?? 0));
    const units = Math.max(0, nodes - 2);
    const fromSnapshot = Array.isArray(r.inputs["snapshotArns"]) || typeof r.inputs["snapshotName"] === "string";
    const key = fromSnapshot ? "aws:elasticache/replicationGroup:ReplicationGroup#fromSnapshot" : r.type;
    return { key, units, notes: [`${nodes} cache node${nodes === 1 ? "" : "s"}`, ...(fromSnapshot ? ["restored from a snapshot"] : [])] };
}

/** The rules that pick a variant from a resource's inputs, by type. */
const RULES: Record<string, (r: PlannedResource) => Choice> = {
    "aws:rds/instance:Instance": rdsInstance,
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:lambda/function:Function": (r) => {
        const subnets = (r.inputs["vpcConfig"] as { subnetIds?: unknown[] } | undefined)?.subnetIds;
        return Array.isArray(subnets) && subnets.length > 0 ? { key: `${r.type}#vpc`, notes: ["in a VPC"] } : { key: r.type };
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": (r) =>
        r.inputs["vpcEndpointType"] === "Interface" || r.inputs["vpcEndpointType"] === "GatewayLoadBalancer"
            ? { key: `${r.type}#interface`, notes: [`${String(r.inputs["vpcEndpointType"])} endpoint`] }
            : { key: r.type },
    "kubernetes:core/v1:Service": (r) =>
        (r.inputs["spec"] as { type?: string } | undefined)?.type === "LoadBalancer" ? { key: `${r.type}#loadBalancer`, notes: ["type LoadBalancer"] } : { key: r.type },
    "kubernetes:helm.sh/v3:Release": (r) =>
        r.inputs["skipAwait"] === true && r.inputs["atomic"] !== true ? { key: `${r.type}#skipAwait`, notes: ["skipAwait"] } : { key: r.type },
    "kubernetes:external-secrets.io/v1:ExternalSecret": (r) =>
        waitsForCondition(r) ? { key: SYNC_TYPE, notes: ["pulumi.com/waitFor: Pulumi waits for the sync"] } : { key: r.type },
};

function entry(key: string): DurationEntry | undefined {
    return DURATIONS[key];
}

function withUnits(key: string, base: Range, units: number): Range {
    const s = SCALING[key];
    const n = s ? Math.max(0, units) : 0;
    return { typical: base.typical + (s?.typical ?? 0) * n, worst: base.worst + (s?.worst ?? 0) * n };
}

/** The deadline of a resource: its own customTimeouts.create, the Job's activeDeadlineSeconds, the Helm timeout, or the table's. */
function deadlineOf(r: PlannedResource | undefined, table: DurationEntry | undefined): { deadline?: number; source?: string } {
    const candidates: { deadline: number; source: string }[] = [];
    const custom = (r?.options["customTimeouts"] as { create?: unknown } | undefined)?.create;
    const parsed = typeof custom === "string" ? parseGoDuration(custom) : undefined;
    if (parsed !== undefined) candidates.push({ deadline: parsed, source: `customTimeouts.create ${String(custom)}` });
    else if (table?.deadline !== undefined) candidates.push({ deadline: table.deadline, source: "the provider's default" });
    if (r?.type === "kubernetes:batch/v1:Job") {
        const active = (r.inputs["spec"] as { activeDeadlineSeconds?: unknown } | undefined)?.activeDeadlineSeconds;
        if (typeof active === "number") candidates.push({ deadline: active, source: `the Job's activeDeadlineSeconds ${active}` });
    }
    if (r?.type === "kubernetes:helm.sh/v3:Release" && typeof r.inputs["timeout"] === "number") {
        candidates.push({ deadline: r.inputs["timeout"], source: `the release's timeout ${r.inputs["timeout"]} s` });
    }
    if (candidates.length === 0) return {};
    const first = candidates.reduce((a, b) => (b.deadline < a.deadline ? b : a));
    return { deadline: first.deadline, source: first.source };
}

/** A certificate validated through a record in a zone the same plan creates: nobody has delegated that zone yet. */
function undelegatedZone(r: PlannedResource, plan: Plan): PlannedResource | undefined {
    const byUrn = new Map(plan.resources.map((x) => [x.urn, x]));
    for (const dep of r.dependencies) {
        const record = byUrn.get(dep);
        if (record?.type !== "aws:route53/record:Record") continue;
        const zone = record.dependencies.map((d) => byUrn.get(d)).find((z) => z?.type === "aws:route53/zone:Zone");
        if (zone) return zone;
    }
    return undefined;
}

/** How long a node takes. */
export function durationOf(node: GraphNode, plan: Plan): NodeDuration {
    if (node.component) return ZERO;
    const r = node.resource;
    let choice: Choice;
    if (!r) choice = { key: node.type };
    else if (r.options["import"] !== undefined && r.type !== "aws:rds/instance:Instance") choice = { key: "*#import", notes: ["adopted with import"] };
    else if (r.type.startsWith("kubernetes:") && skipsAwait(r)) choice = { key: "kubernetes:*#skipAwait", notes: ["pulumi.com/skipAwait"] };
    else choice = RULES[r.type]?.(r) ?? { key: r.type };

    const table = entry(choice.key);
    const base = table ?? DEFAULT_DURATION;
    const out: NodeDuration = {
        key: choice.key,
        range: withUnits(choice.key, base, choice.units ?? 0),
        estimated: table !== undefined,
        notes: [...(choice.notes ?? [])],
        ...deadlineOfNode(r, table),
    };
    if (choice.key === SYNC_TYPE) out.afterWait = { key: `${SYNC_TYPE}#afterRetries`, range: entry(`${SYNC_TYPE}#afterRetries`)! };
    if (r?.type === "aws:acm/certificateValidation:CertificateValidation") {
        const zone = undelegatedZone(r, plan);
        if (zone && out.deadline !== undefined) {
            out.blocked = `validated through ${zone.name}, a zone this stack creates: ACM can validate only once the parent domain delegates to that zone, so until someone does the validation waits for its deadline`;
            out.notes.push(out.blocked);
            out.range = { typical: out.range.typical, worst: out.deadline };
        }
    }
    return out;
}

function deadlineOfNode(r: PlannedResource | undefined, table: DurationEntry | undefined): Pick<NodeDuration, "deadline" | "deadlineSource"> {
    const d = deadlineOf(r, table);
    return d.deadline === undefined ? {} : { deadline: d.deadline, deadlineSource: d.source };
}
