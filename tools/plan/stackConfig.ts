import { namespaced, projectConfigValues, readConfigFile, readProjectFile, stackFileName, toConfigString } from "../../settings/stackFiles";

/**
 * Reads a stack's config the way the Pulumi CLI hands it to a program: `Pulumi.yaml` project
 * defaults (`config.<key>.default`, or `value`) overlaid by `Pulumi.<stack>.yaml`, as namespaced
 * keys with string values (objects and arrays as JSON). `secure:` values cannot be decrypted
 * without the stack's secrets provider, so the plan stands them in with a redacted placeholder and
 * keeps them secret. A file that does not parse is a settings error (settings/stackFiles.ts).
 */

/** What stands in for an encrypted value in a plan. It never reaches the plan's output: secrets are redacted. */
export const SECURE_STAND_IN = "plan-stand-in-for-an-encrypted-value";

export interface StackConfig {
    project: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** The stack file's name, when the stack has one. */
    stackFile?: string;
}

function hasSecure(v: unknown): boolean {
    if (Array.isArray(v)) return v.some(hasSecure);
    if (v && typeof v === "object") {
        if ("secure" in v && Object.keys(v).length === 1) return true;
        return Object.values(v).some(hasSecure);
    }
    return false;
}

function standIn(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(standIn);
    if (v && typeof v === "object") {
        if ("secure" in v && Object.keys(v).length === 1) return SECURE_STAND_IN;
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, standIn(x)]));
    }
    return v;
}

/** Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from a project directory. */
export function readStackConfig(projectDir: string, stack: string): StackConfig {
    const project = readProjectFile(projectDir, stack);
    const ns = project.document["name"] as string;
    const config = projectConfigValues(project);
    const secretKeys: string[] = [];
    const stackFile = readConfigFile(projectDir, stackFileName(stack), stack);
    if (!stackFile) return { project: ns, config, secretKeys };
    for (const [key, value] of Object.entries(stackFile.config)) {
        const full = namespaced(key, ns);
        if (hasSecure(value)) secretKeys.push(full);
        config[full] = toConfigString(standIn(value));
    }
    return { project: ns, config, secretKeys, stackFile: stackFile.name };
}
