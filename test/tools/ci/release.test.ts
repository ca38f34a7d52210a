import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareReleases, imageTagAt, imageTagOf, previousRelease } from "../../../tools/ci/release";
import { parseLog, renderReleaseNotes } from "../../../tools/ci/releaseNotes";

describe("releases", () => {
    it("orders release tags by version, not by text", () => {
        expect(["v1.10.0", "v1.9.2", "v1.2.0"].sort(compareReleases)).toEqual(["v1.2.0", "v1.9.2", "v1.10.0"]);
        expect(previousRelease("v1.10.0", ["v1.9.2", "v1.10.0", "v1.11.0", "nightly", "v2.0.0-rc1"])).toBe("v1.9.2");
        expect(previousRelease("v1.0.0", ["v1.0.0"])).toBeUndefined();
        expect(() => previousRelease("1.0.0", [])).toThrow('"1.0.0" is not a release tag vMAJOR.MINOR.PATCH');
    });

    it("reads the image tag a stack file names, as this repository's stack files name it", () => {
        expect(imageTagOf(fs.readFileSync(path.join(__dirname, "../../../Pulumi.production.yaml"), "utf8"))).toMatch(/^\S+$/);
        expect(imageTagOf("config:\n  ops:app:\n    image:\n      tag: 1.3.2\n")).toBe("1.3.2");
        expect(imageTagOf("config: {}\n")).toBeUndefined();
    });

    it("reads the image of a release from git", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-git-"));
        const g = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
        g("init", "-q");
        fs.writeFileSync(path.join(dir, "Pulumi.production.yaml"), "config:\n  ops:app:\n    image:\n      tag: 1.3.2\n");
        g("add", ".");
        g("commit", "-qm", "release");
        g("tag", "v1.3.0");
        expect(imageTagAt("v1.3.0", "production", dir)).toBe("1.3.2");
        expect(imageTagAt("v9.9.9", "production", dir)).toBeUndefined();
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe("release notes (runbook 1.5 template)", () => {
    const log = [
        ["a".repeat(40), "feat(api): export invoices", "Migration: 0042 add invoices.exported_at"],
        ["b".repeat(40), "fix: retry the cache connection", ""],
        ["c".repeat(40), "feat!: drop the v1 endpoints", "BREAKING CHANGE: clients must call /v2"],
        ["d".repeat(40), "Bump pulumi to 3.276", ""],
    ]
        .map((c) => c.join("\x1f"))
        .join("\x1e");

    it("fills every section of the template, in its order", () => {
        const notes = renderReleaseNotes({ tag: "v1.4.0", date: "2026-01-15", previous: "v1.3.0", imageTag: "1.4.0", previousImageTag: "1.3.2" }, parseLog(log));
        const headings = notes.split("\n").filter((l) => l.startsWith("#"));
        expect(headings).toEqual([
            "## Release v1.4.0 - 2026-01-15",
            "### New Features",
            "### Bug Fixes",
            "### Improvements",
            "### Breaking Changes",
            "### Database Migrations",
            "### Deployment Notes",
            "### Rollback Plan",
        ]);
        expect(notes).toContain("- [api]: export invoices (aaaaaaa)");
        expect(notes).toContain("- retry the cache connection (bbbbbbb)");
        expect(notes).toContain("- drop the v1 endpoints: clients must call /v2 (ccccccc)");
        expect(notes).toContain("- Bump pulumi to 3.276 (ddddddd)");
        expect(notes).toContain("- 0042 add invoices.exported_at");
        expect(notes).toContain("- Image: `1.4.0` (was `1.3.2`).");
        expect(notes).toContain("redeploys v1.3.0 (image `1.3.2`)");
    });

    it("says so when a section is empty, and for a first release", () => {
        const notes = renderReleaseNotes({ tag: "v1.0.0", date: "2026-01-01" }, []);
        expect(notes).toContain("### Bug Fixes\n- None in this release.");
        expect(notes).toContain("- First release: no previous release to return to");
    });
});
