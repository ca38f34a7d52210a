/**
 * The SDK floor of a plan: a trivial program that registers as many resources as a stack's plan
 * holds, of the same types (through the same provider classes, so the same modules load), with the
 * same names, parents, providers and inputs, under the same RealisticMocks, and nothing else: no
 * settings, no composition, no invokes, no recording. What the offline plan takes beyond this is
 * the program's and the plan tool's own cost (tools/bench.ts compares the two in one run).
 *
 *   node -r ./tools/register.js tools/bench/floor.ts <plan.json>    # prints the count registered
 */
import * as fs from "fs";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { RealisticMocks } from "../plan/mocks";
import { Plan, PlannedResource, skipSourcePositions } from "../plan/record";

type Ctor = new (name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => pulumi.Resource;

const PACKAGES: Record<string, Record<string, unknown>> = { aws, kubernetes: k8s, random };

/** The class a type token names in its package (`aws:ec2/vpc:Vpc` is aws.ec2.Vpc), if the package has one. */
export function classOf(type: string): Ctor | undefined {
    const [pkg, module, kind] = type.split(":");
    if (pkg === "pulumi" && module === "providers") return PACKAGES[kind!]?.["Provider"] as Ctor | undefined;
    const root = PACKAGES[pkg!];
    if (!root || !module || !kind) return undefined;
    const [group, version] = module.split("/");
    // aws and random: `<module>/<file>`, the class in the module (`index` is the package itself).
    // kubernetes: `<group>/<version>` (`helm.sh` is `helm`, `core` is `core`).
    const path = pkg === "kubernetes" ? [group!.split(".")[0]!, version!] : group === "index" ? [] : [group!];
    let node: unknown = root;
    for (const seg of path) node = (node as Record<string, unknown> | undefined)?.[seg];
    const ctor = (node as Record<string, unknown> | undefined)?.[kind];
    return typeof ctor === "function" ? (ctor as Ctor) : undefined;
}

/** Registers the plan's resources in its order (a parent before its children), as a trivial program would. */
function register(plan: Plan): number {
    const made = new Map<string, pulumi.Resource>();
    let count = 0;
    for (const r of plan.resources) {
        if (r.type === "pulumi:pulumi:Stack") continue;
        const parent = r.parent ? made.get(r.parent) : undefined;
        const provider = r.provider ? (made.get(r.provider) as pulumi.ProviderResource | undefined) : undefined;
        made.set(r.urn, create(r, { ...(parent ? { parent } : {}), ...(provider ? { provider } : {}), ...providersOf(r, made) }));
        count++;
    }
    return count;
}

function providersOf(r: PlannedResource, made: ReadonlyMap<string, pulumi.Resource>): { providers?: pulumi.ProviderResource[] } {
    const urns = (r.options["providers"] as string[] | undefined) ?? [];
    const providers = urns.map((u) => made.get(u)).filter((p): p is pulumi.ProviderResource => p !== undefined);
    return providers.length > 0 ? { providers } : {};
}

function create(r: PlannedResource, opts: pulumi.CustomResourceOptions): pulumi.Resource {
    if (!r.custom) return new pulumi.ComponentResource(r.type, r.name, {}, opts);
    if (r.type === "pulumi:pulumi:StackReference") return new pulumi.StackReference(r.name, { name: String(r.inputs["name"] ?? r.name) }, opts);
    const ctor = classOf(r.type);
    if (ctor) return new ctor(r.name, r.inputs, opts);
    // A Kubernetes custom resource (its apiVersion and kind are among its inputs), or a type no class names.
    if (r.type.startsWith("kubernetes:")) return new k8s.apiextensions.CustomResource(r.name, r.inputs as k8s.apiextensions.CustomResourceArgs, opts);
    return new Generic(r.type, r.name, r.inputs, opts);
}

/** A custom resource of any type, for a type no class of the three packages names. */
class Generic extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(type, name, inputs, opts);
    }
}

async function main(): Promise<void> {
    const file = process.argv[2];
    if (!file) throw new Error("usage: node -r ./tools/register.js tools/bench/floor.ts <plan.json>");
    const plan = JSON.parse(fs.readFileSync(file, "utf8")) as Plan;
    // As the plan runs: no stack trace captured for every promise the SDK makes, nor source positions.
    Error.stackTraceLimit = 0;
    skipSourcePositions();
    const region = typeof plan.outputs["region"] === "string" ? plan.outputs["region"] : "us-east-1";
    await pulumi.runtime.setMocks(new RealisticMocks(region), plan.project, plan.stack, true);
    let count = 0;
    await pulumi.runtime.runInPulumiStack(async () => {
        count = register(plan);
        return {};
    });
    await pulumi.runtime.disconnect();
    process.stdout.write(`${count}\n`);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        process.stderr.write(`The floor program failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    });
}
