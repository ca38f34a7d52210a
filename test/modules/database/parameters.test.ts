import { EXPORTED_LOGS, dbParameters, majorVersion, parameterFamily, rdsEngineVersion } from "../../../modules/database/parameters";

describe("majorVersion", () => {
    it.each([
        ["16.4", "16"],
        ["16", "16"],
        ["9.6.24", "9"],
        ["17.2", "17"],
    ])("of %s is %s", (version, major) => {
        expect(majorVersion(version)).toBe(major);
    });

    it.each(["", ".4", "v16.4", "16a.4", "x16.4", "latest"])("refuses %j, saying what it needs", (version) => {
        expect(() => majorVersion(version)).toThrow(new Error(`An engine version such as 16.4 is needed. Got ${version}.`));
    });
});

describe("parameterFamily", () => {
    it("is postgres followed by the major version, as RDS names its families", () => {
        expect(parameterFamily("16.4")).toBe("postgres16");
        expect(parameterFamily("17")).toBe("postgres17");
    });

    it("refuses what majorVersion refuses", () => {
        expect(() => parameterFamily("sixteen")).toThrow("Got sixteen.");
    });
});

describe("rdsEngineVersion", () => {
    it("gives RDS only the major version when it upgrades minor versions itself", () => {
        expect(rdsEngineVersion("16.4", true)).toBe("16");
    });

    it("gives RDS the full version when minor upgrades are left to people", () => {
        expect(rdsEngineVersion("16.4", false)).toBe("16.4");
    });

    it("checks the version even when it only takes the major one", () => {
        expect(() => rdsEngineVersion("v16", true)).toThrow("Got v16.");
    });
});

// RDS's ModifyDBParameterGroup: "immediate" is accepted for dynamic parameters only, while
// "pending-reboot" suits static and dynamic ones alike, so the TLS switch waits for a reboot.
describe("dbParameters", () => {
    it("require TLS, and log slow statements and lock waits", () => {
        expect(dbParameters(500)).toEqual([
            { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
            { name: "log_min_duration_statement", value: "500", applyMethod: "immediate" },
            { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
        ]);
    });

    it("write the slow statement threshold in milliseconds, as PostgreSQL reads a unitless value", () => {
        expect(dbParameters(2500).find((p) => p.name === "log_min_duration_statement")?.value).toBe("2500");
    });
});

describe("EXPORTED_LOGS", () => {
    it("are the PostgreSQL and upgrade logs, the types RDS for PostgreSQL exports", () => {
        expect(EXPORTED_LOGS).toEqual(["postgresql", "upgrade"]);
    });
});
