import * as fs from "fs";
import * as path from "path";
import { REPLACES_DATABASE } from "../../../settings/dataSchema";
import { allKeys } from "../../../settings/configKeys";
import { REPLACING_INPUTS } from "../../../modules/database";
import { ROOT } from "../../helpers/stacks";
import { nonEmpty } from "../../helpers/nonEmpty";

const dataDoc = fs.readFileSync(path.join(ROOT, "docs", "data.md"), "utf8");
const drDoc = fs.readFileSync(path.join(ROOT, "docs", "disaster-recovery.md"), "utf8");

/** The rows of the "Changes that replace the database" table: input → caution. */
function cautionRows(): Map<string, string> {
    const section = dataDoc.split("## Changes that replace the database")[1] ?? "";
    const rows = new Map<string, string>();
    for (const m of section.matchAll(/^\| `([A-Za-z]+)` \| (.*) \| (.*) \|$/gm)) rows.set(m[1]!, m[3]!);
    return rows;
}

describe("docs/data.md cautions on replacing changes", () => {
    it("lists exactly the RDS inputs the database module marks as replacing", () => {
        expect([...cautionRows().keys()].sort()).toEqual(Object.keys(REPLACING_INPUTS).sort());
    });

    it.each(["identifier", "engine", "username", "dbName", "kmsKeyId", "storageEncrypted"])("%s carries the caution", (input) => {
        expect(cautionRows().get(input)).toContain(REPLACES_DATABASE);
    });

    it("names every setting whose description carries the caution", () => {
        for (const k of nonEmpty(allKeys().filter((x) => x.description.includes(REPLACES_DATABASE)), "the settings that replace the database")) expect(dataDoc).toContain(`\`${k.dotted}\``);
    });
});

describe("docs/disaster-recovery.md", () => {
    it("states the objectives and covers the runbook's three procedures", () => {
        expect(drDoc).toContain("RTO 1 hour, RPO 15 minutes");
        for (const heading of ["## 1. Database failure", "## 2. Complete service failure", "## 3. Regional outage"]) expect(drDoc).toContain(heading);
        expect(drDoc).toContain("pulumi up -s production-dr");
        expect(drDoc).toContain("./scripts/restore_database.sh latest");
    });

    it("puts the regional failover's elapsed time within the RTO", () => {
        const elapsed = [...drDoc.matchAll(/\| (\d):(\d\d) \|$/gm)].map((m) => Number(m[1]) * 60 + Number(m[2]));
        expect(elapsed.length).toBeGreaterThanOrEqual(5);
        expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
        expect(Math.max(...elapsed)).toBeLessThanOrEqual(60);
    });
});
