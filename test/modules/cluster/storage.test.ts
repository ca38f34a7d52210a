import { DEFAULT_CLASS_ANNOTATION } from "../../../modules/cluster/storage";
import { PlanQuery } from "../../helpers/plan";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";

// EKS clusters created on Kubernetes 1.30 or later have no default StorageClass (the EKS user
// guide, "Store Kubernetes volumes with Amazon EBS"; the gp2 class is no longer annotated as the
// default): a claim that names no class stays Pending. The in-cluster stores of every pr-<N>
// preview, on staging's cluster, make such claims.
describe.each(["staging", "production", "production-dr"])("the %s cluster's storage", (stack) => {
    const q = PlanQuery.of(stack);

    it("has one default StorageClass: encrypted gp3 volumes from the EBS CSI driver, made in the pod's zone", () => {
        const classes = q.allOf(STORAGE_CLASS);
        expect(classes).toHaveLength(1);
        expect(classes[0]!.inputs).toEqual({
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: "gp3", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
            provisioner: "ebs.csi.aws.com",
            volumeBindingMode: "WaitForFirstConsumer",
            reclaimPolicy: "Delete",
            allowVolumeExpansion: true,
            parameters: { type: "gp3", encrypted: "true" },
        });
        expect(DEFAULT_CLASS_ANNOTATION).toBe("storageclass.kubernetes.io/is-default-class");
    });

    it("is made through the cluster's own Kubernetes provider, whose EBS CSI add-on provisions it", () => {
        const sc = q.one(STORAGE_CLASS);
        expect(q.byUrn(sc.provider!)?.type).toBe("pulumi:providers:kubernetes");
        expect(q.ofType("aws:eks/addon:Addon").map((a) => a.inputs["addonName"])).toContain("aws-ebs-csi-driver");
    });
});

describe("the previews' volumes", () => {
    it("name no StorageClass: they take staging's default, which the staging stack makes", () => {
        const templates = PlanQuery.of("pr-42")
            .allOf("kubernetes:apps/v1:StatefulSet")
            .flatMap((s) => ((s.inputs["spec"] as { volumeClaimTemplates?: Array<{ spec: Record<string, unknown> }> }).volumeClaimTemplates ?? []));
        expect(templates.length).toBeGreaterThanOrEqual(2);
        for (const t of templates) expect(t.spec["storageClassName"]).toBeUndefined();
        expect(PlanQuery.of("pr-42").ofType(STORAGE_CLASS)).toEqual([]);
    });
});
