import * as fs from "fs";
import * as path from "path";
import { InputError, jsonFiles, readJson } from "./load";

/**
 * The other reports a pull-request comment shows beside the plan diff, read from the JSON the
 * project's tools write per stack. A side is a file or a directory of files; a file without a
 * `stack` field is named after its stack (`production.json`).
 *
 * Interfaces (what each tool's `--json` is expected to print):
 * - policy, `npm run policy -- --stack X --json`:
 *   `{ "stack", "mandatory": [{ "rule", "urn", "message" }], "advisory": [...] }`
 *   (or `"violations": [{ "rule", "urn", "message", "enforcement": "mandatory" | "advisory" }]`)
 * - cost, `npm run cost -- --plan f --json`:
 *   `{ "stack", "currency": "USD", "monthlyTotal": 1234.5, "byType"?: { "<type>": 400 } }`
 * - rto, `npm run rto -- --plan f --json`:
 *   `{ "stack", "estimateMinutes": 48, "objectiveMinutes"?: 60, "criticalPath"?: ["<urn or name>"] }`
 */

export interface Violation {
    rule: string;
    urn: string;
    message: string;
}

export interface PolicyReport {
    stack: string;
    mandatory: Violation[];
    advisory: Violation[];
}

export interface CostReport {
    stack: string;
    currency: string;
    monthlyTotal: number;
    byType: Record<string, number>;
}

export interface RtoReport {
    stack: string;
    estimateMinutes: number;
    objectiveMinutes?: number;
    criticalPath: string[];
}

type Parser<T> = (v: Record<string, unknown>, stack: string, file: string) => T;

function readSide<T>(p: string | undefined, parse: Parser<T>): Map<string, T> | undefined {
    if (p === undefined) return undefined;
    if (!fs.existsSync(p)) throw new InputError(`${p}: no such file or directory`);
    const files = fs.statSync(p).isDirectory() ? jsonFiles(p) : [p];
    const out = new Map<string, T>();
    for (const f of files) {
        const raw = readJson(f);
        const entries = Array.isArray(raw) ? raw : [raw];
        for (const e of entries) {
            if (!e || typeof e !== "object") throw new InputError(`${f}: expected a JSON object (or a list of them) per stack`);
            const obj = e as Record<string, unknown>;
            const stack = typeof obj["stack"] === "string" ? obj["stack"] : path.basename(f, ".json");
            out.set(stack, parse(obj, stack, f));
        }
    }
    return out;
}

function violations(v: unknown, file: string, key: string): Violation[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new InputError(`${file}: "${key}" must be a list of { rule, urn, message }`);
    return v.map((x: Record<string, unknown>) => ({ rule: String(x["rule"] ?? "?"), urn: String(x["urn"] ?? ""), message: String(x["message"] ?? "") }));
}

const parsePolicy: Parser<PolicyReport> = (v, stack, file) => {
    if (Array.isArray(v["violations"])) {
        const all = v["violations"] as Record<string, unknown>[];
        const of = (level: string) => violations(all.filter((x) => (x["enforcement"] ?? "mandatory") === level), file, "violations");
        return { stack, mandatory: of("mandatory"), advisory: of("advisory") };
    }
    if (v["mandatory"] === undefined && v["advisory"] === undefined) {
        throw new InputError(`${file}: not a policy report: expected "mandatory" and "advisory" lists (npm run policy -- --stack ${stack} --json)`);
    }
    return { stack, mandatory: violations(v["mandatory"], file, "mandatory"), advisory: violations(v["advisory"], file, "advisory") };
};

const parseCost: Parser<CostReport> = (v, stack, file) => {
    const total = v["monthlyTotal"];
    if (typeof total !== "number" || !Number.isFinite(total)) {
        throw new InputError(`${file}: not a cost report: "monthlyTotal" must be a number, got ${JSON.stringify(total)} (npm run cost -- --plan <plan> --json)`);
    }
    const byType: Record<string, number> = {};
    const raw = v["byType"];
    if (raw && typeof raw === "object") for (const [k, n] of Object.entries(raw)) if (typeof n === "number") byType[k] = n;
    return { stack, currency: typeof v["currency"] === "string" ? v["currency"] : "USD", monthlyTotal: total, byType };
};

const parseRto: Parser<RtoReport> = (v, stack, file) => {
    const est = v["estimateMinutes"];
    if (typeof est !== "number" || !Number.isFinite(est)) {
        throw new InputError(`${file}: not an RTO report: "estimateMinutes" must be a number, got ${JSON.stringify(est)} (npm run rto -- --plan <plan> --json)`);
    }
    const objective = typeof v["objectiveMinutes"] === "number" ? v["objectiveMinutes"] : undefined;
    const path = Array.isArray(v["criticalPath"]) ? (v["criticalPath"] as unknown[]).map(String) : [];
    return { stack, estimateMinutes: est, ...(objective !== undefined ? { objectiveMinutes: objective } : {}), criticalPath: path };
};

/** The reports given for both sides (either side may be missing: a tool the base does not have yet). */
export interface Reports {
    policy?: { base?: Map<string, PolicyReport>; head?: Map<string, PolicyReport> };
    cost?: { base?: Map<string, CostReport>; head?: Map<string, CostReport> };
    rto?: { base?: Map<string, RtoReport>; head?: Map<string, RtoReport> };
}

/** Paths of the report files, as the CLI takes them. */
export interface ReportPaths {
    policyBase?: string;
    policyHead?: string;
    costBase?: string;
    costHead?: string;
    rtoBase?: string;
    rtoHead?: string;
}

/** Reads every report given. */
export function loadReports(p: ReportPaths): Reports {
    const pair = <T>(b: string | undefined, h: string | undefined, parse: Parser<T>) =>
        b === undefined && h === undefined ? undefined : { base: readSide(b, parse), head: readSide(h, parse) };
    const out: Reports = {};
    const policy = pair(p.policyBase, p.policyHead, parsePolicy);
    const cost = pair(p.costBase, p.costHead, parseCost);
    const rto = pair(p.rtoBase, p.rtoHead, parseRto);
    if (policy) out.policy = policy;
    if (cost) out.cost = cost;
    if (rto) out.rto = rto;
    return out;
}
