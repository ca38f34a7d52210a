import type { MockFn } from "../kit";

/**
 * IAM: global, so no region in its ARNs. Ids as the AWS provider sets them: a role's and a
 * managed policy's name and ARN, `<role>:<policy>` for inline policies, and for attachments the
 * provider's legacy `<role>-<unique id>`.
 */
export const IAM: Record<string, MockFn> = {
    "aws:iam/role:Role": (r) => {
        const name = r.autoname("name", 64);
        const path = r.str("path") ?? "/";
        return { id: name, outputs: { name, arn: r.globalArn("iam", `role${path}${name}`), uniqueId: `AROA${r.upper(17)}` } };
    },
    "aws:iam/policy:Policy": (r) => {
        const name = r.autoname("name", 128);
        const arn = r.globalArn("iam", `policy${r.str("path") ?? "/"}${name}`);
        return { id: arn, outputs: { name, arn, policyId: `ANPA${r.upper(17)}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": (r) => {
        const name = r.autoname("name", 128);
        return { id: `${r.need("role")}:${name}`, outputs: { name } };
    },
    // terraform-provider-aws iam/openid_connect_provider.go: d.SetId(ARN); the ARN names the issuer's host and path.
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (r) => {
        const arn = r.globalArn("iam", `oidc-provider/${r.need("url").replace(/^https:\/\//, "")}`);
        return { id: arn, outputs: { arn } };
    },
    // terraform-provider-aws iam/role_policy_attachment.go: d.SetId(id.PrefixedUniqueId(role + "-")).
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (r) => ({ id: `${r.need("role")}-${r.hex(26)}` }),
};
