import type { CommandResult, DrillRunner, HttpResult } from "../../../tools/drill/runner";

/**
 * A drill runner with no AWS and no Pulumi: each call is answered by the first route whose
 * pattern matches "<tool> <arguments joined by spaces>", and advances a fake clock by the route's
 * seconds. A call no route answers fails the test (so the drill cannot pass on a call nobody
 * recorded). Files are kept in a map.
 */

export interface FakeAnswer {
    code?: number;
    stdout?: string | object;
    stderr?: string;
    /** Seconds the call takes on the fake clock. */
    seconds?: number;
    /** A file the call writes (pulumi up's event log). */
    writes?: { file: RegExp; text: string };
}

export type FakeRoute = [pattern: RegExp, answer: FakeAnswer | ((line: string) => FakeAnswer)];

export class FakeRunner implements DrillRunner {
    readonly calls: string[] = [];
    readonly files = new Map<string, string>();
    readonly logs: string[] = [];
    private clock: number;
    /** Health answers in order; the last repeats. */
    health: Array<HttpResult & { seconds?: number }> = [{ status: 200, seconds: 5 }];

    constructor(
        private readonly routes: FakeRoute[],
        start = "2026-10-15T09:00:00.000Z",
    ) {
        this.clock = Date.parse(start);
    }

    now(): Date {
        return new Date(this.clock);
    }

    async sleep(ms: number): Promise<void> {
        this.clock += ms;
    }

    private answer(line: string): CommandResult {
        this.calls.push(line);
        const route = this.routes.find(([p]) => p.test(line));
        if (!route) throw new Error(`fake runner: no recorded answer for: ${line}`);
        const a = typeof route[1] === "function" ? route[1](line) : route[1];
        this.clock += (a.seconds ?? 1) * 1000;
        if (a.writes) {
            const file = line.split(" ").find((w) => a.writes!.file.test(w));
            if (file) this.files.set(file, a.writes.text);
        }
        return { code: a.code ?? 0, stdout: typeof a.stdout === "object" ? JSON.stringify(a.stdout) : (a.stdout ?? ""), stderr: a.stderr ?? "" };
    }

    async pulumi(args: string[], env?: Record<string, string>): Promise<CommandResult> {
        return this.answer(`pulumi ${args.join(" ")}${env && Object.keys(env).length > 0 ? ` [env ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")}]` : ""}`);
    }

    async aws(args: string[]): Promise<CommandResult> {
        return this.answer(`aws ${args.join(" ")}`);
    }

    async script(name: string, args: string[]): Promise<CommandResult> {
        return this.answer(`script ${name} ${args.join(" ")}`);
    }

    async httpGet(url: string, connectTo?: string): Promise<HttpResult> {
        this.calls.push(`http GET ${url}${connectTo ? ` via ${connectTo}` : ""}`);
        const h = this.health.length > 1 ? this.health.shift()! : this.health[0]!;
        this.clock += (h.seconds ?? 1) * 1000;
        return "status" in h ? { status: h.status } : { error: h.error };
    }

    readText(file: string): string | undefined {
        return this.files.get(file);
    }

    writeText(file: string, text: string): void {
        this.files.set(file, text);
    }

    log(line: string): void {
        this.logs.push(line);
    }
}
