import { eksSupportNotice } from "../../../modules/cluster/versions";
import { planNotices, renderPlan } from "../../../tools/plan/render";
import { PlanQuery, loadPlan } from "../../helpers/plan";

// A Kubernetes version past, or within 60 days of, the end of EKS standard support is printed
// under "Notices:" (modules/cluster/versions.ts), as the policy pack reports it.
describe("the printed plan's notices", () => {
    const plan = loadPlan("production");
    const cluster = PlanQuery.of("production").one("aws:eks/cluster:Cluster");

    it("say nothing while the cluster's version has more than 60 days of standard support left", () => {
        expect(planNotices(plan, "2026-12-01")).toEqual([]);
        expect(renderPlan(plan, "2026-12-01")).not.toContain("Notices:");
    });

    it("name the cluster and the deadline from 60 days before the end of standard support, as the last lines", () => {
        const text = renderPlan(plan, "2027-02-01");
        expect(text.split("\n").slice(-3)).toEqual(["", "Notices:", `    ! ${cluster.name}: ${eksSupportNotice("1.35", "2027-02-01")!}`]);
        expect(text).toContain("leaves EKS standard support on 2027-03-27, in 54 days");
    });

    it("cover every cluster of the plan, and none where there is none", () => {
        expect(planNotices(loadPlan("production-dr"), "2027-04-01")).toHaveLength(1);
        expect(planNotices(loadPlan("dev"), "2030-01-01")).toEqual([]);
    });
});
