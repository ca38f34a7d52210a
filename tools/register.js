"use strict";
/**
 * Minimal require hook: transpiles TypeScript with SWC (no type-check; `tsc --noEmit` does that
 * once in `npm test`). Used by the offline plan, the benchmark and the docs generator.
 *
 * No source maps: the Pulumi SDK formats a stack trace for every promise it creates, and mapping
 * those through inline source maps made a production plan about 10% slower. SWC keeps the code's
 * line structure close enough for a stack trace to point at the right function.
 *
 * Two caches under node_modules/.cache, each keyed so that it can never serve stale code: SWC's
 * output by a hash of the source, SWC's version and the options (a plan compiles about 100 files,
 * some 50 ms of CPU, and skips loading SWC at all when every file is cached); and Node's own
 * compile cache of the JavaScript it loads (the SDK and providers: about a sixth of a plan's CPU),
 * which Node checks against each file's content. Either cache missing or unwritable only costs time.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const nodeModule = require("module");

const CACHE_ROOT = path.join(__dirname, "..", "node_modules", ".cache");
const SWC_OPTIONS = {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
    sourceMaps: false,
};

if (typeof nodeModule.enableCompileCache === "function" && !process.env.NODE_DISABLE_COMPILE_CACHE) {
    nodeModule.enableCompileCache(process.env.NODE_COMPILE_CACHE || path.join(CACHE_ROOT, "node-compile-cache"));
}

let swc;
let swcCache;

/** The SWC cache's directory, named after SWC's version and the options (so a change of either starts afresh). */
function swcCacheDir() {
    if (swcCache === undefined) {
        const version = require("@swc/core/package.json").version;
        const key = crypto.createHash("sha256").update(`${version}\n${JSON.stringify(SWC_OPTIONS)}`).digest("hex").slice(0, 16);
        swcCache = path.join(CACHE_ROOT, "ops-swc", key);
    }
    return swcCache;
}

function transpile(source, filename) {
    const hash = crypto.createHash("sha256").update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(swcCacheDir(), `${hash}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet.
    }
    swc ??= require("@swc/core");
    const { code } = swc.transformSync(source, { filename, ...SWC_OPTIONS });
    try {
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        // Written aside, then renamed: a process reading at the same time sees the whole file or none.
        const partial = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, cached);
    } catch {
        // A read-only checkout still works, uncached.
    }
    return code;
}

require.extensions[".ts"] = function compileTs(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
