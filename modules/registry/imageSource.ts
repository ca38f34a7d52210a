import * as pulumi from "@pulumi/pulumi";

/**
 * Where a cloud stack's app image may come from: its own region's ECR, never Docker Hub or another
 * region's registry, so a regional outage elsewhere (or Docker Hub's rate limits) never stops a
 * pull. Pure, so the settings rule and the composition agree, and tested alone.
 */

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>`: an ECR repository URL, parsed. */
const ECR_URL = /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)$/;

/** An ECR repository URL's parts, or undefined for anything else. */
export function parseEcrRepository(repository: string): { account: string; region: string; name: string } | undefined {
    const m = ECR_URL.exec(repository);
    return m ? { account: m[1]!, region: m[2]!, name: m[3]! } : undefined;
}

/** A registry host named in a repository (`host[:port]/...`, a host having a dot or a port, or `localhost`), as Docker reads it. */
export function registryHostOf(repository: string): string | undefined {
    const first = repository.split("/")[0]!;
    return repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : undefined;
}

/** The stack's own ECR registry host. */
export function ecrRegistryHost(accountId: pulumi.Input<string>, region: string): pulumi.Output<string> {
    const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return pulumi.interpolate`${accountId}.dkr.ecr.${region}.${suffix}`;
}

/**
 * Why a repository is not an allowed source of a cloud stack's image in `region`, or undefined:
 * a full ECR URL in that region, or the bare name of one of `ownRepositories` (the stack's registry
 * repository, which the program completes with its own region's registry host).
 */
export function imageSourceProblem(repository: string, region: string, ownRepositories: readonly string[]): string | undefined {
    const ecr = parseEcrRepository(repository);
    if (ecr) return ecr.region === region ? undefined : `an ECR repository in ${ecr.region}, not this stack's region ${region}: a pull would depend on another region`;
    if (registryHostOf(repository) !== undefined) return `a registry other than ECR in ${region}`;
    if (ownRepositories.includes(repository)) return undefined;
    return "a bare Docker Hub name (Docker Hub is neither in this region nor under the account's control)";
}

/** Whether a repository is a bare name the program completes with the stack's own registry host. */
export function isBareRepository(repository: string): boolean {
    return registryHostOf(repository) === undefined;
}
