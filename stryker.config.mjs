// @ts-check
/**
 * StrykerJS over the rows of tools/mutate/targets.ts, their unit tests run by jest through
 * jest.mutate.config.js (transpile-only, no plans). Run it with `npm run mutate`, which also checks
 * each file's score against its row's floor; docs/mutation.md says how and what it costs.
 */
import { createRequire } from "module";

const require = createRequire(import.meta.url);
require("./tools/register.js");
const { TARGETS } = require("./tools/mutate/targets.ts");
const { assertTargets, mutatePatterns } = require("./tools/mutate/resolve.ts");
const { HTML_REPORT, JSON_REPORT } = require("./tools/mutate/scores.ts");

const root = import.meta.dirname;
assertTargets(root, TARGETS);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    testRunner: "jest",
    jest: { projectType: "custom", configFile: "jest.mutate.config.js", enableFindRelatedTests: true },
    // Each mutant runs only the tests that reached it in the dry run.
    coverageAnalysis: "perTest",
    mutate: mutatePatterns(root, TARGETS),
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: HTML_REPORT },
    jsonReporter: { fileName: JSON_REPORT },
    clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportScoreTable: true },
    thresholds: { high: 90, low: 80, break: null },
    tempDirName: ".stryker-tmp",
    // On a busy machine every test run slows alike: leave room before calling a mutant a timeout.
    timeoutMS: 10000,
};
