import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TrackName, TrackSpec } from "../workload/tracks";

export interface BindingsArgs {
    /** The workload's namespace. */
    namespace: pulumi.Input<string>;
    /** The port of each track's Service (the Service port, not the container port). */
    servicePort: pulumi.Input<number>;
    tracks: Array<Pick<TrackSpec, "track" | "serviceName">>;
    /** The Service of each track as the workload named it (its output); defaults to each track's `serviceName`. */
    serviceNames?: pulumi.Input<Record<string, string>>;
    targetGroupArns: Partial<Record<TrackName, pulumi.Input<string>>>;
    provider: k8s.Provider;
    /** The load balancer controller's release: its CRD and webhook must exist first. */
    controller: pulumi.Resource;
    /** The workload's Services, when known, so bindings follow them. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * One `TargetGroupBinding` per track: the load balancer controller registers the ready pods of
 * the track's Service in the track's target group (ip targets) and deregisters them on the way
 * out, so the ALB the program owns follows rolling updates. The controller manages no security
 * group rules (`networking` unset): the program's app-tier rules already admit the ALB.
 */
export function bindTargetGroups(name: string, args: BindingsArgs, opts?: pulumi.ComponentResourceOptions): k8s.apiextensions.CustomResource[] {
    return args.tracks.map(({ track, serviceName: defaultService }) => {
        const arn = args.targetGroupArns[track];
        if (arn === undefined) throw new Error(`no target group for the ${track} track`);
        const service = args.serviceNames ? pulumi.output(args.serviceNames).apply((names) => names[track] ?? defaultService) : pulumi.output(defaultService);
        return new k8s.apiextensions.CustomResource(
            `${name}-${track}`,
            {
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: { name: `app-${track}`, namespace: args.namespace, labels: { "app.kubernetes.io/part-of": "app", track } },
                spec: { targetGroupARN: arn, targetType: "ip", serviceRef: { name: service, port: args.servicePort } },
            },
            { ...opts, provider: args.provider, dependsOn: [args.controller, ...(args.dependsOn ?? [])] },
        );
    });
}
