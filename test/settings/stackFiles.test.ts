import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { allKeys } from "../../settings/configKeys";
import { ROOT } from "../helpers/stacks";

/**
 * Stack files may hold a secret setting only encrypted (`pulumi config set --secret`, which
 * writes `secure: v1:...`). A plain-text value of a key the schema marks secret fails here,
 * before it can reach a commit's history.
 */

type Tree = Record<string, unknown>;

/** The secret keys a stack file sets in plain text, by dotted path. */
function plainTextSecrets(yamlText: string, project = "ops"): string[] {
    const doc = (parse(yamlText) ?? {}) as { config?: Tree };
    const config = doc.config ?? {};
    const found: string[] = [];
    for (const key of allKeys().filter((k) => k.secret)) {
        const [top, ...rest] = key.path;
        let node: unknown = config[`${project}:${top}`];
        for (const seg of rest) node = node && typeof node === "object" ? (node as Tree)[seg] : undefined;
        if (node === undefined) continue;
        const encrypted = typeof node === "object" && node !== null && Object.keys(node).length === 1 && "secure" in node;
        if (!encrypted) found.push(key.dotted);
    }
    return found;
}

describe("stack files", () => {
    const files = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

    it("exist for dev, staging and production", () => {
        expect(files.sort()).toEqual(expect.arrayContaining(["Pulumi.dev.yaml", "Pulumi.production.yaml", "Pulumi.staging.yaml"]));
    });

    it.each(files)("%s holds no secret setting in plain text", (file) => {
        expect(plainTextSecrets(fs.readFileSync(path.join(ROOT, file), "utf8"))).toEqual([]);
    });

    it("Pulumi.yaml gives no secret setting a default", () => {
        const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config?: Tree };
        const secretTop = allKeys().filter((k) => k.secret).map((k) => k.path[0]);
        expect(Object.keys(doc.config ?? {}).filter((k) => secretTop.includes(k))).toEqual([]);
    });
});

describe("the plain-text check", () => {
    it("knows externalApiKey is secret", () => {
        expect(allKeys().filter((k) => k.secret).map((k) => k.dotted)).toContain("externalApiKey");
    });

    it("fails a plain-text secret value", () => {
        expect(plainTextSecrets("config:\n  ops:externalApiKey: abc123\n")).toEqual(["externalApiKey"]);
    });

    it("fails an object that only looks encrypted", () => {
        expect(plainTextSecrets("config:\n  ops:externalApiKey:\n    secure: v1:abc\n    note: x\n")).toEqual(["externalApiKey"]);
    });

    it("passes an encrypted value and an absent one", () => {
        expect(plainTextSecrets("config:\n  ops:externalApiKey:\n    secure: v1:AAAABBBBCCCC\n")).toEqual([]);
        expect(plainTextSecrets("config:\n  ops:region: us-east-1\n")).toEqual([]);
        expect(plainTextSecrets("")).toEqual([]);
    });
});
