import { NOTICE, PolicyRule, SERVICES, TIERS, levelIn } from "../../policy/rule";
import { rules } from "../../policy/rules";

/**
 * The pack's rules and their enforcement in production / staging / preview / development
 * (M mandatory, a advisory). Adding, removing, renaming or relaxing a rule changes this list:
 * the change is visible in review, next to docs/policy.md.
 */
const PINNED: [string, string][] = [
    ["aws-explicit-provider", "MMMM"],
    ["aws-default-tags", "MMMM"],
    ["stateful-resources-protected", "Maaa"],
    ["rds-storage-encrypted", "MMMM"],
    ["rds-not-publicly-accessible", "MMMM"],
    ["rds-deletion-protection", "Maaa"],
    ["rds-multi-az", "Maaa"],
    ["rds-backup-retention", "MMMM"],
    ["rds-backups-survive-deletion", "Maaa"],
    ["rds-backups-replicated-to-dr", "Maaa"],
    ["rds-enhanced-monitoring", "MMMM"],
    ["rds-log-exports", "MMMM"],
    ["rds-iam-authentication", "MMMM"],
    ["rds-auto-minor-version-upgrade", "MMMM"],
    ["rds-copy-tags-to-snapshots", "MMMM"],
    ["rds-custom-admin-username", "MMMM"],
    ["rds-tls-required", "MMMM"],
    ["elasticache-encrypted-at-rest", "MMMM"],
    ["elasticache-encrypted-in-transit", "MMMM"],
    ["elasticache-auth", "MMMM"],
    ["elasticache-automatic-failover", "Maaa"],
    ["elasticache-backups", "MMMM"],
    ["elasticache-auto-minor-version-upgrade", "MMMM"],
    ["elasticache-subnet-group", "MMMM"],
    ["s3-public-access-blocked", "MMMM"],
    ["s3-tls-only", "MMMM"],
    ["s3-encrypted-with-kms", "MMMM"],
    ["s3-versioning", "MMMM"],
    ["s3-lifecycle", "MMMM"],
    ["s3-acls-disabled", "MMMM"],
    ["s3-policy-not-public", "MMMM"],
    ["s3-no-force-destroy", "MMaa"],
    ["s3-data-replicated-to-dr", "Maaa"],
    ["kms-key-rotation", "MMMM"],
    ["kms-key-policy-not-public", "MMMM"],
    ["kms-deletion-window", "Maaa"],
    ["kms-no-decrypt-on-all-keys", "MMMM"],
    ["secrets-encrypted-with-cmk", "MMMM"],
    ["secrets-rotation-scheduled", "MMMM"],
    ["secrets-rotation-period", "MMMM"],
    ["secrets-recovery-window", "Maaa"],
    ["secrets-replicated-to-dr", "Maaa"],
    ["eks-version-standard-support", "aaaa"],
    ["eks-endpoint-private", "MMMM"],
    ["eks-secrets-encrypted", "MMMM"],
    ["eks-control-plane-logs", "MMMM"],
    ["eks-access-entries", "MMMM"],
    ["eks-nodes-imdsv2", "MMMM"],
    ["eks-nodes-encrypted-volumes", "MMMM"],
    ["eks-nodes-no-public-ip", "MMMM"],
    ["alb-drop-invalid-headers", "MMMM"],
    ["alb-deletion-protection", "Maaa"],
    ["alb-access-logs", "MMMM"],
    ["alb-desync-mitigation", "MMMM"],
    ["alb-multi-az", "MMMM"],
    ["alb-waf-attached", "MMMM"],
    ["alb-http-redirects-to-https", "MMMM"],
    ["alb-tls-policy", "MMMM"],
    ["waf-has-rules", "MMMM"],
    ["waf-logging", "MMaa"],
    ["acm-managed-renewal", "MMMM"],
    ["acm-expiry-alarm", "MMMM"],
    ["lambda-supported-runtime", "MMMM"],
    ["lambda-multi-az", "MMMM"],
    ["lambda-managed-log-group", "MMMM"],
    ["lambda-permission-scoped", "MMMM"],
    ["sns-encrypted", "MMMM"],
    ["sns-tls-only", "MMMM"],
    ["sns-policy-not-public", "MMMM"],
    ["log-group-retention", "MMMM"],
    ["log-group-encrypted", "MMMM"],
    ["alarm-routed", "MMMM"],
    ["alarm-runbook-link", "MMMM"],
    ["alarm-severity-routing", "MMMM"],
    ["backup-retention", "Maaa"],
    ["backup-dr-copy", "Maaa"],
    ["backup-vault-encrypted", "MMMM"],
    ["backup-vault-lock", "Maaa"],
    ["backup-covers-databases", "MMaa"],
    ["backup-restore-tested", "Maaa"],
    ["backup-failures-alerted", "MMMM"],
    ["iam-no-admin-statements", "MMMM"],
    ["iam-no-service-wildcards", "MMMM"],
    ["iam-no-admin-managed-policies", "MMMM"],
    ["iam-no-users", "MMMM"],
    ["iam-trust-policy-scoped", "MMMM"],
    ["iam-pass-role-scoped", "MMMM"],
    ["vpc-flow-logs", "MMMM"],
    ["vpc-default-security-group-closed", "MMMM"],
    ["no-world-ingress-except-web", "MMMM"],
    ["subnets-no-public-ip-on-launch", "MMMM"],
    ["security-groups-described", "MMMM"],
    ["ecr-scan-on-push", "MMMM"],
    ["ecr-immutable-tags", "MMMM"],
    ["ecr-lifecycle-policy", "MMMM"],
    ["ecr-encrypted-with-kms", "MMMM"],
    ["ecr-policy-not-public", "MMMM"],
    ["appconfig-rollback-alarms", "MMMM"],
    ["k8s-namespace-restricted", "MMMM"],
    ["k8s-run-as-non-root", "MMMM"],
    ["k8s-no-privilege-escalation", "MMMM"],
    ["k8s-drop-all-capabilities", "MMMM"],
    ["k8s-seccomp", "MMMM"],
    ["k8s-no-privileged-containers", "MMMM"],
    ["k8s-no-host-namespaces", "MMMM"],
    ["k8s-volume-types", "MMMM"],
    ["k8s-no-host-ports", "MMMM"],
    ["k8s-read-only-root-filesystem", "MMMM"],
    ["k8s-resources", "MMMM"],
    ["k8s-probes", "MMMM"],
    ["k8s-images-pinned", "MMMa"],
    ["k8s-service-account-token", "MMMM"],
    ["k8s-pdb-for-replicated", "MMMM"],
    ["k8s-not-default-namespace", "MMMM"],
    ["k8s-helm-chart-pinned", "MMMM"],
];

const levels = (r: PolicyRule) => TIERS.map((t) => (levelIn(r, t) === "mandatory" ? "M" : "a")).join("");

describe("the policy pack's catalogue", () => {
    it("holds exactly these rules, in this order, with this enforcement", () => {
        expect(rules.map((r) => [r.name, levels(r)])).toEqual(PINNED);
    });

    it("has at least 60 rules, with unique kebab-case names", () => {
        expect(rules.length).toBeGreaterThanOrEqual(60);
        expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
        for (const r of rules) expect(r.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    });

    it("names no rule like the CLI pack's own policies", () => {
        const names = rules.map((r) => r.name);
        expect(names).not.toContain("policy-waivers");
        expect(names).not.toContain("waived-violations");
    });

    it.each(rules.map((r) => [r.name, r] as const))("%s says what, why and which controls", (_name, r) => {
        expect(r.description).toMatch(/^[A-Z`].*\.$/s);
        expect(r.rationale.length).toBeGreaterThan(40);
        expect(r.controls.length).toBeGreaterThan(0);
        for (const c of r.controls) expect([c.framework.trim() !== "", c.id.trim() !== ""]).toEqual([true, true]);
        expect(r.types.length).toBeGreaterThan(0);
        expect(SERVICES).toContain(r.service);
    });

    it("has notices (advisory everywhere) only for dated deadlines, listed here", () => {
        expect(rules.filter((r) => r.enforcement === NOTICE).map((r) => r.name)).toEqual(["eks-version-standard-support"]);
        expect(TIERS.map((t) => NOTICE.levels[t])).toEqual(["advisory", "advisory", "advisory", "advisory"]);
    });

    it.each(rules.filter((r) => r.enforcement !== NOTICE).map((r) => [r.name, r] as const))("%s is mandatory in production, and says why wherever it is advisory", (_name, r) => {
        expect(levelIn(r, "production")).toBe("mandatory");
        const relaxedSomewhere = TIERS.some((t) => levelIn(r, t) === "advisory");
        if (relaxedSomewhere) expect(r.enforcement.relaxed?.length ?? 0).toBeGreaterThan(20);
        else expect(r.enforcement.relaxed).toBeUndefined();
    });

    it("binds staging wherever it binds previews, and previews wherever development", () => {
        for (const r of rules) {
            if (levelIn(r, "preview") === "mandatory") expect([r.name, levelIn(r, "staging")]).toEqual([r.name, "mandatory"]);
            if (levelIn(r, "development") === "mandatory") expect([r.name, levelIn(r, "preview")]).toEqual([r.name, "mandatory"]);
        }
    });

    it("cites a published standard or the runbook for every rule but these project rules", () => {
        const projectOnly = rules.filter((r) => r.controls.every((c) => c.framework === "Project")).map((r) => r.name);
        expect(projectOnly).toEqual([
            "aws-explicit-provider",
            "aws-default-tags",
            "rds-tls-required",
            "s3-no-force-destroy",
            "kms-key-policy-not-public",
            "secrets-recovery-window",
            "eks-access-entries",
            "sns-policy-not-public",
            "backup-vault-encrypted",
            "iam-trust-policy-scoped",
            "ecr-encrypted-with-kms",
            "k8s-helm-chart-pinned",
        ]);
    });

    it("counts the rules by service", () => {
        const by: Record<string, number> = {};
        for (const r of rules) by[r.service] = (by[r.service] ?? 0) + 1;
        expect(by).toEqual({
            General: 3,
            RDS: 14,
            ElastiCache: 7,
            S3: 9,
            KMS: 4,
            "Secrets Manager": 5,
            EKS: 8,
            ELB: 8,
            WAF: 2,
            ACM: 2,
            Lambda: 4,
            SNS: 3,
            CloudWatch: 5,
            "AWS Backup": 7,
            IAM: 6,
            VPC: 5,
            ECR: 5,
            AppConfig: 1,
            Kubernetes: 17,
        });
    });
});
