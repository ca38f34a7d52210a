import {
    AppConfigClient,
    CreateHostedConfigurationVersionCommand,
    GetDeploymentCommand,
    GetHostedConfigurationVersionCommand,
    type GetHostedConfigurationVersionCommandOutput,
    ListApplicationsCommand,
    ListConfigurationProfilesCommand,
    ListDeploymentStrategiesCommand,
    ListDeploymentsCommand,
    ListEnvironmentsCommand,
    StartDeploymentCommand,
    StopDeploymentCommand,
} from "@aws-sdk/client-appconfig";
import { mockClient } from "aws-sdk-client-mock";
import { main, parseArgs } from "../../tools/flags";
import { KillError, killFlag, withFlagOff } from "../../tools/flags/kill";
import { dueText, flagRows, renderFlagList } from "../../tools/flags/list";
import { parseFlags } from "../../modules/flags";

/**
 * `npm run flags`: the listing, and the kill switch against a fake AppConfig (aws-sdk-client-mock):
 * the calls it makes, in order, and what it refuses.
 */

const appconfig = mockClient(AppConfigClient);
afterEach(() => appconfig.reset());

const CONTENT = JSON.stringify({
    version: "1",
    flags: { new_ui_feature: { name: "new_ui_feature" }, external_api_calls: { name: "external_api_calls" } },
    values: { new_ui_feature: { _variants: [{ name: "rollout", enabled: true, rule: "(split pct::10 by::$userId)" }, { name: "default", enabled: false }] }, external_api_calls: { enabled: true } },
});

/** A production environment running version 7 of the flags, with `inProgress` deployments still going. */
function fakeAppConfig(inProgress: Array<{ n: number; state: string }> = [], finalState = "COMPLETE"): void {
    appconfig.on(ListApplicationsCommand).resolves({ Items: [{ Id: "zzz0000", Name: "other-app" }, { Id: "abc1234", Name: "myapp-production" }] });
    appconfig.on(ListEnvironmentsCommand, { ApplicationId: "abc1234" }).resolves({ Items: [{ Id: "env1234", Name: "production" }] });
    appconfig.on(ListConfigurationProfilesCommand, { ApplicationId: "abc1234" }).resolves({ Items: [{ Id: "pro1234", Name: "feature-flags" }] });
    appconfig.on(ListDeploymentStrategiesCommand).resolves({ Items: [{ Id: "AppConfig.AllAtOnce", Name: "AppConfig.AllAtOnce" }, { Id: "imm1234", Name: "myapp-production-immediate" }] });
    appconfig.on(ListDeploymentsCommand).resolves({
        Items: [
            ...inProgress.map((d) => ({ DeploymentNumber: d.n, State: d.state as "DEPLOYING", ConfigurationName: "feature-flags", ConfigurationVersion: "8" })),
            { DeploymentNumber: 4, State: "COMPLETE", ConfigurationName: "feature-flags", ConfigurationVersion: "7" },
            { DeploymentNumber: 3, State: "COMPLETE", ConfigurationName: "feature-flags", ConfigurationVersion: "6" },
        ],
    });
    appconfig.on(StopDeploymentCommand).resolves({});
    // The SDK returns the content as a Uint8Array (its blob adapter is one).
    appconfig.on(GetHostedConfigurationVersionCommand).resolves({ Content: new TextEncoder().encode(CONTENT) as unknown as GetHostedConfigurationVersionCommandOutput["Content"], VersionNumber: 7 });
    appconfig.on(CreateHostedConfigurationVersionCommand).resolves({ VersionNumber: 9 });
    appconfig.on(StartDeploymentCommand).resolves({ DeploymentNumber: 6, State: "DEPLOYING" });
    appconfig.on(GetDeploymentCommand).resolves({ DeploymentNumber: 6, State: finalState as "COMPLETE" });
}

const target = { endpoint: { application: "myapp-production", environment: "production", profile: "feature-flags" }, immediateStrategy: "myapp-production-immediate", flag: "new_ui_feature", reason: "INC-7: 5XX" };

describe("the kill switch", () => {
    it("turns the flag off in the configuration production runs, deploys it at once, and waits for it", async () => {
        fakeAppConfig();
        const lines: string[] = [];
        const result = await killFlag(new AppConfigClient({}), target, (l) => lines.push(l), 1);
        expect(result).toEqual({ applicationId: "abc1234", environmentId: "env1234", profileId: "pro1234", strategyId: "imm1234", stopped: [], baseVersion: "7", newVersion: 9, deploymentNumber: 6, state: "COMPLETE" });
        expect(appconfig.commandCalls(GetHostedConfigurationVersionCommand)[0]!.args[0].input).toEqual({ ApplicationId: "abc1234", ConfigurationProfileId: "pro1234", VersionNumber: 7 });
        const created = appconfig.commandCalls(CreateHostedConfigurationVersionCommand)[0]!.args[0].input;
        const content = JSON.parse(new TextDecoder().decode(created.Content as Uint8Array)) as { values: Record<string, unknown> };
        // Off, its variants gone; every other flag as it was.
        expect(content.values).toEqual({ new_ui_feature: { enabled: false }, external_api_calls: { enabled: true } });
        expect(created).toMatchObject({ ApplicationId: "abc1234", ConfigurationProfileId: "pro1234", ContentType: "application/json", Description: "kill new_ui_feature: INC-7: 5XX" });
        expect(appconfig.commandCalls(StartDeploymentCommand)[0]!.args[0].input).toEqual({
            ApplicationId: "abc1234",
            EnvironmentId: "env1234",
            ConfigurationProfileId: "pro1234",
            ConfigurationVersion: "9",
            DeploymentStrategyId: "imm1234",
            Description: "kill new_ui_feature: INC-7: 5XX",
        });
        expect(lines.at(-1)).toBe("deployment 6: COMPLETE");
    });

    it("stops a flags rollout still in progress first (one deployment at a time per environment)", async () => {
        fakeAppConfig([{ n: 5, state: "DEPLOYING" }]);
        const result = await killFlag(new AppConfigClient({}), target, () => undefined, 1);
        expect(result.stopped).toEqual([5]);
        expect(appconfig.commandCalls(StopDeploymentCommand)[0]!.args[0].input).toEqual({ ApplicationId: "abc1234", EnvironmentId: "env1234", DeploymentNumber: 5 });
        // Built on what ran before the rollout (version 7), not the version being rolled back.
        expect(result.baseVersion).toBe("7");
    });

    it.each([
        ["no application of that name", () => appconfig.on(ListApplicationsCommand).resolves({ Items: [] }), /No AppConfig application myapp-production/],
        ["no immediate strategy", () => appconfig.on(ListDeploymentStrategiesCommand).resolves({ Items: [] }), /no deployment strategy myapp-production-immediate: was the stack's flags layer applied/],
        ["nothing deployed yet", () => appconfig.on(ListDeploymentsCommand).resolves({ Items: [] }), /No completed flags deployment in production/],
        ["a rolled back kill", () => appconfig.on(GetDeploymentCommand).resolves({ State: "ROLLED_BACK" }), /AppConfig rolled the kill back \(deployment 6\)/],
    ])("refuses when there is %s, saying what to check", async (_what, change, message) => {
        fakeAppConfig();
        change();
        await expect(killFlag(new AppConfigClient({}), target, () => undefined, 1)).rejects.toThrow(message);
    });

    it("refuses a flag the running configuration does not have", () => {
        expect(() => withFlagOff(CONTENT, "nope")).toThrow(new KillError("The flag nope is not in the configuration this environment runs (its flags: new_ui_feature, external_api_calls)."));
    });
});

describe("npm run flags", () => {
    const io = () => {
        const out: string[] = [];
        const err: string[] = [];
        return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
    };

    it("lists the repository's flags with their state per environment and days to removal", async () => {
        const { out, io: sink } = io();
        expect(await main(["--today", "2027-01-01"], sink)).toBe(0);
        const text = out.join("");
        expect(text).toMatch(/^flag +type +owner +development +staging +production +remove by +due$/m);
        expect(text).toMatch(/^new_ui_feature +boolean +team-web +on +on +on for 10% +2027-06-30 +in 180 days$/m);
        expect(text).toMatch(/^external_api_calls .* permanent +permanent$/m);
    });

    it("kills on a cloud stack through AppConfig, in the stack's region, and says what to commit", async () => {
        fakeAppConfig();
        const { out, io: sink } = io();
        const code = await main(["kill", "new_ui_feature", "--stack", "production", "--reason", "INC-7"], sink, new AppConfigClient({ region: "us-east-1" }));
        expect(code).toBe(0);
        const text = out.join("");
        expect(text).toContain("Killing new_ui_feature in production (us-east-1)");
        expect(text).toMatch(/new_ui_feature is off in AppConfig \(deployment 6, version 9\) after \d+\.\d s\./);
        expect(text).toContain("within 30 s (its poll interval)");
        expect(text).toContain("flags/flags.yaml: flags.new_ui_feature.environments.production: { enabled: false }");
    });

    it.each([
        [["kill", "new_ui_feature", "--stack", "dev"], /Stack dev has no AppConfig/],
        [["kill", "no_such_flag", "--stack", "production"], /No flag no_such_flag in flags\/flags.yaml: its flags are external_api_calls, new_ui_feature, checkout_button_color/],
    ])("refuses %j with exit 1", async (argv, message) => {
        const { err, io: sink } = io();
        expect(await main(argv, sink, new AppConfigClient({}))).toBe(1);
        expect(err.join("")).toMatch(message);
    });

    it.each([[["kill", "x"]], [["--today", "tomorrow"]], [["list"]], [["--file"]], [["--bogus"]]])("exits 2 with the usage on %j", async (argv) => {
        const { err, io: sink } = io();
        expect(await main(argv, sink)).toBe(2);
        expect(err.join("")).toContain("Usage:");
    });

    it("parses its arguments", () => {
        expect(parseArgs([], new Date("2026-12-01T10:00:00Z"))).toEqual({ command: "list", file: "flags/flags.yaml", json: false, today: "2026-12-01" });
        expect(parseArgs(["kill", "f", "--stack", "staging"])).toEqual({ command: "kill", flag: "f", stack: "staging", reason: "killed with npm run flags -- kill" });
    });
});

describe("the listing", () => {
    const flags = parseFlags(
        "flags:\n  old_one:\n    description: Old.\n    owner: team-a\n    type: boolean\n    default: false\n    removeBy: 2026-11-30\n    environments: { development: { enabled: true }, staging: { enabled: true }, production: { enabled: true } }\n",
        "flags.yaml",
    ).flags!;

    it("marks an overdue flag and says the fix", () => {
        const rows = flagRows(flags, "2026-12-02");
        expect(rows[0]).toMatchObject({ key: "old_one", daysLeft: -2, removeBy: "2026-11-30" });
        const text = renderFlagList(rows, "flags.yaml");
        expect(text).toContain("OVERDUE by 2 days");
        expect(text).toContain("1 flag is overdue for removal (npm test fails until fixed):\n  old_one (owner team-a, due 2026-11-30): remove old_one from flags.yaml");
    });

    it.each([
        [undefined, "permanent"],
        [0, "today"],
        [1, "in 1 day"],
        [-1, "OVERDUE by 1 day"],
        [12, "in 12 days"],
    ])("says %s days as %s", (daysLeft, words) => {
        expect(dueText({ daysLeft })).toBe(words);
    });

    it("says how to add one when there are none", () => {
        expect(renderFlagList([], "flags.yaml")).toBe('No flags in flags.yaml. Add one: docs/flags.md, "Add a flag".\n');
    });
});
