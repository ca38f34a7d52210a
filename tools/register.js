"use strict";
/**
 * Minimal require hook: transpiles TypeScript with SWC (no type-check; `tsc --noEmit` does that
 * once in `npm test`). Used by the offline plan, the benchmark and the docs generator.
 */
const fs = require("fs");
const swc = require("@swc/core");

require.extensions[".ts"] = function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const { code } = swc.transformSync(source, {
        filename,
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
        sourceMaps: "inline",
    });
    module._compile(code, filename);
};
