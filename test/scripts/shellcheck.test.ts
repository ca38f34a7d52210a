import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../helpers/stacks";

/**
 * Every shell script of scripts/ (and the tests' own, test/scripts/) passes shellcheck, the
 * independent linter for shell (Debian package `shellcheck`; .ci/run installs it when missing),
 * at its strictest level with sourced files followed. jq is checked here too: the scripts need it.
 */

function shellScripts(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return shellScripts(p);
        return e.name.endsWith(".sh") || fs.readFileSync(p, "utf8").startsWith("#!/usr/bin/env bash") ? [p] : [];
    });
}

const INSTALL = "apt-get update && apt-get install -y shellcheck (Debian, Ubuntu; .ci/run does this when it can), or brew install shellcheck (macOS)";

describe("shell scripts", () => {
    const scripts = [...shellScripts(path.join(ROOT, "scripts")), ...shellScripts(path.join(ROOT, "test", "scripts"))].map((p) => path.relative(ROOT, p)).sort();

    it("are found: the runbook's scripts, their library and the tests' fake CLI", () => {
        expect(scripts).toEqual(expect.arrayContaining(["scripts/lib/verify.sh", "scripts/restore_database.sh", "scripts/verify_backups.sh", "scripts/verify_database.sh", "scripts/verify_infrastructure.sh", "test/scripts/fake/cli.sh"]));
    });

    it("pass shellcheck with no finding", () => {
        const version = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
        if (version.error) throw new Error(`shellcheck is not installed, so the scripts cannot be checked: ${INSTALL}`);
        const r = spawnSync("shellcheck", ["--external-sources", "--severity", "style", "--format", "gcc", ...scripts], { cwd: ROOT, encoding: "utf8" });
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
    });

    it("the runbook's scripts are executable", () => {
        for (const s of scripts.filter((p) => !p.includes("/lib/"))) {
            expect([s, fs.statSync(path.join(ROOT, s)).mode & 0o111]).toEqual([s, 0o111]);
        }
    });

    it("jq, which the verify scripts need, is installed", () => {
        const r = spawnSync("jq", ["--version"], { encoding: "utf8" });
        if (r.error) throw new Error("jq is not installed: apt-get update && apt-get install -y jq (.ci/run does this when it can)");
        expect(r.stdout).toMatch(/^jq-1\.\d/);
    });
});
