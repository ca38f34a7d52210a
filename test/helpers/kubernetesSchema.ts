import { spawnSync } from "child_process";
import * as path from "path";
import type { PlannedResource } from "./plan";

/**
 * Validates planned Kubernetes objects against the Kubernetes OpenAPI schema, with the
 * validators `kubernetes-models` compiles (ajv) from the official OpenAPI spec of one Kubernetes
 * release. A test pins that release to the cluster version in settings (`kubernetes.version`):
 * moving the cluster means moving this package (and its version here).
 *
 * No kubernetes-models release carries the 1.35 schema: 4.5.x has 1.33's, 5.x (from 5.0.0) 1.36's.
 * The later one is the stricter check: the spec does not forbid unknown fields, so an older
 * schema leaves the newer fields unchecked, and kubernetes-models merges into the latest schema
 * the releases that removed APIs (its scripts/generate.ts), so the kinds 1.35 serves keep theirs.
 * The pin therefore allows the schema of the cluster's version or of the next minor one.
 *
 * The OpenAPI spec does not forbid unknown fields; `tsc` does, through @pulumi/kubernetes's input
 * types, which are generated from the same spec.
 *
 * kubernetes-models 5 is an ES module only, which jest's CommonJS runtime cannot import: the
 * validation runs in a plain Node process (`kubernetesSchemaWorker.mjs`), once per batch.
 */

/** The Kubernetes release whose schema `kubernetes-models` 5.1.0 was generated from (its changelog, 5.0.0). */
export const SCHEMA_KUBERNETES_VERSION = "1.36";

const WORKER = path.join(__dirname, "kubernetesSchemaWorker.mjs");

/** Pulumi's `kubernetes:apps/v1:Deployment` → kubernetes-models' `apps/v1/Deployment`. */
export function modelPath(type: string): string | undefined {
    const m = /^kubernetes:([^/]+)\/([^:]+):(\w+)$/.exec(type);
    if (!m) return undefined;
    const [, group, version, kind] = m;
    return group === "core" ? `${version}/${kind}` : `${group}/${version}/${kind}`;
}

/** What the validator reads of a planned resource: its Pulumi type and its inputs. */
export type KubernetesObject = Pick<PlannedResource, "type" | "inputs">;

/** The plan redacts a Secret's whole `data`/`stringData` map; validate the rest of the object. */
function withoutRedactedMaps(r: KubernetesObject): Record<string, unknown> {
    const inputs = { ...r.inputs };
    if (r.type === "kubernetes:core/v1:Secret") {
        for (const k of ["data", "stringData"]) if (inputs[k] === "[secret]") inputs[k] = {};
    }
    return inputs;
}

export type Validation = { kind: "valid" } | { kind: "invalid"; message: string } | { kind: "no-schema" };

/** Validates planned `kubernetes:` resources' inputs, in order. `no-schema` for kinds outside the core API (CRDs, Helm releases). */
export function validateKubernetesObjects(resources: readonly KubernetesObject[]): Validation[] {
    const input = JSON.stringify(resources.map((r) => ({ path: modelPath(r.type) ?? null, object: withoutRedactedMaps(r) })));
    const run = spawnSync(process.execPath, [WORKER], { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, cwd: path.join(__dirname, "..", "..") });
    if (run.status !== 0) throw new Error(`the Kubernetes schema validator failed (exit ${String(run.status)}): ${run.stderr}`);
    return JSON.parse(run.stdout) as Validation[];
}

/** Validates one planned `kubernetes:` resource's inputs. `no-schema` for kinds outside the core API (CRDs, Helm releases). */
export function validateKubernetesObject(r: KubernetesObject): Validation {
    return validateKubernetesObjects([r])[0]!;
}
