import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Roles described as data. IAM is a global service whose control plane lives in us-east-1, so a
 * DR rebuild must not create, update or even read a role: every role it uses exists ahead of time,
 * created by the healthy primary stack from the same description. A role is therefore a `RoleSpec`
 * of plain strings (no outputs), names the resources it grants by names, regions and the
 * `{account}`/`{partition}` tokens, and a stack either creates it or references it by ARN.
 */

/** Stands for the deploying account's id in a spec; rendered when the role is created. */
export const ACCOUNT = "{account}";
/** Stands for the deploying partition (`aws`, `aws-cn`...) in a spec; rendered when the role is created. */
export const PARTITION = "{partition}";

/** One statement of a role's inline policy: plain strings only, so the spec is data. */
export interface RoleStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** A role, as data: what the primary stack creates ahead of time and a DR rebuild references. */
export interface RoleSpec {
    /** What the role is for: unique in a stack, and the last part of its DR name (`<app>-<environment>-dr-<purpose>`). */
    purpose: string;
    description?: string;
    /** The trust policy, as JSON. */
    trustPolicy: string;
    /** AWS managed policies attached to the role. */
    managedPolicyArns: string[];
    /** Inline policies by policy name. */
    inlinePolicies: Record<string, RoleStatement[]>;
}

/** A customer-managed KMS key named by its alias (`alias/<prefix>/<purpose>`) and region: what a spec can name before the key exists. */
export interface KeyRef {
    region: string;
    alias: string;
}

/** The account and partition a spec's tokens stand for. */
export interface AccountRef {
    accountId: string;
    partition: string;
}

/** IAM's limit on a role name. */
export const ROLE_NAME_MAX = 64;

/** `arn:{partition}:<service>:<region>:{account}:<resource>`: an ARN a spec can hold before the account is known. */
export function arnOf(service: string, region: string, resource: string): string {
    return `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${resource}`;
}

/**
 * A statement on the KMS keys of one alias in a region, without the key's id (which only exists
 * once the key does): any key in the account and region, when `kms:ResourceAliases` holds the alias.
 * The alias is set by the program next to each key, so the grant follows the key it names.
 */
export function keyByAlias(statement: Omit<RoleStatement, "Resource">, region: string, aliases: string | string[]): RoleStatement {
    const condition = { ...(statement.Condition ?? {}), "ForAnyValue:StringEquals": { "kms:ResourceAliases": aliases } };
    return { ...statement, Resource: arnOf("kms", region, "key/*"), Condition: condition };
}

/** A Secrets Manager secret by name: its ARN ends in a dash and six random characters. */
export function secretArnByName(region: string, secretName: string): string {
    return arnOf("secretsmanager", region, `secret:${secretName}-??????`);
}

/** Replaces the tokens in a spec's text. */
export function render(text: string, account: AccountRef): string {
    return text.split(ACCOUNT).join(account.accountId).split(PARTITION).join(account.partition);
}

/** Whether a spec's text needs the account to be rendered. */
export function hasTokens(text: string): boolean {
    return text.includes(ACCOUNT) || text.includes(PARTITION);
}

/** An inline policy document as JSON (tokens not yet rendered). */
export function policyDocument(statements: RoleStatement[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The name a DR rebuild's role has: `<prefix>-<purpose>`, checked against IAM's limits. */
export function drRoleName(prefix: string, purpose: string): string {
    const name = `${prefix}-${purpose}`;
    if (!/^[\w+=,.@-]+$/.test(name) || name.length > ROLE_NAME_MAX) {
        throw new Error(`role ${JSON.stringify(name)}: IAM allows ${ROLE_NAME_MAX} characters of [A-Za-z0-9+=,.@_-]; shorten the app name or the purpose ${JSON.stringify(purpose)}.`);
    }
    return name;
}

/** `arn:<partition>:iam::<account>:role/<name>`. */
export function roleArn(name: string, account: AccountRef): string {
    return `arn:${account.partition}:iam::${account.accountId}:role/${name}`;
}

/** Checks a spec is data IAM can take: purpose, trust JSON, statements with actions and resources. */
export function specProblems(spec: RoleSpec): string[] {
    const problems: string[] = [];
    if (!/^[a-z][a-z0-9-]{0,43}$/.test(spec.purpose)) problems.push(`purpose ${JSON.stringify(spec.purpose)}: lower-case words joined by dashes, at most 44 characters`);
    try {
        const trust = JSON.parse(spec.trustPolicy) as { Statement?: unknown[] };
        if (!Array.isArray(trust.Statement) || trust.Statement.length === 0) problems.push(`${spec.purpose}: the trust policy has no Statement`);
    } catch {
        problems.push(`${spec.purpose}: the trust policy is not JSON`);
    }
    for (const [policy, statements] of Object.entries(spec.inlinePolicies)) {
        if (statements.length === 0) problems.push(`${spec.purpose}/${policy}: no statement`);
        for (const s of statements) {
            for (const v of [s.Action, s.Resource].flat()) if (typeof v !== "string" || v === "") problems.push(`${spec.purpose}/${policy}: Action and Resource must be plain strings`);
        }
    }
    return problems;
}

/** The statements of an inline policy, deduplicated (same JSON once), in first-seen order. */
function uniqueStatements(statements: RoleStatement[]): RoleStatement[] {
    const seen = new Set<string>();
    return statements.filter((s) => {
        const key = JSON.stringify(s);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

/**
 * The one role set several DR stacks (the rebuild and its drill) share: per purpose, the same
 * trust and managed policies, and each inline policy the union of their statements. Throws when
 * two stacks want different trust or managed policies under one purpose: one role cannot be both.
 */
export function mergeRoleSpecs(sets: Array<{ stack: string; specs: RoleSpec[] }>): RoleSpec[] {
    const merged = new Map<string, { spec: RoleSpec; stack: string }>();
    for (const { stack, specs } of sets) {
        for (const spec of specs) {
            const seen = merged.get(spec.purpose);
            if (!seen) {
                merged.set(spec.purpose, { spec: structuredClone(spec), stack });
                continue;
            }
            const a = seen.spec;
            if (a.trustPolicy !== spec.trustPolicy || JSON.stringify([...a.managedPolicyArns].sort()) !== JSON.stringify([...spec.managedPolicyArns].sort())) {
                throw new Error(`role ${spec.purpose}: stacks ${seen.stack} and ${stack} need different trust or managed policies; give one of them another purpose.`);
            }
            a.description ??= spec.description;
            for (const [policy, statements] of Object.entries(spec.inlinePolicies)) {
                a.inlinePolicies[policy] = uniqueStatements([...(a.inlinePolicies[policy] ?? []), ...statements]);
            }
        }
    }
    return [...merged.values()].map((m) => m.spec).sort((x, y) => x.purpose.localeCompare(y.purpose));
}

/** A role a module uses: its ARN and name, and what must exist before the role can be used. */
export interface StackRole {
    arn: pulumi.Output<string>;
    name: pulumi.Output<string>;
    /** The role's attachments and inline policies (created here), for `dependsOn`; none when referenced. */
    ready: pulumi.Resource[];
    /** Whether this stack created the role (false: it exists ahead of time). */
    created: boolean;
}

/** How a module's role resources are named in the stack (create mode only). */
export interface RoleResourceNames {
    /** The role's Pulumi name. */
    role: string;
    /** Each managed policy attachment's Pulumi name, by index of `managedPolicyArns` (default `<role>-<n>`). */
    attachment?: (policyArn: string, index: number) => string;
    /** Each inline policy's Pulumi name (default `<role>-<policy>`). */
    policy?: (policyName: string) => string;
    /** Whether the inline policies carry `name` (the policy name); else IAM gets a generated one. */
    namedPolicies?: boolean;
}

/** How a stack gets its roles: creates them, or (a DR rebuild) references the ones created ahead. */
export type RolesMode = { kind: "create" } | { kind: "reference"; namePrefix: string; account: pulumi.Output<AccountRef> };

/** The account and partition of the provider's credentials (STS, regional: no global control plane). */
export function accountOf(provider: aws.Provider | undefined, parent?: pulumi.Resource): pulumi.Output<AccountRef> {
    const o = { provider, parent };
    return pulumi.all([aws.getCallerIdentityOutput({}, o).accountId, aws.getPartitionOutput({}, o).partition]).apply(([accountId, partition]) => ({ accountId, partition }));
}

/**
 * Where a stack's modules get their roles from. Create mode makes the role, its attachments and
 * inline policies (unnamed roles, as they always were: a physical name would replace them);
 * reference mode makes nothing and returns the ARN of `<prefix>-<purpose>`. Both record every
 * spec, so a DR rebuild can say which roles it needs (`specs`).
 */
export class Roles {
    private readonly recorded = new Map<string, RoleSpec>();
    private readonly accounts = new WeakMap<object, pulumi.Output<AccountRef>>();

    constructor(readonly mode: RolesMode = { kind: "create" }) {}

    /** Every role the stack's modules asked for, by purpose order. */
    get specs(): RoleSpec[] {
        return [...this.recorded.values()].map((s) => structuredClone(s)).sort((a, b) => a.purpose.localeCompare(b.purpose));
    }

    /** Whether the stack references roles created ahead of time (a DR rebuild). */
    get referencing(): boolean {
        return this.mode.kind === "reference";
    }

    /** A role for a module: created with `opts` (its parent and provider), or referenced. */
    role(spec: RoleSpec, names: RoleResourceNames, opts: pulumi.CustomResourceOptions): StackRole {
        const problems = specProblems(spec);
        if (problems.length > 0) throw new Error(`role ${spec.purpose}: ${problems.join("; ")}`);
        if (this.recorded.has(spec.purpose)) throw new Error(`role ${spec.purpose}: two roles of the stack have this purpose; give each its own.`);
        this.recorded.set(spec.purpose, structuredClone(spec));
        if (this.mode.kind === "reference") {
            const name = drRoleName(this.mode.namePrefix, spec.purpose);
            return { arn: this.mode.account.apply((a) => roleArn(name, a)), name: pulumi.output(name), ready: [], created: false };
        }
        const role = new aws.iam.Role(
            names.role,
            { assumeRolePolicy: this.rendered(spec.trustPolicy, opts), ...(spec.description !== undefined ? { description: spec.description } : {}) },
            opts,
        );
        const ready: pulumi.Resource[] = spec.managedPolicyArns.map(
            (policyArn, i) => new aws.iam.RolePolicyAttachment(names.attachment?.(policyArn, i) ?? `${names.role}-${i + 1}`, { role: role.name, policyArn }, opts),
        );
        const created: StackRole = { arn: role.arn, name: role.name, ready, created: true };
        for (const [policyName, statements] of Object.entries(spec.inlinePolicies)) {
            ready.push(this.createPolicy(created, policyName, statements, names, opts));
        }
        return created;
    }

    /**
     * Adds an inline policy to a role after the fact (the app's role, which other layers extend):
     * created here, or recorded into the referenced role's spec.
     */
    addPolicy(role: StackRole, purpose: string, policyName: string, statements: RoleStatement[], names: RoleResourceNames, opts: pulumi.CustomResourceOptions): pulumi.Resource | undefined {
        const spec = this.recorded.get(purpose);
        if (!spec) throw new Error(`role ${purpose}: no such role in the stack`);
        if (spec.inlinePolicies[policyName]) throw new Error(`role ${purpose}: it already has a ${policyName} policy; give each purpose one policy.`);
        spec.inlinePolicies[policyName] = structuredClone(statements);
        const problems = specProblems(spec);
        if (problems.length > 0) throw new Error(`role ${purpose}: ${problems.join("; ")}`);
        if (!role.created) return undefined;
        const policy = this.createPolicy(role, policyName, statements, names, opts);
        role.ready.push(policy);
        return policy;
    }

    private createPolicy(role: StackRole, policyName: string, statements: RoleStatement[], names: RoleResourceNames, opts: pulumi.CustomResourceOptions): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(
            names.policy?.(policyName) ?? `${names.role}-${policyName}`,
            { role: role.name, policy: this.rendered(policyDocument(statements), opts), ...(names.namedPolicies ? { name: policyName } : {}) },
            opts,
        );
    }

    /** A spec's text with its tokens rendered for the provider's account (plain when it has none). */
    private rendered(text: string, opts: pulumi.CustomResourceOptions): pulumi.Input<string> {
        if (!hasTokens(text)) return text;
        const provider = opts.provider as aws.Provider | undefined;
        const key = (provider ?? this) as object;
        let account = this.accounts.get(key);
        if (!account) {
            account = accountOf(provider, opts.parent);
            this.accounts.set(key, account);
        }
        return account.apply((a) => render(text, a));
    }
}
