import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECURE_STAND_IN, readStackConfig } from "../../tools/plan/stackConfig";

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
});
