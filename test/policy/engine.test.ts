import type { PolicyResource as EngineResource } from "@pulumi/policy";
import { contextFromEngine, fromEngine, plainProps } from "../../policy/engine";
import { evaluate } from "../../policy/report";
import { rules } from "../../policy/rules";

// The engine's representation, built the way @pulumi/policy builds it for a stack validation
// (server.js: deserializeProperties of the protobuf struct, then unknownCheckingProxy).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal modules of @pulumi/policy, no typings
const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties(s: { toJavaScript(): unknown }, keepSecrets: boolean): Record<string, unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T };

/** Pulumi's wire sentinel for a value unknown during preview. */
const UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function engineProps(props: Record<string, unknown>): Record<string, unknown> {
    // The protobuf struct the engine sends, as deserializeProperties reads it (toJavaScript).
    return unknownCheckingProxy(deserializeProperties({ toJavaScript: () => JSON.parse(JSON.stringify(props)) as unknown }, false));
}

const PROVIDER = { type: "pulumi:providers:aws", name: "myapp-us-east-1", urn: "urn:pulumi:production::ops::pulumi:providers:aws::myapp-us-east-1", props: {} };
const DEFAULT_PROVIDER = { type: "pulumi:providers:aws", name: "default_7_48_0", urn: "urn:pulumi:production::ops::pulumi:providers:aws::default_7_48_0", props: {} };

function engineResource(type: string, name: string, props: Record<string, unknown>, extra: Partial<EngineResource> = {}): EngineResource {
    return {
        type,
        name,
        urn: `urn:pulumi:production::ops::${type}::${name}`,
        props: engineProps(props),
        opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
        provider: PROVIDER,
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
        ...extra,
    } as EngineResource;
}

describe("the engine's view of a stack", () => {
    it("replaces values unknown during preview by the plan's [unknown], at any depth", () => {
        const props = engineProps({ a: 1, b: UNKNOWN_WIRE, c: [1, UNKNOWN_WIRE], d: { e: UNKNOWN_WIRE, f: "x" } });
        expect(() => props["b"]).toThrow("can't be known during preview");
        expect(plainProps(props)).toEqual({ a: 1, b: "[unknown]", c: [1, "[unknown]"], d: { e: "[unknown]", f: "x" } });
    });

    it("maps provider, protection and dependencies to the plan's shape", () => {
        const bucket = engineResource("aws:s3/bucket:Bucket", "files", { bucket: "f" }, { opts: { protect: true } as EngineResource["opts"] });
        const block = engineResource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", { bucket: UNKNOWN_WIRE }, { dependencies: [bucket], propertyDependencies: { bucket: [bucket] } });
        const onDefault = engineResource("aws:sns/topic:Topic", "t", {}, { provider: DEFAULT_PROVIDER });
        const component = engineResource("ops:files:FilesBucket", "c", {}, { provider: undefined });
        expect(fromEngine(bucket)).toMatchObject({ custom: true, provider: PROVIDER.urn, protect: true, inputs: { bucket: "f" } });
        expect(fromEngine(block)).toMatchObject({ inputs: { bucket: "[unknown]" }, dependencies: [bucket.urn], propertyDependencies: { bucket: [bucket.urn] } });
        expect(fromEngine(onDefault).provider).toBeNull();
        expect(fromEngine(engineResource("aws:sns/topic:Topic", "t", { id: "arn:aws:sns:us-east-1:1:t" })).id).toBe("arn:aws:sns:us-east-1:1:t");
        expect(fromEngine(engineResource("aws:sns/topic:Topic", "t", { id: UNKNOWN_WIRE })).id).toBeUndefined();
        expect(fromEngine(component).custom).toBe(false);
    });

    it("judges references by the engine's dependencies when the values are not known yet", () => {
        const bucket = engineResource("aws:s3/bucket:Bucket", "files", { bucket: UNKNOWN_WIRE });
        const flags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        const block = engineResource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", { bucket: UNKNOWN_WIRE, ...flags }, { propertyDependencies: { bucket: [bucket] } });
        const orphan = engineResource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "orphan", { bucket: UNKNOWN_WIRE, ...flags });
        const result = (resources: EngineResource[]) =>
            evaluate(contextFromEngine({ resources }, "production", "production"), rules).rules.find((r) => r.name === "s3-public-access-blocked")?.violations.map((v) => v.message);
        expect(result([bucket, block])).toEqual([]);
        expect(result([bucket, orphan])).toEqual(["no aws.s3.BucketPublicAccessBlock for this bucket"]);
    });

    it("takes the stack name from the CLI, or else from the resources' URNs", () => {
        const r = engineResource("aws:sns/topic:Topic", "t", {});
        expect(contextFromEngine({ resources: [r] }, "production", "production").stack).toBe("production");
        expect(contextFromEngine({ resources: [r] }, undefined, "production").stack).toBe("production");
        expect(contextFromEngine({ resources: [] }, undefined, "production").stack).toBe("unknown");
    });

    it("never echoes a secret the engine hands over in plain text", () => {
        const SECRET = "hunter2-sentinel-secret-value";
        const wrapped = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: SECRET };
        const resources = [
            engineResource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { authToken: wrapped, transitEncryptionEnabled: false }),
            engineResource("aws:rds/instance:Instance", "db", { password: wrapped, username: "postgres", engine: "postgres" }),
            engineResource("aws:lambda/function:Function", "fn", { runtime: "nodejs16.x", environment: { variables: { TOKEN: wrapped } } }),
            engineResource("aws:secretsmanager/secretVersion:SecretVersion", "v", { secretString: wrapped }),
        ];
        const report = evaluate(contextFromEngine({ resources }, "production", "production"), rules);
        expect(report.summary.mandatoryViolations).toBeGreaterThan(5);
        expect(JSON.stringify(report)).not.toContain(SECRET);
    });
});

describe("the engine's view of a stack, at its edges", () => {
    it("passes on an error that is not an unknown value, and stops copying below 64 levels", () => {
        const failing = { get a(): unknown { throw new TypeError("broken proxy"); } };
        expect(() => plainProps(failing)).toThrow("broken proxy");
        let deep: Record<string, unknown> = { leaf: 1 };
        for (let i = 0; i < 70; i++) deep = { next: deep };
        const level = (root: unknown, n: number): unknown => (n === 0 ? root : level((root as Record<string, unknown>)["next"], n - 1));
        const copy = plainProps(deep);
        expect(level(copy, 64)).not.toBe(level(deep, 64));
        expect(level(copy, 64)).toEqual(level(deep, 64));
        expect(level(copy, 65)).toBe(level(deep, 65));
    });

    it("drops undefined properties and reads a resource without dependencies or properties", () => {
        expect(plainProps({ a: undefined, b: null, c: 0, d: [null, 2] })).toStrictEqual({ b: null, c: 0, d: [null, 2] });
        expect(fromEngine(engineResource("aws:sns/topic:Topic", "t", { id: 5 })).id).toBeUndefined();
        const bare = engineResource("pulumi:providers:aws", "p", {}, { provider: undefined, dependencies: undefined, propertyDependencies: undefined, props: undefined } as unknown as Partial<EngineResource>);
        expect(fromEngine(bare)).toStrictEqual({
            urn: "urn:pulumi:production::ops::pulumi:providers:aws::p",
            type: "pulumi:providers:aws",
            name: "p",
            id: undefined,
            custom: true,
            provider: null,
            protect: false,
            inputs: {},
            dependencies: [],
            propertyDependencies: {},
        });
    });
});
