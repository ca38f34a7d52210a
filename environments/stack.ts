import { getCallerIdentityOutput } from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ecrRegistryHost } from "../modules/registry/imageSource";
import { Problem, SettingsError } from "../settings/errors";
import { type Settings, type StackSettings, isBootstrap, withSources } from "../settings/load";
import { Layer, SHAPE_LAYERS, StackShape, stackShape } from "../settings/shape";
import { flagsSettingsProblems, flagsSidecar } from "./flags";
import { StackNames, stackNames } from "./names";
import { awsProviders } from "./providers";
import { composeWorkload, localAccessOutputs, localCluster, previewCluster, workloadSettingsProblems } from "./workload";

/** A stack's outputs, as `index.ts` exports them. */
export type Outputs = Record<string, pulumi.Input<unknown>>;

/**
 * Composes a stack from its settings: checks every layer's settings first (nothing is created
 * when one is wrong), then composes the layers of the stack's shape (settings/shape.ts).
 * Returns the stack outputs.
 */
export function composeStack(settings: StackSettings): Outputs {
    if (isBootstrap(settings)) {
        // The bootstrap stack has settings of its own, and one layer (settings/shape.ts).
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bootstrap stack's modules load with it only
        const { bootstrapSettingsProblems, composeBootstrapStack } = require("./bootstrap") as typeof import("./bootstrap");
        const problems = bootstrapSettingsProblems(settings);
        if (problems.length > 0) throw new SettingsError(settings.stack, problems);
        return composeBootstrapStack(settings);
    }
    const shape = stackShape(settings);
    if (shape === "bootstrap") throw new Error(`stack ${settings.stack}: only the bootstrap profile has the bootstrap shape`);
    const problems = stackSettingsProblems(settings, shape);
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    const names = stackNames(settings, shape);
    return {
        environment: settings.environment,
        profile: settings.profile,
        url: appUrl(settings),
        // What `npm run cost` holds the estimate to, whatever the shape (tools/cost.ts reads it from the plan).
        ...(settings.cost.monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd: settings.cost.monthlyBudgetUsd } : {}),
        ...COMPOSERS[shape](settings, names),
    };
}

/**
 * The layers' own checks of the settings, beyond the schema (they depend on the stack's shape).
 * The AWS layers load with their checks, for the stacks that compose them: dev and previews
 * never load the cloud modules.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- each AWS layer loads when a stack composes it */
const LAYER_PROBLEMS: Partial<Record<Layer, (settings: Settings, shape: StackShape) => Problem[]>> = {
    platform: (settings) => (require("./platform") as typeof import("./platform")).ciRunnerSettingsProblems(settings),
    secrets: (settings) => (require("./secrets") as typeof import("./secrets")).secretsSettingsProblems(settings),
    workload: workloadSettingsProblems,
    observability: (settings) => (require("./observability") as typeof import("./observability")).observabilitySettingsProblems(settings),
    flags: flagsSettingsProblems,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * What the layers this stack composes need of its settings beyond the schema (a secret a cloud
 * stack must have, a kube context for dev...), all of it, before any resource is registered: a
 * user sees every problem at once, and nothing is half-created. The layers themselves check
 * nothing again.
 */
export function stackSettingsProblems(settings: Settings, shape: StackShape = stackShape(settings)): Problem[] {
    return withSources(settings, SHAPE_LAYERS[shape].flatMap((layer) => LAYER_PROBLEMS[layer]?.(settings, shape) ?? []));
}

/**
 * One composer per shape: the layers of `SHAPE_LAYERS`, in that order (the bootstrap stack's:
 * environments/bootstrap.ts). The cloud composer is a file of its own (environments/cloudStack.ts),
 * loaded with the AWS layers for a cloud stack only.
 */
const COMPOSERS: Record<Exclude<StackShape, "bootstrap">, (settings: Settings, names: StackNames) => Outputs> = {
    local: composeLocalStack,
    preview: composePreviewStack,
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the AWS layers load with a cloud stack only
    cloud: (settings, names) => (require("./cloudStack") as typeof import("./cloudStack")).composeCloudStack(settings, names),
};

/** dev: the workload and its in-cluster stores on a local cluster; no AWS at all. */
function composeLocalStack(settings: Settings, names: StackNames): Outputs {
    const workload = composeWorkload(settings, names, { kubernetes: localCluster(settings, names), secrets: { kind: "inCluster" }, flags: flagsSidecar(settings, names, "local") });
    return { ...workload.outputs, ...localAccessOutputs(settings, workload) };
}

/** pr-<N>: the workload and its in-cluster stores in a namespace of the staging cluster (by StackReference). */
function composePreviewStack(settings: Settings, names: StackNames): Outputs {
    // Declared as on every AWS-platform stack: the account the preview pulls staging's repository from.
    const aws = awsProviders(settings, names);
    const workload = composeWorkload(settings, names, {
        kubernetes: previewCluster(settings, names),
        secrets: { kind: "inCluster" },
        flags: flagsSidecar(settings, names, "preview"),
        // Staging's ECR (same account and region), where CI pushes the pull request's image.
        registryHost: ecrRegistryHost(getCallerIdentityOutput({}, { provider: aws.primary }).accountId, settings.region),
    });
    return { region: settings.region, drRegion: settings.drRegion, ...workload.outputs };
}

/** The app's URL (runbook 1.1): `http://localhost:<port>` in development, `https://<host>` elsewhere. */
export function appUrl(settings: Pick<Settings, "hostname" | "app">): string {
    return settings.hostname === "localhost" ? `http://localhost:${settings.app.port}` : `https://${settings.hostname}`;
}
