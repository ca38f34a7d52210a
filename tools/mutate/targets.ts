/**
 * What `npm run mutate` mutates, and the unit tests that must kill the mutants: one row per
 * source (a file or a glob). The Stryker config (stryker.config.mjs), the jest config of the
 * mutation run (jest.mutate.config.js) and the score check (tools/mutate.ts) all read this table,
 * so a new row is the whole change. docs/mutation.md says how to run it and how to add a row.
 */

export interface MutationTarget {
    /** A source file or glob, relative to the project root. */
    mutate: string;
    /**
     * The top-level declarations (functions, constants) to mutate, by name, when the rest of the
     * file is a Pulumi component that only plans exercise. Absent: the whole file.
     */
    only?: string[];
    /**
     * The unit test files (or globs) that exercise it: transpile-only and reading no plan (the
     * mutation run has no globalSetup, so a test that reads a plan fails the dry run).
     */
    tests: string[];
    /**
     * The mutation score, in percent, below which `npm run mutate` fails for a file of this row:
     * killed and timed-out mutants over every mutant that ran or had no test.
     */
    minScore?: number;
}

export const TARGETS: MutationTarget[] = [
    // The pure modules: small files beside their components, each with its own test file.
    { mutate: "modules/network/cidr.ts", tests: ["test/modules/network/cidr.test.ts"], minScore: 90 },
    { mutate: "modules/secrets/names.ts", tests: ["test/modules/secrets/names.test.ts"], minScore: 90 },
    { mutate: "modules/backup/schedule.ts", tests: ["test/modules/backup/schedule.test.ts"], minScore: 90 },
    { mutate: "modules/database/parameters.ts", tests: ["test/modules/database/parameters.test.ts"], minScore: 90 },
    { mutate: "modules/database/restore.ts", tests: ["test/modules/database/restore.test.ts"], minScore: 90 },
    { mutate: "modules/workload/tracks.ts", tests: ["test/modules/workload/tracks.test.ts"], minScore: 90 },
    { mutate: "modules/keys/policy.ts", tests: ["test/modules/keys/policy.test.ts"], minScore: 90 },
    { mutate: "modules/workload/image.ts", tests: ["test/modules/workload/image.test.ts"], minScore: 90 },
    { mutate: "modules/workload/security.ts", tests: ["test/modules/workload/security.test.ts"], minScore: 90 },
    { mutate: "modules/registry/repository.ts", only: ["lifecyclePolicy"], tests: ["test/modules/registry/repository.test.ts"], minScore: 90 },
    { mutate: "modules/observability/catalog.ts", tests: ["test/modules/observability/catalog.test.ts"], minScore: 90 },
    { mutate: "modules/dr/mirror.ts", tests: ["test/modules/dr/mirror.test.ts"], minScore: 90 },
    {
        mutate: "modules/observability/alarms.ts",
        only: ["alarmName", "runbookUrl", "alarmDescription", "PERCENTILE", "metricAlarmArgs"],
        tests: ["test/modules/observability/alarms.test.ts"],
        minScore: 90,
    },
    // The Lambdas, pure helpers and handlers, against fakes of the AWS SDK and PostgreSQL. The
    // real-PostgreSQL test (test/lambdas/database.postgres.test.ts, in `npm test`) starts a server
    // for every run, some 20 s: a mutation run of it would take hours.
    { mutate: "lambdas/**/*.ts", tests: ["test/lambdas/**/!(*.postgres).test.ts"], minScore: 90 },
    // The policy rules, over hand-made plans (policy/index.ts, the pack's entry for the CLI, only
    // the plan-reading test/policy/pack.test.ts exercises).
    // A file of rules gets its floor once a run with its static mutants (the rule declarations)
    // reaches it; its own row comes before the glob (a file's row is the first that matches it).
    ...["iam", "s3", "vpc", "kubernetes", "rds", "general", "lambda", "ecr", "edge", "observability", "backup", "elb", "eks", "secrets", "elasticache", "kms", "index"].map((file) => ({ mutate: `policy/rules/${file}.ts`, tests: ["test/policy/rules/*.test.ts", "test/policy/catalogue.test.ts"], minScore: 90 })),
    { mutate: "policy/rules/*.ts", tests: ["test/policy/rules/*.test.ts", "test/policy/catalogue.test.ts"] },
    {
        mutate: "policy/{context,engine,report,rule,values,waivers}.ts",
        tests: ["test/policy/rules/*.test.ts", "test/policy/catalogue.test.ts", "test/policy/context.test.ts", "test/policy/engine.test.ts", "test/policy/waivers.test.ts", "test/policy/report.test.ts", "test/policy/values.test.ts"],
    },
];

/** Every test file pattern of the table, once each. */
export function testPatterns(targets: MutationTarget[]): string[] {
    return [...new Set(targets.flatMap((t) => t.tests))];
}
