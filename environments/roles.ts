import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import { Roles, accountOf } from "../modules/aws/roles";
import { DrRoles, drRolePrefix, readDrRoles, uncoveredRoles } from "../modules/dr/roles";
import type { Settings } from "../settings/load";

/**
 * Where a cloud stack's roles come from (modules/aws/roles.ts). A DR rebuild (`dr.rebuildOf` set)
 * creates none: it references `<app>-<environment>-dr-<purpose>`, which its primary stack created
 * ahead of time, by an ARN built from the account of its own region's STS. Any other stack creates
 * its roles as it always has, and (`dr.standby`) the DR role set of modules/dr/roleSets.json too.
 */
export function composeRoles(settings: Settings, aws: AwsProviders): Roles {
    const prefix = drRolePrefix(settings.appName, settings.environment);
    if (settings.dr.rebuildOf !== undefined) {
        return new Roles({ kind: "reference", namePrefix: prefix, account: accountOf(aws.primary) });
    }
    if (settings.dr.standby) {
        const set = readDrRoles().sets[prefix];
        if (set) new DrRoles(`${prefix}-roles`, { prefix, roles: set.roles, provider: aws.primary });
        else pulumi.log.warn(`dr.standby: modules/dr/roleSets.json has no role set ${prefix}, so no DR role is created; run npm run dr:roles (docs/dr-roles.md).`);
    }
    return new Roles();
}

/**
 * What a DR rebuild tells about its roles once composed: the roles it uses (the stack output
 * `drRoles`, which `npm run dr:roles` writes into modules/dr/roleSets.json), and a warning when the
 * committed set lacks any of them (the primary stack has not created what this rebuild needs).
 */
export function rebuildRoleOutputs(settings: Settings, roles: Roles): Record<string, unknown> {
    if (!roles.referencing) return {};
    const prefix = drRolePrefix(settings.appName, settings.environment);
    const specs = roles.specs;
    const uncovered = uncoveredRoles(readDrRoles().sets[prefix], specs);
    if (uncovered.length > 0) {
        pulumi.log.warn(
            `modules/dr/roleSets.json does not cover the roles this DR rebuild uses (${uncovered.join("; ")}): run npm run dr:roles, then pulumi up -s the primary stack while its region is healthy (docs/dr-roles.md).`,
        );
    }
    return { drRoles: { prefix, roles: specs } };
}
