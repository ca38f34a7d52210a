import { spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";

/**
 * Every interaction of a drill with the world goes through a runner: the Pulumi CLI, the AWS CLI,
 * the runbook's scripts, an HTTP health check, the clock and the files it writes. The
 * orchestration (drill.ts) is tested with a fake runner; `realRunner` is what `npm run dr:drill`
 * uses, and needs the Pulumi CLI, the AWS CLI and credentials.
 */

export interface CommandResult {
    code: number;
    stdout: string;
    stderr: string;
}

export type HttpResult = { status: number } | { error: string };

export interface DrillRunner {
    now(): Date;
    sleep(ms: number): Promise<void>;
    /** `pulumi <args>` in the project's directory, with `env` added to the environment. */
    pulumi(args: string[], env?: Record<string, string>): Promise<CommandResult>;
    /** `aws <args>` (the drill always passes --region and --output json). */
    aws(args: string[]): Promise<CommandResult>;
    /** `scripts/<name> <args>`. */
    script(name: string, args: string[]): Promise<CommandResult>;
    /**
     * One GET, no redirects followed, with a short timeout. `connectTo` (a host name) is where the
     * connection goes instead of the URL's host, which stays the TLS server name and the Host
     * header: the drill's host name needs no DNS record, only the load balancer's listener rule.
     */
    httpGet(url: string, connectTo?: string): Promise<HttpResult>;
    /** A file's text, or undefined when it does not exist. */
    readText(file: string): string | undefined;
    writeText(file: string, text: string): void;
    /** A progress line for the person or the CI log watching. */
    log(line: string): void;
}

const ROOT = path.resolve(__dirname, "..", "..");

function run(command: string, args: string[], env: Record<string, string> | undefined, tee: boolean): Promise<CommandResult> {
    return new Promise((resolve) => {
        // AWS CLI v2 pages long output through less when it thinks a person reads it.
        const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, AWS_PAGER: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
            stdout += d;
            if (tee) process.stderr.write(d);
        });
        child.stderr.setEncoding("utf8").on("data", (d: string) => {
            stderr += d;
            if (tee) process.stderr.write(d);
        });
        child.on("error", (e) => resolve({ code: 127, stdout, stderr: `${stderr}${command}: ${e.message}` }));
        child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}

/** The runner of a real drill: the CLIs on PATH, the network, the file system. `ca`: certificates to trust instead of the system's (tests). */
export function realRunner(opts: { ca?: string } = {}): DrillRunner {
    return {
        now: () => new Date(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        // Pulumi's own output goes to the log as it comes: an update runs for half an hour.
        pulumi: (args, env) => run("pulumi", [...args, "--non-interactive"], env, args[0] === "up" || args[0] === "destroy"),
        aws: (args) => run("aws", args, undefined, false),
        script: (name, args) => run("bash", [path.join(ROOT, "scripts", name), ...args], undefined, true),
        httpGet: (url, connectTo) =>
            new Promise((resolve) => {
                const u = new URL(url);
                const req = https.request(
                    { host: connectTo ?? u.hostname, port: u.port || 443, path: `${u.pathname}${u.search}`, method: "GET", servername: u.hostname, headers: { host: u.host }, timeout: 10_000, ...(opts.ca ? { ca: opts.ca } : {}) },
                    (res) => {
                        res.resume();
                        resolve({ status: res.statusCode ?? 0 });
                    },
                );
                req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
                req.on("error", (e) => resolve({ error: e.message }));
                req.end();
            }),
        readText: (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined),
        writeText: (file, text) => {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
        },
        log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} dr:drill ${line}\n`),
    };
}
