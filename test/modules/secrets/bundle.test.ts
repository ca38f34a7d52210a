import * as fs from "fs";
import { LAMBDA_RUNTIME, bundleLambda } from "../../../modules/secrets/bundle";

describe("Lambda bundles", () => {
    it.each(["database-password", "jwt-signing-key", "secret-age"])("%s bundles into one file that exports its handler", (name) => {
        const file = bundleLambda(name);
        expect(file.endsWith(`bin/lambdas/${name}/index.js`)).toBe(true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(typeof (require(file) as { handler?: unknown }).handler).toBe("function");
    });

    it("carries pg inside and leaves the AWS SDK to the runtime", () => {
        const text = fs.readFileSync(bundleLambda("database-password"), "utf8");
        expect(text).not.toMatch(/require\("pg"\)/);
        expect(text).toContain('require("@aws-sdk/client-secrets-manager")');
        expect(LAMBDA_RUNTIME).toBe("nodejs22.x");
    });

    it("refuses a Lambda that has no source", () => {
        expect(() => bundleLambda("no-such-function")).toThrow("No Lambda source at lambdas/no-such-function/index.ts.");
    });
});
