import * as path from "path";
import { REPORT_SCHEMA, RTO_OBJECTIVE_SECONDS, renderMarkdown, renderSummary, summaryFileName, type DrillReport, type StepResult, type StepStatus } from "./report";
import { RPO_OBJECTIVE_SECONDS, achievedRpo, pickRestoreSource } from "./rpo";
import type { CommandResult, DrillRunner } from "./runner";
import { assertDrillSecretsPrefix, drillSecrets, predictLeftovers, taggedLeftovers, type Leftover, type StateResource } from "./teardown";
import { secondsBetween, typeTotalsFromEventLog } from "./timing";

/**
 * The DR drill (runbook 3.9 "DR Testing"): the rebuild rehearsed in the DR region on a stack of its
 * own, measured step by step, checked, and torn down, leaving nothing that blocks the next one.
 * Every call goes through the runner, so this is tested without AWS (test/tools/drill).
 */

export interface DrillConfig {
    stack: string;
    /** The DR region, where the drill runs (the stack file's ops:region). */
    region: string;
    /** The region whose outage the drill stands for. */
    primaryRegion: string;
    app: string;
    reportDir: string;
    keep: boolean;
    teardownOnly: boolean;
    requireOutageSimulation: boolean;
    /** The primary's database: the drill restores its automated backups replicated to the DR region. */
    primaryIdentifier: string;
    /** The provider a new drill stack is created with (the stack file's secretsprovider). */
    secretsProvider?: string;
    /** The drill's secrets prefix when the stack exports none (`<app>/<pathScope>/`). */
    secretsPrefix: string;
    healthTimeoutSeconds: number;
    /** Seconds between two health checks. */
    healthIntervalSeconds?: number;
    rtoSeconds?: number;
    rpoSeconds?: number;
    /** Where the full report is kept, for the summary (the CI run's URL when there is one). */
    reportLocation?: string;
}

/** A step that cannot go on: the drill stops there (and still tears down what it built). */
class Stop extends Error {}

interface StepOutcome {
    status: StepStatus;
    detail: string;
}

const firstLine = (r: CommandResult): string => (r.stderr.split("\n").find((l) => l.trim() !== "") ?? r.stdout.split("\n").find((l) => l.trim() !== "") ?? `exit ${r.code}`).trim().slice(0, 300);

function json(r: CommandResult, what: string): unknown {
    try {
        return JSON.parse(r.stdout);
    } catch {
        throw new Stop(`${what} did not print JSON: ${r.stdout.slice(0, 120)}`);
    }
}

/** Runs a drill (or only its teardown) and returns its report; the report files are written to cfg.reportDir. */
export async function runDrill(cfg: DrillConfig, runner: DrillRunner): Promise<DrillReport> {
    const start = runner.now();
    const steps: StepResult[] = [];
    const problems: string[] = [];
    const rtoSeconds = cfg.rtoSeconds ?? RTO_OBJECTIVE_SECONDS;
    const rpoSeconds = cfg.rpoSeconds ?? RPO_OBJECTIVE_SECONDS;
    const eventLog = path.join(cfg.reportDir, "events.jsonl");
    const report: DrillReport = {
        schema: REPORT_SCHEMA,
        stack: cfg.stack,
        region: cfg.region,
        startedAt: start.toISOString(),
        finishedAt: start.toISOString(),
        outcome: "met",
        objectives: { rtoSeconds, rpoSeconds },
        outageSimulation: { primaryRegionDenied: null, detail: "not probed" },
        recovery: { secondsToHealthy: null, met: false },
        rpo: null,
        steps,
        resourceTypes: [],
        teardown: { performed: false, predicted: [], remaining: [], forceDeletedSecrets: [], clean: null },
        problems,
    };

    const step = async (name: string, fn: () => Promise<StepOutcome>): Promise<StepOutcome> => {
        const t0 = runner.now();
        runner.log(`${name}...`);
        let outcome: StepOutcome;
        try {
            outcome = await fn();
        } catch (e) {
            outcome = { status: "fail", detail: e instanceof Error ? e.message : String(e) };
        }
        steps.push({ name, status: outcome.status, startedAt: t0.toISOString(), seconds: secondsBetween(t0, runner.now()), detail: outcome.detail });
        runner.log(`${name}: ${outcome.status}: ${outcome.detail}`);
        if (outcome.status === "fail") problems.push(`${name}: ${outcome.detail}`);
        return outcome;
    };
    const pulumi = (args: string[], env?: Record<string, string>) => runner.pulumi([...args, "--stack", cfg.stack], env);
    const aws = (args: string[]) => runner.aws([...args, "--region", cfg.region, "--output", "json"]);

    let built = false;
    let outputs: Record<string, unknown> = {};

    const preflight = await step("preflight", async () => {
        const notes: string[] = [];
        const alarm = `${cfg.app}-production-dr-failover`;
        const a = await aws(["cloudwatch", "describe-alarms", "--alarm-names", alarm]);
        if (a.code !== 0) throw new Stop(`cannot read the failover switch ${alarm} in ${cfg.region}: ${firstLine(a)}`);
        const state = (json(a, "describe-alarms") as { MetricAlarms?: Array<{ StateValue?: string }> }).MetricAlarms?.[0]?.StateValue;
        if (state === "ALARM") throw new Stop(`the failover switch ${alarm} is engaged (ALARM): a real failover is under way, the drill would compete with it for the DR region; run it after failback`);
        notes.push(state === undefined ? `no switch alarm ${alarm} in ${cfg.region} (is production's standby footprint deployed?)` : `failover switch ${alarm}: ${state}`);
        const ls = await runner.pulumi(["stack", "ls", "--json"]);
        if (ls.code !== 0) throw new Stop(`pulumi stack ls failed: ${firstLine(ls)} (pulumi login to the state backend first: docs/bootstrap.md)`);
        const exists = (json(ls, "pulumi stack ls --json") as Array<{ name?: string }>).some((s) => s.name === cfg.stack || s.name?.endsWith(`/${cfg.stack}`));
        if (!exists) {
            if (cfg.teardownOnly) throw new Stop(`no stack ${cfg.stack} in this backend: nothing to tear down`);
            const init = await runner.pulumi(["stack", "init", cfg.stack, ...(cfg.secretsProvider ? ["--secrets-provider", cfg.secretsProvider] : [])]);
            if (init.code !== 0) throw new Stop(`pulumi stack init ${cfg.stack} failed: ${firstLine(init)}`);
            notes.push(`stack ${cfg.stack} created`);
        } else {
            const resources = await exportedResources();
            const held = resources.filter((r) => r.custom !== false && !r.type.startsWith("pulumi:"));
            if (cfg.teardownOnly) notes.push(`stack ${cfg.stack} holds ${held.length} resource(s) to tear down`);
            else if (held.length > 0) {
                throw new Stop(`stack ${cfg.stack} still holds ${held.length} resource(s) from an earlier drill: tear it down first (npm run dr:drill -- --stack ${cfg.stack} --report-dir <dir> --teardown-only)`);
            } else notes.push(`stack ${cfg.stack} exists and is empty`);
        }
        return { status: "pass", detail: notes.join("; ") };
    });

    async function exportedResources(): Promise<StateResource[]> {
        const ex = await pulumi(["stack", "export"]);
        if (ex.code !== 0) throw new Stop(`pulumi stack export failed: ${firstLine(ex)}`);
        return (json(ex, "pulumi stack export") as { deployment?: { resources?: StateResource[] } }).deployment?.resources ?? [];
    }

    let upEnv: Record<string, string> = {};
    let going = preflight.status === "pass" && !cfg.teardownOnly;

    if (going) {
        const probe = await step("outage-simulation", async () => {
            const r = await runner.aws(["ec2", "describe-availability-zones", "--region", cfg.primaryRegion, "--output", "json"]);
            const denied = r.code !== 0;
            report.outageSimulation = {
                primaryRegionDenied: denied,
                detail: denied ? `${cfg.primaryRegion} refused to these credentials: ${firstLine(r)}` : `${cfg.primaryRegion} answered: the drill's credentials can still reach the primary region`,
            };
            if (!denied && cfg.requireOutageSimulation) {
                throw new Stop(`--require-outage-simulation: ${cfg.primaryRegion} answered these credentials; assume the drill role with tools/drill/outage-session-policy.json (docs/disaster-recovery.md, "Simulating the outage")`);
            }
            return { status: denied ? "pass" : "skip", detail: report.outageSimulation.detail };
        });
        going = probe.status !== "fail";
    }

    if (going) {
        const source = await step("restore-source", async () => {
            const r = await aws(["rds", "describe-db-instance-automated-backups"]);
            if (r.code !== 0) throw new Stop(`aws rds describe-db-instance-automated-backups failed: ${firstLine(r)}`);
            const src = pickRestoreSource(json(r, "describe-db-instance-automated-backups"), cfg.primaryIdentifier, cfg.region);
            const rpo = achievedRpo(start, src.latestRestorableTime, rpoSeconds);
            report.rpo = { ...rpo, sourceArn: src.arn };
            // The restore's point in time pinned to what was restorable at the drill's start: the RPO measured is the one restored.
            upEnv = { OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN: src.arn, OPS_RESTORE__RESTORE_TIME: rpo.latestRestorableTime.replace(/\.\d{3}Z$/, "Z") };
            if (!rpo.met) problems.push(`RPO ${rpo.rpoSeconds}s is over the objective ${rpoSeconds}s (replication status ${src.status})`);
            return { status: "pass", detail: `${src.arn} (${src.status}), latest restorable ${rpo.latestRestorableTime}: RPO ${rpo.rpoSeconds}s` };
        });
        going = source.status === "pass";
    }

    if (going) {
        const up = await step("stack-up", async () => {
            // The rebuild installs its charts from the standby's mirror, as OCI artifacts in this
            // region's ECR: Helm's registry login is how Pulumi's Helm releases authenticate there.
            const login = await runner.script("dr_registry_login.sh", ["--region", cfg.region]);
            if (login.code !== 0) throw new Stop(`dr_registry_login.sh failed, so pulumi up could not install the mirrored charts: ${firstLine(login)}`);
            built = true;
            const r = await pulumi(["up", "--yes", "--skip-preview", "--event-log", eventLog], upEnv);
            const log = runner.readText(eventLog);
            if (log !== undefined) report.resourceTypes = typeTotalsFromEventLog(log, eventLog);
            else problems.push(`no event log at ${eventLog}: the per-type times are missing`);
            if (r.code !== 0) throw new Stop(`pulumi up failed: ${firstLine(r)}`);
            return { status: "pass", detail: `${report.resourceTypes.reduce((n, t) => n + t.count, 0)} resources created` };
        });
        going = up.status === "pass";
    }

    if (going) {
        const o = await pulumi(["stack", "output", "--json"]);
        if (o.code === 0) outputs = json(o, "pulumi stack output --json") as Record<string, unknown>;
        await step("health-check", async () => {
            const url = typeof outputs["url"] === "string" ? `${outputs["url"].replace(/\/$/, "")}/health` : undefined;
            if (url === undefined) throw new Stop("the stack exports no url: nothing to check");
            // Straight to the stack's load balancer when it exports one: the drill's host needs no DNS record.
            const via = typeof outputs["loadBalancerDnsName"] === "string" ? outputs["loadBalancerDnsName"] : undefined;
            const deadline = runner.now().getTime() + cfg.healthTimeoutSeconds * 1000;
            let last = "";
            for (;;) {
                const h = await runner.httpGet(url, via);
                if ("status" in h && h.status === 200) {
                    report.recovery.secondsToHealthy = secondsBetween(start, runner.now());
                    report.recovery.met = report.recovery.secondsToHealthy <= rtoSeconds;
                    if (!report.recovery.met) problems.push(`the app was healthy ${report.recovery.secondsToHealthy}s after the drill's start, over the RTO of ${rtoSeconds}s`);
                    return { status: "pass", detail: `${url}${via ? ` (through ${via})` : ""} answered 200, ${report.recovery.secondsToHealthy}s after the drill's start` };
                }
                last = "status" in h ? `HTTP ${h.status}` : h.error;
                if (runner.now().getTime() >= deadline) throw new Stop(`${url} did not answer 200 within ${cfg.healthTimeoutSeconds}s (last: ${last})`);
                await runner.sleep((cfg.healthIntervalSeconds ?? 15) * 1000);
            }
        });
        await step("verify-database", async () => {
            const id = outputs["databaseIdentifier"];
            if (typeof id !== "string") throw new Stop("the stack exports no databaseIdentifier: nothing to verify");
            const prefix = typeof outputs["secretsPrefix"] === "string" ? outputs["secretsPrefix"] : cfg.secretsPrefix;
            const r = await runner.script("verify_database.sh", ["--stack", cfg.stack, "--region", cfg.region, "--identifier", id, "--secret-id", `${prefix}DATABASE_URL`]);
            if (r.code !== 0) throw new Stop(`verify_database.sh failed (exit ${r.code}): ${r.stdout.split("\n").filter((l) => l.startsWith("FAIL")).join("; ") || firstLine(r)}`);
            return { status: "pass", detail: `${id} in ${cfg.region}: ${r.stdout.split("\n").filter((l) => l.startsWith("ok")).length} checks passed` };
        });
    }

    if (cfg.teardownOnly && preflight.status === "pass") built = true;
    if (built && !cfg.keep) await teardown();

    async function teardown(): Promise<void> {
        report.teardown.performed = true;
        let destroyed = false;
        await step("teardown-destroy", async () => {
            if (Object.keys(outputs).length === 0) {
                const o = await pulumi(["stack", "output", "--json"]);
                if (o.code === 0) outputs = json(o, "pulumi stack output --json") as Record<string, unknown>;
            }
            report.teardown.predicted = predictLeftovers(await exportedResources(), cfg.region);
            const r = await pulumi(["destroy", "--yes", "--skip-preview"]);
            if (r.code !== 0) throw new Stop(`pulumi destroy failed: ${firstLine(r)} (the stack is kept: fix and run --teardown-only)`);
            destroyed = true;
            return { status: "pass", detail: `destroyed; ${report.teardown.predicted.length} item(s) predicted to outlive it` };
        });
        await step("teardown-check", async () => {
            const remaining: Leftover[] = [];
            const prefix = typeof outputs["secretsPrefix"] === "string" ? outputs["secretsPrefix"] : cfg.secretsPrefix;
            assertDrillSecretsPrefix(prefix);
            const ls = await aws(["secretsmanager", "list-secrets", "--include-planned-deletion", "--filters", `Key=name,Values=${prefix}`]);
            if (ls.code !== 0) throw new Stop(`aws secretsmanager list-secrets failed: ${firstLine(ls)}`);
            const secrets = drillSecrets(json(ls, "list-secrets"), prefix);
            for (const s of secrets.pendingDeletion) {
                const del = await aws(["secretsmanager", "delete-secret", "--secret-id", s.ARN ?? s.Name!, "--force-delete-without-recovery"]);
                if (del.code === 0) report.teardown.forceDeletedSecrets.push(s.Name!);
                else remaining.push({ kind: "secret-recovery-window", name: s.Name!, blocksNextDrill: true, detail: `still in its recovery window: ${firstLine(del)}`, fix: `aws secretsmanager delete-secret --region ${cfg.region} --secret-id ${s.Name} --force-delete-without-recovery` });
            }
            for (const s of secrets.live) remaining.push({ kind: "still-exists", name: s.Name!, blocksNextDrill: true, detail: "a drill secret not deleted by the destroy", fix: `aws secretsmanager delete-secret --region ${cfg.region} --secret-id ${s.Name} --force-delete-without-recovery` });
            for (const p of report.teardown.predicted) {
                if (p.kind === "final-snapshot") {
                    const rds = p.type === "aws:rds/instance:Instance";
                    const r = await aws(rds ? ["rds", "describe-db-snapshots", "--db-snapshot-identifier", p.name] : ["elasticache", "describe-snapshots", "--snapshot-name", p.name]);
                    const listed = r.code === 0 && ((json(r, "describe snapshots") as { DBSnapshots?: unknown[]; Snapshots?: unknown[] })[rds ? "DBSnapshots" : "Snapshots"] ?? []).length > 0;
                    if (listed) remaining.push(p);
                } else if (p.kind === "retained" || (p.kind === "protected" && !destroyed)) remaining.push(p);
            }
            const namePrefix = typeof outputs["databaseIdentifier"] === "string" ? outputs["databaseIdentifier"] : `${cfg.app}-production-drill`;
            const tagged = await aws(["resourcegroupstaggingapi", "get-resources", "--tag-filters", "Key=managed-by,Values=pulumi"]);
            if (tagged.code !== 0) throw new Stop(`aws resourcegroupstaggingapi get-resources failed: ${firstLine(tagged)}`);
            const known = new Set(remaining.map((l) => l.name));
            for (const arn of taggedLeftovers(json(tagged, "get-resources"), namePrefix)) {
                if ([...known].some((n) => arn.includes(n))) continue;
                remaining.push({ kind: "still-exists", name: arn, blocksNextDrill: true, detail: `still listed in ${cfg.region} with the drill's name`, fix: "delete it (or wait: the tagging API can list a resource for minutes after its deletion)" });
            }
            report.teardown.remaining = remaining;
            report.teardown.clean = destroyed && remaining.every((l) => !l.blocksNextDrill);
            if (!report.teardown.clean) problems.push(`teardown left ${remaining.filter((l) => l.blocksNextDrill).length} item(s) that block the next drill`);
            return { status: report.teardown.clean ? "pass" : "fail", detail: `${remaining.length} left; ${report.teardown.forceDeletedSecrets.length} drill secret(s) deleted without recovery` };
        });
        if (destroyed) {
            await step("teardown-stack-rm", async () => {
                // --preserve-config: Pulumi.<stack>.yaml is committed (its secrets provider and data key serve the next drill).
                const r = await pulumi(["stack", "rm", "--yes", "--preserve-config"]);
                if (r.code !== 0) throw new Stop(`pulumi stack rm failed: ${firstLine(r)}`);
                return { status: "pass", detail: `stack ${cfg.stack} removed (its stack file kept)` };
            });
        }
    }

    report.finishedAt = runner.now().toISOString();
    const failed = steps.some((s) => s.status === "fail");
    const rtoMissed = !cfg.teardownOnly && !report.recovery.met;
    const rpoMissed = !cfg.teardownOnly && !(report.rpo?.met ?? false);
    report.outcome = failed ? "failed" : rtoMissed || rpoMissed || report.teardown.clean === false ? "missed" : "met";
    if (cfg.teardownOnly && !failed) report.outcome = "met";
    writeReport(report, cfg, runner);
    return report;
}

/** Writes report.json, report.md and the summary to file under docs/dr-drills/ (dr-drills/<day>-<stack>.md) into the report directory. */
export function writeReport(report: DrillReport, cfg: Pick<DrillConfig, "reportDir" | "reportLocation">, runner: Pick<DrillRunner, "writeText">): void {
    runner.writeText(path.join(cfg.reportDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    runner.writeText(path.join(cfg.reportDir, "report.md"), renderMarkdown(report));
    runner.writeText(path.join(cfg.reportDir, "dr-drills", summaryFileName(report)), renderSummary(report, cfg.reportLocation ?? `report.json, report.md and events.jsonl in ${cfg.reportDir}`));
}
