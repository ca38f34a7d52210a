/**
 * Load balancers and listeners (`aws:lb/*`, and the `aws:alb/*` aliases).
 */
import { EVERYWHERE, PolicyResource, PolicyRule, productionOnly } from "../rule";
import { asArray, at, isTrue, isUnknown, refersTo, shown, str } from "../values";

const LOAD_BALANCER = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const WAF_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";

/**
 * The ELB security policies whose lowest protocol is TLS 1.2: the TLS13-1-2/1-3, FS-1-2 and
 * TLS-1-2 families (and their FIPS and post-quantum variants). The API's default for a new HTTPS
 * listener, ELBSecurityPolicy-2016-08, still accepts TLS 1.0.
 */
export const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|FS-1-2|TLS-1-2)-/;

/** An application load balancer (the provider's default type). */
function isApplication(lb: PolicyResource): boolean {
    const type = lb.inputs["loadBalancerType"];
    return type === undefined || type === "application";
}

/** The load balancer a listener belongs to, when it is in the stack. */
function balancerOf(listener: PolicyResource, all: readonly PolicyResource[]): PolicyResource | undefined {
    return all.find((lb) => LOAD_BALANCER.includes(lb.type) && refersTo(listener, "loadBalancerArn", lb));
}

const PROTECTION_WHY = "the staging profile opts out (edge.deletionProtection) so staging can be torn down and rebuilt.";

export const elbRules: PolicyRule[] = [
    {
        name: "alb-drop-invalid-headers",
        service: "ELB",
        description: "Application load balancers drop invalid HTTP header fields.",
        rationale: "Headers the ALB cannot parse reach the app differently from how the ALB read them: the raw material of request smuggling. It is off by default.",
        controls: [{ framework: "Security Hub FSBP", id: "ELB.4" }],
        enforcement: EVERYWHERE,
        types: LOAD_BALANCER,
        check: (lb) => (!isApplication(lb) || isTrue(lb.inputs["dropInvalidHeaderFields"]) ? [] : [`dropInvalidHeaderFields is ${shown(lb.inputs["dropInvalidHeaderFields"])}: set it to true`]),
    },
    {
        name: "alb-deletion-protection",
        service: "ELB",
        description: "Production load balancers have deletion protection.",
        rationale: "Deleting the ALB takes the public endpoint down and, recreated, it gets a new DNS name the alias records and health checks must follow.",
        controls: [
            { framework: "Security Hub FSBP", id: "ELB.6" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-ELBDeletionProtectionEnabled" },
        ],
        enforcement: productionOnly(PROTECTION_WHY),
        types: LOAD_BALANCER,
        check: (lb) => (isTrue(lb.inputs["enableDeletionProtection"]) ? [] : [`enableDeletionProtection is ${shown(lb.inputs["enableDeletionProtection"])}: set it to true`]),
    },
    {
        name: "alb-access-logs",
        service: "ELB",
        description: "Application load balancers write access logs to S3.",
        rationale: "Access logs are the only per-request record of what reached the service (client, path, status, latency) when metrics show a spike.",
        controls: [
            { framework: "Security Hub FSBP", id: "ELB.5" },
            { framework: "cdk-nag AwsSolutions", id: "AwsSolutions-ELB2" },
        ],
        enforcement: EVERYWHERE,
        types: LOAD_BALANCER,
        check: (lb) =>
            !isApplication(lb) || (isTrue(at(lb.inputs, "accessLogs", "enabled")) && str(at(lb.inputs, "accessLogs", "bucket")))
                ? []
                : [`accessLogs is ${at(lb.inputs, "accessLogs") === undefined ? "unset" : "disabled or has no bucket"}: set accessLogs { bucket, enabled: true }`],
    },
    {
        name: "alb-desync-mitigation",
        service: "ELB",
        description: "Application load balancers use the defensive or strictest desync mitigation mode.",
        rationale: "Monitor mode forwards ambiguous requests that can be smuggled past the ALB; the default is defensive.",
        controls: [{ framework: "Security Hub FSBP", id: "ELB.12" }],
        enforcement: EVERYWHERE,
        types: LOAD_BALANCER,
        check: (lb) => {
            const mode = lb.inputs["desyncMitigationMode"];
            return !isApplication(lb) || mode === undefined || mode === "defensive" || mode === "strictest" ? [] : [`desyncMitigationMode is ${shown(mode)}: set "strictest" or "defensive"`];
        },
    },
    {
        name: "alb-multi-az",
        service: "ELB",
        description: "Load balancers span at least two Availability Zones.",
        rationale: "A load balancer in one zone is down with that zone.",
        controls: [{ framework: "Security Hub FSBP", id: "ELB.13" }],
        enforcement: EVERYWHERE,
        types: LOAD_BALANCER,
        check: (lb) => {
            const subnets = asArray(lb.inputs["subnets"]).length + asArray(lb.inputs["subnetMappings"]).length;
            return subnets >= 2 ? [] : [`it is placed in ${subnets} subnet(s): give it subnets in at least two Availability Zones`];
        },
    },
    {
        name: "alb-waf-attached",
        service: "ELB",
        description: "Internet-facing application load balancers are protected by a WAF web ACL.",
        rationale: "The web ACL's rate limit and managed rules (common exploits, SQL injection, bad inputs, IP reputation) stand in front of the app.",
        controls: [
            { framework: "Security Hub", id: "ELB.16" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-ALBWAFEnabled" },
        ],
        enforcement: EVERYWHERE,
        types: LOAD_BALANCER,
        check: (lb, stack) => {
            if (!isApplication(lb) || isTrue(lb.inputs["internal"])) return [];
            return stack.ofType(WAF_ASSOCIATION).some((a) => refersTo(a, "resourceArn", lb)) ? [] : ["no aws.wafv2.WebAclAssociation names it"];
        },
    },
    {
        name: "alb-http-redirects-to-https",
        service: "ELB",
        description: "HTTP listeners of application load balancers only redirect to HTTPS.",
        rationale: "Anything served over HTTP, cookies and tokens included, crosses the internet in the clear.",
        controls: [
            { framework: "Security Hub FSBP", id: "ELB.1" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-ALBHttpToHttpsRedirection" },
        ],
        enforcement: EVERYWHERE,
        types: LISTENER,
        check: (l, stack) => {
            const lb = balancerOf(l, stack.resources);
            if (lb && !isApplication(lb)) return [];
            if (l.inputs["protocol"] !== "HTTP") return [];
            const actions = asArray(l.inputs["defaultActions"]);
            const redirects = actions.length > 0 && actions.every((a) => at(a, "type") === "redirect" && at(a, "redirect", "protocol") === "HTTPS");
            return redirects ? [] : ["an HTTP listener whose default action is not a redirect to HTTPS"];
        },
    },
    {
        name: "alb-tls-policy",
        service: "ELB",
        description: "HTTPS listeners use an ACM certificate and a security policy whose lowest protocol is TLS 1.2.",
        rationale: "TLS 1.0 and 1.1 are deprecated (RFC 8996); the API's default policy still accepts them. ACM certificates renew themselves (runbook 4.2).",
        controls: [
            { framework: "Security Hub", id: "ELB.17" },
            { framework: "cdk-nag NIST 800-53 R5", id: "NIST.800.53.R5-ELBv2ACMCertificateRequired" },
        ],
        enforcement: EVERYWHERE,
        types: LISTENER,
        check: (l) => {
            if (l.inputs["protocol"] !== "HTTPS" && l.inputs["protocol"] !== "TLS") return [];
            const out: string[] = [];
            const policy = l.inputs["sslPolicy"];
            if (typeof policy !== "string" || !TLS12_POLICY.test(policy)) out.push(`sslPolicy is ${shown(policy)}: use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy`);
            const cert = l.inputs["certificateArn"];
            if (typeof cert !== "string" || !(/^arn:aws[a-z-]*:acm:/.test(cert) || isUnknown(cert))) out.push(`certificateArn is ${shown(cert)}: use an ACM certificate`);
            return out;
        },
    },
];
