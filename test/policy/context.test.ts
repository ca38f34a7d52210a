import { profileForStack } from "../../settings/profiles";
import { contextFromPlan, providerEnvironment, stackFromCli, stackOfUrn, tierOf } from "../../policy/context";
import type { Plan } from "../../tools/plan/record";
import { res } from "./fixtures";

const tags = (environment: string) => JSON.stringify({ tags: { environment } });
const aws = (environment: string, name = "p") => res("pulumi:providers:aws", { defaultTags: tags(environment) }, { name, provider: null });

describe("the tier of a stack", () => {
    it.each([
        ["dev", undefined, "development"],
        ["staging", undefined, "staging"],
        ["production", undefined, "production"],
        ["pr-1", undefined, "preview"],
        ["pr-42", "staging", "preview"],
        ["production-dr", "production", "production"],
        ["sandbox-alex", "development", "development"],
        ["sandbox-alex", "staging", "staging"],
        ["sandbox-alex", undefined, "production"],
        ["sandbox-alex", "qa", "production"],
        ["pr-0", undefined, "production"],
        ["pr-", "development", "development"],
        ["staging", "development", "staging"],
        ["production", "development", "production"],
        ["xpr-1", "development", "development"],
        ["pr-1x", undefined, "production"],
        ["sandbox-alex", ["staging"], "production"],
    ])("%s with environment %s is %s", (stack, environment, tier) => {
        expect(tierOf(stack, environment)).toBe(tier);
    });

    it.each(["dev", "staging", "production", "pr-1", "pr-42", "pr-1000", "pr-0", "pr-01", "prod", "production-dr", "Dev"])(
        "agrees with the program's own choice of profile for stack %s (settings/profiles.ts)",
        (stack) => {
            const profile = profileForStack(stack);
            expect(tierOf(stack, undefined)).toBe(profile ?? "production");
        },
    );
});

describe("the offline plan's context", () => {
    const plan = (stack: string, outputs: Record<string, unknown>, resources = [aws("staging")]): Plan =>
        ({ project: "ops", stack, outputs, resources: resources.map((r) => ({ ...r, parent: null, dependsOn: [], dependencies: [], retainOnDelete: false, options: {} })) }) as unknown as Plan;

    it("takes the profile the program exports", () => {
        expect(contextFromPlan(plan("pr-7", { profile: "preview", environment: "staging" })).tier).toBe("preview");
        expect(contextFromPlan(plan("production-dr", { profile: "production", environment: "production" })).tier).toBe("production");
    });

    it("without a profile output, reads the stack name, then the environment output, then the providers' tag", () => {
        expect(contextFromPlan(plan("sandbox", { environment: "development" })).tier).toBe("development");
        expect(contextFromPlan(plan("sandbox", {})).tier).toBe("staging");
        expect(contextFromPlan(plan("sandbox", { profile: "nonsense" }, [])).tier).toBe("production");
        expect(contextFromPlan(plan("sandbox", { profile: "development" }, [])).tier).toBe("development");
        expect(contextFromPlan({ ...plan("dev", {}), outputs: undefined }).tier).toBe("development");
        expect(contextFromPlan({ ...plan("sandbox", {}), outputs: undefined }).tier).toBe("staging");
    });

    it("keeps each resource's id and dependencies for the rules' references", () => {
        const ctx = contextFromPlan(plan("dev", {}, [res("aws:s3/bucket:Bucket", { bucket: "b" }, { name: "b", id: "b-123" })]));
        expect(ctx.resources[0]).toMatchObject({ name: "b", id: "b-123", dependencies: [], inputs: { bucket: "b" } });
        expect(ctx.stack).toBe("dev");
    });

    it("reads the providers' environment only when they agree", () => {
        expect(providerEnvironment([aws("staging"), aws("staging", "q")])).toBe("staging");
        expect(providerEnvironment([aws("staging"), aws("production", "q")])).toBeUndefined();
        expect(providerEnvironment([res("pulumi:providers:aws", {}, { provider: null })])).toBeUndefined();
        expect(providerEnvironment([aws("staging"), res("aws:s3/bucket:Bucket", { defaultTags: tags("production") }, { name: "b" })])).toBe("staging");
    });

    it("finds the stack name in a URN", () => {
        expect(stackOfUrn("urn:pulumi:production-dr::ops::aws:s3/bucket:Bucket::b")).toBe("production-dr");
        expect(stackOfUrn("not-a-urn")).toBeUndefined();
        expect(stackOfUrn("x-urn:pulumi:production::ops::aws:s3/bucket:Bucket::b")).toBeUndefined();
    });
});

describe("the stack under the Pulumi CLI", () => {
    it("reads the stack name and the environment the CLI passes to the pack", () => {
        expect(stackFromCli({ PULUMI_STACK: "production" })).toMatchObject({ stack: "production", tier: "production" });
        expect(stackFromCli({ PULUMI_NODEJS_STACK: "pr-12" })).toMatchObject({ stack: "pr-12", tier: "preview" });
        expect(stackFromCli({ PULUMI_STACK: "production-dr", PULUMI_PROJECT: "ops", PULUMI_CONFIG: JSON.stringify({ "ops:environment": "production", "ops:region": "us-west-2" }) })).toEqual({
            stack: "production-dr",
            tier: "production",
            source: 'stack "production-dr", environment production',
        });
    });

    it("lets OPS_ENVIRONMENT override the stack file, as it does for the program", () => {
        expect(stackFromCli({ PULUMI_STACK: "sandbox", PULUMI_CONFIG: JSON.stringify({ "ops:environment": "production" }), OPS_ENVIRONMENT: "development" }).tier).toBe("development");
    });

    it("reads the environment under the project's own namespace", () => {
        expect(stackFromCli({ PULUMI_STACK: "sandbox", PULUMI_PROJECT: "other", PULUMI_CONFIG: JSON.stringify({ "ops:environment": "development" }) }).tier).toBe("production");
        expect(stackFromCli({ PULUMI_STACK: "sandbox", PULUMI_PROJECT: "other", PULUMI_CONFIG: JSON.stringify({ "other:environment": "development" }) }).tier).toBe("development");
        expect(stackFromCli({ PULUMI_STACK: "sandbox", PULUMI_NODEJS_PROJECT: "other", PULUMI_CONFIG: JSON.stringify({ "other:environment": "development" }) }).tier).toBe("development");
        expect(stackFromCli({ PULUMI_STACK: "sandbox", PULUMI_CONFIG: JSON.stringify({ "ops:environment": "development" }) }).tier).toBe("development");
    });

    it("judges a stack it cannot tell as production, the strictest", () => {
        expect(stackFromCli({})).toEqual({ stack: undefined, tier: "production", source: "no PULUMI_STACK: judged as production, the strictest" });
        expect(stackFromCli({ PULUMI_STACK: "sandbox", PULUMI_CONFIG: "{not json" })).toEqual({ stack: "sandbox", tier: "production", source: 'stack "sandbox"' });
    });
});
