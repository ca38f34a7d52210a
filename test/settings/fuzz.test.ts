import fc from "fast-check";
import { WorkerAnswer, askWorker } from "../helpers/planWith";
import { FuzzCase, buildCase, fuzzInput } from "./fuzz/cases";
import { judge } from "./fuzz/oracle";

/**
 * Property-based fuzzing of the settings (docs/verification.md, "Settings fuzzing"): configurations
 * drawn from the schema, for every kind of stack, each of which must plan or fail as the README
 * promises (test/settings/fuzz/oracle.ts). Cases run in the plan worker: most only as far as the
 * program goes before it registers anything, one in FUZZ_FULL_EVERY (two of those accepted) as a
 * whole plan too, whose verdict must be the same.
 *
 *   FUZZ_SEED=<n> FUZZ_RUNS=<n> [FUZZ_PATH=<path>] npx jest test/settings/fuzz.test.ts
 *
 * A failure prints the seed and the path of the shrunk case; both reproduce it.
 */

const SEED = Number(process.env["FUZZ_SEED"] ?? 20261202);
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 1000);
const FULL_EVERY = Number(process.env["FUZZ_FULL_EVERY"] ?? 100);
const PATH = process.env["FUZZ_PATH"];

function verdict(a: WorkerAnswer): string {
    if (a.ok) return "accepted";
    return JSON.stringify(a.error?.problems ?? a.error?.message);
}

/** A value as a failure shows it: huge strings cut short. */
function compact(v: unknown): string {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === "string" && x.length > 200 ? `${x.slice(0, 100)}...(${x.length} characters)` : x));
}

/** The case as a failure shows it. */
function shown(c: FuzzCase): string {
    return compact({ stack: c.stack, config: c.config, env: c.env, secretKeys: c.secretKeys });
}

/** fast-check's report, with the command that replays the shrunk case and huge values cut short. */
function report<T>(d: fc.RunDetails<T>): void {
    if (!d.failed) return;
    throw new Error(
        [
            `Property failed after ${d.numRuns} case(s), shrunk ${d.numShrinks} time(s). Replay: FUZZ_SEED=${d.seed} FUZZ_PATH=${d.counterexamplePath ?? ""} npx jest test/settings/fuzz.test.ts`,
            `Counterexample: ${compact(d.counterexample)}`,
            d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance),
        ].join("\n"),
    );
}

describe("settings fuzzing", () => {
    it(`${RUNS} generated stack configurations plan or fail with every problem, its key, value, source and fix (seed ${SEED})`, async () => {
        const stats = { cases: 0, accepted: 0, refused: 0, fullPlans: 0, plannedResources: 0, settingsMs: 0, planMs: 0, buildMs: 0 };
        const started = Date.now();
        await fc.assert(
            fc.asyncProperty(fuzzInput, fc.noBias(fc.nat({ max: Math.max(0, FULL_EVERY - 1) })), async (input, sample) => {
                let t = Date.now();
                const c = buildCase(input);
                stats.buildMs += Date.now() - t;
                const request = { stack: c.stack, config: c.config, env: c.env, secretKeys: c.secretKeys };
                t = Date.now();
                const answer = await askWorker(request, "settings");
                stats.settingsMs += Date.now() - t;
                stats.cases++;
                if (answer.ok) stats.accepted++;
                else stats.refused++;
                const faults = judge(c, answer);
                // A sample planned whole: one case in FUZZ_FULL_EVERY, and twice as many of those the settings check accepted (they must plan).
                if (sample === 0 || (answer.ok && sample === 1)) {
                    t = Date.now();
                    const planned = await askWorker(request, "plan");
                    stats.planMs += Date.now() - t;
                    stats.fullPlans++;
                    faults.push(...judge(c, planned).map((f) => `full plan: ${f}`));
                    if (verdict(planned) !== verdict(answer)) faults.push(`the full plan says ${verdict(planned).slice(0, 400)}, the settings check ${verdict(answer).slice(0, 400)}`);
                    if (planned.ok) {
                        stats.plannedResources += planned.plan!.resources.length;
                        if (planned.registered === 0) faults.push("the plan registered nothing");
                    }
                }
                if (faults.length > 0) throw new Error(`${faults.join("\n")}\ncase: ${shown(c)}`);
            }),
            { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}), asyncReporter: async (d) => report(d) },
        );
        const seconds = (Date.now() - started) / 1000;
        if (process.env["FUZZ_STATS"]) {
            process.stderr.write(`settings fuzzing: ${JSON.stringify(stats)} in ${seconds.toFixed(1)} s, ${(stats.cases / seconds).toFixed(0)} cases/s\n`);
        }
        // The generators must reach both outcomes, or the property says little.
        if (RUNS >= 200) {
            expect(stats.accepted).toBeGreaterThan(RUNS * 0.05);
            expect(stats.refused).toBeGreaterThan(RUNS * 0.3);
        }
    }, 120_000);
});
