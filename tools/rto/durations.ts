/**
 * How long creating each resource type takes: the table the RTO estimate reads.
 *
 * Every entry has a typical and a worst time and names its source: the provider's own waiter and
 * default create timeout (terraform-provider-aws, which pulumi-aws wraps, and pulumi-kubernetes'
 * await logic), AWS documentation, or creation times reported publicly. A key is a type token, or
 * a type token and a variant after `#` when a resource's inputs change how long it takes (an RDS
 * instance restored to a point in time takes far longer than a new empty one): `rules.ts` picks
 * the variant. A DR drill calibrates this table: see docs/rto.md ("Calibrating from a drill").
 *
 * "Worst" is a slow but successful run as reported. It can exceed the deadline (an RDS point-in-time
 * restore can outlast the provider's 40-minute create timeout): the estimate keeps the figure and
 * reports the deadline as a risk, since past it the provider gives up and `pulumi up` fails.
 */

/** A duration range, in seconds. */
export interface Range {
    typical: number;
    worst: number;
}

/** One row of the table. */
export interface DurationEntry extends Range {
    /**
     * How long the provider waits for the resource to become ready before it fails the update
     * (its default create timeout), in seconds; absent when creation is a synchronous API call.
     * A program's `customTimeouts.create` replaces it.
     */
    deadline?: number;
    /** Where the figures come from: a provider source file, a document or a public report. */
    source: string;
}

const sec = (n: number): number => n;
const min = (n: number): number => n * 60;

/** The runbook's recovery time objective (spec/operations.md, 3.9 "Disaster Recovery": RTO 1 hour). */
export const RUNBOOK_RTO_SECONDS = min(60);

/** What a type missing from the table is assumed to take; such types are listed as unestimated. */
export const DEFAULT_DURATION: DurationEntry = {
    typical: min(1),
    worst: min(5),
    source: "no entry: a default assumed so the type is never silently free; add an entry to tools/rto/durations.ts",
};

// Sources cited below, by short name:
const TF = "hashicorp/terraform-provider-aws (the provider pulumi-aws wraps)";
const SYNC = "a synchronous API call: the provider returns when the call does";
const TF_APPLY_LOGS =
    "observed `terraform apply` times: bshehram/devops-aws-tf SAMPLE_TF_APPLY.md, turbot/steampipe-plugin-aws#131, #184, #246";
const K8S_AWAIT = "pulumi-kubernetes await logic (the resource's API docs in @pulumi/kubernetes): ready, or failed after 10 minutes";
const K8S_NO_AWAIT = "pulumi-kubernetes has no await logic for this kind: done when the API server accepts it";
const CR_NO_AWAIT =
    "a custom resource: pulumi-kubernetes waits for it only with a `pulumi.com/waitFor` annotation or PULUMI_K8S_AWAIT_ALL " +
    "(pulumi/pulumi-kubernetes#3143); otherwise done when the API server accepts it";

/**
 * The table. Keep it sorted by key; docs/rto.md lists it with the same sources (a test keeps
 * the two in step).
 */
export const DURATIONS: Readonly<Record<string, DurationEntry>> = {
    "*#import": { typical: sec(5), worst: sec(30), source: "adopted with the `import` option: the engine reads the existing resource, nothing is created" },
    "aws:acm/certificate:Certificate": { typical: sec(10), worst: min(1), source: `${SYNC} (RequestCertificate); validation is its own resource` },
    "aws:acm/certificateValidation:CertificateValidation": {
        typical: min(5),
        worst: min(30),
        deadline: min(75),
        source:
            `${TF} internal/service/acm/certificate_validation.go: waits for ISSUED, create timeout 75m; ` +
            "DNS validation observed at 5-10 minutes (aws/aws-cdk#2914, #5831), the ACM console warns of 30 minutes or more",
    },
    // AppConfig: every create is one API call; a deployment returns once started
    // (internal/service/appconfig/deployment.go: StartDeployment, no wait for the rollout).
    "aws:appconfig/application:Application": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:appconfig/configurationProfile:ConfigurationProfile": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:appconfig/deployment:Deployment": { typical: sec(2), worst: sec(30), source: `${SYNC} (StartDeployment: the rollout itself runs after, at the deployment strategy's pace)` },
    "aws:appconfig/deploymentStrategy:DeploymentStrategy": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:appconfig/environment:Environment": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:appconfig/extensionAssociation:ExtensionAssociation": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:backup/plan:Plan": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:backup/selection:Selection": { typical: sec(5), worst: sec(30), source: `${SYNC} (retried while the IAM role propagates)` },
    "aws:backup/vault:Vault": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:budgets/budget:Budget": { typical: sec(2), worst: sec(30), source: `${SYNC}, for each of its calls: CreateBudget, then CreateNotification per notification (${TF} aws_budgets_budget)` },
    "aws:cloudfront/distribution:Distribution": {
        typical: min(5),
        worst: min(20),
        source:
            `${TF} aws_cloudfront_distribution: with wait_for_deployment (true by default) the provider waits for Status Deployed ` +
            "at every edge location; a global service whose control plane is in us-east-1. Figures are an assumption to calibrate",
    },
    "aws:cloudwatch/dashboard:Dashboard": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:cloudwatch/eventRule:EventRule": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:cloudwatch/eventTarget:EventTarget": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:cloudwatch/logGroup:LogGroup": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:cloudwatch/queryDefinition:QueryDefinition": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:codebuild/project:Project": {
        typical: sec(5),
        worst: min(2),
        source: `${SYNC} (CreateProject); ${TF} codebuild/project.go retries while its new service role propagates to CodeBuild`,
    },
    "aws:codebuild/webhook:Webhook": { typical: sec(3), worst: sec(30), source: `${SYNC} (CreateWebhook, which registers the webhook on GitHub through the project's credential)` },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { typical: sec(5), worst: sec(30), source: SYNC },
    "aws:ec2/eip:Eip": { typical: sec(3), worst: sec(30), source: `${SYNC}; ${TF_APPLY_LOGS}` },
    "aws:ec2/flowLog:FlowLog": { typical: sec(5), worst: min(1), source: SYNC },
    "aws:ec2/internetGateway:InternetGateway": { typical: sec(5), worst: min(1), source: `${SYNC} (create, then attach to the VPC)` },
    "aws:ec2/launchTemplate:LaunchTemplate": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:ec2/natGateway:NatGateway": {
        typical: min(2),
        worst: min(5),
        deadline: min(10),
        source: `${TF} aws_nat_gateway: waits for available, default create timeout 10m; observed 1m24s-2m04s over 12 gateways (${TF_APPLY_LOGS})`,
    },
    "aws:ec2/routeTable:RouteTable": { typical: sec(3), worst: min(1), source: `${SYNC}; ${TF_APPLY_LOGS}` },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { typical: sec(2), worst: sec(30), source: `${SYNC}; observed 0-2 s (${TF_APPLY_LOGS})` },
    "aws:ec2/securityGroup:SecurityGroup": { typical: sec(5), worst: min(1), source: SYNC },
    "aws:ec2/subnet:Subnet": { typical: sec(5), worst: min(1), source: `observed 0-12 s (${TF_APPLY_LOGS})` },
    "aws:ec2/vpc:Vpc": { typical: sec(20), worst: min(1), source: `observed 20-39 s (${TF_APPLY_LOGS})` },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { typical: sec(10), worst: min(1), source: `${SYNC}: a Gateway endpoint (S3, DynamoDB) is a route` },
    "aws:ec2/vpcEndpoint:VpcEndpoint#interface": {
        typical: min(2),
        worst: min(5),
        deadline: min(10),
        source: `${TF} aws_vpc_endpoint: an Interface endpoint waits for available (an ENI in each subnet), default create timeout 10m`,
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": { typical: sec(3), worst: sec(30), source: `${SYNC} (CreatePullThroughCacheRule)` },
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": { typical: sec(3), worst: sec(30), source: `${SYNC} (PutReplicationConfiguration)` },
    "aws:ecr/repository:Repository": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:eks/accessEntry:AccessEntry": { typical: sec(3), worst: sec(30), source: `${SYNC}; observed 1 s (DevopsArtFactory/terraform-provisioning#47)` },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": { typical: sec(3), worst: sec(30), source: `${SYNC}; observed 1 s (DevopsArtFactory/terraform-provisioning#47)` },
    "aws:eks/addon:Addon": {
        typical: min(2),
        worst: min(5),
        deadline: min(20),
        source:
            `${TF} internal/service/eks/addon.go: waits while CREATING or DEGRADED until ACTIVE (an add-on whose pods need nodes ` +
            "stays DEGRADED until they exist), create timeout 20m; figures are an assumption to calibrate",
    },
    "aws:eks/cluster:Cluster": {
        typical: min(10),
        worst: min(15),
        deadline: min(30),
        source:
            `${TF} internal/service/eks/cluster.go: create timeout 30m; AWS: a control plane in "9 minutes or less, on average" ` +
            "(aws/containers-roadmap#1227, aws-samples/eks-workshop#1101); observed 8m33s (DevopsArtFactory/terraform-provisioning#46) and ~14 min (aws/containers-roadmap#1227)",
    },
    "aws:eks/nodeGroup:NodeGroup": {
        typical: min(3),
        worst: min(6),
        deadline: min(60),
        source: `${TF} internal/service/eks/node_group.go: waits for ACTIVE, create timeout 60m; observed 1m48s-1m59s (DevopsArtFactory/terraform-provisioning#47)`,
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        typical: min(12),
        worst: min(30),
        deadline: min(60),
        source:
            `${TF} internal/service/elasticache/replication_group.go: waits for available, create timeout 60m; ` +
            "Multi-AZ groups in the provider's acceptance tests have outlasted 40 and 50 minutes (hashicorp/terraform-provider-aws#2048, #4093). " +
            "Figures for 2 nodes; rules.ts adds time per further node",
    },
    "aws:elasticache/replicationGroup:ReplicationGroup#fromSnapshot": {
        typical: min(20),
        worst: min(45),
        deadline: min(60),
        source: "as a new group, plus loading the snapshot (snapshotArns, snapshotName); an assumption to calibrate",
    },
    "aws:elasticache/subnetGroup:SubnetGroup": { typical: sec(3), worst: sec(30), source: `observed 2-8 s (${TF_APPLY_LOGS})` },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { typical: sec(3), worst: sec(30), source: `${SYNC}; a global service whose control plane is in us-east-1` },
    "aws:iam/policy:Policy": { typical: sec(3), worst: sec(30), source: `${SYNC}; a global service whose control plane is in us-east-1` },
    "aws:iam/role:Role": { typical: sec(5), worst: sec(30), source: `${SYNC}; observed 7 s (${TF_APPLY_LOGS}); a global service whose control plane is in us-east-1` },
    "aws:iam/rolePolicy:RolePolicy": { typical: sec(3), worst: sec(30), source: `${SYNC}; a global service whose control plane is in us-east-1` },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { typical: sec(3), worst: sec(30), source: `${SYNC}; observed 4 s (${TF_APPLY_LOGS})` },
    "aws:kms/alias:Alias": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:kms/key:Key": { typical: sec(10), worst: min(2), source: `${TF} aws_kms_key: retries while the key's policy and tags propagate` },
    "aws:kms/replicaKey:ReplicaKey": { typical: sec(10), worst: min(2), source: `${SYNC} (ReplicateKey), then retried while the replica's policy propagates, as aws:kms/key` },
    "aws:lambda/function:Function": { typical: sec(10), worst: min(1), deadline: min(10), source: `${TF} aws_lambda_function: waits for State Active, default create timeout 10m` },
    "aws:lambda/function:Function#vpc": {
        typical: sec(90),
        worst: min(5),
        deadline: min(10),
        source: "a function in a VPC is Pending while Lambda creates its Hyperplane ENIs (AWS Compute blog, \"Announcing improved VPC networking for AWS Lambda functions\": about 90 s)",
    },
    "aws:lambda/invocation:Invocation": {
        typical: sec(20),
        worst: min(5),
        source: "one synchronous Invoke: as long as the function runs (the database bootstrap: a few statements; its timeout is 300 s)",
    },
    "aws:lambda/permission:Permission": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:lb/listener:Listener": { typical: sec(3), worst: min(1), source: SYNC },
    "aws:lb/listenerRule:ListenerRule": { typical: sec(2), worst: sec(30), source: `${SYNC} (CreateRule)` },
    "aws:lb/loadBalancer:LoadBalancer": {
        typical: min(3),
        worst: min(10),
        deadline: min(10),
        source:
            `${TF} aws_lb: waits for active (hashicorp/terraform#11333), default create timeout 10m ` +
            "(hashicorp/terraform-provider-aws#8054); usually under 5 minutes, sometimes far longer (hashicorp/terraform#24799)",
    },
    "aws:lb/targetGroup:TargetGroup": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:rds/instance:Instance": {
        typical: min(8),
        worst: min(15),
        deadline: min(40),
        source: `${TF} internal/service/rds/instance.go: waits for available, create timeout 40m; a new Single-AZ instance in 5-10 minutes (hashicorp/terraform#498)`,
    },
    "aws:rds/instance:Instance#multiAz": {
        typical: min(15),
        worst: min(25),
        deadline: min(40),
        source: "a new Multi-AZ instance in 15-20 minutes (hashicorp/terraform#498); the 40m create timeout is hit at times (hashicorp/terraform-provider-aws#27)",
    },
    "aws:rds/instance:Instance#pointInTimeRestore": {
        typical: min(30),
        worst: min(45),
        deadline: min(40),
        source:
            "RestoreDBInstanceToPointInTime restores the latest snapshot, then replays the transaction logs since it " +
            "(AWS knowledge center, \"Why is the point-in-time restore of my Amazon RDS DB instance taking a long time?\"): " +
            "with a daily backup window, up to a day of logs; then the provider's ModifyDBInstance for what the restore API cannot set. " +
            "For up to 100 GiB; rules.ts adds time per further 100 GiB. Figures are an assumption to calibrate",
    },
    "aws:rds/instance:Instance#promotion": {
        typical: min(5),
        worst: min(15),
        deadline: min(80),
        source: "adopting (import) a standing read replica and promoting it (an update: timeout 80m in instance.go); AWS: promotion takes a few minutes, with the replica's size",
    },
    "aws:rds/instance:Instance#readReplica": {
        typical: min(30),
        worst: min(60),
        deadline: min(40),
        source: "CreateDBInstanceReadReplica copies a snapshot of the source, then catches up; an assumption to calibrate",
    },
    "aws:rds/instance:Instance#snapshotRestore": {
        typical: min(20),
        worst: min(35),
        deadline: min(40),
        source: "RestoreDBInstanceFromDBSnapshot, then the provider's ModifyDBInstance (instance.go); for up to 100 GiB; an assumption to calibrate",
    },
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
        typical: min(10),
        worst: min(30),
        deadline: min(75),
        source: `${TF} waits for "replicating", create timeout 75m (hashicorp/terraform-provider-aws#25796, #33362); figures are an assumption to calibrate`,
    },
    "aws:rds/parameterGroup:ParameterGroup": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:rds/subnetGroup:SubnetGroup": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:route53/healthCheck:HealthCheck": { typical: sec(3), worst: sec(30), source: `${SYNC}; a global service whose control plane is in us-east-1` },
    "aws:route53/record:Record": {
        typical: sec(40),
        worst: min(2),
        source: `${TF} aws_route53_record: waits for the change to be INSYNC; observed 37-39 s (hashicorp/terraform-provider-aws#11300)`,
    },
    "aws:route53/zone:Zone": { typical: sec(45), worst: min(2), source: `${TF} aws_route53_zone: waits for the change to be INSYNC, as a record does` },
    "aws:s3/bucket:Bucket": { typical: sec(5), worst: min(1), source: `observed 6 s (${TF_APPLY_LOGS})` },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { typical: sec(5), worst: min(1), source: `${SYNC} (then read back until consistent)` },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:s3/bucketPolicy:BucketPolicy": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:s3/bucketVersioning:BucketVersioning": { typical: sec(3), worst: sec(30), source: SYNC },
    "aws:scheduler/schedule:Schedule": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:secretsmanager/secret:Secret": { typical: sec(3), worst: sec(30), source: `${SYNC}; replicas to other regions are made asynchronously` },
    "aws:secretsmanager/secretRotation:SecretRotation": { typical: sec(10), worst: min(2), source: `${SYNC} (RotateSecret starts the first rotation and returns)` },
    "aws:secretsmanager/secretVersion:SecretVersion": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:sns/topic:Topic": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:sns/topicPolicy:TopicPolicy": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:sns/topicSubscription:TopicSubscription": {
        typical: sec(10),
        worst: min(1),
        source:
            `${SYNC}; with endpointAutoConfirms (https) the provider waits for the confirmation for confirmationTimeoutInMinutes, 1 by default ` +
            "(aws_sns_topic_subscription)",
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { typical: sec(2), worst: sec(30), source: SYNC },
    "aws:wafv2/webAcl:WebAcl": { typical: sec(5), worst: min(1), source: SYNC },
    "aws:wafv2/webAclAssociation:WebAclAssociation": {
        typical: sec(10),
        worst: min(2),
        source: `${TF} aws_wafv2_web_acl_association: retried while the load balancer is not yet associable`,
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": { typical: sec(3), worst: sec(30), source: SYNC },
    "external-secrets.io:sync": {
        typical: sec(10),
        worst: min(1),
        source: "not a Pulumi resource: External Secrets writes the Secret on its first reconcile once the ExternalSecret exists and its remote values do",
    },
    "external-secrets.io:sync#afterRetries": {
        typical: min(5),
        worst: min(15),
        source:
            "not a Pulumi resource: when the remote values appear after the ExternalSecret, External Secrets finds them only on a " +
            "retry, with exponential back-off up to about 15 minutes (external-secrets/external-secrets#4180, #5259)",
    },
    "kubernetes:*#skipAwait": { typical: sec(2), worst: sec(30), source: "annotated `pulumi.com/skipAwait: \"true\"`: pulumi-kubernetes does not await it" },
    "kubernetes:apps/v1:Deployment": {
        typical: sec(90),
        worst: min(5),
        deadline: min(10),
        source: `${K8S_AWAIT}: Available, every replica ready (image pull from the region's registry, readiness probes; on cloud stacks also the load balancer's readiness gate, healthy in the target group after 2 checks 15 s apart); figures are an assumption to calibrate`,
    },
    "kubernetes:apps/v1:StatefulSet": {
        typical: sec(90),
        worst: min(5),
        deadline: min(10),
        source: `${K8S_AWAIT}: every replica ready, volumes provisioned; figures are an assumption to calibrate`,
    },
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": { typical: sec(2), worst: sec(30), source: K8S_NO_AWAIT },
    "kubernetes:batch/v1:Job": {
        typical: min(1),
        worst: min(5),
        deadline: min(10),
        source:
            `${K8S_AWAIT}: Complete. The run time is the application's (alembic upgrade head on a restored database already at head ` +
            "is a no-op); the Job's activeDeadlineSeconds is a deadline too. Calibrate from drills",
    },
    "kubernetes:core/v1:ConfigMap": { typical: sec(2), worst: sec(30), source: K8S_NO_AWAIT },
    "kubernetes:core/v1:Namespace": { typical: sec(2), worst: sec(30), source: K8S_NO_AWAIT },
    "kubernetes:core/v1:Secret": { typical: sec(2), worst: sec(30), source: K8S_NO_AWAIT },
    "kubernetes:core/v1:Service": {
        typical: sec(10),
        worst: sec(30),
        deadline: min(10),
        source:
            "pulumi-kubernetes provider/pkg/await/service.go: a Service with a selector (not headless) is done once its Endpoints have " +
            "subsets and 10 s have passed without change, so it also waits for the pods it selects (runtime.ts); failed after 10 minutes",
    },
    "kubernetes:core/v1:Service#loadBalancer": {
        typical: min(2),
        worst: min(5),
        deadline: min(10),
        source: `${K8S_AWAIT}: a LoadBalancer Service also waits for its external address (a cloud load balancer)`,
    },
    "kubernetes:core/v1:ServiceAccount": { typical: sec(2), worst: sec(30), source: K8S_NO_AWAIT },
    "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding": { typical: sec(2), worst: sec(30), source: CR_NO_AWAIT },
    "kubernetes:external-secrets.io/v1:ExternalSecret": { typical: sec(2), worst: sec(30), source: CR_NO_AWAIT },
    "kubernetes:external-secrets.io/v1:SecretStore": { typical: sec(2), worst: sec(30), source: CR_NO_AWAIT },
    "kubernetes:helm.sh/v3:Release": {
        typical: sec(90),
        worst: min(5),
        deadline: min(5),
        source:
            "pulumi-kubernetes helm.sh/v3 Release: waits until the chart's resources are ready (skipAwait false; atomic rolls back on failure) " +
            "for at most `timeout`, 300 s by default (the Helm provider's documented default); figures are an assumption to calibrate",
    },
    "kubernetes:helm.sh/v3:Release#skipAwait": { typical: sec(20), worst: min(1), source: "skipAwait without atomic: the release is installed without waiting for its resources" },
    "kubernetes:podsScheduled": {
        typical: sec(20),
        worst: min(2),
        source:
            "not a Pulumi resource: a new workload's pods are scheduled and get an IP (the Endpoints list them, ready or not), " +
            "which is when a Service selecting them is done (pulumi-kubernetes provider/pkg/await/service.go)",
    },
    "kubernetes:policy/v1:PodDisruptionBudget": { typical: sec(2), worst: sec(30), source: K8S_NO_AWAIT },
    "kubernetes:storage.k8s.io/v1:StorageClass": { typical: sec(2), worst: sec(30), source: K8S_NO_AWAIT },
    "pagerduty:index/escalationPolicy:EscalationPolicy": { typical: sec(2), worst: sec(30), source: `${SYNC} (PagerDuty REST API, terraform-provider-pagerduty)` },
    "pagerduty:index/schedule:Schedule": { typical: sec(2), worst: sec(30), source: `${SYNC} (PagerDuty REST API, terraform-provider-pagerduty)` },
    "pagerduty:index/service:Service": { typical: sec(2), worst: sec(30), source: `${SYNC} (PagerDuty REST API, terraform-provider-pagerduty)` },
    "pagerduty:index/serviceIntegration:ServiceIntegration": { typical: sec(2), worst: sec(30), source: `${SYNC} (PagerDuty REST API, terraform-provider-pagerduty)` },
    "pulumi:providers:aws": { typical: sec(1), worst: sec(5), source: "a provider resource: the engine configures the plugin, no cloud call" },
    "pulumi:providers:kubernetes": { typical: sec(1), worst: sec(10), source: "a provider resource: the engine configures the plugin (it reads the cluster's API discovery)" },
    "pulumi:providers:pagerduty": { typical: sec(1), worst: sec(10), source: "a provider resource: the engine configures the plugin (it validates the token with the PagerDuty API)" },
    "pulumi:pulumi:StackReference": { typical: sec(2), worst: sec(10), source: "reads the other stack's outputs from the state backend" },
    "random:index/randomBytes:RandomBytes": { typical: sec(0), worst: sec(1), source: "computed locally by the random provider" },
    "random:index/randomPassword:RandomPassword": { typical: sec(0), worst: sec(1), source: "computed locally by the random provider" },
};

/**
 * Time added per unit of size beyond what an entry's figures cover, by table key: an RDS restore
 * per 100 GiB of allocated storage beyond the first 100, an ElastiCache group per node beyond 2.
 * Assumptions to calibrate from drills (docs/rto.md).
 */
export const SCALING: Readonly<Record<string, Range & { per: string }>> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": { typical: min(1), worst: min(3), per: "cache node beyond 2" },
    "aws:elasticache/replicationGroup:ReplicationGroup#fromSnapshot": { typical: min(1), worst: min(3), per: "cache node beyond 2" },
    "aws:rds/instance:Instance#pointInTimeRestore": { typical: min(3), worst: min(6), per: "100 GiB of allocated storage beyond 100 GiB" },
    "aws:rds/instance:Instance#snapshotRestore": { typical: min(3), worst: min(6), per: "100 GiB of allocated storage beyond 100 GiB" },
};

/** The type token of a table key (`aws:rds/instance:Instance#pointInTimeRestore` → `aws:rds/instance:Instance`). */
export function typeOfKey(key: string): string {
    const hash = key.indexOf("#");
    return hash < 0 ? key : key.slice(0, hash);
}
