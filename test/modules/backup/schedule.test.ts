import { BACKUP_TAG_KEY, FAILED_JOB_STATES, failedJobsPattern, restoreTestingName, restoreValidationPattern } from "../../../modules/backup/schedule";

// Restore testing plan and selection names: "only alphanumeric characters and underscores"
// (AWS Backup API reference, CreateRestoreTestingPlan / CreateRestoreTestingSelection), 1 to 50 long.
describe("restoreTestingName", () => {
    it("joins prefix and suffix with an underscore", () => {
        expect(restoreTestingName("myapp_production", "weekly")).toBe("myapp_production_weekly");
    });

    it("turns every character AWS Backup refuses into an underscore", () => {
        expect(restoreTestingName("my-app.prod", "db/weekly run")).toBe("my_app_prod_db_weekly_run");
    });

    it("keeps letters of both cases, digits and underscores, the whole ranges", () => {
        expect(restoreTestingName("AMZamz", "0459_")).toBe("AMZamz_0459_");
    });

    it("accepts 50 characters and refuses 51, saying the name and its length", () => {
        const fifty = restoreTestingName("a".repeat(24), "b".repeat(25));
        expect(fifty).toHaveLength(50);
        const name = `${"a".repeat(25)}_${"b".repeat(25)}`;
        expect(() => restoreTestingName("a".repeat(25), "b".repeat(25))).toThrow(
            new Error(`A restore testing name has at most 50 characters. Got ${name} (51).`),
        );
    });
});

describe("the backup tag", () => {
    it("is the key the daily plan's selection matches", () => {
        expect(BACKUP_TAG_KEY).toBe("backup-plan");
    });
});

// EventBridge events of AWS Backup (AWS Backup developer guide, "EventBridge events"): backup and
// copy jobs report `state`, restore jobs `status`, and a restore test's validation `validationStatus`.
describe("failed jobs", () => {
    it("are the states of a job that did not happen", () => {
        expect(FAILED_JOB_STATES).toEqual(["FAILED", "ABORTED", "EXPIRED"]);
    });

    it("match backup, copy and restore jobs by state, status or validation", () => {
        expect(failedJobsPattern()).toEqual({
            source: ["aws.backup"],
            "detail-type": ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"],
            detail: {
                $or: [{ state: ["FAILED", "ABORTED", "EXPIRED"] }, { status: ["FAILED", "ABORTED", "EXPIRED"] }, { validationStatus: ["FAILED", "TIMED_OUT"] }],
            },
        });
    });
});

describe("restoreValidationPattern", () => {
    it("matches completed RDS restores of the one restore testing plan", () => {
        const plan = "arn:aws:backup:us-east-1:123456789012:restore-testing-plan:myapp_production_weekly-abcd1234";
        expect(restoreValidationPattern(plan)).toEqual({
            source: ["aws.backup"],
            "detail-type": ["Restore Job State Change"],
            detail: { status: ["COMPLETED"], resourceType: ["RDS"], restoreTestingPlanArn: [plan] },
        });
    });
});
