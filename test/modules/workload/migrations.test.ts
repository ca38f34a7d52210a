import { PlanQuery } from "../../helpers/plan";
import { workloadStacks } from "../../helpers/stacks";
import { nonEmpty } from "../../helpers/nonEmpty";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plan's JSON, read by path in a test
type Json = any;

describe("migrations before the rollout, on every stack", () => {
    it.each(workloadStacks())("every app Deployment of %s depends on a migrations Job that runs its image first", (stack) => {
        const q = PlanQuery.of(stack);
        const apps = q.ofType("kubernetes:apps/v1:Deployment").filter((d) => ((d.inputs["metadata"] as Json).name as string).startsWith("app-deployment"));
        for (const d of nonEmpty(apps, `the app Deployments of ${stack}`)) {
            const name = (d.inputs["metadata"] as Json).name as string;
            const jobs = d.dependsOn.map((urn) => q.byUrn(urn)!).filter((r) => r.type === "kubernetes:batch/v1:Job");
            expect({ deployment: name, jobs: jobs.map((j) => (j.inputs["metadata"] as Json).name) }).toEqual({
                deployment: name,
                jobs: [expect.stringMatching(new RegExp(`^${name}-migrate-[0-9a-f]{10}$`))],
            });
            const image = (r: Json): string => r.inputs.spec.template.spec.containers[0].image;
            expect(image(jobs[0])).toBe(image(d));
        }
    });

    it("holds on the stacks that run the workload today", () => {
        const count = (stack: string): number =>
            PlanQuery.of(stack)
                .ofType("kubernetes:apps/v1:Deployment")
                .filter((d) => ((d.inputs["metadata"] as Json).name as string).startsWith("app-deployment")).length;
        expect([count("dev"), count("pr-42")]).toEqual([1, 1]);
    });
});
