import { AwsProviders, createAwsProviders } from "../modules/aws/providers";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";

/**
 * The AWS providers of the primary and DR regions, with the tags every AWS resource carries. A DR
 * rebuild (`dr.rebuildOf`) has its own region's only: its DR region is the one that failed.
 */
export function awsProviders(settings: Settings, names: StackNames): AwsProviders {
    return createAwsProviders(names.awsProviders, {
        region: settings.region,
        ...(settings.dr.rebuildOf === undefined ? { drRegion: settings.drRegion } : {}),
        tags: { environment: settings.environment, project: settings.appName, owner: settings.owner, costCenter: settings.costCenter },
    });
}
