// ESLint: typescript-eslint's recommended rules, plus @pulumi/eslint-plugin, whose rules catch an
// Output interpolated into a template string (it needs type information, hence projectService).
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // .stryker-tmp/: the copies of the project a mutation run (npm run mutate) works in.
    { ignores: ["node_modules/", "bin/", "coverage/", ".plan/", ".stryker-tmp/", "reports/", "**/*.js", "**/*.mjs"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
);
