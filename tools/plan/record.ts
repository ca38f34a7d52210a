import * as pulumi from "@pulumi/pulumi";
import { RealisticMocks, unansweredMessage } from "./mocks";

/**
 * Runs a Pulumi program under mocks and records what it registers: the offline plan.
 *
 * The program is the real one (the CLI's `index.ts`, or the same composition a test calls);
 * resource options are captured by a stack transformation registered inside
 * `runInPulumiStack`, and inputs by serialising the props each resource was constructed with,
 * so secret values can be told apart and redacted.
 */

/** One resource of the plan. The JSON shape other tools rely on: extend it, don't break it. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** The id the mocks gave it (null for components). */
    id: string | null;
    parent: string | null;
    custom: boolean;
    /** The explicit provider, or null for the default provider. */
    provider: string | null;
    /** Explicit `dependsOn`. */
    dependsOn: string[];
    /** Resources whose outputs flow into this one's inputs. */
    dependencies: string[];
    protect: boolean;
    retainOnDelete: boolean;
    /**
     * Other options that were set: `deleteBeforeReplace`, `ignoreChanges`, `additionalSecretOutputs`,
     * `customTimeouts`..., and `providers` (the URNs of the providers a component hands its children).
     * `aliases` is the list of URNs the resource was known by before (engine form), so a reader can
     * tell an aliased rename from a delete and a create.
     */
    options: Record<string, unknown>;
    /** Inputs as the program passed them; secrets are `"[secret]"`, unknowns `"[unknown]"`. */
    inputs: Record<string, unknown>;
}

export interface Plan {
    project: string;
    stack: string;
    resources: PlannedResource[];
    /** Stack outputs; secret outputs are `"[secret]"`. */
    outputs: Record<string, unknown>;
}

export interface PlanOptions {
    project: string;
    stack: string;
    /** Config as Pulumi passes it to a program: namespaced keys, string values. */
    config: Record<string, string>;
    /** Keys of `config` whose values are secrets. */
    secretKeys: string[];
    /** Region for resources whose provider says none. */
    defaultRegion: string;
    /** The program: returns its stack outputs, as `index.ts` exports them. */
    program: () => unknown;
}

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

interface Captured {
    resource: pulumi.Resource;
    type: string;
    name: string;
    custom: boolean;
    props: pulumi.Inputs;
    opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions;
}

/**
 * The URN as the Pulumi engine writes it. The mock monitor puts the root stack's type into the
 * type chain of its children (`pulumi:pulumi:Stack$aws:s3/bucket:Bucket`); the engine does not.
 */
export function engineUrn(urn: string): string {
    return urn.replace("::pulumi:pulumi:Stack$", "::");
}

/** Each resource's URN once: the recording asks for a resource's URN wherever it is a parent, provider or dependency. */
const URNS = new WeakMap<pulumi.Resource, Promise<string>>();

function urnOf(r: pulumi.Resource): Promise<string> {
    let urn = URNS.get(r);
    if (!urn) {
        urn = settled(r.urn).then((u) => engineUrn(u as string));
        URNS.set(r, urn);
    }
    return urn;
}

/**
 * The value behind an input: promises and outputs awaited, as often as they nest. Not through
 * `pulumi.output(...).apply`: an output made of a value that holds a resource (an alias's
 * parent, a `dependsOn` list) checks that value for unknowns through the whole graph of
 * resources it reaches: most of what recording a production plan cost. An unknown output
 * settles as undefined (a URN, an alias or a dependency never is one).
 */
async function settled(input: unknown): Promise<unknown> {
    let v = input;
    for (;;) {
        if (v instanceof Promise) v = await v;
        else if (pulumi.Output.isInstance(v)) v = await (v as unknown as { promise(): Promise<unknown> }).promise();
        else return v;
    }
}

/** Turns serialised property values into plain JSON: secrets and unknowns redacted, references as URNs. */
export function redact(value: unknown): unknown {
    const sig = pulumi.runtime.specialSigKey;
    if (value === pulumi.runtime.unknownValue) return UNKNOWN;
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        switch (obj[sig]) {
            case pulumi.runtime.specialSecretSig:
                return SECRET;
            case pulumi.runtime.specialResourceSig:
                return typeof obj["urn"] === "string" ? engineUrn(obj["urn"]) : obj["urn"];
            case pulumi.runtime.specialAssetSig:
            case pulumi.runtime.specialArchiveSig:
                return { asset: obj["path"] ?? obj["uri"] ?? (obj["text"] !== undefined ? "<text>" : "<archive>") };
            case undefined:
                break;
            default:
                return obj["value"] === undefined ? null : redact(obj["value"]);
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = redact(v);
        return out;
    }
    return value;
}

/** The URNs of a `dependsOn` option: a resource, or a list of them, each possibly behind an output or a promise. */
async function resolveRefs(input: unknown): Promise<string[]> {
    if (input === undefined || (Array.isArray(input) && input.length === 0)) return [];
    const resolved = await settled(input);
    const list = Array.isArray(resolved) ? await Promise.all(resolved.map(settled)) : resolved ? [resolved] : [];
    return Promise.all(list.filter((r): r is pulumi.Resource => pulumi.Resource.isInstance(r)).map(urnOf));
}

const RECORDED_OPTIONS = ["deleteBeforeReplace", "ignoreChanges", "aliases", "additionalSecretOutputs", "replaceOnChanges", "customTimeouts", "import"] as const;

/** The URNs of a `providers` option (a list, or a map from package to provider), sorted. */
async function providerUrns(providers: pulumi.ComponentResourceOptions["providers"]): Promise<string[]> {
    const list = Array.isArray(providers) ? providers : Object.values(providers ?? {});
    return (await Promise.all(list.map(urnOf))).sort();
}

/** The type chain a child of `parentUrn` starts its own with: empty under the root stack, as the engine writes it. */
function typeChainUnder(parentUrn: string): string {
    const chain = parentUrn.split("::")[2] ?? "";
    return chain === "" || chain === "pulumi:pulumi:Stack" ? "" : `${chain}$`;
}

/**
 * The URNs of a resource's `aliases`, resolved as the engine resolves alias specs: a missing name,
 * type, stack or project is the resource's own, a missing parent is its parent, and `parent:
 * undefined` means the root stack.
 */
async function aliasUrns(c: Captured, parentUrn: string): Promise<string[]> {
    const out: string[] = [];
    for (const raw of (c.opts.aliases ?? []) as pulumi.Input<string | pulumi.Alias>[]) {
        const alias = (await settled(raw)) as string | pulumi.Alias;
        if (typeof alias === "string") {
            out.push(engineUrn(alias));
            continue;
        }
        const str = async (v: pulumi.Input<string> | undefined): Promise<string | undefined> => (await settled(v)) as string | undefined;
        let aliasParent = parentUrn;
        if (Object.prototype.hasOwnProperty.call(alias, "parent")) {
            const p = await settled(alias.parent);
            aliasParent = p === undefined ? "" : pulumi.Resource.isInstance(p) ? await urnOf(p) : engineUrn((p as string | null) ?? "");
        }
        const name = (await str(alias.name)) ?? c.name;
        const type = (await str(alias.type)) ?? c.type;
        const stack = (await str(alias.stack)) ?? pulumi.getStack();
        const project = (await str(alias.project)) ?? pulumi.getProject();
        out.push(`urn:pulumi:${stack}::${project}::${typeChainUnder(aliasParent)}${type}::${name}`);
    }
    return [...new Set(out)];
}

async function toPlanned(c: Captured, ids: Map<string, string | null>, rootUrn: string): Promise<PlannedResource> {
    const urn = await urnOf(c.resource);
    const parentUrn = c.opts.parent ? await urnOf(c.opts.parent) : rootUrn;
    const provider = c.opts.provider ? await urnOf(c.opts.provider) : null;
    let inputs: Record<string, unknown> = {};
    let dependencies: string[] = [];
    if (c.custom) {
        const [serialised, deps] = await (REGISTERED_INPUTS.get(c.resource) ?? pulumi.runtime.serializeResourceProperties(`plan:${c.name}`, c.props));
        inputs = redact(serialised) as Record<string, unknown>;
        const depUrns = new Set<string>();
        for (const set of deps.values()) for (const r of set) depUrns.add(await urnOf(r));
        depUrns.delete(urn);
        dependencies = [...depUrns].sort();
    }
    const options: Record<string, unknown> = {};
    for (const k of RECORDED_OPTIONS) {
        const v = (c.opts as Record<string, unknown>)[k];
        if (v !== undefined && !(Array.isArray(v) && v.length === 0)) options[k] = k === "aliases" ? await aliasUrns(c, parentUrn) : v;
    }
    // Children inherit these (the SDK resolves a child's provider through its parents), and a
    // component's registration waits for them: the RTO estimate follows both.
    const providers = await providerUrns(c.opts.providers);
    if (providers.length > 0) options["providers"] = providers;
    return {
        urn,
        type: c.type,
        name: c.name,
        id: ids.get(urn) ?? null,
        parent: urn === rootUrn ? null : parentUrn,
        custom: c.custom,
        provider,
        dependsOn: await resolveRefs(c.opts.dependsOn),
        dependencies,
        protect: c.opts.protect === true,
        retainOnDelete: c.opts.retainOnDelete === true,
        options,
        inputs,
    };
}

/**
 * The offline plan records no source positions, yet for every resource the SDK captures a stack
 * trace of unlimited depth and turns each frame into a file URL (`Resource.stackTrace` in
 * @pulumi/pulumi's resource.js), which the mocks never read: a few percent of a production plan's
 * CPU, more the deeper the program's components nest. Only the plan's own process skips it;
 * `pulumi up` runs the SDK as it is.
 */
export function skipSourcePositions(): void {
    const resource = pulumi.Resource as unknown as { stackTrace?: unknown };
    if (typeof resource.stackTrace === "function") resource.stackTrace = (): unknown[] => [];
}

type Serialised = ReturnType<typeof pulumi.runtime.serializeResourceProperties>;

/** Each registered resource's inputs as the SDK serialised them for the (mock) engine. */
const REGISTERED_INPUTS = new WeakMap<pulumi.Resource, Serialised>();

/**
 * The SDK serialises every resource's inputs once to register it, exactly as the plan would
 * (outputs awaited, secrets and unknowns marked, the resources each property depends on): the
 * plan keeps that serialisation rather than walking every input again. Only a plain registration is kept (not a multi-language component's, which keeps
 * output values); a resource registered otherwise (read, or looked up) is serialised by the plan.
 */
function keepRegisteredInputs(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module whose export the SDK's registration calls
    const rpc = require("@pulumi/pulumi/runtime/rpc") as { serializeResourceProperties: SerialiseFn & { planKeeps?: true } };
    if (rpc.serializeResourceProperties.planKeeps) return;
    const sdk = rpc.serializeResourceProperties;
    const keeping: SerialiseFn & { planKeeps?: true } = (label, props, opts) => {
        const result = sdk(label, props, opts);
        const res = opts?.pendingRegistration?.res;
        if (res && !opts.keepOutputValues && !opts.excludeResourceReferencesFromDependencies) REGISTERED_INPUTS.set(res, result);
        return result;
    };
    keeping.planKeeps = true;
    rpc.serializeResourceProperties = keeping;
}

type SerialiseFn = (
    label: string,
    props: pulumi.Inputs,
    opts?: { keepOutputValues?: boolean; excludeResourceReferencesFromDependencies?: boolean; pendingRegistration?: { res: pulumi.Resource } },
) => Serialised;

/**
 * Plans a program. Throws what the program throws (a `SettingsError` for bad settings), so
 * callers decide how to report it; nothing is written on failure.
 */
export async function recordPlan(opts: PlanOptions): Promise<Plan> {
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    const mocks = new RealisticMocks(opts.defaultRegion);
    skipSourcePositions();
    keepRegisteredInputs();
    await pulumi.runtime.setMocks(mocks, opts.project, opts.stack, true);
    const captured: Captured[] = [];
    let programError: unknown;
    // The program's own outputs, before the stack resolves them (which would unwrap secrets).
    let programOutputs: unknown;
    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            captured.push({
                resource: args.resource,
                type: args.type,
                name: args.name,
                custom: args.resource instanceof pulumi.CustomResource,
                props: args.props,
                opts: args.opts as Captured["opts"],
            });
            return undefined;
        });
        try {
            programOutputs = await Promise.resolve(opts.program());
            return programOutputs;
        } catch (e) {
            programError = e;
            return {};
        }
    });
    if (mocks.unanswered.length > 0 || programError !== undefined) {
        // Let the stack's own registration settle first: left running, it would reach the next
        // plan's mocks in the same process (a plan worker's), which know nothing of it, and crash it.
        await pulumi.runtime.disconnect();
        if (mocks.unanswered.length > 0) throw new Error(unansweredMessage(mocks.unanswered));
        throw programError;
    }

    // A resource's URN resolves once the mocks have answered it: wait for all of them, so that
    // resources registered late (waiting on others' outputs) have their ids too.
    await Promise.all(captured.map((c) => urnOf(c.resource)));
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string; id: string | null }> };
    const ids = new Map<string, string | null>();
    for (const r of monitor.resources.values()) ids.set(engineUrn(r.urn), r.id || null);
    const rootUrn = [...ids.keys()].find((u) => u.endsWith(`::pulumi:pulumi:Stack::${opts.project}-${opts.stack}`)) ?? "";

    const stackResource: PlannedResource = {
        urn: rootUrn,
        type: "pulumi:pulumi:Stack",
        name: `${opts.project}-${opts.stack}`,
        id: null,
        parent: null,
        custom: false,
        provider: null,
        dependsOn: [],
        dependencies: [],
        protect: false,
        retainOnDelete: false,
        options: {},
        inputs: {},
    };
    const resources = [stackResource, ...(await Promise.all(captured.map((c) => toPlanned(c, ids, rootUrn))))];
    const seen = new Set<string>();
    for (const r of resources) {
        if (seen.has(r.urn)) throw new Error(`Two resources share the URN ${r.urn}: give one of them another name.`);
        seen.add(r.urn);
    }
    const outputs = redact(await pulumi.runtime.serializeProperties("plan:outputs", (programOutputs ?? {}) as pulumi.Inputs)) as Record<
        string,
        unknown
    >;
    // Let every outstanding registration settle, so nothing is left running when the caller exits.
    await pulumi.runtime.disconnect();
    return { project: opts.project, stack: opts.stack, resources, outputs };
}
