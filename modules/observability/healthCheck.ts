import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Route53 publishes health-check metrics (`AWS/Route53 HealthCheckStatus`) in us-east-1 only,
 * whatever the stack's region: the service-down alarm and its topic live there.
 */
export const HEALTH_CHECK_METRICS_REGION = "us-east-1";

/** The health endpoint of runbook 3.7. */
export const HEALTH_PATH = "/health";

/** Settings of the public health check (checkers in several AWS regions probing the real URL). */
export interface HealthCheckSpec {
    hostname: string;
    searchString: string;
    /** Seconds between a checker's requests: 10 (fast) so that a failure shows within the runbook's minute. */
    requestIntervalSeconds: 10 | 30;
    /** Consecutive failures before a checker calls the endpoint unhealthy. */
    failureThreshold: number;
}

/** The health check's inputs. Pure, for tests. */
export function healthCheckArgs(spec: HealthCheckSpec, name: string): aws.route53.HealthCheckArgs {
    return {
        type: "HTTPS_STR_MATCH",
        fqdn: spec.hostname,
        port: 443,
        enableSni: true,
        resourcePath: HEALTH_PATH,
        // Route53 wants a 2xx or 3xx and then this text in the first 5,120 bytes: a 503
        // (unhealthy, runbook 3.7) fails before the body is read.
        searchString: spec.searchString,
        requestInterval: spec.requestIntervalSeconds,
        failureThreshold: spec.failureThreshold,
        measureLatency: true,
        tags: { Name: name },
    };
}

export interface ServiceHealthCheckArgs extends HealthCheckSpec {
    provider: aws.Provider;
}

/** The public health check on `https://<host>/health`; its alarm is "service down". */
export class ServiceHealthCheck extends pulumi.ComponentResource {
    readonly id: pulumi.Output<string>;

    constructor(name: string, args: ServiceHealthCheckArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:observability:ServiceHealthCheck", name, {}, opts);
        const { provider, ...spec } = args;
        const check = new aws.route53.HealthCheck(`${name}-health`, healthCheckArgs(spec, `${name}-health`), { parent: this, provider });
        this.id = check.id;
        this.registerOutputs({ id: this.id });
    }
}
