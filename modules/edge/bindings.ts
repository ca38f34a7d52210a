import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TrackName } from "../workload/tracks";

/**
 * The label that makes the load balancer controller's webhook inject a readiness gate into every
 * pod created in the namespace (AWS Load Balancer Controller docs, "Pod readiness gate"): a pod is
 * Ready only once its target is healthy in the target group, so a rolling update never removes
 * old pods while the new ones are still `initial` in the ALB (which the controller's docs call an
 * outage). Only for ip targets, which these bindings are.
 */
export const READINESS_GATE_LABELS: Readonly<Record<string, string>> = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" };

export interface BindingArgs {
    /** The workload's namespace. */
    namespace: pulumi.Input<string>;
    /** The track whose pods the binding registers. */
    track: TrackName;
    /** The track's Service: the binding names it, and the webhook reads its selector to match pods. */
    service: k8s.core.v1.Service;
    /** The port of the Service (the Service port, not the container port). */
    servicePort: pulumi.Input<number>;
    targetGroupArn: pulumi.Input<string>;
    provider: k8s.Provider;
    /** The load balancer controller's release: its CRD and webhooks must exist first. */
    controller: pulumi.Resource;
}

/**
 * A track's `TargetGroupBinding`: the load balancer controller registers the ready pods of the
 * track's Service in the track's target group (ip targets) and deregisters them on the way out,
 * so the ALB the program owns follows rolling updates. The controller manages no security group
 * rules (`networking` unset): the program's app-tier rules already admit the ALB.
 *
 * The webhook injects readiness gates only at pod creation, and only for pods a binding's Service
 * selects: the binding (after its Service) must exist before the track's Deployment makes pods.
 * The Deployment waits for what this returns.
 */
export function bindTargetGroup(name: string, args: BindingArgs, opts?: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
        `${name}-${args.track}`,
        {
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "TargetGroupBinding",
            metadata: { name: `app-${args.track}`, namespace: args.namespace, labels: { "app.kubernetes.io/part-of": "app", track: args.track } },
            spec: { targetGroupARN: args.targetGroupArn, targetType: "ip", serviceRef: { name: args.service.metadata.name, port: args.servicePort } },
        },
        { ...opts, provider: args.provider, dependsOn: [args.controller, args.service] },
    );
}
