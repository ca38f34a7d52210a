import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";

/**
 * Reads a stack's config the way the Pulumi CLI hands it to a program: `Pulumi.yaml` project
 * defaults (`config.<key>.default`, or `value`) overlaid by `Pulumi.<stack>.yaml`, as namespaced
 * keys with string values (objects and arrays as JSON). `secure:` values cannot be decrypted
 * without the stack's secrets provider, so the plan stands them in with a redacted placeholder and
 * keeps them secret.
 */

/** What stands in for an encrypted value in a plan. It never reaches the plan's output: secrets are redacted. */
export const SECURE_STAND_IN = "plan-stand-in-for-an-encrypted-value";

export interface StackConfig {
    project: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** The stack file, when the stack has one. */
    stackFile?: string;
}

interface ProjectFile {
    name: string;
    config?: Record<string, { type?: string; default?: unknown; value?: unknown; secret?: boolean } | unknown>;
}

function toConfigString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
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
    const project = YAML.parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const ns = project.name;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const full = key.includes(":") ? key : `${ns}:${key}`;
        if (decl && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as { default?: unknown; value?: unknown };
            const v = d.value ?? d.default;
            if (v !== undefined) config[full] = toConfigString(v);
        } else if (decl !== undefined) {
            config[full] = toConfigString(decl);
        }
    }
    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) return { project: ns, config, secretKeys };
    const parsed = (YAML.parse(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    for (const [key, value] of Object.entries(parsed.config ?? {})) {
        const full = key.includes(":") ? key : `${ns}:${key}`;
        if (hasSecure(value)) secretKeys.push(full);
        config[full] = toConfigString(standIn(value));
    }
    return { project: ns, config, secretKeys, stackFile };
}
