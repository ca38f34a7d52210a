import type { Problem } from "./errors";
import { base, profiles } from "./profiles";
import type { StackShape } from "./shape";
import type { ProjectFiles } from "./stackFiles";

/**
 * No stack takes the names of another. environments/names.ts derives a stack's physical names
 * from its settings, and three of its conventions do not carry the stack's name:
 *
 * - regional names `<appName>-<environment>`, in the stack's region: the EKS cluster, the RDS
 *   instance, the ElastiCache group, the backup vaults, the KMS aliases, the ECR repository;
 * - secret names `<appName>/<secrets.pathScope, else the environment>/`, in the stack's region and
 *   replicated to its DR region;
 * - on a local cluster, the namespace (`kubernetes.namespace`, else the app's name) on the kube
 *   context;
 * - and one name that is global: the public hosted zone (`edge.zone.name`) a cloud stack creates.
 *
 * Two stacks of one account with the same of these collide: the second `pulumi up` fails on names
 * that exist, or takes over the first stack's resources and replaces them. The environments' own
 * stacks hold those names: `staging` and `production` their environment's regional and secret
 * names, `dev` the app's namespace on its local cluster. Another stack may take their environment
 * only with names of its own: another `appName`, or for a rebuild of the stack elsewhere another
 * region and its own `secrets.pathScope` (production-dr: us-west-2, where production replicates
 * `myapp/production/*`). Where the project's files cannot be read, nothing is known of the other
 * stacks and nothing is said.
 */

/** The stacks that hold an environment's names, by environment (AWS names) and for the local cluster. */
export const NAME_HOLDERS = { staging: "staging", production: "production", local: "dev" } as const;

/** What the check reads of the stack being loaded: its merged, not yet validated settings and their sources. */
export interface OwnNamesInput {
    project: string;
    stack: string;
    shape: StackShape;
    settings: Readonly<Record<string, unknown>>;
    /** Where a key's value came from, as problems name it. */
    sourceOf: (dotted: string) => string | undefined;
    /** How to set a key to a value from where it came from (or from the stack file, for an unset key). */
    setFix: (dotted: string, value: string) => string;
    files: ProjectFiles | undefined;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A name of the stack's own, from its stack name, that fits appName, secrets.pathScope and a namespace (3 to 32 characters). */
export function ownNameFrom(stack: string, prefix = ""): string {
    let slug = `${prefix}${stack}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (!/^[a-z]/.test(slug)) slug = `stack-${slug}`.replace(/-+$/, "");
    slug = slug.slice(0, 32).replace(/-+$/, "");
    return slug.length >= 3 ? slug : `${slug}-own`;
}

/** Another stack's value of a top-level key or a nested one, from its file, else Pulumi.yaml. */
function holderValue(files: ProjectFiles, project: string, holder: string, path: readonly string[]): unknown {
    const own = files.stack(holder);
    const [top, ...rest] = path;
    const raw = own?.[`${project}:${top}`] ?? (rest.length === 0 ? files.project[`${project}:${top}`] : undefined);
    if (raw === undefined || rest.length === 0) return raw;
    try {
        let node: unknown = JSON.parse(raw);
        for (const seg of rest) node = obj(node)[seg];
        return node;
    } catch {
        return undefined;
    }
}

/** The problems of a stack that would take another stack's names (see the module's comment). */
export function ownNamesProblems(input: OwnNamesInput): Problem[] {
    const { files, shape } = input;
    if (!files) return [];
    if (shape === "cloud") return [...cloudProblems(input, files), ...zoneProblems(input, files)];
    if (shape === "local") return localProblems(input, files);
    return [];
}

function cloudProblems(input: OwnNamesInput, files: ProjectFiles): Problem[] {
    const { project, stack, settings: s } = input;
    const environment = str(s["environment"]);
    const holder = environment === "staging" || environment === "production" ? NAME_HOLDERS[environment] : undefined;
    if (!holder || holder === stack || files.stack(holder) === undefined) return [];
    const app = str(s["appName"]);
    const region = str(s["region"]);
    const holderApp = str(holderValue(files, project, holder, ["appName"]));
    const holderRegion = str(holderValue(files, project, holder, ["region"]));
    const holderDrRegion = str(holderValue(files, project, holder, ["drRegion"]));
    if (!app || !region || app !== holderApp) return [];
    const problems: Problem[] = [];
    const ownApp = ownNameFrom(stack, `${app}-`);
    if (region === holderRegion) {
        problems.push({
            key: `${project}:environment`,
            received: JSON.stringify(environment),
            source: input.sourceOf("environment"),
            allowed: `an environment whose names no other stack holds: stack "${holder}" runs ${environment} in ${region}, and its cluster, database, cache, backup vaults, keys and registry there are named ${app}-${environment} (environments/names.ts), the names stack "${stack}" would take`,
            fix: `${input.setFix("environment", "development")} (a stack of its own, names ${app}-development), or names of its own: ${input.setFix("appName", ownApp)} (names ${ownApp}-${environment}); a rebuild of ${holder} elsewhere sets another region (as production-dr does)`,
        });
    }
    const secrets = obj(s["secrets"]);
    const scope = str(secrets["pathScope"]) ?? environment;
    const holderScope = str(holderValue(files, project, holder, ["secrets", "pathScope"])) ?? environment;
    if (scope === holderScope && (region === holderRegion || region === holderDrRegion)) {
        const where = region === holderRegion ? `${region}, its region` : `${region}, its DR region, where it replicates them`;
        const ownScope = ownNameFrom(stack);
        problems.push({
            key: `${project}:secrets.pathScope`,
            received: secrets["pathScope"] === undefined ? "nothing (the key is not set)" : JSON.stringify(secrets["pathScope"]),
            source: input.sourceOf("secrets.pathScope"),
            allowed: `a scope no other stack's secrets use: stack "${holder}" holds the secrets ${app}/${scope}/* in ${where}`,
            fix: `${input.setFix("secrets.pathScope", ownScope)} (secrets ${app}/${ownScope}/*), or another environment or appName as above`,
        });
    }
    return problems;
}

/**
 * The public hosted zone of another environment's stack: Route 53 makes a second zone of the same
 * name, but the parent domain delegates to one of them only, so the certificate this stack asks
 * for in its own would never validate. (A rebuild of the same environment shares the zone: that
 * is the DR design's, environments/names.ts.)
 */
function zoneProblems(input: OwnNamesInput, files: ProjectFiles): Problem[] {
    const { project, stack, settings: s } = input;
    const zone = obj(obj(s["edge"])["zone"]);
    const name = str(zone["name"]);
    if (!name || zone["existingZoneId"] !== undefined) return [];
    for (const holder of [NAME_HOLDERS.staging, NAME_HOLDERS.production]) {
        if (holder === stack || holder === s["environment"] || files.stack(holder) === undefined) continue;
        const profileZone = (profiles[holder] as { edge?: { zone?: { name?: string } } }).edge?.zone?.name ?? base.edge.zone.name;
        const holderZone = str(holderValue(files, project, holder, ["edge", "zone", "name"])) ?? profileZone;
        if (name !== holderZone) continue;
        const own = `${ownNameFrom(stack)}.${name}`;
        return [
            {
                key: `${project}:edge.zone.name`,
                received: JSON.stringify(name),
                source: input.sourceOf("edge.zone.name"),
                allowed: `a zone no other stack creates: stack "${holder}" creates the public zone ${name}, and a second one of that name is never the one the parent domain delegates to, so this stack's certificate would never validate`,
                fix: `${input.setFix("edge.zone.name", own)} and ${input.setFix("hostname", `app.${own}`)}, then delegate ${own} from ${name} (its name servers are the nameServers output); or use an existing zone: ${input.setFix("edge.zone.existingZoneId", "<zone id>")}`,
            },
        ];
    }
    return [];
}

function localProblems(input: OwnNamesInput, files: ProjectFiles): Problem[] {
    const { project, stack, settings: s } = input;
    const holder = NAME_HOLDERS.local;
    if (stack === holder || files.stack(holder) === undefined) return [];
    const k = obj(s["kubernetes"]);
    const context = str(k["context"]);
    const holderContext = str(holderValue(files, project, holder, ["kubernetes", "context"])) ?? profiles.development.kubernetes.context;
    const kubeconfig = str(k["kubeconfig"]);
    const holderKubeconfig = str(holderValue(files, project, holder, ["kubernetes", "kubeconfig"]));
    const namespace = str(k["namespace"]) ?? str(s["appName"]);
    const holderNamespace = str(holderValue(files, project, holder, ["kubernetes", "namespace"])) ?? str(holderValue(files, project, holder, ["appName"]));
    if (!context || context !== holderContext || kubeconfig !== holderKubeconfig || namespace !== holderNamespace) return [];
    const own = ownNameFrom(stack, `${namespace}-`);
    return [
        {
            key: `${project}:kubernetes.namespace`,
            received: k["namespace"] === undefined ? `nothing (the key is not set: the app's name, ${namespace})` : JSON.stringify(namespace),
            source: input.sourceOf("kubernetes.namespace"),
            allowed: `a namespace no other stack uses on kube context ${context}: stack "${holder}" runs the app in namespace ${namespace} there`,
            fix: `${input.setFix("kubernetes.namespace", own)}, or another cluster: ${input.setFix("kubernetes.context", "<context>")}`,
        },
    ];
}
