import { MOCK_ACCOUNT_ID } from "../mark";
import { MockFn, MockRequest, digest } from "../kit";

/**
 * The edge: load balancers (ids are ARNs; listeners carry their load balancer's name and id),
 * ACM certificates and their DNS validation, Route 53 (global: hosted zones `Z…`, health checks
 * UUIDs), WAFv2 web ACLs (`<scope>/webacl/<name>/<id>`, id the UUID).
 */

/** Route 53 hosted zone ids of Application Load Balancers, per region (the alias target's zone; AWS's published table). */
const ALB_ZONE_IDS: Record<string, string> = {
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-1": "Z368ELLRRE2KJ0",
    "us-west-2": "Z1H1FL5HABSF5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-central-1": "Z215JYRZR1TBD5",
};

/** `application` → `app`, as load balancer ARNs abbreviate the type. */
const LB_KINDS: Record<string, string> = { application: "app", network: "net", gateway: "gwy" };

function loadBalancer(r: MockRequest): ReturnType<MockFn> {
    const name = r.autoname("name", 32);
    const suffix = `${LB_KINDS[r.str("loadBalancerType") ?? "application"] ?? "app"}/${name}/${r.hex(16)}`;
    const arn = r.arn("elasticloadbalancing", `loadbalancer/${suffix}`);
    const dnsName = `${r.inputs["internal"] === true ? "internal-" : ""}${name}-${MOCK_ACCOUNT_ID.slice(0, 10)}.${r.region}.elb.amazonaws.com`;
    return { id: arn, outputs: { arn, arnSuffix: suffix, name, dnsName, zoneId: ALB_ZONE_IDS[r.region] ?? ALB_ZONE_IDS["us-east-1"] } };
}

function listener(r: MockRequest): ReturnType<MockFn> {
    // A listener's ARN continues its load balancer's: listener/app/<lb name>/<lb id>/<listener id>.
    const lb = /:loadbalancer\/(.+)$/.exec(r.need("loadBalancerArn"))?.[1] ?? `app/${r.name.slice(0, 32)}/${r.hex(16, "lb")}`;
    const arn = r.arn("elasticloadbalancing", `listener/${lb}/${r.hex(16)}`);
    return { id: arn, outputs: { arn } };
}

function certificate(r: MockRequest): ReturnType<MockFn> {
    const arn = r.arn("acm", `certificate/${r.uuid()}`);
    const names = [r.need("domainName"), ...((r.inputs["subjectAlternativeNames"] as string[] | undefined) ?? [])];
    return {
        id: arn,
        outputs: {
            arn,
            status: "PENDING_VALIDATION",
            domainValidationOptions: [...new Set(names)].map((domainName) => ({
                domainName,
                resourceRecordName: `_${r.hex(32, "name", domainName)}.${domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${r.hex(32, "value", domainName)}.${MOCK_ACCOUNT_ID.slice(0, 10)}.acm-validations.aws.`,
            })),
        },
    };
}

/**
 * Four name servers in AWS's pattern (`ns-<n>.awsdns-<nn>.<tld>`, one per top-level domain),
 * under the reserved `.example` domain so that a delegation copied from a plan points nowhere.
 */
function nameServers(r: MockRequest): string[] {
    const n = parseInt(digest(4, r.type, r.name), 16);
    return ["com", "net", "org", "co.uk"].map((tld, i) => `ns-${((n >> i) % 512) + i * 512}.awsdns-${String((n >> (i + 2)) % 64).padStart(2, "0")}.${tld}.example`);
}

export const EDGE: Record<string, MockFn> = {
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:lb/targetGroup:TargetGroup": (r) => {
        const name = r.autoname("name", 32);
        const suffix = `targetgroup/${name}/${r.hex(16)}`;
        const arn = r.arn("elasticloadbalancing", suffix);
        return { id: arn, outputs: { arn, arnSuffix: suffix, name } };
    },
    "aws:lb/listener:Listener": listener,
    // arn:…:listener-rule/app/<lb>/<lb id>/<listener id>/<rule id>: the listener's ARN, one level down.
    "aws:lb/listenerRule:ListenerRule": (r) => {
        const arn = `${r.need("listenerArn").replace(":listener/", ":listener-rule/")}/${r.hex(16)}`;
        return { id: arn, outputs: { arn } };
    },
    "aws:acm/certificate:Certificate": certificate,
    // terraform-provider-aws acm/certificate_validation.go: d.SetId(IssuedAt.String()), Go's time format.
    "aws:acm/certificateValidation:CertificateValidation": (r) => ({ id: "2012-03-04 05:06:07.123456 +0000 UTC", outputs: { certificateArn: r.need("certificateArn") } }),
    "aws:route53/zone:Zone": (r) => {
        const zoneId = `Z${r.upper(20)}`;
        const servers = nameServers(r);
        return { id: zoneId, outputs: { zoneId, arn: `arn:aws:route53:::hostedzone/${zoneId}`, nameServers: servers, primaryNameServer: servers[0] } };
    },
    "aws:route53/record:Record": (r) => {
        const fqdn = r.need("name").replace(/\.$/, "");
        const set = r.str("setIdentifier");
        return { id: `${r.need("zoneId")}_${fqdn}_${r.need("type")}${set ? `_${set}` : ""}`, outputs: { fqdn } };
    },
    "aws:route53/healthCheck:HealthCheck": (r) => {
        const id = r.uuid();
        return { id, outputs: { arn: `arn:aws:route53:::healthcheck/${id}` } };
    },
    "aws:wafv2/webAcl:WebAcl": (r) => {
        const id = r.uuid();
        const name = r.autoname("name", 128);
        // CloudFront web ACLs live in us-east-1 under the scope word `global`.
        const cloudfront = r.str("scope") === "CLOUDFRONT";
        const arn = `arn:aws:wafv2:${cloudfront ? "us-east-1" : r.region}:${r.account}:${cloudfront ? "global" : "regional"}/webacl/${name}/${id}`;
        return { id, outputs: { arn, name, capacity: 800, lockToken: r.uuid("lock") } };
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": (r) => ({ id: `${r.need("webAclArn")},${r.need("resourceArn")}` }),
    // The import id is the web ACL's ARN (@pulumi/aws wafv2/webAclLoggingConfiguration): one configuration per web ACL.
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (r) => ({ id: r.need("resourceArn") }),
};
