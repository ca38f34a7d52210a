import {
    AppConfigClient,
    CreateHostedConfigurationVersionCommand,
    GetDeploymentCommand,
    GetHostedConfigurationVersionCommand,
    ListApplicationsCommand,
    ListConfigurationProfilesCommand,
    ListDeploymentStrategiesCommand,
    ListDeploymentsCommand,
    ListEnvironmentsCommand,
    StartDeploymentCommand,
    StopDeploymentCommand,
} from "@aws-sdk/client-appconfig";
import type { FlagsEndpoint } from "../../modules/flags";

/**
 * The kill switch (runbook 3.8 step 4, "Disable feature flag (if feature-related)"): turns one
 * flag off in a cloud stack's AppConfig environment at once, without `pulumi up`, in the few
 * calls an engineer could also type by hand (docs/flags.md, "Kill a flag"):
 *
 * 1. find the application, environment, profile and the immediate strategy by name;
 * 2. stop a flags deployment still in progress (AppConfig runs one deployment per environment at
 *    a time; stopping one rolls it back);
 * 3. take the configuration the environment runs now, set the flag's value to off (and drop its
 *    variants), and store it as a new hosted version;
 * 4. deploy that version with the immediate strategy: every agent at once, no bake, so the alarms
 *    that are firing during the incident cannot roll the kill back;
 * 5. wait until AppConfig reports the deployment complete. Agents pick it up at their next poll.
 *
 * The change is outside Pulumi: the next `pulumi up` that changes flags/flags.yaml deploys the
 * file again. The command says so, and what to commit.
 */

/** What the kill needs to know of the stack. */
export interface KillTarget {
    endpoint: FlagsEndpoint;
    /** `<app>-<stack>-immediate`: the stack's immediate deployment strategy. */
    immediateStrategy: string;
    flag: string;
    /** Why, for the deployment's description (the incident channel, the alarm). */
    reason: string;
}

/** What happened, for the report. */
export interface KillResult {
    applicationId: string;
    environmentId: string;
    profileId: string;
    strategyId: string;
    stopped: number[];
    baseVersion: string;
    newVersion: number;
    deploymentNumber: number;
    state: string;
}

/** A kill that cannot go on, with what to do. */
export class KillError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "KillError";
    }
}

/** States of a deployment still in progress (one blocks the next). */
const IN_PROGRESS = new Set(["DEPLOYING", "BAKING", "VALIDATING"]);

/** The content with the flag off: its value `{ enabled: false }`, its variants gone. */
export function withFlagOff(content: string, flag: string): string {
    const doc = JSON.parse(content) as { flags?: Record<string, unknown>; values?: Record<string, unknown> };
    if (!doc.flags || !(flag in doc.flags)) {
        throw new KillError(`The flag ${flag} is not in the configuration this environment runs (its flags: ${Object.keys(doc.flags ?? {}).join(", ") || "none"}).`);
    }
    return JSON.stringify({ ...doc, values: { ...doc.values, [flag]: { enabled: false } } });
}

/** Runs the kill against AppConfig; `log` gets one line per step. */
export async function killFlag(client: AppConfigClient, t: KillTarget, log: (line: string) => void, pollMs = 1000): Promise<KillResult> {
    const ids = await resolveIds(client, t);
    log(`found ${t.endpoint.application}/${t.endpoint.environment}/${t.endpoint.profile}: application ${ids.applicationId}, environment ${ids.environmentId}, profile ${ids.profileId}`);

    const deployments = (await client.send(new ListDeploymentsCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, MaxResults: 50 }))).Items ?? [];
    const stopped: number[] = [];
    for (const d of deployments.filter((x) => IN_PROGRESS.has(x.State ?? ""))) {
        await client.send(new StopDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: d.DeploymentNumber }));
        stopped.push(d.DeploymentNumber!);
        log(`stopped deployment ${d.DeploymentNumber} (${d.State}): AppConfig rolls it back`);
    }
    const current = deployments
        .filter((d) => d.State === "COMPLETE" && d.ConfigurationName === t.endpoint.profile)
        .sort((a, b) => (b.DeploymentNumber ?? 0) - (a.DeploymentNumber ?? 0))[0];
    if (!current?.ConfigurationVersion) {
        throw new KillError(`No completed flags deployment in ${t.endpoint.environment}: there is nothing running to kill. Check the environment with: aws appconfig list-deployments --application-id ${ids.applicationId} --environment-id ${ids.environmentId}`);
    }
    const hosted = await client.send(new GetHostedConfigurationVersionCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, VersionNumber: Number(current.ConfigurationVersion) }));
    const content = withFlagOff(new TextDecoder().decode(hosted.Content), t.flag);
    const created = await client.send(
        new CreateHostedConfigurationVersionCommand({
            ApplicationId: ids.applicationId,
            ConfigurationProfileId: ids.profileId,
            ContentType: "application/json",
            Content: new TextEncoder().encode(content),
            Description: `kill ${t.flag}: ${t.reason}`.slice(0, 1024),
        }),
    );
    log(`created version ${created.VersionNumber} from version ${current.ConfigurationVersion}, with ${t.flag} off`);
    const started = await client.send(
        new StartDeploymentCommand({
            ApplicationId: ids.applicationId,
            EnvironmentId: ids.environmentId,
            ConfigurationProfileId: ids.profileId,
            ConfigurationVersion: String(created.VersionNumber),
            DeploymentStrategyId: ids.strategyId,
            Description: `kill ${t.flag}: ${t.reason}`.slice(0, 1024),
        }),
    );
    log(`started deployment ${started.DeploymentNumber} with ${t.immediateStrategy} (all agents at once, no bake)`);
    let state = started.State ?? "DEPLOYING";
    for (let i = 0; i < 60 && state !== "COMPLETE" && state !== "ROLLED_BACK"; i++) {
        await new Promise((r) => setTimeout(r, pollMs));
        state = (await client.send(new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: started.DeploymentNumber }))).State ?? state;
    }
    log(`deployment ${started.DeploymentNumber}: ${state}`);
    if (state === "ROLLED_BACK") throw new KillError(`AppConfig rolled the kill back (deployment ${started.DeploymentNumber}). See why: aws appconfig get-deployment --application-id ${ids.applicationId} --environment-id ${ids.environmentId} --deployment-number ${started.DeploymentNumber}`);
    return { ...ids, stopped, baseVersion: current.ConfigurationVersion, newVersion: created.VersionNumber!, deploymentNumber: started.DeploymentNumber!, state };
}

/** The AppConfig ids behind the stack's names. */
async function resolveIds(client: AppConfigClient, t: KillTarget): Promise<{ applicationId: string; environmentId: string; profileId: string; strategyId: string }> {
    const e = t.endpoint;
    const app = ((await client.send(new ListApplicationsCommand({ MaxResults: 50 }))).Items ?? []).find((a) => a.Name === e.application);
    if (!app?.Id) throw new KillError(`No AppConfig application ${e.application} in this account and region: check the AWS credentials and the stack (its flags live in the stack's region).`);
    const env = ((await client.send(new ListEnvironmentsCommand({ ApplicationId: app.Id, MaxResults: 50 }))).Items ?? []).find((x) => x.Name === e.environment);
    const profile = ((await client.send(new ListConfigurationProfilesCommand({ ApplicationId: app.Id, MaxResults: 50 }))).Items ?? []).find((x) => x.Name === e.profile);
    const strategy = ((await client.send(new ListDeploymentStrategiesCommand({ MaxResults: 50 }))).Items ?? []).find((x) => x.Name === t.immediateStrategy);
    const missing = [!env?.Id && `environment ${e.environment}`, !profile?.Id && `configuration profile ${e.profile}`, !strategy?.Id && `deployment strategy ${t.immediateStrategy}`].filter(Boolean);
    if (missing.length > 0) throw new KillError(`The application ${e.application} has no ${missing.join(", no ")}: was the stack's flags layer applied (pulumi up)?`);
    return { applicationId: app.Id, environmentId: env!.Id!, profileId: profile!.Id!, strategyId: strategy!.Id! };
}
