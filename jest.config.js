/**
 * Jest transpiles only (SWC); `tsc --noEmit` type-checks once in `npm test`.
 * Plans of every stack are produced once, in globalSetup, by the same CLI a user runs
 * (`npm run plan`), and shared by all test files through files in a temp directory.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  globalSetup: "<rootDir>/test/helpers/globalSetup.ts",
  globalTeardown: "<rootDir>/test/helpers/globalTeardown.ts",
  maxWorkers: 2,
  // Beside the other tools' caches, not in the temp directory (jest's default).
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
  testTimeout: 30000,
};
