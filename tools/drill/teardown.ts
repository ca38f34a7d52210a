/**
 * What a drill's teardown can leave behind that blocks the next drill (or costs money unseen):
 * predicted from the stack's exported state before `pulumi destroy`, then checked live after it.
 *
 * The next drill uses the same physical names (`<app>-production-drill…`, secrets under
 * `<app>/production-drill/`), so anything with one of those names still there makes its
 * `pulumi up` fail: a retained resource, an RDS or ElastiCache final snapshot (the next destroy
 * cannot write a snapshot of the same name), a Secrets Manager secret in its recovery window
 * (7 to 30 days during which the name cannot be used again).
 */

/** One resource of `pulumi stack export`'s `deployment.resources`. */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    custom?: boolean;
    protect?: boolean;
    retainOnDelete?: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export type LeftoverKind =
    | "protected"
    | "retained"
    | "final-snapshot"
    | "secret-recovery-window"
    | "key-pending-deletion"
    | "must-be-empty"
    | "still-exists";

/** Something a teardown can leave, or left. */
export interface Leftover {
    kind: LeftoverKind;
    /** The physical name (or ARN) it has in AWS. */
    name: string;
    /** The resource type, when it comes from the state. */
    type?: string;
    /** Whether the next drill fails on it (a name it must reuse), or it only costs until it goes. */
    blocksNextDrill: boolean;
    detail: string;
    /** What removes it. */
    fix: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function physicalName(r: StateResource): string {
    const i = r.inputs ?? {};
    const o = r.outputs ?? {};
    return (
        str(i["name"]) ?? str(i["identifier"]) ?? str(i["bucket"]) ?? str(i["replicationGroupId"]) ?? str(o["name"]) ?? str(o["arn"]) ?? str(r.id) ?? r.urn.slice(r.urn.lastIndexOf("::") + 2)
    );
}

/**
 * What `pulumi destroy` of these resources would leave, from the state alone. Pure: each kind is
 * named with what it blocks and the command that removes it.
 */
export function predictLeftovers(resources: StateResource[], region: string): Leftover[] {
    const out: Leftover[] = [];
    for (const r of resources) {
        if (r.custom === false || r.type.startsWith("pulumi:")) continue;
        const name = physicalName(r);
        const inputs = r.inputs ?? {};
        if (r.protect) {
            out.push({
                kind: "protected",
                name,
                type: r.type,
                blocksNextDrill: true,
                detail: "protected in the state: pulumi destroy stops on it and leaves the stack half torn down",
                fix: "the drill stack file must turn protection off (protectStatefulResources is the program's one switch); for this run: pulumi state unprotect --all --yes -s <stack>",
            });
        }
        if (r.retainOnDelete) {
            out.push({
                kind: "retained",
                name,
                type: r.type,
                blocksNextDrill: true,
                detail: "retainOnDelete: pulumi destroy drops it from the state and leaves it in AWS, under the name the next drill needs",
                fix: `delete it in AWS (${r.type}) and keep retain-on-delete off in the drill stack file`,
            });
        }
        if (r.type === "aws:rds/instance:Instance" && inputs["skipFinalSnapshot"] !== true && str(inputs["finalSnapshotIdentifier"])) {
            const snap = str(inputs["finalSnapshotIdentifier"])!;
            out.push({
                kind: "final-snapshot",
                name: snap,
                type: r.type,
                blocksNextDrill: true,
                detail: `deleting the instance writes the snapshot ${snap}; the next drill's teardown cannot write one of the same name (DBSnapshotAlreadyExists)`,
                fix: `aws rds delete-db-snapshot --region ${region} --db-snapshot-identifier ${snap}`,
            });
        }
        if (r.type === "aws:elasticache/replicationGroup:ReplicationGroup" && str(inputs["finalSnapshotIdentifier"])) {
            const snap = str(inputs["finalSnapshotIdentifier"])!;
            out.push({
                kind: "final-snapshot",
                name: snap,
                type: r.type,
                blocksNextDrill: true,
                detail: `deleting the replication group writes the snapshot ${snap} (SnapshotAlreadyExistsFault on the next drill)`,
                fix: `aws elasticache delete-snapshot --region ${region} --snapshot-name ${snap}`,
            });
        }
        if (r.type === "aws:secretsmanager/secret:Secret" && inputs["recoveryWindowInDays"] !== 0) {
            const days = typeof inputs["recoveryWindowInDays"] === "number" ? inputs["recoveryWindowInDays"] : 30;
            out.push({
                kind: "secret-recovery-window",
                name,
                type: r.type,
                blocksNextDrill: true,
                detail: `deleted with a ${days}-day recovery window: the name ${name} cannot be created again until it ends`,
                fix: `the drill deletes it for good after the destroy: aws secretsmanager delete-secret --region ${region} --secret-id ${name} --force-delete-without-recovery`,
            });
        }
        if (r.type === "aws:kms/key:Key") {
            out.push({
                kind: "key-pending-deletion",
                name: str(r.outputs?.["arn"]) ?? name,
                type: r.type,
                blocksNextDrill: false,
                detail: `scheduled for deletion after ${typeof inputs["deletionWindowInDays"] === "number" ? inputs["deletionWindowInDays"] : 30} days; its alias is deleted at once, so the next drill can reuse the alias name`,
                fix: "nothing: the key goes at the end of its window (about $1 a month until then)",
            });
        }
        const mustBeEmpty =
            (r.type === "aws:s3/bucket:Bucket" && inputs["forceDestroy"] !== true) ||
            (r.type === "aws:ecr/repository:Repository" && inputs["forceDelete"] !== true) ||
            (r.type === "aws:backup/vault:Vault" && inputs["forceDestroy"] !== true);
        if (mustBeEmpty) {
            out.push({
                kind: "must-be-empty",
                name,
                type: r.type,
                blocksNextDrill: true,
                detail: "deleted only when empty (objects, images or recovery points make pulumi destroy fail on it)",
                fix: r.type === "aws:s3/bucket:Bucket" ? `aws s3 rm s3://${name} --recursive (and every object version), then pulumi destroy again` : `empty it, then pulumi destroy -s <stack> again`,
            });
        }
    }
    return out;
}

/** A secret as `aws secretsmanager list-secrets --include-planned-deletion` lists it. */
interface ListedSecret {
    ARN?: string;
    Name?: string;
    DeletedDate?: unknown;
}

/** The secrets of a listing whose name starts with `prefix`: those in their recovery window, and those still live. */
export function drillSecrets(listing: unknown, prefix: string): { pendingDeletion: ListedSecret[]; live: ListedSecret[] } {
    const secrets = ((listing as { SecretList?: ListedSecret[] } | null)?.SecretList ?? []).filter((s) => typeof s.Name === "string" && s.Name.startsWith(prefix));
    return {
        pendingDeletion: secrets.filter((s) => s.DeletedDate !== undefined && s.DeletedDate !== null),
        live: secrets.filter((s) => s.DeletedDate === undefined || s.DeletedDate === null),
    };
}

/** Thrown when a prefix is not a drill's: the drill never force-deletes anything else. */
export class NotADrillPrefixError extends Error {}

/**
 * Only secrets of a drill are ever deleted without recovery: `<app>/<scope>/` with a scope ending
 * in `-drill` (the drill stack's `secrets.pathScope`, e.g. production-drill).
 */
export function assertDrillSecretsPrefix(prefix: string): void {
    if (!/^[a-z][a-z0-9-]*\/[a-z0-9-]+-drill\/$/.test(prefix)) {
        throw new NotADrillPrefixError(`refusing to delete secrets under ${JSON.stringify(prefix)} without recovery: only a drill's (<app>/<scope>-drill/) are`);
    }
}

/** ARNs of a `resourcegroupstaggingapi get-resources` listing that name the drill's prefix. */
export function taggedLeftovers(listing: unknown, namePrefix: string): string[] {
    const list = (listing as { ResourceTagMappingList?: Array<{ ResourceARN?: string }> } | null)?.ResourceTagMappingList ?? [];
    // The prefix as a whole name part: myapp-production-drill, never myapp-production-drills-x... nor myapp-production.
    const part = new RegExp(`[:/]${namePrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[-/:_.])`);
    return list.map((m) => m.ResourceARN ?? "").filter((arn) => part.test(arn)).sort();
}
