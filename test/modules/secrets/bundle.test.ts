import * as fs from "fs";
import { LAMBDA_RUNTIME, bundleDigest, bundleLambda } from "../../../modules/secrets/bundle";

describe("Lambda bundles", () => {
    it.each(["database-bootstrap", "database-password", "jwt-signing-key", "restore-validation", "secret-age"])("%s bundles into one file that exports its handler", (name) => {
        const file = bundleLambda(name);
        expect(file.endsWith(`bin/lambdas/${name}/index.js`)).toBe(true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(typeof (require(file) as { handler?: unknown }).handler).toBe("function");
    });

    it("carries pg inside and leaves the AWS SDK to the runtime", () => {
        const text = fs.readFileSync(bundleLambda("database-password"), "utf8");
        expect(text).not.toMatch(/require\("pg"\)/);
        expect(text).toContain('require("@aws-sdk/client-secrets-manager")');
        expect(LAMBDA_RUNTIME).toBe("nodejs24.x");
    });

    it("names each bundle by a digest of its code (the bootstrap invocation's trigger)", () => {
        const digest = bundleDigest("database-bootstrap");
        expect(digest).toMatch(/^[0-9a-f]{16}$/);
        expect(bundleDigest("database-bootstrap")).toBe(digest);
        expect(bundleDigest("database-password")).not.toBe(digest);
    });

    it("refuses a Lambda that has no source", () => {
        expect(() => bundleLambda("no-such-function")).toThrow("No Lambda source at lambdas/no-such-function/index.ts.");
    });
});
