import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What every AWS resource is tagged with, through the providers' default tags. */
export interface ResourceTags {
    environment: string;
    project: string;
    owner: string;
    costCenter: string;
}

/** The tag map: `environment`, `project`, `owner`, `cost-center`, `managed-by`. */
export function tagMap(tags: ResourceTags): Record<string, string> {
    return {
        environment: tags.environment,
        project: tags.project,
        owner: tags.owner,
        "cost-center": tags.costCenter,
        "managed-by": "pulumi",
    };
}

export interface AwsProvidersArgs {
    /** Primary region. */
    region: string;
    /**
     * Disaster-recovery region: backup copies and replicas are created through this provider.
     * Unset: no DR provider at all (a DR rebuild, whose DR region is the failed one).
     */
    drRegion?: string;
    tags: ResourceTags;
}

/** One explicit provider per region. */
export interface AwsProviders {
    primary: aws.Provider;
    /** Absent on a stack that must not reach its DR region (a DR rebuild: settings `dr.rebuildOf`). */
    dr?: aws.Provider;
}

/** Providers of both regions, for what always spans them (the bootstrap stack's state backend). */
export interface BothRegionProviders extends AwsProviders {
    dr: aws.Provider;
}

/**
 * Explicit AWS providers for the primary and DR regions. Every AWS resource names one of them,
 * so no resource can land in whatever region the engineer's shell happens to default to, and the
 * default tags reach every resource (a policy check verifies both).
 */
export function createAwsProviders(name: string, args: AwsProvidersArgs & { drRegion: string }, opts?: pulumi.ResourceOptions): BothRegionProviders;
export function createAwsProviders(name: string, args: AwsProvidersArgs, opts?: pulumi.ResourceOptions): AwsProviders;
export function createAwsProviders(name: string, args: AwsProvidersArgs, opts?: pulumi.ResourceOptions): AwsProviders {
    const defaultTags = { tags: tagMap(args.tags) };
    return {
        primary: new aws.Provider(`${name}-${args.region}`, { region: args.region as aws.Region, defaultTags }, opts),
        ...(args.drRegion !== undefined ? { dr: new aws.Provider(`${name}-dr-${args.drRegion}`, { region: args.drRegion as aws.Region, defaultTags }, opts) } : {}),
    };
}
