import type { PlannedResource } from "./plan";

/**
 * Validates planned Kubernetes objects against the Kubernetes OpenAPI schema, with the
 * validators `kubernetes-models` compiles (ajv) from the official OpenAPI spec of one Kubernetes
 * release. That release must be the cluster version in settings (`kubernetes.version`): a test
 * pins the two together, so moving the cluster means moving this package (and its version here).
 *
 * The OpenAPI spec does not forbid unknown fields; `tsc` does, through @pulumi/kubernetes's input
 * types, which are generated from the same spec.
 */

/** The Kubernetes release whose schema `kubernetes-models` 4.5.x was generated from. */
export const SCHEMA_KUBERNETES_VERSION = "1.33";

interface Model {
    validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Model;

/** Pulumi's `kubernetes:apps/v1:Deployment` → kubernetes-models' `apps/v1/Deployment`. */
export function modelPath(type: string): string | undefined {
    const m = /^kubernetes:([^/]+)\/([^:]+):(\w+)$/.exec(type);
    if (!m) return undefined;
    const [, group, version, kind] = m;
    return group === "core" ? `${version}/${kind}` : `${group}/${version}/${kind}`;
}

function modelClass(type: string): ModelClass | undefined {
    const p = modelPath(type);
    if (!p) return undefined;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- one module per kind, chosen at run time
        const mod = require(`kubernetes-models/${p}`) as Record<string, unknown>;
        const kind = p.split("/").pop()!;
        return mod[kind] as ModelClass | undefined;
    } catch {
        return undefined;
    }
}

/** The plan redacts a Secret's whole `data`/`stringData` map; validate the rest of the object. */
function withoutRedactedMaps(r: PlannedResource): Record<string, unknown> {
    const inputs = { ...r.inputs };
    if (r.type === "kubernetes:core/v1:Secret") {
        for (const k of ["data", "stringData"]) if (inputs[k] === "[secret]") inputs[k] = {};
    }
    return inputs;
}

export type Validation = { kind: "valid" } | { kind: "invalid"; message: string } | { kind: "no-schema" };

/** Validates one planned `kubernetes:` resource's inputs. `no-schema` for kinds outside the core API (CRDs, Helm releases). */
export function validateKubernetesObject(r: PlannedResource): Validation {
    const Model = modelClass(r.type);
    if (!Model) return { kind: "no-schema" };
    try {
        new Model(withoutRedactedMaps(r)).validate();
        return { kind: "valid" };
    } catch (e) {
        return { kind: "invalid", message: (e as Error).message };
    }
}
