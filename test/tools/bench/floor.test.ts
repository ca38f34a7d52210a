import { execFile } from "child_process";
import * as path from "path";
import { classOf } from "../../../tools/bench/floor";
import { loadPlan } from "../../helpers/plan";
import { nonEmpty } from "../../helpers/nonEmpty";
import { ROOT, planDir, plannedStacks } from "../../helpers/stacks";

/** Types the floor registers without a class of their own: Kubernetes custom resources, and stack references. */
const WITHOUT_CLASS = /^kubernetes:(elbv2\.k8s\.aws|external-secrets\.io)\/|^pulumi:pulumi:StackReference$/;

describe("the SDK floor of a plan (npm run bench)", () => {
    it.each(plannedStacks())("registers each resource type of %s through the class the program uses", (stack) => {
        const types = nonEmpty([...new Set(loadPlan(stack).resources.filter((r) => r.custom).map((r) => r.type))], "the resource types");
        expect(types.filter((t) => !classOf(t) && !WITHOUT_CLASS.test(t))).toEqual([]);
    });

    it("maps type tokens to the packages' classes", () => {
        expect(classOf("aws:ec2/vpc:Vpc")?.name).toBe("Vpc");
        expect(classOf("kubernetes:apps/v1:Deployment")?.name).toBe("Deployment");
        expect(classOf("kubernetes:helm.sh/v3:Release")?.name).toBe("Release");
        expect(classOf("random:index/randomBytes:RandomBytes")?.name).toBe("RandomBytes");
        expect(classOf("pulumi:providers:aws")?.name).toBe("Provider");
        expect(classOf("ops:workload:App")).toBeUndefined();
    });

    it("registers as many resources as the plan holds, under the plan's mocks", async () => {
        const plan = loadPlan("pr-42");
        const stdout = await new Promise<string>((resolve, reject) =>
            execFile(process.execPath, ["-r", "./tools/register.js", "tools/bench/floor.ts", path.join(planDir(), "pr-42.json")], { cwd: ROOT }, (e, out, err) => (e ? reject(new Error(err)) : resolve(out))),
        );
        // Every resource but the stack, which the runtime makes.
        expect(Number(stdout.trim())).toBe(plan.resources.length - 1);
    });
});
