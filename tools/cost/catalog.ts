import { backupPlan } from "./pricers/backup";
import { ecrRepository, eksCluster, nodeGroup } from "./pricers/compute";
import { automatedBackupsReplication, bucketReplication, rdsInstance, replicationGroup, s3Bucket } from "./pricers/data";
import { eip, healthCheck, hostedZone, loadBalancer, natGateway, vpcEndpoint, webAcl } from "./pricers/network";
import { dashboard, kmsKey, lambdaFunction, logGroup, metricAlarm, schedule, secret } from "./pricers/observability";
import type { Pricer } from "./pricers/types";
import { workload } from "./pricers/workload";

/** The resource types the estimate prices, each with its pricer (tools/cost/pricers/). */
export const PRICERS: Readonly<Record<string, Pricer>> = {
    "aws:eks/cluster:Cluster": eksCluster,
    "aws:eks/nodeGroup:NodeGroup": nodeGroup,
    "aws:ecr/repository:Repository": ecrRepository,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": eip,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:route53/zone:Zone": hostedZone,
    "aws:route53/healthCheck:HealthCheck": healthCheck,
    "aws:rds/instance:Instance": rdsInstance,
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": automatedBackupsReplication,
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:s3/bucket:Bucket": s3Bucket,
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketReplication,
    "aws:backup/plan:Plan": backupPlan,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:cloudwatch/dashboard:Dashboard": dashboard,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:kms/key:Key": kmsKey,
    // A multi-Region replica is billed as a key of its own (AWS KMS pricing: "each multi-Region replica key").
    "aws:kms/replicaKey:ReplicaKey": kmsKey,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:lambda/function:Function": lambdaFunction,
    "aws:scheduler/schedule:Schedule": schedule,
    "kubernetes:apps/v1:Deployment": workload,
    "kubernetes:apps/v1:StatefulSet": workload,
};

/** Types with no charge of their own, each with the reason (a charge they drive is priced where it arises). */
export const FREE_TYPES: Readonly<Record<string, string>> = {
    "aws:iam/role:Role": "IAM has no charge",
    // AppConfig charges per configuration request and per configuration received (usage, from
    // the agents' polls), nothing for the resources.
    "aws:appconfig/application:Application": "no standing charge: AppConfig bills requests and configurations received (usage)",
    "aws:appconfig/environment:Environment": "no standing charge: AppConfig bills requests and configurations received (usage)",
    "aws:appconfig/configurationProfile:ConfigurationProfile": "no standing charge: AppConfig bills requests and configurations received (usage)",
    "aws:appconfig/deploymentStrategy:DeploymentStrategy": "no charge for deployment strategies",
    "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": "no charge for the hosted configuration store",
    "aws:appconfig/deployment:Deployment": "no charge for deployments: the agents' retrievals are usage",
    "aws:appconfig/extensionAssociation:ExtensionAssociation": "no charge: AWS service events on the default event bus are free",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "no charge for resource policies",
    "aws:iam/rolePolicy:RolePolicy": "IAM has no charge",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM has no charge",
    "aws:iam/policy:Policy": "IAM has no charge",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "IAM has no charge",
    "aws:codebuild/project:Project": "no standing charge: each CI job on the runner is billed per build minute (usage)",
    "aws:codebuild/webhook:Webhook": "no charge for webhooks",
    "aws:ec2/vpc:Vpc": "no charge for a VPC",
    "aws:ec2/subnet:Subnet": "no charge for a subnet",
    "aws:ec2/internetGateway:InternetGateway": "no charge for an internet gateway (data out is usage)",
    "aws:ec2/routeTable:RouteTable": "no charge for route tables",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "no charge for route tables",
    "aws:ec2/route:Route": "no charge for routes",
    "aws:ec2/securityGroup:SecurityGroup": "no charge for security groups",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "no charge for security groups",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "no charge for security group rules",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "no charge for security group rules",
    "aws:ec2/launchTemplate:LaunchTemplate": "no charge for a launch template: its volumes are priced on the node group",
    "aws:ec2/flowLog:FlowLog": "its logs are priced on the log group it writes to",
    "aws:eks/addon:Addon": "no charge for EKS add-ons: they run on the nodes",
    "aws:eks/accessEntry:AccessEntry": "no charge for access entries",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "no charge for access policies",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": "no charge for Pod Identity",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "read by the repository's storage line",
    "aws:kms/alias:Alias": "no charge for aliases",
    "aws:acm/certificate:Certificate": "public ACM certificates are free",
    "aws:acm/certificateValidation:CertificateValidation": "no charge for validation",
    "aws:route53/record:Record": "records are free; queries are usage (alias queries to AWS resources are free)",
    "aws:lb/listener:Listener": "priced on the load balancer",
    "aws:lb/listenerRule:ListenerRule": "priced on the load balancer (its LCUs count rule evaluations beyond the free 10)",
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": "no charge for the rule: the images it caches are ECR storage, and their first pull is data transfer in (free)",
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": "no charge for replication itself: the replica's storage and the cross-region transfer of pushed images are usage",
    "aws:lb/targetGroup:TargetGroup": "priced on the load balancer",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "priced on the web ACL",
    "aws:sns/topic:Topic": "no standing charge; publishes and deliveries are usage (email and the first million publishes a month are free)",
    "aws:sns/topicPolicy:TopicPolicy": "no charge for topic policies",
    "aws:sns/topicSubscription:TopicSubscription": "no standing charge",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket configuration: no charge",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket configuration: no charge",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket configuration: no charge",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "bucket configuration: no charge (KMS requests are usage)",
    "aws:s3/bucketVersioning:BucketVersioning": "bucket configuration: the versions kept are in the bucket's storage",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "bucket configuration: read by the bucket's storage line",
    // AWS Budgets pricing: budgets are free; only budgets with actions cost, after the first two.
    "aws:budgets/budget:Budget": "budgets without actions are free (AWS Budgets pricing: only action-enabled budgets beyond two are charged)",
    "aws:backup/vault:Vault": "no charge for a vault: what it stores is priced on the backup plan",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "no charge for a vault lock",
    "aws:backup/selection:Selection": "priced on the backup plan",
    "aws:cloudwatch/eventRule:EventRule": "rules on AWS service events of the default bus are free",
    "aws:cloudwatch/eventTarget:EventTarget": "no charge for targets",
    "aws:cloudwatch/queryDefinition:QueryDefinition": "saved queries are free; queries run are usage",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "its logs are priced on the log group it writes to",
    "aws:lambda/invocation:Invocation": "one Lambda request per deploy that changes it: a fraction of a cent, within the free tier",
    "aws:lambda/permission:Permission": "no charge for permissions",
    "aws:secretsmanager/secretVersion:SecretVersion": "billed per secret, not per version",
    "aws:secretsmanager/secretRotation:SecretRotation": "its Lambda is priced on the function",
    "aws:elasticache/subnetGroup:SubnetGroup": "no charge for subnet groups",
    "aws:rds/subnetGroup:SubnetGroup": "no charge for subnet groups",
    "aws:rds/parameterGroup:ParameterGroup": "no charge for parameter groups",
    // PagerDuty bills per user seat, outside AWS: nothing of it is in an AWS estimate.
    "pagerduty:index/schedule:Schedule": "PagerDuty, billed by PagerDuty per user, not by AWS",
    "pagerduty:index/escalationPolicy:EscalationPolicy": "PagerDuty, billed by PagerDuty per user, not by AWS",
    "pagerduty:index/service:Service": "PagerDuty, billed by PagerDuty per user, not by AWS",
    "pagerduty:index/serviceIntegration:ServiceIntegration": "PagerDuty, billed by PagerDuty per user, not by AWS",
    "pulumi:providers:pagerduty": "a provider, not a resource",
    "pulumi:providers:aws": "a provider, not a resource",
    "pulumi:providers:kubernetes": "a provider, not a resource",
    "pulumi:pulumi:StackReference": "reads another stack's outputs",
    "random:index/randomPassword:RandomPassword": "generated in the Pulumi state",
    "random:index/randomBytes:RandomBytes": "generated in the Pulumi state",
};

/** Kubernetes objects run on the cluster's nodes: their capacity is the node group's cost. */
export const KUBERNETES_FREE = "a Kubernetes object: it runs on the cluster's nodes, priced on the node group";

/** Why a type is not priced when neither table knows it. */
export const UNKNOWN_TYPE = "no pricer and not known to be free: add it to tools/cost/catalog.ts";

/** Types known to cost money that the estimate does not price yet, each with the reason. */
export const UNPRICED_TYPES: Readonly<Record<string, string>> = {
    "aws:backup/restoreTestingPlan:RestoreTestingPlan":
        "AWS Backup charges each restore test job, and the restored database runs until its validation ends; no confirmed price in the table",
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": "part of the restore testing plan (not priced)",
};
