/**
 * The health check of runbook 3.7: `GET /health` answers 200 with
 * `{ "status": "healthy", "version", "timestamp", "checks": { "database", "redis", "external_api" } }`
 * and 503 when unhealthy. The staging smoke test and production's post-deploy check both use it.
 */

/** The dependencies the runbook's body reports. */
export const HEALTH_CHECKS = ["database", "redis", "external_api"] as const;

export interface HealthResult {
    ok: boolean;
    status: number;
    problems: string[];
    version?: string;
}

/** Judges one answer: every problem with the status and the body, or none. */
export function judgeHealth(status: number, bodyText: string, expectVersion?: string): HealthResult {
    const problems: string[] = [];
    if (status !== 200) problems.push(`status ${status}, expected 200`);
    let body: Record<string, unknown> | undefined;
    try {
        const parsed = JSON.parse(bodyText) as unknown;
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
        else problems.push("the body is not a JSON object");
    } catch {
        problems.push(`the body is not JSON: ${JSON.stringify(bodyText.slice(0, 80))}`);
    }
    if (!body) return { ok: false, status, problems };
    if (body["status"] !== "healthy") problems.push(`"status" is ${JSON.stringify(body["status"])}, expected "healthy"`);
    const version = typeof body["version"] === "string" ? body["version"] : undefined;
    if (!version) problems.push(`"version" is missing or not a string`);
    else if (expectVersion && version !== expectVersion && version !== expectVersion.replace(/^v/, "")) problems.push(`"version" is ${JSON.stringify(version)}, expected ${JSON.stringify(expectVersion)} (the release just deployed)`);
    const ts = body["timestamp"];
    if (typeof ts !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(ts)) problems.push(`"timestamp" is ${JSON.stringify(ts)}, expected an ISO 8601 time such as "2026-01-15T10:30:00Z"`);
    const checks = body["checks"];
    if (!checks || typeof checks !== "object") problems.push(`"checks" is missing`);
    else for (const c of HEALTH_CHECKS) if ((checks as Record<string, unknown>)[c] !== "healthy") problems.push(`checks.${c} is ${JSON.stringify((checks as Record<string, unknown>)[c])}, expected "healthy"`);
    return { ok: problems.length === 0, status, problems, ...(version ? { version } : {}) };
}

type Fetcher = (url: string) => Promise<{ status: number; text(): Promise<string> }>;

/** Asks until healthy or out of attempts (a new release needs a minute behind the load balancer). */
export async function checkHealth(
    url: string,
    opts: { attempts: number; intervalMs: number; expectVersion?: string; fetch?: Fetcher; sleep?: (ms: number) => Promise<void>; log?: (s: string) => void },
): Promise<HealthResult> {
    const get: Fetcher = opts.fetch ?? ((u) => fetch(u, { redirect: "manual", signal: AbortSignal.timeout(10_000) }));
    const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    let last: HealthResult = { ok: false, status: 0, problems: ["not asked yet"] };
    for (let i = 1; i <= opts.attempts; i++) {
        try {
            const res = await get(url);
            last = judgeHealth(res.status, await res.text(), opts.expectVersion);
        } catch (e) {
            last = { ok: false, status: 0, problems: [`no answer: ${(e as Error).message}`] };
        }
        opts.log?.(`health ${i}/${opts.attempts}: ${last.ok ? "healthy" : last.problems.join("; ")}`);
        if (last.ok) return last;
        if (i < opts.attempts) await sleep(opts.intervalMs);
    }
    return last;
}
