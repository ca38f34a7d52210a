import { REPLACING_INPUTS as RDS_REPLACING_INPUTS } from "../../modules/database/database";

/**
 * What a change to a resource's inputs does to it, per resource type: which inputs replace it
 * (the provider marks them ForceNew, or Kubernetes makes the field immutable) and whether the
 * resource holds data that a replacement or a deletion loses.
 *
 * The offline plan has no provider to ask, so the plan diff reads this table. An input missing
 * here is reported as an update; when a real `pulumi preview` shows a replacement the table did
 * not predict, add the input here with its source.
 *
 * Sources:
 * - AWS: the schema of each resource in hashicorp/terraform-provider-aws, which the Pulumi AWS
 *   provider (`@pulumi/aws` 7) is bridged from: attributes with `ForceNew: true` are the inputs the
 *   Pulumi registry documents as "Changes to this property will trigger replacement"
 *   (internal/service/<service>/<resource>.go).
 * - Kubernetes: the Pulumi Kubernetes provider replaces an object whose `metadata.name` or
 *   `metadata.namespace` changes, and one whose change Kubernetes refuses as immutable (a
 *   Deployment's `spec.selector`, a Job's `spec.template`, a StatefulSet's `volumeClaimTemplates`).
 * - random: every argument of terraform-provider-random's resources is ForceNew.
 */
export interface TypeRule {
    /** Input paths (dotted, from the resource's inputs) whose change replaces the resource, with why. */
    replacing: Record<string, string>;
    /** Why a replacement or deletion loses data, when it does. */
    stateful?: string;
}

const K8S_IDENTITY = {
    "metadata.name": "the object's name: Kubernetes has no rename",
    "metadata.namespace": "the object's namespace: Kubernetes has no move",
} as const;

/** The table. Keys are Pulumi type tokens. */
export const TYPE_RULES: Record<string, TypeRule> = {
    // RDS: the list modules/database keeps for the database it builds (docs/data.md), plus the
    // remaining ForceNew attributes of internal/service/rds/instance.go.
    "aws:rds/instance:Instance": {
        replacing: {
            ...RDS_REPLACING_INPUTS,
            identifierPrefix: "ForceNew (rds/instance.go)",
            availabilityZone: "ForceNew (rds/instance.go)",
            characterSetName: "ForceNew (rds/instance.go)",
            ncharCharacterSetName: "ForceNew (rds/instance.go)",
            customIamInstanceProfile: "ForceNew (rds/instance.go)",
            timezone: "ForceNew (rds/instance.go)",
            s3Import: "ForceNew (rds/instance.go)",
        },
        stateful: "the database: a new instance starts empty unless restored from a backup",
    },
    "aws:rds/cluster:Cluster": {
        replacing: {
            clusterIdentifier: "ForceNew (rds/cluster.go)",
            engine: "ForceNew (rds/cluster.go)",
            masterUsername: "ForceNew (rds/cluster.go)",
            databaseName: "ForceNew (rds/cluster.go)",
            kmsKeyId: "ForceNew (rds/cluster.go)",
            storageEncrypted: "ForceNew (rds/cluster.go)",
            snapshotIdentifier: "ForceNew (rds/cluster.go)",
        },
        stateful: "the database cluster: a new one starts empty",
    },
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
        replacing: { sourceDbInstanceArn: "ForceNew", kmsKeyId: "ForceNew", retentionPeriod: "ForceNew" },
        stateful: "the automated backups replicated to the DR region: a new replication starts from nothing, so the DR RPO is lost until it catches up",
    },
    "aws:rds/subnetGroup:SubnetGroup": { replacing: { name: "ForceNew", namePrefix: "ForceNew" } },
    "aws:rds/parameterGroup:ParameterGroup": { replacing: { name: "ForceNew", namePrefix: "ForceNew", family: "ForceNew", description: "ForceNew" } },
    // ElastiCache: internal/service/elasticache/replication_group.go (ForceNew attributes; an
    // engine or engine version downgrade also forces a new group, through CustomizeDiff).
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        replacing: {
            replicationGroupId: "ForceNew: the group's name",
            atRestEncryptionEnabled: "ForceNew",
            kmsKeyId: "ForceNew: the data key",
            port: "ForceNew",
            subnetGroupName: "ForceNew",
            securityGroupNames: "ForceNew",
            snapshotArns: "ForceNew: read at creation",
            snapshotName: "ForceNew: read at creation",
            dataTieringEnabled: "ForceNew",
            globalReplicationGroupId: "ForceNew",
            networkType: "ForceNew",
        },
        stateful: "the cache: a new group starts empty (the app refills it, but every session and queued item in it is gone)",
    },
    // DynamoDB and EFS: internal/service/dynamodb/table.go, internal/service/efs/file_system.go.
    "aws:dynamodb/table:Table": {
        replacing: { name: "ForceNew", hashKey: "ForceNew", rangeKey: "ForceNew" },
        stateful: "the table's items: a new table starts empty unless restored",
    },
    "aws:efs/fileSystem:FileSystem": {
        replacing: { creationToken: "ForceNew", encrypted: "ForceNew", kmsKeyId: "ForceNew", performanceMode: "ForceNew" },
        stateful: "the file system's files",
    },
    "aws:elasticache/subnetGroup:SubnetGroup": { replacing: { name: "ForceNew" } },
    // S3: internal/service/s3/bucket.go; the bucket's sub-resources are keyed by the bucket name.
    "aws:s3/bucket:Bucket": {
        replacing: { bucket: "ForceNew: the bucket's name", bucketPrefix: "ForceNew", objectLockEnabled: "ForceNew" },
        stateful: "the bucket's objects: a new bucket starts empty",
    },
    "aws:s3/bucketV2:BucketV2": {
        replacing: { bucket: "ForceNew: the bucket's name", bucketPrefix: "ForceNew", objectLockEnabled: "ForceNew" },
        stateful: "the bucket's objects: a new bucket starts empty",
    },
    "aws:s3/bucketVersioning:BucketVersioning": { replacing: { bucket: "ForceNew", expectedBucketOwner: "ForceNew" } },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { replacing: { bucket: "ForceNew" } },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { replacing: { bucket: "ForceNew" } },
    "aws:s3/bucketPolicy:BucketPolicy": { replacing: { bucket: "ForceNew" } },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { replacing: { bucket: "ForceNew" } },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { replacing: { bucket: "ForceNew" } },
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": { replacing: { bucket: "ForceNew" } },
    // KMS: internal/service/kms/key.go. A replaced key is scheduled for deletion with everything it encrypts.
    "aws:kms/key:Key": {
        replacing: { customerMasterKeySpec: "ForceNew", keyUsage: "ForceNew", multiRegion: "ForceNew", customKeyStoreId: "ForceNew", xksKeyId: "ForceNew" },
        stateful: "a key: once the old one is deleted, everything it encrypted (snapshots, backups, secrets) can no longer be read",
    },
    "aws:kms/alias:Alias": { replacing: { name: "ForceNew", namePrefix: "ForceNew" } },
    "aws:kms/replicaKey:ReplicaKey": { replacing: { primaryKeyArn: "ForceNew" }, stateful: "a replica key: what it encrypted in the DR region can no longer be read once it is gone" },
    // AWS Backup: internal/service/backup/vault.go, plan.go, selection.go.
    "aws:backup/vault:Vault": {
        replacing: { name: "ForceNew", kmsKeyArn: "ForceNew" },
        stateful: "the recovery points in the vault (a vault with recovery points cannot even be deleted)",
    },
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": {
        replacing: { backupVaultName: "ForceNew" },
        stateful: "the vault's lock, which guards the recovery points: in compliance mode it cannot be removed once its grace time is over, so a replacement fails or leaves the vault unlocked",
    },
    "aws:backup/selection:Selection": { replacing: { name: "ForceNew", planId: "ForceNew", iamRoleArn: "ForceNew", resources: "ForceNew", selectionTags: "ForceNew", conditions: "ForceNew", notResources: "ForceNew" } },
    // Secrets Manager: internal/service/secretsmanager/secret.go. A replaced secret loses its value
    // and its rotation history: the old one is scheduled for deletion.
    "aws:secretsmanager/secret:Secret": {
        replacing: { name: "ForceNew", namePrefix: "ForceNew" },
        stateful: "the secret's value (a rotated password exists nowhere else)",
    },
    "aws:secretsmanager/secretVersion:SecretVersion": { replacing: { secretId: "ForceNew", secretString: "ForceNew", secretBinary: "ForceNew" } },
    // ECR: internal/service/ecr/repository.go.
    "aws:ecr/repository:Repository": {
        replacing: { name: "ForceNew", encryptionConfigurations: "ForceNew" },
        stateful: "the images in the repository (a rollback needs the previous one)",
    },
    // Route 53: a new zone gets new name servers, so the delegation breaks until the parent is updated.
    "aws:route53/zone:Zone": {
        replacing: { name: "ForceNew", delegationSetId: "ForceNew" },
        stateful: "the hosted zone: a new one has new name servers and every record not managed here is gone",
    },
    "aws:route53/record:Record": { replacing: { zoneId: "ForceNew", name: "ForceNew" } },
    "aws:route53/healthCheck:HealthCheck": { replacing: { type: "ForceNew", referenceName: "ForceNew" } },
    // Logs: internal/service/logs/group.go.
    "aws:cloudwatch/logGroup:LogGroup": {
        replacing: { name: "ForceNew", namePrefix: "ForceNew", logGroupClass: "ForceNew" },
        stateful: "the log events kept for their retention (audit and incident evidence)",
    },
    // EKS: internal/service/eks/cluster.go, node_group.go, addon.go, pod_identity_association.go, access_entry.go.
    "aws:eks/cluster:Cluster": {
        replacing: {
            name: "ForceNew",
            roleArn: "ForceNew",
            "kubernetesNetworkConfig.serviceIpv4Cidr": "ForceNew",
            "kubernetesNetworkConfig.ipFamily": "ForceNew",
            bootstrapSelfManagedAddons: "ForceNew",
            "accessConfig.bootstrapClusterCreatorAdminPermissions": "ForceNew",
            "encryptionConfig.provider.keyArn": "ForceNew",
            "outpostConfig": "ForceNew",
        },
        stateful: "the cluster and every Kubernetes object and volume claim in it",
    },
    "aws:eks/nodeGroup:NodeGroup": {
        replacing: {
            clusterName: "ForceNew",
            nodeGroupName: "ForceNew",
            nodeGroupNamePrefix: "ForceNew",
            nodeRoleArn: "ForceNew",
            subnetIds: "ForceNew",
            amiType: "ForceNew",
            capacityType: "ForceNew",
            diskSize: "ForceNew",
            instanceTypes: "ForceNew",
            remoteAccess: "ForceNew",
        },
    },
    "aws:eks/addon:Addon": { replacing: { clusterName: "ForceNew", addonName: "ForceNew" } },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": { replacing: { clusterName: "ForceNew", namespace: "ForceNew", serviceAccount: "ForceNew" } },
    "aws:eks/accessEntry:AccessEntry": { replacing: { clusterName: "ForceNew", principalArn: "ForceNew", type: "ForceNew" } },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": { replacing: { clusterName: "ForceNew", principalArn: "ForceNew", policyArn: "ForceNew" } },
    // Networking: internal/service/ec2/vpc_.go, vpc_subnet.go, vpc_security_group.go, vpc_nat_gateway.go, vpc_endpoint.go.
    "aws:ec2/vpc:Vpc": { replacing: { cidrBlock: "ForceNew", instanceTenancy: "ForceNew (to default)", ipv4IpamPoolId: "ForceNew" } },
    "aws:ec2/subnet:Subnet": { replacing: { vpcId: "ForceNew", cidrBlock: "ForceNew", availabilityZone: "ForceNew", availabilityZoneId: "ForceNew" } },
    "aws:ec2/securityGroup:SecurityGroup": { replacing: { name: "ForceNew", namePrefix: "ForceNew", vpcId: "ForceNew", description: "ForceNew" } },
    "aws:ec2/natGateway:NatGateway": { replacing: { subnetId: "ForceNew", allocationId: "ForceNew", connectivityType: "ForceNew" } },
    "aws:ec2/eip:Eip": { replacing: { domain: "ForceNew", publicIpv4Pool: "ForceNew" } },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { replacing: { vpcId: "ForceNew", serviceName: "ForceNew", vpcEndpointType: "ForceNew" } },
    "aws:ec2/routeTable:RouteTable": { replacing: { vpcId: "ForceNew" } },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { replacing: { subnetId: "ForceNew", gatewayId: "ForceNew" } },
    "aws:ec2/flowLog:FlowLog": { replacing: { vpcId: "ForceNew", trafficType: "ForceNew", logDestination: "ForceNew", logDestinationType: "ForceNew", logFormat: "ForceNew" } },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { replacing: { securityGroupId: "ForceNew" } },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { replacing: { securityGroupId: "ForceNew" } },
    // Edge: internal/service/elbv2/load_balancer.go, target_group.go; acm/certificate.go; wafv2/web_acl.go.
    "aws:lb/loadBalancer:LoadBalancer": { replacing: { name: "ForceNew", namePrefix: "ForceNew", internal: "ForceNew", loadBalancerType: "ForceNew" } },
    "aws:lb/targetGroup:TargetGroup": {
        replacing: { name: "ForceNew", namePrefix: "ForceNew", port: "ForceNew", protocol: "ForceNew", protocolVersion: "ForceNew", vpcId: "ForceNew", targetType: "ForceNew" },
    },
    "aws:acm/certificate:Certificate": { replacing: { domainName: "ForceNew", subjectAlternativeNames: "ForceNew", validationMethod: "ForceNew", keyAlgorithm: "ForceNew" } },
    "aws:wafv2/webAcl:WebAcl": { replacing: { name: "ForceNew", scope: "ForceNew" } },
    // IAM and compute: iam/role.go, lambda/function.go, sns/topic.go.
    // internal/service/appconfig/deployment.go, hosted_configuration_version.go: every argument is
    // ForceNew (a deployment and a version are immutable; a new one is the change).
    "aws:appconfig/deployment:Deployment": {
        replacing: {
            applicationId: "ForceNew",
            environmentId: "ForceNew",
            configurationProfileId: "ForceNew",
            configurationVersion: "ForceNew: a new flags version is a new deployment",
            deploymentStrategyId: "ForceNew",
            description: "ForceNew",
        },
    },
    "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": {
        replacing: { applicationId: "ForceNew", configurationProfileId: "ForceNew", content: "ForceNew", contentType: "ForceNew", description: "ForceNew" },
    },
    "aws:iam/role:Role": { replacing: { name: "ForceNew", namePrefix: "ForceNew", path: "ForceNew" } },
    "aws:iam/rolePolicy:RolePolicy": { replacing: { name: "ForceNew", role: "ForceNew" } },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { replacing: { role: "ForceNew", policyArn: "ForceNew" } },
    "aws:lambda/function:Function": { replacing: { name: "ForceNew", packageType: "ForceNew" } },
    "aws:sns/topic:Topic": { replacing: { name: "ForceNew", namePrefix: "ForceNew", fifoTopic: "ForceNew" } },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { replacing: { name: "ForceNew" } },
    "aws:cloudwatch/dashboard:Dashboard": { replacing: { dashboardName: "ForceNew" } },
    // Kubernetes.
    "kubernetes:core/v1:Namespace": {
        replacing: { "metadata.name": K8S_IDENTITY["metadata.name"] },
        stateful: "the namespace and everything in it, volumes of its in-cluster databases included",
    },
    "kubernetes:apps/v1:StatefulSet": {
        replacing: {
            ...K8S_IDENTITY,
            "spec.selector": "immutable",
            "spec.serviceName": "immutable",
            "spec.volumeClaimTemplates": "immutable",
            "spec.podManagementPolicy": "immutable",
        },
        stateful: "the StatefulSet's volumes, when its claims are deleted with it (persistentVolumeClaimRetentionPolicy)",
    },
    "kubernetes:core/v1:PersistentVolumeClaim": {
        replacing: { ...K8S_IDENTITY, "spec.storageClassName": "immutable", "spec.accessModes": "immutable", "spec.volumeName": "immutable" },
        stateful: "the volume behind the claim",
    },
    "kubernetes:apps/v1:Deployment": { replacing: { ...K8S_IDENTITY, "spec.selector": "immutable" } },
    "kubernetes:batch/v1:Job": { replacing: { ...K8S_IDENTITY, "spec.template": "immutable", "spec.selector": "immutable", "spec.completions": "immutable" } },
    "kubernetes:core/v1:Service": { replacing: { ...K8S_IDENTITY, "spec.clusterIP": "immutable", "spec.clusterIPs": "immutable" } },
    "kubernetes:core/v1:Secret": { replacing: { ...K8S_IDENTITY, type: "immutable" } },
    "kubernetes:core/v1:ConfigMap": { replacing: { ...K8S_IDENTITY } },
    "kubernetes:core/v1:ServiceAccount": { replacing: { ...K8S_IDENTITY } },
    "kubernetes:policy/v1:PodDisruptionBudget": { replacing: { ...K8S_IDENTITY } },
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": { replacing: { ...K8S_IDENTITY } },
    "kubernetes:helm.sh/v3:Release": { replacing: { name: "the release's name", namespace: "the release's namespace" } },
    // random: terraform-provider-random, every argument ForceNew.
    "random:index/randomPassword:RandomPassword": {
        replacing: Object.fromEntries(
            ["length", "special", "upper", "lower", "numeric", "number", "minLower", "minUpper", "minNumeric", "minSpecial", "overrideSpecial", "keepers"].map((k) => [
                k,
                "ForceNew: a new password",
            ]),
        ),
    },
    "random:index/randomBytes:RandomBytes": { replacing: { length: "ForceNew: new bytes", keepers: "ForceNew: new bytes" } },
    "random:index/randomString:RandomString": { replacing: { length: "ForceNew", special: "ForceNew", keepers: "ForceNew" } },
    "random:index/randomId:RandomId": { replacing: { byteLength: "ForceNew", prefix: "ForceNew", keepers: "ForceNew" } },
};

/** Provider inputs whose change replaces every resource the provider manages. */
export const PROVIDER_REPLACING: Record<string, Record<string, string>> = {
    "pulumi:providers:aws": { region: "every resource of this provider moves to another region: each is replaced" },
    "pulumi:providers:kubernetes": { context: "another cluster: every object of this provider is created there and deleted here" },
};

/** The rule of a type, or an empty one. */
export function ruleOf(type: string): TypeRule {
    return TYPE_RULES[type] ?? { replacing: {} };
}

/** True when `changed` (a dotted path of a changed input) is, contains, or lies inside `replacing`. */
export function pathTouches(changed: string, replacing: string): boolean {
    const under = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
    return under(changed, replacing) || under(replacing, changed);
}

/**
 * The replacing inputs among a resource's changed paths, each with its reason. `replaceOnChanges`
 * from the resource's options counts too (`*` means any change).
 */
export function replacingChanges(type: string, changedPaths: string[], replaceOnChanges: readonly string[] = []): { path: string; reason: string }[] {
    const table: Record<string, string> = { ...ruleOf(type).replacing };
    for (const p of replaceOnChanges) table[p] = "replaceOnChanges in the program's resource options";
    const out: { path: string; reason: string }[] = [];
    for (const changed of changedPaths) {
        if (replaceOnChanges.includes("*")) {
            out.push({ path: changed, reason: "replaceOnChanges: * in the program's resource options" });
            continue;
        }
        const hit = Object.keys(table).find((r) => pathTouches(changed, r));
        if (hit !== undefined) out.push({ path: changed, reason: table[hit]! });
    }
    return out;
}
