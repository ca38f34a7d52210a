"use strict";
/**
 * Minimal require hook: transpiles TypeScript with SWC (no type-check; `tsc --noEmit` does that
 * once in `npm test`). Used by the offline plan, the benchmark and the docs generator.
 *
 * No source maps: the Pulumi SDK formats a stack trace for every promise it creates, and mapping
 * those through inline source maps made a production plan about 10% slower. SWC keeps the code's
 * line structure close enough for a stack trace to point at the right function.
 */
const fs = require("fs");
const swc = require("@swc/core");

require.extensions[".ts"] = function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const { code } = swc.transformSync(source, {
        filename,
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
        sourceMaps: false,
    });
    module._compile(code, filename);
};
