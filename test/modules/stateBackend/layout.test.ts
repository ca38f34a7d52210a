import { backendUrl, bucketNameProblem, keyAliases, lifecycleRules, replicationRule, secretsProviderUrl, stateBucketNames } from "../../../modules/stateBackend/layout";

describe("the state backend's names and URLs", () => {
    it("puts a bucket in each region, and names the region in every URL the on-call uses", () => {
        expect(stateBucketNames("acme-state", "us-east-1", "us-west-2")).toEqual({ primary: "acme-state-us-east-1", dr: "acme-state-us-west-2" });
        expect(backendUrl("acme-state-us-west-2", "us-west-2")).toBe("s3://acme-state-us-west-2?region=us-west-2");
        expect(secretsProviderUrl("myapp", "us-west-2")).toBe("awskms://alias/myapp-pulumi-secrets?region=us-west-2");
        expect(keyAliases("myapp")).toEqual({ state: "alias/myapp-pulumi-state", secrets: "alias/myapp-pulumi-secrets" });
    });

    it.each([
        ["myapp-pulumi-state-123456789012-us-east-1", undefined],
        ["ab", "3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or a digit"],
        ["x".repeat(64), "3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or a digit"],
        ["Upper-case", "3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or a digit"],
        ["state-", "3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or a digit"],
        ["my..state", "no two adjacent dots, and not an IP address"],
        ["192.168.1.1", "no two adjacent dots, and not an IP address"],
        ["xn--state", "none of the prefixes and suffixes S3 reserves"],
        ["state-s3alias", "none of the prefixes and suffixes S3 reserves"],
    ])("bucket name %s: %s", (name, problem) => {
        expect(bucketNameProblem(name)).toBe(problem);
    });
});

describe("replication and lifecycle", () => {
    it("copies every object and delete marker, syncs replica modifications, re-encrypts with the destination's key", () => {
        expect(replicationRule("us-west-2", "arn:aws:s3:::b", "arn:aws:kms:us-west-2:1:key/mrk-1")).toEqual({
            id: "state-to-us-west-2",
            status: "Enabled",
            priority: 1,
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { replicaModifications: { status: "Enabled" }, sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
                bucket: "arn:aws:s3:::b",
                storageClass: "STANDARD",
                encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:us-west-2:1:key/mrk-1" },
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            },
        });
    });

    it("keeps old versions for the window, the newest few whatever their age, and removes expired delete markers", () => {
        expect(lifecycleRules(30, 5)[0]).toEqual({
            id: "expire-old-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 30, newerNoncurrentVersions: 5 },
            expiration: { expiredObjectDeleteMarker: true },
        });
    });
});
