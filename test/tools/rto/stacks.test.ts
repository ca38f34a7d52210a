import { DURATIONS, typeOfKey } from "../../../tools/rto/durations";
import { RtoEstimate, estimate, formatDuration } from "../../../tools/rto/estimate";
import { loadPlan } from "../../helpers/plan";
import { plannedStacks } from "../../helpers/stacks";

/**
 * The estimate of every committed stack, from the plans globalSetup made, asserted exactly (it is
 * deterministic: same plan, same table, same figures).
 *
 * These figures follow the program and the duration table: a change that adds, removes or
 * reorders resources, or calibrates the table, moves them. When this test fails, read the diff;
 * if the change is intended, copy the received values into EXPECTED below (the same figures
 * `npm run rto -- --stack <name>` prints) and say in the commit why the estimate moved.
 */

interface Summary {
    typical: string;
    worst: string;
    meetsRto: boolean;
    /** `<scenario> <kind> <resource name>`. */
    risks: string[];
    /** Resource names, first to last, the stack itself left out. */
    worstPath: string[];
}

const EXPECTED: Record<string, Summary> = {
    // Made once per account while everything is healthy (docs/bootstrap.md): not a recovery path.
    bootstrap: {
        typical: "29s",
        worst: "5m35s",
        meetsRto: true,
        risks: [],
        worstPath: ["myapp-us-east-1", "myapp-pulumi-state-secrets-key", "myapp-pulumi-state-secrets-key-replica", "myapp-pulumi-state-secrets-key-replica", "myapp-ci-dr-drill-1", "myapp-ci-dr-drill-1"],
    },
    dev: {
        typical: "4m15s",
        worst: "16m40s",
        "meetsRto": true,
        risks: [],
        "worstPath": [
            "local-cluster",
            "myapp",
            "myapp-namespace",
            "myapp-stores-credentials",
            "myapp-stores-postgres",
            "myapp-stable-migrations",
            "myapp-stable-deployment",
            "myapp-stable-autoscaler"
        ]
    },
    "pr-42": {
        typical: "4m17s",
        worst: "16m50s",
        "meetsRto": true,
        risks: [],
        "worstPath": [
            "cluster-stack",
            "preview-cluster",
            "myapp",
            "myapp-namespace",
            "myapp-stores-credentials",
            "myapp-stores-postgres",
            "myapp-stable-migrations",
            "myapp-stable-deployment",
            "myapp-stable-autoscaler"
        ]
    },
    "production": {
        "typical": "45m31s",
        "worst": "1h28m05s",
        "meetsRto": false,
        "risks": [
            "worst deadline myapp-production-dr-replica",
            "worst blocked myapp-production-cert",
            "worst blocked myapp-production-dr-cert"
        ],
        "worstPath": [
            "myapp-us-east-1",
            "myapp-production-keys-logs",
            "myapp-production-postgresql-logs",
            "myapp-production",
            "myapp-production-dr-replica",
            "myapp-production-dr-replica-lag"
        ]
    },

    "production-dr": {
        "typical": "21m30s",
        "worst": "51m15s",
        "meetsRto": true,
        "risks": [],
        "worstPath": [
            "myapp-us-west-2",
            "myapp-production-keys-logs",
            "myapp-production-control-plane",
            "myapp-production-cluster",
            "myapp-production-eks-pod-identity-agent",
            "myapp-production-vpc-cni",
            "myapp-production-nodes",
            "myapp-production-k8s",
            "myapp-production-controllers-external-secrets",
            "myapp-production-delivery-store",
            "myapp-production-delivery-external-secret",
            "myapp-production-delivery-external-secret synced",
            "myapp-stable-migrations",
            "myapp-stable-deployment",
            "myapp-stable-autoscaler"
        ]
    },

    "production-dr-drill": {
        "typical": "33m21s",
        "worst": "1h05m35s",
        "meetsRto": false,
        "risks": [],
        "worstPath": [
            "myapp-us-west-2",
            "myapp-production-drill-keys-logs",
            "myapp-production-drill-postgresql-logs",
            "myapp-production-drill",
            "myapp-production-drill-database-url",
            "myapp-production-drill-database-bootstrap",
            "myapp-production-drill-delivery-store",
            "myapp-production-drill-delivery-external-secret",
            "myapp-production-drill-delivery-external-secret synced",
            "myapp-stable-migrations",
            "myapp-stable-deployment",
            "myapp-stable-autoscaler"
        ]
    },
    staging: {
        typical: "21m43s",
        worst: "1h20m05s",
        "meetsRto": false,
        risks: [
            "worst blocked myapp-staging-cert"
        ],
        "worstPath": [
            "myapp-us-east-1",
            "myapp-staging-zone",
            "myapp-staging-cert-validation",
            "myapp-staging-cert",
            "myapp-staging-https"
        ]
    }
};

/**
 * The DR rebuild's path to the app taking traffic (its TargetGroupBinding), step by step:
 * `start finish name (duration key)`.
 */
const DR_SERVING_PATH = {
    until: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding::myapp-production-stable",
    typical: [
        "0s 1s myapp-us-west-2 (pulumi:providers:aws)",
        // No VPC, no load balancer, no certificate: the standby's, found by name.
        "1s 11s myapp-production-keys-logs (aws:kms/key:Key)",
        "11s 13s myapp-production-control-plane (aws:cloudwatch/logGroup:LogGroup)",
        "13s 10m13s myapp-production-cluster (aws:eks/cluster:Cluster)",
        "10m13s 12m13s myapp-production-eks-pod-identity-agent (aws:eks/addon:Addon)",
        "12m13s 14m13s myapp-production-vpc-cni (aws:eks/addon:Addon)",
        "14m13s 17m13s myapp-production-nodes (aws:eks/nodeGroup:NodeGroup)",
        "17m13s 17m14s myapp-production-k8s (pulumi:providers:kubernetes)",
        "17m14s 18m44s myapp-production-controllers-aws-load-balancer-controller (kubernetes:helm.sh/v3:Release)",
        "18m44s 18m46s myapp-production-stable (kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding)"
    ],
};

function summary(e: RtoEstimate): Summary {
    return {
        typical: formatDuration(e.typical.totalSeconds),
        worst: formatDuration(e.worst.totalSeconds),
        meetsRto: e.meetsRto,
        risks: e.deadlineRisks.map((r) => `${r.scenario} ${r.kind} ${r.name}`),
        worstPath: e.worst.path.filter((s) => s.type !== "pulumi:pulumi:Stack").map((s) => s.name),
    };
}

describe("the RTO estimate of each committed stack", () => {
    it("has an expectation for every stack globalSetup plans", () => {
        expect(Object.keys(EXPECTED).sort()).toEqual(plannedStacks());
    });

    it.each(Object.keys(EXPECTED))("estimates %s as expected", (stack) => {
        expect(summary(estimate(loadPlan(stack)))).toEqual(EXPECTED[stack]);
    });

    it("prints the DR rebuild's path to serving traffic step by step", () => {
        const e = estimate(loadPlan("production-dr"), { until: DR_SERVING_PATH.until });
        const steps = e.typical.path
            .filter((s) => s.type !== "pulumi:pulumi:Stack")
            .map((s) => `${formatDuration(s.startSeconds)} ${formatDuration(s.finishSeconds)} ${s.name} (${s.durationKey})`);
        expect(steps).toEqual(DR_SERVING_PATH.typical);
    });
});

describe("the duration table's coverage", () => {
    it("has an entry for every type in every committed stack's plan, or lists it as unestimated", () => {
        const stacks = plannedStacks();
        expect(stacks.length).toBeGreaterThan(0);
        const covered = new Set(Object.keys(DURATIONS).map(typeOfKey));
        for (const stack of stacks) {
            const plan = loadPlan(stack);
            const types = [...new Set(plan.resources.filter((r) => r.custom).map((r) => r.type))].sort();
            expect(types.length).toBeGreaterThan(0);
            const missing = types.filter((t) => !covered.has(t));
            // Whatever the table lacks, the estimate says so rather than counting it as free.
            expect(estimate(plan).unestimated.map((u) => u.type)).toEqual(missing);
            // And today it lacks nothing. A new type: add its entry, with its source, to tools/rto/durations.ts.
            expect({ stack, missing }).toEqual({ stack, missing: [] });
        }
    });
});
