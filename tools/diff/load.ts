import * as fs from "fs";
import * as path from "path";
import type { Plan } from "../plan/record";

/**
 * Reads one side of a diff: a plan file (`npm run plan -- --stack X --json f`) or a directory of
 * them, one per stack. Stacks are keyed by the `stack` the plan names, not the file name.
 */

/** A problem with an input file; the CLI prints it and exits 2. */
export class InputError extends Error {}

function isPlan(v: unknown): v is Plan {
    const p = v as Partial<Plan> | null;
    return !!p && typeof p === "object" && typeof p.stack === "string" && typeof p.project === "string" && Array.isArray(p.resources);
}

/** Parses a JSON file, or says which file is not JSON. */
export function readJson(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (e) {
        throw new InputError(`${file}: not JSON (${(e as Error).message})`);
    }
}

function readPlan(file: string): Plan {
    const v = readJson(file);
    if (!isPlan(v)) {
        throw new InputError(
            `${file}: not an offline plan: expected an object with "project", "stack" and "resources" as \`npm run plan -- --stack <name> --json ${path.basename(file)}\` writes it`,
        );
    }
    return v;
}

/** The JSON files of a directory, sorted. */
export function jsonFiles(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => path.join(dir, f));
}

/** One side: stack name → plan. */
export function loadSide(p: string): Map<string, Plan> {
    if (!fs.existsSync(p)) throw new InputError(`${p}: no such file or directory`);
    const files = fs.statSync(p).isDirectory() ? jsonFiles(p) : [p];
    if (files.length === 0) throw new InputError(`${p}: the directory holds no .json plan`);
    const out = new Map<string, Plan>();
    for (const f of files) {
        const plan = readPlan(f);
        if (out.has(plan.stack)) throw new InputError(`${f}: a second plan of stack "${plan.stack}" in ${p}; keep one plan per stack`);
        out.set(plan.stack, plan);
    }
    return out;
}
