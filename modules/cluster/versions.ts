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

/**
 * How many days before the end of standard support a version is flagged: an upgrade is a
 * reviewed change of cluster.version with its add-on, AMI and chart pins, tried on staging first,
 * which wants weeks, not the last day (when EKS upgrades a STANDARD cluster on its own).
 */
export const SUPPORT_NOTICE_DAYS = 60;

/** A date as the ISO day (UTC) the table's dates are written in. */
export function utcDay(date: Date = new Date()): string {
    return date.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The table's next minor version after `version`, if it has one. */
function nextVersion(version: string): string | undefined {
    const [major, minor] = version.split(".").map(Number);
    return EKS_VERSIONS.find((v) => v.version === `${major}.${(minor ?? 0) + 1}`)?.version;
}

/**
 * What a person must know about a Kubernetes version on a day, or undefined while it has more
 * than SUPPORT_NOTICE_DAYS of standard support left: past (or within that many days of) the end
 * of standard support, past the end of extended support, or unknown to this table. The offline
 * plan prints it and the policy pack reports it (advisory, `eks-version-standard-support`).
 */
export function eksSupportNotice(version: string, onDay: string): string | undefined {
    const row = eksVersion(version);
    if (!row) {
        return `Kubernetes ${version} is not in the EKS support table (modules/cluster/versions.ts, read ${EKS_VERSIONS_READ_ON}): its end of standard support is unknown. Add its row from the EKS release calendar.`;
    }
    const next = nextVersion(version);
    const upgrade = `Upgrade cluster.version and kubernetes.version to ${next ?? "the next minor version"}, with its add-on versions, AMI release and chart pins (docs/cluster.md, "Upgrading Kubernetes").`;
    const phase = eksSupportPhase(version, onDay);
    if (phase === "ended") return `Kubernetes ${version} left EKS extended support on ${row.endOfExtendedSupport}: EKS creates no cluster on it and upgrades existing ones itself. ${upgrade}`;
    if (phase === "extended") {
        return `Kubernetes ${version} left EKS standard support on ${row.endOfStandardSupport}: a cluster with upgradePolicy STANDARD is upgraded by EKS on its own, one with EXTENDED pays the extended-support rate. ${upgrade}`;
    }
    const left = daysBetween(onDay, row.endOfStandardSupport);
    if (left > SUPPORT_NOTICE_DAYS) return undefined;
    return `Kubernetes ${version} leaves EKS standard support on ${row.endOfStandardSupport}, in ${left} day${left === 1 ? "" : "s"}: then EKS upgrades a cluster with upgradePolicy STANDARD on its own. ${upgrade}`;
}
