import * as fs from "fs";
import * as path from "path";
import { DEFAULT_DURATION, DURATIONS, RUNBOOK_RTO_SECONDS, SCALING, typeOfKey } from "../../../tools/rto/durations";
import { TABLE_END, TABLE_START, renderTable } from "../../../tools/rto/render";
import { ROOT } from "../../helpers/stacks";

/** The duration table itself, and its copy in docs/rto.md. */

describe("the duration table", () => {
    const entries = Object.entries(DURATIONS);

    it("is sorted by key, so a reader and a drill's calibration find each entry in one place", () => {
        expect(entries.length).toBeGreaterThan(50);
        expect(entries.map(([k]) => k)).toEqual(entries.map(([k]) => k).sort());
    });

    it.each(entries)("%s has figures that make sense and a source", (_key, e) => {
        expect(e.typical).toBeGreaterThanOrEqual(0);
        expect(e.worst).toBeGreaterThanOrEqual(e.typical);
        if (e.deadline !== undefined) expect(e.deadline).toBeGreaterThan(0);
        expect(e.source.length).toBeGreaterThan(10);
    });

    it("has a default that is never free, and scales only keys it holds", () => {
        expect(DEFAULT_DURATION.typical).toBeGreaterThan(0);
        expect(Object.keys(SCALING).filter((k) => DURATIONS[k] === undefined)).toEqual([]);
        expect(typeOfKey("aws:rds/instance:Instance#pointInTimeRestore")).toBe("aws:rds/instance:Instance");
        expect(typeOfKey("aws:s3/bucket:Bucket")).toBe("aws:s3/bucket:Bucket");
    });

    it("uses the runbook's RTO: 1 hour (spec 3.9)", () => {
        expect(RUNBOOK_RTO_SECONDS).toBe(3600);
    });

    it("is copied in docs/rto.md exactly as `npm run rto -- --table` prints it", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "rto.md"), "utf8");
        const start = doc.indexOf(TABLE_START);
        const end = doc.indexOf(TABLE_END);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeGreaterThan(start);
        // Stale? Run `npm run rto -- --table` and paste its output over the table in docs/rto.md.
        expect(doc.slice(start, end + TABLE_END.length)).toBe(renderTable());
    });
});
