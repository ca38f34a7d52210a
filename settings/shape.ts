import type { ProfileName } from "./profiles";

/**
 * What kind of stack this is, decided once, from two settings: the platform it runs on and the
 * profile it took. The shape says which layers the program composes for the stack, and so which
 * settings matter: the schema applies a layer's cross-field rules only to shapes that compose the
 * layer (a preview builds no VPC, so its network block is never checked against the CIDR plan),
 * the pre-check asks each composed layer for its problems, and environments/stack.ts has one
 * composer per shape.
 *
 * - `local`: dev, and any stack with `platform: local`. A local Kubernetes cluster (kube context
 *   from settings), no AWS; PostgreSQL and Redis in the app's namespace.
 * - `preview`: a `pr-<N>` stack. A namespace of its own on the staging cluster (its kubeconfig by
 *   StackReference), with in-cluster PostgreSQL and Redis like dev.
 * - `cloud`: staging, production, production-dr and any other AWS stack. Its own VPC and EKS
 *   cluster, managed data stores, Secrets Manager, alarms and dashboards, and the workload on
 *   that cluster.
 *
 * - `bootstrap`: the account's `bootstrap` stack (docs/bootstrap.md), made once while everything is
 *   healthy: the Pulumi state backend in both regions, the secrets provider's multi-Region key,
 *   GitHub's OIDC provider and the CI roles. Its settings are its own (settings/schema.ts
 *   `BOOTSTRAP_KEYS`), and it composes nothing else.
 *
 * Every shape composes the feature flags (`flags`): on a cloud stack in AWS AppConfig, after the
 * alarms its rollouts watch; on dev and pr-<N> in a ConfigMap the agent's local mode reads. The
 * agent beside the app is part of the workload's pods either way (environments/flags.ts).
 *
 * Adding a shape (a DR rebuild, a bootstrap stack) is: its name in `STACK_SHAPES`, how it is
 * recognised in `stackShape`, its layers in `SHAPE_LAYERS`, and its composer in
 * environments/stack.ts (the compiler asks for the last two).
 */
export const STACK_SHAPES = ["local", "preview", "cloud", "bootstrap"] as const;
export type StackShape = (typeof STACK_SHAPES)[number];

/** The layers the program composes, in the order it composes them (environments/<layer>.ts). */
export const LAYERS = ["keys", "platform", "alerting", "data", "secrets", "workload", "observability", "flags", "budget", "bootstrap"] as const;
export type Layer = (typeof LAYERS)[number];

/** The layers each shape composes, in composition order. */
export const SHAPE_LAYERS: Readonly<Record<StackShape, readonly Layer[]>> = {
    local: ["workload", "flags"],
    preview: ["workload", "flags"],
    // `budget` is AWS Budgets, a global service: a shape that must compose no global resource
    // (a DR rebuild, whose us-east-1 control planes may be down) leaves it out.
    cloud: ["keys", "platform", "alerting", "data", "secrets", "workload", "observability", "flags", "budget"],
    bootstrap: ["bootstrap"],
};

/** The shape of a stack: `bootstrap` for the bootstrap profile, `local` on a local platform, `preview` for the preview profile, `cloud` otherwise. */
export function stackShape(settings: { platform: "local" | "aws"; profile: ProfileName }): StackShape {
    if (settings.profile === "bootstrap") return "bootstrap";
    if (settings.platform === "local") return "local";
    if (settings.profile === "preview") return "preview";
    return "cloud";
}

/** Whether a stack of this shape composes the layer. */
export function composes(shape: StackShape, layer: Layer): boolean {
    return SHAPE_LAYERS[shape].includes(layer);
}
