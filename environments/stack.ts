import * as pulumi from "@pulumi/pulumi";
import { createAwsProviders } from "../modules/aws/providers";
import type { Settings } from "./load";

/**
 * Composes the layers of a stack from its settings: the AWS platform layer for cloud stacks,
 * then the workload every stack deploys. Returns the stack outputs.
 */
export function composeStack(settings: Settings): Record<string, pulumi.Input<unknown>> {
    const aws =
        settings.platform === "aws"
            ? createAwsProviders(settings.appName, {
                  region: settings.region,
                  drRegion: settings.drRegion,
                  tags: {
                      environment: settings.environment,
                      project: settings.appName,
                      owner: settings.owner,
                      costCenter: settings.costCenter,
                  },
              })
            : undefined;

    return {
        environment: settings.environment,
        profile: settings.profile,
        url: appUrl(settings),
        ...(aws ? { region: settings.region, drRegion: settings.drRegion } : {}),
    };
}

/** The app's URL (runbook 1.1): `http://localhost:<port>` in development, `https://<host>` elsewhere. */
export function appUrl(settings: Pick<Settings, "hostname" | "app">): string {
    return settings.hostname === "localhost" ? `http://localhost:${settings.app.port}` : `https://${settings.hostname}`;
}
