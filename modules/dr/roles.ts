import * as aws from "@pulumi/aws";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AccountRef, RoleSpec, accountOf, drRoleName, mergeRoleSpecs, policyDocument, render, roleArn, specProblems } from "../aws/roles";

/**
 * The DR role sets: the roles each DR rebuild stack (and its drills) uses, as data, by name prefix
 * (`<app>-<environment>-dr`). The primary stack creates them while healthy; the rebuild only
 * references them. `npm run dr:roles` writes the file from the rebuild stacks' plans, and a test
 * fails when it is stale (docs/dr-roles.md).
 */
export const DR_ROLES_FILE = path.join(__dirname, "roleSets.json");

/** One role set: which stacks need it, and its roles. */
export interface DrRoleSet {
    stacks: string[];
    roles: RoleSpec[];
}

/** The file: role sets by name prefix. */
export interface DrRolesFile {
    generatedBy: string;
    sets: Record<string, DrRoleSet>;
}

/** The name prefix of an environment's DR roles: `<app>-<environment>-dr` (inside the CI deploy role's `<app>-<environment>-*`). */
export function drRolePrefix(appName: string, environment: string): string {
    return `${appName}-${environment}-dr`;
}

/** Reads the committed role sets. */
export function readDrRoles(file: string = DR_ROLES_FILE): DrRolesFile {
    return JSON.parse(fs.readFileSync(file, "utf8")) as DrRolesFile;
}

/** The file's content for the rebuild stacks' specs (`stack` → the roles its plan said it uses), grouped by prefix. */
export function drRolesFile(stacks: Array<{ stack: string; prefix: string; specs: RoleSpec[] }>): DrRolesFile {
    const sets: Record<string, DrRoleSet> = {};
    const prefixes = [...new Set(stacks.map((s) => s.prefix))].sort();
    for (const prefix of prefixes) {
        const of = stacks.filter((s) => s.prefix === prefix).sort((a, b) => a.stack.localeCompare(b.stack));
        const roles = mergeRoleSpecs(of.map((s) => ({ stack: s.stack, specs: s.specs })));
        for (const r of roles) drRoleName(prefix, r.purpose);
        sets[prefix] = { stacks: of.map((s) => s.stack), roles };
    }
    return { generatedBy: "npm run dr:roles", sets };
}

/** The file as written: stable JSON, one trailing newline. */
export function serializeDrRoles(file: DrRolesFile): string {
    return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * What a rebuild needs that the set does not give: a purpose missing, or a different trust,
 * managed policies or statement. Empty when the set covers the stack.
 */
export function uncoveredRoles(set: DrRoleSet | undefined, needed: RoleSpec[]): string[] {
    if (!set) return needed.map((n) => `${n.purpose}: no DR role set`);
    const out: string[] = [];
    for (const n of needed) {
        const have = set.roles.find((r) => r.purpose === n.purpose);
        if (!have) {
            out.push(`${n.purpose}: not in the set`);
            continue;
        }
        if (have.trustPolicy !== n.trustPolicy) out.push(`${n.purpose}: another trust policy`);
        if (JSON.stringify([...have.managedPolicyArns].sort()) !== JSON.stringify([...n.managedPolicyArns].sort())) out.push(`${n.purpose}: other managed policies`);
        for (const [policy, statements] of Object.entries(n.inlinePolicies)) {
            const present = new Set((have.inlinePolicies[policy] ?? []).map((s) => JSON.stringify(s)));
            if (statements.some((s) => !present.has(JSON.stringify(s)))) out.push(`${n.purpose}/${policy}: statements missing`);
        }
    }
    return out;
}

export interface DrRolesArgs {
    /** `<app>-<environment>-dr`: each role is `<prefix>-<purpose>`. */
    prefix: string;
    roles: RoleSpec[];
    /** The provider IAM is reached through (the primary stack's own). */
    provider: aws.Provider;
}

/**
 * The DR role set, created ahead of time by the primary stack: each role with its physical name
 * (the rebuild builds the ARN from it), trust policy, managed policies and inline policies, exactly
 * as the set's data says. Roles are global: nothing here depends on the DR region being up.
 */
export class DrRoles extends pulumi.ComponentResource {
    /** Role ARNs by purpose. */
    readonly arns: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: DrRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:dr:DrRoles", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const account: pulumi.Output<AccountRef> = accountOf(args.provider, this);
        const rendered = (text: string) => account.apply((a) => render(text, a));
        for (const spec of args.roles) {
            const problems = specProblems(spec);
            if (problems.length > 0) throw new Error(`DR role ${spec.purpose}: ${problems.join("; ")}`);
            const roleName = drRoleName(args.prefix, spec.purpose);
            const role = new aws.iam.Role(
                `${name}-${spec.purpose}`,
                { name: roleName, assumeRolePolicy: rendered(spec.trustPolicy), description: spec.description ?? `DR rebuild (${args.prefix}): ${spec.purpose}` },
                o,
            );
            spec.managedPolicyArns.forEach((policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-${spec.purpose}-${i + 1}`, { role: role.name, policyArn }, o));
            for (const [policyName, statements] of Object.entries(spec.inlinePolicies)) {
                new aws.iam.RolePolicy(`${name}-${spec.purpose}-${policyName}`, { role: role.name, name: policyName, policy: rendered(policyDocument(statements)) }, o);
            }
            this.arns[spec.purpose] = account.apply((a) => roleArn(roleName, a));
        }
        this.registerOutputs({ arns: this.arns });
    }
}
