import { PlanQuery, PlannedResource } from "../../helpers/plan";
import { workloadStacks } from "../../helpers/stacks";
import { nonEmpty } from "../../helpers/nonEmpty";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plan's JSON, read by path in a test
type Json = any;

/** The pod spec of a workload object, wherever its kind keeps it. */
function podSpecOf(r: PlannedResource): Json | undefined {
    const spec = r.inputs["spec"] as Json;
    switch (r.type) {
        case "kubernetes:core/v1:Pod":
            return spec;
        case "kubernetes:batch/v1:CronJob":
            return spec?.jobTemplate?.spec?.template?.spec;
        case "kubernetes:apps/v1:Deployment":
        case "kubernetes:apps/v1:StatefulSet":
        case "kubernetes:apps/v1:DaemonSet":
        case "kubernetes:apps/v1:ReplicaSet":
        case "kubernetes:batch/v1:Job":
            return spec?.template?.spec;
        default:
            return undefined;
    }
}

/** Every pod-bearing object of a stack, with its pod spec. */
function pods(stack: string): Array<{ name: string; pod: Json }> {
    return PlanQuery.of(stack)
        .ofPackage("kubernetes")
        .map((r) => ({ name: `${r.type} ${r.name}`, pod: podSpecOf(r) }))
        .filter((x) => x.pod !== undefined);
}

const RESTRICTED_CONTAINER = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

describe("the restricted Pod Security profile, on every pod of every stack", () => {
    it("plans pods on the stacks that run the workload", () => {
        // Kinds that carry pods on dev: the app, its migrations, the stores and the seed.
        expect(pods("dev").map((p) => p.name).sort()).toEqual([
            "kubernetes:apps/v1:Deployment myapp-stable-deployment",
            "kubernetes:apps/v1:StatefulSet myapp-stores-postgres",
            "kubernetes:apps/v1:StatefulSet myapp-stores-redis",
            "kubernetes:batch/v1:Job myapp-seed-job",
            "kubernetes:batch/v1:Job myapp-stable-migrations",
        ]);
        expect(pods("pr-42")).toHaveLength(5);
    });

    it.each(workloadStacks())("every container and init container of %s is non-root, unprivileged, capability-free, seccomp'd, read-only with a writable /tmp", (stack) => {
        for (const { name, pod } of nonEmpty(pods(stack), `the pods of ${stack}`)) {
            expect({ name, pod: pod.securityContext }).toMatchObject({
                name,
                pod: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            });
            expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
            const containers = [...(pod.initContainers ?? []), ...pod.containers];
            for (const c of nonEmpty(containers, `the containers of ${name}`)) {
                expect({ name, container: c.name, securityContext: c.securityContext }).toEqual({
                    name,
                    container: c.name,
                    securityContext: { ...RESTRICTED_CONTAINER, runAsUser: pod.securityContext.runAsUser, runAsGroup: pod.securityContext.runAsGroup },
                });
                expect({ name, container: c.name, tmp: c.volumeMounts.find((m: Json) => m.mountPath === "/tmp") }).toEqual({
                    name,
                    container: c.name,
                    tmp: { name: "tmp", mountPath: "/tmp" },
                });
            }
            expect(pod.volumes.find((v: Json) => v.name === "tmp")).toEqual({ name: "tmp", emptyDir: { sizeLimit: "256Mi" } });
            expect({ name, automount: pod.automountServiceAccountToken }).toEqual({ name, automount: false });
        }
    });

    it("covers init containers: the seed Job waits for PostgreSQL in one", () => {
        const seed = pods("dev").find((p) => p.name.endsWith("myapp-seed-job"))!.pod;
        expect(seed.initContainers.map((c: Json) => c.name)).toEqual(["wait-for-postgres"]);
    });

    it.each(["dev", "pr-42"])("the namespace of %s enforces, audits and warns at `restricted`", (stack) => {
        const labels = PlanQuery.of(stack).one("kubernetes:core/v1:Namespace").inputs["metadata"] as Json;
        for (const mode of ["enforce", "audit", "warn"]) {
            expect(labels.labels[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
            expect(labels.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe("latest");
        }
    });
});
