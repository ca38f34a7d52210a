import { diffValues, preview, topLevel } from "../../../tools/diff/structural";

describe("diffValues", () => {
    it("finds nothing between equal values", () => {
        expect(diffValues({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toEqual([]);
    });

    it("names each changed, added and removed path", () => {
        const before = { tags: { env: "staging", team: "a" }, spec: { replicas: 3, ports: [80, 443] } };
        const after = { tags: { env: "production", owner: "b" }, spec: { replicas: 3, ports: [80] } };
        expect(diffValues(before, after)).toEqual([
            { path: "spec.ports[1]", kind: "removed", before: 443 },
            { path: "tags.env", kind: "changed", before: "staging", after: "production" },
            { path: "tags.owner", kind: "added", after: "b" },
            { path: "tags.team", kind: "removed", before: "a" },
        ]);
    });

    it("compares JSON documents held in strings as documents", () => {
        const doc = (action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
        expect(diffValues({ policy: doc("s3:GetObject") }, { policy: doc("s3:*") })).toEqual([
            { path: "policy(json).Statement[0].Action", kind: "changed", before: "s3:GetObject", after: "s3:*" },
        ]);
    });

    it("keeps secrets redacted: two secrets compare equal, a secret against a value is a change of the redacted value", () => {
        expect(diffValues({ password: "[secret]" }, { password: "[secret]" })).toEqual([]);
        expect(diffValues({ password: "[secret]" }, { password: "plain" })).toEqual([{ path: "password", kind: "changed", before: "[secret]", after: "plain" }]);
    });

    it("treats a type change as a change of the whole value", () => {
        expect(diffValues({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: "a", kind: "changed", before: [1], after: { 0: 1 } }]);
    });
});

describe("topLevel and preview", () => {
    it("gives the input a path belongs to", () => {
        expect(topLevel("spec.template.spec")).toBe("spec");
        expect(topLevel("ports[0]")).toBe("ports");
        expect(topLevel("policy(json).Statement")).toBe("policy");
    });

    it("shortens long values", () => {
        expect(preview("x".repeat(200), 20)).toHaveLength(20);
        expect(preview(undefined)).toBe("(none)");
    });
});
