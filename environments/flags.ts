import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import type { RoleStatement, Roles } from "../modules/aws/roles";
import { Flag, FeatureFlags, LocalFlags, agentSidecar, hostedContent, localContent, localFileName, parseFlags } from "../modules/flags";
import { rebuildImage } from "../modules/dr/imageCache";
import type { PodSidecar } from "../modules/workload";
import type { Problem } from "../settings/errors";
import type { Settings } from "../settings/load";
import type { StackShape } from "../settings/shape";
import type { StackNames } from "./names";

/**
 * The feature-flags layer (runbook 2.4, 1.2, 3.8 step 4): `flags/flags.yaml` checked before
 * anything is created; the AppConfig Agent beside the app in every track's pods; on a cloud stack
 * the flags in AWS AppConfig, rolled out gradually and rolled back by the error-rate and latency
 * alarms; on dev and pr-<N> the same URL served from a ConfigMap by the agent's local mode.
 */

/** The project root: `flags.file` is relative to it. */
const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The alarms a flags deployment watches: one in ALARM rolls it back (docs/runbooks/<slug>.md). */
export const FLAG_MONITORS = ["error-rate-high", "latency-p95-high"] as const;

/** The flags files checked so far, by name and text (nothing reads a parsed flag to change it). */
const PARSED = new Map<string, ReturnType<typeof parseFlags>>();

/** The flags file as the stack's settings name it: its checked flags, or its problems. */
export function readFlags(settings: Pick<Settings, "flags">): { flags: Flag[]; problems: Problem[] } {
    const file = settings.flags.file;
    let text: string;
    try {
        text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
    } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
        return {
            flags: [],
            problems: [{ key: "ops:flags.file", received: `${JSON.stringify(file)} (${reason})`, allowed: "the flags file, relative to the project root (flags/flags.yaml)", fix: `create ${file} with \`flags: {}\`, or set flags.file to the file` }],
        };
    }
    // The pre-check and the layers each read the file: it is parsed and checked once per text.
    const memo = `${file}\0${text}`;
    const parsed = PARSED.get(memo) ?? parseFlags(text, file);
    PARSED.set(memo, parsed);
    return parsed.flags ? { flags: parsed.flags, problems: [] } : { flags: [], problems: parsed.problems };
}

/** The pre-check's part: every problem of the flags file (an overdue flag is not one: it fails `npm test`, never an emergency deploy). */
export function flagsSettingsProblems(settings: Settings): Problem[] {
    return readFlags(settings).problems;
}

/** The flags of a stack whose pre-check passed. */
function flagsOf(settings: Settings): Flag[] {
    return readFlags(settings).flags;
}

/** What the workload adds to its pods: the agent, the app's variable, and on dev and pr-<N> the ConfigMap the agent reads. */
export interface FlagsSidecar {
    sidecar: PodSidecar;
    /** `FEATURE_FLAGS_URL`, for the app's ConfigMap. */
    config: Record<string, string>;
    /** Makes what the pods mount, once the namespace exists; the Deployments wait for it. */
    inNamespace?: (namespace: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions) => pulumi.Resource[];
}

/** The agent beside the app: AppConfig on a cloud stack, the local development mode elsewhere. */
export function flagsSidecar(settings: Settings, names: StackNames, shape: StackShape, imageCacheHost?: pulumi.Input<string>): FlagsSidecar {
    const n = names.flags;
    const base = { image: rebuildImage(imageCacheHost, settings.flags.agentImage, settings.region), region: settings.region, endpoint: n.endpoint, pollIntervalSeconds: settings.flags.pollIntervalSeconds, runAsUser: settings.app.runAsUser };
    if (shape === "cloud") {
        const { env, ...sidecar } = agentSidecar({ ...base, source: { kind: "appconfig" } });
        return { sidecar, config: env };
    }
    const local = localContent(flagsOf(settings), settings.environment);
    const { env, ...sidecar } = agentSidecar({ ...base, source: { kind: "local", configMapName: n.localConfigMap, fileName: localFileName(n.endpoint, local.extension) } });
    return {
        sidecar,
        config: env,
        inNamespace: (namespace, opts) => [
            new LocalFlags(n.component, { namespace, name: n.localConfigMap, text: local.text, labels: { "app.kubernetes.io/part-of": names.workload.app, "app.kubernetes.io/component": "feature-flags" } }, opts).configMap,
        ],
    };
}

export interface FlagsDeps {
    providers: AwsProviders;
    /** Alarm ARNs by slug (the observability layer's): the rollouts watch `FLAG_MONITORS`. */
    alarmArns: Record<string, pulumi.Output<string>>;
    /** The app's Pod Identity role: the agent's read is attached to it, as its `feature-flags` policy. */
    appIdentity: { attachPolicy(purpose: string, statements: RoleStatement[]): unknown };
    /** Where the layer's roles come from (modules/aws/roles.ts). */
    roles: Roles;
    /** The `logs` key: the deployment events' log group is encrypted with it. */
    logsKeyArn: pulumi.Input<string>;
}

/** The flags of a cloud stack in AppConfig, and the stack output the kill switch and the docs read. */
export function composeFlags(settings: Settings, names: StackNames, deps: FlagsDeps): { outputs: Record<string, pulumi.Input<unknown>> } {
    const n = names.flags;
    const monitors = FLAG_MONITORS.filter((slug) => deps.alarmArns[slug] !== undefined).map((slug) => ({ slug, alarmArn: deps.alarmArns[slug]! }));
    const flags = new FeatureFlags(n.component, {
        endpoint: n.endpoint,
        namePrefix: n.namePrefix,
        content: hostedContent(flagsOf(settings), settings.environment),
        monitors,
        rollout: settings.flags.rollout,
        deploymentLog: { name: n.deploymentsLogGroup, retentionDays: settings.logging.retentionDays, kmsKeyArn: deps.logsKeyArn },
        region: settings.region,
        provider: deps.providers.primary,
        roles: deps.roles,
        // modules/aws/providers.ts tagMap: every resource carries the stack's environment.
        readScopeTag: { key: "environment", value: settings.environment },
    });
    deps.appIdentity.attachPolicy("feature-flags", flags.agentPolicy);
    return {
        outputs: {
            featureFlags: {
                ...n.endpoint,
                region: settings.region,
                applicationId: flags.applicationId,
                environmentId: flags.environmentId,
                profileId: flags.profileId,
                immediateStrategyId: flags.immediateStrategyId,
                killCommand: `npm run flags -- kill <flag> --stack ${settings.stack}`,
            },
        },
    };
}
