import { checkHealth, judgeHealth } from "../../../tools/ci/health";

const healthy = { status: "healthy", version: "1.4.0", timestamp: "2026-01-15T10:30:00Z", checks: { database: "healthy", redis: "healthy", external_api: "healthy" } };

describe("judgeHealth (runbook 3.7)", () => {
    it("accepts the runbook's healthy body with a 200", () => {
        expect(judgeHealth(200, JSON.stringify(healthy), "v1.4.0")).toEqual({ ok: true, status: 200, problems: [], version: "1.4.0" });
    });

    it("lists every problem of the runbook's unhealthy answer", () => {
        const body = { ...healthy, status: "unhealthy", checks: { database: "unhealthy", redis: "healthy", external_api: "timeout" } };
        expect(judgeHealth(503, JSON.stringify(body)).problems).toEqual([
            "status 503, expected 200",
            '"status" is "unhealthy", expected "healthy"',
            'checks.database is "unhealthy", expected "healthy"',
            'checks.external_api is "timeout", expected "healthy"',
        ]);
    });

    it("refuses a body that is not the runbook's shape", () => {
        expect(judgeHealth(200, "OK").problems).toEqual(['the body is not JSON: "OK"']);
        expect(judgeHealth(200, "[1]").problems).toEqual(["the body is not a JSON object"]);
        expect(judgeHealth(200, JSON.stringify({ status: "healthy", timestamp: "yesterday" })).problems).toEqual([
            '"version" is missing or not a string',
            '"timestamp" is "yesterday", expected an ISO 8601 time such as "2026-01-15T10:30:00Z"',
            '"checks" is missing',
        ]);
    });

    it("names a version other than the release just deployed", () => {
        expect(judgeHealth(200, JSON.stringify(healthy), "1.5.0").problems).toEqual(['"version" is "1.4.0", expected "1.5.0" (the release just deployed)']);
    });
});

describe("checkHealth", () => {
    it("retries until healthy", async () => {
        const answers = [new Error("connect ECONNREFUSED"), { status: 503, body: "{}" }, { status: 200, body: JSON.stringify(healthy) }];
        const sleeps: number[] = [];
        const r = await checkHealth("https://staging.example.com/health", {
            attempts: 5,
            intervalMs: 15_000,
            fetch: async () => {
                const a = answers.shift()!;
                if (a instanceof Error) throw a;
                return { status: a.status, text: async () => a.body };
            },
            sleep: async (ms) => void sleeps.push(ms),
        });
        expect(r.ok).toBe(true);
        expect(sleeps).toEqual([15_000, 15_000]);
    });

    it("gives the last problem when it never becomes healthy", async () => {
        const r = await checkHealth("u", { attempts: 2, intervalMs: 1, fetch: async () => ({ status: 502, text: async () => "bad gateway" }), sleep: async () => undefined });
        expect(r).toMatchObject({ ok: false, status: 502, problems: ["status 502, expected 200", 'the body is not JSON: "bad gateway"'] });
    });
});
