import { nonEmpty } from "../../helpers/nonEmpty";
import { PlanQuery } from "../../helpers/plan";
import { nodeRoleSpec } from "../../../modules/cluster/cluster";

interface PolicyDoc {
    Statement: Array<{ Effect: string; Action: string | string[]; Resource?: string | string[]; Condition?: unknown }>;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Resources of the platform layer's components (the other layers have tests of their own). */
const PLATFORM_COMPONENTS = /::ops:(network|cluster|edge|registry):[A-Za-z]+[$:]/;

describe.each(["production", "staging"])("the %s cluster", (stack) => {
    const plan = PlanQuery.of(stack).withoutStandby();
    const cluster = plan.one("aws:eks/cluster:Cluster");
    /** The ARN the mocks give one of modules/keys' primary-region keys. */
    const keyArn = (purpose: "secrets" | "logs"): string => `arn:aws:kms:us-east-1:123456789012:key/${plan.one("aws:kms/key:Key", `myapp-${stack}-keys-${purpose}`).id}`;

    it("pins its version, keeps the API private and encrypts secrets with its own KMS key", () => {
        expect(cluster.inputs["name"]).toBe(`myapp-${stack}`);
        expect(cluster.inputs["version"]).toBe("1.35");
        expect(cluster.inputs["vpcConfig"]).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
        expect((cluster.inputs["vpcConfig"] as Record<string, unknown>)["publicAccessCidrs"]).toBeUndefined();
        const key = plan.one("aws:kms/key:Key", `myapp-${stack}-secrets`);
        expect(key.inputs["enableKeyRotation"]).toBe(true);
        expect(cluster.inputs["encryptionConfig"]).toEqual({ provider: { keyArn: expect.stringMatching(/^arn:aws:kms:us-east-1:123456789012:key\//) }, resources: ["secrets"] });
        expect(key.id).toBe(String((cluster.inputs["encryptionConfig"] as { provider: { keyArn: string } }).provider.keyArn).split("/")[1]);
        const keyArn = (cluster.inputs["encryptionConfig"] as { provider: { keyArn: string } }).provider.keyArn;
        const keyAccess = JSON.parse(String(plan.one("aws:iam/rolePolicy:RolePolicy", `myapp-${stack}-cluster-kms`).inputs["policy"])) as PolicyDoc;
        // The key by its alias (the role exists before the key in a DR rebuild), which names this key alone.
        const alias = plan.ofType("aws:kms/alias:Alias").find((a) => a.inputs["targetKeyId"] === key.id);
        expect(alias?.inputs["name"]).toBe(`alias/myapp-${stack}-eks-secrets`);
        expect(keyArn.startsWith("arn:aws:kms:us-east-1:123456789012:key/")).toBe(true);
        expect(keyAccess.Statement).toEqual([
            {
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                Resource: "arn:aws:kms:us-east-1:123456789012:key/*",
                Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/myapp-${stack}-eks-secrets` } },
            },
        ]);
    });

    it("encrypts the control-plane and flow-log groups with the stack's logs key", () => {
        for (const name of [`myapp-${stack}-control-plane`, `myapp-${stack}-flow-logs`]) {
            expect(plan.one("aws:cloudwatch/logGroup:LogGroup", name).inputs["kmsKeyId"]).toBe(keyArn("logs"));
        }
    });

    it(`${stack === "production" ? "protects" : "leaves unprotected"} every KMS key and the access-log bucket (protectStatefulResources)`, () => {
        const guarded = [...plan.ofType("aws:kms/key:Key"), plan.one("aws:s3/bucket:Bucket", `myapp-${stack}-alb-logs`)];
        expect(guarded.length).toBeGreaterThanOrEqual(8);
        for (const r of guarded) expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, stack === "production", stack === "production"]);
    });

    it("creates the Container Insights log groups before the add-on that writes them", () => {
        const addon = plan.ofType("aws:eks/addon:Addon").find((a) => a.inputs["addonName"] === "amazon-cloudwatch-observability")!;
        const groups = plan.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs["name"]).startsWith(`/aws/containerinsights/myapp-${stack}/`));
        expect(groups.map((g) => g.inputs["name"]).sort()).toEqual(["application", "dataplane", "host", "performance"].map((s) => `/aws/containerinsights/myapp-${stack}/${s}`));
        for (const g of groups) {
            expect(addon.dependsOn).toContain(g.urn);
            expect(g.inputs["kmsKeyId"]).toBe(keyArn("logs"));
        }
    });

    it("sends every control-plane log type to a log group with the environment's retention, created first", () => {
        expect(cluster.inputs["enabledClusterLogTypes"]).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        const group = plan.one("aws:cloudwatch/logGroup:LogGroup", `myapp-${stack}-control-plane`);
        expect(group.inputs["name"]).toBe(`/aws/eks/myapp-${stack}/cluster`);
        expect(group.inputs["retentionInDays"]).toBe(stack === "production" ? 90 : 30);
        expect(cluster.dependsOn).toContain(group.urn);
    });

    it("authenticates through access entries for the admin and CI roles only: CI's deploy roles as admins, its previewing roles read-only", () => {
        expect(cluster.inputs["accessConfig"]).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
        const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
        // The bootstrap stack's roles (modules/ci/roles.ts): staging's cluster also hosts the pr-<N> stacks.
        const admins = stack === "staging" ? ["platform-admin", "myapp-ci-staging", "myapp-ci-preview"] : ["platform-admin", "myapp-ci-production"];
        const viewers = stack === "staging" ? ["myapp-ci-read-only"] : ["myapp-ci-read-only", "myapp-ci-production-plan"];
        const principals = plan.ofType("aws:eks/accessEntry:AccessEntry").map((e) => e.inputs["principalArn"]);
        expect(principals.sort()).toEqual([...admins, ...viewers].map(role).sort());
        const policies = plan.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => [String(a.inputs["principalArn"]).split("/").pop(), String(a.inputs["policyArn"]).split("/").pop(), a.inputs["accessScope"]]);
        expect(policies.sort()).toEqual(
            [
                ...admins.map((r) => [r, "AmazonEKSClusterAdminPolicy", { type: "cluster" }]),
                ...viewers.map((r) => [r, "AmazonEKSViewPolicy", { type: "cluster" }]),
                // Helm keeps each release's record as a Secret in its namespace: a preview of the release reads it.
                ...viewers.map((r) => [r, "AmazonEKSAdminViewPolicy", { type: "namespace", namespaces: ["kube-system", "external-secrets", "reloader"] }]),
            ].sort(),
        );
    });

    it("lets the previewing roles read Helm's release records in the namespace of every Helm release, and nowhere else", () => {
        const scoped = plan.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) => String(a.inputs["policyArn"]).endsWith("/AmazonEKSAdminViewPolicy"));
        expect(scoped.length).toBeGreaterThan(0);
        const releaseNamespaces = [...new Set(plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => String(r.inputs["namespace"])))];
        expect(releaseNamespaces.length).toBeGreaterThan(0);
        for (const a of scoped) expect([...((a.inputs["accessScope"] as { namespaces: string[] }).namespaces)].sort()).toEqual(releaseNamespaces.sort());
    });

    it("runs one managed node group in the private subnets only, at a pinned AMI release", () => {
        const ng = plan.one("aws:eks/nodeGroup:NodeGroup");
        const privateIds = plan
            .ofType("aws:ec2/subnet:Subnet")
            .filter((s) => (s.inputs["tags"] as Record<string, string>)["tier"] === "private")
            .map((s) => s.id)
            .sort();
        expect([...(ng.inputs["subnetIds"] as string[])].sort()).toEqual(privateIds);
        expect([...((cluster.inputs["vpcConfig"] as { subnetIds: string[] }).subnetIds)].sort()).toEqual(privateIds);
        expect(ng.inputs).toMatchObject({
            amiType: "AL2023_x86_64_STANDARD",
            releaseVersion: "1.35.6-20260714",
            version: "1.35",
            updateConfig: { maxUnavailable: 1 },
            scalingConfig: stack === "production" ? { minSize: 3, maxSize: 9, desiredSize: 3 } : { minSize: 2, maxSize: 4, desiredSize: 2 },
            instanceTypes: stack === "production" ? ["m6i.large"] : ["t3.large"],
        });
        const template = plan.one("aws:ec2/launchTemplate:LaunchTemplate");
        expect(template.inputs["metadataOptions"]).toMatchObject({ httpTokens: "required" });
        expect(template.inputs["blockDeviceMappings"]).toEqual([
            { deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
        ]);
        const appSg = plan.one("aws:ec2/securityGroup:SecurityGroup", `myapp-${stack}-app-sg`);
        expect(template.inputs["vpcSecurityGroupIds"]).toContain(appSg.id);
    });

    it("installs the managed add-ons at pinned versions, the AWS-facing ones through Pod Identity", () => {
        const addons: Record<string, Record<string, unknown>> = Object.fromEntries(plan.ofType("aws:eks/addon:Addon").map((a) => [String(a.inputs["addonName"]), a.inputs]));
        expect(Object.fromEntries(Object.entries(addons).map(([n, a]) => [n, a["addonVersion"]]))).toEqual({
            "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
            "vpc-cni": "v1.23.0-eksbuild.1",
            coredns: "v1.14.3-eksbuild.3",
            "kube-proxy": "v1.35.3-eksbuild.18",
            "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
            "amazon-cloudwatch-observability": "v4.5.0-eksbuild.1",
        });
        const accounts = (name: string): unknown => (addons[name]!["podIdentityAssociations"] as Array<{ serviceAccount: string }> | undefined)?.map((p) => p.serviceAccount);
        expect(accounts("vpc-cni")).toEqual(["aws-node"]);
        expect(accounts("aws-ebs-csi-driver")).toEqual(["ebs-csi-controller-sa"]);
        expect(accounts("amazon-cloudwatch-observability")).toEqual(["cloudwatch-agent"]);
        expect(accounts("coredns")).toBeUndefined();
    });

    it("installs the controllers from pinned charts, with their own Pod Identity roles", () => {
        const charts = Object.fromEntries(plan.ofType("kubernetes:helm.sh/v3:Release").map((r) => [r.inputs["chart"], r.inputs["version"]]));
        expect(charts).toEqual({ "aws-load-balancer-controller": "3.5.0", "external-secrets": "2.8.0", "metrics-server": "3.13.1", reloader: "2.2.16" });
        const associations = plan
            .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
            .filter((a) => a.urn.includes("ops:cluster:Controllers$"))
            .map((a) => `${String(a.inputs["namespace"])}/${String(a.inputs["serviceAccount"])}`);
        expect(associations.sort()).toEqual(["external-secrets/external-secrets", "kube-system/aws-load-balancer-controller"]);
        const eso = plan.one("aws:iam/rolePolicy:RolePolicy", `myapp-${stack}-controllers-external-secrets`);
        const doc = JSON.parse(String(eso.inputs["policy"])) as PolicyDoc;
        expect(doc.Statement.map((s) => s.Resource)).toEqual([
            `arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/${stack}/*`,
            `arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/${stack}/DATABASE_MASTER-??????`,
            "arn:aws:kms:us-east-1:123456789012:key/*",
        ]);
        // The secrets key by its alias: this environment's key only.
        expect(doc.Statement[2]!.Condition).toEqual({ StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }, "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/myapp/${stack}/secrets` } });
    });

    it("allows no wildcard action on every resource in any IAM policy of the stack", () => {
        const policies = [...plan.ofType("aws:iam/rolePolicy:RolePolicy"), ...plan.ofType("aws:iam/policy:Policy")];
        expect(policies.length).toBeGreaterThanOrEqual(4);
        for (const p of policies) {
            const doc = JSON.parse(String(p.inputs["policy"])) as PolicyDoc;
            for (const s of nonEmpty(doc.Statement, `the statements of ${p.name}`).filter((x) => x.Effect === "Allow" && asList(x.Resource).includes("*"))) {
                for (const action of nonEmpty(asList(s.Action), `the actions of ${p.name}`)) expect(action).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
            }
        }
    });

    it("grants the platform's roles no wildcard action at all, and only read actions on every resource", () => {
        const policies = plan.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => PLATFORM_COMPONENTS.test(p.urn));
        expect(policies.map((p) => p.name).sort()).toEqual(
            [`myapp-${stack}-cluster-kms`, `myapp-${stack}-controllers-external-secrets`, `myapp-${stack}-controllers-lb-controller`, `myapp-${stack}-flow-logs`].sort(),
        );
        for (const p of policies) {
            const doc = JSON.parse(String(p.inputs["policy"])) as PolicyDoc;
            for (const s of nonEmpty(doc.Statement.filter((x) => x.Effect === "Allow"), `the allowed statements of ${p.name}`)) {
                const actions = nonEmpty(asList(s.Action), `the actions of ${p.name}`);
                for (const action of actions) expect(action).not.toMatch(/\*/);
                if (asList(s.Resource).includes("*")) expect(actions.filter((a) => !/:(Describe|Get|List)/.test(a))).toEqual([]);
            }
        }
        for (const a of plan.allOf("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
            expect(String(a.inputs["policyArn"])).not.toMatch(/AdministratorAccess|PowerUserAccess|FullAccess/);
        }
    });

    it("hands the workload a Kubernetes provider built from the cluster, and exports the kubeconfig as a secret", () => {
        const provider = plan.one("pulumi:providers:kubernetes", `myapp-${stack}-k8s`);
        expect(provider.inputs["kubeconfig"]).toBe("[secret]");
        expect(plan.plan.outputs["kubeconfig"]).toBe("[secret]");
        expect(plan.plan.outputs["clusterName"]).toBe(`myapp-${stack}`);
        // The plan records explicit providers only; the bindings name theirs.
        for (const b of plan.allOf("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")) expect(b.provider).toBe(provider.urn);
        for (const r of plan.allOf("kubernetes:helm.sh/v3:Release")) expect(r.provider).toBe(provider.urn);
    });
});

describe("the node role", () => {
    it("pulls images with the managed pull-only policy and imports nothing upstream by default", () => {
        expect(nodeRoleSpec("us-east-1", [])).toEqual({
            purpose: "nodes",
            trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] }] }),
            managedPolicyArns: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"].map((p) => `arn:aws:iam::aws:policy/${p}`),
            inlinePolicies: {},
        });
    });

    it("may fill the pull-through caches it pulls through, in its own region only", () => {
        expect(nodeRoleSpec("us-west-2", ["ecr-public", "k8s"]).inlinePolicies).toEqual({
            "pull-through-cache": [
                {
                    Sid: "FillThePullThroughCaches",
                    Effect: "Allow",
                    Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                    Resource: ["arn:{partition}:ecr:us-west-2:{account}:repository/ecr-public/*", "arn:{partition}:ecr:us-west-2:{account}:repository/k8s/*"],
                },
            ],
        });
    });
});

describe.each(["production", "production-dr"])("the %s Kubernetes provider", (stack) => {
    it("waits for the nodes and what pods need to start, not for the add-ons that install alongside", () => {
        const q = PlanQuery.of(stack);
        const provider = q.one("pulumi:providers:kubernetes", `myapp-production-k8s`);
        const byUrn = new Map(q.resources.map((r) => [r.urn, r]));
        const waitsFor = provider.dependsOn.map((u) => byUrn.get(u)!).map((r) => (r.type === "aws:eks/addon:Addon" ? `addon ${String(r.inputs["addonName"])}` : r.type));
        expect(waitsFor.sort()).toEqual(["addon eks-pod-identity-agent", "addon kube-proxy", "addon vpc-cni", "aws:eks/nodeGroup:NodeGroup"]);
        const addons = q.ofType("aws:eks/addon:Addon").map((a) => a.inputs["addonName"]);
        expect(addons.sort()).toEqual(["amazon-cloudwatch-observability", "aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    });
});
