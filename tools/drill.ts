/**
 * The DR drill (runbook 3.9 "DR Testing"): rehearses the rebuild of production in the DR region on
 * a drill stack, measures each step, checks the app and the restored data, records the RPO
 * achieved, writes a report and tears down. docs/disaster-recovery.md ("DR drill") explains it;
 * .github/workflows/dr-drill.yml runs it quarterly.
 *
 *   npm run dr:drill -- --stack production-dr-drill --report-dir <dir> [--keep]
 *   npm run dr:drill -- --stack production-dr-drill --report-dir <dir> --teardown-only
 *
 * Needs the Pulumi CLI logged in to the state backend, the AWS CLI with the drill's credentials
 * in the DR region, psql (verify_database.sh) and jq. Exit 0 when the drill met its objectives
 * (RTO, RPO, a clean teardown), 1 when it did not or a step failed (the report says which), 2 on
 * bad arguments or a stack that is not a drill stack.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DrillArgs, UsageError, drillStackProblems, parseArgs, type DrillStackFile } from "./drill/args";
import { runDrill } from "./drill/drill";
import { realRunner } from "./drill/runner";

const ROOT = path.resolve(__dirname, "..");

/** The parts of Pulumi.<stack>.yaml a drill reads (and Pulumi.yaml's appName default). */
function readStackFile(stack: string): DrillStackFile {
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return { exists: false };
    const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown>; secretsprovider?: string };
    const config = doc.config ?? {};
    const project = (parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) ?? {}) as { config?: Record<string, { default?: unknown }> };
    const appName = config["ops:appName"] ?? project.config?.["appName"]?.default ?? project.config?.["ops:appName"]?.default;
    const secrets = config["ops:secrets"] as { pathScope?: unknown } | undefined;
    return {
        exists: true,
        ...(typeof appName === "string" ? { appName } : {}),
        ...(typeof config["ops:region"] === "string" ? { region: config["ops:region"] } : {}),
        ...(typeof secrets?.pathScope === "string" ? { pathScope: secrets.pathScope } : {}),
        ...(typeof doc.secretsprovider === "string" ? { secretsProvider: doc.secretsprovider } : {}),
    };
}

/** The GitHub Actions run this drill is, when it is one. */
function runUrl(): string | undefined {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
    return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

async function main(): Promise<number> {
    let args: DrillArgs;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`${e.message}\n`);
        return 2;
    }
    if (!args.debug) Error.stackTraceLimit = 0;
    const file = readStackFile(args.stack);
    const problems = drillStackProblems(args.stack, file);
    if (problems.length > 0) {
        process.stderr.write(`Refusing to run a drill:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
        return 2;
    }
    const reportDir = path.resolve(args.reportDir);
    if (fs.existsSync(reportDir) && !fs.statSync(reportDir).isDirectory()) {
        process.stderr.write(`--report-dir ${args.reportDir} is not a directory\n`);
        return 2;
    }
    fs.mkdirSync(reportDir, { recursive: true });
    const app = file.appName ?? "myapp";
    const report = await runDrill(
        {
            stack: args.stack,
            region: file.region!,
            primaryRegion: "us-east-1",
            app,
            reportDir,
            keep: args.keep,
            teardownOnly: args.teardownOnly,
            requireOutageSimulation: args.requireOutageSimulation,
            primaryIdentifier: args.primaryIdentifier ?? `${app}-production`,
            // The stack file's provider; without one, the bootstrap stack's key in the drill's region (docs/bootstrap.md, step 6).
            secretsProvider: file.secretsProvider ?? `awskms://alias/${app}-pulumi-secrets?region=${file.region!}`,
            secretsPrefix: `${app}/${file.pathScope!}/`,
            healthTimeoutSeconds: args.healthTimeoutMinutes * 60,
            ...(runUrl() ? { reportLocation: `the artifact dr-drill-report-${process.env["GITHUB_RUN_ID"]} of ${runUrl()}` } : {}),
        },
        realRunner(),
    );
    process.stdout.write(`DR drill of ${report.stack}: ${report.outcome}. Report: ${path.join(reportDir, "report.md")}\n`);
    for (const p of report.problems) process.stdout.write(`  - ${p}\n`);
    return report.outcome === "met" ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`The DR drill failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        if (!process.argv.includes("--debug")) process.stderr.write("Run again with --debug for the stack trace.\n");
        process.exit(3);
    },
);
