import type { MockFn, MockRequest } from "../kit";

/**
 * EKS and ECR, in the shapes the AWS provider gives them: a cluster's endpoint, CA and OIDC
 * issuer; ids `<cluster>:<node group>`, `<cluster>:<add-on>`, `<cluster>:<principal ARN>` (access
 * entries), `<cluster>#<principal>#<policy>` (policy associations) and the association id of a
 * pod identity association (terraform-provider-aws eks/pod_identity_association.go: ID = AssociationID).
 */

/** The VPC of a cluster's first subnet, as EKS reports it in `vpcConfig.vpcId`. */
function vpcOfSubnets(r: MockRequest, vpcConfig: Record<string, unknown>): string {
    const subnets = Array.isArray(vpcConfig["subnetIds"]) ? (vpcConfig["subnetIds"] as unknown[]) : [];
    const known = r.lookup(typeof subnets[0] === "string" ? subnets[0] : undefined)?.["vpcId"];
    return typeof known === "string" ? known : r.ec2Id("vpc");
}

/** `arn:aws:iam::<account>:role/<path>/<name>` → the parts an access entry's ARN repeats. */
function principalParts(principalArn: string): { type: string; account: string; name: string } {
    const m = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(principalArn);
    return m ? { account: m[1]!, type: m[2]!, name: m[3]! } : { account: "", type: "role", name: principalArn };
}

export const CLUSTER: Record<string, MockFn> = {
    "aws:eks/cluster:Cluster": (r) => {
        const name = r.autoname("name", 100);
        const vpcConfig = (r.inputs["vpcConfig"] as Record<string, unknown> | undefined) ?? {};
        // EKS endpoints and OIDC issuers share one 32-character id (AWS's docs: EXAMPLED539D4633E53DE1B71EXAMPLE).
        const endpointId = r.upper(32);
        const pem = `-----BEGIN CERTIFICATE-----\n${r.upper(64, "ca")}\n-----END CERTIFICATE-----\n`;
        return {
            id: name,
            outputs: {
                name,
                arn: r.arn("eks", `cluster/${name}`),
                clusterId: r.uuid("cluster-id"),
                endpoint: `https://${endpointId}.gr7.${r.region}.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from(pem).toString("base64") },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${r.region}.amazonaws.com/id/${endpointId}` }] }],
                vpcConfig: { ...vpcConfig, clusterSecurityGroupId: r.ec2Id("sg"), vpcId: vpcOfSubnets(r, vpcConfig) },
                status: "ACTIVE",
                platformVersion: "eks.1",
            },
        };
    },
    "aws:eks/nodeGroup:NodeGroup": (r) => {
        const cluster = r.need("clusterName");
        const nodeGroupName = r.autoname("nodeGroupName", 63);
        return {
            id: `${cluster}:${nodeGroupName}`,
            outputs: { nodeGroupName, arn: r.arn("eks", `nodegroup/${cluster}/${nodeGroupName}/${r.uuid()}`), status: "ACTIVE" },
        };
    },
    "aws:eks/addon:Addon": (r) => {
        const cluster = r.need("clusterName");
        const addon = r.need("addonName");
        return { id: `${cluster}:${addon}`, outputs: { arn: r.arn("eks", `addon/${cluster}/${addon}/${r.uuid()}`) } };
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": (r) => {
        const associationId = `a-${r.hex(17)}`;
        return { id: associationId, outputs: { associationId, associationArn: r.arn("eks", `podidentityassociation/${r.need("clusterName")}/${associationId}`) } };
    },
    "aws:eks/accessEntry:AccessEntry": (r) => {
        const cluster = r.need("clusterName");
        const principal = r.need("principalArn");
        const p = principalParts(principal);
        return {
            id: `${cluster}:${principal}`,
            outputs: { accessEntryArn: r.arn("eks", `access-entry/${cluster}/${p.type}/${p.account}/${p.name}/${r.uuid()}`), type: r.str("type") ?? "STANDARD" },
        };
    },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (r) => ({
        id: `${r.need("clusterName")}#${r.need("principalArn")}#${r.need("policyArn")}`,
    }),
    "aws:ecr/repository:Repository": (r) => {
        const name = r.autoname("name", 256);
        return {
            id: name,
            outputs: { name, arn: r.arn("ecr", `repository/${name}`), registryId: r.account, repositoryUrl: `${r.account}.dkr.ecr.${r.region}.amazonaws.com/${name}` },
        };
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": (r) => ({ id: r.need("repository"), outputs: { registryId: r.account } }),
    // terraform-provider-aws ecr/replication_configuration.go: d.SetId(registryID), one per registry and region.
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": (r) => ({ id: r.account, outputs: { registryId: r.account } }),
    // terraform-provider-aws ecr/pull_through_cache_rule.go: d.SetId(repositoryPrefix), one per prefix and registry.
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": (r) => ({ id: r.need("ecrRepositoryPrefix"), outputs: { registryId: r.account } }),
};
