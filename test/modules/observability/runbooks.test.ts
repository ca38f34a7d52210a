import * as fs from "fs";
import * as path from "path";
import { CATALOG_SLUGS, FULL_EXAMPLE_TARGETS, INCIDENT_SEVERITY, alarmCatalog } from "../../../modules/observability/catalog";
import { ROOT } from "../../helpers/stacks";
import { base } from "../../../settings/profiles";
import { nonEmpty } from "../../helpers/nonEmpty";

/** The runbook's thresholds: the base profile's. */
const THRESHOLDS = base.alerts.thresholds;

const DIR = path.join(ROOT, "docs", "runbooks");
/** The five parts runbook 3.5 requires of each alert's runbook, as the files title them. */
const SECTIONS = ["## Description", "## Potential causes", "## Investigation steps", "## Resolution procedures", "## Escalation path"];

const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".md"));
const read = (slug: string): string => fs.readFileSync(path.join(DIR, `${slug}.md`), "utf8");

describe("docs/runbooks", () => {
    it("holds one runbook per alarm of the catalogue, and nothing else", () => {
        expect(files.map((f) => f.replace(/\.md$/, "")).sort()).toEqual([...CATALOG_SLUGS].sort());
    });

    describe.each(alarmCatalog(THRESHOLDS, FULL_EXAMPLE_TARGETS).map((d) => [d.slug, d] as const))("%s.md", (slug, def) => {
        const text = read(slug);

        it("has the five sections of runbook 3.5, in order, none empty", () => {
            const at = SECTIONS.map((s) => text.indexOf(`\n${s}\n`));
            expect(at.every((i) => i > 0)).toBe(true);
            expect([...at].sort((a, b) => a - b)).toEqual(at);
            const bodies = SECTIONS.map((s, i) => text.slice(at[i]! + s.length + 2, i + 1 < at.length ? at[i + 1] : undefined).trim());
            for (const body of bodies) expect(body.length).toBeGreaterThan(80);
        });

        it("states the alarm's severity and incident level as the catalogue has them", () => {
            expect(text).toContain(`**Severity:** ${def.severity} (${INCIDENT_SEVERITY[def.severity]})`);
        });

        it("names the real metrics the alarm reads", () => {
            const names = def.metric.kind === "math" ? def.metric.metrics.map((m) => m.metricName) : [def.metric.metric.metricName];
            for (const n of nonEmpty(names, "the alarm's metrics")) expect(text).toContain(n);
        });

        it("gives commands to run against this system, and checks the alarm by its name", () => {
            expect(text).toMatch(/```bash\n/);
            expect(text).toContain(`describe-alarms --alarm-names "$APP-$STACK-${slug}"`);
        });
    });

    it("rolls back with the runbook's command wherever a release can be the cause", () => {
        for (const slug of ["service-down", "error-rate-high", "error-rate-elevated", "latency-p95-high", "unhealthy-targets"]) {
            expect(read(slug)).toContain('kubectl -n "$NS" rollout undo deployment/app-deployment');
        }
    });

    it("links only runbooks that exist", () => {
        const links = nonEmpty(files, "the runbooks").flatMap((f) => [...fs.readFileSync(path.join(DIR, f), "utf8").matchAll(/\]\(([a-z0-9-]+\.md)\)/g)].map((m) => m[1]!));
        for (const target of nonEmpty(links, "the runbooks' links to one another")) expect(files).toContain(target);
    });
});
