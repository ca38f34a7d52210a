import { PlanQuery } from "../../helpers/plan";

describe.each([
    ["production", "api.example.com", "example.com", true, 2000],
    ["staging", "staging.example.com", "staging.example.com", false, 1000],
] as const)("the %s edge", (stack, host, zoneName, deletionProtection, rateLimit) => {
    const plan = PlanQuery.of(stack).withoutStandby();
    const zone = plan.one("aws:route53/zone:Zone");
    const alb = plan.one("aws:lb/loadBalancer:LoadBalancer");

    it("creates the zone and validates the host's certificate through a record in it", () => {
        expect(zone.inputs["name"]).toBe(zoneName);
        const cert = plan.one("aws:acm/certificate:Certificate");
        expect(cert.inputs).toMatchObject({ domainName: host, validationMethod: "DNS" });
        const record = plan.one("aws:route53/record:Record", `myapp-${stack}-cert-validation`);
        expect(record.inputs).toMatchObject({ zoneId: zone.id, type: "CNAME" });
        expect(String(record.inputs["name"])).toMatch(new RegExp(`^_[0-9a-f]{32}\\.${host.replace(/\./g, "\\.")}\\.$`));
        expect(String((record.inputs["records"] as string[])[0])).toMatch(/\.acm-validations\.aws\.$/);
        const validation = plan.one("aws:acm/certificateValidation:CertificateValidation");
        expect(validation.inputs).toEqual({ certificateArn: cert.id, validationRecordFqdns: [String(record.inputs["name"]).replace(/\.$/, "")] });
    });

    it("puts an internet-facing ALB in the public subnets, dropping invalid headers, logging to an encrypted bucket", () => {
        const publicIds = plan
            .ofType("aws:ec2/subnet:Subnet")
            .filter((s) => (s.inputs["tags"] as Record<string, string>)["tier"] === "public")
            .map((s) => s.id);
        expect(alb.inputs).toMatchObject({ loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true, enableDeletionProtection: deletionProtection });
        expect([...(alb.inputs["subnets"] as string[])].sort()).toEqual([...publicIds].sort());
        const bucket = plan.one("aws:s3/bucket:Bucket", `myapp-${stack}-alb-logs`);
        expect(alb.inputs["accessLogs"]).toEqual({ bucket: bucket.id, prefix: "alb", enabled: true });
        expect(plan.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `myapp-${stack}-alb-logs`).inputs["rules"]).toEqual([
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
        expect(plan.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `myapp-${stack}-alb-logs`).inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        const policy = JSON.parse(String(plan.one("aws:s3/bucketPolicy:BucketPolicy", `myapp-${stack}-alb-logs`).inputs["policy"])) as { Statement: Array<{ Principal: unknown; Resource: unknown }> };
        expect(policy.Statement[0]).toMatchObject({ Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Resource: `arn:aws:s3:::${bucket.id}/alb/AWSLogs/123456789012/*` });
        expect(policy.Statement[1]).toMatchObject({ Principal: { AWS: "arn:aws:iam::127311923021:root" } });
    });

    it("serves HTTPS with a TLS 1.2+/1.3 policy and redirects HTTP", () => {
        const listeners = Object.fromEntries(plan.ofType("aws:lb/listener:Listener").map((l) => [l.inputs["port"], l.inputs]));
        expect(Object.keys(listeners).sort()).toEqual(["443", "80"]);
        expect(listeners[80]).toMatchObject({ protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });
        expect(listeners[443]).toMatchObject({
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: plan.one("aws:acm/certificate:Certificate").id,
            loadBalancerArn: alb.id,
        });
    });

    it("forwards everything to the stable track (rolling), whose pods join through a TargetGroupBinding", () => {
        const tg = plan.one("aws:lb/targetGroup:TargetGroup");
        expect(tg.inputs).toMatchObject({ targetType: "ip", port: 8000, protocol: "HTTP", healthCheck: { path: "/health", matcher: "200" } });
        const https = plan.ofType("aws:lb/listener:Listener").find((l) => l.inputs["port"] === 443)!;
        expect((https.inputs["defaultActions"] as Array<{ forward: unknown }>)[0]!.forward).toMatchObject({ targetGroups: [{ arn: tg.id, weight: 100 }] });
        const binding = plan.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
        expect(binding.inputs["spec"]).toEqual({ targetGroupARN: tg.id, targetType: "ip", serviceRef: { name: "app", port: 80 } });
        const lbc = plan.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs["name"] === "aws-load-balancer-controller")!;
        expect(binding.dependsOn).toContain(lbc.urn);
        const service = plan.one("kubernetes:core/v1:Service", "myapp-stable-service");
        expect((binding.inputs["metadata"] as Record<string, string>)["namespace"]).toBe((service.inputs["metadata"] as Record<string, string>)["namespace"]);
        expect((service.inputs["metadata"] as Record<string, string>)["name"]).toBe("app");
    });

    // S3.14: a versioned log bucket keeps a deleted or overwritten log recoverable; S3.10 / s3-lifecycle:
    // its noncurrent versions expire, and so do the delete markers left once they are gone.
    it("versions the access-log bucket, and expires old versions after 30 days and the markers left after them", () => {
        const bucket = plan.one("aws:s3/bucket:Bucket", `myapp-${stack}-alb-logs`);
        const versioning = plan.one("aws:s3/bucketVersioning:BucketVersioning", `myapp-${stack}-alb-logs`);
        expect(versioning.inputs).toEqual({ bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
        const lifecycle = plan.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `myapp-${stack}-alb-logs`);
        expect(lifecycle.inputs["rules"]).toEqual([
            { id: "expire", status: "Enabled", filter: {}, expiration: { days: stack === "production" ? 90 : 30 }, noncurrentVersionExpiration: { noncurrentDays: 30 } },
            { id: "delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
        ]);
        expect(lifecycle.dependsOn).toContain(versioning.urn);
    });

    // WAF.11; AWS WAF PutLoggingConfiguration: destinations named aws-waf-logs-*; the log delivery
    // service writes through a resource policy, which the program owns for this group only.
    it("logs every inspected request to an encrypted aws-waf-logs- group, credentials redacted", () => {
        const acl = plan.one("aws:wafv2/webAcl:WebAcl");
        const group = plan.one("aws:cloudwatch/logGroup:LogGroup", `myapp-${stack}-waf-logs`);
        const key = plan.one("aws:kms/key:Key", `myapp-${stack}-keys-logs`);
        expect(group.inputs).toMatchObject({ name: `aws-waf-logs-myapp-${stack}`, retentionInDays: stack === "production" ? 90 : 30, kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${key.id}` });
        const logging = plan.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        const groupArn = `arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-myapp-${stack}`;
        expect(logging.inputs).toEqual({
            resourceArn: expect.stringMatching(new RegExp(`^arn:aws:wafv2:us-east-1:123456789012:regional/webacl/[^/]+/${String(acl.id)}$`)),
            logDestinationConfigs: [groupArn],
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
        });
        const policy = plan.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", `myapp-${plan.plan.stack}-waf-logs`);
        expect(logging.dependsOn).toContain(policy.urn);
        expect(JSON.parse(String(policy.inputs["policyDocument"]))).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "WafLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: "delivery.logs.amazonaws.com" },
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: `${groupArn}:log-stream:*`,
                    Condition: { ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" }, StringEquals: { "aws:SourceAccount": "123456789012" } },
                },
            ],
        });
    });

    it("guards the ALB with a WAF web ACL: AWS managed rule groups and a per-IP rate limit", () => {
        const acl = plan.one("aws:wafv2/webAcl:WebAcl");
        expect(acl.inputs["scope"]).toBe("REGIONAL");
        const rules = acl.inputs["rules"] as Array<{ name: string; statement: Record<string, Record<string, unknown>> }>;
        expect(rules.map((r) => r.name)).toEqual([
            "rate-limit",
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesSQLiRuleSet",
        ]);
        expect(rules[0]!.statement["rateBasedStatement"]).toMatchObject({ limit: rateLimit, aggregateKeyType: "IP" });
        expect(plan.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs).toEqual({
            resourceArn: alb.id,
            webAclArn: expect.stringMatching(new RegExp(`^arn:aws:wafv2:us-east-1:123456789012:regional/webacl/myapp-${stack}-waf-[0-9a-f]+/${acl.id}$`)),
        });
    });

    it("points the host at the ALB with an alias record (production: the PRIMARY failover record, which took the simple one over)", () => {
        const alias = { name: plan.plan.outputs["loadBalancerDnsName"], zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true };
        expect(alb.inputs["ipAddressType"]).toBe("ipv4");
        if (stack === "production") {
            const all = PlanQuery.of(stack);
            const primary = all.one("aws:route53/record:Record", "myapp-production-dns-primary");
            expect(primary.inputs).toMatchObject({ zoneId: zone.id, name: host, type: "A", setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], aliases: [alias] });
            expect(primary.options).toEqual({ aliases: ["urn:pulumi:production::ops::ops:edge:Edge$aws:route53/record:Record::myapp-production-a"] });
            expect(plan.ofType("aws:route53/record:Record").filter((x) => x.name === "myapp-production-a")).toEqual([]);
            return;
        }
        const r = plan.one("aws:route53/record:Record", `myapp-${stack}-a`);
        expect(r.inputs).toMatchObject({ zoneId: zone.id, name: host, type: "A", aliases: [alias] });
        expect(plan.ofType("aws:route53/record:Record").map((x) => x.inputs["type"]).sort()).toEqual(["A", "CNAME"]);
    });

    it("keeps the app image in an immutable, scanned, KMS-encrypted ECR repository with a lifecycle policy", () => {
        const repo = plan.one("aws:ecr/repository:Repository");
        expect(repo.inputs).toMatchObject({
            name: `myapp/${stack}/app`,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: expect.stringMatching(/^arn:aws:kms:/) }],
        });
        const lifecycle = JSON.parse(String(plan.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])) as { rules: Array<{ selection: unknown }> };
        expect(lifecycle.rules[0]!.selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: stack === "production" ? 30 : 10 });
    });
});
