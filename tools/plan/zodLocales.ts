import * as fs from "fs";
import * as path from "path";
import { Module } from "module";

/**
 * zod loads the messages of every language it has on import (`z.locales`: some 60 files, a
 * quarter of what loading zod costs the plan), and the settings read none of them: zod's own
 * English messages load by themselves, from their own file. Imported first by the plan's entry
 * points, this makes `z.locales` lazy: each language loads when it is first read, so
 * `z.locales.fr()` still works. It changes nothing when zod's locale index is not the plain list
 * of re-exports it expects (another zod release): zod then loads as it always did.
 */

interface CjsModule {
    filename: string;
    paths: string[];
    exports: unknown;
    loaded: boolean;
    require(id: string): unknown;
}

interface CjsLoader {
    new (id: string, parent: null): CjsModule;
    _cache: Record<string, CjsModule | undefined>;
    _nodeModulePaths(dir: string): string[];
}

/** One re-export of the index: `var ar_js_1 = require("./ar.cjs");` then its getter of `ar`. */
const REEXPORT =
    /var (\w+) = require\("(\.\/[\w-]+\.cjs)"\);\nObject\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return __importDefault\(\1\)\.default; \} \}\);/g;

/** The locale files the index re-exports, by export name; undefined unless that is all it does. */
export function localeFiles(source: string): Map<string, string> | undefined {
    const files = new Map<string, string>();
    for (const m of source.matchAll(REEXPORT)) files.set(m[3]!, m[2]!);
    const requires = source.split("require(").length - 1;
    return files.size > 0 && requires === files.size ? files : undefined;
}

function lazyZodLocales(): void {
    const loader = Module as unknown as CjsLoader;
    let index: string;
    let source: string;
    try {
        index = require.resolve("zod/v4/locales");
        if (loader._cache[index]) return;
        source = fs.readFileSync(index, "utf8");
    } catch {
        return;
    }
    const files = localeFiles(source);
    if (!files) return;
    const mod = new loader(index, null);
    mod.filename = index;
    mod.paths = loader._nodeModulePaths(path.dirname(index));
    const exports: Record<string, unknown> = {};
    Object.defineProperty(exports, "__esModule", { value: true });
    for (const [name, file] of files) {
        Object.defineProperty(exports, name, {
            enumerable: true,
            get: () => {
                const m = mod.require(file) as { __esModule?: boolean; default?: unknown };
                return m?.__esModule ? m.default : m;
            },
        });
    }
    mod.exports = exports;
    mod.loaded = true;
    loader._cache[index] = mod;
}

lazyZodLocales();
