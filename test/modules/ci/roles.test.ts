import { CI_ROLES } from "../../../modules/ci/oidc";
import { CI_ROLE_CATALOGUE, ciRoleName, ciRolesFor, clusterAccess } from "../../../modules/ci/roles";

describe("the CI role catalogue", () => {
    it("has a role for every workflow context, named <app>-ci-<suffix>", () => {
        expect(Object.keys(CI_ROLE_CATALOGUE).sort()).toEqual(Object.keys(CI_ROLES).sort());
        expect(Object.keys(CI_ROLE_CATALOGUE).map((k) => ciRoleName("myapp", k as keyof typeof CI_ROLE_CATALOGUE))).toEqual([
            "myapp-ci-read-only",
            "myapp-ci-preview",
            "myapp-ci-staging",
            "myapp-ci-production-plan",
            "myapp-ci-production",
            "myapp-ci-dr-drill",
            "myapp-ci-dr-mirror",
        ]);
        expect(() => ciRoleName("x".repeat(60), "production")).toThrow("longer than IAM's 64 characters");
    });

    it("gives an account only its environments' roles, and always the read-only one", () => {
        expect(ciRolesFor(["staging", "production"])).toEqual(["preview", "previewDeploy", "staging", "productionPlan", "production", "drDrill", "drMirror"]);
        expect(ciRolesFor(["staging"])).toEqual(["preview", "previewDeploy", "staging"]);
        expect(ciRolesFor(["production"])).toEqual(["preview", "productionPlan", "production", "drDrill", "drMirror"]);
    });

    it("lets each cluster admit its environment's deployers as admins and the previewing roles read-only", () => {
        expect(clusterAccess("myapp", "staging")).toEqual({ admin: ["myapp-ci-staging", "myapp-ci-preview"], view: ["myapp-ci-read-only"] });
        expect(clusterAccess("myapp", "production")).toEqual({ admin: ["myapp-ci-production"], view: ["myapp-ci-read-only", "myapp-ci-production-plan"] });
        // cluster.ciRole replaces the stack's own deploy role only.
        expect(clusterAccess("myapp", "production", "arn:aws:iam::210987654321:role/deploy")).toEqual({ admin: ["arn:aws:iam::210987654321:role/deploy"], view: ["myapp-ci-read-only", "myapp-ci-production-plan"] });
        // A sandbox has no CI role in the catalogue: only the one it names.
        expect(clusterAccess("myapp", "development")).toEqual({ admin: [], view: [] });
        expect(clusterAccess("myapp", "development", "sandbox-deploy")).toEqual({ admin: ["sandbox-deploy"], view: [] });
    });
});
