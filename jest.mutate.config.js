/**
 * Jest for the mutation run (`npm run mutate`): the unit test files of tools/mutate/targets.ts
 * only, transpile-only like `npm test`, and without the globalSetup that plans every stack (the
 * mutated files' tests read no plan, and Stryker reruns them for every mutant).
 */
require("./tools/register.js");
const { globalSetup: _setup, globalTeardown: _teardown, ...base } = require("./jest.config");
const { TARGETS, testPatterns } = require("./tools/mutate/targets.ts");

/** @type {import('jest').Config} */
module.exports = {
    ...base,
    testMatch: testPatterns(TARGETS).map((p) => `<rootDir>/${p}`),
};
