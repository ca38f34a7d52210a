import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as esbuild from "esbuild";

/**
 * Packages a Lambda of `lambdas/<name>/index.ts` at plan or `pulumi up` time: esbuild bundles it
 * (with `pg`) into one file under `bin/lambdas/<name>/`, and the function's code is an archive of
 * that file. No build step to forget, no network, ~tens of milliseconds per function. The AWS SDK
 * v3 stays out of the bundle: the Node.js Lambda runtimes ship it.
 */

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The Node.js runtime of every function here: Node.js 24, supported by Lambda until 2028-04-30
 * (AWS Lambda Developer Guide, "Building Lambda functions with Node.js"; the provider's enum has
 * `nodejs24.x`). Like every Node.js runtime from 20 on, it does not load the Amazon CA
 * certificates by itself: a function that verifies the RDS certificate sets
 * `NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem`, where the runtime keeps them.
 */
export const LAMBDA_RUNTIME = "nodejs24.x";

/** esbuild's target for that runtime. */
export const LAMBDA_NODE_TARGET = "node24";

const built = new Map<string, string>();

/** Bundles one Lambda and returns the bundled file's path (memoised per process). */
export function bundleLambda(name: string): string {
    const cached = built.get(name);
    if (cached) return cached;
    const entry = path.join(ROOT, "lambdas", name, "index.ts");
    if (!fs.existsSync(entry)) throw new Error(`No Lambda source at ${path.relative(ROOT, entry)}.`);
    const outDir = path.join(ROOT, "bin", "lambdas", name);
    const outFile = path.join(outDir, "index.js");
    // A bundle newer than every input (the Lambdas' sources, the lock file) is current: plans
    // skip esbuild then.
    if (fs.existsSync(outFile) && fs.statSync(outFile).mtimeMs > newestInput()) {
        built.set(name, outFile);
        return outFile;
    }
    // Loaded only when a bundle is stale: most plans reuse the bundles and never pay for esbuild.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildSync } = require("esbuild") as typeof esbuild;
    const result = buildSync({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        target: LAMBDA_NODE_TARGET,
        format: "cjs",
        write: false,
        external: ["@aws-sdk/*", "pg-native"],
        legalComments: "none",
        logLevel: "silent",
    });
    const text = result.outputFiles[0]!.text;
    fs.mkdirSync(outDir, { recursive: true });
    // Atomically: plans of several stacks run side by side.
    const tmp = `${outFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, outFile);
    built.set(name, outFile);
    return outFile;
}

/**
 * The newest modification time among a bundle's possible inputs: every file under lambdas/ (the
 * functions import each other's pure modules, e.g. the bootstrap uses the rotation's URL helpers),
 * the lock file, and this file, whose build options (the runtime's target) shape every bundle.
 */
function newestInput(): number {
    const files = [path.join(ROOT, "package-lock.json"), __filename];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else files.push(full);
        }
    };
    walk(path.join(ROOT, "lambdas"));
    return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

/** A short digest of a Lambda's bundle: changes exactly when its code does (an Invocation's trigger). */
export function bundleDigest(name: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(bundleLambda(name))).digest("hex").slice(0, 16);
}

/** The code archive of a Lambda: its bundle as `index.js` (handler `index.handler`). */
export function lambdaCode(name: string): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(bundleLambda(name)) });
}
