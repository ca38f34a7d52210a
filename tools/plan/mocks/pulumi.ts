import type { MockFn } from "./kit";

/**
 * Pulumi's own resources: providers (the engine gives them UUIDs) and stack references. A
 * reference to a cluster stack reads its `kubeconfig` (what a pr-<N> stack deploys with),
 * secret as the real output is.
 */
export const PULUMI: Record<string, MockFn> = {
    "pulumi:pulumi:StackReference": (r) => {
        const stack = r.str("name") ?? r.name;
        const server = `https://${r.upper(32)}.gr7.us-east-1.eks.amazonaws.com`;
        const kubeconfig = [
            "apiVersion: v1",
            "kind: Config",
            `clusters: [{ name: plan, cluster: { server: "${server}" } }]`,
            "contexts: [{ name: plan, context: { cluster: plan, user: plan } }]",
            "current-context: plan",
            "users: [{ name: plan, user: { token: plan-stand-in } }]",
        ].join("\n");
        return { id: stack, outputs: { name: stack, outputs: { kubeconfig }, secretOutputNames: ["kubeconfig"] } };
    },
};

/** Any provider resource (`pulumi:providers:<package>`). */
export const provider: MockFn = (r) => ({ id: r.uuid() });
