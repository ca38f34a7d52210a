import { StackView, appliesTo } from "../../policy/rule";
import {
    actionMatches,
    asArray,
    at,
    identifiersOf,
    isFalse,
    isTrue,
    isWorld,
    names,
    num,
    openedPorts,
    parseJson,
    refersTo,
    regionOf,
    shown,
    statementsOf,
    stringsIn,
} from "../../policy/values";
import { DR_PROVIDER_URN, PROVIDER_URN, providers, res } from "./fixtures";

describe("the rules' helpers", () => {
    it("read booleans and numbers as the provider takes them", () => {
        expect([true, "true"].map(isTrue)).toEqual([true, true]);
        expect([false, "false", undefined, "yes", 1].map(isTrue)).toEqual([false, false, false, false, false]);
        expect([false, "false"].map(isFalse)).toEqual([true, true]);
        expect([undefined, true, "no", 0].map(isFalse)).toEqual([false, false, false, false]);
        expect([30, "30", "2.5", "", " ", "x", Number.NaN, undefined].map(num)).toEqual([30, 30, 2.5, undefined, undefined, undefined, undefined, undefined]);
    });

    it("show values in messages briefly", () => {
        expect(shown(undefined)).toBe("unset");
        expect(shown(null)).toBe("null");
        expect(shown(false)).toBe("false");
        expect(shown(7)).toBe("7");
        expect(shown("x")).toBe('"x"');
        expect(shown("y".repeat(100))).toBe(`"${"y".repeat(77)}..."`);
        expect(shown("z".repeat(80))).toBe(`"${"z".repeat(80)}"`);
        expect(shown([1, 2])).toBe("a list of 2");
        expect(shown({ a: 1 })).toBe("an object");
    });

    it("walk nested values and lists", () => {
        expect(at({ a: { b: [{ c: 1 }] } }, "a", "b", 0, "c")).toBe(1);
        expect(at({ a: null }, "a", "b")).toBeUndefined();
        expect(at("text", "length")).toBeUndefined();
        expect(asArray(undefined)).toEqual([]);
        expect(asArray(null)).toEqual([]);
        expect(asArray("x")).toEqual(["x"]);
        expect(asArray([1])).toEqual([1]);
        expect(stringsIn({ a: ["x", { b: "y" }], c: 1, d: null })).toEqual(["x", "y"]);
        expect(parseJson("{bad")).toBeUndefined();
        expect(parseJson('{"a":1}')).toEqual({ a: 1 });
        expect(parseJson({ a: 1 })).toEqual({ a: 1 });
    });

    it("normalise policy statements: principals of every kind, single statements, conditions", () => {
        const doc = JSON.stringify({
            Statement: [
                { Sid: "A", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"], Service: "s3.amazonaws.com" }, Action: "s3:GetObject", Resource: "*", Condition: { Bool: { x: "y" } } },
                { Effect: "Deny", Principal: "*", NotAction: "s3:*", Resource: ["a", "b"] },
                "not a statement",
                { Effect: "Maybe" },
            ],
        });
        expect(statementsOf(doc)).toEqual([
            { effect: "Allow", sid: "A", actions: ["s3:GetObject"], notActions: [], resources: ["*"], principals: ["arn:aws:iam::1:root", "*", "s3.amazonaws.com"], hasCondition: true, condition: { Bool: { x: "y" } } },
            { effect: "Deny", sid: undefined, actions: [], notActions: ["s3:*"], resources: ["a", "b"], principals: ["*"], hasCondition: false, condition: {} },
            { effect: undefined, sid: undefined, actions: [], notActions: [], resources: [], principals: [], hasCondition: false, condition: {} },
        ]);
        expect(statementsOf("not json")).toEqual([]);
        expect(statementsOf(undefined)).toEqual([]);
    });

    it.each([
        ["kms:Decrypt", "kms:Decrypt", true],
        ["kms:decrypt", "kms:Decrypt", true],
        ["kms:*", "kms:Decrypt", true],
        ["kms:Decrypt*", "kms:Decrypt", true],
        ["*", "kms:Decrypt", true],
        ["kms:De?rypt", "kms:Decrypt", true],
        ["kms:De?crypt", "kms:Decrypt", false],
        ["kms.Decrypt", "kmsxDecrypt", false],
        ["kms:Encrypt", "kms:Decrypt", false],
        ["kms:Decrypt", "kms:DecryptX", false],
        ["s3:*", "kms:Decrypt", false],
    ])("action %s grants %s: %s", (pattern, action, expected) => {
        expect(actionMatches(pattern, action)).toBe(expected);
    });

    it("tell the internet from a network, and the ports a rule opens", () => {
        expect(["0.0.0.0/0", "::/0"].map(isWorld)).toEqual([true, true]);
        expect(["0.0.0.0/1", "10.0.0.0/8", "::/1", undefined].map(isWorld)).toEqual([false, false, false, false]);
        expect(openedPorts("tcp", 80, 443)).toEqual({ protocol: "tcp", from: 80, to: 443 });
        expect(openedPorts("6", 22, undefined)).toEqual({ protocol: "tcp", from: 22, to: 22 });
        expect(openedPorts("17", 53, 53)).toEqual({ protocol: "udp", from: 53, to: 53 });
        expect(openedPorts("1", -1, -1)).toEqual({ protocol: "icmp", from: -1, to: -1 });
        expect(openedPorts("-1", 443, 443)).toEqual({ protocol: "all", from: 0, to: 65535 });
        expect(openedPorts("ALL", undefined, undefined)).toEqual({ protocol: "all", from: 0, to: 65535 });
        expect(openedPorts("TCP", "443", "443")).toEqual({ protocol: "tcp", from: 443, to: 443 });
    });

    it("find a resource by its id, ARN, name or (for a bucket) derived ARN", () => {
        const bucket = res("aws:s3/bucket:Bucket", { bucket: "files" }, { id: "files" });
        const db = res("aws:rds/instance:Instance", { identifier: "main" }, { id: undefined });
        const cache = res("aws:elasticache/replicationGroup:ReplicationGroup", { replicationGroupId: "redis" }, { id: null });
        expect(identifiersOf(bucket)).toEqual(["files", "files", "arn:aws:s3:::files", "arn:aws:s3:::files"]);
        expect(identifiersOf(db)).toEqual(["main"]);
        expect(identifiersOf(cache)).toEqual(["redis"]);
        expect(identifiersOf(res("aws:sns/topic:Topic", { name: "[unknown]" }, { id: "" }))).toEqual([]);
        expect(names("arn:aws:s3:::files", bucket)).toBe(true);
        expect(names("arn:aws:rds:us-east-1:1:db:main", db)).toBe(true);
        expect(names("arn:aws:rds:us-east-1:1:db:main-2", db)).toBe(false);
        expect(names("arn:aws:rds:us-east-1:1:db/main", db)).toBe(true);
        expect(names("xmain", db)).toBe(false);
        expect(names(["other", { nested: "redis" }], cache)).toBe(true);
    });

    it("follow the engine's per-input dependencies, or else the values", () => {
        const target = res("aws:sns/topic:Topic", {}, { urn: "urn:t", id: undefined });
        expect(refersTo(res("x:y:Z", { a: "[unknown]" }, { propertyDependencies: { a: ["urn:t"] } }), "a", target)).toBe(true);
        expect(refersTo(res("x:y:Z", { a: "[unknown]" }, { propertyDependencies: { b: ["urn:t"] } }), "a", target)).toBe(false);
        expect(refersTo(res("x:y:Z", { a: "arn:t" }, { propertyDependencies: { a: ["urn:other"] } }), "a", { ...target, inputs: { arn: "arn:t" } })).toBe(true);
    });

    it("place a resource in its own region, else its provider's", () => {
        const stack = providers();
        expect(regionOf(res("aws:kms/key:Key", {}, { provider: PROVIDER_URN }), stack)).toBe("us-east-1");
        expect(regionOf(res("aws:kms/key:Key", {}, { provider: DR_PROVIDER_URN }), stack)).toBe("us-west-2");
        expect(regionOf(res("aws:kms/key:Key", { region: "eu-west-1" }, { provider: DR_PROVIDER_URN }), stack)).toBe("eu-west-1");
        expect(regionOf(res("aws:kms/key:Key", {}, { provider: null }), stack)).toBeUndefined();
    });

    it("match rule types exactly, or by a prefix ending in *", () => {
        expect(appliesTo({ types: ["aws:*"] }, "aws:s3/bucket:Bucket")).toBe(true);
        expect(appliesTo({ types: ["aws:*"] }, "kubernetes:core/v1:Pod")).toBe(false);
        expect(appliesTo({ types: ["aws:s3/bucket:Bucket"] }, "aws:s3/bucket:BucketV2")).toBe(false);
    });

    it("query a stack by one type or several, in plan order", () => {
        const a = res("t:a:A", {}, { name: "a1" });
        const b = res("t:b:B", {}, { name: "b1" });
        const a2 = res("t:a:A", {}, { name: "a2" });
        const view = new StackView({ stack: "s", tier: "preview", resources: [a, b, a2] });
        expect(view.ofType("t:a:A").map((r) => r.name)).toEqual(["a1", "a2"]);
        expect(view.ofType("t:b:B", "t:a:A").map((r) => r.name)).toEqual(["a1", "b1", "a2"]);
        expect(view.ofType("t:c:C")).toEqual([]);
        expect(view.environment).toBe("staging");
    });
});
