import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { eksSupportPhase } from "../../../modules/cluster/versions";
import { Assumptions, parseOverrides } from "../../../tools/cost/assumptions";
import { checkBudget } from "../../../tools/cost/budget";
import { diffEstimates } from "../../../tools/cost/delta";
import { runsPerMonth } from "../../../tools/cost/pricers/observability";
import { cpuCores, quantityGiB } from "../../../tools/cost/pricers/workload";
import { ROOT } from "../../helpers/stacks";
import { TEST_ASSUMPTIONS, estimate, fixturePlan, res } from "./fixtures";

const run = promisify(execFile);
const plan = fixturePlan([res("aws:ec2/eip:Eip", "ip", {}), res("aws:kms/key:Key", "key", {})], "staging", "fixture");

describe("budgets", () => {
    test("over budget: both figures, the overrun and the largest costs", () => {
        const check = checkBudget(estimate(plan), 5);
        expect(check).toMatchObject({ overBudget: true, estimateUsd: 8.3, overByUsd: expect.closeTo(3.3, 6) });
        expect(check.message).toBe(
            'Stack "fixture" is estimated at $8.30 a month, $3.30 over its budget of $5.00 (--budget). The largest costs: ip (Eip) $7.30, key (Key) $1.00. Lower them (sizes, counts, Multi-AZ, NAT gateways) or raise the budget.',
        );
    });

    test("within budget", () => {
        expect(checkBudget(estimate(plan), 10)).toMatchObject({ overBudget: false, overByUsd: 0 });
    });

    test("an estimate with unpriced resources says the bill is higher still", () => {
        const e = estimate(fixturePlan([res("aws:dynamodb/table:Table", "t", {})]));
        expect(checkBudget(e, 1).message).toMatch(/1 resource\(s\) are not priced, so the real bill is higher still/);
    });

    test("a budget that is not a positive number is refused, naming where it came from", () => {
        expect(() => checkBudget(estimate(plan), -1, "cost.monthlyBudgetUsd")).toThrow("The monthly budget cost.monthlyBudgetUsd must be a number of USD above 0, got -1.");
    });
});

describe("deltas", () => {
    test("added, removed and changed resources, largest change first; unchanged ones are left out", () => {
        const base = estimate(fixturePlan([res("aws:ec2/eip:Eip", "ip", {}), res("aws:kms/key:Key", "key", {}), res("aws:kms/key:Key", "same", {})]));
        const head = estimate(
            fixturePlan([res("aws:ec2/natGateway:NatGateway", "nat", {}), res("aws:kms/key:Key", "key", { region: "us-west-2" }), res("aws:kms/key:Key", "same", {}), res("aws:dynamodb/table:Table", "t", {})]),
        );
        const d = diffEstimates(base, head);
        expect(d.resources.map((r) => [r.name, r.change, r.deltaMonthlyUsd])).toEqual([
            ["nat", "added", 41.5], // 730 × 0.05 hours + all 100 GiB × 0.05 on the only gateway
            ["ip", "removed", -7.3],
            ["key", "changed", 1],
            ["t", "added", 0],
        ]);
        expect(d.deltaMonthlyUsd).toBe(35.2);
        expect(d.newUnpricedTypes).toEqual(["aws:dynamodb/table:Table"]);
    });
});

describe("assumptions", () => {
    test("--assume overrides a key, and is reported as such", () => {
        const a = new Assumptions(TEST_ASSUMPTIONS, "staging", parseOverrides(["alb.averageLcu=7"], TEST_ASSUMPTIONS));
        expect(a.get("alb.averageLcu")).toBe(7);
        expect(a.usedList()).toEqual([{ key: "alb.averageLcu", value: 7, unit: "u", from: "--assume" }]);
    });

    test("an unknown key or a value that is not a number >= 0 is refused, every problem at once", () => {
        expect(() => parseOverrides(["nope=1", "alb.averageLcu=-2", "alb.requestsMillionsPerMonth=lots"], TEST_ASSUMPTIONS)).toThrow(
            /--assume nope=1: unknown key "nope"[\s\S]*--assume alb.averageLcu=-2: "-2" is not a number >= 0[\s\S]*"lots" is not a number >= 0/,
        );
    });

    test("an environment without assumptions is refused", () => {
        expect(() => new Assumptions(TEST_ASSUMPTIONS, "qa")).toThrow(/No cost assumptions for environment "qa"/);
    });
});

describe("small parsers", () => {
    test("Kubernetes quantities", () => {
        expect([cpuCores("250m"), cpuCores("2"), quantityGiB("256Mi"), quantityGiB("1Gi"), quantityGiB("500M")]).toEqual([0.25, 2, 0.25, 1, 500e6 / 2 ** 30]);
    });

    test("schedule expressions", () => {
        expect(runsPerMonth("rate(180 days)")).toBeCloseTo(30.4375 / 180, 9);
        expect(runsPerMonth("cron(0 8 ? * MON *)")).toBeCloseTo(30.4375 / 7, 9);
        expect(runsPerMonth("cron(0 5 * * ? *)")).toBeCloseTo(30.4375, 9);
    });

    test("EKS support phases around the dates of the calendar", () => {
        expect(["2026-07-28", "2026-07-29", "2027-07-29"].map((d) => eksSupportPhase("1.33", d))).toEqual(["standard", "extended", "ended"]);
        expect(eksSupportPhase("1.20", "2026-01-01")).toBe("unknown");
    });
});

describe("npm run cost", () => {
    const cost = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
        try {
            const { stdout, stderr } = await run(process.execPath, ["-r", "./tools/register.js", "tools/cost.ts", ...args], { cwd: ROOT });
            return { code: 0, stdout, stderr };
        } catch (e) {
            const err = e as { code: number; stdout: string; stderr: string };
            return { code: err.code, stdout: err.stdout, stderr: err.stderr };
        }
    };
    const planFile = path.join(process.env["TEST_PLAN_DIR"] ?? "", "staging.json");

    test("--json prints the documented shape; --budget under the estimate exits 1 with the message", async () => {
        const { code, stdout, stderr } = await cost(["--plan", planFile, "--as-of", "2026-12-01", "--json", "--budget", "400"]);
        expect(code).toBe(1);
        const out = JSON.parse(stdout) as { estimate: { schema: string; totalMonthlyUsd: number }; budget: { overBudget: boolean } };
        expect(out.estimate).toMatchObject({ schema: "ops-cost/v1", totalMonthlyUsd: 504.78 });
        expect(out.budget.overBudget).toBe(true);
        expect(stderr).toMatch(/^Stack "staging" is estimated at \$504\.78 a month, \$104\.78 over its budget of \$400\.00 \(--budget\)/);
    });

    test("--base prints the change against a base plan", async () => {
        const { code, stdout } = await cost(["--plan", planFile, "--base", planFile, "--as-of", "2026-12-01"]);
        expect(code).toBe(0);
        expect(stdout).toMatch(/Cost change of stack "staging": \$504\.78 → \$504\.78 a month \(\$0\.00\)/);
    });

    test("bad arguments exit 2 with the usage", async () => {
        const { code, stderr } = await cost(["--stack", "staging", "--budget", "lots"]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/--budget lots: the monthly budget must be a number of USD above 0/);
        expect((await cost(["--plan", planFile, "--assume", "nope=1"])).code).toBe(2);
    });

    test("a preview plan without its cluster's plan is refused with what to pass", async () => {
        const { code, stderr } = await cost(["--plan", path.join(process.env["TEST_PLAN_DIR"] ?? "", "pr-42.json")]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/is a preview on stack staging's cluster: give that stack's plan with --cluster-plan/);
    });
});
