import * as fs from "fs";
import * as path from "path";
import { LineCounter, isMap, parseDocument } from "yaml";
import { Problem, SettingsError, cutText } from "./errors";

/**
 * The project's configuration files as the Pulumi CLI reads them: `Pulumi.yaml` (the project, with
 * its typed config defaults) and `Pulumi.<stack>.yaml` (one stack's config). The offline plan
 * reads a stack's config from them; the loader reads them to tell a value `Pulumi.yaml` gave from
 * one the stack file gave, and to know where the environments' own stacks run (settings/ownNames.ts).
 *
 * A file that is not valid YAML, or not the shape Pulumi expects, is a settings error like any
 * other: the file, the line and column, what is wrong there and the fix; never a parser's trace.
 */

/** The project's root, where `Pulumi.yaml` and the stack files are: the directory above settings/. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** One configuration file, parsed. */
export interface ConfigFile {
    /** The file's name as messages show it: `Pulumi.production.yaml`. */
    name: string;
    /** Its top-level mapping (Pulumi.yaml's `name`, `runtime`, `config`...). */
    document: Record<string, unknown>;
    /** Its `config` mapping, values as written (YAML scalars, maps, lists, `{ secure: ... }`). */
    config: Record<string, unknown>;
}

/** A stack file's name: `Pulumi.<stack>.yaml`. */
export function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/**
 * Reads and parses one configuration file of a project directory; undefined when it does not
 * exist. Throws a SettingsError (titled with `stack`, the stack being loaded) listing every
 * syntax and shape problem of the file at once.
 */
export function readConfigFile(dir: string, name: string, stack: string): ConfigFile | undefined {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return undefined;
    const text = fs.readFileSync(file, "utf8");
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
    const lines = text.split(/\r?\n/);
    const at = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
    const problems: Problem[] = doc.errors.map((e) => yamlProblem(name, lines, e.linePos?.[0] ?? at(e.pos[0]), firstLine(e.message)));
    if (problems.length > 0) throw new SettingsError(stack, problems);

    const contents = doc.contents;
    if (contents !== null && !isMap(contents)) {
        problems.push(shapeProblem(name, lines, at(contents.range?.[0] ?? 0), "a mapping of top-level keys (`config:`, and in Pulumi.yaml `name:`, `runtime:`)"));
    }
    const document = (isMap(contents) ? (doc.toJS() as Record<string, unknown>) : {}) ?? {};
    const configNode = isMap(contents) ? contents.get("config", true) : undefined;
    if (configNode !== undefined && configNode !== null && !isMap(configNode)) {
        const range = (configNode as { range?: [number, number, number] }).range;
        problems.push(shapeProblem(name, lines, at(range?.[0] ?? 0), "under `config:`, a mapping of keys to values (`ops:region: us-east-1`)"));
    }
    if (problems.length > 0) throw new SettingsError(stack, problems);
    const config = isPlainObject(document["config"]) ? document["config"] : {};
    return { name, document, config };
}

/** `Pulumi.yaml` of a project directory, which every project has; its name must be a string. */
export function readProjectFile(dir: string, stack: string): ConfigFile {
    const project = readConfigFile(dir, "Pulumi.yaml", stack);
    if (!project) {
        throw new SettingsError(stack, [
            {
                key: "Pulumi.yaml",
                received: `no such file in ${dir}`,
                allowed: "the project file beside index.ts, with the project's name and config defaults",
                fix: "run from the project's directory, or restore Pulumi.yaml from the repository (git checkout -- Pulumi.yaml)",
            },
        ]);
    }
    if (typeof project.document["name"] !== "string" || project.document["name"] === "") {
        throw new SettingsError(stack, [
            {
                key: "Pulumi.yaml: name",
                received: JSON.stringify(project.document["name"] ?? null),
                source: "Pulumi.yaml",
                allowed: "the project's name, a string: the namespace of every config key (`ops:` for `name: ops`)",
                fix: "set `name: ops` at the top of Pulumi.yaml",
            },
        ]);
    }
    return project;
}

/** A config value as the CLI passes it to a program: strings as they are, anything else as JSON. */
export function toConfigString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** A config key with the project's namespace when it has none (`region` in Pulumi.yaml is `ops:region`). */
export function namespaced(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * The config `Pulumi.yaml` gives every stack, as the CLI passes it: namespaced keys, string
 * values, each declaration's `value` or else its `default`.
 */
export function projectConfigValues(project: ConfigFile): Record<string, string> {
    const ns = project.document["name"] as string;
    const out: Record<string, string> = {};
    for (const [key, decl] of Object.entries(project.config)) {
        const v = isPlainObject(decl) ? (decl["value"] ?? decl["default"]) : decl;
        if (v !== undefined && v !== null) out[namespaced(key, ns)] = toConfigString(v);
    }
    return out;
}

/**
 * What the loader knows of the project's files beyond the stack being loaded: the values
 * `Pulumi.yaml` gives, and another stack's config, to tell whose names a stack would take.
 */
export interface ProjectFiles {
    /** `Pulumi.yaml`'s values, namespaced, as strings (see `projectConfigValues`). */
    project: Readonly<Record<string, string>>;
    /** Another stack's own file config, namespaced, as strings; undefined when it has no readable file. */
    stack(name: string): Readonly<Record<string, string>> | undefined;
}

/**
 * The project files of a directory, for the loader. Reading another stack's file never fails the
 * stack being loaded: that stack's own run reports its file's problems.
 */
export function projectFiles(dir: string, stack: string): ProjectFiles | undefined {
    let project: ConfigFile;
    try {
        project = readProjectFile(dir, stack);
    } catch {
        return undefined;
    }
    const ns = project.document["name"] as string;
    const cache = new Map<string, Record<string, string> | undefined>();
    return {
        project: projectConfigValues(project),
        stack(name: string) {
            if (!cache.has(name)) {
                let config: Record<string, string> | undefined;
                try {
                    const file = readConfigFile(dir, stackFileName(name), stack);
                    if (file) config = Object.fromEntries(Object.entries(file.config).map(([k, v]) => [namespaced(k, ns), toConfigString(v)]));
                } catch {
                    config = undefined;
                }
                cache.set(name, config);
            }
            return cache.get(name);
        },
    };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The parser's sentence without the position it appends (` at line 7, column 1:`): the problem says where. */
function firstLine(message: string): string {
    return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/** The keys whose values are secrets; a line that sets one is never shown (it may hold the value in plain text). */
const SECRET_LINE = /\b(externalApiKey|pagerDutyIntegrationUrl)\s*:/;

function shownLine(text: string): string {
    if (SECRET_LINE.test(text) && !/secure\s*:/.test(text)) return "a line that sets a secret key (not shown)";
    return JSON.stringify(text.length > 100 ? `${cutText(text, 97)}...` : text);
}

/** The line at a position; at a blank line or the end of the file, the last line before it (where an open bracket or quote was). */
function lineText(lines: readonly string[], line: number): string {
    const text = lines[line - 1];
    if (text !== undefined && text.trim() !== "") return shownLine(text);
    for (let before = Math.min(line - 1, lines.length); before >= 1; before--) {
        if (lines[before - 1]!.trim() !== "") return `${line > lines.length || lines.slice(line).every((l) => l.trim() === "") ? "the end of the file" : "a blank line"}, after line ${before}: ${shownLine(lines[before - 1]!)}`;
    }
    return "an empty file";
}

function yamlProblem(name: string, lines: readonly string[], pos: { line: number; col: number }, what: string): Problem {
    return {
        key: `${name}:${pos.line}:${pos.col}`,
        received: lineText(lines, pos.line),
        source: `${name}, line ${pos.line}, column ${pos.col}`,
        allowed: `valid YAML; here: ${what}`,
        fix: `correct ${name} at line ${pos.line}, column ${pos.col}, or the lines before it (a bracket or quote left open there is found only where the file ends); \`pulumi config set\` writes the file in valid YAML`,
    };
}

function shapeProblem(name: string, lines: readonly string[], pos: { line: number; col: number }, allowed: string): Problem {
    return {
        key: `${name}:${pos.line}:${pos.col}`,
        received: lineText(lines, pos.line),
        source: `${name}, line ${pos.line}, column ${pos.col}`,
        allowed,
        fix: `correct ${name} at line ${pos.line}, column ${pos.col}; \`pulumi config set\` writes the file in the shape Pulumi reads`,
    };
}
