import { loadPlan } from "../helpers/plan";
import { parseReport, runScriptAsync, statuses, type Answer, type RunOptions, type RunResult } from "./harness";
import * as kube from "./kubeRecordings";
import * as rec from "./recordings";

/**
 * scripts/verify_infrastructure.sh against recorded answers of Pulumi, the health endpoint,
 * CloudWatch, ACM and the cluster: a healthy production after an apply, each failure, --dry-run,
 * --json, the dev stack, the flags that replace the outputs, and bad arguments.
 */

type Answers = Record<string, [string, Answer]>;

const HEALTHY_BODY = { status: "healthy", version: "1.0.0", timestamp: "2026-01-15T10:29:58Z", checks: { database: "healthy", redis: "healthy", external_api: "healthy" } };
const PREVIEW_CLEAN = "Previewing update (production):\n\n    pulumi:pulumi:Stack ops-production  \n\nResources:\n    312 unchanged\n\n";
const PREVIEW_DRIFT =
    "Previewing update (production):\n\n ~  aws:rds/instance:Instance myapp-production-db update [diff: ~backupRetentionPeriod]\n\nResources:\n    ~ 1 to update\n    311 unchanged\n\nerror: no changes were expected but changes were proposed\n";

function healthy(): Answers {
    return {
        outputs: ["^pulumi stack output --json --stack production ", { out: JSON.stringify(loadPlan("production").outputs) }],
        kubeconfig: ["^pulumi stack output kubeconfig --show-secrets --stack production ", { out: "apiVersion: v1\nkind: Config\nclusters: []\n" }],
        preview: ["^pulumi preview --stack production ", { out: PREVIEW_CLEAN }],
        health: ["^curl .* https://api\\.example\\.com/health$", { out: `${JSON.stringify(HEALTHY_BODY)}\n200` }],
        alarms: ["^aws cloudwatch describe-alarms --region us-east-1 --alarm-name-prefix myapp-production- --state-value ALARM ", { out: rec.alarms([]) }],
        nodes: ["^kubectl --kubeconfig [^ ]+/kubeconfig --request-timeout 20s get nodes ", { out: kube.validated("NodeList", [kube.node("ip-10-20-1-10"), kube.node("ip-10-20-2-11"), kube.node("ip-10-20-3-12")]) }],
        deployments: ["^kubectl --kubeconfig [^ ]+ --request-timeout 20s get deployments --namespace myapp ", { out: kube.validated("DeploymentList", [kube.deployment("app-deployment", 3, 3)]) }],
        pods: [
            "^kubectl --kubeconfig [^ ]+ --request-timeout 20s get pods --namespace myapp ",
            { out: kube.validated("PodList", [kube.pod("app-deployment-5d8f-a", "ready"), kube.pod("app-deployment-5d8f-b", "ready"), kube.pod("app-deployment-5d8f-c", "ready"), kube.pod("myapp-migrate-1-0-0-x", "succeeded")]) },
        ],
        certificates: ["^aws acm list-certificates --region us-east-1 ", { out: rec.certificates(58) }],
    };
}

function run(answers: Answers, args: string[] = ["--json"], tools?: RunOptions["tools"]) {
    return runScriptAsync("verify_infrastructure.sh", args, Object.values(answers), { env: { VERIFY_NOW: rec.NOW_EPOCH }, ...(tools ? { tools } : {}) });
}

/** A good apply with --json, run once for the tests that read different parts of its report. */
let healthyRun: Promise<RunResult> | undefined;
function runHealthy(): Promise<RunResult> {
    return (healthyRun ??= run(healthy()));
}

function check(stdout: string, name: string) {
    const c = parseReport(stdout).checks.find((x) => x.name === name);
    if (!c) throw new Error(`no check ${name} in ${stdout}`);
    return c;
}

describe("scripts/verify_infrastructure.sh", () => {
    it.concurrent("after a good apply: every check passes, exit 0, and the JSON report has the documented shape", async () => {
        const r = await runHealthy();
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const report = parseReport(r.stdout);
        expect(report).toMatchObject({ script: "verify_infrastructure.sh", stack: "production", checkedAt: "2026-01-15T10:30:00Z", ok: true });
        expect(statuses(report)).toEqual({ drift: "pass", health: "pass", alarms: "pass", nodes: "pass", deployments: "pass", pods: "pass", certificate: "pass" });
        expect(check(r.stdout, "drift").detail).toBe("pulumi preview --expect-no-changes: no changes (312 unchanged)");
        expect(check(r.stdout, "health").detail).toBe("GET https://api.example.com/health: 200, healthy, version 1.0.0, checks database, external_api, redis");
        expect(check(r.stdout, "alarms").detail).toBe("no alarm named myapp-production-* in ALARM in us-east-1");
        expect(check(r.stdout, "nodes").detail).toBe("3 of 3 nodes Ready");
        expect(check(r.stdout, "deployments").detail).toBe("app-deployment 3/3 ready, 3 updated, 3 available");
        expect(check(r.stdout, "pods").detail).toBe("3 of 3 pods Running and Ready in myapp");
        expect(check(r.stdout, "certificate").detail).toMatch(/certificate\/9356358c.*: ISSUED, in use, expires 2026-03-14T10:30:00Z \(58 days; more than 30 needed\)$/);
    });

    it.concurrent("the calls: the outputs, the kubeconfig into a private file, a preview, one GET, then read-only AWS and kubectl calls", async () => {
        const r = await runHealthy();
        expect(r.calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
            "pulumi stack output",
            "pulumi preview --stack",
            "curl --silent --show-error",
            "aws cloudwatch describe-alarms",
            "pulumi stack output",
            "kubectl --kubeconfig " + r.calls[5]!.split(" ")[2],
            "kubectl --kubeconfig " + r.calls[6]!.split(" ")[2],
            "kubectl --kubeconfig " + r.calls[7]!.split(" ")[2],
            "aws acm list-certificates",
        ]);
        expect(r.calls[1]).toContain("--expect-no-changes --non-interactive");
        expect(r.calls[3]).toContain("--output json");
    });

    it.concurrent("a stack in us-west-2 (the DR rebuild) asks its own region and us-east-1, where the health check's alarm lives, and not another stack's alarms", async () => {
        const a = healthy();
        a["alarms"] = ["^aws cloudwatch describe-alarms --region us-west-2 ", { out: rec.alarms([]) }];
        a["healthAlarm"] = ["^aws cloudwatch describe-alarms --region us-east-1 --alarm-name-prefix myapp-production- ", { out: rec.alarms([rec.alarm("myapp-production-dr-service-down", "us-east-1")]) }];
        a["certificates"] = ["^aws acm list-certificates --region us-west-2 ", { out: rec.certificates(58) }];
        const r = await run(a, ["--region", "us-west-2", "--json"]);
        expect(check(r.stdout, "alarms")).toEqual({ name: "alarms", status: "pass", detail: "no alarm named myapp-production-* in ALARM in us-west-2, us-east-1" });
        expect(r.status).toBe(0);
    });

    describe("each failure fails its check and exits 1", () => {
        const cases: Array<[string, (a: Answers) => void, string, RegExp]> = [
            ["drift", (a) => (a["preview"]![1] = { out: PREVIEW_DRIFT, rc: 255 }), "drift", /the stack differs from the code and config: ~ 1 to update, 311 unchanged \(pulumi preview --diff --stack production/],
            ["the preview cannot run", (a) => (a["preview"]![1] = { err: "error: failed to decrypt configuration: incorrect passphrase\n", rc: 255 }), "drift", /pulumi preview failed: error: failed to decrypt configuration/],
            [
                "the health check answers 503",
                (a) => (a["health"]![1] = { out: `${JSON.stringify({ ...HEALTHY_BODY, status: "unhealthy", checks: { database: "unhealthy", redis: "healthy", external_api: "timeout" } })}\n503` }),
                "health",
                /HTTP 503; status "unhealthy"; database "unhealthy"; external_api "timeout"/,
            ],
            ["the health check is not JSON", (a) => (a["health"]![1] = { out: "<html>Bad Gateway</html>\n502" }), "health", /HTTP 502, not a JSON object: <html>Bad Gateway/],
            ["the health body lacks the runbook's fields", (a) => (a["health"]![1] = { out: `${JSON.stringify({ status: "healthy" })}\n200` }), "health", /no version; timestamp null is not ISO 8601; no checks object/],
            ["the host does not answer", (a) => (a["health"]![1] = { err: "curl: (6) Could not resolve host: api.example.com\n", rc: 6 }), "health", /GET https:\/\/api.example.com\/health: curl: \(6\) Could not resolve host/],
            ["an alarm in ALARM", (a) => (a["alarms"]![1] = { out: rec.alarms([rec.alarm("myapp-production-service-down", "us-east-1")]) }), "alarms", /^myapp-production-service-down \(us-east-1\) since 2026-01-15T10:18:00Z: Threshold Crossed/],
            ["CloudWatch refuses", (a) => (a["alarms"]![1] = { err: "\nAn error occurred (AccessDenied) when calling the DescribeAlarms operation: not authorized\n", rc: 254 }), "alarms", /AccessDenied/],
            ["a node not Ready", (a) => (a["nodes"]![1] = { out: kube.validated("NodeList", [kube.node("ip-10-20-1-10"), kube.node("ip-10-20-2-11", false)]) }), "nodes", /^1 of 2 nodes Ready; not Ready: ip-10-20-2-11$/],
            ["kubectl prints something that is not JSON", (a) => (a["nodes"]![1] = { out: 'error: the server doesn\'t have a resource type "nodes"\n' }), "nodes", /^could not read the answer: not JSON: error: the server doesn't have a resource type "nodes"$/],
            ["the list has no items", (a) => (a["nodes"]![1] = { out: { apiVersion: "v1", kind: "List" } }), "nodes", /^could not read the answer: Cannot iterate over null/],
            ["no nodes", (a) => (a["nodes"]![1] = { out: kube.validated("NodeList", []) }), "nodes", /the cluster has no nodes/],
            ["a rollout not finished", (a) => (a["deployments"]![1] = { out: kube.validated("DeploymentList", [kube.deployment("app-deployment", 3, 2)]) }), "deployments", /app-deployment 2\/3 ready/],
            ["the Deployment is missing", (a) => (a["deployments"]![1] = { out: kube.validated("DeploymentList", []) }), "deployments", /app-deployment not found in namespace myapp/],
            [
                "a pod crash-looping",
                (a) => (a["pods"]![1] = { out: kube.validated("PodList", [kube.pod("app-deployment-5d8f-a", "ready"), kube.pod("app-deployment-7c1e-z", { waiting: "CrashLoopBackOff" })]) }),
                "pods",
                /1 of 2 pods Running and Ready in myapp; not ready: app-deployment-7c1e-z Running \(CrashLoopBackOff\)/,
            ],
            ["the cluster does not answer", (a) => (a["pods"]![1] = { err: "Unable to connect to the server: dial tcp 10.20.0.5:443: i/o timeout\n", rc: 1 }), "pods", /Unable to connect to the server/],
            ["the certificate expires in 20 days", (a) => (a["certificates"]![1] = { out: rec.certificates(20) }), "certificate", /\(20 days; more than 30 needed\)/],
            ["the certificate is not in use", (a) => (a["certificates"]![1] = { out: rec.certificates(200, false) }), "certificate", /ISSUED, not in use/],
            ["no certificate for the host", (a) => (a["certificates"]![1] = { out: rec.certificates(200, true, "other.example.com") }), "certificate", /no ACM certificate for api.example.com in us-east-1/],
        ];
        it.concurrent.each(cases)("%s", async (_what, breakIt, name, detail) => {
            const a = healthy();
            breakIt(a);
            const r = await run(a);
            expect(r.status).toBe(1);
            const report = parseReport(r.stdout);
            expect(report.ok).toBe(false);
            expect(check(r.stdout, name).status).toBe("fail");
            expect(check(r.stdout, name).detail).toMatch(detail);
            expect(report.checks.filter((x) => x.status === "fail").map((x) => x.name)).toEqual([name]);
        });

        it.concurrent("the kubeconfig cannot be read: the three cluster checks fail saying so", async () => {
            const a = healthy();
            a["kubeconfig"]![1] = { err: "error: failed to decrypt configuration\n", rc: 255 };
            const r = await run(a);
            expect(r.status).toBe(1);
            for (const name of ["nodes", "deployments", "pods"]) {
                expect(check(r.stdout, name)).toEqual({ name, status: "fail", detail: "could not read the stack's kubeconfig output: error: failed to decrypt configuration" });
            }
        });
    });

    it.concurrent("reads a health body printed over several lines whole", async () => {
        const a = healthy();
        a["health"]![1] = { out: `${JSON.stringify(HEALTHY_BODY, null, 2)}\n200` };
        const r = await run(a);
        expect(r.status).toBe(0);
        expect(check(r.stdout, "health")).toEqual({ name: "health", status: "pass", detail: "GET https://api.example.com/health: 200, healthy, version 1.0.0, checks database, external_api, redis" });
    });

    it.concurrent("dev: the local cluster's context, http://localhost:8000, no AWS checks", async () => {
        const r = await run(
            {
                outputs: ["^pulumi stack output --json --stack dev ", { out: JSON.stringify(loadPlan("dev").outputs) }],
                preview: ["^pulumi preview --stack dev ", { out: PREVIEW_CLEAN }],
                health: ["^curl .* http://localhost:8000/health$", { out: `${JSON.stringify(HEALTHY_BODY)}\n200` }],
                nodes: ["^kubectl --context kind-ops --request-timeout 20s get nodes ", { out: kube.validated("NodeList", [kube.node("ops-control-plane")]) }],
                deployments: ["^kubectl --context kind-ops --request-timeout 20s get deployments --namespace myapp ", { out: kube.validated("DeploymentList", [kube.deployment("app-deployment", 1, 1)]) }],
                pods: ["^kubectl --context kind-ops --request-timeout 20s get pods --namespace myapp ", { out: kube.validated("PodList", [kube.pod("app-deployment-1", "ready")]) }],
            },
            ["--stack", "dev", "--json"],
            ["pulumi", "kubectl", "curl"],
        );
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const report = parseReport(r.stdout);
        expect(statuses(report)).toEqual({ drift: "pass", health: "pass", alarms: "skip", nodes: "pass", deployments: "pass", pods: "pass", certificate: "skip" });
        expect(check(r.stdout, "certificate").detail).toBe("http://localhost:8000 is not HTTPS: no certificate");
        expect(r.calls.some((c) => c.startsWith("aws "))).toBe(false);
    });

    it.concurrent("--dry-run prints every call and makes none (only the stack's outputs are read)", async () => {
        const r = await run(healthy(), ["--dry-run"]);
        expect(r.status).toBe(0);
        expect(r.calls).toHaveLength(1);
        expect(r.calls[0]).toMatch(/^pulumi stack output --json --stack production /);
        const printed = r.stdout.trim().split("\n");
        expect(printed[0]).toBe("# verify_infrastructure.sh --stack production --dry-run: the calls it would make, none made");
        expect(printed.slice(1).map((l) => l.split(" ").slice(0, 3).join(" "))).toEqual([
            "+ pulumi preview",
            "+ curl --silent",
            "+ aws cloudwatch",
            "+ pulumi stack",
            "+ kubectl --kubeconfig",
            "+ kubectl --kubeconfig",
            "+ kubectl --kubeconfig",
            "+ aws acm",
        ]);
        expect(printed[4]).toContain("pulumi stack output kubeconfig --show-secrets --stack production");
    });

    it.concurrent("--dry-run --json: the calls as a list", async () => {
        const out = JSON.parse((await run(healthy(), ["--dry-run", "--json"])).stdout) as { dryRun: boolean; calls: string[] };
        expect(Object.keys(out)).toEqual(["script", "stack", "dryRun", "calls"]);
        expect(out.calls).toHaveLength(8);
        expect(out.calls[2]).toBe("aws cloudwatch describe-alarms --region us-east-1 --alarm-name-prefix myapp-production- --state-value ALARM --output json");
    });

    it.concurrent("without Pulumi: every name from its flag, the drift check skipped and saying so", async () => {
        const a = healthy();
        delete a["outputs"];
        delete a["kubeconfig"];
        delete a["preview"];
        for (const k of ["nodes", "deployments", "pods"]) a[k]![0] = a[k]![0].replace(/--kubeconfig \[\^ \]\+(\/kubeconfig)?/, "--context prod");
        const args = ["--region", "us-east-1", "--url", "https://api.example.com", "--alarm-prefix", "myapp-production", "--namespace", "myapp", "--deployments", "app-deployment", "--context", "prod", "--json"];
        const r = await run(a, args, ["aws", "kubectl", "curl"]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(check(r.stdout, "drift")).toEqual({ name: "drift", status: "skip", detail: "pulumi is not installed: drift not checked (pulumi preview --expect-no-changes --stack production)" });
        expect(r.calls.some((c) => c.startsWith("pulumi"))).toBe(false);
    });

    it.concurrent("the text report", async () => {
        const a = healthy();
        a["alarms"]![1] = { out: rec.alarms([rec.alarm("myapp-production-service-down", "us-east-1")]) };
        const r = await run(a, []);
        expect(r.status).toBe(1);
        const lines = r.stdout.trim().split("\n");
        expect(lines[0]).toBe("verify_infrastructure.sh, stack production, 2026-01-15T10:30:00Z");
        expect(lines.slice(1, -1).map((l) => l.split(":")[0])).toEqual(["  PASS  drift", "  PASS  health", "  FAIL  alarms", "  PASS  nodes", "  PASS  deployments", "  PASS  pods", "  PASS  certificate"]);
        expect(lines.at(-1)).toBe("1 check(s) failed.");
    });

    describe("cannot run: exit 2, a message naming the fix, nothing on stdout", () => {
        const cases: Array<[string, string[], string]> = [
            ["an unknown argument", ["--regoin", "us-east-1"], "unknown argument '--regoin' (see --help)"],
            ["a flag without its value", ["--url"], "--url needs a value (see --help)"],
            ["two ways to the cluster", ["--context", "a", "--kubeconfig", "b"], "--context and --kubeconfig name the cluster twice: pass one"],
            ["a bad day count", ["--min-certificate-days", "thirty"], "--min-certificate-days takes whole days, got 'thirty'"],
        ];
        it.concurrent.each(cases)("%s", async (_what, args, message) => {
            const r = await run({}, args);
            expect(r.status).toBe(2);
            expect(r.stdout).toBe("");
            expect(r.stderr).toBe(`verify_infrastructure.sh: ${message}\n`);
            expect(r.calls).toEqual([]);
        });

        it.concurrent("a stack with no URL", async () => {
            const r = await run({ o: ["^pulumi stack output", { out: "{}" }] }, ["--stack", "empty"]);
            expect(r.status).toBe(2);
            expect(r.stderr).toContain("no URL: stack 'empty' has no output 'url'; pass --url");
        });
    });
});
