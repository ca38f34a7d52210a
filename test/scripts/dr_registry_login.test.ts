import { runScript, type Route } from "./harness";

/**
 * scripts/dr_registry_login.sh against recorded answers: the registry's account from the DR
 * region's STS, a token from its ECR, handed to `helm registry login` on stdin.
 */

const WHO: Route = ["^aws sts get-caller-identity --region us-west-2 --query Account --output text$", { out: "123456789012\n" }];
const TOKEN: Route = ["^aws ecr get-login-password --region us-west-2$", { out: "eyJ0b2tlbiI6InNlY3JldCJ9\n" }];
const LOGIN: Route = ["^helm registry login --username AWS --password-stdin 123456789012\\.dkr\\.ecr\\.us-west-2\\.amazonaws\\.com$", { out: "Login Succeeded\n" }];
const TOOLS = { tools: ["aws", "helm"] as const };

describe("scripts/dr_registry_login.sh", () => {
    it("logs helm into the DR region's ECR with a token on stdin, calling only that region", () => {
        const r = runScript("dr_registry_login.sh", [], [WHO, TOKEN, LOGIN], TOOLS);
        expect([r.status, r.stderr]).toEqual([0, ""]);
        expect(r.calls).toEqual([
            "aws sts get-caller-identity --region us-west-2 --query Account --output text",
            "aws ecr get-login-password --region us-west-2",
            "helm registry login --username AWS --password-stdin 123456789012.dkr.ecr.us-west-2.amazonaws.com",
        ]);
        expect(r.stdout).toBe("helm is logged into 123456789012.dkr.ecr.us-west-2.amazonaws.com for 12 hours: pulumi up can install the mirrored charts\n");
        expect(r.calls.join("\n") + r.stdout).not.toContain("eyJ0b2tlbiI6InNlY3JldCJ9");
    });

    it("--dry-run asks who it is and logs nothing in", () => {
        const r = runScript("dr_registry_login.sh", ["--dry-run", "--region", "eu-west-1"], [["^aws sts get-caller-identity --region eu-west-1 ", { out: "210987654321\n" }]], TOOLS);
        expect(r.status).toBe(0);
        expect(r.calls).toEqual(["aws sts get-caller-identity --region eu-west-1 --query Account --output text"]);
        expect(r.stdout).toBe("would log helm into 210987654321.dkr.ecr.eu-west-1.amazonaws.com with a token from aws ecr get-login-password --region eu-west-1\n");
    });

    it("fails, naming what to check, when the token or the login fails", () => {
        const noToken = runScript("dr_registry_login.sh", [], [WHO, ["^aws ecr get-login-password", { err: "AccessDeniedException\n", rc: 254 }], LOGIN], TOOLS);
        expect(noToken.status).toBe(1);
        expect(noToken.stderr).toContain("dr_registry_login.sh: aws ecr get-login-password failed in us-west-2: the identity needs ecr:GetAuthorizationToken\n");
        expect(noToken.calls.some((c) => c.startsWith("helm"))).toBe(false);
        const noLogin = runScript("dr_registry_login.sh", [], [WHO, TOKEN, ["^helm registry login", { err: "Error: 401\n", rc: 1 }]], TOOLS);
        expect([noLogin.status, noLogin.stderr.split("\n").pop() === "" && noLogin.stderr.trim().split("\n").pop()]).toEqual([
            1,
            "dr_registry_login.sh: helm registry login to 123456789012.dkr.ecr.us-west-2.amazonaws.com failed (helm 3.8 or later speaks OCI registries)",
        ]);
        const noAccount = runScript("dr_registry_login.sh", [], [["^aws sts", { out: "None\n" }]], TOOLS);
        expect([noAccount.status, noAccount.stderr]).toEqual([1, "dr_registry_login.sh: aws sts get-caller-identity gave no account id in us-west-2 (got 'None')\n"]);
    });

    it("refuses bad arguments with exit 2, and a missing helm with exit 1", () => {
        expect(runScript("dr_registry_login.sh", ["--region", "west"], [], TOOLS)).toMatchObject({ status: 2, stderr: "dr_registry_login.sh: --region west is not an AWS region such as us-west-2 (see --help)\n", calls: [] });
        expect(runScript("dr_registry_login.sh", ["--wait"], [], TOOLS)).toMatchObject({ status: 2, calls: [] });
        // Only bash of the system's tools: a machine with a real helm (GitHub's runners) would answer otherwise.
        const noHelm = runScript("dr_registry_login.sh", [], [WHO], { tools: ["aws"], systemTools: [] });
        expect([noHelm.status, noHelm.calls]).toEqual([1, []]);
        expect(noHelm.stderr).toContain("helm is required");
    });
});
