import { EKS_VERSIONS, EKS_VERSIONS_READ_ON, SUPPORT_NOTICE_DAYS, eksSupportNotice, eksSupportPhase, utcDay } from "../../../modules/cluster/versions";
import { base } from "../../../settings/profiles";

// The Amazon EKS Kubernetes release calendar: 14 months of standard support from the EKS release,
// then 12 of extended support.
describe("the EKS support table", () => {
    it("lists versions newest first, each with 14 months of standard and 12 of extended support", () => {
        expect(EKS_VERSIONS.length).toBeGreaterThanOrEqual(5);
        const months = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
        EKS_VERSIONS.forEach((v, i) => {
            if (i > 0) expect(Number(v.version.split(".")[1])).toBe(Number(EKS_VERSIONS[i - 1]!.version.split(".")[1]) - 1);
            expect([v.version, months(v.eksRelease, v.endOfStandardSupport)]).toEqual([v.version, 14]);
            expect([v.version, months(v.endOfStandardSupport, v.endOfExtendedSupport)]).toEqual([v.version, 12]);
        });
    });

    it("has the cluster's version in standard support, with more than 60 days left, on the day it was read", () => {
        expect(base.cluster.version).toBe(base.kubernetes.version);
        expect(eksSupportPhase(base.cluster.version, EKS_VERSIONS_READ_ON)).toBe("standard");
        expect(eksSupportNotice(base.cluster.version, EKS_VERSIONS_READ_ON)).toBeUndefined();
    });
});

describe("eksSupportNotice", () => {
    it.each([
        ["1.35", "2026-12-01"],
        ["1.35", "2027-01-25"],
    ])("says nothing of %s on %s: more than 60 days of standard support left", (version, day) => {
        expect(eksSupportNotice(version, day)).toBeUndefined();
    });

    it("flags a version 60 days before its end of standard support, naming the day, the days left and the next version", () => {
        expect(SUPPORT_NOTICE_DAYS).toBe(60);
        expect(eksSupportNotice("1.35", "2027-01-26")).toBe(
            "Kubernetes 1.35 leaves EKS standard support on 2027-03-27, in 60 days: then EKS upgrades a cluster with upgradePolicy STANDARD on its own. " +
                'Upgrade cluster.version and kubernetes.version to the next minor version, with its add-on versions, AMI release and chart pins (docs/cluster.md, "Upgrading Kubernetes").',
        );
        expect(eksSupportNotice("1.34", "2026-12-01")).toMatch(/^Kubernetes 1\.34 leaves EKS standard support on 2026-12-02, in 1 day: .* to 1\.35, with/);
    });

    it("flags a version past its end of standard support, and past its end of extended support", () => {
        expect(eksSupportNotice("1.34", "2026-12-02")).toMatch(/^Kubernetes 1\.34 left EKS standard support on 2026-12-02: .*Upgrade cluster\.version and kubernetes\.version to 1\.35,/);
        expect(eksSupportNotice("1.33", "2027-07-29")).toMatch(/^Kubernetes 1\.33 left EKS extended support on 2027-07-29: EKS creates no cluster on it/);
    });

    it("flags a version the table does not hold", () => {
        expect(eksSupportNotice("1.20", "2026-12-01")).toBe(
            "Kubernetes 1.20 is not in the EKS support table (modules/cluster/versions.ts, read 2026-12-01): its end of standard support is unknown. Add its row from the EKS release calendar.",
        );
    });
});

describe("utcDay", () => {
    it("is the UTC day of a moment", () => {
        expect(utcDay(new Date("2026-12-01T23:59:59-05:00"))).toBe("2026-12-02");
    });
});
