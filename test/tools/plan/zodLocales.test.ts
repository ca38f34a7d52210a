import { execFileSync } from "child_process";
import * as fs from "fs";
import { localeFiles } from "../../../tools/plan/zodLocales";
import { ROOT } from "../../helpers/stacks";

describe("zod's locales, lazily", () => {
    it("reads the installed zod's locale index as the plain list of re-exports it is", () => {
        const files = localeFiles(fs.readFileSync(require.resolve("zod/v4/locales"), "utf8"));
        expect(files?.get("en")).toBe("./en.cjs");
        expect(files?.get("frCA")).toBe("./fr-CA.cjs");
        expect(files!.size).toBeGreaterThan(40);
    });

    it("leaves an index that does anything else alone", () => {
        expect(localeFiles('"use strict";\nconst x = require("./x.cjs");\n')).toBeUndefined();
        expect(localeFiles("")).toBeUndefined();
    });

    it("loads no locale on import, yet every locale when read, and keeps zod's English messages", () => {
        const script = `
            require("./tools/plan/zodLocales.ts");
            const { z } = require("zod");
            const locales = () => Object.keys(require.cache).filter((f) => f.includes("/zod/v4/locales/")).length;
            const before = locales();
            const english = z.string().safeParse(1).error.issues[0].message;
            const french = typeof z.locales.fr().localeError;
            process.stdout.write(JSON.stringify({ before, english, french, after: locales() }));`;
        const out = JSON.parse(execFileSync(process.execPath, ["-r", "./tools/register.js", "-e", script], { cwd: ROOT, encoding: "utf8" })) as Record<string, unknown>;
        // The index itself and English, which zod loads on its own.
        expect(out).toEqual({ before: 2, english: "Invalid input: expected string, received number", french: "function", after: 3 });
    });
});
