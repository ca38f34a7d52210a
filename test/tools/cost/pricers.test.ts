import { costOf, estimate, fixturePlan, res } from "./fixtures";

// Each expectation is worked out by hand from the round prices and assumptions in ./fixtures.ts
// (730 hours a month; us-west-2 prices are twice us-east-1's).

describe("compute", () => {
    test("EKS control plane at the standard rate while the version is in standard support", () => {
        const e = estimate(fixturePlan([res("aws:eks/cluster:Cluster", "c", { version: "1.33" })]), { asOf: "2026-07-28" });
        expect(costOf(e, "c").monthlyUsd).toBe(73); // 730 × 0.10
    });

    test("EKS control plane at the extended-support rate past standard support (EXTENDED is EKS's default)", () => {
        const e = estimate(fixturePlan([res("aws:eks/cluster:Cluster", "c", { version: "1.33" })]), { asOf: "2026-07-29" });
        expect(costOf(e, "c").monthlyUsd).toBe(438); // 730 × 0.60
        expect(costOf(e, "c").lines[0]!.priceKey).toBe("eks.cluster.extendedSupport");
    });

    test("upgradePolicy STANDARD past standard support: the standard rate and a warning that EKS upgrades it", () => {
        const e = estimate(fixturePlan([res("aws:eks/cluster:Cluster", "c", { version: "1.33", upgradePolicy: { supportType: "STANDARD" } })]), { asOf: "2026-12-01" });
        expect(costOf(e, "c").monthlyUsd).toBe(73);
        expect(e.warnings.join("\n")).toMatch(/1\.33 left standard support on 2026-07-29.*upgrades the control plane/);
    });

    test("a version missing from the table is priced at the standard rate with a warning", () => {
        const e = estimate(fixturePlan([res("aws:eks/cluster:Cluster", "c", { version: "1.99" })]));
        expect(costOf(e, "c").monthlyUsd).toBe(73);
        expect(e.warnings.join("\n")).toMatch(/1\.99 is not in modules\/cluster\/versions\.ts/);
    });

    test("node group: desired nodes × instance hours, plus their launch template's root volumes", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }] }, { id: "lt-1" });
        const ng = res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: ["t3.large"], scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 3 }, launchTemplate: { id: "lt-1" } });
        const e = estimate(fixturePlan([lt, ng]));
        // 3 × 730 × 0.10 = 219; 3 × 50 GiB × 0.10 = 15
        expect(costOf(e, "ng").lines.map((l) => l.monthlyUsd)).toEqual([219, 15]);
        expect(costOf(e, "lt").status).toBe("free");
    });

    test("node group without a launch template: EKS's default 20 GiB gp2 disk", () => {
        const ng = res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: ["t3.large"], scalingConfig: { desiredSize: 1 } });
        expect(costOf(estimate(fixturePlan([ng])), "ng").monthlyUsd).toBe(77); // 73 + 20 × 0.20
    });

    test("an instance type missing from the table makes the node group unpriced, not free", () => {
        const ng = res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: ["x9.huge"], scalingConfig: { desiredSize: 1 } });
        const r = costOf(estimate(fixturePlan([ng])), "ng");
        expect(r.status).toBe("unpriced");
        expect(r.reason).toMatch(/no price "ec2.instance\/x9.huge" for us-east-1/);
    });

    test("ECR: images the lifecycle policy keeps × the image size", () => {
        const repo = res("aws:ecr/repository:Repository", "repo", { name: "app" });
        const policy = res("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lp", {
            repository: "app",
            policy: JSON.stringify({ rules: [{ selection: { countType: "imageCountMoreThan", countNumber: 30 } }] }),
        });
        expect(costOf(estimate(fixturePlan([repo, policy])), "repo").monthlyUsd).toBe(1.5); // 30 × 0.5 GiB × 0.10
    });
});

describe("network", () => {
    const nat = (n: number) => res("aws:ec2/natGateway:NatGateway", `nat-${n}`, { connectivityType: "public" });

    test("NAT gateways: hours each, and the assumed traffic split among them", () => {
        const e = estimate(fixturePlan([nat(1), nat(2)]));
        // 730 × 0.05 = 36.5; 100 GiB / 2 × 0.05 = 2.5
        expect(costOf(e, "nat-1").monthlyUsd).toBe(39);
        expect(costOf(e, "nat-1").lines[1]!.assumptions).toEqual(["natGateway.dataProcessedGiBPerMonth = 100 u"]);
    });

    test("Elastic IP: a public IPv4 address all month", () => {
        expect(costOf(estimate(fixturePlan([res("aws:ec2/eip:Eip", "ip", { domain: "vpc" })])), "ip").monthlyUsd).toBe(7.3); // 730 × 0.01
    });

    test("internet-facing ALB: hours, assumed LCUs, and one public IPv4 per subnet", () => {
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: false, subnets: ["a", "b", "c"] });
        // 730 × 0.02 = 14.6; 2 LCU × 730 × 0.01 = 14.6; 3 × 730 × 0.01 = 21.9
        expect(costOf(estimate(fixturePlan([lb])), "alb").lines.map((l) => l.monthlyUsd)).toEqual([14.6, 14.6, 21.9]);
    });

    test("internal ALB holds no public address", () => {
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: true, subnets: ["a", "b"] });
        expect(costOf(estimate(fixturePlan([lb])), "alb").monthlyUsd).toBe(29.2);
    });

    test("interface endpoint per AZ-hour and its share of the traffic; a gateway endpoint is free", () => {
        const i = res("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr", { vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] });
        const g = res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway" });
        const e = estimate(fixturePlan([i, g]));
        expect(costOf(e, "ecr").monthlyUsd).toBe(22.9); // 3 × 730 × 0.01 + 100 × 0.01
        expect(costOf(e, "s3").status).toBe("free");
    });

    test("WAF: the ACL, a rule each (managed groups included), and the requests it inspects when associated", () => {
        const acl = res("aws:wafv2/webAcl:WebAcl", "waf", { scope: "REGIONAL", rules: [{ name: "rate" }, { name: "managed" }, { name: "sqli" }] });
        const assoc = res("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", {});
        expect(costOf(estimate(fixturePlan([acl, assoc])), "waf").monthlyUsd).toBe(14); // 5 + 3 + 10 × 0.6
        expect(costOf(estimate(fixturePlan([acl])), "waf").monthlyUsd).toBe(8);
    });

    test("Route 53 zone", () => {
        expect(costOf(estimate(fixturePlan([res("aws:route53/zone:Zone", "z", { name: "example.com" })])), "z").monthlyUsd).toBe(0.5);
    });

    test("health check of an AWS endpoint with HTTPS, string matching, fast interval and latency: 0.50 + 4 × 1", () => {
        const hc = res("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS_STR_MATCH", fqdn: "api.example.com", requestInterval: 10, measureLatency: true });
        const alias = res("aws:route53/record:Record", "a", { name: "api.example.com", type: "A", aliases: [{ name: "my-alb-1.us-east-1.elb.amazonaws.com" }] });
        const r = costOf(estimate(fixturePlan([hc, alias])), "hc");
        expect(r.monthlyUsd).toBe(4.5);
        expect(r.lines[1]!.item).toBe("optional features: HTTPS, string matching, fast interval, latency measurement");
    });

    test("health check of a non-AWS endpoint, plain HTTP at 30 s: 0.75", () => {
        const hc = res("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTP", fqdn: "status.example.org", requestInterval: 30 });
        expect(costOf(estimate(fixturePlan([hc])), "hc").monthlyUsd).toBe(0.75);
    });

    test("HTTPS check of a non-AWS endpoint: 0.75 + 2", () => {
        const hc = res("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS", fqdn: "status.example.org" });
        expect(costOf(estimate(fixturePlan([hc])), "hc").monthlyUsd).toBe(2.75);
    });
});

describe("data", () => {
    const db = (inputs: Record<string, unknown>) =>
        res("aws:rds/instance:Instance", "db", { engine: "postgres", storageType: "gp3", instanceClass: "db.t4g.medium", allocatedStorage: 100, backupRetentionPeriod: 7, ...inputs });

    test("RDS Single-AZ: instance hours, gp3 at the allocated floor, backups beyond the free allowance", () => {
        const r = costOf(estimate(fixturePlan([db({ maxAllocatedStorage: 500 })])), "db");
        // 730 × 0.10 = 73; 100 GiB × 0.10 = 10; kept 100 × (1 + 0.1 × 6) = 160 GiB, 60 beyond 100 × 0.10 = 6
        expect(r.lines.map((l) => l.monthlyUsd)).toEqual([73, 10, 6]);
        expect(r.lines[1]!.note).toMatch(/grow it to 500 GiB/);
    });

    test("RDS Multi-AZ doubles instance and storage rates (both copies)", () => {
        const r = costOf(estimate(fixturePlan([db({ multiAz: true })])), "db");
        expect(r.lines.map((l) => l.monthlyUsd)).toEqual([146, 20, 6]);
    });

    test("Performance Insights: the free 7 days cost nothing; 93 days cost the first month and two more, per vCPU of both copies", () => {
        expect(costOf(estimate(fixturePlan([db({ performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 7 })])), "db").lines).toHaveLength(3);
        const r = costOf(estimate(fixturePlan([db({ multiAz: true, performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 93 })])), "db");
        // 4 vCPUs (2 × 2) × 2 = 8; 4 × 2 months × 0.10 = 0.8
        expect(r.lines.filter((l) => l.priceKey.startsWith("rds.performanceInsights")).map((l) => l.monthlyUsd)).toEqual([8, 0.8]);
    });

    test("RDS of another engine or storage type is unpriced", () => {
        expect(costOf(estimate(fixturePlan([db({ engine: "mysql" })])), "db").status).toBe("unpriced");
        expect(costOf(estimate(fixturePlan([db({ storageType: "io2" })])), "db").reason).toMatch(/io2/);
    });

    test("cross-Region automated backups: storage in the destination and the daily changes sent there", () => {
        const repl = res(
            "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            "repl",
            { retentionPeriod: 7, sourceDbInstanceArn: "arn:aws:rds:us-east-1:123456789012:db:app" },
            { west: true },
        );
        const r = costOf(estimate(fixturePlan([repl])), "repl");
        // 160 GiB kept × 0.20 (us-west-2) = 32; 100 × 10% × 30.4375 days = 304.375 GiB × 0.02 (us-east-1) = 6.0875
        expect(r.lines.map((l) => l.monthlyUsd)).toEqual([32, 6.0875]);
    });

    test("ElastiCache: node type × nodes (cache clusters, or shards × replicas + 1)", () => {
        const a = res("aws:elasticache/replicationGroup:ReplicationGroup", "a", { engine: "redis", nodeType: "cache.t4g.small", numCacheClusters: 2 });
        const b = res("aws:elasticache/replicationGroup:ReplicationGroup", "b", { engine: "redis", nodeType: "cache.t4g.small", numNodeGroups: 2, replicasPerNodeGroup: 1 });
        const e = estimate(fixturePlan([a, b]));
        expect(costOf(e, "a").monthlyUsd).toBe(58.4); // 2 × 730 × 0.04
        expect(costOf(e, "b").monthlyUsd).toBe(116.8); // 4 × 730 × 0.04
    });

    test("access-log bucket: what its expiration keeps; files bucket: the stored assumption; another bucket: unpriced", () => {
        const logs = res("aws:s3/bucket:Bucket", "logs", {}, { id: "alb-logs-1" });
        const lifecycle = res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lc", { bucket: "alb-logs-1", rules: [{ expiration: { days: 90 } }] });
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "alb", { internal: true, accessLogs: { bucket: "alb-logs-1" } });
        const other = res("aws:s3/bucket:Bucket", "other", { bucket: "misc" });
        const e = estimate(fixturePlan([logs, lifecycle, lb, other]));
        expect(costOf(e, "logs").monthlyUsd).toBeCloseTo((30 * 90 * 0.02) / 30.4375, 2);
        expect(costOf(e, "other").status).toBe("unpriced");
    });

    test("bucket replication to another Region: the monthly writes sent there, and Replication Time Control", () => {
        const source = res("aws:s3/bucket:Bucket", "src", { bucket: "files-east" });
        const replica = res("aws:s3/bucket:Bucket", "dst", { bucket: "files-west" }, { west: true });
        const repl = res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "repl", {
            rules: [{ id: "all", status: "Enabled", destination: { bucket: "arn:aws:s3:::files-west", replicationTime: { status: "Enabled" } } }],
        });
        // 10 GiB × 0.02 = 0.2; 10 × 0.015 = 0.15
        expect(costOf(estimate(fixturePlan([source, replica, repl])), "repl").lines.map((l) => l.monthlyUsd)).toEqual([0.2, 0.15]);
    });

    test("AWS Backup plan: what each tagged resource keeps, its copies in the DR Region and the changes sent there", () => {
        const plan = res(
            "aws:backup/plan:Plan",
            "bp",
            { name: "daily", rules: [{ ruleName: "daily", lifecycle: { deleteAfter: 30 }, copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:1:backup-vault:dr", lifecycle: { deleteAfter: 7 } }] }] },
            { id: "plan-1" },
        );
        const selection = res("aws:backup/selection:Selection", "sel", { planId: "plan-1", selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan", value: "daily" }] });
        const db = res("aws:rds/instance:Instance", "db", { engine: "postgres", storageType: "gp3", instanceClass: "db.t4g.medium", allocatedStorage: 100, tags: { "backup-plan": "daily" } });
        const lines = costOf(estimate(fixturePlan([plan, selection, db])), "bp").lines;
        // kept 30 days: 100 × (1 + 0.1 × 29) = 390 GiB × 0.10 = 39; copies 7 days: 160 GiB × 0.20 (us-west-2) = 32;
        // changes: 100 × 10% × 30.4375 = 304.375 GiB × 0.02 = 6.0875
        expect(lines.map((l) => l.monthlyUsd)).toEqual([39, 32, 6.0875]);
    });

    test("a backup plan that selects nothing stores nothing", () => {
        const plan = res("aws:backup/plan:Plan", "bp", { rules: [] }, { id: "p" });
        expect(costOf(estimate(fixturePlan([plan])), "bp").status).toBe("free");
    });
});

describe("observability, keys, secrets, functions", () => {
    const alarm = (name: string, inputs: Record<string, unknown>) => res("aws:cloudwatch/metricAlarm:MetricAlarm", name, inputs);

    test("alarms: standard per metric, high resolution under 60 s, anomaly detection counts 3 metrics", () => {
        const e = estimate(
            fixturePlan([
                alarm("std", { metricName: "CPUUtilization", period: 60 }),
                alarm("math", { metricQueries: [{ id: "a", metric: { period: 60 } }, { id: "b", metric: { period: 60 } }, { id: "e", expression: "a/b" }] }),
                alarm("fast", { metricName: "X", period: 10 }),
                alarm("anomaly", { metricQueries: [{ id: "m1", metric: { period: 300 } }, { id: "band", expression: "ANOMALY_DETECTION_BAND(m1, 2)" }] }),
            ]),
        );
        expect(["std", "math", "fast", "anomaly"].map((n) => costOf(e, n).monthlyUsd)).toEqual([0.1, 0.2, 0.3, 0.3]);
    });

    test("dashboards beyond the free ones", () => {
        const e = estimate(fixturePlan([1, 2, 3].map((n) => res("aws:cloudwatch/dashboard:Dashboard", `d${n}`, {}))));
        expect([1, 2, 3].map((n) => costOf(e, `d${n}`).monthlyUsd)).toEqual([0, 3, 3]); // cloudwatch.freeDashboards = 1
    });

    test("log group: assumed ingestion by its kind, and storage of what its retention keeps", () => {
        const lg = res("aws:cloudwatch/logGroup:LogGroup", "lg", { name: "/aws/vpc/x/flow-logs", retentionInDays: 90 });
        const r = costOf(estimate(fixturePlan([lg])), "lg");
        // 20 GiB × 0.50 = 10; 20 × 90 / 30.4375 GiB × 0.03
        expect(r.lines[0]!.monthlyUsd).toBe(10);
        expect(r.lines[1]!.monthlyUsd).toBeCloseTo((20 * 90 * 0.03) / 30.4375, 6);
    });

    test("a log group that never expires is priced at a year and warned about", () => {
        const e = estimate(fixturePlan([res("aws:cloudwatch/logGroup:LogGroup", "lg", { name: "/aws/lambda/f" })]));
        expect(e.warnings.join("\n")).toMatch(/never expires/);
    });

    test("KMS key and Secrets Manager secret with a replica in another Region", () => {
        const e = estimate(fixturePlan([res("aws:kms/key:Key", "k", { enableKeyRotation: true }), res("aws:secretsmanager/secret:Secret", "s", { replicas: [{ region: "us-west-2" }] })]));
        expect(costOf(e, "k").monthlyUsd).toBe(1);
        expect(costOf(e, "s").lines.map((l) => l.monthlyUsd)).toEqual([0.4, 0.8]); // the replica at us-west-2's price
    });

    test("Lambda on arm64: invocations × duration × memory, and requests; x86 is unpriced", () => {
        const f = res("aws:lambda/function:Function", "f", { architectures: ["arm64"], memorySize: 512 });
        // 1000 × 1 s × 0.5 GB = 500 GB-s × 0.00001 = 0.005; 0.001 M × 0.2 = 0.0002
        expect(costOf(estimate(fixturePlan([f])), "f").lines.map((l) => l.monthlyUsd)).toEqual([0.005, 0.0002]);
        expect(costOf(estimate(fixturePlan([res("aws:lambda/function:Function", "x", {})])), "x").status).toBe("unpriced");
    });

    test("EventBridge Scheduler: a daily schedule runs about 30 times a month", () => {
        const s = res("aws:scheduler/schedule:Schedule", "s", { scheduleExpression: "rate(1 day)" });
        expect(costOf(estimate(fixturePlan([s])), "s").lines[0]!.quantity).toBeCloseTo(30.4375 / 1e6, 12);
    });
});

describe("what is not priced", () => {
    test("a type with no pricer and not known to be free is listed as unpriced, never as zero", () => {
        const e = estimate(fixturePlan([res("aws:dynamodb/table:Table", "t", {}), res("aws:iam/role:Role", "r", {})]));
        expect(costOf(e, "t")).toMatchObject({ status: "unpriced", monthlyUsd: 0 });
        expect(e.unpriced).toEqual([{ type: "aws:dynamodb/table:Table", count: 1, reason: expect.stringMatching(/no pricer/) }]);
        expect(costOf(e, "r")).toMatchObject({ status: "free", reason: "IAM has no charge" });
    });

    test("a Region the table lacks makes the resource unpriced", () => {
        const e = estimate(fixturePlan([res("aws:kms/key:Key", "k", { region: "eu-west-1" })]));
        expect(costOf(e, "k").reason).toMatch(/no price "kms.key" for eu-west-1/);
    });

    test("components sum their resources; the total sums every priced line", () => {
        const comp = { ...res("ops:keys:Keys", "keys", {}), custom: false };
        const k1 = res("aws:kms/key:Key", "k1", {}, { parent: comp.urn });
        const k2 = res("aws:kms/key:Key", "k2", {}, { parent: comp.urn });
        const e = estimate(fixturePlan([comp, k1, k2, res("aws:ec2/eip:Eip", "ip", {})]));
        expect(e.components.find((c) => c.name === "keys")).toMatchObject({ monthlyUsd: 2, resources: 2 });
        expect(e.totalMonthlyUsd).toBe(9.3);
    });
});
