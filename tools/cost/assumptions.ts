import * as fs from "fs";
import * as path from "path";

/**
 * Usage assumptions (tools/cost/prices/assumptions.json): what the plan cannot know (traffic, data
 * sizes, log volumes), per environment, overridable one by one with `--assume key=value`. Every
 * cost line that uses one names it and its value, so no figure looks more certain than it is.
 */

export interface AssumptionFile {
    schema: "ops-cost-assumptions/v1";
    about: string;
    keys: Record<string, { unit: string; description: string }>;
    environments: Record<string, Record<string, number>>;
}

/** Where the committed defaults live. */
export const ASSUMPTIONS_FILE = path.join(__dirname, "prices", "assumptions.json");

/** One assumption as an estimate used it. */
export interface UsedAssumption {
    key: string;
    value: number;
    unit: string;
    /** `default (staging)` or `--assume`. */
    from: string;
}

/** Loads the assumptions file. */
export function loadAssumptionFile(file = ASSUMPTIONS_FILE): AssumptionFile {
    return JSON.parse(fs.readFileSync(file, "utf8")) as AssumptionFile;
}

/**
 * Parses `--assume key=value` overrides: each key must be a known assumption and each value a
 * number >= 0. Throws every problem at once.
 */
export function parseOverrides(specs: readonly string[], file: AssumptionFile): Record<string, number> {
    const out: Record<string, number> = {};
    const problems: string[] = [];
    for (const spec of specs) {
        const eq = spec.indexOf("=");
        const key = eq < 0 ? spec : spec.slice(0, eq);
        const raw = eq < 0 ? "" : spec.slice(eq + 1);
        const value = Number(raw);
        if (!file.keys[key]) problems.push(`--assume ${spec}: unknown key "${key}"; the keys are ${Object.keys(file.keys).join(", ")}`);
        else if (raw.trim() === "" || !Number.isFinite(value) || value < 0) problems.push(`--assume ${spec}: "${raw}" is not a number >= 0 (in ${file.keys[key].unit})`);
        else out[key] = value;
    }
    if (problems.length > 0) throw new Error(problems.join("\n"));
    return out;
}

/** The assumptions of one environment, with overrides, recording which ones an estimate reads. */
export class Assumptions {
    private readonly used = new Map<string, UsedAssumption>();
    private readonly defaults: Record<string, number>;

    constructor(
        private readonly file: AssumptionFile,
        readonly environment: string,
        private readonly overrides: Record<string, number> = {},
    ) {
        const defaults = file.environments[environment];
        if (!defaults) {
            throw new Error(`No cost assumptions for environment "${environment}": ${ASSUMPTIONS_FILE} has ${Object.keys(file.environments).join(", ")}`);
        }
        this.defaults = defaults;
    }

    /** The value of an assumption; throws for a key the file does not define. */
    get(key: string): number {
        const meta = this.file.keys[key];
        const fromOverride = key in this.overrides;
        const value = fromOverride ? this.overrides[key] : this.defaults[key];
        if (!meta || value === undefined) throw new Error(`Unknown cost assumption "${key}" for environment ${this.environment}`);
        this.used.set(key, { key, value, unit: meta.unit, from: fromOverride ? "--assume" : `default (${this.environment})` });
        return value;
    }

    /** `key = value unit`, for printing beside a figure. */
    describe(key: string): string {
        const value = this.get(key);
        return `${key} = ${value} ${this.file.keys[key]!.unit}`;
    }

    /** Every assumption read so far, sorted by key. */
    usedList(): UsedAssumption[] {
        return [...this.used.values()].sort((a, b) => a.key.localeCompare(b.key));
    }
}
