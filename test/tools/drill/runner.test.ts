import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { realRunner } from "../../../tools/drill/runner";

/**
 * The real runner's health check against a local TLS server (a throw-away certificate from
 * openssl for dr-drill.example.com): the connection goes where it is told, the URL's host stays
 * the TLS server name and the Host header, redirects are not followed, failures are answers.
 */

describe("realRunner().httpGet", () => {
    let dir: string;
    let server: https.Server;
    let port: number;
    const seen: Array<{ servername: string | false | null; host: string | undefined; path: string | undefined }> = [];

    beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-tls-"));
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=dr-drill.example.com", "-addext", "subjectAltName=DNS:dr-drill.example.com"], { stdio: "ignore" });
        server = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) }, (req, res) => {
            seen.push({ servername: (req.socket as import("tls").TLSSocket).servername, host: req.headers.host, path: req.url });
            if (req.url === "/health") res.writeHead(200).end("healthy");
            else res.writeHead(301, { location: "/health" }).end();
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
        await new Promise((r) => server.close(r));
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("connects to connectTo with the URL's host as TLS name and Host header", async () => {
        const runner = realRunner({ ca: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") });
        expect(await runner.httpGet(`https://dr-drill.example.com:${port}/health`, "127.0.0.1")).toEqual({ status: 200 });
        expect(seen.at(-1)).toEqual({ servername: "dr-drill.example.com", host: `dr-drill.example.com:${port}`, path: "/health" });
    });

    it("does not follow a redirect", async () => {
        const runner = realRunner({ ca: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") });
        expect(await runner.httpGet(`https://dr-drill.example.com:${port}/`, "127.0.0.1")).toEqual({ status: 301 });
    });

    it("answers a certificate that does not match, or nothing listening, as an error", async () => {
        const runner = realRunner({ ca: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") });
        const wrongName = await runner.httpGet(`https://api.example.com:${port}/health`, "127.0.0.1");
        expect(wrongName).toEqual({ error: expect.stringContaining("api.example.com") });
        const closed = await runner.httpGet("https://dr-drill.example.com:1/health", "127.0.0.1");
        expect(closed).toEqual({ error: expect.stringContaining("ECONNREFUSED") });
    });
});
