import type * as pulumi from "@pulumi/pulumi";
import type { AwsProviders } from "../modules/aws/providers";
import type { Roles } from "../modules/aws/roles";
import { AppIdentity } from "../modules/identity";
import { businessMetricsStatement } from "../modules/observability";
import type { Settings } from "../settings/load";
import type { StackNames } from "./names";

/**
 * The app's AWS identity on a cloud stack (modules/identity): its Pod Identity role, with the
 * business metrics policy (docs/observability.md, "Business metrics the app publishes"). Other
 * layers attach their own policies to `role` with `attachPolicy(<purpose>, <document>)`.
 */
export function composeAppIdentity(settings: Settings, names: StackNames, deps: { providers: AwsProviders; clusterName: pulumi.Input<string>; roles: Roles }): AppIdentity {
    return new AppIdentity(names.appIdentity, {
        clusterName: deps.clusterName,
        namespace: names.workload.namespace,
        // modules/workload AppWorkload names the app's service account after the app.
        serviceAccount: names.workload.app,
        policies: { "business-metrics": [businessMetricsStatement(settings.appName)] },
        provider: deps.providers.primary,
        roles: deps.roles,
    });
}
