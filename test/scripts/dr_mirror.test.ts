import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mirrorManifest } from "../../modules/dr/mirror";
import { runScript, type Answer, type Route, type RunOptions } from "./harness";

/**
 * scripts/dr_mirror.sh against recorded answers of aws, helm, skopeo and pulumi: the charts pulled
 * from their HTTP repositories and pushed to the DR region's ECR as OCI, the images they render
 * copied into the mirror or pulled once through a pull-through cache, each write skipped when its
 * immutable tag is there already, and the ECR password only ever on stdin.
 */

/** The manifest production's plan outputs (`drMirror`), from the program's own function. */
const MANIFEST = mirrorManifest({
    appName: "myapp",
    environment: "production",
    region: "us-west-2",
    versions: { awsLoadBalancerController: "3.5.0", externalSecrets: "2.8.0", metricsServer: "3.13.1", reloader: "2.2.16" },
    cachedImages: ["public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0", "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147"],
});
const HOST = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
const MIRROR = "myapp/production/mirror";
const PASSWORD = "eyJwYXlsb2FkIjoiZmFrZS1lY3ItcGFzc3dvcmQifQ==";

/** A literal as a route's regex. */
const lit = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What `helm template` prints of each chart (the parts that matter: pods' images, and a CRD's `image` property). */
const RENDERED: Record<string, string> = {
    "aws-load-balancer-controller": [
        "# Source: aws-load-balancer-controller/templates/deployment.yaml",
        "      containers:",
        "      - name: aws-load-balancer-controller",
        '        image: "public.ecr.aws/eks/aws-load-balancer-controller:v2.14.1"',
        "        args:",
        "        - --cluster-name=dr-mirror",
    ].join("\n"),
    "external-secrets": [
        "# Source: external-secrets/templates/crds/externalsecret.yaml",
        "                    image:",
        "                      description: the image of a generator",
        "                      type: string",
        ...["deployment", "webhook-deployment", "cert-controller-deployment"].flatMap((t) => [
            `# Source: external-secrets/templates/${t}.yaml`,
            "        - name: external-secrets",
            "          image: oci.external-secrets.io/external-secrets/external-secrets:v2.8.0",
            "          imagePullPolicy: IfNotPresent",
        ]),
    ].join("\n"),
    "metrics-server": ["# Source: metrics-server/templates/deployment.yaml", '        - image: "registry.k8s.io/metrics-server/metrics-server:v0.8.0"', "          name: metrics-server"].join("\n"),
    reloader: ["# Source: reloader/templates/deployment.yaml", "      - image: 'ghcr.io/stakater/reloader:v1.4.10'", "        name: reloader-reloader"].join("\n"),
};

const NOT_FOUND: Answer = {
    rc: 254,
    err: "\nAn error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageDigest:'null', imageTag:'x'} does not exist within the repository\n",
};
const FOUND: Answer = { out: { imageDetails: [{ registryId: "123456789012", imageTags: ["x"] }] } };
const describe_ = (repository: string, tag: string, answer: Answer): Route => [`^aws ecr describe-images --region us-west-2 --repository-name ${lit(repository)} --image-ids imageTag=${lit(tag)} --output json$`, answer];

/** The mirror's tags: every chart and mirrored image missing (`present` false) or there. */
function registry(present: boolean): Route[] {
    const answer = present ? FOUND : NOT_FOUND;
    return [
        ...MANIFEST.charts.map((c) => describe_(c.repository, c.version, answer)),
        describe_(`${MIRROR}/external-secrets/external-secrets`, "v2.8.0", answer),
        describe_(`${MIRROR}/stakater/reloader`, "v1.4.10", answer),
    ];
}

function routes(opts: { present?: boolean; rendered?: Record<string, string>; extra?: Route[] } = {}): Route[] {
    const rendered = { ...RENDERED, ...opts.rendered };
    return [
        ...(opts.extra ?? []),
        ["^aws sts get-caller-identity --region us-west-2 --query Account --output text$", { out: "123456789012\n" }],
        ["^aws ecr get-login-password --region us-west-2$", { out: PASSWORD }],
        [`^helm registry login --username AWS --password-stdin ${lit(HOST)}$`, { out: "Login Succeeded\n", stdin: true }],
        [`^skopeo login --username AWS --password-stdin ${lit(HOST)}$`, { out: "Login Succeeded!\n", stdin: true }],
        ...registry(opts.present ?? false),
        ...MANIFEST.charts.map((c): Route => [`^helm pull ${lit(c.chart)} --repo ${lit(c.repo)} --version ${lit(c.version)} --destination \\S+/charts$`, { out: "" }]),
        ...MANIFEST.charts.map((c): Route => [`^helm template ${lit(c.chart)} \\S+/charts/${lit(`${c.chart}-${c.version}`)}\\.tgz( |$)`, { out: `${rendered[c.chart]}\n` }]),
        [`^helm push \\S+\\.tgz oci://${lit(HOST)}/${lit(MIRROR)}/charts$`, { out: "Pushed: x\nDigest: sha256:0000\n" }],
        ["^skopeo copy --all ", { out: "" }],
    ];
}

/** The run's temporary directory (under the sandbox's TMPDIR) as $WORK, so that calls compare exactly. */
const work = (lines: string[]): string[] => lines.map((l) => l.replace(/\/[^\s:]*\/tmp\.[A-Za-z0-9]+/g, "$WORK"));

/** The system tools the script uses besides the faked ones: a run with these alone has no real aws, helm, skopeo or pulumi to find. */
const SYSTEM_TOOLS = ["jq", "mktemp", "rm", "dirname", "mkdir", "grep", "head", "awk"];

/** Runs the script; the argument MANIFEST is the manifest (default production's), written to a file. */
function run(args: string[], r: Route[], opts: { manifest?: unknown; tools?: RunOptions["tools"] } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-mirror-"));
    try {
        const file = path.join(dir, "drMirror.json");
        fs.writeFileSync(file, JSON.stringify(opts.manifest ?? MANIFEST, null, 2));
        const result = runScript("dr_mirror.sh", args.map((a) => (a === "MANIFEST" ? file : a)), r, { systemTools: SYSTEM_TOOLS, ...(opts.tools ? { tools: opts.tools } : {}) });
        return { ...result, calls: work(result.calls) };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const PULLS = MANIFEST.charts.map((c) => `helm pull ${c.chart} --repo ${c.repo} --version ${c.version} --destination $WORK/charts`);
const PREWARMS = [
    `${HOST}/ecr-public/eks/aws-load-balancer-controller:v2.14.1`,
    `${HOST}/k8s/metrics-server/metrics-server:v0.8.0`,
    `${HOST}/ecr-public/aws-observability/aws-otel-collector:v0.45.0`,
    `${HOST}/ecr-public/aws-appconfig/aws-appconfig-agent:2.0.13147`,
].map((ref, i) => `skopeo copy --all docker://${ref} dir:$WORK/prewarm-${i}`);
const COPIES = [
    `skopeo copy --all --preserve-digests docker://oci.external-secrets.io/external-secrets/external-secrets:v2.8.0 docker://${HOST}/${MIRROR}/external-secrets/external-secrets:v2.8.0`,
    `skopeo copy --all --preserve-digests docker://ghcr.io/stakater/reloader:v1.4.10 docker://${HOST}/${MIRROR}/stakater/reloader:v1.4.10`,
];
const PUSH = (chart: string, version: string) => `helm push $WORK/charts/${chart}-${version}.tgz oci://${HOST}/${MIRROR}/charts`;
const DESCRIBE = (repository: string, tag: string) => `aws ecr describe-images --region us-west-2 --repository-name ${repository} --image-ids imageTag=${tag} --output json`;
const TEMPLATE = (chart: string, version: string, sets = "") => `helm template ${chart} $WORK/charts/${chart}-${version}.tgz${sets}`;

describe("scripts/dr_mirror.sh", () => {
    it("fills an empty mirror: each chart pulled and pushed as OCI, the ghcr.io images copied, the cached ones pulled once through their cache", () => {
        const r = run(["--manifest", "MANIFEST"], routes());
        expect([r.status, r.stderr]).toEqual([0, ""]);
        expect(r.calls[0]).toBe("aws sts get-caller-identity --region us-west-2 --query Account --output text");
        // Each login is a pipe from get-login-password: the two ends of a pipe start together, in either order.
        expect(r.calls.slice(1, 5).filter((c) => c === "aws ecr get-login-password --region us-west-2")).toHaveLength(2);
        expect(r.calls.slice(1, 5).filter((c) => c.includes(" login "))).toEqual([`helm registry login --username AWS --password-stdin ${HOST}`, `skopeo login --username AWS --password-stdin ${HOST}`]);
        expect(r.calls.slice(5)).toEqual([
            PULLS[0],
            DESCRIBE(`${MIRROR}/charts/aws-load-balancer-controller`, "3.5.0"),
            PUSH("aws-load-balancer-controller", "3.5.0"),
            // The chart requires a cluster name to render at all (CONTROLLER_CHARTS templateValues).
            TEMPLATE("aws-load-balancer-controller", "3.5.0", " --set-string clusterName=dr-mirror"),
            PREWARMS[0],
            PULLS[1],
            DESCRIBE(`${MIRROR}/charts/external-secrets`, "2.8.0"),
            PUSH("external-secrets", "2.8.0"),
            TEMPLATE("external-secrets", "2.8.0"),
            // One image for its three deployments: copied once. The CRD's `image:` property is no image.
            DESCRIBE(`${MIRROR}/external-secrets/external-secrets`, "v2.8.0"),
            COPIES[0],
            PULLS[2],
            DESCRIBE(`${MIRROR}/charts/metrics-server`, "3.13.1"),
            PUSH("metrics-server", "3.13.1"),
            TEMPLATE("metrics-server", "3.13.1"),
            PREWARMS[1],
            PULLS[3],
            DESCRIBE(`${MIRROR}/charts/reloader`, "2.2.16"),
            PUSH("reloader", "2.2.16"),
            TEMPLATE("reloader", "2.2.16"),
            DESCRIBE(`${MIRROR}/stakater/reloader`, "v1.4.10"),
            COPIES[1],
            PREWARMS[2],
            PREWARMS[3],
        ]);
        expect(r.stdout).toBe(
            [
                `mirror ${MIRROR} in ${HOST}`,
                "copied (6): chart aws-load-balancer-controller 3.5.0, chart external-secrets 2.8.0, oci.external-secrets.io/external-secrets/external-secrets:v2.8.0, chart metrics-server 3.13.1, chart reloader 2.2.16, ghcr.io/stakater/reloader:v1.4.10",
                "already present (0)",
                "pre-warmed (4): public.ecr.aws/eks/aws-load-balancer-controller:v2.14.1, registry.k8s.io/metrics-server/metrics-server:v0.8.0, public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0, public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147",
                "",
            ].join("\n"),
        );
    });

    it("a re-run skips every tag the mirror holds (its tags are immutable: pushing again would fail), and pulls the cached images again", () => {
        const r = run(["--manifest", "MANIFEST"], routes({ present: true }));
        expect([r.status, r.stderr]).toEqual([0, ""]);
        expect(r.calls.filter((c) => c.startsWith("helm push") || c.includes("--preserve-digests"))).toEqual([]);
        expect(r.calls.filter((c) => c.startsWith("skopeo copy"))).toEqual(PREWARMS);
        expect(r.stdout.split("\n").slice(1)).toEqual([
            "copied (0)",
            "already present (6): chart aws-load-balancer-controller 3.5.0, chart external-secrets 2.8.0, oci.external-secrets.io/external-secrets/external-secrets:v2.8.0, chart metrics-server 3.13.1, chart reloader 2.2.16, ghcr.io/stakater/reloader:v1.4.10",
            "pre-warmed (4): public.ecr.aws/eks/aws-load-balancer-controller:v2.14.1, registry.k8s.io/metrics-server/metrics-server:v0.8.0, public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0, public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147",
            "",
        ]);
    });

    it("--dry-run: reads the charts and the mirror's tags, prints each login and write, makes none", () => {
        const r = run(["--manifest", "MANIFEST", "--dry-run"], routes());
        expect([r.status, r.stderr]).toEqual([0, ""]);
        expect(r.calls.map((c) => c.split(" ").slice(0, 3).join(" ")).filter((c, i, all) => all.indexOf(c) === i)).toEqual([
            "aws sts get-caller-identity",
            "helm pull aws-load-balancer-controller",
            "aws ecr describe-images",
            "helm template aws-load-balancer-controller",
            "helm pull external-secrets",
            "helm template external-secrets",
            "helm pull metrics-server",
            "helm template metrics-server",
            "helm pull reloader",
            "helm template reloader",
        ]);
        const lines = work(r.stdout.split("\n"));
        expect(lines.filter((l) => l.startsWith("+"))).toEqual([
            `+ aws ecr get-login-password --region us-west-2 | helm registry login --username AWS --password-stdin ${HOST}`,
            `+ aws ecr get-login-password --region us-west-2 | skopeo login --username AWS --password-stdin ${HOST}`,
            `+ ${PUSH("aws-load-balancer-controller", "3.5.0")}`,
            `+ ${PREWARMS[0]}`,
            `+ ${PUSH("external-secrets", "2.8.0")}`,
            `+ ${COPIES[0]}`,
            `+ ${PUSH("metrics-server", "3.13.1")}`,
            `+ ${PREWARMS[1]}`,
            `+ ${PUSH("reloader", "2.2.16")}`,
            `+ ${COPIES[1]}`,
            `+ ${PREWARMS[2]}`,
            `+ ${PREWARMS[3]}`,
        ]);
        expect(lines.filter((l) => !l.startsWith("+"))).toEqual([
            `# dr_mirror.sh --dry-run: mirror ${MIRROR} in ${HOST}; the writes above were printed, none made`,
            "to copy (6): chart aws-load-balancer-controller 3.5.0, chart external-secrets 2.8.0, oci.external-secrets.io/external-secrets/external-secrets:v2.8.0, chart metrics-server 3.13.1, chart reloader 2.2.16, ghcr.io/stakater/reloader:v1.4.10",
            "already present (0)",
            "to pre-warm (4): public.ecr.aws/eks/aws-load-balancer-controller:v2.14.1, registry.k8s.io/metrics-server/metrics-server:v0.8.0, public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0, public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147",
            "",
        ]);
        // Without skopeo: a dry run calls none.
        const noSkopeo = run(["--manifest", "MANIFEST", "--dry-run"], routes(), { tools: ["aws", "helm"] });
        expect(noSkopeo.status).toBe(0);
    });

    it("an image from a registry neither mirrored nor cached fails the run, naming the chart, the image and what to do, after copying the rest", () => {
        const withHub = `${RENDERED["external-secrets"]}\n        - name: kubectl\n          image: bitnami/kubectl:1.33.0`;
        const r = run(["--manifest", "MANIFEST"], routes({ rendered: { "external-secrets": withHub } }));
        expect(r.status).toBe(1);
        expect(r.stderr).toBe(
            "dr_mirror.sh: chart external-secrets 2.8.0 renders bitnami/kubectl:1.33.0 (docker.io/bitnami/kubectl), which neither the mirror copies nor a pull-through cache serves (registry docker.io): mirror it (MIRRORED_IMAGES in modules/dr/mirror.ts) or point the chart at a cached registry (PULL_THROUGH_CACHES in modules/dr/names.ts), so that a rebuild can pull it\n",
        );
        // Everything else was done.
        expect(r.calls.filter((c) => c.startsWith("helm push"))).toHaveLength(4);
        expect(r.calls.filter((c) => c.startsWith("skopeo copy"))).toEqual([PREWARMS[0], COPIES[0], PREWARMS[1], COPIES[1], PREWARMS[2], PREWARMS[3]]);
        expect(r.calls.join("\n")).not.toContain("kubectl");
    });

    it("a chart that cannot render at its defaults stops the run, with helm's reason", () => {
        const required: Route = [
            "^helm template metrics-server ",
            { rc: 1, err: "Error: execution error at (metrics-server/templates/deployment.yaml:40:20): a value is required\nUse --debug flag to render out invalid YAML\n" },
        ];
        const r = run(["--manifest", "MANIFEST"], routes({ extra: [required] }));
        expect(r.status).toBe(1);
        expect(r.stderr).toBe("dr_mirror.sh: helm template metrics-server 3.13.1 failed: Error: execution error at (metrics-server/templates/deployment.yaml:40:20): a value is required\n");
        expect(r.calls.some((c) => c.startsWith("helm pull reloader"))).toBe(false);
    });

    it("a chart that renders no image at all fails the run: its images would be unknown, not absent", () => {
        const r = run(["--manifest", "MANIFEST"], routes({ rendered: { reloader: "# Source: reloader/templates/role.yaml\nkind: Role" } }));
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("dr_mirror.sh: chart reloader 2.2.16 renders no image: field at its defaults, so which images it needs is not known");
    });

    it("never puts the ECR password in an argument, the output or the errors: it reaches helm and skopeo on stdin", () => {
        const r = run(["--manifest", "MANIFEST"], routes());
        expect(r.status).toBe(0);
        expect(r.calls.length).toBeGreaterThan(20);
        for (const c of r.calls) expect(c).not.toContain(PASSWORD);
        expect(r.stdout + r.stderr).not.toContain(PASSWORD);
        expect(r.stdin).toEqual([`helm: ${PASSWORD}`, `skopeo: ${PASSWORD}`]);
        // A failed login names the tool and the error, not the password.
        const denied = run(["--manifest", "MANIFEST"], routes({ extra: [[`^skopeo login `, { rc: 1, err: "Error: logging into registry: invalid username/password\n", stdin: true }]] }));
        expect(denied.status).toBe(1);
        expect(denied.stderr).toBe(`dr_mirror.sh: logging skopeo in to ${HOST} failed: Error: logging into registry: invalid username/password\n`);
        expect(denied.stderr).not.toContain(PASSWORD);
    });

    it("--stack reads the manifest from the stack's drMirror output", () => {
        const output: Route = ["^pulumi stack output --stack production --json drMirror --cwd \\S+$", { out: `${JSON.stringify(MANIFEST, null, 2)}\n` }];
        const r = run(["--stack", "production", "--dry-run"], routes({ extra: [output] }));
        expect([r.status, r.stderr]).toEqual([0, ""]);
        expect(r.calls[0]).toMatch(/^pulumi stack output --stack production --json drMirror --cwd \/\S+$/);
        expect(r.calls[1]).toBe("aws sts get-caller-identity --region us-west-2 --query Account --output text");
        // No flag at all: production's output (or $PULUMI_STACK's).
        expect(run(["--dry-run"], routes({ extra: [output] })).status).toBe(0);
        const missing = run(["--stack", "staging"], routes({ extra: [["^pulumi stack output --stack staging ", { rc: 255, err: "error: current stack does not have output property 'drMirror'\n" }]] }));
        expect(missing.status).toBe(2);
        expect(missing.stderr).toBe(
            "dr_mirror.sh: could not read the drMirror output of stack 'staging' (error: current stack does not have output property 'drMirror'). Log in to the stack's backend (pulumi login ...), or pass --manifest FILE\n",
        );
    });

    it("refuses a manifest that is not a drMirror output, and a chart pushed anywhere but its repository", () => {
        const bad = (manifest: unknown) => run(["--manifest", "MANIFEST"], routes(), { manifest });
        const message = "dr_mirror.sh: the manifest is not a drMirror output (modules/dr/mirror.ts MirrorManifest: region, prefix, charts with their repository <prefix>/charts/<chart>, images, caches, prewarm)\n";
        for (const manifest of [{}, { ...MANIFEST, region: "west" }, { ...MANIFEST, charts: [] }, { ...MANIFEST, charts: [{ ...MANIFEST.charts[0]!, repository: "elsewhere/aws-load-balancer-controller" }] }, { ...MANIFEST, prewarm: [1] }]) {
            const r = bad(manifest);
            expect([r.status, r.stderr, r.calls]).toEqual([2, message, []]);
        }
    });

    it("stops at a repository production has not created yet, saying so", () => {
        const missing: Route = [
            "^aws ecr describe-images --region us-west-2 --repository-name myapp/production/mirror/charts/aws-load-balancer-controller ",
            { rc: 254, err: "\nAn error occurred (RepositoryNotFoundException) when calling the DescribeImages operation: The repository with name 'myapp/production/mirror/charts/aws-load-balancer-controller' does not exist\n" },
        ];
        const r = run(["--manifest", "MANIFEST"], routes({ extra: [missing] }));
        expect(r.status).toBe(1);
        expect(r.stderr).toBe(
            "dr_mirror.sh: no repository myapp/production/mirror/charts/aws-load-balancer-controller in us-west-2: production's standby footprint creates it (modules/dr/mirrorRegistry.ts); pulumi up -s production first\n",
        );
        expect(r.calls.some((c) => c.startsWith("helm push"))).toBe(false);
    });

    it("says which tool is missing and how to get it", () => {
        const without = (tools: ("aws" | "helm" | "skopeo" | "pulumi")[], args = ["--manifest", "MANIFEST"]) => run(args, routes(), { tools });
        expect(without(["aws", "skopeo"]).stderr).toBe("dr_mirror.sh: helm is required: https://helm.sh/docs/intro/install/ (GitHub's Ubuntu runners have it)\n");
        const noSkopeo = without(["aws", "helm"]);
        expect([noSkopeo.status, noSkopeo.stderr]).toEqual([2, "dr_mirror.sh: skopeo is required: apt-get install -y skopeo (Debian, Ubuntu), brew install skopeo (macOS); GitHub's Ubuntu runners have it\n"]);
        expect(without(["aws", "helm", "skopeo"], ["--stack", "production"]).stderr).toBe("dr_mirror.sh: pulumi is required: https://www.pulumi.com/docs/iac/download-install/ (see --help for what to pass without it)\n");
        expect(without(["helm", "skopeo"]).status).toBe(2);
    });

    it("refuses bad arguments, and prints its header for --help", () => {
        expect(run(["--manifest"], []).stderr).toBe("dr_mirror.sh: --manifest needs a value (see --help)\n");
        expect(run(["--manifest", "MANIFEST", "--stack", "production"], []).stderr).toBe("dr_mirror.sh: give --manifest or --stack, not both\n");
        expect(run(["--force"], []).status).toBe(2);
        const help = run(["--help"], []);
        expect(help.status).toBe(0);
        expect(help.stdout.split("\n")[0]).toBe("Fills the DR region's mirror and pre-warms its pull-through caches, while the primary region is");
        expect(help.stdout).toContain("Exit 0 the mirror and the caches hold everything; 1 a call failed (at once), or an image is");
    });
});
