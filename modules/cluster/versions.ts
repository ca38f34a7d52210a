/**
 * Amazon EKS Kubernetes version support dates: a pure table, with no Pulumi import, so that the
 * settings rules, the offline plan's warnings and the cost estimate (tools/cost) read one copy.
 *
 * A minor version has 14 months of standard support from its EKS release, then 12 months of
 * extended support at a higher control-plane rate; at the end of extended support EKS upgrades the
 * control plane itself. A cluster whose upgrade policy is `STANDARD` skips extended support: EKS
 * upgrades it at the end of standard support instead. Billing for extended support starts at the
 * beginning of the day (UTC) the version reaches end of standard support.
 *
 * Source of every date unless said otherwise: the Amazon EKS Kubernetes release calendar,
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 * (awsdocs/amazon-eks-user-guide, latest/ug/versioning/kubernetes-versions.adoc), read 2026-12-01.
 * Refresh it when EKS releases a version (about every four months): `aws eks describe-cluster-versions`
 * prints the same dates.
 */

/** One Kubernetes minor version on EKS. Dates are ISO days, UTC. */
export interface EksVersionSupport {
    version: string;
    eksRelease: string;
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
    /** Where the dates were read, when not the EKS release calendar. */
    source?: string;
}

/** The date this table was last checked against its sources. */
export const EKS_VERSIONS_READ_ON = "2026-12-01";

/** Newest first. */
export const EKS_VERSIONS: readonly EksVersionSupport[] = [
    {
        version: "1.35",
        eksRelease: "2026-01-27",
        endOfStandardSupport: "2027-03-27",
        endOfExtendedSupport: "2028-03-27",
        // Not yet in the stored copy of the EKS calendar; endoflife.date tracks it from the same calendar.
        source: "https://endoflife.date/amazon-eks",
    },
    { version: "1.34", eksRelease: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
    { version: "1.33", eksRelease: "2025-05-29", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
    { version: "1.32", eksRelease: "2025-01-23", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
    { version: "1.31", eksRelease: "2024-09-26", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
    { version: "1.30", eksRelease: "2024-05-23", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
    { version: "1.29", eksRelease: "2024-01-23", endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23" },
];

/** Where a version stands on a day. `unknown` for a version the table does not hold. */
export type EksSupportPhase = "standard" | "extended" | "ended" | "unknown";

/** The support phase of a Kubernetes minor version on a day (ISO date, UTC). */
export function eksSupportPhase(version: string, onDay: string): EksSupportPhase {
    const v = EKS_VERSIONS.find((x) => x.version === version);
    if (!v) return "unknown";
    if (onDay < v.endOfStandardSupport) return "standard";
    if (onDay < v.endOfExtendedSupport) return "extended";
    return "ended";
}

/** The table's row for a version, if it has one. */
export function eksVersion(version: string): EksVersionSupport | undefined {
    return EKS_VERSIONS.find((x) => x.version === version);
}
