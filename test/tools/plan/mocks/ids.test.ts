import { isRegional } from "../../../../tools/plan/mocks/registry";
import { PlannedResource, loadPlan } from "../../../helpers/plan";
import { plannedStacks } from "../../../helpers/stacks";

/**
 * Every resource id in every stack's plan has the shape the provider gives that type's id: the
 * physical name for many, the ARN for some (secrets, topics, load balancers, certificates),
 * composite ids for attachments, `<prefix>-<17 hex>` for EC2, UUIDs where AWS issues them.
 * Sources: the provider's import ids (@pulumi/aws `## Import` sections), and where the id
 * differs from the import id, terraform-provider-aws's `d.SetId` (noted per rule).
 */

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const REGION = "[a-z]{2}(?:-[a-z]+)+-\\d";
const ACCOUNT = "\\d{12}";

type Rule = RegExp | ((r: PlannedResource) => string | RegExp);

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const input = (r: PlannedResource, key: string): string => String(r.inputs[key]);
const exactly = (...parts: string[]): RegExp => new RegExp(`^${parts.join("")}$`);

/** The name input, or a Pulumi autoname: the logical name (cut to fit) and seven hex characters. */
function named(key = "name"): (r: PlannedResource) => RegExp {
    return (r) => exactly(nameOf(r, key));
}
function nameOf(r: PlannedResource, key = "name"): string {
    const given = r.inputs[key];
    return typeof given === "string" ? escape(given) : `${escape(r.name.slice(0, 8))}[a-z0-9-]*-[0-9a-f]{7}`;
}
const ec2 = (prefix: string): RegExp => exactly(prefix, "-[0-9a-f]{17}");
const same = (key: string) => (r: PlannedResource) => input(r, key);

const RULES: Record<string, Rule> = {
    "aws:acm/certificate:Certificate": exactly(`arn:aws:acm:${REGION}:${ACCOUNT}:certificate/${UUID}`),
    // acm/certificate_validation.go: d.SetId(IssuedAt.String()), Go's time format.
    "aws:acm/certificateValidation:CertificateValidation": /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? \+0000 UTC$/,
    // AppConfig: 7 lower-case letters and digits; appconfig/environment.go and configuration_profile.go
    // set `<own id>:<application id>`, hosted_configuration_version.go `<application>/<profile>/<version>`,
    // deployment.go `<application>/<environment>/<number>`.
    "aws:appconfig/application:Application": /^[a-z0-9]{4,7}$/,
    "aws:appconfig/environment:Environment": (r) => exactly("[a-z0-9]{4,7}:", escape(input(r, "applicationId"))),
    "aws:appconfig/configurationProfile:ConfigurationProfile": (r) => exactly("[a-z0-9]{4,7}:", escape(input(r, "applicationId"))),
    "aws:appconfig/deploymentStrategy:DeploymentStrategy": /^[a-z0-9]{4,7}$/,
    "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": (r) => exactly(escape(input(r, "applicationId")), "/", escape(input(r, "configurationProfileId")), "/\\d+"),
    "aws:appconfig/deployment:Deployment": (r) => exactly(escape(input(r, "applicationId")), "/", escape(input(r, "environmentId")), "/\\d+"),
    "aws:appconfig/extensionAssociation:ExtensionAssociation": /^[a-z0-9]{4,7}$/,
    "aws:backup/plan:Plan": exactly(UUID),
    "aws:backup/selection:Selection": exactly(UUID),
    "aws:backup/vault:Vault": same("name"),
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": same("backupVaultName"),
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": same("name"),
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": (r) => `${input(r, "name")}:${input(r, "restoreTestingPlanName")}`,
    // budgets/budget.go: d.SetId(BudgetCreateResourceID(accountID, name)), `<account>:<name>` (also its import id).
    "aws:budgets/budget:Budget": (r) => exactly(ACCOUNT, ":", escape(input(r, "name"))),
    "aws:cloudwatch/dashboard:Dashboard": same("dashboardName"),
    "aws:cloudwatch/eventRule:EventRule": named(),
    // events/target.go: `<rule>-<target id>`; without a target id the SDK's `terraform-<26 characters>`.
    "aws:cloudwatch/eventTarget:EventTarget": (r) =>
        exactly(escape(input(r, "rule")), "-", typeof r.inputs["targetId"] === "string" ? escape(input(r, "targetId")) : "terraform-[0-9a-f]{26}"),
    "aws:cloudwatch/logGroup:LogGroup": named(),
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": same("policyName"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": named(),
    "aws:cloudwatch/queryDefinition:QueryDefinition": exactly(UUID),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg"),
    "aws:ec2/eip:Eip": ec2("eipalloc"),
    "aws:ec2/flowLog:FlowLog": ec2("fl"),
    "aws:ec2/internetGateway:InternetGateway": ec2("igw"),
    "aws:ec2/launchTemplate:LaunchTemplate": ec2("lt"),
    "aws:ec2/natGateway:NatGateway": ec2("nat"),
    "aws:ec2/routeTable:RouteTable": ec2("rtb"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2("rtbassoc"),
    "aws:ec2/securityGroup:SecurityGroup": ec2("sg"),
    "aws:ec2/subnet:Subnet": ec2("subnet"),
    "aws:ec2/vpc:Vpc": ec2("vpc"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("sgr"),
    // codebuild/project.go: d.SetId(ARN); codebuild/webhook.go: d.SetId(project name).
    "aws:codebuild/project:Project": (r) => exactly(`arn:aws:codebuild:${REGION}:${ACCOUNT}:project/`, escape(input(r, "name"))),
    "aws:codebuild/webhook:Webhook": same("projectName"),
    "aws:ecr/repository:Repository": same("name"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": same("repository"),
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": same("ecrRepositoryPrefix"),
    "aws:eks/cluster:Cluster": same("name"),
    "aws:eks/accessEntry:AccessEntry": (r) => `${input(r, "clusterName")}:${input(r, "principalArn")}`,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (r) => `${input(r, "clusterName")}#${input(r, "principalArn")}#${input(r, "policyArn")}`,
    "aws:eks/addon:Addon": (r) => `${input(r, "clusterName")}:${input(r, "addonName")}`,
    "aws:eks/nodeGroup:NodeGroup": (r) => exactly(escape(input(r, "clusterName")), ":", nameOf(r, "nodeGroupName")),
    // eks/pod_identity_association.go: data.ID = data.AssociationID (`a-` and 17 characters).
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": /^a-[0-9a-z]{17}$/,
    "aws:elasticache/replicationGroup:ReplicationGroup": same("replicationGroupId"),
    "aws:elasticache/subnetGroup:SubnetGroup": named(),
    "aws:iam/role:Role": named(),
    // iam/openid_connect_provider.go and iam/policy.go: d.SetId(ARN).
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": exactly(`arn:aws:iam::${ACCOUNT}:oidc-provider/token\\.actions\\.githubusercontent\\.com`),
    "aws:iam/policy:Policy": (r) => exactly(`arn:aws:iam::${ACCOUNT}:policy/`, nameOf(r)),
    "aws:iam/rolePolicy:RolePolicy": (r) => exactly(escape(input(r, "role")), ":", nameOf(r)),
    // iam/role_policy_attachment.go: d.SetId(id.PrefixedUniqueId(role + "-")).
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (r) => exactly(escape(input(r, "role")), "-[0-9a-f]{26}"),
    "aws:kms/alias:Alias": same("name"),
    "aws:kms/key:Key": exactly(`(?:${UUID}|mrk-[0-9a-f]{32})`),
    // kms/replica_key.go: d.SetId(key id), the primary's own (`mrk-…`).
    "aws:kms/replicaKey:ReplicaKey": (r) => input(r, "primaryKeyArn").replace(/^.*:key\//, ""),
    "aws:lambda/function:Function": same("name"),
    "aws:lambda/permission:Permission": named("statementId"),
    // <function>_<qualifier>_<md5 of the input> (terraform-provider-aws lambda/invocation.go).
    "aws:lambda/invocation:Invocation": /^[A-Za-z0-9-_]+_\$LATEST_[0-9a-f]{32}$/,
    "aws:lb/loadBalancer:LoadBalancer": exactly(`arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}`),
    "aws:lb/targetGroup:TargetGroup": exactly(`arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}`),
    "aws:lb/listener:Listener": (r) => exactly(escape(input(r, "loadBalancerArn").replace(":loadbalancer/", ":listener/")), "/[0-9a-f]{16}"),
    "aws:lb/listenerRule:ListenerRule": (r) => exactly(escape(input(r, "listenerArn").replace(":listener/", ":listener-rule/")), "/[0-9a-f]{16}"),
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": exactly(ACCOUNT),
    // Since provider 5 the id is the DBI resource id (hashicorp/terraform-provider-aws#31232).
    "aws:rds/instance:Instance": /^db-[A-Z0-9]{26}$/,
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": exactly(`arn:aws:rds:${REGION}:${ACCOUNT}:auto-backup:ab-[a-z0-9]+`),
    "aws:rds/parameterGroup:ParameterGroup": named(),
    "aws:rds/subnetGroup:SubnetGroup": named(),
    "aws:route53/healthCheck:HealthCheck": exactly(UUID),
    // <zone>_<name>_<type>[_<set identifier>] (terraform-provider-aws route53/record.go).
    "aws:route53/record:Record": (r) => `${input(r, "zoneId")}_${input(r, "name").replace(/\.$/, "")}_${input(r, "type")}${r.inputs["setIdentifier"] ? `_${String(r.inputs["setIdentifier"])}` : ""}`,
    "aws:route53/zone:Zone": /^Z[A-Z0-9]{1,31}$/,
    "aws:s3/bucket:Bucket": named("bucket"),
    "aws:s3/bucketPolicy:BucketPolicy": same("bucket"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": same("bucket"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": same("bucket"),
    "aws:s3/bucketVersioning:BucketVersioning": same("bucket"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": same("bucket"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": same("bucket"),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": same("bucket"),
    "aws:scheduler/schedule:Schedule": (r) => exactly(escape(typeof r.inputs["groupName"] === "string" ? input(r, "groupName") : "default"), "/", nameOf(r)),
    "aws:secretsmanager/secret:Secret": (r) => exactly(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:`, escape(input(r, "name")), "-[A-Za-z0-9]{6}"),
    "aws:secretsmanager/secretRotation:SecretRotation": same("secretId"),
    "aws:secretsmanager/secretVersion:SecretVersion": (r) => exactly(escape(input(r, "secretId")), `\\|${UUID}`),
    "aws:sns/topic:Topic": (r) => exactly(`arn:aws:sns:${REGION}:${ACCOUNT}:`, escape(input(r, "name"))),
    "aws:sns/topicPolicy:TopicPolicy": same("arn"),
    "aws:sns/topicSubscription:TopicSubscription": (r) => exactly(escape(input(r, "topic")), `:${UUID}`),
    "aws:wafv2/webAcl:WebAcl": exactly(UUID),
    "aws:wafv2/webAclAssociation:WebAclAssociation": (r) => `${input(r, "webAclArn")},${input(r, "resourceArn")}`,
    "kubernetes:helm.sh/v3:Release": (r) => `${input(r, "namespace")}/${input(r, "name")}`,
    "pulumi:providers:aws": exactly(UUID),
    "pulumi:providers:kubernetes": exactly(UUID),
    "pulumi:pulumi:StackReference": same("name"),
    // The random provider's id for passwords and bytes is `none`: a result must never be an id.
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": same("resourceArn"),
    "random:index/randomPassword:RandomPassword": /^none$/,
    "random:index/randomBytes:RandomBytes": /^none$/,
};

/** Kinds the Kubernetes API does not namespace (`kubectl api-resources --namespaced=false`). */
const CLUSTER_SCOPED = new Set(["kubernetes:core/v1:Namespace", "kubernetes:storage.k8s.io/v1:StorageClass"]);

/** Kubernetes objects: `<namespace>/<name>`, or the name for cluster-scoped kinds. */
function kubernetesId(r: PlannedResource): RegExp {
    const metadata = (r.inputs["metadata"] ?? {}) as Record<string, unknown>;
    const name = typeof metadata["name"] === "string" ? escape(metadata["name"]) : `${escape(r.name)}-[0-9a-z]{8}`;
    if (CLUSTER_SCOPED.has(r.type)) return exactly(name);
    return exactly(typeof metadata["namespace"] === "string" ? escape(metadata["namespace"]) : "default", "/", name);
}

function ruleFor(r: PlannedResource): RegExp | string | undefined {
    if (r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release") return kubernetesId(r);
    const rule = RULES[r.type];
    return typeof rule === "function" ? rule(r) : rule;
}

describe.each(plannedStacks())("resource ids in %s", (stack) => {
    const plan = loadPlan(stack);
    const custom = plan.resources.filter((r) => r.custom);
    const regionOf = (r: PlannedResource): string => String(plan.resources.find((p) => p.urn === r.provider)?.inputs["region"] ?? "");

    it("are what the provider gives each type", () => {
        expect(custom.length).toBeGreaterThan(10);
        const problems: string[] = [];
        for (const r of custom) {
            const rule = ruleFor(r);
            if (rule === undefined) problems.push(`${r.type}: no rule in this test`);
            else if (typeof rule === "string" ? r.id !== rule : !rule.test(r.id ?? "")) problems.push(`${r.type} ${r.name}: ${String(r.id)} is not ${String(rule)}`);
        }
        expect(problems).toEqual([]);
    });

    it("are unique within a type and region (random resources all have the id none)", () => {
        const seen = new Set<string>();
        const clashes = custom.filter((r) => !r.type.startsWith("random:")).filter((r) => {
            // A regional id (a KMS alias's name) may repeat in another region; a global one (IAM) may not.
            const key = `${r.type} ${isRegional(r.type) ? regionOf(r) : ""} ${String(r.id)}`;
            const clash = seen.has(key);
            seen.add(key);
            return clash;
        });
        expect(clashes.map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });
});
