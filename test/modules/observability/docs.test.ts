import * as fs from "fs";
import * as path from "path";
import { ACTIVE_USER_WINDOWS, BUSINESS_METRICS } from "../../../modules/observability/businessMetrics";
import { FULL_EXAMPLE_TARGETS, INCIDENT_SEVERITY, SEVERITIES, alarmCatalog } from "../../../modules/observability/catalog";
import { ROOT } from "../../helpers/stacks";
import { base } from "../../../settings/profiles";
import { nonEmpty } from "../../helpers/nonEmpty";

/** The runbook's thresholds: the base profile's. */
const THRESHOLDS = base.alerts.thresholds;

const catalogue = alarmCatalog(THRESHOLDS, FULL_EXAMPLE_TARGETS);
const doc = (name: string): string => fs.readFileSync(path.join(ROOT, "docs", name), "utf8");
const linked = (line: string): string[] => [...line.matchAll(/\[([a-z0-9-]+)\]\(runbooks\/\1\.md\)/g)].map((m) => m[1]!);

describe("docs/incident-response.md", () => {
    const text = doc("incident-response.md");

    it.each(SEVERITIES.map((s) => [s]))("maps every %s alarm to its incident level", (severity) => {
        const row = text.split("\n").find((l) => l.startsWith(`| ${severity} | ${INCIDENT_SEVERITY[severity]} |`));
        expect(row).toBeDefined();
        expect(linked(row!).sort()).toEqual(catalogue.filter((d) => d.severity === severity).map((d) => d.slug).sort());
    });

    it("states the runbook's four incident levels and response times", () => {
        for (const [sev, time] of [["SEV-1", "Immediate"], ["SEV-2", "15 minutes"], ["SEV-3", "1 hour"], ["SEV-4", "Next business day"]]) {
            expect(text).toMatch(new RegExp(`\\| \\*\\*${sev}\\*\\* \\|[^\\n]*\\| ${time} \\|`));
        }
    });
});

describe("docs/observability.md", () => {
    const text = doc("observability.md");

    it("lists every alarm with its severity, threshold and window", () => {
        const rows = text.split("\n").filter((l) => /^\| \[[a-z0-9-]+\]\(runbooks\//.test(l));
        expect(rows.map((r) => linked(r)[0])).toEqual(catalogue.map((d) => d.slug));
        for (const [i, d] of nonEmpty(catalogue, "the catalogue").entries()) {
            const cells = rows[i]!.split(" | ");
            expect(cells[1]).toBe(d.severity);
            expect(cells[4]).toMatch(new RegExp(`^${d.evaluationPeriods} × `));
            expect(cells[5]).toContain(`\`${d.treatMissingData}\``);
        }
    });

    it("documents the propagation headers, the searchable fields and the business metrics", () => {
        for (const h of ["`traceparent`", "`X-Request-ID`", "`X-Trace-ID`", "`X-Span-ID`"]) expect(text).toContain(h);
        for (const f of ["by-request_id", "by-user_id", "by-error_code", "by-service"]) expect(text).toContain(f);
        for (const m of ["`Signups`", "`ActiveUsers`", "`<appName>/Business`"]) expect(text).toContain(m);
    });

    it("gives the app's developers the business metrics exactly as the table holds them, and an example that publishes them so", () => {
        const metrics = nonEmpty(Object.values(BUSINESS_METRICS), "the business metrics");
        const rows = text.split("\n").filter((l) => /^\| `(Signups|ActiveUsers)` \|/.test(l));
        expect(rows).toHaveLength(metrics.length);
        for (const [i, m] of metrics.entries()) {
            const cells = rows[i]!.split(" | ");
            expect(cells[0]).toBe(`| \`${m.name}\``);
            expect(cells[1]).toBe(`\`${m.unit}\``);
            const dims = m.dimensions.map((d: { name: string; values?: readonly string[] }) => (d.values ? `\`${d.name}\` (${d.values.map((v) => `\`${v}\``).join(", ").replace(/, ([^,]*)$/, " or $1")})` : `\`${d.name}\``));
            expect(cells[2]).toBe(dims.join(", "));
            expect(cells[3]).toBe(`\`${m.statistic}\``);
            expect(cells[4]).toBe(`${m.publish} |`);
        }
        const example = /```python\n([\s\S]*?)```/.exec(text.slice(text.indexOf("### Business metrics the app publishes")))![1]!;
        expect(example).toContain("NAMESPACE = 'myapp/Business'");
        for (const m of metrics) {
            expect(example).toContain(`'MetricName': '${m.name}'`);
            for (const d of m.dimensions) expect(example).toContain(`'Name': '${d.name}'`);
        }
        expect(example).toContain(`for window in (${ACTIVE_USER_WINDOWS.map((w) => `'${w}'`).join(", ")}):`);
    });
});
