import { BILLING } from "./aws/billing";
import { CLUSTER } from "./aws/cluster";
import { DATA } from "./aws/data";
import { DELIVERY } from "./aws/delivery";
import { EDGE } from "./aws/edge";
import { FLAGS } from "./aws/flags";
import { IAM } from "./aws/iam";
import { NETWORK } from "./aws/network";
import { OBSERVABILITY } from "./aws/observability";
import { SECRETS } from "./aws/secrets";
import { MockArgs, MockFn, MockRequest, State, kebab, parseType } from "./kit";
import { KUBERNETES, kubernetesObject } from "./kubernetes";
import { PAGERDUTY } from "./pagerduty";
import { PULUMI, provider } from "./pulumi";
import { RANDOM } from "./random";

/**
 * The one table of resource mocks, keyed by type token. Each family file holds the types of one
 * group of services; a type with no entry falls back to its package's generic answer, which is
 * still a well-formed id and ARN for the service (see `genericAws`).
 */

/** Joins family tables into one, refusing a type token claimed twice. */
export function table(...families: Array<Record<string, MockFn>>): Readonly<Record<string, MockFn>> {
    const out: Record<string, MockFn> = {};
    for (const family of families) {
        for (const [type, fn] of Object.entries(family)) {
            if (out[type]) throw new Error(`The plan's mocks answer ${type} twice: keep one entry.`);
            out[type] = fn;
        }
    }
    return Object.freeze(out);
}

/** Every type with an answer of its own. */
export const RESOURCE_MOCKS = table(IAM, NETWORK, CLUSTER, DATA, SECRETS, EDGE, OBSERVABILITY, FLAGS, BILLING, DELIVERY, PAGERDUTY, KUBERNETES, RANDOM, PULUMI);

/** The ARN namespace of a provider module where the two differ (`aws:lb/…` → `elasticloadbalancing`). */
const ARN_SERVICES: Record<string, string> = {
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    elb: "elasticloadbalancing",
    cloudwatch: "cloudwatch",
    cognito: "cognito-idp",
    sfn: "states",
    vpc: "ec2",
    ec2transitgateway: "ec2",
    ec2clientvpn: "ec2",
    opensearch: "es",
    msk: "kafka",
    appautoscaling: "application-autoscaling",
    cfg: "config",
    servicediscovery: "servicediscovery",
};

/** Provider modules of global services: their ARNs have no region, their resources no `region` output. */
const GLOBAL_MODULES = new Set(["iam", "route53", "cloudfront", "organizations", "globalaccelerator", "shield", "waf", "budgets"]);

/**
 * An AWS type without an entry: named by its `name` input (or autonamed), with an ARN
 * `arn:aws:<service>:<region>:<account>:<kind>/<name>` in the type's ARN namespace. Well-formed,
 * if not that type's exact format: give the type an entry when a plan shows it.
 */
export const genericAws: MockFn = (r) => {
    const { module, kind } = parseType(r.type);
    const service = ARN_SERVICES[module] ?? module;
    const name = r.autoname("name");
    const resource = `${kebab(kind)}/${name}`;
    return { id: name, outputs: { name, arn: GLOBAL_MODULES.has(module) ? r.globalArn(service, resource) : r.arn(service, resource) } };
};

/** Any other package's type: an autonamed id. */
const genericOther: MockFn = (r) => ({ id: r.autoname("name") });

/** The mock of a type: its own entry, else its package's generic answer. */
export function mockFor(type: string): MockFn {
    const own = RESOURCE_MOCKS[type];
    if (own) return own;
    if (type.startsWith("pulumi:providers:")) return provider;
    const { pkg } = parseType(type);
    if (pkg === "aws") return genericAws;
    if (pkg === "kubernetes") return kubernetesObject;
    return genericOther;
}

/** True for a type whose resources have a region (every AWS type outside the global services). */
export function isRegional(type: string): boolean {
    const { pkg, module } = parseType(type);
    return pkg === "aws" && !GLOBAL_MODULES.has(module);
}

/**
 * What the mocks answer for a resource: the provider's id, and its state (the inputs, the
 * resource's region for regional AWS types, and the mock's outputs over them).
 */
export function mockAnswer(args: MockArgs): { id: string; outputs: State; state: State } {
    const answer = mockFor(args.type)(new MockRequest(args));
    const outputs: State = { ...(isRegional(args.type) ? { region: args.region } : {}), ...(answer.outputs ?? {}) };
    return { id: answer.id, outputs, state: { ...args.inputs, ...outputs } };
}
