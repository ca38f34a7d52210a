import * as fs from "fs";
import { allKeys } from "../../settings/configKeys";
import { CONFIG_DOC, renderConfigDoc } from "../../tools/configDocs";
import { nonEmpty } from "../helpers/nonEmpty";

describe("docs/configuration.md", () => {
    it("is in sync with the schema, the profiles and Pulumi.yaml (run `npm run docs:config`)", () => {
        expect(fs.readFileSync(CONFIG_DOC, "utf8")).toBe(renderConfigDoc());
    });

    it("documents every leaf key with a description", () => {
        const doc = renderConfigDoc();
        for (const k of nonEmpty(allKeys().filter((x) => !x.isObject), "the settings keys")) {
            expect(doc).toContain(`| \`${k.dotted}\``);
            expect({ key: k.dotted, described: k.description.length > 0 }).toEqual({ key: k.dotted, described: true });
        }
    });
});
