import type { Plan, PlannedResource } from "../../../tools/plan/record";
import { DURATIONS } from "../../../tools/rto/durations";

/** Small hand-made plans for the RTO estimate's tests. */

export const STACK_URN = "urn:pulumi:test::ops::pulumi:pulumi:Stack::ops-test";

/** The URN a resource of the hand-made plans gets. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::ops::${type}::${name}`;
}

type Refs = { dependsOn?: PlannedResource[]; inputs?: PlannedResource[] };

/** A resource of a hand-made plan; parented to the stack unless told. */
export function res(
    type: string,
    name: string,
    opts: Refs & {
        parent?: PlannedResource;
        provider?: PlannedResource;
        custom?: boolean;
        options?: Record<string, unknown>;
        inputs_?: Record<string, unknown>;
    } = {},
): PlannedResource {
    return {
        urn: urnOf(type, name),
        type,
        name,
        id: opts.custom === false ? null : `${name}-id`,
        parent: opts.parent?.urn ?? STACK_URN,
        custom: opts.custom ?? true,
        provider: opts.provider?.urn ?? null,
        dependsOn: (opts.dependsOn ?? []).map((r) => r.urn),
        dependencies: (opts.inputs ?? []).map((r) => r.urn),
        protect: false,
        retainOnDelete: false,
        options: opts.options ?? {},
        inputs: opts.inputs_ ?? {},
    };
}

/** A component of a hand-made plan. */
export function component(name: string, opts: { parent?: PlannedResource; dependsOn?: PlannedResource[]; providers?: PlannedResource[] } = {}): PlannedResource {
    const r = res("ops:test:Box", name, { ...opts, custom: false, ...(opts.parent ? { parent: opts.parent } : {}) });
    if (opts.providers) r.options = { providers: opts.providers.map((p) => p.urn) };
    return r;
}

/** A plan of the given resources, under the stack. */
export function plan(...resources: PlannedResource[]): Plan {
    const stack: PlannedResource = {
        urn: STACK_URN,
        type: "pulumi:pulumi:Stack",
        name: "ops-test",
        id: null,
        parent: null,
        custom: false,
        provider: null,
        dependsOn: [],
        dependencies: [],
        protect: false,
        retainOnDelete: false,
        options: {},
        inputs: {},
    };
    return { project: "ops", stack: "test", resources: [stack, ...resources], outputs: {} };
}

/** The table's figures for a key, which the tests add up (so calibrating the table never breaks them). */
export function typical(key: string): number {
    const e = DURATIONS[key];
    if (!e) throw new Error(`no table entry ${key}`);
    return e.typical;
}

export function worst(key: string): number {
    const e = DURATIONS[key];
    if (!e) throw new Error(`no table entry ${key}`);
    return e.worst;
}

export const VPC = "aws:ec2/vpc:Vpc";
export const SUBNET = "aws:ec2/subnet:Subnet";
export const CLUSTER = "aws:eks/cluster:Cluster";
export const NODES = "aws:eks/nodeGroup:NodeGroup";
export const ADDON = "aws:eks/addon:Addon";
export const ROLE = "aws:iam/role:Role";
export const NAT = "aws:ec2/natGateway:NatGateway";
export const BUCKET = "aws:s3/bucket:Bucket";
export const AWS_PROVIDER = "pulumi:providers:aws";
export const K8S_PROVIDER = "pulumi:providers:kubernetes";
