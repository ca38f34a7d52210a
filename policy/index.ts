/**
 * The policy pack for the real CLI: `pulumi preview --policy-pack policy` (after `npm ci` at the
 * repository root). It runs the same rules as `npm run policy` and the test suite, on the
 * engine's view of the stack.
 */
import { PolicyPack, PolicyResource as EngineResource, StackValidationArgs } from "@pulumi/policy";
import { environmentOf } from "./context";
import { PolicyContext, PolicyResource, rules } from "./rules";

function fromEngine(r: EngineResource): PolicyResource {
    const provider = r.provider && !r.provider.name.startsWith("default") ? r.provider.urn : null;
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        custom: r.provider !== undefined || r.type.startsWith("pulumi:providers:"),
        provider,
        protect: r.opts.protect,
        retainOnDelete: false,
        inputs: r.props,
    };
}

function contextFromEngine(args: StackValidationArgs): PolicyContext {
    const resources = args.resources.map(fromEngine);
    return { environment: environmentOf(resources), resources };
}

new PolicyPack("ops", {
    policies: rules.map((rule) => ({
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcement,
        validateStack: (args: StackValidationArgs, reportViolation: (message: string, urn?: string) => void) => {
            for (const v of rule.check(contextFromEngine(args))) reportViolation(v.message, v.urn);
        },
    })),
});
