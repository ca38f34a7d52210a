import { elbRules } from "../../../policy/rules/elb";
import { findings, res, ruleSuite } from "../fixtures";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/1";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/c";

const lb = (over: Record<string, unknown> = {}, id = LB_ARN) =>
    res(
        LB,
        {
            loadBalancerType: "application",
            internal: false,
            subnets: ["a", "b", "c"],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: true,
            desyncMitigationMode: "strictest",
            accessLogs: { bucket: "logs", prefix: "alb", enabled: true },
            ...over,
        },
        { name: "alb", id },
    );
const waf = (resourceArn = LB_ARN) => res("aws:wafv2/webAclAssociation:WebAclAssociation", { resourceArn, webAclArn: "arn:waf" }, { name: "assoc" });
const listener = (inputs: Record<string, unknown>, name = "l") => res(LISTENER, { loadBalancerArn: LB_ARN, ...inputs }, { name });
const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };

describe("ELB rules", () => {
    const rule = ruleSuite(elbRules);

    rule("alb-drop-invalid-headers", {
        compliant: () => [lb()],
        missing: () => [lb({ dropInvalidHeaderFields: undefined })],
        missingFindings: ["alb: dropInvalidHeaderFields is unset: set it to true"],
        wrong: () => [lb({ dropInvalidHeaderFields: false })],
        wrongFindings: ["alb: dropInvalidHeaderFields is false: set it to true"],
    });

    rule("alb-deletion-protection", {
        compliant: () => [lb()],
        missing: () => [lb({ enableDeletionProtection: undefined })],
        missingFindings: ["alb: enableDeletionProtection is unset: set it to true"],
        wrong: () => [lb({ enableDeletionProtection: false })],
        wrongFindings: ["alb: enableDeletionProtection is false: set it to true"],
    });

    rule("alb-access-logs", {
        compliant: () => [lb()],
        missing: () => [lb({ accessLogs: undefined })],
        missingFindings: ["alb: accessLogs is unset: set accessLogs { bucket, enabled: true }"],
        wrong: () => [lb({ accessLogs: { bucket: "logs", enabled: false } })],
        wrongFindings: ["alb: accessLogs is disabled or has no bucket: set accessLogs { bucket, enabled: true }"],
    });

    rule("alb-desync-mitigation", {
        compliant: () => [lb(), lb({ desyncMitigationMode: "defensive" })],
        missing: () => [lb({ desyncMitigationMode: undefined })],
        missingFindings: [],
        safeDefault: "an ALB starts in defensive mode",
        wrong: () => [lb({ desyncMitigationMode: "monitor" })],
        wrongFindings: ['alb: desyncMitigationMode is "monitor": set "strictest" or "defensive"'],
    });

    rule("alb-multi-az", {
        compliant: () => [lb(), lb({ subnets: undefined, subnetMappings: [{ subnetId: "a" }, { subnetId: "b" }] })],
        missing: () => [lb({ subnets: undefined })],
        missingFindings: ["alb: it is placed in 0 subnet(s): give it subnets in at least two Availability Zones"],
        wrong: () => [lb({ subnets: ["a"] })],
        wrongFindings: ["alb: it is placed in 1 subnet(s): give it subnets in at least two Availability Zones"],
    });

    rule("alb-waf-attached", {
        compliant: () => [lb(), waf()],
        missing: () => [lb()],
        missingFindings: ["alb: no aws.wafv2.WebAclAssociation names it"],
        wrong: () => [lb(), waf("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/other/2")],
        wrongFindings: ["alb: no aws.wafv2.WebAclAssociation names it"],
    });

    rule("alb-http-redirects-to-https", {
        compliant: () => [lb(), listener({ port: 80, protocol: "HTTP", defaultActions: [redirect] })],
        missing: () => [lb(), listener({ port: 80, protocol: "HTTP", defaultActions: [] })],
        missingFindings: ["l: an HTTP listener whose default action is not a redirect to HTTPS"],
        wrong: () => [lb(), listener({ port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }), listener({ port: 8080, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP", port: "80" } }] }, "l2")],
        wrongFindings: ["l: an HTTP listener whose default action is not a redirect to HTTPS", "l2: an HTTP listener whose default action is not a redirect to HTTPS"],
    });

    rule("alb-tls-policy", {
        compliant: () => [lb(), listener({ port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: CERT }), listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", certificateArn: "[unknown]" }, "l2")],
        missing: () => [lb(), listener({ port: 443, protocol: "HTTPS" })],
        missingFindings: ["l: sslPolicy is unset: use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy", "l: certificateArn is unset: use an ACM certificate"],
        wrong: () => [lb(), listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: "arn:aws:iam::1:server-certificate/old" }), listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06", certificateArn: CERT }, "l2")],
        wrongFindings: [
            'l: sslPolicy is "ELBSecurityPolicy-2016-08": use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy',
            'l: certificateArn is "arn:aws:iam::1:server-certificate/old": use an ACM certificate',
            'l2: sslPolicy is "ELBSecurityPolicy-TLS13-1-1-2021-06": use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy',
        ],
    });

    it("holds network load balancers to the rules that apply to them only", () => {
        const nlb = lb({ loadBalancerType: "network", dropInvalidHeaderFields: undefined, accessLogs: undefined, desyncMitigationMode: undefined }, "arn:nlb");
        for (const rule of ["alb-drop-invalid-headers", "alb-access-logs", "alb-desync-mitigation", "alb-waf-attached"]) expect(findings(rule, [nlb])).toEqual([]);
        expect(findings("alb-multi-az", [lb({ loadBalancerType: "network", subnets: ["a"] })])).toEqual(["alb: it is placed in 1 subnet(s): give it subnets in at least two Availability Zones"]);
    });

    it("asks no WAF of an internal load balancer, and no redirect of a non-HTTP listener", () => {
        expect(findings("alb-waf-attached", [lb({ internal: true })])).toEqual([]);
        expect(findings("alb-http-redirects-to-https", [lb(), listener({ port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward" }] })])).toEqual([]);
    });
});

describe("ELB rules, more cases", () => {
    const NLB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/2";
    const nlb = () => res(LB, { loadBalancerType: "network", subnets: ["a", "b"] }, { name: "nlb", id: NLB_ARN });
    const forward = { type: "forward", targetGroupArn: "tg" };
    const NOT_REDIRECTED = "l: an HTTP listener whose default action is not a redirect to HTTPS";

    it("takes a load balancer without a type for an application load balancer (the provider's default)", () => {
        expect(findings("alb-drop-invalid-headers", [lb({ loadBalancerType: undefined, dropInvalidHeaderFields: false })])).toEqual(["alb: dropInvalidHeaderFields is false: set it to true"]);
    });

    it("asks the redirect of the listeners of application load balancers only, whichever comes first", () => {
        expect(findings("alb-http-redirects-to-https", [lb(), nlb(), listener({ loadBalancerArn: NLB_ARN, protocol: "HTTP", defaultActions: [forward] })])).toEqual([]);
        expect(findings("alb-http-redirects-to-https", [nlb(), lb(), listener({ protocol: "HTTP", defaultActions: [forward] })])).toEqual([NOT_REDIRECTED]);
    });

    it("needs every default action to be a redirect, of type redirect, to HTTPS", () => {
        expect(findings("alb-http-redirects-to-https", [lb(), listener({ protocol: "HTTP", defaultActions: [redirect, forward] })])).toEqual([NOT_REDIRECTED]);
        expect(findings("alb-http-redirects-to-https", [lb(), listener({ protocol: "HTTP", defaultActions: [{ ...forward, redirect: { protocol: "HTTPS" } }] })])).toEqual([NOT_REDIRECTED]);
    });

    it("holds TLS listeners to the TLS policy as well, and leaves the other protocols alone", () => {
        expect(findings("alb-tls-policy", [lb(), listener({ protocol: "TLS" })])).toEqual([
            "l: sslPolicy is unset: use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy",
            "l: certificateArn is unset: use an ACM certificate",
        ]);
        expect(findings("alb-tls-policy", [lb(), listener({ protocol: "TCP" }), listener({ protocol: "HTTP", defaultActions: [redirect] }, "l2")])).toEqual([]);
    });

    it("takes ACM certificates of any partition, by an ARN that starts with it", () => {
        const https = (certificateArn: string) => listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn });
        expect(findings("alb-tls-policy", [lb(), https("arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/c")])).toEqual([]);
        expect(findings("alb-tls-policy", [lb(), https(`imported-${CERT}`)])).toEqual([`l: certificateArn is "imported-${CERT}": use an ACM certificate`]);
    });

    it("takes neither a policy nor a certificate given as a list (the provider's inputs are strings)", () => {
        expect(findings("alb-tls-policy", [lb(), listener({ protocol: "HTTPS", sslPolicy: ["ELBSecurityPolicy-TLS13-1-2-2021-06"], certificateArn: [CERT] })])).toEqual([
            "l: sslPolicy is a list of 1: use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy",
            "l: certificateArn is a list of 1: use an ACM certificate",
        ]);
    });

    it("takes a policy name that only contains a TLS 1.2 policy's for what it is not", () => {
        expect(findings("alb-tls-policy", [lb(), listener({ protocol: "HTTPS", sslPolicy: "Custom-ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: CERT })])).toEqual([
            'l: sslPolicy is "Custom-ELBSecurityPolicy-TLS13-1-2-2021-06": use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy',
        ]);
    });
});

describe("the aws:alb aliases", () => {
    const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alias/3";
    const aliased = () => res("aws:alb/loadBalancer:LoadBalancer", { subnets: ["a"] }, { name: "alias", id: ALB_ARN });

    it("judges aws:alb load balancers and listeners as aws:lb ones", () => {
        expect(findings("alb-multi-az", [aliased()])).toEqual(["alias: it is placed in 1 subnet(s): give it subnets in at least two Availability Zones"]);
        const http = res("aws:alb/listener:Listener", { loadBalancerArn: ALB_ARN, protocol: "HTTP", defaultActions: [{ type: "forward" }] }, { name: "http" });
        expect(findings("alb-http-redirects-to-https", [aliased(), http])).toEqual(["http: an HTTP listener whose default action is not a redirect to HTTPS"]);
    });

    it("finds an aws:alb listener's balancer: no redirect asked of a network load balancer's", () => {
        const nlb = res("aws:alb/loadBalancer:LoadBalancer", { loadBalancerType: "network" }, { name: "nlb", id: ALB_ARN });
        expect(findings("alb-http-redirects-to-https", [lb(), nlb, listener({ loadBalancerArn: ALB_ARN, protocol: "HTTP", defaultActions: [{ type: "forward" }] })])).toEqual([]);
    });
});
