/**
 * The CLI's path, without the CLI: starts policy/ the way `pulumi preview --policy-pack policy`
 * does (the `pulumi-analyzer-policy` plugin runs @pulumi/pulumi's run-policy-pack in the pack's
 * directory, which type-checks index.ts with ts-node and serves the analyzer over gRPC), then
 * sends it the production plan as the engine sends a stack (AnalyzeStack) and compares what it
 * reports with the offline check.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { contextFromPlan } from "../../policy/context";
import { evaluate } from "../../policy/report";
import { levelIn } from "../../policy/rule";
import { rules } from "../../policy/rules";
import { loadWaivers } from "../../policy/waivers";
import { names, stringsIn } from "../../policy/values";
import { PlannedResource, loadPlan } from "../helpers/plan";
import { ROOT } from "../helpers/stacks";

/* eslint-disable @typescript-eslint/no-require-imports -- the engine's wire types (generated, untyped CommonJS) */
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Record<string, (...a: unknown[]) => unknown>>;
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: new (address: string, credentials: unknown) => Record<string, (req: unknown, cb: (e: Error | null, res: Record<string, () => unknown>) => void) => void> };
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: unknown): unknown } };
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

/** The engine's EnforcementLevel enum (pulumi/proto analyzer.proto). */
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

function call<T>(client: Record<string, (req: unknown, cb: (e: Error | null, res: T) => void) => void>, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method]!(request, (e, res) => (e ? reject(e) : resolve(res))));
}

/** One plan resource as the engine sends it: no physical id, its dependencies per input instead. */
function engineResource(r: PlannedResource, all: Map<string, PlannedResource>): unknown {
    const msg = new analyzer["AnalyzerResource"]!();
    msg["setUrn"]!(r.urn);
    msg["setType"]!(r.type);
    msg["setName"]!(r.name);
    msg["setProperties"]!(Struct.fromJavaScript(r.inputs));
    const opts = new analyzer["AnalyzerResourceOptions"]!();
    opts["setProtect"]!(r.protect);
    msg["setOptions"]!(opts);
    msg["setDependenciesList"]!(r.dependencies);
    const deps = msg["getPropertydependenciesMap"]!() as { set(k: string, v: unknown): void };
    for (const [key, value] of Object.entries(r.inputs)) {
        // The plan records dependencies per resource, the engine per input: an input depends on a
        // resource when it names it, or carries a value that resource was given and passes on (a
        // certificate's ARN, as its validation returns it).
        const urns = r.dependencies.filter((d) => {
            const dep = all.get(d);
            if (!dep) return false;
            const passedOn = new Set(stringsIn(dep.inputs).filter((v) => v.startsWith("arn:")));
            return names(value, dep) || stringsIn(value).some((v) => passedOn.has(v));
        });
        if (urns.length === 0) continue;
        const list = new analyzer["AnalyzerPropertyDependencies"]!();
        list["setUrnsList"]!(urns);
        deps.set(key, list);
    }
    if (r.custom && !r.type.startsWith("pulumi:providers:")) {
        const provider = r.provider ? all.get(r.provider) : undefined;
        const p = new analyzer["AnalyzerProviderResource"]!();
        p["setUrn"]!(provider?.urn ?? `urn:pulumi:production::ops::pulumi:providers:${r.type.split(":")[0]}::default`);
        p["setName"]!(provider?.name ?? "default_1_0_0");
        p["setType"]!(provider?.type ?? `pulumi:providers:${r.type.split(":")[0]}`);
        p["setProperties"]!(Struct.fromJavaScript(provider?.inputs ?? {}));
        msg["setProvider"]!(p);
    }
    return msg;
}

describe("pulumi preview --policy-pack policy (the analyzer, over gRPC)", () => {
    let pack: ChildProcess | undefined;
    let client: Record<string, (req: unknown, cb: (e: Error | null, res: never) => void) => void>;

    beforeAll(async () => {
        const runner = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        pack = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: path.join(ROOT, "policy"), env: { ...process.env, PULUMI_STACK: "production", PULUMI_PROJECT: "ops" }, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        pack.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<string>((resolve, reject) => {
            pack!.stdout?.on("data", (d: Buffer) => resolve(d.toString().trim().split("\n")[0]!));
            pack!.on("exit", (code) => reject(new Error(`the policy pack exited (${String(code)}) before serving:\n${stderr}`)));
        });
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as typeof client;
    }, 120_000);

    afterAll(() => {
        if (pack?.pid !== undefined && pack.exitCode === null) pack.kill();
    });

    it("registers every rule at its production level, and the two waiver policies", async () => {
        const info = await call<Record<string, () => unknown>>(client, "getAnalyzerInfo", new Empty());
        const policies = (info["getPoliciesList"]!() as Record<string, () => unknown>[]).map((p) => [p["getName"]!(), LEVELS[p["getEnforcementlevel"]!() as number]]);
        expect(info["getName"]!()).toBe("ops");
        expect(policies).toEqual([...rules.map((r) => [r.name, levelIn(r, "production")]), ["policy-waivers", "mandatory"], ["waived-violations", "advisory"]]);
    });

    it("reports on the production plan what the offline check reports", async () => {
        const plan = loadPlan("production");
        const all = new Map(plan.resources.map((r) => [r.urn, r]));
        const request = new analyzer["AnalyzeStackRequest"]!();
        request["setResourcesList"]!(plan.resources.map((r) => engineResource(r, all)));
        const response = await call<Record<string, () => unknown>>(client, "analyzeStack", request);
        const diagnostics = (response["getDiagnosticsList"]!() as Record<string, () => unknown>[]).map((d) => `${LEVELS[d["getEnforcementlevel"]!() as number]} ${d["getPolicyname"]!()} ${d["getUrn"]!()}`);

        const { waivers, errors } = loadWaivers(rules);
        const offline = evaluate(contextFromPlan(plan), rules, waivers, errors);
        const expected = [
            ...offline.rules.flatMap((r) => r.violations.map((v) => `${r.level} ${r.name} ${v.urn}`)),
            ...offline.rules.flatMap((r) => r.waived.map((w) => `advisory waived-violations ${w.urn}`)),
        ];
        expect(expected.length).toBeGreaterThan(0);
        expect(diagnostics.sort()).toEqual(expected.sort());
    });
});
