import * as fs from "fs";
import * as path from "path";
import type { Plan, PlannedResource } from "../../tools/plan/record";
import { nonEmpty } from "./nonEmpty";
import { planDir } from "./stacks";

export type { Plan, PlannedResource };

const cache = new Map<string, Plan>();

/** The plan globalSetup made for a stack (JSON, as `npm run plan -- --json` writes it). */
export function loadPlan(stack: string): Plan {
    let plan = cache.get(stack);
    if (!plan) {
        plan = JSON.parse(fs.readFileSync(path.join(planDir(), `${stack}.json`), "utf8")) as Plan;
        cache.set(stack, plan);
    }
    return plan;
}

/** The text `npm run plan` printed for a stack. */
export function loadPlanText(stack: string): string {
    return fs.readFileSync(path.join(planDir(), `${stack}.txt`), "utf8");
}

/** What `npm run plan` wrote on stderr for a stack (empty when it stood in for nothing). */
export function loadPlanStderr(stack: string): string {
    return fs.readFileSync(path.join(planDir(), `${stack}.stderr.txt`), "utf8");
}

/** Queries over one plan's resources. */
export class PlanQuery {
    constructor(readonly plan: Plan) {}

    static of(stack: string): PlanQuery {
        return new PlanQuery(loadPlan(stack));
    }

    /**
     * The plan without the standby footprint's resources (modules/dr `Standby`, `FailoverDns` and what is inside
     * it): the primary's own modules, as a test of one module reads them.
     */
    withoutStandby(): PlanQuery {
        const byUrn = new Map(this.plan.resources.map((r) => [r.urn, r]));
        const inStandby = (r: PlannedResource | undefined): boolean => {
            for (let at = r; at; at = at.parent ? byUrn.get(at.parent) : undefined) if (at.type.startsWith("ops:dr:")) return true;
            return false;
        };
        return new PlanQuery({ ...this.plan, resources: this.plan.resources.filter((r) => !inStandby(r)) });
    }

    get resources(): PlannedResource[] {
        return this.plan.resources;
    }

    /** Resources of a type token, e.g. `aws:rds/instance:Instance`. */
    ofType(type: string): PlannedResource[] {
        return this.plan.resources.filter((r) => r.type === type);
    }

    /** Resources of a type, failing when there is none: for loops that assert something of each one. */
    allOf(type: string): readonly PlannedResource[] {
        return nonEmpty(this.ofType(type), `the ${type} resources of stack ${this.plan.stack}`);
    }

    /** The one resource of a type and name; fails when there is none or several. */
    one(type: string, name?: string): PlannedResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            throw new Error(
                `expected one ${type}${name ? ` named ${name}` : ""} in stack ${this.plan.stack}, found ${found.length}: ${found
                    .map((r) => r.name)
                    .join(", ")}`,
            );
        }
        return found[0]!;
    }

    byUrn(urn: string): PlannedResource | undefined {
        return this.plan.resources.find((r) => r.urn === urn);
    }

    byId(id: string): PlannedResource | undefined {
        return this.plan.resources.find((r) => r.id === id);
    }

    /** Direct children of a resource. */
    childrenOf(parent: PlannedResource): PlannedResource[] {
        return this.plan.resources.filter((r) => r.parent === parent.urn);
    }

    /** Resources whose type starts with a package prefix (`aws:`, `kubernetes:`). */
    ofPackage(pkg: string): PlannedResource[] {
        return this.plan.resources.filter((r) => r.type.startsWith(`${pkg}:`));
    }
}

/**
 * A role a stack uses, and the plan that creates it: the stack's own (by Pulumi name), or for a
 * DR rebuild (a plan with the `drRoles` output), its primary stack's DR role of that purpose
 * (`<prefix>-<purpose>`, docs/dr-roles.md). Its policies are those of `iam` whose `role` is its id.
 */
export function usedRole(stack: string, pulumiName: string, purpose: string, primary = "production"): { role: PlannedResource; iam: PlanQuery; policies: PlannedResource[]; attachments: PlannedResource[] } {
    const q = PlanQuery.of(stack);
    const dr = q.plan.outputs["drRoles"] as { prefix: string } | undefined;
    const iam = dr ? PlanQuery.of(primary) : q;
    const role = dr ? iam.ofType("aws:iam/role:Role").find((r) => r.inputs["name"] === `${dr.prefix}-${purpose}`) : q.one("aws:iam/role:Role", pulumiName);
    if (!role) throw new Error(`no DR role ${dr!.prefix}-${purpose} in the plan of ${primary}`);
    return {
        role,
        iam,
        policies: iam.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === role.id),
        attachments: iam.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((p) => p.inputs["role"] === role.id),
    };
}
