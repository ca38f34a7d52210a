import { REQUIRED_TAGS, STATEFUL_TYPES, generalRules } from "../../../policy/rules/general";
import { findings, res, ruleSuite } from "../fixtures";

const tags = (over: Record<string, unknown> = {}) => JSON.stringify({ tags: { ...Object.fromEntries(REQUIRED_TAGS.map((t) => [t, "x"])), environment: "production", ...over } });
const provider = (inputs: Record<string, unknown>, name = "p") => res("pulumi:providers:aws", inputs, { name, provider: null });

describe("general rules", () => {
    const rule = ruleSuite(generalRules);

    rule("aws-explicit-provider", {
        compliant: () => [res("aws:s3/bucket:Bucket", {}, { name: "b" })],
        missing: () => [res("aws:s3/bucket:Bucket", {}, { name: "b", provider: null })],
        missingFindings: ["b: uses the default AWS provider; pass { provider } from modules/aws/providers.ts"],
        wrong: () => [res("aws:sns/topic:Topic", {}, { name: "t", provider: null }), res("aws:s3/bucket:Bucket", {}, { name: "ok" })],
        wrongFindings: ["t: uses the default AWS provider; pass { provider } from modules/aws/providers.ts"],
    });

    rule("aws-default-tags", {
        compliant: () => [provider({ defaultTags: tags() })],
        missing: () => [provider({})],
        missingFindings: ["p: defaultTags lacks environment, project, owner, cost-center, managed-by"],
        wrong: () => [provider({ defaultTags: tags({ owner: "", "cost-center": 7, environment: "staging" }) })],
        wrongFindings: ["p: defaultTags lacks owner, cost-center", 'p: defaultTags environment is "staging" but stack "test" is production (environment "production")'],
    });

    rule("stateful-resources-protected", {
        compliant: () => [res("aws:rds/instance:Instance", {}, { protect: true })],
        missing: () => [res("aws:rds/instance:Instance", {}, { name: "db" })],
        missingFindings: ["db: holds data but is not protected: pass { protect: true } (the stack's protect-stateful-resources setting)"],
        wrong: () => [res("aws:kms/key:Key", {}, { name: "k", protect: false }), res("aws:s3/bucket:Bucket", {}, { name: "b", protect: true })],
        wrongFindings: ["k: holds data but is not protected: pass { protect: true } (the stack's protect-stateful-resources setting)"],
    });

    it("ignores components and non-AWS resources for the explicit provider", () => {
        expect(findings("aws-explicit-provider", [res("aws:s3/bucket:Bucket", {}, { custom: false, provider: null }), res("kubernetes:core/v1:Namespace", {}, { provider: null })])).toEqual([]);
    });

    it("reads the environment tag of a preview as staging, and of a development stack as development", () => {
        const p = [provider({ defaultTags: tags({ environment: "staging" }) })];
        expect(findings("aws-default-tags", p, "preview")).toEqual([]);
        expect(findings("aws-default-tags", p, "staging")).toEqual([]);
        expect(findings("aws-default-tags", p, "development")).toEqual(['p: defaultTags environment is "staging" but stack "test" is development (environment "development")']);
    });

    it("reports an empty environment tag as missing only, not as another environment", () => {
        expect(findings("aws-default-tags", [provider({ defaultTags: tags({ environment: "" }) })])).toEqual(["p: defaultTags lacks environment"]);
    });

    it("accepts default tags given as an object (the engine's view) as well as JSON", () => {
        expect(findings("aws-default-tags", [provider({ defaultTags: JSON.parse(tags()) as unknown })])).toEqual([]);
    });

    it("judges every stateful type, and only those", () => {
        expect(STATEFUL_TYPES.length).toBeGreaterThanOrEqual(10);
        for (const type of STATEFUL_TYPES) expect(findings("stateful-resources-protected", [res(type, {}, { name: "x" })])).toHaveLength(1);
        expect(findings("stateful-resources-protected", [res("aws:sns/topic:Topic")])).toEqual([]);
    });
});
