/**
 * Writes the DR role sets (modules/dr/roleSets.json) from the plans of the DR rebuild stacks:
 * every stack whose file sets `dr.rebuildOf`. Each plan's `drRoles` output lists the roles
 * that stack uses (by purpose, as data); the stacks sharing a name prefix share one set, each
 * inline policy the union of theirs. The primary stack creates exactly that set
 * (docs/dr-roles.md): run this after changing any role, then `pulumi up` the primary stack.
 *
 *   npm run dr:roles            # rewrite the file
 *   npm run dr:roles -- --check # exit 1 when the file is stale
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RoleSpec } from "../modules/aws/roles";
import { DR_ROLES_FILE, drRolesFile, serializeDrRoles } from "../modules/dr/roles";
import { PROJECT_DIR } from "./plan/planStack";
import { readStackConfig } from "./plan/stackConfig";

/** The stacks whose own file says they are a DR rebuild. */
export function rebuildStacks(dir: string = PROJECT_DIR): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .filter((stack) => {
            const config = readStackConfig(dir, stack);
            const dr = config.config[`${config.project}:dr`];
            if (dr === undefined) return false;
            try {
                return typeof (JSON.parse(dr) as { rebuildOf?: unknown }).rebuildOf === "string";
            } catch {
                return false;
            }
        })
        .sort();
}

/** A stack's `drRoles` output, from its offline plan (run as `npm run plan` runs it). */
function plannedRoles(stack: string, tmp: string): { stack: string; prefix: string; specs: RoleSpec[] } {
    const out = path.join(tmp, `${stack}.json`);
    execFileSync(process.execPath, ["-r", "./tools/register.js", "tools/plan.ts", "--stack", stack, "--json", out, "--quiet"], { cwd: PROJECT_DIR, stdio: ["ignore", "ignore", "inherit"] });
    const plan = JSON.parse(fs.readFileSync(out, "utf8")) as { outputs: { drRoles?: { prefix: string; roles: RoleSpec[] } } };
    const drRoles = plan.outputs.drRoles;
    if (!drRoles) throw new Error(`stack ${stack}: its file sets dr.rebuildOf, but its plan has no drRoles output`);
    return { stack, prefix: drRoles.prefix, specs: drRoles.roles };
}

function main(argv: string[]): number {
    const check = argv.includes("--check");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dr-roles-"));
    try {
        const text = serializeDrRoles(drRolesFile(rebuildStacks().map((s) => plannedRoles(s, tmp))));
        const current = fs.existsSync(DR_ROLES_FILE) ? fs.readFileSync(DR_ROLES_FILE, "utf8") : "";
        if (check) {
            if (current !== text) {
                process.stderr.write(`${path.relative(PROJECT_DIR, DR_ROLES_FILE)} is stale: run npm run dr:roles, and pulumi up the primary stack.\n`);
                return 1;
            }
            return 0;
        }
        fs.writeFileSync(DR_ROLES_FILE, text);
        process.stdout.write(`wrote ${path.relative(PROJECT_DIR, DR_ROLES_FILE)}\n`);
        return 0;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
