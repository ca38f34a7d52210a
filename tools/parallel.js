"use strict";
/**
 * Runs npm scripts side by side and fails if any fails, printing each one's output whole when it
 * ends. `npm test` uses it to type-check and lint at once (each is single-threaded).
 *
 *   node tools/parallel.js typecheck lint
 */
const { spawn } = require("child_process");
const path = require("path");

const scripts = process.argv.slice(2);
let failed = 0;
let running = scripts.length;
for (const script of scripts) {
    const start = Date.now();
    // tsc and ESLint keep Node's compile cache: beside the project's other caches, not in the temp directory.
    const env = { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE || path.join(__dirname, "..", "node_modules", ".cache", "node-compile-cache") };
    const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => {
        const secs = ((Date.now() - start) / 1000).toFixed(1);
        process.stdout.write(`${code === 0 ? "ok" : "FAILED"}: npm run ${script} (${secs} s)\n${out}`);
        if (code !== 0) failed += 1;
        running -= 1;
        if (running === 0) process.exit(failed === 0 ? 0 : 1);
    });
}
