import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SettingsError } from "../../../settings/errors";
import { SECURE_STAND_IN, readStackConfig } from "../../../tools/plan/stackConfig";

describe("readStackConfig", () => {
    let dir: string;
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-stackcfg-"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            ["name: ops", "runtime: nodejs", "config:", "  region:", "    type: string", "    default: us-east-1", "  aws:skipMetadataApiCheck:", "    value: true"].join("\n"),
        );
        fs.writeFileSync(
            path.join(dir, "Pulumi.s1.yaml"),
            [
                "config:",
                "  ops:region: eu-west-1",
                "  ops:externalApiKey:",
                "    secure: v1:AAAABBBBCCCC",
                "  ops:app:",
                "    image: { repository: r, tag: '1.0' }",
                "    replicas: { min: 2, max: 3 }",
            ].join("\n"),
        );
    });

    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes config as the CLI does: namespaced keys, strings, JSON for objects, stack over project defaults", () => {
        const cfg = readStackConfig(dir, "s1");
        expect(cfg.project).toBe("ops");
        expect(cfg.config).toEqual({
            "ops:region": "eu-west-1",
            "aws:skipMetadataApiCheck": "true",
            "ops:externalApiKey": SECURE_STAND_IN,
            "ops:app": JSON.stringify({ image: { repository: "r", tag: "1.0" }, replicas: { min: 2, max: 3 } }),
        });
    });

    it("keeps encrypted values secret, standing in for them", () => {
        expect(readStackConfig(dir, "s1").secretKeys).toEqual(["ops:externalApiKey"]);
    });

    it("uses the project defaults alone for a stack without a file (pr-<N>)", () => {
        const cfg = readStackConfig(dir, "pr-9");
        expect(cfg.config).toEqual({ "ops:region": "us-east-1", "aws:skipMetadataApiCheck": "true" });
        expect(cfg.stackFile).toBeUndefined();
    });

    it("reports a stack file that is not YAML as a settings error: the file, line and column, what is wrong", () => {
        // GIVEN the case: a list left open in a stack file
        fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), ["config:", "  ops:region: eu-west-1", "  ops:alerts:", "    emails: [oncall@example.com", ""].join("\n"));
        // WHEN
        const e = caught(() => readStackConfig(dir, "broken"));
        // THEN
        expect(e.problems).toEqual([
            {
                key: "Pulumi.broken.yaml:5:1",
                received: 'the end of the file, after line 4: "    emails: [oncall@example.com"',
                source: "Pulumi.broken.yaml, line 5, column 1",
                allowed: "valid YAML; here: Flow sequence in block collection must be sufficiently indented and end with a ]",
                fix: "correct Pulumi.broken.yaml at line 5, column 1, or the lines before it (a bracket or quote left open there is found only where the file ends); `pulumi config set` writes the file in valid YAML",
            },
        ]);
        expect(e.message).toMatch(/^Stack "broken" has 1 configuration problem; nothing was created/);
    });

    it("reports every syntax problem of a file at once", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.twice.yaml"), ["config:", "  ops:region: eu-west-1", "  ops:region: eu-west-2", "\tops:owner: x", ""].join("\n"));
        const e = caught(() => readStackConfig(dir, "twice"));
        expect(e.problems.map((p) => [p.key, p.allowed])).toEqual([
            ["Pulumi.twice.yaml:3:3", "valid YAML; here: Map keys must be unique"],
            ["Pulumi.twice.yaml:4:1", "valid YAML; here: Tabs are not allowed as indentation"],
        ]);
    });

    it("never shows a line that sets a secret in plain text", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.leaky.yaml"), ["config:", "  ops:externalApiKey: sk-live: 123", ""].join("\n"));
        const e = caught(() => readStackConfig(dir, "leaky"));
        expect(e.problems[0]!.received).toBe("a line that sets a secret key (not shown)");
        expect(e.message).not.toContain("sk-live");
    });

    it("reports a stack file of the wrong shape where it is", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.list.yaml"), ["config:", "  - ops:region", ""].join("\n"));
        const e = caught(() => readStackConfig(dir, "list"));
        expect(e.problems).toEqual([expect.objectContaining({ key: "Pulumi.list.yaml:2:3", allowed: "under `config:`, a mapping of keys to values (`ops:region: us-east-1`)" })]);
    });

    it("reports a malformed Pulumi.yaml, and one without a name, the same way", () => {
        const project = fs.mkdtempSync(path.join(dir, "project-"));
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), ["name: ops", "config:", "  region: {default: us-east-1", ""].join("\n"));
        expect(caught(() => readStackConfig(project, "staging")).problems[0]).toMatchObject({ key: "Pulumi.yaml:4:1", source: "Pulumi.yaml, line 4, column 1" });
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), ["runtime: nodejs", ""].join("\n"));
        expect(caught(() => readStackConfig(project, "staging")).problems[0]).toMatchObject({ key: "Pulumi.yaml: name", fix: "set `name: ops` at the top of Pulumi.yaml" });
    });
});

function caught(f: () => unknown): SettingsError {
    try {
        f();
    } catch (e) {
        if (SettingsError.isSettingsError(e)) return e;
        throw e;
    }
    throw new Error("expected a SettingsError");
}
