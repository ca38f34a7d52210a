import type * as pulumi from "@pulumi/pulumi";
import { INVOKE_MOCKS } from "./invokes";
import type { State } from "./kit";
import { mockAnswer } from "./registry";

/**
 * Pulumi mocks that answer like the real providers: ids, ARNs, names and endpoints in the shapes
 * AWS and Kubernetes give them, so that inputs built from outputs (an ARN in an IAM policy, a host
 * in a URL) read like the real thing in the plan, and every invented value carries the mark of
 * ./mark.ts. Deterministic: the same program gets the same ids on every run, so plans diff cleanly.
 *
 * Resources are answered from one table keyed by type token (./registry.ts, one file per family
 * of services), invokes from another (./invokes.ts). An invoke without an answer throws: a test or
 * a plan must never run on a silent `undefined`.
 */

export { MOCK_ACCOUNT_ID, MOCK_MARK, isMockMade } from "./mark";
export { digest } from "./kit";
export { RESOURCE_MOCKS, mockAnswer } from "./registry";
export { INVOKE_MOCKS } from "./invokes";

/** A provider reference `urn::id` names its provider resource last-but-one. */
function providerName(ref: string | undefined): string | undefined {
    if (!ref) return undefined;
    const parts = ref.split("::");
    return parts[parts.length - 2];
}

/** The error for invokes the mocks cannot answer. */
export function unansweredMessage(tokens: readonly string[]): string {
    return (
        `The plan's mocks have no answer for the invoke ${[...new Set(tokens)].join(", ")}. Add one to tools/plan/mocks/invokes.ts ` +
        `so that plans and tests never run on an undefined result.`
    );
}

/**
 * Realistic mocks for the program's providers. Create one per plan: it remembers providers'
 * regions and the resources it answered (a cluster's outputs name its subnets' VPC).
 */
export class RealisticMocks implements pulumi.runtime.Mocks {
    private readonly providerRegions = new Map<string, string>();
    private readonly answered = new Map<string, { type: string; inputs: State }>();
    /** Invokes asked for that have no answer here (the SDK loses the error's text on the way back). */
    readonly unanswered: string[] = [];

    /** @param defaultRegion the region of resources whose provider names none. */
    constructor(private readonly defaultRegion: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        if (args.type.startsWith("pulumi:providers:") && typeof args.inputs["region"] === "string") {
            this.providerRegions.set(args.name, args.inputs["region"]);
        }
        if (!args.custom) return { id: undefined, state: {} };
        const { id, state } = mockAnswer({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            region: this.regionOf(args.inputs, args.provider),
            lookup: (known) => this.answered.get(known),
        });
        this.answered.set(id, { type: args.type, inputs: args.inputs });
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const answer = INVOKE_MOCKS[args.token];
        if (!answer) {
            this.unanswered.push(args.token);
            throw new Error(unansweredMessage([args.token]));
        }
        return answer({ inputs: args.inputs, region: this.regionOf(args.inputs, args.provider) });
    }

    /**
     * Where a resource or invoke runs: in @pulumi/aws 7 its own `region` input wins over its
     * provider's region, which wins over the stack's default.
     */
    private regionOf(inputs: State, providerRef: string | undefined): string {
        if (typeof inputs["region"] === "string" && inputs["region"] !== "") return inputs["region"];
        const name = providerName(providerRef);
        return (name && this.providerRegions.get(name)) || this.defaultRegion;
    }
}
