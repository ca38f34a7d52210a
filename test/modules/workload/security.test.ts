import { validateKubernetesObject } from "../../helpers/kubernetesSchema";
import { POD_SECURITY_LEVEL, TMP_MOUNT, TMP_VOLUME, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../../../modules/workload/security";

// The Pod Security Standards' restricted profile (kubernetes.io, "Pod Security Standards"):
// runAsNonRoot true, allowPrivilegeEscalation false, capabilities drop ALL, a RuntimeDefault or
// Localhost seccomp profile; emptyDir is among the volume types it allows.
describe("the restricted security contexts", () => {
    it("run the pod as the given non-root user and group, with the runtime's seccomp profile", () => {
        expect(restrictedPodSecurityContext(10001)).toEqual({
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
        });
    });

    it("give each container no privilege, no capability and a read-only root filesystem", () => {
        expect(restrictedContainerSecurityContext(10001)).toEqual({
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
    });

    it("follow the uid they are given", () => {
        expect(restrictedPodSecurityContext(2000)).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 });
        expect(restrictedContainerSecurityContext(2000)).toMatchObject({ runAsUser: 2000, runAsGroup: 2000 });
    });

    it("are enforced by the namespace at the same level", () => {
        expect(POD_SECURITY_LEVEL).toBe("restricted");
    });
});

describe("the writable /tmp", () => {
    it("is a size-limited emptyDir mounted at /tmp", () => {
        expect(TMP_VOLUME).toEqual({ name: "tmp", emptyDir: { sizeLimit: "256Mi" } });
        expect(TMP_MOUNT).toEqual({ name: "tmp", mountPath: "/tmp" });
    });
});

describe("a pod built from them", () => {
    it("is valid against the Kubernetes OpenAPI schema", () => {
        const pod = {
            type: "kubernetes:core/v1:Pod",
            inputs: {
                metadata: { name: "app" },
                spec: {
                    securityContext: restrictedPodSecurityContext(10001),
                    volumes: [TMP_VOLUME],
                    initContainers: [{ name: "migrate", image: "myapp/app:1.4.2", securityContext: restrictedContainerSecurityContext(10001), volumeMounts: [TMP_MOUNT] }],
                    containers: [{ name: "app", image: "myapp/app:1.4.2", securityContext: restrictedContainerSecurityContext(10001), volumeMounts: [TMP_MOUNT] }],
                },
            },
        };
        expect(validateKubernetesObject(pod)).toEqual({ kind: "valid" });
    });
});
