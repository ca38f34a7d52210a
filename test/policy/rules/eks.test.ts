import { eksSupportNotice } from "../../../modules/cluster/versions";
import { eksRules } from "../../../policy/rules/eks";
import { findings, res, ruleSuite } from "../fixtures";

const CLUSTER = "aws:eks/cluster:Cluster";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const cluster = (over: Record<string, unknown> = {}) =>
    res(
        CLUSTER,
        {
            vpcConfig: { subnetIds: ["a", "b"], endpointPrivateAccess: true, endpointPublicAccess: false },
            encryptionConfig: { provider: { keyArn: "arn:aws:kms:us-east-1:1:key/k" }, resources: ["secrets"] },
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            version: "1.35",
            ...over,
        },
        { name: "c" },
    );
const template = (over: Record<string, unknown> = {}) =>
    res(
        TEMPLATE,
        {
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true" } }],
            ...over,
        },
        { name: "lt" },
    );

describe("EKS rules", () => {
    const rule = ruleSuite(eksRules);

    // The EKS release calendar (modules/cluster/versions.ts): 1.35's standard support ends 2027-03-27.
    rule("eks-version-standard-support", {
        today: "2026-12-01",
        compliant: () => [cluster()],
        missing: () => [cluster({ version: undefined })],
        missingFindings: ["c: version is unset: EKS picks its default, which no pin or support date follows; set cluster.version"],
        wrong: () => [cluster({ version: "1.34" })],
        wrongFindings: [`c: ${eksSupportNotice("1.34", "2026-12-01")!}`],
    });

    describe("eks-version-standard-support on the calendar", () => {
        it.each([
            ["2027-01-25", 0],
            ["2027-01-26", 1],
            ["2027-03-27", 1],
        ])("judges 1.35 on %s with %i finding(s)", (day, n) => {
            expect(findings("eks-version-standard-support", [cluster()], "production", "test", day)).toHaveLength(n);
        });

        it("reports a version unknown to the table", () => {
            expect(findings("eks-version-standard-support", [cluster({ version: "1.99" })], "staging", "test", "2026-12-01")).toEqual([`c: ${eksSupportNotice("1.99", "2026-12-01")!}`]);
        });
    });

    rule("eks-endpoint-private", {
        compliant: () => [cluster()],
        missing: () => [cluster({ vpcConfig: { subnetIds: ["a", "b"] } })],
        missingFindings: ["c: vpcConfig.endpointPublicAccess is unset (EKS's default is public): set it to false"],
        wrong: () => [cluster({ vpcConfig: { subnetIds: ["a"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } })],
        wrongFindings: ["c: vpcConfig.endpointPublicAccess is true (EKS's default is public): set it to false"],
    });

    rule("eks-secrets-encrypted", {
        compliant: () => [cluster(), cluster({ encryptionConfig: [{ provider: { keyArn: "k" }, resources: ["secrets"] }] })],
        missing: () => [cluster({ encryptionConfig: undefined })],
        missingFindings: ['c: encryptionConfig does not encrypt "secrets" with a provider.keyArn'],
        wrong: () => [cluster({ encryptionConfig: { provider: {}, resources: ["secrets"] } })],
        wrongFindings: ['c: encryptionConfig does not encrypt "secrets" with a provider.keyArn'],
    });

    rule("eks-control-plane-logs", {
        compliant: () => [cluster()],
        missing: () => [cluster({ enabledClusterLogTypes: undefined })],
        missingFindings: ["c: enabledClusterLogTypes lacks api, audit, authenticator, controllerManager, scheduler"],
        wrong: () => [cluster({ enabledClusterLogTypes: ["api", "authenticator", "controllerManager", "scheduler"] })],
        wrongFindings: ["c: enabledClusterLogTypes lacks audit"],
    });

    rule("eks-access-entries", {
        compliant: () => [cluster()],
        missing: () => [cluster({ accessConfig: undefined })],
        missingFindings: [
            'c: accessConfig.authenticationMode is unset: set "API"',
            "c: accessConfig.bootstrapClusterCreatorAdminPermissions is unset (EKS's default is true): set it to false",
        ],
        wrong: () => [cluster({ accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true } })],
        wrongFindings: [
            'c: accessConfig.authenticationMode is "API_AND_CONFIG_MAP": set "API"',
            "c: accessConfig.bootstrapClusterCreatorAdminPermissions is true (EKS's default is true): set it to false",
        ],
    });

    rule("eks-nodes-imdsv2", {
        compliant: () => [template()],
        missing: () => [template({ metadataOptions: undefined })],
        missingFindings: ['lt: metadataOptions.httpTokens is unset: set "required"'],
        wrong: () => [template({ metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 3 } })],
        wrongFindings: ['lt: metadataOptions.httpTokens is "optional": set "required"', "lt: metadataOptions.httpPutResponseHopLimit is 3: at most 2"],
    });

    rule("eks-nodes-encrypted-volumes", {
        compliant: () => [template(), template({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true } }] })],
        missing: () => [template({ blockDeviceMappings: undefined })],
        missingFindings: ['lt: no blockDeviceMappings with ebs: the AMI\'s default volume is encrypted only if the account\'s EBS default says so; state encrypted: "true"'],
        wrong: () => [template({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }, { deviceName: "/dev/xvdb", ebs: { encrypted: "false" } }] })],
        wrongFindings: ['lt: "/dev/xvdb": ebs.encrypted is "false": set "true"'],
    });

    rule("eks-nodes-no-public-ip", {
        compliant: () => [template({ networkInterfaces: [{ associatePublicIpAddress: "false" }] })],
        missing: () => [template()],
        missingFindings: [],
        safeDefault: "a launch template without network interfaces takes the subnet's setting, which subnets-no-public-ip-on-launch keeps off",
        wrong: () => [template({ networkInterfaces: [{ associatePublicIpAddress: "true" }] })],
        wrongFindings: ['lt: networkInterfaces sets associatePublicIpAddress "true": remove it'],
    });
});

describe("eks-nodes-encrypted-volumes, more cases", () => {
    it("judges only the mappings with an ebs block: an instance store volume is not one", () => {
        const ephemeral = { deviceName: "/dev/sdb", virtualName: "ephemeral0" };
        expect(findings("eks-nodes-encrypted-volumes", [template({ blockDeviceMappings: [ephemeral] })])).toEqual([
            'lt: no blockDeviceMappings with ebs: the AMI\'s default volume is encrypted only if the account\'s EBS default says so; state encrypted: "true"',
        ]);
        expect(findings("eks-nodes-encrypted-volumes", [template({ blockDeviceMappings: [ephemeral, { deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] })])).toEqual([]);
    });
});
